//! The JSON API under `/api/v1`, following the Dutch REST-API Design Rules: Dutch resource names,
//! camelCase keys, errors as `application/problem+json` with `invalidParams`, an `API-Version`
//! header on every response, and authentication by API key (`Authorization: Bearer …`), never by
//! the session cookie. It calls the same `ops` functions as the pages.

mod actions;
mod error;

use crate::app::AppState;
use crate::ops::{Ctx, auth};
use axum::Router;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
pub use error::ApiError;

pub const API_VERSION: &str = "1.0.0";
const OPENAPI: &str = include_str!("openapi.json");

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi))
        .route("/programmas", get(actions::programmes))
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
        }))
    }
}
