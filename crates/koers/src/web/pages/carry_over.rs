//! "Programma N+1 voorbereiden": carrying the actions of programme N that the evaluation
//! carries over into next year's programme.

use super::{Choice, parse_year, redirect_with, render, render_with_status};
use crate::ops::OpsError;
use crate::ops::carry_over::{self as ops, CarryOverView};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use koers_domain::FieldErrors;
use koers_store::carry_over::row_field;

/// One proposed action with its form fields.
pub struct ProposedLine {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub theme: String,
    pub outcome_code: &'static str,
    pub outcome: &'static str,
    pub reason: String,
    pub checked: bool,
    pub new_code: String,
    pub themes: Vec<Choice>,
    pub code_error: Option<String>,
    pub theme_error: Option<String>,
    pub row_error: Option<String>,
}

/// An action that is not proposed: already carried over, closed or not evaluated.
pub struct OtherLine {
    pub code: String,
    pub title: String,
    pub state: String,
    pub successor: Option<(i64, String)>,
}

#[derive(Template)]
#[template(path = "carry_over.html")]
struct CarryOverPage {
    layout: Layout,
    year: i64,
    next_year: i64,
    next_exists: bool,
    proposed: Vec<ProposedLine>,
    carried: Vec<OtherLine>,
    unevaluated: Vec<OtherLine>,
    closed: Vec<OtherLine>,
    errors: FieldErrors,
}

fn page_of(current: &Current, view: CarryOverView, errors: FieldErrors) -> CarryOverPage {
    let catalogue = &view.catalogue;
    let themes = |chosen: &str| -> Vec<Choice> {
        catalogue
            .numbered_themes()
            .into_iter()
            .filter(|(_, _, t)| !t.retired)
            .map(|(_, _, t)| Choice {
                value: t.id.to_string(),
                label: catalogue.theme_label(t.id),
                selected: t.id.to_string() == chosen,
            })
            .collect()
    };
    let other = |c: &koers_store::carry_over::CarryCandidate| OtherLine {
        code: c.code.clone(),
        title: c.title.clone(),
        state: c
            .outcome
            .map_or_else(|| c.status.label(), |o| o.label())
            .to_string(),
        successor: c.successor.clone(),
    };
    let error = |kind: &str, id: i64| errors.get(&row_field(kind, id)).map(str::to_string);
    let year = i64::from(view.year);
    let next_year = i64::from(view.next_year);
    CarryOverPage {
        layout: Layout::new(
            current,
            Section::Programma,
            format!("Programma {next_year} voorbereiden"),
        )
        .with_year(year),
        year,
        next_year,
        next_exists: view.next_programme.is_some(),
        proposed: view
            .proposed
            .iter()
            .map(|row| {
                let c = &row.candidate;
                let outcome = c.outcome.unwrap_or(koers_domain::Uitkomst::Doorgeschoven);
                ProposedLine {
                    id: c.id,
                    code: c.code.clone(),
                    title: c.title.clone(),
                    theme: catalogue.theme_label(c.theme_id),
                    outcome_code: outcome.code(),
                    outcome: outcome.label(),
                    reason: c.reason.clone(),
                    checked: row.checked,
                    new_code: row.code.clone(),
                    themes: themes(&row.theme_id),
                    code_error: error("code", c.id),
                    theme_error: error("thema", c.id),
                    row_error: error("actie", c.id),
                }
            })
            .collect(),
        carried: view.carried.iter().map(other).collect(),
        unevaluated: view.unevaluated.iter().map(other).collect(),
        closed: view.closed.iter().map(other).collect(),
        errors,
    }
}

pub async fn page(current: Current, Path(jaar): Path<String>) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let view = ops::view(&current.ctx, year, None).await?;
    render(&current, &page_of(&current, view, FieldErrors::default()))
}

pub async fn submit(
    current: Current,
    Path(jaar): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let form = FormData::parse(&body);
    match ops::carry_over(&current.ctx, year, form.pairs()).await {
        Ok(done) => {
            let message = match done.created {
                0 => format!(
                    "Programma {} is klaar; er zijn geen acties overgenomen.",
                    done.next_year
                ),
                1 => format!("1 actie is overgenomen in programma {}.", done.next_year),
                n => format!(
                    "{n} acties zijn overgenomen in programma {}.",
                    done.next_year
                ),
            };
            Ok(redirect_with(
                &format!("/programma/{}", done.next_year),
                &message,
            ))
        }
        Err(OpsError::Invalid(errors)) => {
            let view = ops::view(&current.ctx, year, Some(form.pairs())).await?;
            let page = page_of(&current, view, errors);
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}
