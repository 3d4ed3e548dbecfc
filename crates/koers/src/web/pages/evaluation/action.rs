//! Evaluating one action: its plan, its progress, the outcome form and the hours correction.

use super::percent;
use crate::ops::OpsError;
use crate::ops::evaluation as ops;
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::pages::{
    dutch_date, dutch_time, parse_year, redirect_with, render_with_status, thousands,
};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use koers_domain::evaluation_forms::UrenCorrectieInvoer;
use koers_domain::{ActieEvaluatieInvoer, FieldErrors, Jaar, Uitkomst};
pub struct ProgressLine {
    pub date: String,
    pub status_code: &'static str,
    pub status: &'static str,
    pub hours: i64,
    pub note: String,
    pub author: String,
}

pub struct OutcomeChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
    pub suggested: bool,
    pub needs_reason: bool,
}

#[derive(Template)]
#[template(path = "evaluation_action.html")]
struct ActionPage {
    layout: Layout,
    year: i64,
    code: String,
    title: String,
    theme: String,
    lead: String,
    intended_result: String,
    planned: String,
    spent: String,
    spent_percent: String,
    status_code: &'static str,
    status: &'static str,
    suggestion: &'static str,
    progress: Vec<ProgressLine>,
    evaluated_by: Option<String>,
    read_only: Option<&'static str>,
    may_edit: bool,
    outcomes: Vec<OutcomeChoice>,
    input: ActieEvaluatieInvoer,
    version: i64,
    errors: FieldErrors,
    conflict: Option<String>,
    correction: UrenCorrectieInvoer,
    correction_errors: FieldErrors,
    evaluated: u32,
    total: u32,
}

async fn action_page(
    current: &Current,
    year: Jaar,
    code: &str,
    input: Option<ActieEvaluatieInvoer>,
    errors: FieldErrors,
    correction: UrenCorrectieInvoer,
    correction_errors: FieldErrors,
) -> Result<ActionPage, WebError> {
    let view = ops::action_evaluation(&current.ctx, year, code).await?;
    let a = view.action();
    let row = &a.action;
    let stored = a.evaluation.as_ref();
    let input = input.unwrap_or_else(|| match stored {
        Some(e) => ActieEvaluatieInvoer {
            outcome: e.outcome.code().to_string(),
            reason: e.reason.clone(),
            achieved: e.achieved.clone(),
            lesson: e.lesson.clone(),
        },
        None => ActieEvaluatieInvoer {
            outcome: a.suggestion.code().to_string(),
            ..Default::default()
        },
    });
    let figures = &view.view.figures.total;
    Ok(ActionPage {
        layout: Layout::new(
            current,
            Section::Programma,
            format!("Evaluatie van {} {}", row.code, row.title),
        )
        .with_year(year.into()),
        year: year.into(),
        code: row.code.clone(),
        title: row.title.clone(),
        theme: a.theme_label.clone(),
        lead: a.lead.clone(),
        intended_result: row.intended_result.clone(),
        planned: thousands(row.planned_hours),
        spent: thousands(row.hours_spent),
        spent_percent: percent(
            u32::try_from(row.planned_hours)
                .ok()
                .filter(|p| *p > 0)
                .and_then(|p| {
                    u32::try_from(row.hours_spent)
                        .ok()
                        .map(|s| (u64::from(s) * 200 + u64::from(p)) / (u64::from(p) * 2))
                })
                .and_then(|v| u32::try_from(v).ok()),
        ),
        status_code: row.status.code(),
        status: row.status.label(),
        suggestion: a.suggestion.label(),
        progress: view
            .progress
            .iter()
            .map(|p| ProgressLine {
                date: dutch_date(p.entry_date),
                status_code: p.status.code(),
                status: p.status.label(),
                hours: p.hours_spent,
                note: p.note.clone(),
                author: p.author_name.clone(),
            })
            .collect(),
        evaluated_by: stored
            .map(|e| format!("{} ({})", e.evaluated_by, dutch_time(e.evaluated_at))),
        read_only: ops::read_only_reason(&view.view),
        may_edit: view.view.may_edit,
        outcomes: Uitkomst::ALL
            .iter()
            .map(|o| OutcomeChoice {
                value: o.code(),
                label: o.label(),
                checked: o.code() == input.outcome,
                suggested: *o == a.suggestion,
                needs_reason: o.needs_reason(),
            })
            .collect(),
        version: stored.map_or(0, |e| e.version),
        input,
        errors,
        conflict: None,
        correction,
        correction_errors,
        evaluated: figures.evaluated(),
        total: figures.actions,
    })
}

