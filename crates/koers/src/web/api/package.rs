//! The council package (raadspakket) of a year as a file, and the packages kept since the
//! programme was adopted. The format is the query parameter `formaat`; without it the `Accept`
//! header chooses among the four media types, and PDF is the default, as it is the archival
//! format.

use super::ApiCaller;
use super::error::{ApiError, InvalidParam};
use super::versions::year;
use crate::ops::package as ops;
use crate::web::pages::package::file_response;
use axum::Json;
use axum::extract::{Path, Query};
use axum::http::HeaderMap;
use axum::response::Response;
use koers_docs::render::Formaat;
use koers_store::council_packages::CouncilPackage;
use serde::Serialize;

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoredJson {
    id: i64,
    formaat: &'static str,
    sha256: String,
    /// Bytes.
    grootte: i64,
    programmaversie: i64,
    evaluatieversie: Option<i64>,
    aangemaakt_op: chrono::DateTime<chrono::Utc>,
    /// Where the file itself is.
    link: String,
}

/// The format asked for: `formaat` when given (once, and one of the four), otherwise the first
/// media type of `Accept` that Koers makes, otherwise PDF.
fn formaat(query: &[(String, String)], headers: &HeaderMap) -> Result<Formaat, ApiError> {
    let given: Vec<&str> = query
        .iter()
        .filter(|(name, _)| name == "formaat")
        .map(|(_, value)| value.as_str())
        .collect();
    match given.as_slice() {
        [] => {}
        [one] => {
            return Formaat::from_code(one).ok_or_else(|| {
                ApiError::Invalid(vec![InvalidParam::new(
                    "formaat",
                    "Kies pdf, odt, docx of html.",
                )])
            });
        }
        _ => {
            return Err(ApiError::Invalid(vec![InvalidParam::new(
                "formaat",
                "Geef het formaat hoogstens één keer mee.",
            )]));
        }
    }
    let chosen = super::accepted_media_types(headers).find_map(|essence| {
        Formaat::ALL
            .into_iter()
            .find(|f| f.mime().split(';').next().unwrap_or_default() == essence)
    });
    Ok(chosen.unwrap_or(Formaat::Pdf))
}

pub async fn file(
    ApiCaller(ctx): ApiCaller,
    Path(jaar): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let year = year(&jaar)?;
    let formaat = formaat(&query, &headers)?;
    Ok(file_response(ops::render(&ctx, year, formaat).await?))
}

fn stored_json(p: &CouncilPackage) -> StoredJson {
    StoredJson {
        id: p.id,
        formaat: Formaat::from_code(&p.format).map_or("pdf", Formaat::code),
        sha256: p.sha256.clone(),
        grootte: p.size,
        programmaversie: p.programme_version,
        evaluatieversie: p.evaluation_version,
        aangemaakt_op: p.created_at,
        link: format!("/api/v1/programmas/{}/raadspakketten/{}", p.year, p.id),
    }
}

pub async fn list(
    ApiCaller(ctx): ApiCaller,
    Path(jaar): Path<String>,
) -> Result<Json<Vec<StoredJson>>, ApiError> {
    let stored = ops::stored(&ctx, year(&jaar)?).await?;
    Ok(Json(stored.iter().map(stored_json).collect()))
}

pub async fn stored_file(
    ApiCaller(ctx): ApiCaller,
    Path((jaar, id)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(file_response(
        ops::stored_file(&ctx, year(&jaar)?, &id).await?,
    ))
}
