//! Yearly programmes (uitvoeringsprogramma's).

use crate::{Actor, Result, Store, StoreError, Tx};
use chrono::NaiveDate;
use koers_domain::{Jaar, Vaststelling};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Programme {
    pub id: i64,
    pub year: i64,
    pub title: String,
    #[sqlx(try_from = "String")]
    pub status: Vaststelling,
    pub decided_on: Option<NaiveDate>,
    pub decision_reference: String,
    pub council_letter_number: String,
    pub council_letter_date: Option<NaiveDate>,
    pub version: i64,
}

const PROGRAMME_COLUMNS: &str = "id, year, title, status, decided_on, decision_reference, \
     council_letter_number, council_letter_date, version";

impl Store {
    pub async fn programmes(&self, organisation_id: i64) -> Result<Vec<Programme>> {
        let sql = format!(
            "SELECT {PROGRAMME_COLUMNS} FROM programmes WHERE organisation_id = $1 ORDER BY year"
        );
        Ok(on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .fetch_all(conn)
        .await)?)
    }

    pub async fn programme(&self, organisation_id: i64, year: Jaar) -> Result<Option<Programme>> {
        let sql = format!(
            "SELECT {PROGRAMME_COLUMNS} FROM programmes WHERE organisation_id = $1 AND year = $2"
        );
        Ok(on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(i64::from(year))
        .fetch_optional(conn)
        .await)?)
    }

    pub async fn create_programme(&self, actor: &Actor, year: Jaar, title: &str) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx
            .create_programme(actor, year, title, Vaststelling::Concept)
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}

impl Tx {
    pub async fn create_programme(
        &mut self,
        actor: &Actor,
        year: Jaar,
        title: &str,
        status: Vaststelling,
    ) -> Result<i64> {
        let exists: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(
            "SELECT id FROM programmes WHERE organisation_id = $1 AND year = $2"
        )
        .bind(actor.organisation_id)
        .bind(i64::from(year))
        .fetch_optional(conn)
        .await)?;
        if exists.is_some() {
            return Err(StoreError::invalid(
                "year",
                format!("Er is al een uitvoeringsprogramma voor {year}."),
            ));
        }
        let sql = "INSERT INTO programmes (organisation_id, year, title, status) VALUES ($1, $2, $3, $4) RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(i64::from(year))
            .bind(title)
            .bind(status.code())
            .fetch_one(conn)
            .await)?;
        let after = serde_json::json!({ "year": year, "title": title, "status": status });
        self.audit::<(), _>(
            actor,
            "programma",
            id,
            "aanmaken",
            &format!("Uitvoeringsprogramma {year} aangemaakt"),
            None,
            Some(&after),
        )
        .await?;
        Ok(id)
    }
}
