//! The policy plan and its catalogue: domains, themes, ambitions, opgaven, subteams, partners.

use super::{Ctx, OpsError};
use koers_domain::validation::max;
use koers_domain::{FieldErrors, Fte, Lines, Personen, bounded_text};
use koers_store::catalog::{CapacityCell, Direction, Item, ItemInput, Kind};
use koers_store::plan::{Plan, PlanInput};

/// Everything the plan page shows.
pub struct PlanView {
    pub plan: Option<Plan>,
    pub domains: Vec<Item>,
    pub themes: Vec<Item>,
    pub ambitions: Vec<Item>,
    pub opgaven: Vec<Item>,
    pub participation: Vec<(i64, i64)>,
}

pub async fn view(ctx: &Ctx) -> Result<PlanView, OpsError> {
    let model = super::read_model::model(ctx).await?;
    let catalogue = &model.catalogue;
    Ok(PlanView {
        plan: model.plan.clone(),
        domains: catalogue.domains.clone(),
        themes: catalogue.themes.clone(),
        ambitions: catalogue.ambitions.clone(),
        opgaven: catalogue.opgaven.clone(),
        participation: model.participation.clone(),
    })
}

pub async fn current_plan(ctx: &Ctx) -> Result<Option<Plan>, OpsError> {
    Ok(ctx.store.plan(ctx.org()).await?)
}

pub async fn items(ctx: &Ctx, kind: Kind) -> Result<Vec<Item>, OpsError> {
    Ok(ctx.store.items(ctx.org(), kind).await?)
}

/// What the beheer page shows: plan years, subteams with their FTE, partners.
pub struct Formation {
    pub years: Vec<i64>,
    pub subteams: Vec<Item>,
    /// (subteam id, year, FTE)
    pub capacity: Vec<(i64, i64, Fte)>,
    /// (subteam id, year, people) where filled in.
    pub headcounts: Vec<(i64, i64, Personen)>,
    pub partners: Vec<Item>,
}

pub async fn formation(ctx: &Ctx) -> Result<Formation, OpsError> {
    require_catalogue_editor(ctx)?;
    let years = current_plan(ctx)
        .await?
        .map(|p| p.years().collect())
        .unwrap_or_default();
    Ok(Formation {
        years,
        subteams: items(ctx, Kind::Subteam).await?,
        capacity: ctx.store.capacity(ctx.org()).await?,
        headcounts: ctx.store.headcounts(ctx.org()).await?,
        partners: items(ctx, Kind::Partner).await?,
    })
}

/// Creates the plan, or saves it when `existing` gives its id and the version the user read.
pub async fn save_plan(
    ctx: &Ctx,
    existing: Option<(i64, i64)>,
    input: &PlanInput,
) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let mut errors = FieldErrors::default();
    errors.check("title", bounded_text(&input.title, max::TITLE, Lines::One));
    errors.check(
        "description",
        bounded_text(&input.description, max::PLAN_TEXT, Lines::Many),
    );
    let data = match input.validate() {
        Ok(data) if errors.is_empty() => data,
        Ok(_) => return Err(errors.into()),
        Err(more) => return Err(merged(errors, more).into()),
    };
    match existing {
        Some((id, version)) => {
            ctx.store
                .update_plan(&ctx.actor(), id, version, &data)
                .await?;
            Ok(id)
        }
        None => Ok(ctx.store.create_plan(&ctx.actor(), &data).await?),
    }
}

/// One catalogue item of the organisation; every role may read it.
pub async fn item(ctx: &Ctx, kind: Kind, id: i64) -> Result<Item, OpsError> {
    Ok(ctx.store.item(ctx.org(), kind, id).await?)
}

fn require_catalogue_editor(ctx: &Ctx) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_edit_plan())
}

/// Checks an item's texts against the bounds of the domain, then the store's own rules. An
/// ambition is written in a text area as one sentence: its line breaks become spaces.
fn checked_item(kind: Kind, input: &ItemInput) -> Result<ItemInput, FieldErrors> {
    let name = if kind == Kind::Ambition {
        let lines: Vec<&str> = input
            .name
            .split(['\r', '\n'])
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        lines.join(" ")
    } else {
        input.name.clone()
    };
    let mut errors = FieldErrors::default();
    errors.check("code", bounded_text(&input.code, max::CODE, Lines::One));
    errors.check("name", bounded_text(&name, max::TITLE, Lines::One));
    errors.check(
        "description",
        bounded_text(&input.description, max::TEXT, Lines::Many),
    );
    let input = ItemInput {
        name,
        ..input.clone()
    };
    match input.validate(kind) {
        Ok(input) if errors.is_empty() => Ok(input),
        Ok(_) => Err(errors),
        Err(more) => Err(merged(errors, more)),
    }
}

