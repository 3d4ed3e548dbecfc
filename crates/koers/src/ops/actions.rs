//! Yearly programmes, their actions and progress.

use super::{Ctx, OpsError};
use koers_domain::validation::max;
use koers_domain::{ActieInvoer, Jaar, VoortgangInvoer, bounded_text, has_control};
use koers_store::actions::{ActionDetail, ActionFilter, ActionRow, ProgressEntry};
use koers_store::audit::{AuditEntry, AuditFilter};
use koers_store::catalog::{Item, Kind};
use koers_store::programmes::Programme;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The catalogue items an action refers to, for names in lists and choices in forms.
#[derive(Clone)]
pub struct Catalogue {
    pub domains: Vec<Item>,
    pub themes: Vec<Item>,
    pub ambitions: Vec<Item>,
    pub subteams: Vec<Item>,
    pub partners: Vec<Item>,
    pub opgaven: Vec<Item>,
}

impl Catalogue {
    /// The catalogue as the read model holds it.
    pub async fn load(ctx: &Ctx) -> Result<Self, OpsError> {
        Ok(Catalogue::clone(
            &super::read_model::model(ctx).await?.catalogue,
        ))
    }

    /// The catalogue as the read model holds it, shared rather than copied.
    pub async fn shared(ctx: &Ctx) -> Result<Arc<Self>, OpsError> {
        Ok(super::read_model::model(ctx).await?.catalogue.clone())
    }

    /// The catalogue from the database, for the read model.
    pub(crate) async fn query(ctx: &Ctx) -> Result<Self, OpsError> {
        let items = |kind| ctx.store.items(ctx.org(), kind);
        Ok(Self {
            domains: items(Kind::Domain).await?,
            themes: items(Kind::Theme).await?,
            ambitions: items(Kind::Ambition).await?,
            subteams: items(Kind::Subteam).await?,
            partners: items(Kind::Partner).await?,
            opgaven: items(Kind::Opgave).await?,
        })
    }

    pub fn name(items: &[Item], id: i64) -> String {
        items
            .iter()
            .find(|i| i.id == id)
            .map_or_else(|| "—".to_string(), |i| i.name.clone())
    }

    /// Themes in plan order with their number within the domain; see [`numbered_themes`].
    pub fn numbered_themes(&self) -> Vec<(String, usize, &Item)> {
        numbered_themes(&self.domains, &self.themes)
    }

    pub fn theme_label(&self, id: i64) -> String {
        self.numbered_themes()
            .into_iter()
            .find(|(_, _, t)| t.id == id)
            .map_or_else(
                || "—".to_string(),
                |(domain, n, t)| {
                    if t.retired {
                        t.name.clone()
                    } else {
                        format!("{domain} {n}. {}", t.name)
                    }
                },
            )
    }
}

/// Themes in plan order (domain order, then theme order), each with its number within the
/// domain, e.g. ("IV", 2, theme) for "IV 2. Ondermijning". Retired themes keep their place in the
/// list but take no number, so the active themes are numbered 1, 2, 3 without gaps.
pub fn numbered_themes<'a>(domains: &[Item], themes: &'a [Item]) -> Vec<(String, usize, &'a Item)> {
    let mut result = Vec::new();
    for domain in domains {
        let mut number = 0;
        for theme in themes.iter().filter(|t| t.parent_id == Some(domain.id)) {
            if !theme.retired {
                number += 1;
            }
            result.push((domain.code.clone(), number, theme));
        }
    }
    result
}

pub struct ProgrammeView {
    pub year: Jaar,
    pub programme: Option<Programme>,
    pub programmes: Vec<Programme>,
    pub actions: Arc<Vec<ActionRow>>,
    /// Contributing subteams per action id.
    pub contributors: Arc<BTreeMap<i64, Vec<i64>>>,
    pub catalogue: Arc<Catalogue>,
    /// Number of actions in the programme without filters.
    pub total_actions: usize,
    /// The read model the view comes from, for what a page derives from it.
    pub model: Arc<super::read_model::OrgModel>,
}

pub async fn programmes(ctx: &Ctx) -> Result<Vec<Programme>, OpsError> {
    Ok(ctx.store.programmes(ctx.org()).await?)
}

