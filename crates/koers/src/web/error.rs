//! One error type for all pages: a status per variant, a Dutch message for the user, and the
//! cause logged once (never shown).

use super::layout::{Layout, Section};
use super::session::Current;
use crate::app::AppState;
use crate::ops::OpsError;
use askama::Template;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not logged in")]
    Unauthenticated { return_to: Option<String> },
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Not found, with a sentence that says what is missing.
    #[error("not found: {0}")]
    Missing(String),
    #[error("bad request: {0}")]
    BadRequest(String),
    /// A failure on our side that is told in words; logged like [`WebError::Internal`].
    #[error("failed: {0}")]
    Failed(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<OpsError> for WebError {
    fn from(error: OpsError) -> Self {
        match error {
            OpsError::Forbidden => Self::Forbidden,
            OpsError::NotFound => Self::NotFound,
            OpsError::Missing(message) => Self::Missing(message),
            OpsError::Failed(message) => Self::Failed(message),
            OpsError::Refused(message) => Self::BadRequest(message),
            OpsError::Invalid(errors) => {
                Self::BadRequest(errors.iter().map(|e| e.message.clone()).collect::<Vec<_>>().join(" "))
            }
            OpsError::Conflict { .. } => Self::BadRequest(
                "Iemand anders heeft dit intussen gewijzigd. Laad de pagina opnieuw en probeer het nog eens.".into(),
            ),
            OpsError::Internal(e) => Self::Internal(e),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    title: &'a str,
    message: &'a str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let (status, title, message) = match &self {
            Self::Unauthenticated { return_to } => {
                let target = match return_to.as_deref() {
                    Some(path) if path.starts_with('/') && !path.starts_with("//") && path != "/" => {
                        let encoded: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
                        format!("/inloggen?terug={encoded}")
                    }
                    _ => "/inloggen".to_string(),
                };
                return Redirect::to(&target).into_response();
            }
            Self::Forbidden => (
                StatusCode::FORBIDDEN,
                "Geen toegang",
                "U heeft geen rechten voor deze handeling. Vraag een beheerder van uw organisatie als u denkt dat dit niet klopt.".to_string(),
            ),
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "Pagina niet gevonden",
                "Deze pagina bestaat niet (meer). Controleer het adres of ga terug naar het overzicht.".to_string(),
            ),
            Self::Missing(message) => (StatusCode::NOT_FOUND, "Niet gevonden", message.clone()),
            Self::BadRequest(message) => (StatusCode::BAD_REQUEST, "Dat lukte niet", message.clone()),
            Self::Failed(message) => {
                tracing::error!(error = %message, "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Er ging iets mis",
                    format!("{message} Er is niets gewijzigd. Probeer het later opnieuw; blijft het misgaan, meld het dan bij uw beheerder."),
                )
            }
            Self::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Er ging iets mis",
                    "Er ging iets mis aan onze kant. Er is niets gewijzigd. Probeer het later opnieuw; blijft het misgaan, meld het dan bij uw beheerder.".to_string(),
                )
            }
        };
        let page = ErrorPage {
            title,
            message: &message,
        };
        let mut response = match page.render() {
            Ok(html) => (status, [(header::CACHE_CONTROL, "no-store")], Html(html)).into_response(),
            Err(_) => (status, message.clone()).into_response(),
        };
        response
            .extensions_mut()
            .insert(ErrorText { title, message });
        response
    }
}

pub async fn not_found() -> WebError {
    WebError::NotFound
}

/// The words of an error page, kept on the response for [`with_layout`].
#[derive(Clone)]
struct ErrorText {
    title: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "error_page.html")]
struct LayoutErrorPage<'a> {
    layout: Layout,
    title: &'a str,
    message: &'a str,
}

/// Middleware: an error page shown to a logged-in user keeps the header and navigation, so a
/// mistyped address or a missing year is one click from the rest of Koers. Without a session
/// the plain error page stays (it names no organisation).
pub async fn with_layout(
    State(state): State<std::sync::Arc<AppState>>,
    request: Request,
    next: Next,
) -> Response {
    // Only the cookies are needed to find the user again; copying every header would cost each
    // request an allocation for the rare error page.
    let cookies: Vec<HeaderValue> = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .cloned()
        .collect();
    let uri = request.uri().clone();
    let response = next.run(request).await;
    let Some(text) = response.extensions().get::<ErrorText>().cloned() else {
        return response;
    };
    let Ok(request) = Request::builder().uri(uri).body(()) else {
        return response;
    };
    let (mut parts, ()) = request.into_parts();
    for cookie in cookies {
        parts.headers.append(header::COOKIE, cookie);
    }
    let Ok(current) = Current::from_request_parts(&mut parts, &*state).await else {
        return response;
    };
    let page = LayoutErrorPage {
        layout: Layout::new(&current, Section::Elders, text.title),
        title: text.title,
        message: &text.message,
    };
    let Ok(html) = page.render() else {
        return response;
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(html))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;

    async fn page(error: WebError) -> (StatusCode, String) {
        let response = error.into_response();
        let status = response.status();
        let body = to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, String::from_utf8_lossy(&body).to_string())
    }

    /// A failure told in words and a missing thing named in words keep their sentence, escaped
    /// like any text on a page.
    #[tokio::test]
    async fn failures_and_missing_things_are_told_in_words() {
        let (status, body) = page(WebError::Failed(
            "Het raadspakket kon niet als PDF worden gemaakt: <regel 3>.".into(),
        ))
        .await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            body.contains("kon niet als PDF worden gemaakt: &#60;regel 3&#62;."),
            "{body}"
        );
        assert!(body.contains("Er is niets gewijzigd."));
        let (status, body) =
            page(WebError::Missing("Er is geen programma voor 2031.".into())).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains("Er is geen programma voor 2031."));
    }
}
