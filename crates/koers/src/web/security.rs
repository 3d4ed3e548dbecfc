//! Security headers and cross-site request protection.

use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Headers on every response. The CSP allows no inline script or style at all, which is why the
/// templates carry no `style` attributes.
pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    let set = |headers: &mut axum::http::HeaderMap, name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(
        headers,
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    );
    set(headers, "x-content-type-options", "nosniff");
    set(headers, "x-frame-options", "DENY");
    set(headers, "referrer-policy", "same-origin");
    set(
        headers,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    set(headers, "cross-origin-opener-policy", "same-origin");
    response
}

/// Refuses state-changing requests that a browser sends on behalf of another site. Browsers
/// mark every request with `Sec-Fetch-Site` (and POSTs with `Origin`); requests without either
/// come from non-browser clients, which cannot be abused for cross-site request forgery.
pub async fn same_origin_writes(request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let headers = request.headers();
    let fetch_site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
    let cross_site = match fetch_site {
        Some(site) => !matches!(site, "same-origin" | "none"),
        None => match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
            (Some(origin), Some(host)) => {
                let origin = origin.to_str().unwrap_or_default();
                let origin_host = origin.split_once("://").map_or(origin, |(_, rest)| rest);
                origin_host != host.to_str().unwrap_or_default()
            }
            (Some(_), None) => true,
            _ => false,
        },
    };
    if cross_site {
        return (
            StatusCode::FORBIDDEN,
            "Dit verzoek komt van een andere website en is geweigerd.",
        )
            .into_response();
    }
    next.run(request).await
}