/// The year shown when none is asked for: the one that runs today when Koers has its
/// programme, else the latest programme before today's year, else the earliest (only
/// programmes of later years exist), else today's year (none exist). A programme made for next
/// year does not become everyone's default before that year starts.
pub async fn default_year(ctx: &Ctx) -> Result<Jaar, OpsError> {
    let this_year = Jaar::new(i64::from(chrono::Datelike::year(&ctx.today())))
        .map_err(|e| OpsError::Internal(anyhow::anyhow!(e)))?;
    let model = super::read_model::model(ctx).await?;
    let years: Vec<i64> = model.programmes.iter().map(|p| p.year).collect();
    let year = choose_default_year(&years, this_year.into()).unwrap_or(this_year.into());
    Jaar::new(year).map_err(|e| OpsError::Internal(anyhow::anyhow!(e)))
}

/// See [`default_year`].
pub fn choose_default_year(years: &[i64], this_year: i64) -> Option<i64> {
    if years.contains(&this_year) {
        return Some(this_year);
    }
    years
        .iter()
        .copied()
        .filter(|y| *y < this_year)
        .max()
        .or_else(|| years.iter().copied().min())
}

pub async fn programme(
    ctx: &Ctx,
    year: Jaar,
    filter: &ActionFilter,
) -> Result<ProgrammeView, OpsError> {
    if let Some(text) = &filter.text {
        bounded_text(text, max::FILTER, koers_domain::Lines::One)
            .map_err(|e| koers_domain::FieldErrors::single("zoek", format!("Zoektekst: {e}")))?;
    }
    let model = super::read_model::model(ctx).await?;
    let programme = model
        .programmes
        .iter()
        .find(|p| p.year == i64::from(year))
        .cloned();
    let listed = programme.as_ref().and_then(|p| model.actions.get(&p.id));
    let total_actions = listed.map_or(0, |l| l.actions.len());
    let contributors = listed.map(|l| l.contributors.clone()).unwrap_or_default();
    // The unfiltered list comes from the read model; a filtered one from the database.
    let actions = match (&programme, listed) {
        (Some(p), _) if !filter.is_empty() => {
            Arc::new(ctx.store.actions(ctx.org(), p.id, filter).await?)
        }
        (Some(_), Some(l)) => l.actions.clone(),
        _ => Arc::default(),
    };
    Ok(ProgrammeView {
        year,
        programme,
        programmes: model.programmes.clone(),
        actions,
        contributors,
        catalogue: model.catalogue.clone(),
        total_actions,
        model,
    })
}

pub async fn create_programme(ctx: &Ctx, year_text: &str) -> Result<Jaar, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let year =
        Jaar::parse(year_text).map_err(|e| koers_domain::FieldErrors::single("year", e.0))?;
    let title = format!("Uitvoeringsprogramma Integrale Veiligheid en VTH-taken {year}");
    ctx.store
        .create_programme(&ctx.actor(), year, &title)
        .await?;
    Ok(year)
}

pub async fn programme_of_year(ctx: &Ctx, year: Jaar) -> Result<Programme, OpsError> {
    ctx.store
        .programme(ctx.org(), year)
        .await?
        .ok_or(OpsError::NotFound)
}

/// What the action page shows of an action, apart from who looks at it.
pub struct ActionData {
    pub detail: ActionDetail,
    pub programme: Programme,
    pub progress: Vec<ProgressEntry>,
    pub history: Vec<AuditEntry>,
    /// The action across the years, oldest first (this action included).
    pub lineage: Vec<koers_store::carry_over::LineageStep>,
    /// How its year ended, once evaluated.
    pub evaluation: Option<koers_store::evaluation::ActionEvaluationRow>,
}

pub struct ActionView {
    /// Shared with the read model when it comes from [`action_cached`].
    pub data: Arc<ActionData>,
    pub catalogue: Arc<Catalogue>,
    pub may_edit: bool,
    pub may_report: bool,
}

impl std::ops::Deref for ActionView {
    type Target = ActionData;

    fn deref(&self) -> &ActionData {
        &self.data
    }
}

/// The code of an action as it comes from a URL. A code with a control character or of more than
/// a code's length cannot exist, so it is not looked up (PostgreSQL refuses NUL in text).
fn lookup_code(code: &str) -> Result<&str, OpsError> {
    if has_control(code) || code.chars().count() > 20 {
        Err(OpsError::NotFound)
    } else {
        Ok(code)
    }
}

/// An action as the database holds it now: for forms and for answers to a write, which must
/// see the write this request made (the request's revision predates it).
pub async fn action(ctx: &Ctx, year: Jaar, code: &str) -> Result<ActionView, OpsError> {
    let code = lookup_code(code)?;
    let programme = programme_of_year(ctx, year).await?;
    let detail = ctx
        .store
        .action_by_code(ctx.org(), programme.id, code)
        .await?;
    let data = Arc::new(action_data(ctx, programme, detail).await?);
    view_of(ctx, data).await
}

