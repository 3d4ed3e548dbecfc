//! The action page (fields, progress form and timeline, history) and the action form.

use super::{
    Choice, dutch_date, dutch_time, parse_year, redirect_with, redirect_with_warning, render,
    render_with_status, thousands,
};
use crate::ops::OpsError;
use crate::ops::actions::{self as ops, Catalogue};
use crate::ops::carry_over;
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{OriginalUri, Path};
use axum::http::StatusCode;
use axum::response::Response;
use koers_domain::{
    ActieInvoer, FieldErrors, Herkomst, Jaar, Kwartalen, Prioriteit, Status, VoortgangInvoer,
};
use koers_store::actions::ActionRow;
use koers_store::audit::AuditEntry;

pub struct TimelineEntry {
    pub date: String,
    pub status_code: String,
    pub status: &'static str,
    pub note: String,
    pub hours: i64,
    pub author: String,
}

/// One year of the action's lineage.
pub struct LineageEntry {
    pub year: i64,
    pub code: String,
    pub title: String,
    pub state_code: &'static str,
    /// The outcome when evaluated, otherwise the last progress status.
    pub state: String,
    pub current: bool,
}

/// The chain with each year's end state: the outcome once evaluated; an action continued next
/// year without an evaluation went over (its last progress status is history, not its state).
fn lineage(view: &ops::ActionView) -> Vec<LineageEntry> {
    let steps = &view.lineage;
    steps
        .iter()
        .enumerate()
        .map(|(i, step)| {
            let next = steps.get(i + 1);
            let (state_code, state) = match (step.outcome, next) {
                (Some(outcome), _) => (outcome.code(), format!("{} (eindstand)", outcome.label())),
                (None, Some(next)) => {
                    ("doorgeschoven", format!("Doorgeschoven naar {}", next.year))
                }
                (None, None) => (step.status.code(), step.status.label().to_string()),
            };
            LineageEntry {
                year: step.year,
                code: step.code.clone(),
                title: step.title.clone(),
                state_code,
                state,
                current: step.id == view.detail.action.id,
            }
        })
        .collect()
}

pub struct HistoryEntry {
    pub at: String,
    pub who: String,
    pub summary: String,
}

