//! One log line per request: method, path, status and how long the answer took.
//!
//! The query string is left out: filters can hold names, and logs carry no personal data.
//! A failed request (a 5xx answer) is logged as an error; everything else at `info`, under the
//! target `koers::verzoek`, so that `KOERS_LOG=info,koers::verzoek=warn` leaves them out.
//!
//! Deliberately no tracing span per request: creating, entering and leaving one on every poll,
//! then formatting the line with its fields, took about a seventh of the server's CPU on a
//! kept page (bench/README.md). One event with a ready message costs a fraction of that. The
//! error lines of a failing handler come just before its request line.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

pub async fn log_request(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if response.status().is_server_error() {
        tracing::error!(target: "koers::verzoek", "{method} {path} {status} {ms:.2} ms");
    } else {
        tracing::info!(target: "koers::verzoek", "{method} {path} {status} {ms:.2} ms");
    }
    response
}
