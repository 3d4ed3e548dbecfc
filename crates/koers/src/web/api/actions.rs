//! Programmes, actions and progress as JSON.

use super::error::{ApiError, InvalidParam, invalid};
use super::{ApiCaller, JsonBody};
use crate::ops::OpsError;
use crate::ops::actions::{self as ops, Catalogue};
use crate::ops::programme_export as export;
use axum::Json;
use axum::extract::{Path, Query};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use koers_domain::{
    ActieCode, ActieInvoer, FieldErrors, Herkomst, Jaar, Status, VoortgangInvoer, action::parse_id,
};
use koers_store::actions::{ActionDetail, ActionFilter, ActionRow, ProgressEntry};
use koers_store::catalog::Item;
use serde::{Deserialize, Serialize};

fn year(text: &str) -> Result<Jaar, ApiError> {
    Jaar::parse(text).map_err(|_| ApiError::NotFound)
}

/// An action code from the path. No action has a NUL in its code, and PostgreSQL refuses one in a
/// query parameter, so such a path is simply not found.
fn action_code(code: &str) -> Result<&str, ApiError> {
    if code.contains('\0') {
        Err(ApiError::NotFound)
    } else {
        Ok(code)
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgrammeJson {
    jaar: i64,
    titel: String,
    status: String,
}

pub async fn programmes(ApiCaller(ctx): ApiCaller) -> Result<Json<Vec<ProgrammeJson>>, ApiError> {
    let programmes = ops::programmes(&ctx).await?;
    Ok(Json(
        programmes
            .into_iter()
            .map(|p| ProgrammeJson {
                jaar: p.year,
                titel: p.title,
                status: p.status.code().to_string(),
            })
            .collect(),
    ))
}

/// A reference to a catalogue item: its id and name.
#[derive(Serialize)]
pub struct Ref {
    id: i64,
    naam: String,
}

pub(super) fn reference(items: &[Item], id: i64) -> Ref {
    Ref {
        id,
        naam: Catalogue::name(items, id),
    }
}

/// A contributing subteam's share of an action's planned hours, in whole percent.
#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Aandeel {
    subteam_id: i64,
    procent: i64,
}

#[derive(Serialize)]
pub struct YearCode {
    jaar: i64,
    code: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ActionJson {
    code: String,
    titel: String,
    beschrijving: String,
    beoogd_resultaat: String,
    thema: Ref,
    ambitie: Option<Ref>,
    trekker: Ref,
    #[serde(skip_serializing_if = "Option::is_none")]
    bijdragende_subteams: Option<Vec<Ref>>,
    /// The shares of the planned hours that contributing subteams take on.
    #[serde(skip_serializing_if = "Option::is_none")]
    aandelen: Option<Vec<Aandeel>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    partners: Option<Vec<Ref>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opgaven: Option<Vec<Ref>>,
    kwartalen: Vec<u8>,
    geplande_uren: i64,
    bestede_uren: i64,
    prioriteit: String,
    herkomst: String,
    status: String,
    laatste_melding: Option<chrono::NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    voorganger: Option<YearCode>,
    #[serde(skip_serializing_if = "Option::is_none")]
    opvolgers: Option<Vec<YearCode>>,
    versie: i64,
}

fn action_json(c: &Catalogue, a: &ActionRow) -> ActionJson {
    ActionJson {
        code: a.code.clone(),
        titel: a.title.clone(),
        beschrijving: a.description.clone(),
        beoogd_resultaat: a.intended_result.clone(),
        thema: Ref {
            id: a.theme_id,
            naam: c.theme_label(a.theme_id),
        },
        ambitie: a.ambition_id.map(|id| reference(&c.ambitions, id)),
        trekker: reference(&c.subteams, a.lead_subteam_id),
        bijdragende_subteams: None,
        aandelen: None,
        partners: None,
        opgaven: None,
        kwartalen: a.quarters.numbers(),
        geplande_uren: a.planned_hours,
        bestede_uren: a.hours_spent,
        prioriteit: a.priority.code().to_string(),
        herkomst: a.origin.code().to_string(),
        status: a.status.code().to_string(),
        laatste_melding: a.last_progress_on,
        voorganger: None,
        opvolgers: None,
        versie: a.version,
    }
}

fn detail_json(c: &Catalogue, d: &ActionDetail) -> ActionJson {
    let refs = |items: &[Item], ids: &[i64]| ids.iter().map(|id| reference(items, *id)).collect();
    let year_code = |(jaar, code): &(i64, String)| YearCode {
        jaar: *jaar,
        code: code.clone(),
    };
    ActionJson {
        bijdragende_subteams: Some(refs(&c.subteams, &d.contributing_subteam_ids)),
        aandelen: Some(
            d.contributing_shares
                .iter()
                .map(|&(subteam_id, procent)| Aandeel {
                    subteam_id,
                    procent,
                })
                .collect(),
        ),
        partners: Some(refs(&c.partners, &d.partner_ids)),
        opgaven: Some(refs(&c.opgaven, &d.opgave_ids)),
        voorganger: d.predecessor.as_ref().map(year_code),
        opvolgers: Some(d.successors.iter().map(year_code).collect()),
        ..action_json(c, &d.action)
    }
}

/// Reads the filters of the list, named as in the pages' URLs. Unlike the pages, the API refuses
/// a filter it cannot apply (an id that is not a positive whole number, a status or origin outside
/// the list, an empty or repeated filter) with 400, instead of answering with an empty list.
/// Unknown query parameters are ignored.
fn list_filter(query: &[(String, String)]) -> Result<ActionFilter, ApiError> {
    let mut filter = ActionFilter::default();
    let mut problems = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (name, value) in query {
        let name = name.as_str();
        if !["thema", "subteam", "opgave", "status", "herkomst", "zoek"].contains(&name) {
            continue;
        }
        if seen.contains(&name) {
            problems.push(InvalidParam::new(
                name,
                "Geef dit filter hoogstens één keer mee.",
            ));
            continue;
        }
        seen.push(name);
        let id = || {
            parse_id(value).ok_or_else(|| {
                InvalidParam::new(
                    name,
                    "Geef een id als positief geheel getal, bijvoorbeeld 3.",
                )
            })
        };
        let result = match name {
            "thema" => id().map(|id| filter.theme_id = Some(id)),
            "subteam" => id().map(|id| filter.subteam_id = Some(id)),
            "opgave" => id().map(|id| filter.opgave_id = Some(id)),
            "status" => Status::from_code(value)
                .map(|s| filter.status = Some(s))
                .ok_or_else(|| InvalidParam::new(name, &one_of(Status::ALL.map(Status::code)))),
            "herkomst" => Herkomst::from_code(value)
                .map(|h| filter.origin = Some(h))
                .ok_or_else(|| InvalidParam::new(name, &one_of(Herkomst::ALL.map(Herkomst::code)))),
            _ => {
                if value.trim().is_empty() {
                    Err(InvalidParam::new(
                        name,
                        "Vul een zoekterm in, of laat zoek weg.",
                    ))
                } else if value.contains('\0') {
                    Err(InvalidParam::new(name, "De zoekterm bevat een NUL-teken."))
                } else if value.chars().count() > ZOEK_MAX {
                    Err(InvalidParam::new(
                        name,
                        &format!("De zoekterm is te lang (hoogstens {ZOEK_MAX} tekens)."),
                    ))
                } else {
                    filter.text = Some(value.clone());
                    Ok(())
                }
            }
        };
        if let Err(problem) = result {
            problems.push(problem);
        }
    }
    if problems.is_empty() {
        Ok(filter)
    } else {
        Err(ApiError::Invalid(problems))
    }
}

/// The longest search text the list accepts; the OpenAPI document says the same.
const ZOEK_MAX: usize = 200;

fn one_of<const N: usize>(codes: [&str; N]) -> String {
    format!("Kies een van: {}.", codes.join(", "))
}

/// The spreadsheet format `Accept` asks for, if its first media type Koers makes is one.
fn spreadsheet(headers: &HeaderMap) -> Option<export::Format> {
    super::accepted_media_types(headers)
        .find_map(|essence| match essence.as_str() {
            "application/json" | "application/*" | "*/*" => Some(None),
            "text/csv" => Some(Some(export::Format::Csv)),
            e if e == export::Format::Xlsx.mime() => Some(Some(export::Format::Xlsx)),
            _ => None,
        })
        .flatten()
}

pub async fn list(
    ApiCaller(ctx): ApiCaller,
    Path(jaar): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let filter = list_filter(&query)?;
    if let Some(format) = spreadsheet(&headers) {
        let file = export::export(&ctx, year, &filter, format).await?;
        return Ok(crate::web::pages::attachment(
            &file.filename,
            file.mime,
            file.bytes,
        ));
    }
    let view = ops::programme(&ctx, year, &filter).await?;
    if view.programme.is_none() {
        return Err(ApiError::NotFound);
    }
    Ok(Json(
        view.actions
            .iter()
            .map(|a| action_json(&view.catalogue, a))
            .collect::<Vec<_>>(),
    )
    .into_response())
}

pub(super) fn with_etag(version: i64, body: impl IntoResponse) -> Response {
    let mut response = body.into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

pub async fn show(
    ApiCaller(ctx): ApiCaller,
    Path((jaar, code)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let view = ops::action(&ctx, year(&jaar)?, action_code(&code)?).await?;
    Ok(with_etag(
        view.detail.action.version,
        Json(detail_json(&view.catalogue, &view.detail)),
    ))
}

/// The writable fields of an action.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActionBody {
    code: String,
    titel: String,
    #[serde(default)]
    beschrijving: String,
    #[serde(default)]
    beoogd_resultaat: String,
    thema_id: i64,
    ambitie_id: Option<i64>,
    trekker_id: i64,
    #[serde(default)]
    bijdragende_subteam_ids: Vec<i64>,
    #[serde(default)]
    aandelen: Vec<Aandeel>,
    #[serde(default)]
    partner_ids: Vec<i64>,
    #[serde(default)]
    opgave_ids: Vec<i64>,
    kwartalen: Vec<u8>,
    geplande_uren: i64,
    prioriteit: String,
    herkomst: String,
    voorganger_id: Option<i64>,
}

impl ActionBody {
    fn input(self) -> ActieInvoer {
        let strings = |ids: Vec<i64>| ids.into_iter().map(|id| id.to_string()).collect();
        let optional = |id: Option<i64>| id.map(|id| id.to_string()).unwrap_or_default();
        ActieInvoer {
            code: self.code,
            title: self.titel,
            description: self.beschrijving,
            intended_result: self.beoogd_resultaat,
            theme_id: self.thema_id.to_string(),
            ambition_id: optional(self.ambitie_id),
            lead_subteam_id: self.trekker_id.to_string(),
            contributing_subteam_ids: strings(self.bijdragende_subteam_ids),
            contributing_shares: self
                .aandelen
                .into_iter()
                .map(|a| (a.subteam_id.to_string(), a.procent.to_string()))
                .collect(),
            partner_ids: strings(self.partner_ids),
            opgave_ids: strings(self.opgave_ids),
            quarters: self.kwartalen.into_iter().map(|q| q.to_string()).collect(),
            planned_hours: self.geplande_uren.to_string(),
            priority: self.prioriteit,
            origin: self.herkomst,
            predecessor_id: optional(self.voorganger_id),
        }
    }
}

/// The API's name for a field of the action form.
fn action_field(field: &str) -> &'static str {
    match field {
        "code" => "code",
        "title" => "titel",
        "description" => "beschrijving",
        "intended_result" => "beoogdResultaat",
        "theme_id" => "themaId",
        "ambition_id" => "ambitieId",
        "lead_subteam_id" => "trekkerId",
        "contributing_subteam_ids" => "bijdragendeSubteamIds",
        "contributing_shares" => "aandelen",
        "partner_ids" => "partnerIds",
        "opgave_ids" => "opgaveIds",
        "quarters" => "kwartalen",
        "planned_hours" => "geplandeUren",
        "priority" => "prioriteit",
        "origin" => "herkomst",
        "predecessor_id" => "voorgangerId",
        _ => "body",
    }
}

/// Maps an error of saving an action. A code that is well formed but refused can only be in use
/// by another action of the programme: that depends on the state of the programme, not on the
/// request, so it is 409 (as for any duplicate), with the same `invalidParams`.
fn action_error(error: OpsError, code: &str) -> ApiError {
    match error {
        OpsError::Invalid(errors)
            if ActieCode::parse(code).is_ok()
                && errors.iter().map(|e| e.field.as_str()).eq(["code"]) =>
        {
            match invalid(&errors, action_field) {
                ApiError::Invalid(params) => ApiError::InUse(params),
                other => other,
            }
        }
        other => ApiError::from_ops(other, action_field),
    }
}

/// A JSON body that does not parse is reported like a field error, with serde's explanation. A
/// text with a NUL character is refused too: PostgreSQL cannot store one, and no user types it.
pub(super) fn parse_body<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let not_json = |e: serde_json::Error| {
        invalid(
            &FieldErrors::single("body", format!("De JSON is ongeldig: {e}.")),
            |_| "body",
        )
    };
    let value: serde_json::Value = serde_json::from_slice(body).map_err(not_json)?;
    if let Some(fields) = value.as_object() {
        let with_nul: Vec<InvalidParam> = fields
            .iter()
            .filter(|(_, v)| v.as_str().is_some_and(|t| t.contains('\0')))
            .map(|(name, _)| InvalidParam::new(name, "Deze tekst bevat een NUL-teken."))
            .collect();
        if !with_nul.is_empty() {
            return Err(ApiError::Invalid(with_nul));
        }
    }
    serde_json::from_value(value).map_err(not_json)
}

pub async fn create(
    ApiCaller(ctx): ApiCaller,
    Path(jaar): Path<String>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let input = parse_body::<ActionBody>(&body)?.input();
    let code = ops::create_action(&ctx, year, &input)
        .await
        .map_err(|e| action_error(e, &input.code))?;
    let view = ops::action(&ctx, year, &code).await?;
    let mut response = with_etag(
        view.detail.action.version,
        (
            StatusCode::CREATED,
            Json(detail_json(&view.catalogue, &view.detail)),
        ),
    );
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/programmas/{year}/acties/{code}"))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Replaces an action. The caller says which version it changes with `If-Match`; when someone
/// else saved in between, the answer is 412 and nothing changes.
pub async fn update(
    ApiCaller(ctx): ApiCaller,
    Path((jaar, code)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let code = action_code(&code)?;
    let version = if_match(&headers)?;
    let input = parse_body::<ActionBody>(&body)?.input();
    let new_code = ops::update_action(&ctx, year, code, version, &input)
        .await
        .map_err(|e| action_error(e, &input.code))?;
    let view = ops::action(&ctx, year, &new_code).await?;
    Ok(with_etag(
        view.detail.action.version,
        Json(detail_json(&view.catalogue, &view.detail)),
    ))
}

/// The version a write changes, from its `If-Match` header: 428 without one, 400 when it is not
/// a version of Koers.
pub(super) fn if_match(headers: &HeaderMap) -> Result<i64, ApiError> {
    let if_match = headers
        .get(header::IF_MATCH)
        .ok_or(ApiError::PreconditionRequired)?;
    version_of(if_match.as_bytes()).ok_or_else(|| {
        ApiError::BadRequest(
            "If-Match bevat geen versie van Koers, zoals \"3\" (met de aanhalingstekens).".into(),
        )
    })
}

/// The version in an `If-Match` header: exactly one strong entity tag as this API writes it in
/// `ETag`, such as `"3"`. A weak tag never matches for `If-Match` (RFC 9110), and `*` or a list
/// would bypass the check on someone else's change, so the API refuses those.
fn version_of(if_match: &[u8]) -> Option<i64> {
    let digits = if_match.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
    if digits.is_empty() || digits.len() > 18 || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(digits).ok()?.parse().ok()
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ProgressJson {
    datum: chrono::NaiveDate,
    status: String,
    toelichting: String,
    bestede_uren: i64,
    auteur: String,
    gemeld_op: chrono::DateTime<chrono::Utc>,
}

fn progress_json(p: &ProgressEntry) -> ProgressJson {
    ProgressJson {
        datum: p.entry_date,
        status: p.status.code().to_string(),
        toelichting: p.note.clone(),
        bestede_uren: p.hours_spent,
        auteur: p.author_name.clone(),
        gemeld_op: p.recorded_at,
    }
}

pub async fn progress(
    ApiCaller(ctx): ApiCaller,
    Path((jaar, code)): Path<(String, String)>,
) -> Result<Json<Vec<ProgressJson>>, ApiError> {
    let view = ops::action(&ctx, year(&jaar)?, action_code(&code)?).await?;
    Ok(Json(view.progress.iter().map(progress_json).collect()))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProgressBody {
    status: String,
    #[serde(default)]
    toelichting: String,
    /// Required, as on the page: an omitted number would be stored as 0 and read in the
    /// history as "0 uur besteed", which the caller did not say. `None` reaches the domain as
    /// an empty field, so the API refuses it with the page's own message.
    bestede_uren: Option<i64>,
    datum: String,
}

/// The API takes dates as RFC 3339 full dates only (`2025-03-31`), as its document says; the
/// pages also accept the Dutch `31-03-2025`, which the domain reads too.
pub(super) fn is_full_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn progress_field(field: &str) -> &'static str {
    match field {
        "status" => "status",
        "note" => "toelichting",
        "hours_spent" => "bestedeUren",
        "entry_date" => "datum",
        _ => "body",
    }
}

pub async fn report(
    ApiCaller(ctx): ApiCaller,
    Path((jaar, code)): Path<(String, String)>,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let code = action_code(&code)?;
    let body = parse_body::<ProgressBody>(&body)?;
    if !is_full_date(&body.datum) {
        return Err(ApiError::Invalid(vec![InvalidParam::new(
            "datum",
            "Geef de datum als jjjj-mm-dd, bijvoorbeeld 2025-03-31.",
        )]));
    }
    let input = VoortgangInvoer {
        status: body.status,
        note: body.toelichting,
        hours_spent: body
            .bestede_uren
            .map_or_else(String::new, |hours| hours.to_string()),
        entry_date: body.datum,
    };
    // Answer with the entry this request made: a report about an earlier date than the newest
    // entry is stored too, but is not first in the history.
    let entry = ops::report_progress_entry(&ctx, year, code, &input)
        .await
        .map_err(|e| ApiError::from_ops(e, progress_field))?;
    Ok((StatusCode::CREATED, Json(progress_json(&entry))).into_response())
}
