//! The multi-year policy plan (beleidsplan): its title and period. Its domains, themes and
//! ambitions live in the catalogue.

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError, Tx};
use koers_domain::{FieldErrors, Jaar, required_text};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Plan {
    pub id: i64,
    pub title: String,
    pub start_year: i64,
    pub end_year: i64,
    pub description: String,
    pub version: i64,
}

impl Plan {
    pub fn years(&self) -> std::ops::RangeInclusive<i64> {
        self.start_year..=self.end_year
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct PlanInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub start_year: String,
    #[serde(default)]
    pub end_year: String,
    #[serde(default)]
    pub description: String,
}

#[derive(Debug, Clone)]
pub struct PlanData {
    pub title: String,
    pub start_year: Jaar,
    pub end_year: Jaar,
    pub description: String,
}

impl PlanInput {
    pub fn validate(&self) -> std::result::Result<PlanData, FieldErrors> {
        let mut errors = FieldErrors::default();
        let title = errors.check(
            "title",
            required_text(&self.title, 300, "Vul de titel van het beleidsplan in."),
        );
        let start = errors.check("start_year", Jaar::parse(&self.start_year));
        let end = errors.check("end_year", Jaar::parse(&self.end_year));
        if let (Some(start), Some(end)) = (start, end) {
            if end < start {
                errors.add("end_year", "Het laatste jaar ligt vóór het eerste jaar.");
            } else if end.get() - start.get() > 9 {
                errors.add("end_year", "Een beleidsplan beslaat hoogstens tien jaar.");
            }
        }
        match (title, start, end) {
            (Some(title), Some(start_year), Some(end_year)) if errors.is_empty() => Ok(PlanData {
                title,
                start_year,
                end_year,
                description: self.description.trim().to_string(),
            }),
            _ => Err(errors),
        }
    }
}

const PLAN_COLUMNS: &str = "id, title, start_year, end_year, description, version";

impl Store {
    /// The organisation's current plan: the one that started last.
    pub async fn plan(&self, organisation_id: i64) -> Result<Option<Plan>> {
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM plans WHERE organisation_id = $1 ORDER BY start_year DESC, id DESC LIMIT 1"
        );
        Ok(on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .fetch_optional(conn)
        .await)?)
    }

    pub async fn create_plan(&self, actor: &Actor, data: &PlanData) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.create_plan(actor, data).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_plan(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        data: &PlanData,
    ) -> Result<()> {
        let sql =
            format!("SELECT {PLAN_COLUMNS} FROM plans WHERE organisation_id = $1 AND id = $2");
        let mut tx = self.begin().await?;
        let before: Plan = on_conn!(tx, |conn| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(actor.organisation_id)
            .bind(id)
            .fetch_optional(conn)
            .await)?
        .ok_or(StoreError::NotFound)?;
        let update = "UPDATE plans SET title = $1, start_year = $2, end_year = $3, description = $4, \
                      version = version + 1 WHERE organisation_id = $5 AND id = $6 AND version = $7";
        let changed = on_conn!(tx, |conn| sqlx::query(update)
            .bind(&data.title)
            .bind(i64::from(data.start_year))
            .bind(i64::from(data.end_year))
            .bind(&data.description)
            .bind(actor.organisation_id)
            .bind(id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let after = Plan {
            title: data.title.clone(),
            start_year: data.start_year.into(),
            end_year: data.end_year.into(),
            description: data.description.clone(),
            version: before.version + 1,
            ..before.clone()
        };
        let change = Change {
            entity: "beleidsplan",
            id,
            summary: format!("Beleidsplan '{}' gewijzigd", data.title),
            before: &before,
            after: &after,
        };
        tx.finish_versioned_update(actor, changed, before.version, change)
            .await?;
        tx.commit().await
    }
}

impl Tx {
    pub async fn create_plan(&mut self, actor: &Actor, data: &PlanData) -> Result<i64> {
        let sql = "INSERT INTO plans (organisation_id, title, start_year, end_year, description) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(&data.title)
            .bind(i64::from(data.start_year))
            .bind(i64::from(data.end_year))
            .bind(&data.description)
            .fetch_one(conn)
            .await)?;
        let after = serde_json::json!({ "title": data.title, "startYear": data.start_year, "endYear": data.end_year });
        self.audit::<(), _>(
            actor,
            "beleidsplan",
            id,
            "aanmaken",
            &format!("Beleidsplan '{}' aangemaakt", data.title),
            None,
            Some(&after),
        )
        .await?;
        Ok(id)
    }
}
