//! VTH task fields, their figures per year and the capacity per subteam (F9).
//!
//! Beleidsadviseurs and beheerders edit task fields and plan volumes; a teamlid enters the
//! realisation of the task fields their own subteam leads (like progress on actions); lezers
//! read. The capacity settings are the beheerder's. Pages that only show read through the
//! read model ([`year_cached`]); forms and the warning after a write read the database
//! ([`year_fresh`]).

use super::plan::ItemChange;
use super::{Ctx, OpsError};
use koers_domain::capacity::{ActieUren, Capaciteit, Instellingen, TaakveldUren, split};
use koers_domain::vth::{Jaarcijfers, JaarcijfersInvoer, TaakveldInvoer, planned_hundredths};
use koers_domain::{Fte, Jaar};
use koers_store::actions::{ActionFilter, ActionRow};
use koers_store::catalog::Direction;
use koers_store::programmes::Programme;
use koers_store::vth::{CapacitySettings, TaskField, TaskFieldYear};
use std::sync::Arc;

/// Everything about one year that the task-field and capacity pages show.
pub struct VthYear {
    pub year: Jaar,
    pub settings: CapacitySettings,
    pub task_fields: Vec<TaskField>,
    pub figures: Vec<TaskFieldYear>,
    /// FTE per subteam in this year.
    pub fte: Vec<(i64, Fte)>,
    pub programme: Option<Programme>,
    pub actions: Vec<ActionRow>,
    /// (action, subteam, percent) of the contributing subteams with a share.
    pub shares: Vec<(i64, i64, i64)>,
}

impl VthYear {
    pub fn figures_of(&self, task_field_id: i64) -> Option<&TaskFieldYear> {
        self.figures
            .iter()
            .find(|f| f.task_field_id == task_field_id)
    }

    /// Planned hours of a task field in this year, in hundredths (0 without figures).
    pub fn planned_hundredths(&self, field: &TaskField) -> i64 {
        self.figures_of(field.id).map_or(0, |f| {
            planned_hundredths(f.figures().planned_volume, field.norm())
        })
    }

    /// The task fields shown for this year: those in use, and retired ones that have figures.
    pub fn shown_fields(&self) -> impl Iterator<Item = &TaskField> {
        self.task_fields
            .iter()
            .filter(|f| !f.retired || self.figures_of(f.id).is_some())
    }

    pub fn shares_of(&self, action_id: i64) -> Vec<(i64, i64)> {
        self.shares
            .iter()
            .filter(|(a, _, _)| *a == action_id)
            .map(|(_, s, p)| (*s, *p))
            .collect()
    }

    pub fn capacity(&self) -> Capaciteit {
        let task_fields: Vec<TaakveldUren> = self
            .task_fields
            .iter()
            .filter_map(|field| {
                let figures = self.figures_of(field.id)?.figures();
                Some(TaakveldUren {
                    lead_subteam_id: field.lead_subteam_id,
                    planned_hundredths: planned_hundredths(figures.planned_volume, field.norm()),
                    realised_hours: figures.realised_hours_total(),
                })
            })
            .collect();
        let actions: Vec<ActieUren> = self
            .actions
            .iter()
            .map(|a| ActieUren {
                theme_id: a.theme_id,
                lead_subteam_id: a.lead_subteam_id,
                shares: self.shares_of(a.id),
                planned: koers_domain::Uren::new(a.planned_hours).unwrap_or_default(),
                spent: a.hours_spent.max(0),
            })
            .collect();
        Capaciteit::of(self.settings.settings, &self.fte, &task_fields, &actions)
    }
}

