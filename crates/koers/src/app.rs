//! The web application: shared state, router and server. `router` is pure and `serve` takes a
//! bound listener, so tests run the real application on port 0 or through `oneshot`.

use chrono::{DateTime, SubsecRound, Utc};
use koers_store::Store;
use std::future::Future;
use std::sync::Arc;

/// Where the time comes from: the system clock in production, a fixed time in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>);

impl Clock {
    pub fn system() -> Self {
        Self(Arc::new(|| Utc::now().trunc_subsecs(0)))
    }

    pub fn fixed(at: DateTime<Utc>) -> Self {
        Self(Arc::new(move || at))
    }

    pub fn now(&self) -> DateTime<Utc> {
        (self.0)()
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// Served over HTTPS: cookies are `Secure`, HSTS is sent and `Origin` must be `https://`.
    pub secure_cookies: bool,
    pub clock: Clock,
    /// A session ends after this many seconds without a request.
    pub session_idle_seconds: i64,
    /// The header of a trusted reverse proxy that carries the client's address.
    pub client_ip_header: Option<axum::http::HeaderName>,
    /// Cached read models per organisation (see `ops::read_model`).
    pub read_models: crate::ops::read_model::ReadModels,
    /// Where reminder mails go; `None` without SMTP settings (reminders then show in the
    /// application only).
    pub mailer: Option<Arc<dyn crate::ops::rounds::SendMail>>,
    /// The address users reach Koers on, for the links in mails.
    pub public_url: Arc<str>,
}

impl AppState {
    pub fn new(store: Store, secure_cookies: bool) -> Self {
        Self {
            store,
            secure_cookies,
            clock: Clock::system(),
            session_idle_seconds: crate::ops::auth::DEFAULT_IDLE_SECONDS,
            client_ip_header: None,
            read_models: Default::default(),
            mailer: None,
            public_url: "http://localhost:8080".into(),
        }
    }
}

/// How often expired sessions and ended login counters are removed.
const PRUNE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(5 * 60);

pub fn router(state: AppState) -> axum::Router {
    crate::web::router(state)
}

pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let pruner = tokio::spawn(prune_regularly(state.clone()));
    let reminders = state
        .mailer
        .clone()
        .map(|mailer| tokio::spawn(remind_regularly(state.clone(), mailer)));
    let app = router(state);
    // Without TCP_NODELAY the kernel may hold back the last part of a page that fills more
    // than a packet until the client acknowledges the part before, and the client delays that
    // acknowledgement: a page can then take 40 ms instead of one. Each response goes out in one
    // write, so nothing is gained by waiting.
    let listener = axum::serve::ListenerExt::tap_io(listener, |stream| {
        if let Err(error) = stream.set_nodelay(true) {
            tracing::debug!(%error, "TCP_NODELAY could not be set");
        }
    });
    // The peer address is the client's address for the login rate limit, unless a trusted
    // proxy header is configured.
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await;
    pruner.abort();
    if let Some(reminders) = reminders {
        reminders.abort();
    }
    served?;
    Ok(())
}

async fn prune_regularly(state: AppState) {
    let mut interval = tokio::time::interval(PRUNE_INTERVAL);
    loop {
        interval.tick().await;
        if let Err(error) =
            crate::ops::auth::prune(&state.store, state.clock.now().timestamp()).await
        {
            tracing::warn!(error = %error, "removing expired sessions failed");
        }
    }
}

/// How often the reminders of progress rounds are checked.
const REMINDER_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// Sends the reminders of progress rounds that are due, every minute. Each reminder is claimed
/// in the database before it is sent, so a restart or a second instance sends none twice.
async fn remind_regularly(state: AppState, mailer: Arc<dyn crate::ops::rounds::SendMail>) {
    let mut interval = tokio::time::interval(REMINDER_INTERVAL);
    loop {
        interval.tick().await;
        match crate::ops::rounds::run_reminders(
            &state.store,
            state.clock.now(),
            mailer.as_ref(),
            &state.public_url,
        )
        .await
        {
            Ok(report) if report.sent + report.failed > 0 => {
                tracing::info!(sent = report.sent, failed = report.failed, "reminders")
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(error = %error, "sending reminders failed"),
        }
    }
}
