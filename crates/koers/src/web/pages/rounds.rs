//! "Mijn acties" and the progress rounds of a programme (`/programma/{jaar}/rondes`).

use super::{
    dutch_date, dutch_time, parse_id, parse_year, redirect_with, render, render_with_status,
};
use crate::app::AppState;
use crate::ops::OpsError;
use crate::ops::actions::{self as actions_ops, Catalogue};
use crate::ops::rounds::{self as ops, MyActions, RoundView, percent};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use koers_docs::model::{Grafiek, GrafiekSoort, Kolom, Reeks, Tabel, Uitlijning};
use koers_domain::round::{Momenten, RondeInvoer, moment_date, moment_label};
use koers_domain::{FieldErrors, Jaar};
use koers_store::rounds::Round;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct YearQuery {
    jaar: Option<String>,
}

async fn year_or_default(current: &Current, jaar: Option<&str>) -> Result<Jaar, WebError> {
    match jaar.filter(|y| !y.is_empty()) {
        Some(y) => parse_year(y),
        None => Ok(actions_ops::default_year(&current.ctx).await?),
    }
}

/// One row of "Mijn acties".
pub struct MyRow {
    pub code: String,
    pub title: String,
    pub status_code: &'static str,
    pub status: &'static str,
    pub last: String,
    pub role: &'static str,
    /// Why it waits for a report, empty when it does not.
    pub waiting: String,
}

#[derive(Template)]
#[template(path = "my_actions.html")]
struct MyActionsPage {
    layout: Layout,
    year: i64,
    years: Vec<i64>,
    has_programme: bool,
    subteam: Option<String>,
    may_report: bool,
    /// The open round: (id, name, deadline in words, the next reminder in words).
    round: Option<(i64, String, String, String)>,
    waiting: Vec<MyRow>,
    others: Vec<MyRow>,
}

fn my_rows(view: &MyActions, waiting: bool) -> Vec<MyRow> {
    view.actions
        .iter()
        .filter(|a| a.waiting() == waiting)
        .map(|a| {
            let reason = match (a.reported, a.stale) {
                (Some(false), _) => "Nog geen melding in deze ronde".to_string(),
                (_, true) => format!("Langer dan {} dagen geen melding", ops::STALE_DAYS),
                _ => String::new(),
            };
            MyRow {
                code: a.action.code.clone(),
                title: a.action.title.clone(),
                status_code: a.action.status.code(),
                status: a.action.status.label(),
                last: a
                    .action
                    .last_progress_on
                    .map_or_else(|| "nog nooit".to_string(), dutch_date),
                role: if a.leads { "Trekker" } else { "Draagt bij" },
                waiting: reason,
            }
        })
        .collect()
}

/// The next reminder of a round on or after `today`, in words; empty when none is left.
fn next_reminder(round: &Round, today: chrono::NaiveDate) -> String {
    let moments = Momenten::from_storage(&round.reminder_days);
    moments
        .days()
        .iter()
        .map(|d| (*d, moment_date(round.deadline, *d)))
        .find(|(_, at)| *at >= today && *at >= round.opened_on)
        .map(|(d, at)| format!("{} ({})", dutch_date(at), moment_label(d)))
        .unwrap_or_default()
}

pub async fn my_actions(
    current: Current,
    Query(query): Query<YearQuery>,
) -> Result<Response, WebError> {
    let year = year_or_default(&current, query.jaar.as_deref()).await?;
    let view = ops::my_actions(&current.ctx, year).await?;
    let years = actions_ops::programmes(&current.ctx)
        .await?
        .iter()
        .map(|p| p.year)
        .collect();
    let today = current.ctx.today();
    let page = MyActionsPage {
        layout: Layout::new(&current, Section::MijnActies, format!("Mijn acties {year}"))
            .with_year(year.into()),
        year: year.into(),
        years,
        has_programme: view.programme.is_some(),
        subteam: view.subteam.as_ref().map(|(_, name)| name.clone()),
        may_report: view.may_report,
        round: view.open_round.as_ref().map(|r| {
            (
                r.id,
                r.name.clone(),
                dutch_date(r.deadline),
                next_reminder(r, today),
            )
        }),
        waiting: my_rows(&view, true),
        others: my_rows(&view, false),
    };
    render(&current, &page)
}

