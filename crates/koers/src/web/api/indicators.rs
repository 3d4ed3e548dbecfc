//! Indicators and their measurements as JSON, and the trends across years.

use super::actions::{if_match, parse_body, with_etag};
use super::error::{ApiError, InvalidParam};
use super::{ApiCaller, JsonBody};
use crate::ops::OpsError;
use crate::ops::indicators as ops;
use crate::ops::trends as trend_ops;
use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use koers_domain::FieldErrors;
use koers_domain::action::parse_id;
use koers_domain::indicator::{IndicatorInvoer, MetingInvoer, Waarde};
use koers_domain::trend::Cijfers;
use koers_store::indicators::{IndicatorRecord, MeasurementRow};
use serde::{Deserialize, Serialize};

fn id(text: &str) -> Result<i64, ApiError> {
    parse_id(text).ok_or(ApiError::NotFound)
}

fn number(milli: i64) -> f64 {
    Waarde::from_milli(milli).map_or(0.0, Waarde::as_f64)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct YearValue {
    jaar: i64,
    waarde: f64,
}

#[derive(Serialize)]
pub struct YearJson {
    jaar: i32,
    streefwaarde: Option<f64>,
    gemeten: Option<f64>,
    beoordeling: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IndicatorJson {
    id: i64,
    naam: String,
    eenheid: String,
    richting: &'static str,
    nulmeting: Option<YearValue>,
    toelichting: String,
    streefwaarden: Vec<YearValue>,
    ambitie_ids: Vec<i64>,
    /// Per year with a target or a measurement: the last measurement and the judgement.
    jaren: Vec<YearJson>,
    versie: i64,
}

fn indicator_json(record: &IndicatorRecord) -> IndicatorJson {
    let row = &record.indicator;
    IndicatorJson {
        id: row.id,
        naam: row.name.clone(),
        eenheid: row.unit.clone(),
        richting: row.direction.code(),
        nulmeting: ops::baseline(record).map(|(w, jaar)| YearValue {
            jaar,
            waarde: w.as_f64(),
        }),
        toelichting: row.description.clone(),
        streefwaarden: record
            .targets
            .iter()
            .map(|(jaar, milli)| YearValue {
                jaar: *jaar,
                waarde: number(*milli),
            })
            .collect(),
        ambitie_ids: record.ambitions.clone(),
        jaren: ops::years(record)
            .iter()
            .map(|y| YearJson {
                jaar: y.jaar,
                streefwaarde: y.streefwaarde.map(Waarde::as_f64),
                gemeten: y.gemeten.map(Waarde::as_f64),
                beoordeling: y.beoordeling.code(),
            })
            .collect(),
        versie: row.version,
    }
}

pub async fn list(ApiCaller(ctx): ApiCaller) -> Result<Json<Vec<IndicatorJson>>, ApiError> {
    Ok(Json(
        ops::list(&ctx).await?.iter().map(indicator_json).collect(),
    ))
}

pub async fn show(
    ApiCaller(ctx): ApiCaller,
    Path(text): Path<String>,
) -> Result<Response, ApiError> {
    let record = ops::cached(&ctx, id(&text)?).await?;
    Ok(with_etag(
        record.indicator.version,
        Json(indicator_json(&record)),
    ))
}

/// The writable fields of an indicator.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct IndicatorBody {
    naam: String,
    eenheid: String,
    richting: String,
    #[serde(default)]
    nulmeting: Option<YearValue>,
    #[serde(default)]
    toelichting: String,
    #[serde(default)]
    streefwaarden: Vec<YearValue>,
    #[serde(default)]
    ambitie_ids: Vec<i64>,
}

/// The API's name for a field of the indicator form.
fn field_name(field: &str) -> String {
    if let Some(i) = field.strip_prefix("target_year_") {
        return format!("streefwaarden[{i}].jaar");
    }
    if let Some(i) = field.strip_prefix("target_value_") {
        return format!("streefwaarden[{i}].waarde");
    }
    match field {
        "name" => "naam",
        "unit" => "eenheid",
        "direction" => "richting",
        "baseline_value" => "nulmeting.waarde",
        "baseline_year" => "nulmeting.jaar",
        "description" => "toelichting",
        "ambitions" => "ambitieIds",
        "measured_on" => "datum",
        "value" => "waarde",
        "source" => "bron",
        "note" => "toelichting",
        _ => "body",
    }
    .to_string()
}

/// A name in use by another indicator depends on the organisation's data, not on the request:
/// 409, as for any duplicate, with the same `invalidParams`.
fn api_error(error: OpsError) -> ApiError {
    match error {
        OpsError::Invalid(errors)
            if errors
                .iter()
                .all(|e| e.field == "name" && e.message == koers_store::indicators::NAME_TAKEN) =>
        {
            match invalid(&errors) {
                ApiError::Invalid(params) => ApiError::InUse(params),
                other => other,
            }
        }
        OpsError::Invalid(errors) => invalid(&errors),
        other => ApiError::from_ops(other, |_| "body"),
    }
}

fn invalid(errors: &FieldErrors) -> ApiError {
    ApiError::Invalid(
        errors
            .iter()
            .map(|e| InvalidParam::new(&field_name(&e.field), &e.message))
            .collect(),
    )
}

/// A JSON number as the form would have it; one with too many decimals or out of range is
/// refused here, with the field it belongs to.
fn value_text(value: f64, field: &str, errors: &mut FieldErrors) -> String {
    match Waarde::from_f64(value) {
        Ok(w) => w.nl(),
        Err(e) => {
            errors.add(field, e.0);
            String::new()
        }
    }
}

impl IndicatorBody {
    fn input(self) -> Result<(IndicatorInvoer, Vec<String>), ApiError> {
        let mut numbers = FieldErrors::default();
        let (baseline_value, baseline_year) = match &self.nulmeting {
            Some(b) => (
                value_text(b.waarde, "baseline_value", &mut numbers),
                b.jaar.to_string(),
            ),
            None => (String::new(), String::new()),
        };
        let target_values = self
            .streefwaarden
            .iter()
            .enumerate()
            .map(|(i, t)| value_text(t.waarde, &format!("target_value_{i}"), &mut numbers))
            .collect();
        let input = IndicatorInvoer {
            name: self.naam,
            unit: self.eenheid,
            direction: self.richting,
            baseline_value,
            baseline_year,
            description: self.toelichting,
            target_years: self
                .streefwaarden
                .iter()
                .map(|t| t.jaar.to_string())
                .collect(),
            target_values,
        };
        if !numbers.is_empty() {
            // Report the other fields' problems too, but each field once.
            if let Err(more) = input.validate() {
                for e in more.iter() {
                    if numbers.get(&e.field).is_none() {
                        numbers.add(&e.field, e.message.clone());
                    }
                }
            }
            return Err(invalid(&numbers));
        }
        let ambitions = self.ambitie_ids.iter().map(i64::to_string).collect();
        Ok((input, ambitions))
    }
}

pub async fn create(
    ApiCaller(ctx): ApiCaller,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let (input, ambitions) = parse_body::<IndicatorBody>(&body)?.input()?;
    let id = ops::save(&ctx, None, &input, &ambitions)
        .await
        .map_err(api_error)?;
    let record = ops::current(&ctx, id).await?;
    let mut response = with_etag(
        record.indicator.version,
        (StatusCode::CREATED, Json(indicator_json(&record))),
    );
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/indicatoren/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

pub async fn update(
    ApiCaller(ctx): ApiCaller,
    Path(text): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let id = id(&text)?;
    let version = if_match(&headers)?;
    let (input, ambitions) = parse_body::<IndicatorBody>(&body)?.input()?;
    ops::save(&ctx, Some((id, version)), &input, &ambitions)
        .await
        .map_err(api_error)?;
    let record = ops::current(&ctx, id).await?;
    Ok(with_etag(
        record.indicator.version,
        Json(indicator_json(&record)),
    ))
}

pub async fn delete(
    ApiCaller(ctx): ApiCaller,
    Path(text): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id = id(&text)?;
    let version = if_match(&headers)?;
    ops::delete(&ctx, id, version).await.map_err(api_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize)]
pub struct MeasurementJson {
    id: i64,
    datum: chrono::NaiveDate,
    waarde: f64,
    bron: String,
    toelichting: String,
}

fn measurement_json(m: &MeasurementRow) -> MeasurementJson {
    MeasurementJson {
        id: m.id,
        datum: m.measured_on,
        waarde: number(m.value_milli),
        bron: m.source.clone(),
        toelichting: m.note.clone(),
    }
}

pub async fn measurements(
    ApiCaller(ctx): ApiCaller,
    Path(text): Path<String>,
) -> Result<Json<Vec<MeasurementJson>>, ApiError> {
    let record = ops::cached(&ctx, id(&text)?).await?;
    Ok(Json(
        record.measurements.iter().map(measurement_json).collect(),
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MeasurementBody {
    datum: String,
    waarde: f64,
    #[serde(default)]
    bron: String,
    #[serde(default)]
    toelichting: String,
}

pub async fn add_measurement(
    ApiCaller(ctx): ApiCaller,
    Path(text): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let indicator = id(&text)?;
    let body = parse_body::<MeasurementBody>(&body)?;
    let mut numbers = FieldErrors::default();
    let value = value_text(body.waarde, "value", &mut numbers);
    if !super::actions::is_full_date(&body.datum) {
        numbers.add(
            "measured_on",
            "Geef de datum als jjjj-mm-dd, bijvoorbeeld 2025-03-31.",
        );
    }
    if !numbers.is_empty() {
        return Err(invalid(&numbers));
    }
    let input = MetingInvoer {
        measured_on: body.datum,
        value,
        source: body.bron,
        note: body.toelichting,
    };
    let id = ops::add_measurement(&ctx, indicator, &input)
        .await
        .map_err(api_error)?;
    let record = ops::current(&ctx, indicator).await?;
    let stored = record
        .measurements
        .iter()
        .find(|m| m.id == id)
        .ok_or(ApiError::NotFound)?;
    let mut response = (StatusCode::CREATED, Json(measurement_json(stored))).into_response();
    if let Ok(location) =
        HeaderValue::from_str(&format!("/api/v1/indicatoren/{indicator}/metingen/{id}"))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

pub async fn delete_measurement(
    ApiCaller(ctx): ApiCaller,
    Path((text, measurement)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    ops::delete_measurement(&ctx, id(&text)?, id(&measurement)?)
        .await
        .map_err(api_error)?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FiguresJson {
    acties: u32,
    gerealiseerd: u32,
    geevalueerd: u32,
    percentage_gerealiseerd: Option<u32>,
    geplande_uren: i64,
    bestede_uren: i64,
}

fn figures_json(c: &Cijfers) -> FiguresJson {
    FiguresJson {
        acties: c.actions,
        gerealiseerd: c.realised,
        geevalueerd: c.evaluated,
        percentage_gerealiseerd: c.percent_realised(),
        geplande_uren: c.planned_hours,
        bestede_uren: c.spent_hours,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThemeFiguresJson {
    thema_id: i64,
    thema: String,
    vervallen: bool,
    #[serde(flatten)]
    cijfers: FiguresJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrendYearJson {
    jaar: i64,
    totaal: FiguresJson,
    per_thema: Vec<ThemeFiguresJson>,
}

pub async fn trends(ApiCaller(ctx): ApiCaller) -> Result<Json<Vec<TrendYearJson>>, ApiError> {
    let trends = trend_ops::trends(&ctx).await?;
    Ok(Json(
        trends
            .years
            .iter()
            .map(|y| TrendYearJson {
                jaar: y.year,
                totaal: figures_json(&y.figures.total),
                per_thema: trends
                    .themes
                    .iter()
                    .filter_map(|t| {
                        y.figures.per_theme.get(&t.id).map(|c| ThemeFiguresJson {
                            thema_id: t.id,
                            thema: t.label.clone(),
                            vervallen: t.retired,
                            cijfers: figures_json(c),
                        })
                    })
                    .collect(),
            })
            .collect(),
    ))
}
