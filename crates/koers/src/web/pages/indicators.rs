//! Indicators: the list (`/indicatoren`), one indicator with its chart, its years and its
//! measurements (`/indicatoren/{id}`), and the forms that change them.

use super::trends::{IndicatorLine, indicator_lines};
use super::{Choice, dutch_date, parse_id, redirect_with, render, render_with_status};
use crate::ops::OpsError;
use crate::ops::charts::{self, ChartView};
use crate::ops::indicators as ops;
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
use koers_domain::indicator::{IndicatorInvoer, MetingInvoer, Richting, Waarde};
use koers_store::indicators::IndicatorRecord;

/// Empty target rows offered for new years.
const SPARE_TARGET_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "indicators.html")]
struct ListPage {
    layout: Layout,
    indicators: Vec<IndicatorLine>,
}

pub async fn list(current: Current) -> Result<Response, WebError> {
    let page = ListPage {
        layout: Layout::new(&current, Section::Trends, "Indicatoren"),
        indicators: indicator_lines(&current.ctx).await?,
    };
    render(&current, &page)
}

/// A measurement as the page lists it.
pub struct MeasurementLine {
    pub id: i64,
    pub date: String,
    pub value: String,
    pub source: String,
    pub note: String,
}

/// One year of the indicator, in words.
pub struct YearLine {
    pub year: i32,
    pub target: String,
    pub measured: String,
    pub code: &'static str,
    pub label: &'static str,
}

#[derive(Template)]
#[template(path = "indicator.html")]
struct IndicatorPage {
    layout: Layout,
    id: i64,
    name: String,
    unit: String,
    direction: &'static str,
    baseline: Option<String>,
    description: String,
    ambitions: Vec<String>,
    chart: Option<ChartView>,
    years: Vec<YearLine>,
    measurements: Vec<MeasurementLine>,
    input: MetingInvoer,
    errors: FieldErrors,
}

fn indicator_page(
    current: &Current,
    record: &IndicatorRecord,
    ambition_names: Vec<String>,
    input: MetingInvoer,
    errors: FieldErrors,
) -> IndicatorPage {
    let row = &record.indicator;
    let years = ops::years(record);
    let value = |w: Option<Waarde>| w.map_or_else(|| "–".to_string(), |w| w.nl());
    IndicatorPage {
        layout: Layout::new(current, Section::Trends, row.name.clone()),
        id: row.id,
        name: row.name.clone(),
        unit: row.unit.clone(),
        direction: row.direction.label(),
        baseline: ops::baseline(record).map(|(w, year)| format!("{} in {year}", w.nl())),
        description: row.description.clone(),
        ambitions: ambition_names,
        chart: (!years.is_empty()).then(|| {
            ChartView::of(
                &charts::indicator(&row.name, &row.unit, row.direction, &years),
                &format!("indicator-{}", row.id),
            )
        }),
        years: years
            .iter()
            .map(|y| YearLine {
                year: y.jaar,
                target: value(y.streefwaarde),
                measured: value(y.gemeten),
                code: y.beoordeling.code(),
                label: y.beoordeling.label(),
            })
            .collect(),
        measurements: record
            .measurements
            .iter()
            .rev()
            .map(|m| MeasurementLine {
                id: m.id,
                date: dutch_date(m.measured_on),
                value: value(Waarde::from_milli(m.value_milli).ok()),
                source: m.source.clone(),
                note: m.note.clone(),
            })
            .collect(),
        input,
        errors,
    }
}

async fn ambition_names(
    current: &Current,
    record: &IndicatorRecord,
) -> Result<Vec<String>, WebError> {
    Ok(ops::ambitions(&current.ctx)
        .await?
        .into_iter()
        .filter(|a| record.ambitions.contains(&a.id))
        .map(|a| a.name)
        .collect())
}

pub async fn page(current: Current, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let record = ops::cached(&current.ctx, id).await?;
    let names = ambition_names(&current, &record).await?;
    let page = indicator_page(
        &current,
        &record,
        names,
        MetingInvoer::default(),
        FieldErrors::default(),
    );
    render(&current, &page)
}

fn measurement_input(form: &FormData) -> MetingInvoer {
    MetingInvoer {
        measured_on: form.get("measured_on"),
        value: form.get("value"),
        source: form.get("source"),
        note: form.get("note"),
    }
}

