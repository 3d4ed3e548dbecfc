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

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;
    use std::sync::{Arc, Mutex};
    use tower::ServiceExt;

    /// Collects what the log writes.
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    async fn get_path(app: &Router, uri: &str) {
        let request = axum::http::Request::get(uri).body(Body::empty()).unwrap();
        app.clone().oneshot(request).await.unwrap();
    }

    #[tokio::test]
    async fn each_request_is_one_line_without_its_query_and_a_failure_is_an_error() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        let _default = tracing::subscriber::set_default(subscriber);
        let app = Router::new()
            .route("/programma/2024", get(|| async { "pagina" }))
            .route(
                "/kapot",
                get(|| async { StatusCode::INTERNAL_SERVER_ERROR }),
            )
            .layer(axum::middleware::from_fn(log_request));

        get_path(&app, "/programma/2024?eigenaar=Jansen").await;
        get_path(&app, "/kapot").await;

        let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines.len(), 2, "{log}");
        assert!(
            lines[0].contains(" INFO koers::verzoek: GET /programma/2024 200 "),
            "{log}"
        );
        assert!(lines[0].ends_with(" ms"), "{log}");
        assert!(!log.contains("Jansen"), "the query string stays out: {log}");
        assert!(
            lines[1].contains("ERROR koers::verzoek: GET /kapot 500 "),
            "{log}"
        );
    }
}
