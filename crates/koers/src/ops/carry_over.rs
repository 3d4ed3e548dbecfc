//! Preparing next year's programme from this year's evaluation (doorschuiven), and the choice
//! of the action of last year that a new action continues.

use super::actions::{Catalogue, programme_of_year};
use super::{Ctx, OpsError};
use koers_domain::action::parse_id;
use koers_domain::{ActieCode, FieldErrors, Jaar, Uitkomst};
use koers_store::carry_over::{
    CarryCandidate, CarryChoice, LineageStep, PredecessorChoice, row_field,
};
use koers_store::programmes::Programme;

/// An action proposed for next year, with what the form holds for it.
pub struct ProposedRow {
    pub candidate: CarryCandidate,
    pub checked: bool,
    /// The code in next year's programme, as typed.
    pub code: String,
    /// The theme id in next year's programme, as chosen.
    pub theme_id: String,
}

pub struct CarryOverView {
    pub year: Jaar,
    pub next_year: Jaar,
    pub programme: Programme,
    pub next_programme: Option<Programme>,
    /// Evaluated as doorgeschoven, doorlopend or deels gerealiseerd, and not carried over yet.
    pub proposed: Vec<ProposedRow>,
    /// Already continued next year.
    pub carried: Vec<CarryCandidate>,
    /// Without an evaluation yet.
    pub unevaluated: Vec<CarryCandidate>,
    /// Evaluated with an outcome that ends the action (gerealiseerd, niet gerealiseerd,
    /// geannuleerd).
    pub closed: Vec<CarryCandidate>,
    pub catalogue: Catalogue,
}

/// What a carry-over did.
pub struct CarryOverDone {
    pub next_year: Jaar,
    pub created: usize,
}

fn next_year_of(year: Jaar) -> Result<Jaar, OpsError> {
    Jaar::new(i64::from(year) + 1).map_err(|_| OpsError::NotFound)
}

/// The value of form field `name` in `pairs`, if sent.
fn value<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The carry-over page of programme `year`: what goes to next year, what went already, what is
/// not evaluated yet. `submitted` is the form as the user sent it, to show it again.
pub async fn view(
    ctx: &Ctx,
    year: Jaar,
    submitted: Option<&[(String, String)]>,
) -> Result<CarryOverView, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let next_year = next_year_of(year)?;
    let programme = programme_of_year(ctx, year).await?;
    let next_programme = ctx.store.programme(ctx.org(), next_year).await?;
    let candidates = ctx.store.carry_candidates(ctx.org(), programme.id).await?;
    let mut view = CarryOverView {
        year,
        next_year,
        programme,
        next_programme,
        proposed: Vec::new(),
        carried: Vec::new(),
        unevaluated: Vec::new(),
        closed: Vec::new(),
        catalogue: Catalogue::load(ctx).await?,
    };
    for candidate in candidates {
        if candidate.successor.is_some() {
            view.carried.push(candidate);
            continue;
        }
        match candidate.outcome {
            None => view.unevaluated.push(candidate),
            Some(outcome) if outcome.carries_over() => {
                let field = |kind| row_field(kind, candidate.id);
                let row = match submitted {
                    Some(pairs) => ProposedRow {
                        checked: pairs
                            .iter()
                            .any(|(k, v)| k == "actie" && *v == candidate.id.to_string()),
                        code: value(pairs, &field("code")).unwrap_or_default().into(),
                        theme_id: value(pairs, &field("thema")).unwrap_or_default().into(),
                        candidate,
                    },
                    None => ProposedRow {
                        checked: true,
                        code: candidate.code.clone(),
                        theme_id: candidate.theme_id.to_string(),
                        candidate,
                    },
                };
                view.proposed.push(row);
            }
            Some(_) => view.closed.push(candidate),
        }
    }
    Ok(view)
}