pub async fn add_measurement(
    current: Current,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let input = measurement_input(&form);
    match ops::add_measurement(&current.ctx, id, &input).await {
        Ok(_) => Ok(redirect_with(
            &format!("/indicatoren/{id}#metingen"),
            "De meting is toegevoegd.",
        )),
        Err(OpsError::Invalid(errors)) => {
            let record = ops::current(&current.ctx, id).await?;
            let names = ambition_names(&current, &record).await?;
            let page = indicator_page(&current, &record, names, input, errors);
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn delete_measurement(
    current: Current,
    Path((id, measurement)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let measurement = parse_id(&measurement)?;
    ops::delete_measurement(&current.ctx, id, measurement).await?;
    Ok(redirect_with(
        &format!("/indicatoren/{id}#metingen"),
        "De meting is verwijderd.",
    ))
}

/// One target row of the form.
pub struct TargetRow {
    pub n: usize,
    pub year: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "indicator_form.html")]
struct FormPage {
    layout: Layout,
    id: Option<i64>,
    version: i64,
    input: IndicatorInvoer,
    directions: Vec<Choice>,
    ambitions: Vec<Choice>,
    targets: Vec<TargetRow>,
    errors: FieldErrors,
    /// The stored indicator, when someone else saved in between.
    conflict: Option<IndicatorRecord>,
    conflict_targets: String,
}

async fn form_page(
    current: &Current,
    editing: Option<(i64, i64)>,
    input: IndicatorInvoer,
    chosen: &[String],
    errors: FieldErrors,
    conflict: Option<IndicatorRecord>,
) -> Result<FormPage, WebError> {
    let ambitions = ops::ambitions(&current.ctx)
        .await?
        .into_iter()
        .filter(|a| !a.retired || chosen.contains(&a.id.to_string()))
        .map(|a| (a.id.to_string(), a.name));
    let directions = Choice::list(
        Richting::ALL
            .iter()
            .map(|r| (r.code().to_string(), r.label().to_string())),
        std::slice::from_ref(&input.direction),
    );
    let targets = input
        .target_years
        .iter()
        .zip(&input.target_values)
        .enumerate()
        .map(|(n, (year, value))| TargetRow {
            n,
            year: year.clone(),
            value: value.clone(),
        })
        .collect();
    let conflict_targets = conflict.as_ref().map_or_else(String::new, |c| {
        ops::targets(c)
            .iter()
            .map(|(year, value)| format!("{year}: {}", value.nl()))
            .collect::<Vec<_>>()
            .join(", ")
    });
    let (id, version) = editing.map_or((None, 0), |(id, version)| (Some(id), version));
    Ok(FormPage {
        layout: Layout::new(
            current,
            Section::Trends,
            if id.is_some() {
                "Indicator bewerken"
            } else {
                "Nieuwe indicator"
            },
        ),
        id,
        version,
        directions,
        ambitions: Choice::list(ambitions, chosen),
        targets,
        input,
        errors,
        conflict,
        conflict_targets,
    })
}

fn form_input(form: &FormData) -> (IndicatorInvoer, Vec<String>) {
    let mut input = IndicatorInvoer {
        name: form.get("name"),
        unit: form.get("unit"),
        direction: form.get("direction"),
        baseline_value: form.get("baseline_value"),
        baseline_year: form.get("baseline_year"),
        description: form.get("description"),
        target_years: form.all("target_year"),
        target_values: form.all("target_value"),
    };
    // Rows beyond what any form shows are refused by the validation; keep what came.
    ops::with_spare_rows(&mut input, 0);
    (input, form.all("ambitions"))
}

pub async fn new_form(current: Current) -> Result<Response, WebError> {
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    let mut input = IndicatorInvoer {
        direction: Richting::Hoger.code().to_string(),
        ..Default::default()
    };
    ops::with_spare_rows(&mut input, SPARE_TARGET_ROWS + 1);
    let page = form_page(&current, None, input, &[], FieldErrors::default(), None).await?;
    render(&current, &page)
}

pub async fn create(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    let (mut input, ambitions) = form_input(&form);
    match ops::save(&current.ctx, None, &input, &ambitions).await {
        Ok(id) => Ok(redirect_with(
            &format!("/indicatoren/{id}"),
            &format!("Indicator '{}' is toegevoegd.", input.name.trim()),
        )),
        Err(OpsError::Invalid(errors)) => {
            ops::with_spare_rows(&mut input, 1);
            let page = form_page(&current, None, input, &ambitions, errors, None).await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn edit_form(current: Current, Path(id): Path<String>) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    let record = ops::current(&current.ctx, id).await?;
    let chosen: Vec<String> = record.ambitions.iter().map(i64::to_string).collect();
    let page = form_page(
        &current,
        Some((id, record.indicator.version)),
        ops::input_of(&record, SPARE_TARGET_ROWS),
        &chosen,
        FieldErrors::default(),
        None,
    )
    .await?;
    render(&current, &page)
}

pub async fn edit_submit(
    current: Current,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let (mut input, ambitions) = form_input(&form);
    let version = form.version();
    let (errors, conflict, status) =
        match ops::save(&current.ctx, Some((id, version)), &input, &ambitions).await {
            Ok(_) => {
                return Ok(redirect_with(
                    &format!("/indicatoren/{id}"),
                    "De wijziging is opgeslagen.",
                ));
            }
            Err(OpsError::Invalid(errors)) => (errors, None, StatusCode::UNPROCESSABLE_ENTITY),
            Err(OpsError::Conflict { .. }) => (
                FieldErrors::default(),
                Some(ops::current(&current.ctx, id).await?),
                StatusCode::CONFLICT,
            ),
            Err(other) => return Err(other.into()),
        };
    let version = conflict.as_ref().map_or(version, |c| c.indicator.version);
    ops::with_spare_rows(&mut input, 1);
    let page = form_page(
        &current,
        Some((id, version)),
        input,
        &ambitions,
        errors,
        conflict,
    )
    .await?;
    render_with_status(&current, &page, status)
}

#[derive(Template)]
#[template(path = "indicator_delete.html")]
struct DeletePage {
    layout: Layout,
    id: i64,
    name: String,
    version: i64,
    measurements: usize,
}

pub async fn confirm_delete(
    current: Current,
    Path(id): Path<String>,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    let record = ops::current(&current.ctx, id).await?;
    let page = DeletePage {
        layout: Layout::new(&current, Section::Trends, "Indicator verwijderen"),
        id,
        name: record.indicator.name.clone(),
        version: record.indicator.version,
        measurements: record.measurements.len(),
    };
    render(&current, &page)
}

pub async fn delete(
    current: Current,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    match ops::delete(&current.ctx, id, form.version()).await {
        Ok(()) => Ok(redirect_with("/indicatoren", "De indicator is verwijderd.")),
        Err(OpsError::Conflict { .. }) => Ok(redirect_with(
            &format!("/indicatoren/{id}"),
            "Iemand anders heeft deze indicator intussen gewijzigd. Bekijk de indicator en verwijder hem zo nodig opnieuw.",
        )),
        Err(other) => Err(other.into()),
    }
}