/// The year from the database, for forms and for answers to a write.
pub async fn year_fresh(ctx: &Ctx, year: Jaar) -> Result<VthYear, OpsError> {
    let store = &ctx.store;
    let programme = store.programme(ctx.org(), year).await?;
    let (actions, shares) = match &programme {
        Some(p) => (
            store
                .actions(ctx.org(), p.id, &ActionFilter::default())
                .await?,
            store.action_shares(ctx.org(), p.id).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let fte = store
        .capacity(ctx.org())
        .await?
        .into_iter()
        .filter(|(_, y, _)| *y == i64::from(year))
        .map(|(s, _, f)| (s, f))
        .collect();
    Ok(VthYear {
        year,
        settings: store.capacity_settings(ctx.org()).await?,
        task_fields: store.task_fields(ctx.org()).await?,
        figures: store.task_field_years(ctx.org(), year.into()).await?,
        fte,
        programme,
        actions,
        shares,
    })
}

/// The year from the read model, at the revision the request saw: for pages that only show.
pub async fn year_cached(ctx: &Ctx, year: Jaar) -> Result<Arc<VthYear>, OpsError> {
    super::read_model::loaded(ctx, "vth", year.into(), || year_fresh(ctx, year)).await
}

/// The organisation's task fields as stored now; every role may read them.
pub async fn task_fields(ctx: &Ctx) -> Result<Vec<TaskField>, OpsError> {
    Ok(ctx.store.task_fields(ctx.org()).await?)
}

pub async fn task_field(ctx: &Ctx, id: i64) -> Result<TaskField, OpsError> {
    Ok(ctx.store.task_field(ctx.org(), id).await?)
}

pub async fn create_task_field(ctx: &Ctx, input: &TaakveldInvoer) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let data = input.validate()?;
    Ok(ctx.store.create_task_field(&ctx.actor(), &data).await?)
}

pub async fn update_task_field(
    ctx: &Ctx,
    id: i64,
    version: i64,
    input: &TaakveldInvoer,
) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let data = input.validate()?;
    Ok(ctx
        .store
        .update_task_field(&ctx.actor(), id, version, &data)
        .await?)
}

/// Order, retire or restore a task field. A task field is never deleted: year figures and
/// risk analyses keep referring to it.
pub async fn change_task_field(ctx: &Ctx, id: i64, change: ItemChange) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let actor = ctx.actor();
    let store = &ctx.store;
    match change {
        ItemChange::Up => store.move_task_field(&actor, id, Direction::Up).await?,
        ItemChange::Down => store.move_task_field(&actor, id, Direction::Down).await?,
        ItemChange::Retire => store.set_task_field_retired(&actor, id, true).await?,
        ItemChange::Restore => store.set_task_field_retired(&actor, id, false).await?,
        ItemChange::Delete => return Err(OpsError::NotFound),
    }
    Ok(())
}

/// What the user may change in the figures of `field`: the plan (planned volume) and the
/// realisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRights {
    pub plan: bool,
    pub realisation: bool,
}

pub fn rights(ctx: &Ctx, field: &TaskField) -> YearRights {
    let own = ctx.user.subteam_id == Some(field.lead_subteam_id);
    YearRights {
        plan: ctx.role().may_edit_plan(),
        realisation: ctx.role().may_report_progress(own),
    }
}

/// Saves the figures of a task field in a year, read at `version` (0: none yet). A teamlid
/// changes only the realisation: the planned volume stays as stored. Returns the new version.
pub async fn save_year(
    ctx: &Ctx,
    year: Jaar,
    task_field_id: i64,
    version: i64,
    input: &JaarcijfersInvoer,
) -> Result<i64, OpsError> {
    let field = task_field(ctx, task_field_id).await?;
    let rights = rights(ctx, &field);
    ctx.require(rights.plan || rights.realisation)?;
    let mut figures: Jaarcijfers = input.validate()?;
    if !rights.plan {
        let stored = ctx
            .store
            .task_field_years(ctx.org(), year.into())
            .await?
            .into_iter()
            .find(|y| y.task_field_id == task_field_id)
            .map(|y| y.figures())
            .unwrap_or_default();
        figures.planned_volume = stored.planned_volume;
    }
    if field.retired && version == 0 {
        return Err(OpsError::Refused(format!(
            "Het taakveld '{}' is ingetrokken; er kunnen geen nieuwe jaarcijfers bij.",
            field.name
        )));
    }
    Ok(ctx
        .store
        .save_task_field_year(&ctx.actor(), task_field_id, year.into(), version, &figures)
        .await?)
}

