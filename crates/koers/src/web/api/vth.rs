//! VTH task fields, their figures per year and the capacity per subteam as API resources:
//! `/taakvelden`, `/programmas/{jaar}/taakvelden` and `/programmas/{jaar}/capaciteit`. Writes
//! name the version they change in `If-Match`, as for actions; the first figures of a task
//! field in a year are written with `If-Match: "0"`.

use super::actions::{if_match, parse_body, with_etag};
use super::error::ApiError;
use super::{ApiCaller, JsonBody};
use crate::ops::vth::{self as ops, VthYear};
use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use koers_domain::Jaar;
use koers_domain::capacity::Regel;
use koers_domain::vth::{JaarcijfersInvoer, TaakveldInvoer, whole_hours};
use koers_store::vth::{TaskField, TaskFieldYear};
use serde::{Deserialize, Serialize};

fn year(text: &str) -> Result<Jaar, ApiError> {
    Jaar::parse(text).map_err(|_| ApiError::NotFound)
}

fn id(text: &str) -> Result<i64, ApiError> {
    koers_domain::action::parse_id(text).ok_or(ApiError::NotFound)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskFieldJson {
    id: i64,
    code: String,
    naam: String,
    /// V, T or H.
    taak: &'static str,
    trekker_id: i64,
    eenheid: String,
    /// Hours per unit, with at most two decimals.
    norm: f64,
    wettelijke_termijn_weken: Option<i64>,
    toelichting: String,
    ingetrokken: bool,
    versie: i64,
}

fn field_json(field: &TaskField) -> TaskFieldJson {
    TaskFieldJson {
        id: field.id,
        code: field.code.clone(),
        naam: field.name.clone(),
        taak: field.discipline.code(),
        trekker_id: field.lead_subteam_id,
        eenheid: field.unit.clone(),
        norm: field.norm_hundredths as f64 / 100.0,
        wettelijke_termijn_weken: field.decision_term_weeks,
        toelichting: field.description.clone(),
        ingetrokken: field.retired,
        versie: field.version,
    }
}

/// The API's name for a field of the task field form.
fn field_name(field: &str) -> &'static str {
    match field {
        "code" => "code",
        "name" => "naam",
        "discipline" => "taak",
        "lead_subteam_id" => "trekkerId",
        "unit" => "eenheid",
        "norm" => "norm",
        "decision_term_weeks" => "wettelijkeTermijnWeken",
        "description" => "toelichting",
        _ => "body",
    }
}

