//! Static files, embedded in the binary so that Koers is one file to deploy.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "koers.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/koers.css"),
    ),
    (
        "vendor/utrecht/component-library.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/vendor/utrecht/component-library.css"),
    ),
    (
        "vendor/voorbeeld/theme.css",
        "text/css; charset=utf-8",
        include_bytes!("../../static/vendor/voorbeeld/theme.css"),
    ),
    (
        "vendor/htmx/htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../static/vendor/htmx/htmx.min.js"),
    ),
];

pub async fn serve(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(name, _, _)| *name == path) {
        Some((_, content_type, body)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "Bestand niet gevonden").into_response(),
    }
}
