//! Security headers and cross-site request protection.

use axum::extract::{Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Headers on every response. The CSP allows no inline script or style at all, which is why the
/// templates carry no `style` attributes.
pub async fn headers(request: Request, next: Next) -> Response {
    // Names and values are constants: no parsing per response.
    static SECURITY_HEADERS: [(HeaderName, HeaderValue); 6] = [
        (
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
                 frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
            ),
        ),
        (
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ),
        (
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ),
        (
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ),
        (
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
        ),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ),
    ];
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.reserve(SECURITY_HEADERS.len());
    for (name, value) in &SECURITY_HEADERS {
        headers.insert(name.clone(), value.clone());
    }
    response
}

/// Refuses state-changing requests that a browser sends on behalf of another site. Browsers
/// mark every request with `Sec-Fetch-Site` (and POSTs with `Origin`); requests without either
/// come from non-browser clients, which cannot be abused for cross-site request forgery. An
/// `Origin` must name this host with the scheme Koers is served on: `http://` is another
/// origin than `https://`.
pub async fn same_origin_writes(
    State(secure_cookies): State<bool>,
    request: Request,
    next: Next,
) -> Response {
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
                let scheme = if secure_cookies { "https" } else { "http" };
                let expected = format!("{scheme}://{}", host.to_str().unwrap_or_default());
                origin.to_str().ok() != Some(expected.as_str())
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

/// Behind HTTPS every cookie Koers sets is `Secure`, whichever handler set it, so a cookie can
/// never travel over plain HTTP.
pub async fn secure_cookies(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let cookies: Vec<HeaderValue> = response
        .headers_mut()
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|value| match value.to_str() {
            Ok(text) if !text.contains("; Secure") => {
                HeaderValue::from_str(&format!("{text}; Secure")).unwrap_or_else(|_| value.clone())
            }
            _ => value.clone(),
        })
        .collect();
    let headers = response.headers_mut();
    headers.remove(header::SET_COOKIE);
    for cookie in cookies {
        headers.append(header::SET_COOKIE, cookie);
    }
    response
}
