//! Logging in and out.

use crate::app::AppState;
use crate::password;
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::session::{
    SESSION_COOKIE, SESSION_SECONDS, clear_session_cookie, cookie, session_cookie,
};
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;

/// Failed attempts per e-mail address within the window before login is refused for a while.
const MAX_FAILURES: i64 = 5;
const WINDOW_SECONDS: i64 = 15 * 60;

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
    let now = state.clock.now().timestamp();
    let failed = |message: &str| -> Result<Response, WebError> {
        let page = LoginPage {
            email: email.clone(),
            terug: terug.clone(),
            error: Some(message.to_string()),
            notice: None,
        };
        let html = page.render().map_err(|e| WebError::Internal(e.into()))?;
        Ok((StatusCode::UNAUTHORIZED, Html(html)).into_response())
    };
    if email.is_empty() || password.is_empty() {
        return failed("Vul uw e-mailadres en wachtwoord in.");
    }
    let store = &state.store;
    let failures = store
        .recent_failed_logins(&email, now - WINDOW_SECONDS)
        .await
        .map_err(anyhow::Error::from)?;
    if failures >= MAX_FAILURES {
        return failed("Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw.");
    }
    let credentials = store
        .credentials(&email)
        .await
        .map_err(anyhow::Error::from)?;
    // An unknown address costs as much time as a wrong password, so that response times do not
    // tell which addresses have an account.
    let valid = match &credentials {
        Some(c) => password::verify(&password, &c.password_hash) && c.active,
        None => {
            password::verify(&password, password::unknown_user_hash());
            false
        }
    };
    let user = match credentials {
        Some(c) if valid => c,
        _ => {
            store
                .record_login_attempt(&email, now, false)
                .await
                .map_err(anyhow::Error::from)?;
            return failed("Het e-mailadres of het wachtwoord is onjuist.");
        }
    };
    store
        .record_login_attempt(&email, now, true)
        .await
        .map_err(anyhow::Error::from)?;
    // A session that this browser still had ends here.
    if let Some(old) = cookie(&headers, SESSION_COOKIE) {
        store
            .delete_session(&password::token_hash(&old))
            .await
            .map_err(anyhow::Error::from)?;
    }
    // A fresh token at every login: a session id planted before login is worth nothing after it.
    let token = password::session_token();
    store
        .create_session(
            &password::token_hash(&token),
            user.organisation_id,
            user.id,
            now,
            now + SESSION_SECONDS,
        )
        .await
        .map_err(anyhow::Error::from)?;
    store
        .prune_sessions(now, now - 24 * 60 * 60)
        .await
        .map_err(anyhow::Error::from)?;
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
        state
            .store
            .delete_session(&password::token_hash(&token))
            .await
            .map_err(anyhow::Error::from)?;
    }
    let mut response = Redirect::to("/inloggen?uitgelogd=1").into_response();
    response
        .headers_mut()
        .append(header::SET_COOKIE, clear_session_cookie());
    Ok(response)
}
