//! One module per area; each handler extracts, calls `ops`, and renders one template.

pub mod account;
pub mod action;
pub mod admin;
pub mod adoption;
pub mod audit;
pub mod carry_over;
pub mod catalog;
pub mod evaluation;
pub mod house_style;
pub mod indicators;
pub mod letter_template;
pub mod lhs;
pub mod login;
pub mod overview;
pub mod package;
pub mod plan;
pub mod programme;
pub mod readability;
pub mod risk;
pub mod rounds;
pub mod search;
pub mod trends;
pub mod vth;

use super::error::WebError;
use super::session::{Current, clear_flash_cookie, flash_cookie};
use crate::ops::read_model::PageKey;
use askama::Template;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Redirect, Response};
use koers_domain::Jaar;

/// One option of a select, or one box of a checkbox list.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl Choice {
    /// Choices from (value, label) pairs; those whose value is in `chosen` are selected.
    pub fn list(items: impl IntoIterator<Item = (String, String)>, chosen: &[String]) -> Vec<Self> {
        items
            .into_iter()
            .map(|(value, label)| Self {
                selected: chosen.contains(&value),
                value,
                label,
            })
            .collect()
    }
}

/// A page that is made from the read model, the user and the day alone: sent from memory
/// when it was made before at the request's revision, made by `make` otherwise.
///
/// Only for pages that read nothing but the model (through `ops::read_model`), the user and
/// `Ctx::today`: the model's revision covers every change to the organisation's data, the
/// key covers the rest (see `PageKey`). A page with a flash message is made for its request
/// alone, and only a page that was made without error is kept.
pub async fn kept(
    current: &Current,
    uri: &Uri,
    make: impl AsyncFnOnce() -> Result<Response, WebError>,
) -> Result<Response, WebError> {
    if current.flash.is_some() || current.flash_warning.is_some() {
        return make().await;
    }
    let ctx = &current.ctx;
    let model = crate::ops::read_model::model(ctx).await?;
    let key = PageKey {
        path_and_query: uri.path_and_query().map_or("", |p| p.as_str()).to_string(),
        user_id: ctx.user.id,
        user_version: ctx.user.version,
        day: ctx.today(),
    };
    if let Some(page) = model.page(&key) {
        return Ok(Html(page).into_response());
    }
    let _making = model.making_page().await;
    if let Some(page) = model.page(&key) {
        return Ok(Html(page).into_response());
    }
    let response = make().await?;
    if response.status() != StatusCode::OK {
        return Ok(response);
    }
    let (parts, body) = response.into_parts();
    let page = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|e| WebError::Internal(e.into()))?;
    model.keep_page(key, page.clone());
    Ok(Response::from_parts(parts, page.into()))
}

/// Renders a page; a flash message shown on it is cleared so it appears only once.
pub fn render(current: &Current, page: &impl Template) -> Result<Response, WebError> {
    render_with_status(current, page, StatusCode::OK)
}

pub fn render_with_status(
    current: &Current,
    page: &impl Template,
    status: StatusCode,
) -> Result<Response, WebError> {
    let html = page.render().map_err(|e| WebError::Internal(e.into()))?;
    let mut response = (status, Html(html)).into_response();
    if current.flash.is_some() || current.flash_warning.is_some() {
        let (name, value) = clear_flash_cookie();
        response.headers_mut().append(name, value);
    }
    Ok(response)
}

/// Redirects after a successful POST, with a message for the next page.
pub fn redirect_with(to: &str, message: &str) -> Response {
    redirect_with_warning(to, message, None)
}

/// Redirects after a successful POST with a message and, when the save needs attention, a
/// warning that the next page shows in its own warning box.
pub fn redirect_with_warning(to: &str, message: &str, warning: Option<&str>) -> Response {
    let (name, value) = flash_cookie(message, warning);
    let mut response = Redirect::to(to).into_response();
    response.headers_mut().append(name, value);
    response
}

pub fn parse_year(text: &str) -> Result<Jaar, WebError> {
    Jaar::parse(text).map_err(|_| WebError::NotFound)
}

/// An id from a URL; one that cannot be an id names nothing (a Dutch 404, not axum's 400).
pub fn parse_id(text: &str) -> Result<i64, WebError> {
    koers_domain::action::parse_id(text).ok_or(WebError::NotFound)
}

/// Formats a number the Dutch way: 12.345.
pub fn thousands(n: i64) -> String {
    koers_domain::nl::duizendtallen(n)
}

/// "27 februari 2024".
pub fn dutch_date(date: chrono::NaiveDate) -> String {
    koers_domain::nl::datum(date)
}

/// "27-02-2024 14:05" in Dutch local time.
pub fn dutch_time(at: chrono::DateTime<chrono::Utc>) -> String {
    let local = at + chrono::Duration::hours(crate::ops::amsterdam_offset_hours(at));
    local.format("%d-%m-%Y %H:%M").to_string()
}

/// A file as an attachment (never shown inline), not cached. `filename` must be safe in a
/// header (`crate::export::safe_file_name`).
pub fn attachment(filename: &str, mime: &'static str, bytes: Vec<u8>) -> Response {
    use axum::http::{HeaderValue, header};
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{filename}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
