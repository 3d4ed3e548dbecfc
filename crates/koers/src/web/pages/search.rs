//! `/zoeken`: one search field that finds actions of every year (ops::search).

use super::{render, render_with_status};
use crate::ops::OpsError;
use crate::ops::search as ops;
use crate::web::error::WebError;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use koers_domain::FieldErrors;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    zoek: String,
    /// Read as text so that a wrong page number gets a Dutch answer.
    #[serde(default)]
    pagina: String,
}

pub struct Hit {
    pub year: i64,
    pub code: String,
    pub title: String,
    pub href: String,
    pub status_code: &'static str,
    pub status: &'static str,
    pub lead: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    zoek: String,
    errors: FieldErrors,
    /// Whether a search with at least one word was done.
    searched: bool,
    total: i64,
    hits: Vec<Hit>,
    page: i64,
    pages: i64,
    previous_href: Option<String>,
    next_href: Option<String>,
}

pub async fn page(
    current: Current,
    Query(query): Query<SearchQuery>,
) -> Result<Response, WebError> {
    let page_number = ops::page_number(&query.pagina)?;
    let layout = Layout::new(&current, Section::Zoeken, "Zoeken in alle jaren");
    let words = match ops::query(&query.zoek, "zoek") {
        Ok(words) => words,
        Err(OpsError::Invalid(errors)) => {
            let page = SearchPage {
                layout,
                zoek: query.zoek.clone(),
                errors,
                searched: false,
                total: 0,
                hits: Vec::new(),
                page: 1,
                pages: 0,
                previous_href: None,
                next_href: None,
            };
            return render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(other) => return Err(other.into()),
    };
    let view = ops::search(&current.ctx, words, page_number).await?;
    let href = |page: i64| {
        let query = serde_urlencoded::to_string([
            ("zoek", query.zoek.as_str()),
            ("pagina", &page.to_string()),
        ])
        .unwrap_or_default();
        format!("/zoeken?{query}")
    };
    let page = SearchPage {
        layout,
        zoek: query.zoek.clone(),
        errors: FieldErrors::default(),
        searched: view.query.is_some(),
        total: view.results.total,
        hits: view
            .results
            .hits
            .into_iter()
            .map(|h| Hit {
                href: format!("/programma/{}/acties/{}", h.year, h.code),
                year: h.year,
                code: h.code,
                title: h.title,
                status_code: h.status.code(),
                status: h.status.label(),
                lead: h.lead_subteam,
            })
            .collect(),
        page: view.page,
        pages: view.pages,
        previous_href: (view.page > 1).then(|| href(view.page - 1)),
        next_href: (view.page < view.pages).then(|| href(view.page + 1)),
    };
    render(&current, &page)
}