fn history(entries: &[AuditEntry]) -> Vec<HistoryEntry> {
    entries
        .iter()
        .map(|e| HistoryEntry {
            at: dutch_time(e.occurred_at),
            who: e.user_name.clone(),
            summary: e.summary.clone(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "action.html")]
struct ActionPage {
    layout: Layout,
    year: i64,
    code: String,
    title: String,
    theme: String,
    ambition: String,
    description: String,
    intended_result: String,
    lead: String,
    contributors: Vec<String>,
    partners: Vec<String>,
    opgaven: Vec<String>,
    quarters: String,
    planned_hours: String,
    hours_spent: String,
    priority: &'static str,
    origin: &'static str,
    /// The state shown under the title: the end state once the year is closed for this action
    /// (its outcome, or where it went), otherwise the last progress status.
    status_code: String,
    status: String,
    /// The last progress status, when `status` shows an end state instead.
    last_progress: Option<&'static str>,
    predecessor: Option<(i64, String)>,
    successors: Vec<(i64, String)>,
    /// How the year ended: (code, label, reason), once evaluated.
    outcome: Option<(&'static str, &'static str, String)>,
    lineage: Vec<LineageEntry>,
    timeline: Vec<TimelineEntry>,
    history: Vec<HistoryEntry>,
    may_edit: bool,
    may_report: bool,
    /// Why this user has no progress form here, in words.
    no_report_reason: Option<String>,
    progress: VoortgangInvoer,
    statuses: Vec<Choice>,
    errors: FieldErrors,
}

fn names(items: &[koers_store::catalog::Item], ids: &[i64]) -> Vec<String> {
    ids.iter().map(|id| Catalogue::name(items, *id)).collect()
}

/// "Toezicht & Handhaving (25% van de uren)", or only the name when the subteam takes no share.
fn contributor_label(name: String, share: Option<&str>) -> String {
    match share.map(str::trim).filter(|p| !p.is_empty() && *p != "0") {
        Some(percent) => format!(
            "{name} ({}% van de uren)",
            percent.trim_end_matches('%').trim()
        ),
        None => name,
    }
}

async fn action_page(
    current: &Current,
    year: Jaar,
    code: &str,
    progress: VoortgangInvoer,
    errors: FieldErrors,
) -> Result<ActionPage, WebError> {
    let view = ops::action_cached(&current.ctx, year, code).await?;
    let a = &view.detail.action;
    let c = &view.catalogue;
    let selected_status = if progress.status.is_empty() {
        a.status.code().to_string()
    } else {
        progress.status.clone()
    };
    let (status_code, status, last_progress) =
        match (&view.evaluation, view.detail.successors.first()) {
            (Some(e), _) => (
                e.outcome.code().to_string(),
                format!("Eindstand {year}: {}", e.outcome.label()),
                Some(a.status.label()),
            ),
            (None, Some((next_year, _))) => (
                "doorgeschoven".to_string(),
                format!("Doorgeschoven naar {next_year}"),
                Some(a.status.label()),
            ),
            (None, None) => (
                a.status.code().to_string(),
                a.status.label().to_string(),
                None,
            ),
        };
    Ok(ActionPage {
        layout: Layout::new(
            current,
            Section::Programma,
            format!("{} {}", a.code, a.title),
        )
        .with_year(year.into()),
        year: year.into(),
        code: a.code.clone(),
        title: a.title.clone(),
        theme: c.theme_label(a.theme_id),
        ambition: a
            .ambition_id
            .map(|id| Catalogue::name(&c.ambitions, id))
            .unwrap_or_default(),
        description: a.description.clone(),
        intended_result: a.intended_result.clone(),
        lead: Catalogue::name(&c.subteams, a.lead_subteam_id),
        contributors: view
            .detail
            .contributing_subteam_ids
            .iter()
            .map(|id| {
                let share = view
                    .detail
                    .contributing_shares
                    .iter()
                    .find(|(s, _)| s == id);
                contributor_label(
                    Catalogue::name(&c.subteams, *id),
                    share.map(|(_, p)| p.to_string()).as_deref(),
                )
            })
            .collect(),
        partners: names(&c.partners, &view.detail.partner_ids),
        opgaven: names(&c.opgaven, &view.detail.opgave_ids),
        quarters: a.quarters.label(),
        planned_hours: thousands(a.planned_hours),
        hours_spent: thousands(a.hours_spent),
        priority: a.priority.label(),
        origin: a.origin.label(),
        status_code,
        status,
        last_progress,
        predecessor: view.detail.predecessor.clone(),
        successors: view.detail.successors.clone(),
        outcome: view
            .evaluation
            .as_ref()
            .map(|e| (e.outcome.code(), e.outcome.label(), e.reason.clone())),
        lineage: lineage(&view),
        timeline: view
            .progress
            .iter()
            .map(|p| TimelineEntry {
                date: dutch_date(p.entry_date),
                status_code: p.status.code().to_string(),
                status: p.status.label(),
                note: p.note.clone(),
                hours: p.hours_spent,
                author: p.author_name.clone(),
            })
            .collect(),
        history: history(&view.history),
        may_edit: view.may_edit,
        may_report: view.may_report,
        no_report_reason: crate::ops::rounds::why_no_report(
            &current.ctx,
            &Catalogue::name(&c.subteams, a.lead_subteam_id),
            view.may_report,
        ),
        statuses: Status::ALL
            .iter()
            .map(|s| Choice {
                value: s.code().into(),
                label: s.label().into(),
                selected: s.code() == selected_status,
            })
            .collect(),
        progress: if progress.entry_date.is_empty() {
            VoortgangInvoer {
                // Today, or the last day a report for this year may carry.
                entry_date: current
                    .ctx
                    .today()
                    .min(koers_domain::progress::date_window(year).1)
                    .format("%Y-%m-%d")
                    .to_string(),
                ..progress
            }
        } else {
            progress
        },
        errors,
    })
}

pub async fn page(
    current: Current,
    OriginalUri(uri): OriginalUri,
    Path((jaar, code)): Path<(String, String)>,
) -> Result<Response, WebError> {
    super::kept(&current, &uri, async || {
        let year = parse_year(&jaar)?;
        let page = action_page(
            &current,
            year,
            &code,
            VoortgangInvoer::default(),
            FieldErrors::default(),
        )
        .await?;
        render(&current, &page)
    })
    .await
}

pub async fn progress(
    current: Current,
    Path((jaar, code)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let form = FormData::parse(&body);
    let input = VoortgangInvoer {
        status: form.get("status"),
        note: form.get("note"),
        hours_spent: form.get("hours_spent"),
        entry_date: form.get("entry_date"),
    };
    match ops::report_progress(&current.ctx, year, &code, &input).await {
        Ok(()) => Ok(redirect_with(
            &format!("/programma/{year}/acties/{code}#voortgang"),
            "De voortgang is opgeslagen.",
        )),
        Err(OpsError::Invalid(errors)) => {
            let page = action_page(&current, year, &code, input, errors).await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

/// One field of the other person's version next to what this user typed, after a conflict.
pub struct Difference {
    pub field: &'static str,
    pub theirs: String,
    pub yours: String,
}

#[derive(Template)]
#[template(path = "action_form.html")]
struct ActionForm {
    layout: Layout,
    year: i64,
    /// The code in the URL when editing; `None` for a new action.
    editing: Option<String>,
    input: ActieInvoer,
    errors: FieldErrors,
    version: i64,
    themes: Vec<Choice>,
    ambitions: Vec<(String, Vec<Choice>)>,
    subteams: Vec<Choice>,
    /// The subteams that can contribute, each with the share typed for it.
    contributors: Vec<(Choice, String)>,
    partners: Vec<Choice>,
    opgaven: Vec<Choice>,
    quarters: Vec<Choice>,
    priorities: Vec<Choice>,
    origins: Vec<Choice>,
    /// Last year's actions this one can continue.
    predecessors: Vec<Choice>,
    previous_year: i64,
    /// Whether Koers holds a programme of the previous year.
    previous_programme: bool,
    conflict: Option<Vec<Difference>>,
    conflict_by: String,
    /// The subteams already short of hours in this year, in words.
    shortages: Vec<String>,
}

/// Choices from catalogue items: active items, plus retired ones that are already chosen.
fn item_choices(items: &[koers_store::catalog::Item], chosen: &[String]) -> Vec<Choice> {
    items
        .iter()
        .filter(|i| !i.retired || chosen.contains(&i.id.to_string()))
        .map(|i| Choice {
            value: i.id.to_string(),
            label: i.name.clone(),
            selected: chosen.contains(&i.id.to_string()),
        })
        .collect()
}

async fn action_form(
    current: &Current,
    year: Jaar,
    editing: Option<String>,
    input: ActieInvoer,
    errors: FieldErrors,
    version: i64,
) -> Result<ActionForm, WebError> {
    let catalogue = Catalogue::load(&current.ctx).await?;
    let shortages = crate::ops::vth::shortages(
        &crate::ops::vth::year_fresh(&current.ctx, year).await?,
        &catalogue.subteams,
    );
    let one = |v: &String| vec![v.clone()];
    let predecessors = Choice::list(
        carry_over::predecessor_choices(&current.ctx, year, editing.as_deref())
            .await?
            .iter()
            .map(|c| (c.id.to_string(), carry_over::choice_label(c))),
        &one(&input.predecessor_id),
    );
    let previous_programme = match year.previous() {
        Some(previous) => ops::programme_of_year(&current.ctx, previous).await.is_ok(),
        None => false,
    };
    let themes = catalogue
        .numbered_themes()
        .into_iter()
        .filter(|(_, _, t)| !t.retired || t.id.to_string() == input.theme_id)
        .map(|(_, _, t)| Choice {
            value: t.id.to_string(),
            label: catalogue.theme_label(t.id),
            selected: t.id.to_string() == input.theme_id,
        })
        .collect();
    let ambitions = catalogue
        .numbered_themes()
        .into_iter()
        .map(|(_, _, t)| {
            let of_theme: Vec<_> = catalogue
                .ambitions
                .iter()
                .filter(|a| a.parent_id == Some(t.id))
                .cloned()
                .collect();
            (
                catalogue.theme_label(t.id),
                item_choices(&of_theme, &one(&input.ambition_id)),
            )
        })
        .filter(|(_, choices)| !choices.is_empty())
        .collect();
    let title = match &editing {
        Some(code) => format!("Actie {code} bewerken"),
        None => format!("Nieuwe actie voor {year}"),
    };
    Ok(ActionForm {
        layout: Layout::new(current, Section::Programma, title).with_year(year.into()),
        year: year.into(),
        editing,
        themes,
        ambitions,
        subteams: item_choices(&catalogue.subteams, &one(&input.lead_subteam_id)),
        contributors: item_choices(&catalogue.subteams, &input.contributing_subteam_ids)
            .into_iter()
            .map(|choice| {
                let share = typed_share(&input, &choice.value);
                (choice, share)
            })
            .collect(),
        partners: item_choices(&catalogue.partners, &input.partner_ids),
        opgaven: item_choices(&catalogue.opgaven, &input.opgave_ids),
        quarters: (1..=4)
            .map(|q| Choice {
                value: q.to_string(),
                label: format!("Kwartaal {q}"),
                selected: input.quarters.contains(&q.to_string()),
            })
            .collect(),
        priorities: Prioriteit::ALL
            .iter()
            .map(|p| Choice {
                value: p.code().into(),
                label: p.label().into(),
                selected: p.code() == input.priority,
            })
            .collect(),
        origins: Herkomst::ALL
            .iter()
            .map(|h| Choice {
                value: h.code().into(),
                label: h.label().into(),
                selected: h.code() == input.origin,
            })
            .collect(),
        predecessors,
        previous_year: i64::from(year) - 1,
        previous_programme,
        input,
        errors,
        version,
        conflict: None,
        conflict_by: String::new(),
        shortages,
    })
}

/// The form names a subteam's share field after the subteam: `aandeel_<id>`.
const SHARE_FIELD: &str = "aandeel_";

fn typed_share(input: &ActieInvoer, subteam: &str) -> String {
    input
        .contributing_shares
        .iter()
        .find(|(id, _)| id == subteam)
        .map(|(_, percent)| percent.clone())
        .unwrap_or_default()
}

fn input_of(form: &FormData) -> ActieInvoer {
    ActieInvoer {
        code: form.get("code"),
        title: form.get("title"),
        description: form.get("description"),
        intended_result: form.get("intended_result"),
        theme_id: form.get("theme_id"),
        ambition_id: form.get("ambition_id"),
        lead_subteam_id: form.get("lead_subteam_id"),
        contributing_subteam_ids: form.all("contributing_subteam_ids"),
        contributing_shares: form
            .pairs()
            .iter()
            .filter_map(|(name, value)| {
                let id = name.strip_prefix(SHARE_FIELD)?;
                (!value.trim().is_empty()).then(|| (id.to_string(), value.clone()))
            })
            .collect(),
        partner_ids: form.all("partner_ids"),
        opgave_ids: form.all("opgave_ids"),
        quarters: form.all("quarters"),
        planned_hours: form.get("planned_hours"),
        priority: form.get("priority"),
        origin: form.get("origin"),
        predecessor_id: form.get("predecessor_id"),
    }
}

pub async fn new_form(current: Current, Path(jaar): Path<String>) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    ops::programme_of_year(&current.ctx, year).await?;
    let input = ActieInvoer {
        priority: "middel".into(),
        origin: "nieuw_evaluatie".into(),
        ..Default::default()
    };
    let page = action_form(&current, year, None, input, FieldErrors::default(), 0).await?;
    render(&current, &page)
}

/// The redirect after saving an action: the confirmation, and a warning in its own box when a
/// subteam the action involves is now short of hours in its year (the save goes through: a
/// warning, not a refusal).
async fn redirect_after_save(
    current: &Current,
    year: Jaar,
    code: &str,
    saved: &str,
) -> Result<Response, WebError> {
    let warning = crate::ops::vth::warning_after_action(&current.ctx, year, code).await?;
    Ok(redirect_with_warning(
        &format!("/programma/{year}/acties/{code}"),
        saved,
        warning.as_deref(),
    ))
}

pub async fn create(
    current: Current,
    Path(jaar): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let input = input_of(&FormData::parse(&body));
    match ops::create_action(&current.ctx, year, &input).await {
        Ok(code) => {
            redirect_after_save(
                &current,
                year,
                &code,
                &format!("Actie {code} is toegevoegd."),
            )
            .await
        }
        Err(OpsError::Invalid(errors)) => {
            let page = action_form(&current, year, None, input, errors, 0).await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_form(
    current: Current,
    Path((jaar, code)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    let view = ops::action(&current.ctx, year, &code).await?;
    let input = ops::input_of(&view.detail);
    let page = action_form(
        &current,
        year,
        Some(code),
        input,
        FieldErrors::default(),
        view.detail.action.version,
    )
    .await?;
    render(&current, &page)
}

pub async fn edit_submit(
    current: Current,
    Path((jaar, code)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let form = FormData::parse(&body);
    let input = input_of(&form);
    let version = form.version();
    match ops::update_action(&current.ctx, year, &code, version, &input).await {
        Ok(new_code) => {
            redirect_after_save(&current, year, &new_code, "De actie is opgeslagen.").await
        }
        Err(OpsError::Invalid(errors)) => {
            let page = action_form(&current, year, Some(code), input, errors, version).await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(OpsError::Conflict { .. }) => {
            // Show what the other person saved next to what this user typed; the form keeps the
            // user's input and now carries the current version, so saving again is a decision
            // taken with the other change in view.
            let view = ops::action(&current.ctx, year, &code).await?;
            let theirs = ops::input_of(&view.detail);
            let catalogue = Catalogue::load(&current.ctx).await?;
            // The newest change to the action's fields, not a progress report that came after.
            let conflict_by = view
                .history
                .iter()
                .find(|e| matches!(e.operation.as_str(), "wijzigen" | "aanmaken"))
                .map(|e| format!("{} ({})", e.user_name, dutch_time(e.occurred_at)))
                .unwrap_or_default();
            let mut page = action_form(
                &current,
                year,
                Some(code),
                input.clone(),
                FieldErrors::default(),
                view.detail.action.version,
            )
            .await?;
            let previous = ops::previous_year_actions(&current.ctx, year).await?;
            page.conflict = Some(differences(&catalogue, &previous, &theirs, &input));
            page.conflict_by = conflict_by;
            render_with_status(&current, &page, StatusCode::CONFLICT)
        }
        Err(other) => Err(other.into()),
    }
}

fn differences(
    catalogue: &Catalogue,
    previous: &[ActionRow],
    theirs: &ActieInvoer,
    yours: &ActieInvoer,
) -> Vec<Difference> {
    readable(catalogue, previous, theirs)
        .into_iter()
        .zip(readable(catalogue, previous, yours))
        .filter(|((_, a), (_, b))| a.trim() != b.trim())
        .map(|((field, theirs), (_, yours))| Difference {
            field,
            theirs,
            yours,
        })
        .collect()
}

/// The fields of an action's input as a reader sees them: names instead of ids, labels
/// instead of codes.
fn readable(
    catalogue: &Catalogue,
    previous: &[ActionRow],
    input: &ActieInvoer,
) -> Vec<(&'static str, String)> {
    let names = |items: &[koers_store::catalog::Item], ids: &[String]| {
        ids.iter()
            .filter_map(|id| id.parse().ok())
            .map(|id| Catalogue::name(items, id))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let one = |id: &String| std::slice::from_ref(id).to_vec();
    let quarters: Vec<u8> = input
        .quarters
        .iter()
        .filter_map(|q| q.parse().ok())
        .collect();
    vec![
        ("Code", input.code.clone()),
        ("Titel", input.title.clone()),
        ("Beschrijving", input.description.clone()),
        ("Beoogd resultaat", input.intended_result.clone()),
        (
            "Thema",
            input
                .theme_id
                .parse()
                .map(|id| catalogue.theme_label(id))
                .unwrap_or_default(),
        ),
        (
            "Ambitie",
            names(&catalogue.ambitions, &one(&input.ambition_id)),
        ),
        (
            "Trekker (subteam)",
            names(&catalogue.subteams, &one(&input.lead_subteam_id)),
        ),
        (
            "Bijdragende subteams",
            input
                .contributing_subteam_ids
                .iter()
                .filter_map(|id| {
                    let name = Catalogue::name(&catalogue.subteams, id.parse().ok()?);
                    Some(contributor_label(name, Some(&typed_share(input, id))))
                })
                .collect::<Vec<_>>()
                .join(", "),
        ),
        (
            "Externe partners",
            names(&catalogue.partners, &input.partner_ids),
        ),
        ("Opgaven", names(&catalogue.opgaven, &input.opgave_ids)),
        (
            "Kwartalen",
            Kwartalen::from_numbers(quarters)
                .map(Kwartalen::label)
                .unwrap_or_default(),
        ),
        ("Geplande uren", input.planned_hours.clone()),
        (
            "Prioriteit",
            Prioriteit::from_code(&input.priority)
                .map_or("", Prioriteit::label)
                .to_string(),
        ),
        (
            "Herkomst",
            Herkomst::from_code(&input.origin)
                .map_or("", Herkomst::label)
                .to_string(),
        ),
        (
            "Voortzetting van",
            previous
                .iter()
                .find(|a| a.id.to_string() == input.predecessor_id)
                .map(|a| format!("{} {}", a.code, a.title))
                .unwrap_or_default(),
        ),
    ]
}
