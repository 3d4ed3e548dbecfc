//! Logging in and out.

use crate::app::AppState;
use crate::ops::auth::{self, LoginError};
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

/// Only paths on this site are followed after login, never another host.
fn safe_return(path: Option<&str>) -> String {
    match path {
        Some(p) if p.starts_with('/') && !p.starts_with("//") && !p.starts_with("/\\") => {
            p.to_string()
        }
        _ => "/overzicht".to_string(),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    let email = form.get("email").trim().to_lowercase();
    let password = form.get("wachtwoord");
    let terug = safe_return(Some(&form.get("terug")));
    let previous = cookie(&headers, SESSION_COOKIE);
    let now = state.clock.now().timestamp();
    let token = match auth::login(&state.store, &email, &password, previous.as_deref(), now).await {
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
    response.headers_mut().append(
        header::SET_COOKIE,
        session_cookie(&token, state.secure_cookies),
    );
    Ok(response)
}

pub async fn logout(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        auth::logout(&state.store, &token)
            .await
            .map_err(|e| WebError::Internal(e.into()))?;
    }
    let mut response = Redirect::to("/inloggen?uitgelogd=1").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie());
    Ok(response)
}