/// An action from the read model, at the revision the request saw: for the action page, which
/// only shows it. An action the model does not list is looked up in the database as by
/// [`action`] (and is usually not found).
pub async fn action_cached(ctx: &Ctx, year: Jaar, code: &str) -> Result<ActionView, OpsError> {
    let code = lookup_code(code)?;
    let model = super::read_model::model(ctx).await?;
    let listed = model
        .programmes
        .iter()
        .find(|p| p.year == i64::from(year))
        .and_then(|p| {
            let list = model.actions.get(&p.id)?;
            let action = list.actions.iter().find(|a| a.code == code)?;
            Some((p, action.id))
        });
    let Some((programme, id)) = listed else {
        return action(ctx, year, code).await;
    };
    let data = super::read_model::action(ctx, &model, programme, id).await?;
    Ok(ActionView {
        may_edit: ctx.role().may_edit_plan(),
        may_report: ctx.role().may_report_progress(involved(ctx, &data.detail)),
        catalogue: model.catalogue.clone(),
        data,
    })
}

/// Everything the action page shows of `detail` besides the catalogue.
pub(crate) async fn action_data(
    ctx: &Ctx,
    programme: Programme,
    detail: ActionDetail,
) -> Result<ActionData, OpsError> {
    let progress = ctx.store.progress(ctx.org(), detail.action.id).await?;
    let history = ctx
        .store
        .audit_entries(
            ctx.org(),
            &AuditFilter {
                entity: Some("actie".into()),
                entity_id: Some(detail.action.id),
                ..Default::default()
            },
        )
        .await?;
    let lineage = super::carry_over::lineage(ctx, detail.action.id).await?;
    let evaluation = ctx
        .store
        .evaluation_record(ctx.org(), programme.id)
        .await?
        .actions
        .into_iter()
        .find(|e| e.action_id == detail.action.id);
    Ok(ActionData {
        detail,
        programme,
        progress,
        history,
        lineage,
        evaluation,
    })
}

async fn view_of(ctx: &Ctx, data: Arc<ActionData>) -> Result<ActionView, OpsError> {
    Ok(ActionView {
        may_edit: ctx.role().may_edit_plan(),
        may_report: ctx.role().may_report_progress(involved(ctx, &data.detail)),
        catalogue: Catalogue::shared(ctx).await?,
        data,
    })
}

/// Whether the user's subteam leads or contributes to the action.
fn involved(ctx: &Ctx, detail: &ActionDetail) -> bool {
    ctx.user.subteam_id.is_some_and(|subteam| {
        detail.action.lead_subteam_id == subteam
            || detail.contributing_subteam_ids.contains(&subteam)
    })
}

/// The actions of last year's programme, which an action of `year` can continue.
pub async fn previous_year_actions(ctx: &Ctx, year: Jaar) -> Result<Vec<ActionRow>, OpsError> {
    let Some(previous) = year.previous() else {
        return Ok(Vec::new());
    };
    match ctx.store.programme(ctx.org(), previous).await? {
        Some(programme) => Ok(ctx
            .store
            .actions(ctx.org(), programme.id, &ActionFilter::default())
            .await?),
        None => Ok(Vec::new()),
    }
}

/// The action form checked by the domain; when it refuses, the store's checks of the code and
/// the predecessor run too, so that every problem of the form is reported at once.
async fn validated(
    ctx: &Ctx,
    programme: &Programme,
    own_id: i64,
    input: &ActieInvoer,
) -> Result<koers_domain::ActieGegevens, OpsError> {
    match input.validate() {
        Ok(data) => Ok(data),
        Err(errors) => {
            let code = koers_domain::ActieCode::parse(&input.code).ok();
            let more = ctx
                .store
                .action_form_errors(
                    ctx.org(),
                    programme.id,
                    own_id,
                    code.as_ref().map(koers_domain::ActieCode::as_str),
                    koers_domain::action::parse_id(&input.predecessor_id),
                    koers_domain::Herkomst::from_code(&input.origin),
                )
                .await?;
            Err(super::plan::merged(errors, more).into())
        }
    }
}

/// Creates an action; returns its code.
pub async fn create_action(ctx: &Ctx, year: Jaar, input: &ActieInvoer) -> Result<String, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let programme = programme_of_year(ctx, year).await?;
    let data = validated(ctx, &programme, 0, input).await?;
    ctx.store
        .create_action(&ctx.actor(), programme.id, &data)
        .await?;
    Ok(data.code.to_string())
}

