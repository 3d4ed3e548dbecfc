//! The LHS intervention matrix of the policy plan: `/beleidsplan/lhs` (the version in force,
//! with the earlier ones listed), `/beleidsplan/lhs/versies/{nummer}` (an earlier version) and
//! `/beleidsplan/lhs/bewerken` (a new version on every save).

use super::{dutch_time, parse_id, redirect_with, render, render_with_status};
use crate::app::AppState;
use crate::ops::OpsError;
use crate::ops::lhs as ops;
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use koers_domain::FieldErrors;
use koers_domain::lhs::{self, GEDRAG, GEVOLGEN, LhsInvoer};
use koers_store::risk::LhsVersion;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/beleidsplan/lhs", get(show).post(submit))
        .route("/beleidsplan/lhs/bewerken", get(edit))
        .route("/beleidsplan/lhs/versies/{nummer}", get(show_version))
}

/// One cell as the page shows it.
pub struct Cell {
    pub name: String,
    /// "Goedwillend, nihil".
    pub label: String,
    pub text: String,
}

/// One row: a level of gevolgen and its four cells, A to D.
pub struct Row {
    pub number: u8,
    pub label: &'static str,
    pub cells: Vec<Cell>,
}

fn rows(cells: &std::collections::BTreeMap<String, String>) -> Vec<Row> {
    GEVOLGEN
        .iter()
        .map(|(number, label)| Row {
            number: *number,
            label,
            cells: GEDRAG
                .iter()
                .map(|(letter, gedrag)| {
                    let name = format!("{letter}{number}");
                    Cell {
                        text: cells.get(&name).cloned().unwrap_or_default(),
                        label: format!("{gedrag}, gevolgen {}", label.to_lowercase()),
                        name,
                    }
                })
                .collect(),
        })
        .collect()
}

fn version_label(v: &LhsVersion) -> String {
    format!(
        "Versie {} van {}, vastgelegd door {}",
        v.number,
        dutch_time(v.created_at),
        v.created_by
    )
}

#[derive(Template)]
#[template(path = "lhs.html")]
struct MatrixPage {
    layout: Layout,
    gedrag: &'static [(char, &'static str)],
    /// The version shown, if any was saved.
    shown: Option<(i64, String, String)>,
    rows: Vec<Row>,
    /// The number of the version in force, when an earlier one is shown.
    newer: Option<i64>,
    /// Every version, newest first: (number, label, whether it is the one shown).
    versions: Vec<(i64, String, bool)>,
}

fn matrix_page(
    current: &Current,
    versions: &[LhsVersion],
    shown: Option<&LhsVersion>,
) -> MatrixPage {
    let newest = versions.last().map(|v| v.number);
    let matrix = shown.map(|v| v.matrix.clone()).unwrap_or_default();
    MatrixPage {
        layout: Layout::new(current, Section::Beleidsplan, "Interventiematrix (LHS)"),
        gedrag: &GEDRAG,
        shown: shown.map(|v| (v.number, version_label(v), v.matrix.toelichting.clone())),
        rows: rows(&matrix.cellen),
        newer: newest.filter(|n| Some(*n) != shown.map(|v| v.number)),
        versions: versions
            .iter()
            .rev()
            .map(|v| {
                let is_shown = shown.is_some_and(|s| s.number == v.number);
                (v.number, version_label(v), is_shown)
            })
            .collect(),
    }
}

pub async fn show(current: Current) -> Result<Response, WebError> {
    let versions = ops::versions(&current.ctx).await?;
    render(&current, &matrix_page(&current, &versions, versions.last()))
}

pub async fn show_version(
    current: Current,
    Path(nummer): Path<String>,
) -> Result<Response, WebError> {
    let number = parse_id(&nummer)?;
    let shown = ops::version(&current.ctx, number).await?;
    let versions = ops::versions(&current.ctx).await?;
    render(&current, &matrix_page(&current, &versions, Some(&shown)))
}

#[derive(Template)]
#[template(path = "lhs_form.html")]
struct FormPage {
    layout: Layout,
    gedrag: &'static [(char, &'static str)],
    rows: Vec<Row>,
    toelichting: String,
    errors: FieldErrors,
    version: i64,
    /// The version now stored, when someone else saved in between.
    conflict: Option<(String, Vec<Row>, String)>,
}

fn form_page(current: &Current, input: &LhsInvoer, version: i64) -> FormPage {
    FormPage {
        layout: Layout::new(current, Section::Beleidsplan, "Interventiematrix bewerken"),
        gedrag: &GEDRAG,
        rows: rows(&input.cellen),
        toelichting: input.toelichting.clone(),
        errors: FieldErrors::default(),
        version,
        conflict: None,
    }
}

pub async fn edit(current: Current) -> Result<Response, WebError> {
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    let versions = ops::versions_fresh(&current.ctx).await?;
    let (input, version) = versions.last().map_or_else(
        || (LhsInvoer::default(), 0),
        |v| (LhsInvoer::from(&v.matrix), v.number),
    );
    render(&current, &form_page(&current, &input, version))
}

pub async fn submit(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    let input = LhsInvoer {
        cellen: lhs::cellen()
            .map(|name| {
                let text = form.get(&format!("cel_{name}"));
                (name, text)
            })
            .collect(),
        toelichting: form.get("toelichting"),
    };
    let expected = form.version();
    let mut page = form_page(&current, &input, expected);
    let status = match ops::save(&current.ctx, expected, &input).await {
        Ok(number) => {
            return Ok(redirect_with(
                "/beleidsplan/lhs",
                &format!("Versie {number} van de interventiematrix is opgeslagen."),
            ));
        }
        Err(OpsError::Invalid(errors)) => {
            page.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(OpsError::Conflict { .. }) => {
            let versions = ops::versions_fresh(&current.ctx).await?;
            if let Some(v) = versions.last() {
                page.version = v.number;
                page.conflict = Some((
                    version_label(v),
                    rows(&v.matrix.cellen),
                    v.matrix.toelichting.clone(),
                ));
            }
            StatusCode::CONFLICT
        }
        Err(other) => return Err(other.into()),
    };
    render_with_status(&current, &page, status)
}
