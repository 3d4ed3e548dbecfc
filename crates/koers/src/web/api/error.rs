//! Errors of the API as RFC 9457 problem details, with every field error in `invalidParams`.

use crate::ops::OpsError;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use koers_domain::FieldErrors;
use serde::Serialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("no valid API key")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Not found, with a sentence that says what is missing.
    #[error("not found: {0}")]
    Missing(String),
    #[error("invalid input")]
    Invalid(Vec<InvalidParam>),
    #[error("already in use")]
    InUse(Vec<InvalidParam>),
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("If-Match missing")]
    PreconditionRequired,
    #[error("changed by someone else")]
    PreconditionFailed { current: i64 },
    #[error("refused: {0}")]
    Refused(String),
    /// A failure on our side that is told in words; logged.
    #[error("failed: {0}")]
    Failed(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

#[derive(Debug, Serialize)]
pub struct InvalidParam {
    pub name: String,
    pub reason: String,
}

impl InvalidParam {
    pub fn new(name: &str, reason: &str) -> Self {
        Self {
            name: name.to_string(),
            reason: reason.to_string(),
        }
    }
}

/// Translates the domain's field names into the API's, for `invalidParams`.
pub fn invalid(errors: &FieldErrors, name_of: impl Fn(&str) -> &'static str) -> ApiError {
    ApiError::Invalid(
        errors
            .iter()
            .map(|e| InvalidParam {
                name: name_of(&e.field).to_string(),
                reason: e.message.clone(),
            })
            .collect(),
    )
}

impl ApiError {
    /// Maps a use-case error; field errors are renamed with `name_of`.
    pub fn from_ops(error: OpsError, name_of: impl Fn(&str) -> &'static str) -> Self {
        match error {
            OpsError::Forbidden => Self::Forbidden,
            OpsError::NotFound => Self::NotFound,
            OpsError::Missing(message) => Self::Missing(message),
            OpsError::Failed(message) => Self::Failed(message),
            OpsError::Invalid(errors) => invalid(&errors, name_of),
            OpsError::Conflict { current } => Self::PreconditionFailed { current },
            OpsError::Refused(message) => Self::Refused(message),
            OpsError::Internal(e) => Self::Internal(e),
        }
    }
}

impl From<OpsError> for ApiError {
    fn from(error: OpsError) -> Self {
        Self::from_ops(error, |_| "body")
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Problem<'a> {
    #[serde(rename = "type")]
    kind: &'a str,
    title: &'a str,
    status: u16,
    detail: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    invalid_params: Option<&'a [InvalidParam]>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, title, detail) = match &self {
            Self::Unauthenticated => (
                StatusCode::UNAUTHORIZED,
                "Niet geauthenticeerd",
                "Stuur een geldige API-sleutel mee: Authorization: Bearer <sleutel>. Een sleutel maakt u in Koers onder API-sleutels.".to_string(),
            ),
            Self::Forbidden => (StatusCode::FORBIDDEN, "Geen toegang", "Uw rol staat deze handeling niet toe.".to_string()),
            Self::NotFound => (StatusCode::NOT_FOUND, "Niet gevonden", "Deze resource bestaat niet.".to_string()),
            Self::Missing(detail) => (StatusCode::NOT_FOUND, "Niet gevonden", detail.clone()),
            Self::Failed(detail) => {
                tracing::error!(error = %detail, "api request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Interne fout",
                    format!("{detail} Er is niets gewijzigd."),
                )
            }
            Self::Invalid(_) => (
                StatusCode::BAD_REQUEST,
                "Ongeldige invoer",
                "Een of meer velden zijn ongeldig; zie invalidParams. Er is niets gewijzigd.".to_string(),
            ),
            Self::InUse(_) => (
                StatusCode::CONFLICT,
                "Al in gebruik",
                "Een waarde die uniek moet zijn, is al in gebruik; zie invalidParams. Er is niets gewijzigd.".to_string(),
            ),
            Self::BadRequest(detail) => (StatusCode::BAD_REQUEST, "Ongeldig verzoek", detail.clone()),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Niet-ondersteund mediatype",
                "Stuur de body als JSON, met de header Content-Type: application/json.".to_string(),
            ),
            Self::PreconditionRequired => (
                StatusCode::PRECONDITION_REQUIRED,
                "If-Match ontbreekt",
                "Stuur de versie die u wijzigt mee in de header If-Match (de ETag van de GET).".to_string(),
            ),
            Self::PreconditionFailed { current } => (
                StatusCode::PRECONDITION_FAILED,
                "Intussen gewijzigd",
                format!("Iemand anders heeft deze resource intussen gewijzigd; de huidige versie is {current}. Haal hem opnieuw op en pas uw wijziging daarop toe. Er is niets gewijzigd."),
            ),
            Self::Refused(detail) => (StatusCode::CONFLICT, "Geweigerd", detail.clone()),
            Self::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "api request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Interne fout",
                    "Er ging iets mis aan onze kant. Er is niets gewijzigd.".to_string(),
                )
            }
        };
        let invalid_params = match &self {
            Self::Invalid(params) | Self::InUse(params) => Some(params.as_slice()),
            _ => None,
        };
        let problem = Problem {
            kind: "about:blank",
            title,
            status: status.as_u16(),
            detail,
            invalid_params,
        };
        let body = serde_json::to_vec(&problem).unwrap_or_default();
        let mut response = (status, body).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