pub async fn action_form(
    current: Current,
    Path((jaar, code)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let page = action_page(
        &current,
        year,
        &code,
        None,
        FieldErrors::default(),
        UrenCorrectieInvoer::default(),
        FieldErrors::default(),
    )
    .await?;
    render_with_status(&current, &page, StatusCode::OK)
}

pub async fn action_submit(
    current: Current,
    Path((jaar, code)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let form = FormData::parse(&body);
    let input = ActieEvaluatieInvoer {
        outcome: form.get("outcome"),
        reason: form.get("reason"),
        achieved: form.get("achieved"),
        lesson: form.get("lesson"),
    };
    let version = form.version();
    match ops::save_action(&current.ctx, year, &code, version, &input).await {
        Ok(next) => {
            let saved = format!("De evaluatie van {code} is opgeslagen.");
            Ok(match next {
                Some(next) => redirect_with(
                    &format!("/programma/{year}/evaluatie/acties/{next}"),
                    &format!("{saved} Dit is de volgende actie die nog een evaluatie nodig heeft."),
                ),
                None => redirect_with(
                    &format!("/programma/{year}/evaluatie"),
                    &format!("{saved} Alle acties van {year} zijn nu geëvalueerd."),
                ),
            })
        }
        Err(OpsError::Invalid(errors)) => {
            let page = action_page(
                &current,
                year,
                &code,
                Some(input),
                errors,
                UrenCorrectieInvoer::default(),
                FieldErrors::default(),
            )
            .await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(OpsError::Conflict { .. }) => {
            let mut page = action_page(
                &current,
                year,
                &code,
                Some(input),
                FieldErrors::default(),
                UrenCorrectieInvoer::default(),
                FieldErrors::default(),
            )
            .await?;
            let view = ops::action_evaluation(&current.ctx, year, &code).await?;
            let stored = view.action().evaluation.clone();
            page.conflict = Some(match &stored {
                Some(e) => format!(
                    "{} heeft deze actie intussen geëvalueerd als '{}'{}{}.",
                    e.evaluated_by,
                    e.outcome.label().to_lowercase(),
                    if e.reason.is_empty() {
                        String::new()
                    } else {
                        format!(", met als reden: {}", e.reason)
                    },
                    if e.achieved.is_empty() {
                        String::new()
                    } else {
                        format!("; bereikt: {}", e.achieved)
                    },
                ),
                None => "De evaluatie van deze actie is intussen gewist.".into(),
            });
            page.version = stored.map_or(0, |e| e.version);
            render_with_status(&current, &page, StatusCode::CONFLICT)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn correct_hours(
    current: Current,
    Path((jaar, code)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let form = FormData::parse(&body);
    let input = UrenCorrectieInvoer {
        hours: form.get("correctie_uren"),
        reason: form.get("correctie_reden"),
    };
    match ops::correct_hours(&current.ctx, year, &code, &input).await {
        Ok(()) => Ok(redirect_with(
            &format!("/programma/{year}/evaluatie/acties/{code}#uren"),
            "De correctie van de bestede uren is opgeslagen.",
        )),
        Err(OpsError::Invalid(errors)) => {
            let mut renamed = FieldErrors::default();
            for e in errors.iter() {
                let field = if e.field == "hours" {
                    "correctie_uren"
                } else {
                    "correctie_reden"
                };
                renamed.add(field, e.message.clone());
            }
            let page = action_page(
                &current,
                year,
                &code,
                None,
                FieldErrors::default(),
                input,
                renamed,
            )
            .await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}
