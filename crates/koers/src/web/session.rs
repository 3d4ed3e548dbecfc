//! Sessions: a random token in an HttpOnly cookie, its hash in the database, so that several
//! app instances on one database share sessions. Also the one-time flash message.

use super::error::WebError;
use crate::app::AppState;
use crate::ops::{Ctx, auth};
use axum::extract::FromRequestParts;
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};

pub const SESSION_COOKIE: &str = "koers_sessie";
const FLASH_COOKIE: &str = "koers_melding";

/// The logged-in user of a request, with the organisation it belongs to.
pub struct Current {
    pub ctx: Ctx,
    /// A message from the previous request ("Actie opgeslagen."), shown once.
    pub flash: Option<String>,
    /// A warning that came with that message ("Toezicht & Handhaving komt 18 uur tekort"),
    /// shown once beside it in a warning box: the save went through, but needs attention.
    pub flash_warning: Option<String>,
    /// The team of the house style, shown in the header; empty when none is set.
    pub team: String,
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

impl FromRequestParts<AppState> for Current {
    type Rejection = WebError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        // Made only when needed: most requests carry a valid session.
        let unauthenticated = || WebError::Unauthenticated {
            return_to: parts.uri.path_and_query().map(|p| p.as_str().to_string()),
        };
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or_else(unauthenticated)?;
        let now = state.clock.now();
        let (user, organisation, team) = auth::session(
            &state.store,
            &token,
            now.timestamp(),
            state.session_idle_seconds,
        )
        .await
        .map_err(|e| WebError::Internal(e.into()))?
        .ok_or_else(unauthenticated)?;
        let (flash, flash_warning) = cookie(&parts.headers, FLASH_COOKIE)
            .map(|v| read_flash(&v))
            .unwrap_or_default();
        Ok(Current {
            ctx: Ctx {
                store: state.store.clone(),
                user,
                organisation,
                now,
                read_models: state.read_models.clone(),
            },
            flash,
            flash_warning,
            team,
        })
    }
}

/// The session cookie; `Secure` is added behind HTTPS by `security::secure_cookies`. It lives
/// as long as the longest session; the database ends idle sessions sooner.
pub fn session_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}",
        auth::SESSION_SECONDS
    ))
    .expect("a hex token is a valid header value")
}

pub fn clear_session_cookie() -> HeaderValue {
    HeaderValue::from_static("koers_sessie=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0")
}

/// A cookie that carries `message`, and a `warning` if there is one, to the next page. The value
/// is the message URL-encoded, then `&w=` and the warning URL-encoded: `read_flash` parses it
/// as the form `m=…&w=…`.
pub fn flash_cookie(message: &str, warning: Option<&str>) -> (axum::http::HeaderName, HeaderValue) {
    let mut encoded: String = form_urlencoded::byte_serialize(message.as_bytes()).collect();
    if let Some(warning) = warning {
        encoded.push_str("&w=");
        encoded.extend(form_urlencoded::byte_serialize(warning.as_bytes()));
    }
    let value = format!("{FLASH_COOKIE}={encoded}; Path=/; HttpOnly; SameSite=Lax; Max-Age=60");
    (
        SET_COOKIE,
        HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static("")),
    )
}

fn read_flash(value: &str) -> (Option<String>, Option<String>) {
    let (mut message, mut warning) = (None, None);
    for (key, text) in form_urlencoded::parse(format!("m={value}").as_bytes()) {
        let text = Some(text.into_owned()).filter(|t| !t.is_empty());
        match key.as_ref() {
            "m" => message = text,
            "w" => warning = text,
            _ => {}
        }
    }
    (message, warning)
}

pub fn clear_flash_cookie() -> (axum::http::HeaderName, HeaderValue) {
    (
        SET_COOKIE,
        HeaderValue::from_static("koers_melding=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value_of(header: &HeaderValue) -> String {
        let text = header.to_str().unwrap();
        let pair = text.split(';').next().unwrap();
        pair.split_once('=').unwrap().1.to_string()
    }

    #[test]
    fn a_flash_carries_its_warning_apart_even_when_the_text_looks_like_the_encoding() {
        let (_, header) =
            flash_cookie("Actie A&w=B is opgeslagen.", Some("Tekort: 18 uur; let op"));
        let (message, warning) = read_flash(&value_of(&header));
        assert_eq!(message.as_deref(), Some("Actie A&w=B is opgeslagen."));
        assert_eq!(warning.as_deref(), Some("Tekort: 18 uur; let op"));
        let (_, header) = flash_cookie("Opgeslagen.", None);
        assert_eq!(
            read_flash(&value_of(&header)),
            (Some("Opgeslagen.".into()), None)
        );
    }
}