/// The errors of the domain's checks, plus those of the store's checks on other fields: one
/// message per field.
pub(crate) fn merged(mut errors: FieldErrors, more: FieldErrors) -> FieldErrors {
    for error in more.iter() {
        if errors.get(&error.field).is_none() {
            errors.add(&error.field, error.message.clone());
        }
    }
    errors
}

pub async fn create_item(
    ctx: &Ctx,
    kind: Kind,
    parent_id: Option<i64>,
    input: &ItemInput,
) -> Result<i64, OpsError> {
    require_catalogue_editor(ctx)?;
    let input = checked_item(kind, input)?;
    let parent_id = match kind {
        // Domains hang under the current plan, which the user does not choose.
        Kind::Domain => Some(
            ctx.store
                .plan(ctx.org())
                .await?
                .ok_or_else(|| OpsError::Refused("Leg eerst het beleidsplan vast.".into()))?
                .id,
        ),
        _ => parent_id,
    };
    Ok(ctx
        .store
        .create_item(&ctx.actor(), kind, parent_id, &input, false)
        .await?)
}

pub async fn update_item(
    ctx: &Ctx,
    kind: Kind,
    id: i64,
    version: i64,
    input: &ItemInput,
) -> Result<(), OpsError> {
    require_catalogue_editor(ctx)?;
    let input = checked_item(kind, input)?;
    Ok(ctx
        .store
        .update_item(&ctx.actor(), kind, id, version, &input)
        .await?)
}

/// The small changes on an item that need no form: order, retire, restore, delete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemChange {
    Up,
    Down,
    Retire,
    Restore,
    Delete,
}

impl ItemChange {
    pub fn from_slug(slug: &str) -> Option<Self> {
        match slug {
            "omhoog" => Some(Self::Up),
            "omlaag" => Some(Self::Down),
            "intrekken" => Some(Self::Retire),
            "herstellen" => Some(Self::Restore),
            "verwijderen" => Some(Self::Delete),
            _ => None,
        }
    }
}

pub async fn change_item(
    ctx: &Ctx,
    kind: Kind,
    id: i64,
    change: ItemChange,
) -> Result<(), OpsError> {
    require_catalogue_editor(ctx)?;
    let actor = ctx.actor();
    let store = &ctx.store;
    match change {
        ItemChange::Up => store.move_item(&actor, kind, id, Direction::Up).await?,
        ItemChange::Down => store.move_item(&actor, kind, id, Direction::Down).await?,
        ItemChange::Retire => store.set_item_retired(&actor, kind, id, true).await?,
        ItemChange::Restore => store.set_item_retired(&actor, kind, id, false).await?,
        ItemChange::Delete => store.delete_item(&actor, kind, id).await?,
    }
    Ok(())
}

/// The item to delete and, when something still uses it, why it cannot be deleted.
pub async fn deletion_check(
    ctx: &Ctx,
    kind: Kind,
    id: i64,
) -> Result<(Item, Option<String>), OpsError> {
    require_catalogue_editor(ctx)?;
    let item = item(ctx, kind, id).await?;
    let refusal = ctx.store.deletion_refusal(ctx.org(), kind, id).await?;
    Ok((item, refusal))
}

/// Sets participation in the opgaven for every year of the plan at once: `chosen` holds the
/// (opgave, year) pairs that were ticked. A pair that is not in the grid, or twice in it,
/// refuses the whole form; the changed cells are saved in one transaction.
pub async fn save_participation(ctx: &Ctx, chosen: &[(i64, i64)]) -> Result<(), OpsError> {
    require_catalogue_editor(ctx)?;
    let plan = ctx.store.plan(ctx.org()).await?.ok_or(OpsError::NotFound)?;
    let opgaven = ctx.store.items(ctx.org(), Kind::Opgave).await?;
    let in_grid = |(opgave, year): &(i64, i64)| {
        opgaven.iter().any(|o| o.id == *opgave) && plan.years().any(|y| y == *year)
    };
    let mut seen = std::collections::BTreeSet::new();
    if !chosen
        .iter()
        .all(|cell| in_grid(cell) && seen.insert(*cell))
    {
        return Err(FieldErrors::single(
            "deelname",
            "Het formulier bevat een opgave of jaar dat niet in de tabel staat, of een vakje twee keer. \
             Laad de pagina opnieuw en probeer het nog eens.",
        )
        .into());
    }
    let current = ctx.store.participation(ctx.org()).await?;
    let mut changes = Vec::new();
    for opgave in &opgaven {
        for year in plan.years() {
            let wanted = chosen.contains(&(opgave.id, year));
            if wanted != current.contains(&(opgave.id, year)) {
                changes.push((opgave.id, year, wanted));
            }
        }
    }
    Ok(ctx.store.save_participation(&ctx.actor(), &changes).await?)
}

