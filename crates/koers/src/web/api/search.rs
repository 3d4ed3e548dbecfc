//! `GET /zoeken`: search across all years, as on the `/zoeken` page.

use super::ApiCaller;
use super::error::{ApiError, InvalidParam};
use crate::ops::OpsError;
use crate::ops::search as ops;
use axum::Json;
use serde::{Deserialize, Serialize};

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    zoek: String,
    #[serde(default)]
    pagina: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HitJson {
    jaar: i64,
    code: String,
    titel: String,
    status: &'static str,
    trekker: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResultsJson {
    totaal: i64,
    pagina: i64,
    paginas: i64,
    per_pagina: i64,
    resultaten: Vec<HitJson>,
}

pub async fn search(
    ApiCaller(ctx): ApiCaller,
    super::ApiQuery(query): super::ApiQuery<SearchQuery>,
) -> Result<Json<ResultsJson>, ApiError> {
    let mut problems = Vec::new();
    let words = match ops::query(&query.zoek, "zoek") {
        Ok(words) => words,
        Err(OpsError::Invalid(errors)) => {
            problems.extend(errors.iter().map(|e| InvalidParam::new("zoek", &e.message)));
            None
        }
        Err(other) => return Err(other.into()),
    };
    let page = match ops::page_number(&query.pagina) {
        Ok(page) => page,
        Err(OpsError::Refused(message)) => {
            problems.push(InvalidParam::new("pagina", &message));
            1
        }
        Err(other) => return Err(other.into()),
    };
    if !problems.is_empty() {
        return Err(ApiError::Invalid(problems));
    }
    let view = ops::search(&ctx, words, page).await?;
    Ok(Json(ResultsJson {
        totaal: view.results.total,
        pagina: view.page,
        paginas: view.pages,
        per_pagina: ops::PAGE_SIZE,
        resultaten: view
            .results
            .hits
            .into_iter()
            .map(|h| HitJson {
                jaar: h.year,
                code: h.code,
                titel: h.title,
                status: h.status.code(),
                trekker: h.lead_subteam,
            })
            .collect(),
    }))
}
