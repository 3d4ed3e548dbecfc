//! POST /leesbaarheid: the readability indication of one text field of a form. htmx asks for a
//! fragment next to the field; the "Leesbaarheid controleren" button without JavaScript posts
//! the whole form here and gets a page with the result and a way back. Nothing is stored.

use super::render_with_status;
use crate::ops::OpsError;
use crate::ops::readability as ops;
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use koers_domain::readability::{Analysis, LONG_SENTENCE};

#[derive(Template)]
#[template(path = "readability_result.html")]
struct Fragment {
    analysis: Option<Analysis>,
    error: Option<String>,
    long_limit: usize,
}

#[derive(Template)]
#[template(path = "readability.html")]
struct Page {
    layout: Layout,
    analysis: Option<Analysis>,
    error: Option<String>,
    long_limit: usize,
    back: String,
}

pub async fn check(
    current: Result<Current, WebError>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let htmx = headers.contains_key("hx-request");
    let current = match current {
        Ok(current) => current,
        // A session that ended while the user typed: say so next to the field, instead of
        // putting the login page there. The text stays in the form.
        Err(WebError::Unauthenticated { .. }) if htmx => {
            let fragment = Fragment {
                analysis: None,
                error: Some(
                    "U bent niet meer ingelogd. Bewaar uw tekst ergens anders en log opnieuw in."
                        .into(),
                ),
                long_limit: LONG_SENTENCE,
            };
            let html = fragment
                .render()
                .map_err(|e| WebError::Internal(e.into()))?;
            return Ok((StatusCode::UNAUTHORIZED, Html(html)).into_response());
        }
        Err(other) => return Err(other),
    };
    let form = FormData::parse(&body);
    let field = match form.get("veld") {
        field if field.is_empty() => "tekst".to_string(),
        field => field,
    };
    let (analysis, error, status) = match ops::check(&field, &form.get(&field)) {
        Ok(analysis) => (Some(analysis), None, StatusCode::OK),
        Err(OpsError::Invalid(errors)) => (
            None,
            Some(
                errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(other) => return Err(other.into()),
    };
    if htmx {
        let fragment = Fragment {
            analysis,
            error,
            long_limit: LONG_SENTENCE,
        };
        let html = fragment
            .render()
            .map_err(|e| WebError::Internal(e.into()))?;
        return Ok((status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response());
    }
    let page = Page {
        layout: Layout::new(&current, Section::Elders, "Leesbaarheid van uw tekst"),
        analysis,
        error,
        long_limit: LONG_SENTENCE,
        back: back_link(&headers),
    };
    render_with_status(&current, &page, status)
}

/// The form the text came from, when the browser says so and it is a page of this site;
/// otherwise the overview.
fn back_link(headers: &HeaderMap) -> String {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let path = text(header::REFERER)
        .zip(text(header::HOST))
        .and_then(|(referer, host)| {
            let rest = referer
                .strip_prefix("http://")
                .or_else(|| referer.strip_prefix("https://"))?;
            let path = rest.strip_prefix(host)?;
            (path.starts_with('/') && !path.starts_with("//") && path.len() <= 300)
                .then(|| path.to_string())
        });
    path.unwrap_or_else(|| "/overzicht".to_string())
}
