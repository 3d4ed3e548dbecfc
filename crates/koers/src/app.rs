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
    pub secure_cookies: bool,
    pub clock: Clock,
}

impl AppState {
    pub fn new(store: Store, secure_cookies: bool) -> Self {
        Self {
            store,
            secure_cookies,
            clock: Clock::system(),
        }
    }
}

pub fn router(state: AppState) -> axum::Router {
    crate::web::router(state)
}

pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let app = router(state);
    axum::serve(listener, app.into_make_service())
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}