/// One cell of the formation grid as typed: subteam, year, FTE and number of people.
pub struct TypedCell {
    pub subteam_id: i64,
    pub year: i64,
    pub fte: String,
    pub persons: String,
}

/// Saves the formation grid: FTE and people as typed per (subteam, year). All cells are checked
/// before anything is stored, so one typing error changes nothing; a cell that is not in the
/// grid, or twice in it, refuses the whole form; the changed cells are saved in one transaction.
/// A formation more than its people can fill (one FTE each) is refused at the FTE field.
pub async fn save_capacity(ctx: &Ctx, cells: &[TypedCell]) -> Result<(), OpsError> {
    require_catalogue_editor(ctx)?;
    let formation = formation(ctx).await?;
    let mut errors = FieldErrors::default();
    let mut parsed = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for cell in cells {
        let (subteam, year) = (cell.subteam_id, cell.year);
        let in_grid = formation
            .subteams
            .iter()
            .any(|s| s.id == subteam && !s.retired)
            && formation.years.contains(&year);
        if !in_grid || !seen.insert((subteam, year)) {
            errors.add(
                "formatie",
                "Het formulier bevat een subteam of jaar dat niet in de tabel staat, of een vakje \
                 twee keer. Laad de pagina opnieuw en probeer het nog eens.",
            );
            continue;
        }
        let fte_field = format!("fte_{subteam}_{year}");
        let fte = errors.check(&fte_field, Fte::parse(&cell.fte));
        let persons = errors.check(
            &format!("personen_{subteam}_{year}"),
            Personen::parse(&cell.persons),
        );
        if let (Some(fte), Some(persons)) = (fte, persons) {
            if let Some(people) = persons {
                errors.check(&fte_field, people.check(fte));
            }
            parsed.push(CapacityCell {
                subteam_id: subteam,
                year,
                fte,
                persons,
            });
        }
    }
    if !errors.is_empty() {
        return Err(OpsError::Invalid(errors));
    }
    let stored_fte = |s: i64, y: i64| {
        formation
            .capacity
            .iter()
            .find(|(cs, cy, _)| *cs == s && *cy == y)
            .map(|(_, _, f)| *f)
    };
    let stored_persons = |s: i64, y: i64| {
        formation
            .headcounts
            .iter()
            .find(|(cs, cy, _)| *cs == s && *cy == y)
            .map(|(_, _, p)| *p)
    };
    let changes: Vec<_> = parsed
        .into_iter()
        .filter(|c| {
            // A cell without a stored row reads as 0 FTE and no people: leaving it so is no change.
            let unchanged = stored_fte(c.subteam_id, c.year).unwrap_or_default() == c.fte
                && stored_persons(c.subteam_id, c.year) == c.persons;
            !unchanged
        })
        .collect();
    Ok(ctx.store.save_capacity(&ctx.actor(), &changes).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_texts_are_bounded_and_an_ambition_is_one_line() {
        let input = |name: &str, description: &str| ItemInput {
            code: String::new(),
            name: name.into(),
            description: description.into(),
        };
        let ambition = checked_item(Kind::Ambition, &input("Minder\r\n\r\noverlast", "")).unwrap();
        assert_eq!(ambition.name, "Minder overlast");
        assert!(checked_item(Kind::Theme, &input("Twee\nregels", "")).is_err());
        let errors = checked_item(Kind::Theme, &input("", "a\0b")).unwrap_err();
        assert!(errors.get("name").is_some() && errors.get("description").is_some());
        let long = "x".repeat(max::TEXT + 1);
        assert!(checked_item(Kind::Theme, &input("Naam", &long)).is_err());
    }
}
