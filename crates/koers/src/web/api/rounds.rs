//! Progress rounds and "my actions" as JSON.

use super::actions::{Ref, if_match, parse_body, reference, with_etag};
use super::error::ApiError;
use super::versions::year;
use super::{ApiCaller, JsonBody};
use crate::ops::rounds as ops;
use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::NaiveDate;
use koers_domain::round::{Momenten, RondeInvoer};
use koers_store::rounds::Round;
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RoundJson {
    id: i64,
    naam: String,
    geopend_op: NaiveDate,
    deadline: NaiveDate,
    /// Days relative to the deadline (negative: before).
    herinneringen: Vec<i64>,
    gesloten_op: Option<NaiveDate>,
    versie: i64,
}

fn round_json(r: &Round) -> RoundJson {
    RoundJson {
        id: r.id,
        naam: r.name.clone(),
        geopend_op: r.opened_on,
        deadline: r.deadline,
        herinneringen: Momenten::from_storage(&r.reminder_days).days().to_vec(),
        gesloten_op: r.closed_on,
        versie: r.version,
    }
}

fn round_id(text: &str) -> Result<i64, ApiError> {
    ops::round_id(text).map_err(|_| ApiError::NotFound)
}

pub async fn list(
    ApiCaller(ctx): ApiCaller,
    Path(jaar): Path<String>,
) -> Result<Json<Vec<RoundJson>>, ApiError> {
    let (_, rounds) = ops::rounds(&ctx, year(&jaar)?).await?;
    Ok(Json(rounds.iter().map(round_json).collect()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoundBody {
    naam: String,
    deadline: String,
    #[serde(default)]
    dagen_voor: Vec<i64>,
    #[serde(default)]
    dagen_na: Vec<i64>,
}

fn round_field(field: &str) -> &'static str {
    match field {
        "name" => "naam",
        "deadline" => "deadline",
        "days_before" => "dagenVoor",
        "days_after" => "dagenNa",
        _ => "body",
    }
}

fn days_text(days: &[i64]) -> String {
    days.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn create(
    ApiCaller(ctx): ApiCaller,
    Path(jaar): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let body = parse_body::<RoundBody>(&body)?;
    let input = RondeInvoer {
        name: body.naam,
        deadline: body.deadline,
        days_before: days_text(&body.dagen_voor),
        days_after: days_text(&body.dagen_na),
    };
    let id = ops::open(&ctx, year, &input)
        .await
        .map_err(|e| ApiError::from_ops(e, round_field))?;
    let view = ops::round(&ctx, year, id).await?;
    let mut response = with_etag(
        view.round.version,
        (StatusCode::CREATED, Json(round_json(&view.round))),
    );
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/programmas/{year}/rondes/{id}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubteamJson {
    subteam: Ref,
    gemeld: usize,
    nodig: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MissingJson {
    code: String,
    titel: String,
    trekker: Ref,
    status: String,
    laatste_melding: Option<NaiveDate>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletenessJson {
    #[serde(flatten)]
    ronde: RoundJson,
    gemeld: usize,
    nodig: usize,
    per_subteam: Vec<SubteamJson>,
    zonder_melding: Vec<MissingJson>,
}

pub async fn show(
    ApiCaller(ctx): ApiCaller,
    Path((jaar, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let view = ops::round(&ctx, year(&jaar)?, round_id(&id)?).await?;
    let c = &view.catalogue;
    let body = CompletenessJson {
        ronde: round_json(&view.round),
        gemeld: view.reported(),
        nodig: view.needed(),
        per_subteam: view
            .per_subteam
            .iter()
            .map(|s| SubteamJson {
                subteam: reference(&c.subteams, s.subteam_id),
                gemeld: s.reported,
                nodig: s.needed,
            })
            .collect(),
        zonder_melding: view
            .missing()
            .map(|a| MissingJson {
                code: a.action.code.clone(),
                titel: a.action.title.clone(),
                trekker: reference(&c.subteams, a.action.lead_subteam_id),
                status: a.action.status.code().to_string(),
                laatste_melding: a.action.last_progress_on,
            })
            .collect(),
    };
    Ok(with_etag(view.round.version, Json(body)))
}

/// The body of closing a round: an empty object (the round closes today).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloseBody {}

/// Closes a round; `If-Match` names the version the caller saw.
pub async fn close(
    ApiCaller(ctx): ApiCaller,
    Path((jaar, id)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let id = round_id(&id)?;
    let version = if_match(&headers)?;
    parse_body::<CloseBody>(&body)?;
    ops::close(&ctx, year, id, version).await?;
    let view = ops::round(&ctx, year, id).await?;
    Ok(with_etag(view.round.version, Json(round_json(&view.round))))
}

#[derive(Deserialize)]
pub struct MyQuery {
    jaar: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MyActionJson {
    code: String,
    titel: String,
    /// "trekker" or "bijdrager".
    rol: &'static str,
    status: String,
    laatste_melding: Option<NaiveDate>,
    wacht_op_melding: bool,
    /// In the open round; absent without one or when the action needs no report.
    #[serde(skip_serializing_if = "Option::is_none")]
    gemeld_in_ronde: Option<bool>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MyActionsJson {
    jaar: i64,
    subteam: Option<Ref>,
    open_ronde: Option<RoundJson>,
    acties: Vec<MyActionJson>,
}

pub async fn mine(
    ApiCaller(ctx): ApiCaller,
    super::ApiQuery(query): super::ApiQuery<MyQuery>,
) -> Result<Json<MyActionsJson>, ApiError> {
    let year = match query.jaar.as_deref() {
        Some(text) => koers_domain::Jaar::parse(text)
            .map_err(|e| ApiError::Invalid(vec![super::error::InvalidParam::new("jaar", &e.0)]))?,
        None => crate::ops::actions::default_year(&ctx).await?,
    };
    let view = ops::my_actions(&ctx, year).await?;
    if view.programme.is_none() {
        return Err(ApiError::Missing(format!(
            "Er is geen programma voor {year}."
        )));
    }
    Ok(Json(MyActionsJson {
        jaar: year.into(),
        subteam: view
            .subteam
            .as_ref()
            .map(|(id, _)| reference(&view.catalogue.subteams, *id)),
        open_ronde: view.open_round.as_ref().map(round_json),
        acties: view
            .actions
            .iter()
            .map(|a| MyActionJson {
                code: a.action.code.clone(),
                titel: a.action.title.clone(),
                rol: if a.leads { "trekker" } else { "bijdrager" },
                status: a.action.status.code().to_string(),
                laatste_melding: a.action.last_progress_on,
                wacht_op_melding: a.waiting(),
                gemeld_in_ronde: a.reported,
            })
            .collect(),
    }))
}