/// Carries the confirmed actions of programme `year` over into the programme of the next year
/// (created when missing). The form sends `actie` = id for each confirmed action, and
/// `code_{id}` and `thema_{id}` for its code and theme next year.
pub async fn carry_over(
    ctx: &Ctx,
    year: Jaar,
    pairs: &[(String, String)],
) -> Result<CarryOverDone, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let next_year = next_year_of(year)?;
    let programme = programme_of_year(ctx, year).await?;
    let candidates = ctx.store.carry_candidates(ctx.org(), programme.id).await?;
    let mut errors = FieldErrors::default();
    let mut choices = Vec::new();
    for candidate in &candidates {
        let id = candidate.id.to_string();
        if !pairs.iter().any(|(k, v)| k == "actie" && *v == id) {
            continue;
        }
        let code_field = row_field("code", candidate.id);
        let theme_field = row_field("thema", candidate.id);
        let code = errors.check(
            &code_field,
            ActieCode::parse(value(pairs, &code_field).unwrap_or_default()),
        );
        let theme_id = parse_id(value(pairs, &theme_field).unwrap_or_default());
        if theme_id.is_none() {
            errors.add(
                &theme_field,
                format!("Kies een thema voor {}.", candidate.code),
            );
        }
        if let (Some(code), Some(theme_id)) = (code, theme_id) {
            choices.push(CarryChoice {
                action_id: candidate.id,
                code,
                theme_id,
            });
        }
    }
    let unknown = pairs
        .iter()
        .filter(|(k, _)| k == "actie")
        .any(|(_, v)| !candidates.iter().any(|c| c.id.to_string() == *v));
    if unknown {
        errors.add(
            "acties",
            "Kies alleen acties uit de lijst van dit programma.",
        );
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let title = next_title(&programme.title, year, next_year);
    let done = ctx
        .store
        .carry_over(&ctx.actor(), programme.id, &title, &choices)
        .await?;
    Ok(CarryOverDone {
        next_year,
        created: done.created.len(),
    })
}

/// The title of next year's programme: this year's with the year replaced.
fn next_title(title: &str, year: Jaar, next_year: Jaar) -> String {
    let year = year.to_string();
    if title.contains(&year) {
        title.replace(&year, &next_year.to_string())
    } else {
        format!("Uitvoeringsprogramma {next_year}")
    }
}

/// The actions of last year that an action of `year` can continue: those no other action
/// continues yet (plus the one continued by `editing`, the code of the action being edited),
/// the ones the evaluation carries over first, then by code.
pub async fn predecessor_choices(
    ctx: &Ctx,
    year: Jaar,
    editing: Option<&str>,
) -> Result<Vec<PredecessorChoice>, OpsError> {
    let Some(programme) = ctx.store.programme(ctx.org(), year).await? else {
        return Ok(Vec::new());
    };
    let editing = match editing {
        Some(code) if !koers_domain::has_control(code) && code.chars().count() <= 20 => ctx
            .store
            .action_by_code(ctx.org(), programme.id, code)
            .await
            .ok()
            .map(|detail| detail.action.id),
        _ => None,
    };
    let mut choices = ctx
        .store
        .predecessor_choices(ctx.org(), programme.id, editing)
        .await?;
    choices.sort_by_key(|c| {
        (
            !c.outcome.is_some_and(Uitkomst::carries_over),
            c.code.clone(),
        )
    });
    Ok(choices)
}

/// How a predecessor choice reads in the select: "IV1-05 Buurtpreventie-app — Doorgeschoven".
pub fn choice_label(choice: &PredecessorChoice) -> String {
    let state = choice
        .outcome
        .map_or_else(|| choice.status.label(), Uitkomst::label);
    format!("{} {} — {state}", choice.code, choice.title)
}

/// The chain of an action across the years, oldest first.
pub async fn lineage(ctx: &Ctx, action_id: i64) -> Result<Vec<LineageStep>, OpsError> {
    Ok(ctx.store.action_lineage(ctx.org(), action_id).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use koers_domain::Status;

    #[test]
    fn a_choice_reads_with_its_end_state_or_else_its_status() {
        let mut choice = PredecessorChoice {
            id: 1,
            code: "IV1-05".into(),
            title: "Buurtpreventie-app uitbreiden".into(),
            status: Status::Vertraagd,
            outcome: None,
        };
        assert_eq!(
            choice_label(&choice),
            "IV1-05 Buurtpreventie-app uitbreiden — Vertraagd"
        );
        choice.outcome = Some(Uitkomst::Doorgeschoven);
        assert_eq!(
            choice_label(&choice),
            "IV1-05 Buurtpreventie-app uitbreiden — Doorgeschoven"
        );
    }

    #[test]
    fn next_title_replaces_the_year() {
        let y = |n| Jaar::new(n).unwrap();
        assert_eq!(
            next_title("Uitvoeringsprogramma IV en VTH 2024", y(2024), y(2025)),
            "Uitvoeringsprogramma IV en VTH 2025"
        );
        assert_eq!(
            next_title("Jaarplan", y(2024), y(2025)),
            "Uitvoeringsprogramma 2025"
        );
    }
}