/// Saves an edited action read at `version`; returns its (possibly new) code.
pub async fn update_action(
    ctx: &Ctx,
    year: Jaar,
    code: &str,
    version: i64,
    input: &ActieInvoer,
) -> Result<String, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let code = lookup_code(code)?;
    let programme = programme_of_year(ctx, year).await?;
    let existing = ctx
        .store
        .action_by_code(ctx.org(), programme.id, code)
        .await?;
    let data = validated(ctx, &programme, existing.action.id, input).await?;
    ctx.store
        .update_action(&ctx.actor(), existing.action.id, version, &data)
        .await?;
    Ok(data.code.to_string())
}

pub async fn report_progress(
    ctx: &Ctx,
    year: Jaar,
    code: &str,
    input: &VoortgangInvoer,
) -> Result<(), OpsError> {
    report_progress_entry(ctx, year, code, input).await?;
    Ok(())
}

/// Like [`report_progress`], and hands back the stored entry: a report about an earlier date is
/// not the newest entry, so the caller cannot find it by position in the history.
pub async fn report_progress_entry(
    ctx: &Ctx,
    year: Jaar,
    code: &str,
    input: &VoortgangInvoer,
) -> Result<ProgressEntry, OpsError> {
    let code = lookup_code(code)?;
    let programme = programme_of_year(ctx, year).await?;
    let detail = ctx
        .store
        .action_by_code(ctx.org(), programme.id, code)
        .await?;
    ctx.require(ctx.role().may_report_progress(involved(ctx, &detail)))?;
    let progress = input.validate(ctx.today(), year)?;
    let id = ctx
        .store
        .add_progress(&ctx.actor(), detail.action.id, &progress)
        .await?;
    ctx.store
        .progress(ctx.org(), detail.action.id)
        .await?
        .into_iter()
        .find(|entry| entry.id == id)
        .ok_or(OpsError::NotFound)
}

/// The input of the edit form as the stored action, to prefill it.
pub fn input_of(detail: &ActionDetail) -> ActieInvoer {
    let a = &detail.action;
    let strings = |ids: &[i64]| ids.iter().map(i64::to_string).collect();
    ActieInvoer {
        code: a.code.clone(),
        title: a.title.clone(),
        description: a.description.clone(),
        intended_result: a.intended_result.clone(),
        theme_id: a.theme_id.to_string(),
        ambition_id: a.ambition_id.map(|id| id.to_string()).unwrap_or_default(),
        lead_subteam_id: a.lead_subteam_id.to_string(),
        contributing_subteam_ids: strings(&detail.contributing_subteam_ids),
        contributing_shares: detail
            .contributing_shares
            .iter()
            .map(|(id, percent)| (id.to_string(), percent.to_string()))
            .collect(),
        partner_ids: strings(&detail.partner_ids),
        opgave_ids: strings(&detail.opgave_ids),
        quarters: a.quarters.numbers().iter().map(u8::to_string).collect(),
        planned_hours: a.planned_hours.to_string(),
        priority: a.priority.code().to_string(),
        origin: a.origin.code().to_string(),
        predecessor_id: a
            .predecessor_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, parent: Option<i64>, code: &str, retired: bool) -> Item {
        Item {
            id,
            parent_id: parent,
            code: code.into(),
            name: format!("item {id}"),
            description: String::new(),
            position: id,
            retired,
            is_example: false,
            version: 1,
        }
    }

    #[test]
    fn the_default_year_is_the_one_that_runs_today() {
        assert_eq!(choose_default_year(&[2023, 2024, 2025], 2024), Some(2024));
        // Next year's new programme does not take over before it starts.
        assert_eq!(choose_default_year(&[2023, 2025], 2024), Some(2023));
        assert_eq!(choose_default_year(&[2022, 2023], 2026), Some(2023));
        assert_eq!(choose_default_year(&[2027, 2028], 2026), Some(2027));
        assert_eq!(choose_default_year(&[], 2026), None);
    }

    #[test]
    fn retired_themes_take_no_number() {
        let domains = [
            item(1, Some(9), "IV", false),
            item(2, Some(9), "VTH", false),
        ];
        let themes = [
            item(10, Some(1), "", false),
            item(11, Some(1), "", true),
            item(12, Some(1), "", false),
            item(20, Some(2), "", false),
        ];
        let numbered: Vec<(String, usize, i64)> = numbered_themes(&domains, &themes)
            .into_iter()
            .map(|(domain, n, t)| (domain, n, t.id))
            .collect();
        assert_eq!(
            numbered,
            vec![
                ("IV".into(), 1, 10),
                ("IV".into(), 1, 11),
                ("IV".into(), 2, 12),
                ("VTH".into(), 1, 20)
            ]
        );
    }
}
