//! Logging in and out.

use crate::app::AppState;
use crate::ops::auth::{self, LoginError};
use crate::web::client::ClientAddress;
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::session::{SESSION_COOKIE, clear_session_cookie, cookie, session_cookie};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    email: String,
    terug: String,
    error: Option<String>,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct LoginQuery {
    terug: Option<String>,
    uitgelogd: Option<String>,
}

pub async fn form(Query(query): Query<LoginQuery>) -> Result<Response, WebError> {
    let page = LoginPage {
        email: String::new(),
        terug: safe_return(query.terug.as_deref()),
        error: None,
        notice: query.uitgelogd.map(|_| "U bent uitgelogd.".to_string()),
    };
    Ok(Html(page.render().map_err(|e| WebError::Internal(e.into()))?).into_response())
}

/// Only a path on this site is followed after login, never another host: it starts with one
/// `/`, and holds no backslash, white space or control character, which browsers drop or turn
/// into `/` (so `/\t/evil.example` would lead to `//evil.example`). Anything else goes to the
/// overview.
fn safe_return(path: Option<&str>) -> String {
    const LONGEST: usize = 2000;
    match path {
        Some(p)
            if p.len() <= LONGEST
                && p.starts_with('/')
                && !p.starts_with("//")
                && p.chars().all(|c| c.is_ascii_graphic() && c != '\\') =>
        {
            p.to_string()
        }
        _ => "/overzicht".to_string(),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    let typed_email = form.get("email");
    let password = form.get("wachtwoord");
    let terug = safe_return(Some(&form.get("terug")));
    let previous = cookie(&headers, SESSION_COOKIE);
    let attempt = auth::Attempt {
        email: &typed_email,
        password: &password,
        client: &client,
        previous_token: previous.as_deref(),
        now: state.clock.now().timestamp(),
        idle_seconds: state.session_idle_seconds,
    };
    let email: String = auth::normalise_email(&typed_email)
        .chars()
        .take(auth::MAX_EMAIL_LENGTH)
        .collect();
    let token = match auth::login(&state.store, &attempt).await {
        Ok(token) => token,
        Err(LoginError::Internal(error)) => return Err(WebError::Internal(error)),
        Err(refused) => {
            let page = LoginPage {
                email,
                terug,
                error: Some(refused.message().to_string()),
                notice: None,
            };
            let html = page.render().map_err(|e| WebError::Internal(e.into()))?;
            return Ok((StatusCode::UNAUTHORIZED, Html(html)).into_response());
        }
    };
    let mut response = Redirect::to(&terug).into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, session_cookie(&token));
    Ok(response)
}

pub async fn logout(
    State(state): State<AppState>,
    ClientAddress(client): ClientAddress,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        auth::logout(&state.store, &token, &client, state.clock.now().timestamp())
            .await
            .map_err(|e| WebError::Internal(e.into()))?;
    }
    let mut response = Redirect::to("/inloggen?uitgelogd=1").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie());
    Ok(response)
}