/// A code already in use is 409, like an action's; other field errors are 400.
fn field_error(error: crate::ops::OpsError) -> ApiError {
    match error {
        crate::ops::OpsError::Invalid(errors)
            if errors
                .iter()
                .all(|e| e.field == "code" && e.message.contains("al in gebruik")) =>
        {
            match super::error::invalid(&errors, field_name) {
                ApiError::Invalid(params) => ApiError::InUse(params),
                other => other,
            }
        }
        other => ApiError::from_ops(other, field_name),
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TaskFieldBody {
    code: String,
    naam: String,
    taak: String,
    trekker_id: i64,
    eenheid: String,
    norm: serde_json::Number,
    wettelijke_termijn_weken: Option<i64>,
    #[serde(default)]
    toelichting: String,
}

impl TaskFieldBody {
    fn input(self) -> TaakveldInvoer {
        TaakveldInvoer {
            code: self.code,
            name: self.naam,
            discipline: self.taak,
            lead_subteam_id: self.trekker_id.to_string(),
            unit: self.eenheid,
            norm: self.norm.to_string(),
            decision_term_weeks: self
                .wettelijke_termijn_weken
                .map(|w| w.to_string())
                .unwrap_or_default(),
            description: self.toelichting,
        }
    }
}

pub async fn list(ApiCaller(ctx): ApiCaller) -> Result<Response, ApiError> {
    let fields: Vec<TaskFieldJson> = ops::task_fields(&ctx)
        .await?
        .iter()
        .map(field_json)
        .collect();
    Ok(axum::response::IntoResponse::into_response(Json(fields)))
}

pub async fn show(
    ApiCaller(ctx): ApiCaller,
    Path(task_field): Path<String>,
) -> Result<Response, ApiError> {
    let field = ops::task_field(&ctx, id(&task_field)?).await?;
    Ok(with_etag(field.version, Json(field_json(&field))))
}

pub async fn create(
    ApiCaller(ctx): ApiCaller,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let input = parse_body::<TaskFieldBody>(&body)?.input();
    let new = ops::create_task_field(&ctx, &input)
        .await
        .map_err(field_error)?;
    let field = ops::task_field(&ctx, new).await?;
    let mut response = with_etag(
        field.version,
        (StatusCode::CREATED, Json(field_json(&field))),
    );
    if let Ok(location) = HeaderValue::from_str(&format!("/api/v1/taakvelden/{new}")) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

pub async fn update(
    ApiCaller(ctx): ApiCaller,
    Path(task_field): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let task_field = id(&task_field)?;
    let version = if_match(&headers)?;
    let input = parse_body::<TaskFieldBody>(&body)?.input();
    ops::update_task_field(&ctx, task_field, version, &input)
        .await
        .map_err(field_error)?;
    let field = ops::task_field(&ctx, task_field).await?;
    Ok(with_etag(field.version, Json(field_json(&field))))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FiguresJson {
    taakveld_id: i64,
    jaar: i64,
    gepland_aantal: i64,
    /// Planned volume × norm, rounded to whole hours.
    geplande_uren: i64,
    /// Per quarter 1–4; null while not known.
    gerealiseerd_aantal: [Option<i64>; 4],
    gerealiseerde_uren: [Option<i64>; 4],
    beslist: Option<i64>,
    beslist_binnen_termijn: Option<i64>,
    /// Whole percent, or null.
    aandeel_binnen_termijn: Option<i64>,
    /// 0 while the task field has no figures in this year.
    versie: i64,
}

fn figures_json(year: Jaar, field: &TaskField, stored: Option<&TaskFieldYear>) -> FiguresJson {
    let figures = stored.map(TaskFieldYear::figures).unwrap_or_default();
    FiguresJson {
        taakveld_id: field.id,
        jaar: year.into(),
        gepland_aantal: figures.planned_volume.get(),
        geplande_uren: whole_hours(koers_domain::vth::planned_hundredths(
            figures.planned_volume,
            field.norm(),
        )),
        gerealiseerd_aantal: figures.realised_volume.map(|v| v.map(|v| v.get())),
        gerealiseerde_uren: figures.realised_hours.map(|h| h.map(|h| h.get())),
        beslist: figures.decided.map(|d| d.get()),
        beslist_binnen_termijn: figures.decided_in_term.map(|d| d.get()),
        aandeel_binnen_termijn: figures.share_in_term(),
        versie: stored.map_or(0, |s| s.version),
    }
}

pub async fn year_list(
    ApiCaller(ctx): ApiCaller,
    Path(jaar): Path<String>,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let vth: std::sync::Arc<VthYear> = ops::year_cached(&ctx, year).await?;
    let list: Vec<FiguresJson> = vth
        .shown_fields()
        .map(|f| figures_json(year, f, vth.figures_of(f.id)))
        .collect();
    Ok(axum::response::IntoResponse::into_response(Json(list)))
}

pub async fn year_show(
    ApiCaller(ctx): ApiCaller,
    Path((jaar, task_field)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let (field, stored) = ops::year_figures(&ctx, year, id(&task_field)?).await?;
    let json = figures_json(year, &field, stored.as_ref());
    Ok(with_etag(json.versie, Json(json)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FiguresBody {
    #[serde(default)]
    gepland_aantal: Option<i64>,
    #[serde(default)]
    gerealiseerd_aantal: [Option<i64>; 4],
    #[serde(default)]
    gerealiseerde_uren: [Option<i64>; 4],
    #[serde(default)]
    beslist: Option<i64>,
    #[serde(default)]
    beslist_binnen_termijn: Option<i64>,
}

fn figures_field(field: &str) -> &'static str {
    match field {
        "planned_volume" => "geplandAantal",
        "decided" => "beslist",
        "decided_in_term" => "beslistBinnenTermijn",
        f if f.starts_with("realised_volume") => "gerealiseerdAantal",
        f if f.starts_with("realised_hours") => "gerealiseerdeUren",
        _ => "body",
    }
}

pub async fn year_update(
    ApiCaller(ctx): ApiCaller,
    Path((jaar, task_field)): Path<(String, String)>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let task_field = id(&task_field)?;
    let version = if_match(&headers)?;
    let body = parse_body::<FiguresBody>(&body)?;
    let text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    let input = JaarcijfersInvoer {
        planned_volume: text(body.gepland_aantal),
        realised_volume: body.gerealiseerd_aantal.map(text),
        realised_hours: body.gerealiseerde_uren.map(text),
        decided: text(body.beslist),
        decided_in_term: text(body.beslist_binnen_termijn),
    };
    ops::save_year(&ctx, year, task_field, version, &input)
        .await
        .map_err(|e| ApiError::from_ops(e, figures_field))?;
    let (field, stored) = ops::year_figures(&ctx, year, task_field).await?;
    let json = figures_json(year, &field, stored.as_ref());
    Ok(with_etag(json.versie, Json(json)))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LineJson {
    /// Whole hours.
    beschikbaar: i64,
    taakvelden: i64,
    acties: i64,
    vraag: i64,
    saldo: i64,
    gerealiseerd_taakvelden: i64,
    gerealiseerd_acties: i64,
    /// ruim, krap or tekort.
    oordeel: &'static str,
}

fn line_json(line: &Regel) -> LineJson {
    LineJson {
        beschikbaar: whole_hours(line.available),
        taakvelden: whole_hours(line.task_fields),
        acties: whole_hours(line.actions),
        vraag: whole_hours(line.demand()),
        saldo: whole_hours(line.balance()),
        gerealiseerd_taakvelden: whole_hours(line.realised_task_fields),
        gerealiseerd_acties: whole_hours(line.realised_actions),
        oordeel: match line.bezetting() {
            koers_domain::capacity::Bezetting::Ruim => "ruim",
            koers_domain::capacity::Bezetting::Krap => "krap",
            koers_domain::capacity::Bezetting::Tekort => "tekort",
        },
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SubteamLineJson {
    subteam_id: i64,
    fte: f64,
    #[serde(flatten)]
    regel: LineJson,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ThemeJson {
    thema_id: i64,
    uren: i64,
    procent: i64,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CapacityJson {
    jaar: i64,
    productieve_uren_per_fte: i64,
    overhead_procent: i64,
    subteams: Vec<SubteamLineJson>,
    themas: Vec<ThemeJson>,
    totaal: LineJson,
}

pub async fn capacity(
    ApiCaller(ctx): ApiCaller,
    Path(jaar): Path<String>,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let vth = ops::year_cached(&ctx, year).await?;
    let capacity = vth.capacity();
    let json = CapacityJson {
        jaar: year.into(),
        productieve_uren_per_fte: vth.settings.settings.productive_hours_per_fte,
        overhead_procent: vth.settings.settings.overhead_percent,
        subteams: capacity
            .subteams
            .iter()
            .map(|(id, line)| SubteamLineJson {
                subteam_id: *id,
                fte: vth
                    .fte
                    .iter()
                    .find(|(s, _)| s == id)
                    .map_or(0.0, |(_, f)| f.hundredths() as f64 / 100.0),
                regel: line_json(line),
            })
            .collect(),
        themas: capacity
            .themes
            .iter()
            .map(|(id, hundredths)| ThemeJson {
                thema_id: *id,
                uren: whole_hours(*hundredths),
                procent: capacity.theme_percent(*id),
            })
            .collect(),
        totaal: line_json(&capacity.total),
    };
    Ok(axum::response::IntoResponse::into_response(Json(json)))
}

/// The organisation's capacity settings: what one fte yields in productive hours, and the share
/// that goes to overhead. Version 0 means the defaults, never saved.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SettingsJson {
    productieve_uren_per_fte: i64,
    overhead_procent: i64,
}

pub async fn settings_show(ApiCaller(ctx): ApiCaller) -> Result<Response, ApiError> {
    let settings = ops::settings(&ctx).await?;
    Ok(with_etag(
        settings.version,
        Json(SettingsJson {
            productieve_uren_per_fte: settings.settings.productive_hours_per_fte,
            overhead_procent: settings.settings.overhead_percent,
        }),
    ))
}

fn settings_field(field: &str) -> &'static str {
    match field {
        "productive_hours_per_fte" => "productieveUrenPerFte",
        "overhead_percent" => "overheadProcent",
        _ => "body",
    }
}

/// Changes the settings (beheerder), with `If-Match` naming the version read (`"0"` for the
/// defaults). Every capacity balance of every year follows at once.
pub async fn settings_update(
    ApiCaller(ctx): ApiCaller,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let version = if_match(&headers)?;
    let body = parse_body::<SettingsJson>(&body)?;
    ops::save_settings(
        &ctx,
        version,
        &body.productieve_uren_per_fte.to_string(),
        &body.overhead_procent.to_string(),
    )
    .await
    .map_err(|e| ApiError::from_ops(e, settings_field))?;
    settings_show(ApiCaller(ctx)).await
}