/// The figures of a task field in a year as they are stored now, with their version (0: none).
pub async fn year_figures(
    ctx: &Ctx,
    year: Jaar,
    task_field_id: i64,
) -> Result<(TaskField, Option<TaskFieldYear>), OpsError> {
    let field = task_field(ctx, task_field_id).await?;
    let figures = ctx
        .store
        .task_field_years(ctx.org(), year.into())
        .await?
        .into_iter()
        .find(|y| y.task_field_id == task_field_id);
    Ok((field, figures))
}

/// The input of the figures form as stored, to prefill it.
pub fn input_of(figures: Option<&TaskFieldYear>) -> JaarcijfersInvoer {
    let Some(f) = figures else {
        return JaarcijfersInvoer::default();
    };
    let text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    JaarcijfersInvoer {
        planned_volume: f.planned_volume.to_string(),
        realised_volume: [
            text(f.realised_volume_q1),
            text(f.realised_volume_q2),
            text(f.realised_volume_q3),
            text(f.realised_volume_q4),
        ],
        realised_hours: [
            text(f.realised_hours_q1),
            text(f.realised_hours_q2),
            text(f.realised_hours_q3),
            text(f.realised_hours_q4),
        ],
        decided: text(f.decided),
        decided_in_term: text(f.decided_in_term),
    }
}

pub async fn settings(ctx: &Ctx) -> Result<CapacitySettings, OpsError> {
    Ok(ctx.store.capacity_settings(ctx.org()).await?)
}

/// Saves the capacity settings (beheerder); returns the new version.
pub async fn save_settings(
    ctx: &Ctx,
    version: i64,
    hours: &str,
    overhead: &str,
) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_administer())?;
    let settings = Instellingen::parse(hours, overhead)?;
    Ok(ctx
        .store
        .save_capacity_settings(&ctx.actor(), version, settings)
        .await?)
}

/// The subteams short of hours in `year`, in words: "Handhaving komt 120 uur tekort".
/// Hundredths of hours as whole hours in Dutch notation: "10.300".
fn hours_nl(hundredths: i64) -> String {
    koers_domain::nl::duizendtallen(koers_domain::vth::whole_hours(hundredths))
}

pub fn shortages(year: &VthYear, subteams: &[koers_store::catalog::Item]) -> Vec<String> {
    year.capacity()
        .short()
        .into_iter()
        .map(|(id, line)| {
            let name = super::actions::Catalogue::name(subteams, id);
            format!(
                "{name} komt in {} {} uur tekort (vraag {} uur, beschikbaar {} uur).",
                year.year,
                hours_nl(-line.balance()),
                hours_nl(line.demand()),
                hours_nl(line.available)
            )
        })
        .collect()
}

/// After saving an action: the subteams it involves that are now short of hours in its year,
/// read from the database (the request's read model predates the save).
pub async fn warning_after_action(
    ctx: &Ctx,
    year: Jaar,
    code: &str,
) -> Result<Option<String>, OpsError> {
    let fresh = year_fresh(ctx, year).await?;
    let Some(action) = fresh.actions.iter().find(|a| a.code == code) else {
        return Ok(None);
    };
    let involved: Vec<i64> = split(
        action.planned_hours,
        action.lead_subteam_id,
        &fresh.shares_of(action.id),
    )
    .into_iter()
    .filter(|(_, hours)| *hours > 0)
    .map(|(s, _)| s)
    .collect();
    let capacity = fresh.capacity();
    let subteams = ctx
        .store
        .items(ctx.org(), koers_store::catalog::Kind::Subteam)
        .await?;
    let short: Vec<String> = capacity
        .short()
        .into_iter()
        .filter(|(id, _)| involved.contains(id))
        .map(|(id, line)| {
            format!(
                "{} komt hiermee {} uur tekort",
                super::actions::Catalogue::name(&subteams, id),
                hours_nl(-line.balance())
            )
        })
        .collect();
    Ok((!short.is_empty()).then(|| {
        format!(
            "Let op: {} in {year}. Bekijk de capaciteit per subteam.",
            short.join(" en ")
        )
    }))
}
