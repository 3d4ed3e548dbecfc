//! Support for test suites that run on both databases: a fresh, isolated PostgreSQL schema per
//! test from `KOERS_TEST_DATABASE_URL`, or a clear skip (a failure under `CI=true`); and the
//! store methods that only tests may call, because they run raw SQL or look behind the
//! application's back.
//!
//! This module exists only with the cargo feature `testing`. The test targets of koers-store
//! and koers switch it on through their dev-dependencies; the production library and binary are
//! built without it (`cargo build --release -p koers`).
#![cfg(feature = "testing")]

use crate::connection::{POSTGRES_MIGRATIONS, Pool, SQLITE_MIGRATIONS};
use crate::{Result, Store};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

pub const TEST_DATABASE_URL: &str = "KOERS_TEST_DATABASE_URL";

/// A migrated store in a new schema of the test PostgreSQL, or `None` when none is configured.
pub async fn postgres_from_env() -> Result<Option<Store>> {
    let Some(store) = empty_postgres_from_env().await? else {
        return Ok(None);
    };
    store.migrate().await?;
    Ok(Some(store))
}

/// Like [`postgres_from_env`], but not migrated: for tests of the migrations themselves.
pub async fn empty_postgres_from_env() -> Result<Option<Store>> {
    match std::env::var(TEST_DATABASE_URL) {
        Ok(url) if !url.is_empty() => Ok(Some(empty_postgres(&url).await?)),
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

/// A migrated store in a new schema of the PostgreSQL at `url`.
pub async fn isolated_postgres(url: &str) -> Result<Store> {
    let store = empty_postgres(url).await?;
    store.migrate().await?;
    Ok(store)
}

/// Creates a schema with a unique name and connects with it first on the search path, so that
/// tests running side by side on one database never see each other's tables.
pub async fn empty_postgres(url: &str) -> Result<Store> {
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
    Store::connect(&format!(
        "{url}{separator}options=-c%20search_path%3D{schema}"
    ))
    .await
}

/// One table of [`Store::schema_outline`], as sorted lines:
/// `column <name>: <type>[ not null]`, `foreign key (<columns>) -> <table>(<columns>)` and
/// `guard <timing> <event>`.
pub type TableOutline = (String, Vec<String>);

impl Store {
    /// Runs SQL without parameters and without the application's checks, and returns the
    /// database's error if it refuses. For test set-up (creating a schema) and for tests that
    /// prove the database itself refuses something.
    pub async fn execute_raw(&self, sql: &str) -> Result<()> {
        // In a write transaction (BEGIN IMMEDIATE on SQLite): a statement whose triggers read
        // before they write (the search index) then waits for another writer instead of
        // failing with "database is locked".
        let mut tx = self.begin().await?;
        on_conn!(tx, |conn| sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
            .execute(conn)
            .await
            .map(|_| ()))?;
        tx.commit().await
    }

    /// Tries to change an audit row behind the application's back; used by tests to prove the
    /// database refuses it. Returns the database's error message.
    pub async fn try_tamper_with_audit(&self, organisation_id: i64) -> Vec<String> {
        let mut refusals = Vec::new();
        for sql in [
            "UPDATE audit_log SET summary = 'vervalst' WHERE organisation_id = $1",
            "DELETE FROM audit_log WHERE organisation_id = $1",
        ] {
            let result = on_pool!(self, |conn| sqlx::query(sql)
                .bind(organisation_id)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()));
            match result {
                Ok(rows) => refusals.push(format!("accepted ({rows} rows)")),
                Err(e) => refusals.push(format!("refused: {e}")),
            }
        }
        refusals
    }

    /// Applies the embedded migrations up to and including `version` only, to build a database
    /// as an older release left it and then test the later migrations on its data.
    pub async fn migrate_to(&self, version: i64) -> Result<()> {
        fn up_to(all: &sqlx::migrate::Migrator, version: i64) -> sqlx::migrate::Migrator {
            // The fields are public (for `migrate!`) but documented as semver-exempt; sqlx is
            // pinned to 0.9 by Cargo.lock, and this runs in tests only.
            sqlx::migrate::Migrator {
                migrations: all
                    .iter()
                    .filter(|m| m.version <= version)
                    .cloned()
                    .collect(),
                ..sqlx::migrate::Migrator::DEFAULT
            }
        }
        match &self.pool {
            Pool::Sqlite(p) => up_to(&SQLITE_MIGRATIONS, version).run(p).await?,
            Pool::Postgres(p) => up_to(&POSTGRES_MIGRATIONS, version).run(p).await?,
        }
        Ok(())
    }

    /// The number of rows in each table of the schema (tables of sqlx excepted).
    pub async fn row_counts(&self) -> Result<Vec<(String, i64)>> {
        let mut counts = Vec::new();
        for (table, _) in self.schema_outline().await? {
            // The names come from the database's own catalogue, not from input.
            let sql = format!("SELECT COUNT(*) FROM {table}");
            let (count,): (i64,) = on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
                sql.as_str()
            ))
            .fetch_one(conn)
            .await)?;
            counts.push((table, count));
        }
        Ok(counts)
    }

    /// Rows that refer to a row that does not exist, as SQLite's `PRAGMA foreign_key_check`
    /// reports them (`table rowid -> parent`). PostgreSQL checks every foreign key on every
    /// change and cannot hold such rows, so it reports none.
    pub async fn foreign_key_violations(&self) -> Result<Vec<String>> {
        match &self.pool {
            Pool::Sqlite(p) => {
                let rows: Vec<(String, Option<i64>, String)> =
                    sqlx::query_as("SELECT \"table\", rowid, parent FROM pragma_foreign_key_check")
                        .fetch_all(p)
                        .await?;
                Ok(rows
                    .into_iter()
                    .map(|(table, rowid, parent)| format!("{table} {rowid:?} -> {parent}"))
                    .collect())
            }
            Pool::Postgres(_) => Ok(Vec::new()),
        }
    }

    /// The schema as both dialects can describe it, to check that they agree: per table, its
    /// columns with a common type name (integer, text, boolean, real, bytes, timestamp, date) and
    /// nullability, its foreign keys, and its guard triggers by timing and event.
    /// The full-text index `action_search` (migration 0012) is left out: SQLite keeps it as an
    /// FTS5 table, PostgreSQL as a tsvector with a GIN index. The triggers that fill it are on
    /// `actions` and `progress_entries`, so they are compared.
    pub async fn schema_outline(&self) -> Result<Vec<TableOutline>> {
        let mut outline: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut add = |table: String, line: String| outline.entry(table).or_default().push(line);
        match &self.pool {
            Pool::Sqlite(p) => {
                let columns: Vec<(String, String, String, bool, i64)> = sqlx::query_as(
                    "SELECT m.name, c.name, c.type, c.\"notnull\", c.pk \
                     FROM sqlite_master m JOIN pragma_table_info(m.name) c \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' AND m.name NOT LIKE 'action_search%'",
                )
                .fetch_all(p)
                .await?;
                for (table, column, declared, not_null, pk) in columns {
                    // An INTEGER PRIMARY KEY is the rowid and can never be NULL, though SQLite
                    // reports notnull = 0 for it unless the column says NOT NULL.
                    let not_null = not_null || (pk > 0 && declared.eq_ignore_ascii_case("integer"));
                    add(table, column_line(&column, &declared, not_null));
                }
                let keys: Vec<(String, i64, String, String, Option<String>)> = sqlx::query_as(
                    "SELECT m.name, f.id, f.\"table\", f.\"from\", f.\"to\" \
                     FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' AND m.name NOT LIKE 'action_search%' \
                     ORDER BY m.name, f.id, f.seq",
                )
                .fetch_all(p)
                .await?;
                // One row per column of a key; the key's `id` groups them, `seq` orders them.
                #[derive(Default)]
                struct Key {
                    parent: String,
                    from: Vec<String>,
                    to: Vec<String>,
                }
                let mut grouped: BTreeMap<(String, i64), Key> = BTreeMap::new();
                for (table, id, parent, from, to) in keys {
                    let key = grouped.entry((table, id)).or_default();
                    key.parent = parent;
                    key.from.push(from);
                    key.to.push(to.unwrap_or_else(|| "(primary key)".into()));
                }
                for ((table, _), key) in grouped {
                    add(
                        table,
                        foreign_key_line(&key.from.join(", "), &key.parent, &key.to.join(", ")),
                    );
                }
                let triggers: Vec<(String, String)> = sqlx::query_as(
                    "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'",
                )
                .fetch_all(p)
                .await?;
                for (table, sql) in triggers {
                    let words: Vec<String> = sql
                        .split_whitespace()
                        .map(|w| w.to_ascii_lowercase())
                        .collect();
                    let timing = if words.iter().any(|w| w == "after") {
                        "after"
                    } else if words.iter().any(|w| w == "instead") {
                        "instead of"
                    } else {
                        "before"
                    };
                    let Some(event) = words
                        .iter()
                        .find(|w| matches!(w.as_str(), "insert" | "update" | "delete"))
                    else {
                        add(table, format!("guard unreadable: {sql}"));
                        continue;
                    };
                    add(table.clone(), format!("guard {timing} {event}"));
                    // SQLite has no TRUNCATE. Its "truncate optimisation" of a DELETE without
                    // WHERE is switched off for a table with triggers, so the DELETE guard is
                    // what stops emptying the table, as the TRUNCATE guard does on PostgreSQL.
                    if event == "delete" {
                        add(table, format!("guard {timing} truncate"));
                    }
                }
            }
            Pool::Postgres(p) => {
                let columns: Vec<(String, String, String, bool)> = sqlx::query_as(
                    "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'NO' \
                     FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name NOT LIKE '_sqlx%' AND table_name NOT LIKE 'action_search%'",
                )
                .fetch_all(p)
                .await?;
                for (table, column, declared, not_null) in columns {
                    add(table, column_line(&column, &declared, not_null));
                }
                let keys: Vec<(String, String, String, String)> = sqlx::query_as(
                    "SELECT child.relname::text, parent.relname::text, \
                       (SELECT string_agg(a.attname::text, ', ' ORDER BY k.n) \
                          FROM unnest(c.conkey) WITH ORDINALITY AS k(attnum, n) \
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum), \
                       (SELECT string_agg(a.attname::text, ', ' ORDER BY k.n) \
                          FROM unnest(c.confkey) WITH ORDINALITY AS k(attnum, n) \
                          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.attnum) \
                     FROM pg_constraint c \
                     JOIN pg_class child ON child.oid = c.conrelid \
                     JOIN pg_class parent ON parent.oid = c.confrelid \
                     JOIN pg_namespace n ON n.oid = child.relnamespace \
                     WHERE c.contype = 'f' AND n.nspname = current_schema() AND child.relname <> 'action_search'",
                )
                .fetch_all(p)
                .await?;
                for (table, parent, from, to) in keys {
                    add(table, foreign_key_line(&from, &parent, &to));
                }
                let triggers: Vec<(String, i16)> = sqlx::query_as(
                    "SELECT c.relname::text, t.tgtype FROM pg_trigger t \
                     JOIN pg_class c ON c.oid = t.tgrelid \
                     JOIN pg_namespace n ON n.oid = c.relnamespace \
                     WHERE NOT t.tgisinternal AND n.nspname = current_schema()",
                )
                .fetch_all(p)
                .await?;
                // Bits of pg_trigger.tgtype (src/include/catalog/pg_trigger.h).
                for (table, kind) in triggers {
                    let timing = if kind & (1 << 1) != 0 {
                        "before"
                    } else if kind & (1 << 6) != 0 {
                        "instead of"
                    } else {
                        "after"
                    };
                    for (bit, event) in
                        [(2, "insert"), (3, "delete"), (4, "update"), (5, "truncate")]
                    {
                        if kind & (1 << bit) != 0 {
                            add(table.clone(), format!("guard {timing} {event}"));
                        }
                    }
                }
            }
        }
        Ok(outline
            .into_iter()
            .map(|(table, mut lines)| {
                lines.sort();
                (table, lines)
            })
            .collect())
    }
}

fn column_line(column: &str, declared: &str, not_null: bool) -> String {
    let null = if not_null { " not null" } else { "" };
    format!("column {column}: {}{null}", common_type(declared))
}

fn foreign_key_line(from: &str, parent: &str, to: &str) -> String {
    format!("foreign key ({from}) -> {parent}({to})")
}

/// Maps a declared SQLite type or a PostgreSQL `data_type` onto one vocabulary.
fn common_type(declared: &str) -> String {
    let t = declared.to_ascii_lowercase();
    let common = if t.contains("timestamp") || t.contains("datetime") {
        "timestamp"
    } else if t == "date" {
        "date"
    } else if t.contains("int") {
        "integer"
    } else if t.contains("bool") {
        "boolean"
    } else if t.contains("char") || t.contains("text") || t.contains("clob") {
        "text"
    } else if t.contains("real") || t.contains("floa") || t.contains("doub") || t == "numeric" {
        "real"
    } else if t == "blob" || t == "bytea" {
        "bytes"
    } else {
        return format!("other ({declared})");
    };
    common.to_string()
}
