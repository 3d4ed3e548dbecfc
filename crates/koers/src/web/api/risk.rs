//! The risk model (`/risicomodel`), the risk analyses per task field (`/risicoanalyses`) and the
//! LHS intervention matrix (`/lhs-matrix`). Each save adds a version; a write names the version
//! it follows in `If-Match` (`"0"` when there is none yet), like the other resources.

use super::actions::{if_match, parse_body, with_etag};
use super::error::ApiError;
use super::{ApiCaller, JsonBody};
use crate::ops::risk::{self as ops, CurrentModel, Scored};
use crate::ops::{Ctx, lhs};
use axum::Json;
use axum::extract::Path;
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::{DateTime, Utc};
use koers_domain::lhs::LhsInvoer;
use koers_domain::risk::{
    AnalyseInvoer, CriteriumInvoer, KlasseInvoer, Risicomodel, RisicomodelInvoer,
};
use koers_store::risk::{LhsVersion, RiskModelVersion, TaskFieldRef};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The API's name for a field of the risk forms.
fn field(name: &str) -> &'static str {
    match name {
        "combinatie" => "combinatie",
        "kans" => "kans",
        "toelichting" => "toelichting",
        n if n.starts_with("criteri") => "criteria",
        n if n.starts_with("klasse") => "klassen",
        n if n.starts_with("effect") => "effecten",
        n if n.starts_with("cel") => "cellen",
        _ => "body",
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CriterionJson {
    naam: String,
    #[serde(default)]
    uitleg: String,
    gewicht: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ClassJson {
    naam: String,
    van: i64,
    tot: i64,
    #[serde(default)]
    intensiteit: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelJson {
    /// 0: Koers' default, not saved by the organisation.
    versie: i64,
    combinatie: &'static str,
    criteria: Vec<CriterionJson>,
    klassen: Vec<ClassJson>,
    opgeslagen_op: Option<DateTime<Utc>>,
    opgeslagen_door: Option<String>,
}

fn model_json(
    number: i64,
    model: &Risicomodel,
    saved: Option<(DateTime<Utc>, String)>,
) -> ModelJson {
    let (at, by) = saved.unzip();
    ModelJson {
        versie: number,
        combinatie: model.combinatie.code(),
        criteria: model
            .criteria
            .iter()
            .map(|c| CriterionJson {
                naam: c.naam.clone(),
                uitleg: c.uitleg.clone(),
                gewicht: i64::from(c.gewicht),
            })
            .collect(),
        klassen: model
            .klassen
            .iter()
            .map(|k| ClassJson {
                naam: k.naam.clone(),
                van: i64::from(k.van),
                tot: i64::from(k.tot),
                intensiteit: k.intensiteit.clone(),
            })
            .collect(),
        opgeslagen_op: at,
        opgeslagen_door: by,
    }
}

fn current_json(current: &CurrentModel) -> Response {
    with_etag(
        current.number,
        Json(model_json(
            current.number,
            &current.model,
            current.saved.clone(),
        )),
    )
}

fn version_json(v: &RiskModelVersion) -> ModelJson {
    model_json(
        v.number,
        &v.model,
        Some((v.created_at, v.created_by.clone())),
    )
}

pub async fn model_show(ApiCaller(ctx): ApiCaller) -> Result<Response, ApiError> {
    Ok(current_json(&ops::models(&ctx).await?.0))
}

pub async fn model_versions(ApiCaller(ctx): ApiCaller) -> Result<Json<Vec<ModelJson>>, ApiError> {
    let (_, versions) = ops::models(&ctx).await?;
    Ok(Json(versions.iter().rev().map(version_json).collect()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ModelBody {
    combinatie: String,
    criteria: Vec<CriterionJson>,
    klassen: Vec<ClassJson>,
}

pub async fn model_update(
    ApiCaller(ctx): ApiCaller,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers)?;
    let body: ModelBody = parse_body(&body)?;
    let input = RisicomodelInvoer {
        combinatie: body.combinatie,
        criteria: body
            .criteria
            .into_iter()
            .map(|c| CriteriumInvoer {
                naam: c.naam,
                uitleg: c.uitleg,
                gewicht: c.gewicht.to_string(),
            })
            .collect(),
        klassen: body
            .klassen
            .into_iter()
            .map(|k| KlasseInvoer {
                naam: k.naam,
                van: k.van.to_string(),
                tot: k.tot.to_string(),
                intensiteit: k.intensiteit,
            })
            .collect(),
    };
    ops::save_model(&ctx, expected, &input)
        .await
        .map_err(|e| ApiError::from_ops(e, field))?;
    Ok(current_json(&ops::models(&ctx).await?.0))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TaskFieldJson {
    id: i64,
    code: String,
    naam: String,
    discipline: String,
    ingetrokken: bool,
}

fn task_field_json(f: &TaskFieldRef) -> TaskFieldJson {
    TaskFieldJson {
        id: f.id,
        code: f.code.clone(),
        naam: f.name.clone(),
        discipline: f.discipline.clone(),
        ingetrokken: f.retired,
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AnalysisJson {
    nummer: i64,
    risicomodel_versie: i64,
    kans: u8,
    effecten: Vec<u8>,
    toelichting: String,
    effect: u8,
    score: u8,
    prioriteit: String,
    toezicht: String,
    opgeslagen_op: DateTime<Utc>,
    opgeslagen_door: String,
}

fn analysis_json(s: &Scored) -> AnalysisJson {
    AnalysisJson {
        nummer: s.analysis.number,
        risicomodel_versie: s.analysis.model_number,
        kans: s.uitslag.kans,
        effecten: s
            .analysis
            .analyse
            .effecten
            .iter()
            .map(|e| e.get())
            .collect(),
        toelichting: s.analysis.analyse.toelichting.clone(),
        effect: s.uitslag.effect,
        score: s.uitslag.score,
        prioriteit: s.uitslag.klasse.clone(),
        toezicht: s.uitslag.intensiteit.clone(),
        opgeslagen_op: s.analysis.created_at,
        opgeslagen_door: s.analysis.created_by.clone(),
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RowJson {
    taakveld: TaskFieldJson,
    analyse: Option<AnalysisJson>,
}

pub async fn analyses(ApiCaller(ctx): ApiCaller) -> Result<Json<Vec<RowJson>>, ApiError> {
    let overview = ops::overview(&ctx).await?;
    Ok(Json(
        overview
            .rows
            .iter()
            .map(|r| RowJson {
                taakveld: task_field_json(&r.field),
                analyse: r.current.as_ref().map(analysis_json),
            })
            .collect(),
    ))
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldJson {
    taakveld: TaskFieldJson,
    /// Newest first; the first is in force.
    analyses: Vec<AnalysisJson>,
}

fn task_field_id(text: &str) -> Result<i64, ApiError> {
    koers_domain::action::parse_id(text).ok_or(ApiError::NotFound)
}

async fn field_reply(ctx: &Ctx, id: i64) -> Result<Response, ApiError> {
    let view = ops::field(ctx, id).await?;
    Ok(with_etag(
        view.analysis_number(),
        Json(FieldJson {
            taakveld: task_field_json(&view.field),
            analyses: view.history.iter().map(analysis_json).collect(),
        }),
    ))
}

pub async fn analysis_show(
    ApiCaller(ctx): ApiCaller,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    field_reply(&ctx, task_field_id(&id)?).await
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AnalysisBody {
    kans: i64,
    effecten: Vec<i64>,
    #[serde(default)]
    toelichting: String,
}

/// Adds an analysis of the task field, scored with the model version in force.
pub async fn analysis_update(
    ApiCaller(ctx): ApiCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let id = task_field_id(&id)?;
    let expected = if_match(&headers)?;
    let body: AnalysisBody = parse_body(&body)?;
    let input = AnalyseInvoer {
        kans: body.kans.to_string(),
        effecten: body.effecten.iter().map(i64::to_string).collect(),
        toelichting: body.toelichting,
    };
    let (current, _) = ops::models(&ctx).await?;
    ops::save_analysis(&ctx, id, expected, current.number, &input)
        .await
        .map_err(|e| ApiError::from_ops(e, field))?;
    field_reply(&ctx, id).await
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LhsJson {
    /// 0: nothing saved yet, every cell empty.
    versie: i64,
    /// The filled-in cells by name (A1 … D4); an absent cell is still to be filled in.
    cellen: BTreeMap<String, String>,
    toelichting: String,
    opgeslagen_op: Option<DateTime<Utc>>,
    opgeslagen_door: Option<String>,
}

fn lhs_json(v: Option<&LhsVersion>) -> LhsJson {
    match v {
        Some(v) => LhsJson {
            versie: v.number,
            cellen: v.matrix.cellen.clone(),
            toelichting: v.matrix.toelichting.clone(),
            opgeslagen_op: Some(v.created_at),
            opgeslagen_door: Some(v.created_by.clone()),
        },
        None => LhsJson {
            versie: 0,
            cellen: BTreeMap::new(),
            toelichting: String::new(),
            opgeslagen_op: None,
            opgeslagen_door: None,
        },
    }
}

async fn lhs_reply(ctx: &Ctx) -> Result<Response, ApiError> {
    let versions = lhs::versions_fresh(ctx).await?;
    let json = lhs_json(versions.last());
    Ok(with_etag(json.versie, Json(json)))
}

pub async fn lhs_show(ApiCaller(ctx): ApiCaller) -> Result<Response, ApiError> {
    let versions = lhs::versions(&ctx).await?;
    let json = lhs_json(versions.last());
    Ok(with_etag(json.versie, Json(json)))
}

pub async fn lhs_versions(ApiCaller(ctx): ApiCaller) -> Result<Json<Vec<LhsJson>>, ApiError> {
    let versions = lhs::versions(&ctx).await?;
    Ok(Json(
        versions.iter().rev().map(|v| lhs_json(Some(v))).collect(),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LhsBody {
    cellen: BTreeMap<String, String>,
    #[serde(default)]
    toelichting: String,
}

pub async fn lhs_update(
    ApiCaller(ctx): ApiCaller,
    headers: HeaderMap,
    JsonBody(body): JsonBody,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers)?;
    let body: LhsBody = parse_body(&body)?;
    let input = LhsInvoer {
        cellen: body.cellen,
        toelichting: body.toelichting,
    };
    lhs::save(&ctx, expected, &input)
        .await
        .map_err(|e| ApiError::from_ops(e, field))?;
    lhs_reply(&ctx).await
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn form_fields_have_api_names() {
        assert_eq!(field("criterium_gewicht_2"), "criteria");
        assert_eq!(field("klasse_van_1"), "klassen");
        assert_eq!(field("effect_3"), "effecten");
        assert_eq!(field("cel_B3"), "cellen");
        assert_eq!(field("iets"), "body");
    }
}
