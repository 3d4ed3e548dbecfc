//! The JSON API under `/api/v1`, following the Dutch REST-API Design Rules: Dutch resource names,
//! camelCase keys, errors as `application/problem+json` with `invalidParams`, an `API-Version`
//! header on every response, and authentication by API key (`Authorization: Bearer …`), never by
//! the session cookie. It calls the same `ops` functions as the pages.

mod actions;
mod error;
mod evaluation;
mod house_style;
mod indicators;
mod package;
mod risk;
mod rounds;
mod search;
mod versions;
mod vth;

use crate::app::AppState;
use crate::ops::{Ctx, auth};
use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
pub use error::ApiError;
pub use house_style::logo_routes;

pub const API_VERSION: &str = "1.0.0";
const OPENAPI: &str = include_str!("openapi.json");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/programmas", get(actions::programmes))
        .route("/zoeken", get(search::search))
        .route(
            "/programmas/{jaar}/acties",
            get(actions::list).post(actions::create),
        )
        .route(
            "/programmas/{jaar}/acties/{code}",
            get(actions::show).put(actions::update),
        )
        .route(
            "/programmas/{jaar}/acties/{code}/voortgang",
            get(actions::progress).post(actions::report),
        )
        .route("/programmas/{jaar}/versies", get(versions::list))
        .route(
            "/programmas/{jaar}/versies/{soort}/{nummer}",
            get(versions::show),
        )
        .route("/programmas/{jaar}/evaluatie", get(evaluation::show))
        .route(
            "/programmas/{jaar}/rondes",
            get(rounds::list).post(rounds::create),
        )
        .route("/programmas/{jaar}/rondes/{ronde}", get(rounds::show))
        .route(
            "/programmas/{jaar}/rondes/{ronde}/sluiten",
            axum::routing::post(rounds::close),
        )
        .route("/mijn-acties", get(rounds::mine))
        .route(
            "/huisstijl",
            get(house_style::show).put(house_style::update),
        )
        .route(
            "/briefsjabloon",
            get(house_style::template_show).put(house_style::template_update),
        )
        .route("/programmas/{jaar}/raadspakket", get(package::file))
        .route("/programmas/{jaar}/raadspakketten", get(package::list))
        .route(
            "/programmas/{jaar}/raadspakketten/{id}",
            get(package::stored_file),
        )
        .route("/taakvelden", get(vth::list).post(vth::create))
        .route("/taakvelden/{taakveld}", get(vth::show).put(vth::update))
        .route("/programmas/{jaar}/taakvelden", get(vth::year_list))
        .route(
            "/programmas/{jaar}/taakvelden/{taakveld}",
            get(vth::year_show).put(vth::year_update),
        )
        .route("/programmas/{jaar}/capaciteit", get(vth::capacity))
        .route(
            "/capaciteitsinstellingen",
            get(vth::settings_show).put(vth::settings_update),
        )
        .route(
            "/risicomodel",
            get(risk::model_show).put(risk::model_update),
        )
        .route("/risicomodel/versies", get(risk::model_versions))
        .route("/risicoanalyses", get(risk::analyses))
        .route(
            "/risicoanalyses/{taakveld}",
            get(risk::analysis_show).put(risk::analysis_update),
        )
        .route("/lhs-matrix", get(risk::lhs_show).put(risk::lhs_update))
        .route("/lhs-matrix/versies", get(risk::lhs_versions))
        // Indicators, their measurements and the trends across years.
        .route(
            "/indicatoren",
            get(indicators::list).post(indicators::create),
        )
        .route(
            "/indicatoren/{indicator}",
            get(indicators::show)
                .put(indicators::update)
                .delete(indicators::delete),
        )
        .route(
            "/indicatoren/{indicator}/metingen",
            get(indicators::measurements).post(indicators::add_measurement),
        )
        .route(
            "/indicatoren/{indicator}/metingen/{meting}",
            axum::routing::delete(indicators::delete_measurement),
        )
        .route("/trends", get(indicators::trends))
        .fallback(|| async { ApiError::NotFound })
        .layer(axum::middleware::from_fn(version_header))
}

async fn version_header(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert("api-version", HeaderValue::from_static(API_VERSION));
    response
}

/// The OpenAPI document is public and may be read from any origin.
async fn openapi() -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        OPENAPI,
    )
        .into_response()
}

/// The caller of an API request, from its API key.
/// The media types that `Accept` names, in its order, without parameters and in lower case
/// ("text/csv;q=0.9" → "text/csv"); none when the header is missing or unreadable.
fn accepted_media_types(headers: &axum::http::HeaderMap) -> impl Iterator<Item = String> + '_ {
    headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(',')
        .map(|range| {
            range
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .filter(|essence| !essence.is_empty())
}

pub struct ApiCaller(pub Ctx);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or(ApiError::Unauthenticated)?;
        let (user, organisation) = auth::api_user(&state.store, key)
            .await
            .map_err(|e| ApiError::Internal(e.into()))?
            .ok_or(ApiError::Unauthenticated)?;
        Ok(ApiCaller(Ctx {
            store: state.store.clone(),
            user,
            organisation,
            now: state.clock.now(),
            read_models: state.read_models.clone(),
        }))
    }
}

/// The body of a POST or PUT, which must be JSON: `application/json` or a `+json` type, with or
/// without parameters such as `charset`. Anything else is refused with 415 before the body is
/// read, so that JSON sent as text, form or XML is never accepted by accident. Handlers take it
/// after [`ApiCaller`], so a request without a valid key still gets 401 first.
pub struct JsonBody(pub Bytes);

impl FromRequest<AppState> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(is_json);
        if !json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|e| ApiError::BadRequest(format!("De body kon niet worden gelezen: {e}.")))?;
        Ok(Self(body))
    }
}

/// Whether a Content-Type names JSON: `application/json` or `application/<anything>+json`.
fn is_json(content_type: &str) -> bool {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match essence.strip_prefix("application/") {
        Some(subtype) => {
            subtype == "json"
                || subtype
                    .strip_suffix("+json")
                    .is_some_and(|s| !s.is_empty() && !s.contains('/'))
        }
        None => false,
    }
}

/// A query string read into `T`. What axum cannot read (a parameter given twice, for example)
/// is a 400 problem+json in Dutch, never axum's plain-text rejection.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(query)| ApiQuery(query))
            .map_err(|_| {
                ApiError::Invalid(vec![error::InvalidParam::new(
                    "query",
                    "Deze queryparameters kunnen niet worden gelezen; geef elke parameter hoogstens één keer mee.",
                )])
            })
    }
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_media_types() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/x-www-form-urlencoded"));
        assert!(!is_json("application/xml"));
        assert!(!is_json("text/json"));
        assert!(!is_json("application/+json"));
        assert!(!is_json(""));
    }
}
