//! The council packages (raadspakketten) of adopted programmes: the files as they were handed
//! out, with their SHA-256 and the frozen versions they were built from.
//!
//! Only a package built from an adopted programme is kept: that one is the same whatever day it
//! is rendered, so a file is stored once per format and hash, and rendering it again adds no
//! row (and no audit row). The table is append-only (migration 0007). The format is kept as its
//! code ("pdf", "odt", "docx", "html"); the database checks the list, the application knows what
//! the codes mean.

use crate::adoption::sha256_hex;
use crate::{Actor, Result, Store, Tx};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// A stored package, without its bytes (lists never need them).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow, Serialize)]
pub struct CouncilPackage {
    pub id: i64,
    pub programme_id: i64,
    /// The programme's year, for links.
    pub year: i64,
    pub format: String,
    /// Lowercase hex SHA-256 of the file's bytes.
    pub sha256: String,
    /// The file's size in bytes.
    pub size: i64,
    /// The number of the frozen programme version the package was built from.
    pub programme_version: i64,
    /// The number of the frozen evaluation version of the year before, if the package held one.
    pub evaluation_version: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// A rendered package to keep.
#[derive(Debug, Clone, Copy)]
pub struct NewCouncilPackage<'a> {
    pub programme_id: i64,
    pub format: &'a str,
    pub bytes: &'a [u8],
    pub programme_version: i64,
    pub evaluation_version: Option<i64>,
}

const COLUMNS: &str = "c.id, c.programme_id, p.year, c.format, c.sha256, c.size, \
     c.programme_version, c.evaluation_version, c.created_at, c.created_by";

const FROM: &str = "FROM council_packages c JOIN programmes p \
     ON p.organisation_id = c.organisation_id AND p.id = c.programme_id";

impl Store {
    /// The stored packages of a programme, newest first.
    pub async fn council_packages(
        &self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<Vec<CouncilPackage>> {
        let sql = format!(
            "SELECT {COLUMNS} {FROM} WHERE c.organisation_id = $1 AND c.programme_id = $2 \
             ORDER BY c.created_at DESC, c.id DESC"
        );
        Ok(on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(programme_id)
        .fetch_all(conn)
        .await)?)
    }

    /// One stored package with its bytes; an id of another organisation is `None`, as if it
    /// did not exist.
    pub async fn council_package(
        &self,
        organisation_id: i64,
        id: i64,
    ) -> Result<Option<(CouncilPackage, Vec<u8>)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            package: CouncilPackage,
            bytes: Vec<u8>,
        }
        let sql =
            format!("SELECT {COLUMNS}, c.bytes {FROM} WHERE c.organisation_id = $1 AND c.id = $2");
        let row: Option<Row> = on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(id)
        .fetch_optional(conn)
        .await)?;
        Ok(row.map(|r| (r.package, r.bytes)))
    }
}

impl Tx {
    /// Keeps a rendered package, unless the same file (same programme, format and SHA-256) is
    /// kept already. Returns the stored row and whether this call added it; only an addition
    /// writes an audit row.
    pub async fn keep_council_package(
        &mut self,
        actor: &Actor,
        package: &NewCouncilPackage<'_>,
    ) -> Result<(CouncilPackage, bool)> {
        let org = actor.organisation_id;
        let sha256 = sha256_hex(package.bytes);
        let size = i64::try_from(package.bytes.len()).unwrap_or(i64::MAX);
        let sql = "INSERT INTO council_packages (organisation_id, programme_id, format, sha256, \
                   size, bytes, programme_version, evaluation_version, created_at, created_by) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                   ON CONFLICT (organisation_id, programme_id, format, sha256) DO NOTHING \
                   RETURNING id";
        let added: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(org)
            .bind(package.programme_id)
            .bind(package.format)
            .bind(&sha256)
            .bind(size)
            .bind(package.bytes)
            .bind(package.programme_version)
            .bind(package.evaluation_version)
            .bind(actor.now)
            .bind(&actor.user_name)
            .fetch_optional(conn)
            .await)?;
        let lookup = format!(
            "SELECT {COLUMNS} {FROM} WHERE c.organisation_id = $1 AND c.programme_id = $2 \
             AND c.format = $3 AND c.sha256 = $4"
        );
        let stored: CouncilPackage = on_conn!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            lookup.as_str()
        ))
        .bind(org)
        .bind(package.programme_id)
        .bind(package.format)
        .bind(&sha256)
        .fetch_one(conn)
        .await)?;
        if added.is_some() {
            let summary = format!(
                "Raadspakket {} ({}) vastgelegd, gemaakt uit programmaversie {}",
                stored.year, stored.format, stored.programme_version
            );
            self.audit::<(), _>(
                actor,
                "raadspakket",
                stored.id,
                "vastleggen",
                &summary,
                None,
                Some(&stored),
            )
            .await?;
        }
        Ok((stored, added.is_some()))
    }
}
