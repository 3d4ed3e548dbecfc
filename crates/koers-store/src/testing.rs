//! Support for test suites that run on both databases: a fresh, isolated PostgreSQL schema per
//! test from `KOERS_TEST_DATABASE_URL`, or a clear skip (a failure under `CI=true`).

use crate::{Result, Store};
use std::sync::atomic::{AtomicU64, Ordering};

pub const TEST_DATABASE_URL: &str = "KOERS_TEST_DATABASE_URL";

/// A migrated store in a new schema of the test PostgreSQL, or `None` when none is configured.
pub async fn postgres_from_env() -> Result<Option<Store>> {
    match std::env::var(TEST_DATABASE_URL) {
        Ok(url) if !url.is_empty() => Ok(Some(isolated_postgres(&url).await?)),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but {TEST_DATABASE_URL} is not set: the PostgreSQL half of the suite must run in CI"
            );
            eprintln!(
                "PostgreSQL skipped: set {TEST_DATABASE_URL}=postgres://… to run these tests on it too"
            );
            Ok(None)
        }
    }
}

/// Creates a schema with a unique name and connects with it first on the search path, so that
/// tests running side by side on one database never see each other's tables.
pub async fn isolated_postgres(url: &str) -> Result<Store> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let schema = format!(
        "t{}_{}_{}",
        std::process::id(),
        nanos % 1_000_000_000,
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let admin = Store::connect(url).await?;
    admin
        .execute_raw(&format!("CREATE SCHEMA {schema}"))
        .await?;
    admin.close().await;
    let separator = if url.contains('?') { '&' } else { '?' };
    let store = Store::connect(&format!(
        "{url}{separator}options=-c%20search_path%3D{schema}"
    ))
    .await?;
    store.migrate().await?;
    Ok(store)
}
