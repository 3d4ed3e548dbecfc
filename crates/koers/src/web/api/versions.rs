//! Adopted (frozen) versions of a programme and its evaluation, read-only.

use super::ApiCaller;
use super::error::ApiError;
use crate::ops::adoption as ops;
use axum::Json;
use axum::extract::Path;
use koers_domain::Jaar;
use koers_store::adoption::{Document, FrozenVersion};
use serde::Serialize;

pub(super) fn year(text: &str) -> Result<Jaar, ApiError> {
    Jaar::parse(text).map_err(|_| ApiError::NotFound)
}

/// A document kind from the path; an unknown one, like an unknown year, names nothing.
fn document(text: &str) -> Result<Document, ApiError> {
    Document::from_code(text).ok_or(ApiError::NotFound)
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionJson {
    soort: &'static str,
    nummer: i64,
    besluitdatum: chrono::NaiveDate,
    besluitkenmerk: String,
    sha256: String,
    vastgelegd_op: chrono::DateTime<chrono::Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inhoud: Option<serde_json::Value>,
}

fn version_json(v: &FrozenVersion, with_content: bool) -> Result<VersionJson, ApiError> {
    let inhoud = if with_content {
        Some(
            serde_json::from_str(&v.content)
                .map_err(|e| ApiError::Internal(anyhow::anyhow!("frozen content: {e}")))?,
        )
    } else {
        None
    };
    Ok(VersionJson {
        soort: v.kind.code(),
        nummer: v.number,
        besluitdatum: v.decided_on,
        besluitkenmerk: v.decision_reference.clone(),
        sha256: v.sha256.clone(),
        vastgelegd_op: v.frozen_at,
        inhoud,
    })
}

pub async fn list(
    ApiCaller(ctx): ApiCaller,
    Path(jaar): Path<String>,
) -> Result<Json<Vec<VersionJson>>, ApiError> {
    let versions = ops::versions(&ctx, year(&jaar)?).await?;
    Ok(Json(
        versions
            .iter()
            .map(|v| version_json(v, false))
            .collect::<Result<_, _>>()?,
    ))
}

pub async fn show(
    ApiCaller(ctx): ApiCaller,
    Path((jaar, soort, nummer)): Path<(String, String, String)>,
) -> Result<Json<VersionJson>, ApiError> {
    let version = ops::version(&ctx, year(&jaar)?, document(&soort)?, &nummer).await?;
    Ok(Json(version_json(&version, true)?))
}
