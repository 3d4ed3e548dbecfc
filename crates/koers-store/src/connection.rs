//! Connecting to either database, migrations, and transactions.

use crate::{Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Postgres, Sqlite, Transaction};
use std::str::FromStr;
use std::time::Duration;

pub(crate) static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
pub(crate) static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator =
    sqlx::migrate!("migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: Pool,
    /// Requests waiting to read their session, shared by the clones of this store.
    pub(crate) session_lookups: std::sync::Arc<crate::session_lookups::SessionLookups>,
}

pub(crate) enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// A transaction on either database. Dropped without [`Tx::commit`], it rolls back.
pub struct Tx {
    pub(crate) inner: TxInner,
}

/// Runs `$body` with `$conn` bound to a connection of the right dialect. The body is expanded
/// once per dialect, so the same query text is checked against both drivers.
macro_rules! on_conn {
    ($tx:expr, |$conn:ident| $body:expr) => {
        match &mut $tx.inner {
            $crate::connection::TxInner::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::connection::TxInner::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

/// Like [`on_conn!`], but on the pool, for reads that need no transaction.
macro_rules! on_pool {
    ($store:expr, |$conn:ident| $body:expr) => {
        match &$store.pool {
            $crate::connection::Pool::Sqlite(p) => {
                let $conn = p;
                $body
            }
            $crate::connection::Pool::Postgres(p) => {
                let $conn = p;
                $body
            }
        }
    };
}

/// Where a read runs: on the pool, or on the connection of a write transaction. A read that
/// belongs to a write goes through the transaction: through the pool it would see data from
/// before the transaction, and on SQLite it would wait for a second pooled connection while
/// the transaction holds the write lock, so parallel writes could starve the pool.
pub(crate) enum Exec<'a> {
    Pool(&'a Pool),
    Tx(&'a mut TxInner),
}

/// Like [`on_conn!`], for an [`Exec`]: the body is expanded once per dialect and per place.
macro_rules! on_exec {
    ($exec:expr, |$conn:ident| $body:expr) => {
        match $exec {
            $crate::connection::Exec::Pool($crate::connection::Pool::Sqlite(p)) => {
                let $conn = p;
                $body
            }
            $crate::connection::Exec::Pool($crate::connection::Pool::Postgres(p)) => {
                let $conn = p;
                $body
            }
            $crate::connection::Exec::Tx($crate::connection::TxInner::Sqlite(t)) => {
                let $conn = &mut **t;
                $body
            }
            $crate::connection::Exec::Tx($crate::connection::TxInner::Postgres(t)) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

impl Store {
    /// Reads on the pool.
    pub(crate) fn reads(&self) -> Exec<'_> {
        Exec::Pool(&self.pool)
    }

    /// Connects to `url`: `sqlite:path` (created when missing) or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options =
                PgConnectOptions::from_str(url).map_err(|e| StoreError::BadUrl(e.to_string()))?;
            let pool = PgPoolOptions::new()
                .max_connections(10)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            Ok(Self {
                pool: Pool::Postgres(pool),
                session_lookups: Default::default(),
            })
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::BadUrl(e.to_string()))?
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL makes every acknowledged commit survive a killed process or power loss.
                .synchronous(SqliteSynchronous::Full)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(4)
                .connect_with(options.clone())
                .await?;
            let wal_index = crate::wal_index::WalIndex::open(&options).await;
            Ok(Self {
                pool: Pool::Sqlite(pool),
                session_lookups: std::sync::Arc::new(crate::session_lookups::SessionLookups::new(
                    wal_index,
                )),
            })
        } else {
            Err(StoreError::BadUrl(format!(
                "'{url}' is not a database URL; use sqlite:koers.db or postgres://user@host/db"
            )))
        }
    }

    pub fn dialect(&self) -> Dialect {
        match self.pool {
            Pool::Sqlite(_) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Applies the embedded migrations of this dialect that have not run yet.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Pool::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        Ok(())
    }

    pub async fn begin(&self) -> Result<Tx> {
        let inner = match &self.pool {
            // IMMEDIATE takes the write lock at the start. A deferred transaction that reads
            // first and writes later cannot be retried by the busy timeout when another writer
            // holds the lock, and fails with "database is locked" under concurrent edits.
            Pool::Sqlite(p) => TxInner::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Pool::Postgres(p) => TxInner::Postgres(p.begin().await?),
        };
        Ok(Tx { inner })
    }

    pub async fn close(&self) {
        if let Some(index) = &self.session_lookups.wal_index {
            index.close().await;
        }
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

impl Tx {
    /// Reads inside this transaction.
    pub(crate) fn reads(&mut self) -> Exec<'_> {
        Exec::Tx(&mut self.inner)
    }

    pub async fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}