/// One round in the list.
pub struct RoundRow {
    pub id: i64,
    pub name: String,
    pub opened_on: String,
    pub deadline: String,
    pub closed_on: Option<String>,
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    layout: Layout,
    year: i64,
    rounds: Vec<RoundRow>,
    has_open: bool,
    may_manage: bool,
    input: RondeInvoer,
    errors: FieldErrors,
    name_hint: String,
}

async fn rounds_page(
    current: &Current,
    year: Jaar,
    input: RondeInvoer,
    errors: FieldErrors,
) -> Result<RoundsPage, WebError> {
    let (_, rounds) = ops::rounds(&current.ctx, year).await?;
    Ok(RoundsPage {
        layout: Layout::new(
            current,
            Section::Programma,
            format!("Voortgangsrondes {year}"),
        )
        .with_year(year.into()),
        year: year.into(),
        has_open: rounds.iter().any(|r| r.closed_on.is_none()),
        rounds: rounds
            .iter()
            .map(|r| RoundRow {
                id: r.id,
                name: r.name.clone(),
                opened_on: dutch_date(r.opened_on),
                deadline: dutch_date(r.deadline),
                closed_on: r.closed_on.map(dutch_date),
            })
            .collect(),
        may_manage: current.ctx.role().may_edit_plan(),
        input,
        errors,
        name_hint: format!("Bijvoorbeeld: Tweede kwartaal {year}"),
    })
}

pub async fn list(current: Current, Path(jaar): Path<String>) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let standard = Momenten::standard();
    let input = RondeInvoer {
        days_before: standard.before_text(),
        days_after: standard.after_text(),
        ..Default::default()
    };
    let page = rounds_page(&current, year, input, FieldErrors::default()).await?;
    render(&current, &page)
}

pub async fn open(
    current: Current,
    Path(jaar): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let form = FormData::parse(&body);
    let input = RondeInvoer {
        name: form.get("name"),
        deadline: form.get("deadline"),
        days_before: form.get("days_before"),
        days_after: form.get("days_after"),
    };
    match ops::open(&current.ctx, year, &input).await {
        Ok(id) => Ok(redirect_with(
            &format!("/programma/{year}/rondes/{id}"),
            "De ronde is geopend.",
        )),
        Err(OpsError::Invalid(errors)) => {
            let page = rounds_page(&current, year, input, errors).await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(OpsError::Refused(message)) => {
            let page =
                rounds_page(&current, year, input, FieldErrors::single("name", message)).await?;
            render_with_status(&current, &page, StatusCode::CONFLICT)
        }
        Err(other) => Err(other.into()),
    }
}

/// One action that has not reported yet.
pub struct MissingRow {
    pub code: String,
    pub title: String,
    pub lead: String,
    pub status: &'static str,
    pub last: String,
}

pub struct SubteamRow {
    pub name: String,
    pub needed: usize,
    pub reported: usize,
    pub percent: i64,
}

pub struct ReminderRow {
    pub moment: String,
    pub to: String,
    pub missing: i64,
    pub state: String,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    layout: Layout,
    year: i64,
    id: i64,
    name: String,
    opened_on: String,
    deadline: String,
    closed_on: Option<String>,
    version: i64,
    moments: String,
    next_reminder: String,
    mail: bool,
    needed: usize,
    reported: usize,
    percent: i64,
    subteams: Vec<SubteamRow>,
    chart: String,
    missing: Vec<MissingRow>,
    reminders: Vec<ReminderRow>,
    may_manage: bool,
    /// After a conflict on closing: what happened.
    conflict: Option<String>,
}

/// The chart of a round's progress: per lead subteam one bar of reported and missing actions.
pub fn round_chart(view: &RoundView) -> Grafiek {
    let names: Vec<String> = view.per_subteam.iter().map(|s| s.name.clone()).collect();
    let reported: Vec<i64> = view.per_subteam.iter().map(|s| s.reported as i64).collect();
    let missing: Vec<i64> = view
        .per_subteam
        .iter()
        .map(|s| (s.needed - s.reported) as i64)
        .collect();
    let words: Vec<String> = view
        .per_subteam
        .iter()
        .map(|s| format!("{}: {} van {} gemeld", s.name, s.reported, s.needed))
        .collect();
    Grafiek {
        decimalen: 0,
        titel: format!("Voortgang van de ronde {}", view.round.name),
        tekstalternatief: format!(
            "{} van de {} acties hebben in deze ronde voortgang gemeld. Per subteam: {}.",
            view.reported(),
            view.needed(),
            words.join("; ")
        ),
        soort: GrafiekSoort::Gestapeld,
        categorieen: names,
        reeksen: vec![
            Reeks {
                naam: "Gemeld".into(),
                kleur: "#1b7837".into(),
                waarden: reported,
            },
            Reeks {
                naam: "Nog niet gemeld".into(),
                kleur: "#d6604d".into(),
                waarden: missing,
            },
        ],
        eenheid: "acties".into(),
        tabel: Tabel {
            bijschrift: "Meldingen per trekkend subteam".into(),
            kolommen: ["Subteam", "Gemeld", "Nodig"]
                .iter()
                .map(|kop| Kolom {
                    kop: (*kop).into(),
                    uitlijning: if *kop == "Subteam" {
                        Uitlijning::Links
                    } else {
                        Uitlijning::Rechts
                    },
                    breedte: 1,
                })
                .collect(),
            rijen: view
                .per_subteam
                .iter()
                .map(|s| vec![s.name.clone(), s.reported.to_string(), s.needed.to_string()])
                .collect(),
            totaal: None,
        },
    }
}

fn reminder_state(r: &koers_store::rounds::Reminder) -> String {
    match (&r.sent_at, r.failure.is_empty()) {
        (Some(at), _) => format!("Verstuurd {}", dutch_time(*at)),
        (None, false) => format!("Niet verstuurd: {}", r.failure),
        (None, true) => format!(
            "Klaargezet {}, verzending niet bevestigd",
            dutch_time(r.claimed_at)
        ),
    }
}

async fn round_page(
    current: &Current,
    state: &AppState,
    year: Jaar,
    id: i64,
    conflict: Option<String>,
) -> Result<RoundPage, WebError> {
    let view = ops::round(&current.ctx, year, id).await?;
    let c: &Catalogue = &view.catalogue;
    let round = &view.round;
    Ok(RoundPage {
        layout: Layout::new(current, Section::Programma, round.name.clone()).with_year(year.into()),
        year: year.into(),
        id: round.id,
        name: round.name.clone(),
        opened_on: dutch_date(round.opened_on),
        deadline: dutch_date(round.deadline),
        closed_on: round.closed_on.map(dutch_date),
        version: round.version,
        moments: view.moments.label(),
        next_reminder: if round.closed_on.is_some() {
            String::new()
        } else {
            next_reminder(round, current.ctx.today())
        },
        mail: state.mailer.is_some(),
        needed: view.needed(),
        reported: view.reported(),
        percent: percent(view.reported(), view.needed()),
        subteams: view
            .per_subteam
            .iter()
            .map(|s| SubteamRow {
                name: s.name.clone(),
                needed: s.needed,
                reported: s.reported,
                percent: s.percent(),
            })
            .collect(),
        chart: round_chart(&view).svg_met_id("ronde-grafiek"),
        missing: view
            .missing()
            .map(|a| MissingRow {
                code: a.action.code.clone(),
                title: a.action.title.clone(),
                lead: Catalogue::name(&c.subteams, a.action.lead_subteam_id),
                status: a.action.status.label(),
                last: a
                    .action
                    .last_progress_on
                    .map_or_else(|| "nog nooit".to_string(), dutch_date),
            })
            .collect(),
        reminders: view
            .reminders
            .iter()
            .map(|r| ReminderRow {
                moment: moment_label(r.moment),
                to: r.user_name.clone(),
                missing: r.missing,
                state: reminder_state(r),
            })
            .collect(),
        may_manage: view.may_manage,
        conflict,
    })
}

pub async fn show(
    current: Current,
    State(state): State<AppState>,
    Path((jaar, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let id = parse_id(&id)?;
    let page = round_page(&current, &state, year, id, None).await?;
    render(&current, &page)
}

pub async fn close(
    current: Current,
    State(state): State<AppState>,
    Path((jaar, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let version = ops::parse_version(&form.get("version"))?;
    match ops::close(&current.ctx, year, id, version).await {
        Ok(()) => Ok(redirect_with(
            &format!("/programma/{year}/rondes/{id}"),
            "De ronde is gesloten.",
        )),
        Err(OpsError::Conflict { .. }) | Err(OpsError::Refused(_)) => {
            let page = round_page(
                &current,
                &state,
                year,
                id,
                Some("Iemand anders heeft deze ronde intussen gewijzigd. Hieronder staat de ronde zoals die nu is; sluit haar opnieuw als dat nog nodig is.".into()),
            )
            .await?;
            render_with_status(&current, &page, StatusCode::CONFLICT)
        }
        Err(other) => Err(other.into()),
    }
}
