//! Indicators (migration 0013): name, unit, direction, baseline and targets per year, saved
//! together under one version; the ambitions they serve; and measurements, added and removed
//! one by one. Values are thousandths ([`koers_domain::indicator::Waarde`]).

use crate::audit::Change;
use crate::connection::Exec;
use crate::{Actor, Result, Store, StoreError, Tx};
use chrono::NaiveDate;
use koers_domain::indicator::{Indicator, Meting, Richting};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct IndicatorRow {
    pub id: i64,
    pub name: String,
    pub unit: String,
    #[sqlx(try_from = "String")]
    pub direction: Richting,
    pub baseline_milli: Option<i64>,
    pub baseline_year: Option<i64>,
    pub description: String,
    pub version: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct MeasurementRow {
    pub id: i64,
    pub indicator_id: i64,
    pub measured_on: NaiveDate,
    pub value_milli: i64,
    pub source: String,
    pub note: String,
}

/// An indicator with its targets, ambitions and measurements.
#[derive(Debug, Clone, Serialize)]
pub struct IndicatorRecord {
    #[serde(flatten)]
    pub indicator: IndicatorRow,
    /// (year, value in thousandths), by year.
    pub targets: Vec<(i64, i64)>,
    /// Ambition ids, ascending.
    pub ambitions: Vec<i64>,
    /// By date, then id.
    #[serde(skip)]
    pub measurements: Vec<MeasurementRow>,
}

const COLUMNS: &str =
    "id, name, unit, direction, baseline_milli, baseline_year, description, version";

impl Store {
    /// Every indicator of the organisation, by name.
    pub async fn indicators(&self, organisation_id: i64) -> Result<Vec<IndicatorRecord>> {
        self.reads().indicators(organisation_id, None).await
    }

    pub async fn indicator(&self, organisation_id: i64, id: i64) -> Result<IndicatorRecord> {
        self.reads()
            .indicators(organisation_id, Some(id))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    pub async fn create_indicator(
        &self,
        actor: &Actor,
        data: &Indicator,
        ambitions: &[i64],
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.create_indicator(actor, data, ambitions).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_indicator(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        data: &Indicator,
        ambitions: &[i64],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = tx.reads().indicator(actor.organisation_id, id).await?;
        tx.check_ambitions(actor.organisation_id, ambitions).await?;
        let sql = "UPDATE indicators SET name = $1, unit = $2, direction = $3, baseline_milli = $4, \
                   baseline_year = $5, description = $6, version = version + 1 \
                   WHERE organisation_id = $7 AND id = $8 AND version = $9";
        let changed = on_conn!(tx, |conn| sqlx::query(sql)
            .bind(&data.name)
            .bind(&data.unit)
            .bind(data.direction.code())
            .bind(data.baseline.map(|(w, _)| w.milli()))
            .bind(data.baseline.map(|(_, j)| i64::from(j)))
            .bind(&data.description)
            .bind(actor.organisation_id)
            .bind(id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))
        .map_err(name_taken)?;
        if changed > 0 {
            tx.replace_children(actor.organisation_id, id, data, ambitions)
                .await?;
        }
        let after = tx.reads().indicator(actor.organisation_id, id).await?;
        let change = Change {
            entity: "indicator",
            id,
            summary: format!("Indicator '{}' gewijzigd", data.name),
            before: &before,
            after: &after,
        };
        tx.finish_versioned_update(actor, changed, before.indicator.version, change)
            .await?;
        tx.commit().await
    }

    /// Removes the indicator with its targets, links and measurements.
    pub async fn delete_indicator(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = tx.reads().indicator(actor.organisation_id, id).await?;
        if before.indicator.version != expected_version {
            return Err(StoreError::Conflict {
                current: before.indicator.version,
            });
        }
        for table in [
            "indicator_measurements",
            "indicator_targets",
            "indicator_ambitions",
        ] {
            let sql =
                format!("DELETE FROM {table} WHERE organisation_id = $1 AND indicator_id = $2");
            on_conn!(tx, |conn| sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(actor.organisation_id)
                .bind(id)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
        }
        let deleted = on_conn!(tx, |conn| sqlx::query(
            "DELETE FROM indicators WHERE organisation_id = $1 AND id = $2 AND version = $3"
        )
        .bind(actor.organisation_id)
        .bind(id)
        .bind(expected_version)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        if deleted == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit::<_, ()>(
            actor,
            "indicator",
            id,
            "verwijderen",
            &format!(
                "Indicator '{}' verwijderd, met {} metingen",
                before.indicator.name,
                before.measurements.len()
            ),
            Some(&before),
            None,
        )
        .await?;
        tx.commit().await
    }

    pub async fn add_measurement(
        &self,
        actor: &Actor,
        indicator_id: i64,
        meting: &Meting,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let indicator = tx
            .reads()
            .indicator(actor.organisation_id, indicator_id)
            .await?;
        let id = tx
            .add_measurement(actor, &indicator.indicator, meting)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn delete_measurement(
        &self,
        actor: &Actor,
        indicator_id: i64,
        id: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let indicator = tx
            .reads()
            .indicator(actor.organisation_id, indicator_id)
            .await?;
        let Some(before) = indicator.measurements.iter().find(|m| m.id == id) else {
            return Err(StoreError::NotFound);
        };
        on_conn!(tx, |conn| {
            sqlx::query(
            "DELETE FROM indicator_measurements WHERE organisation_id = $1 AND indicator_id = $2 AND id = $3"
        )
        .bind(actor.organisation_id)
        .bind(indicator_id)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
        })?;
        tx.audit::<_, ()>(
            actor,
            "meting",
            id,
            "verwijderen",
            &format!(
                "Meting van {} bij indicator '{}' verwijderd",
                before.measured_on.format("%d-%m-%Y"),
                indicator.indicator.name
            ),
            Some(before),
            None,
        )
        .await?;
        tx.commit().await
    }
}

/// The message for a name that another indicator of the organisation has.
pub const NAME_TAKEN: &str = "Er is al een indicator met deze naam.";

fn name_taken(error: sqlx::Error) -> StoreError {
    match error.as_database_error() {
        Some(db) if db.is_unique_violation() => StoreError::invalid("name", NAME_TAKEN),
        _ => error.into(),
    }
}

impl Tx {
    pub async fn create_indicator(
        &mut self,
        actor: &Actor,
        data: &Indicator,
        ambitions: &[i64],
    ) -> Result<i64> {
        self.check_ambitions(actor.organisation_id, ambitions)
            .await?;
        let sql = "INSERT INTO indicators (organisation_id, name, unit, direction, baseline_milli, \
                   baseline_year, description) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(&data.name)
            .bind(&data.unit)
            .bind(data.direction.code())
            .bind(data.baseline.map(|(w, _)| w.milli()))
            .bind(data.baseline.map(|(_, j)| i64::from(j)))
            .bind(&data.description)
            .fetch_one(conn)
            .await)
        .map_err(name_taken)?;
        self.replace_children(actor.organisation_id, id, data, ambitions)
            .await?;
        let after = self.reads().indicator(actor.organisation_id, id).await?;
        self.audit::<(), _>(
            actor,
            "indicator",
            id,
            "aanmaken",
            &format!("Indicator '{}' toegevoegd", data.name),
            None,
            Some(&after),
        )
        .await?;
        Ok(id)
    }

    pub async fn add_measurement(
        &mut self,
        actor: &Actor,
        indicator: &IndicatorRow,
        meting: &Meting,
    ) -> Result<i64> {
        let sql = "INSERT INTO indicator_measurements (organisation_id, indicator_id, measured_on, \
                   value_milli, source, note) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(indicator.id)
            .bind(meting.measured_on)
            .bind(meting.value.milli())
            .bind(&meting.source)
            .bind(&meting.note)
            .fetch_one(conn)
            .await)?;
        let after = MeasurementRow {
            id,
            indicator_id: indicator.id,
            measured_on: meting.measured_on,
            value_milli: meting.value.milli(),
            source: meting.source.clone(),
            note: meting.note.clone(),
        };
        self.audit::<(), _>(
            actor,
            "meting",
            id,
            "aanmaken",
            &format!(
                "Meting van {} bij indicator '{}' toegevoegd: {} {}",
                meting.measured_on.format("%d-%m-%Y"),
                indicator.name,
                meting.value,
                indicator.unit
            ),
            None,
            Some(&after),
        )
        .await?;
        Ok(id)
    }

    async fn check_ambitions(&mut self, organisation_id: i64, ambitions: &[i64]) -> Result<()> {
        for ambition in ambitions {
            self.require_owned(organisation_id, "ambitions", *ambition, "ambitions")
                .await?;
        }
        Ok(())
    }

    /// Writes the targets and ambition links of indicator `id` anew.
    async fn replace_children(
        &mut self,
        organisation_id: i64,
        id: i64,
        data: &Indicator,
        ambitions: &[i64],
    ) -> Result<()> {
        for table in ["indicator_targets", "indicator_ambitions"] {
            let sql =
                format!("DELETE FROM {table} WHERE organisation_id = $1 AND indicator_id = $2");
            on_conn!(self, |conn| sqlx::query(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(organisation_id)
                .bind(id)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?;
        }
        for (year, value) in &data.targets {
            on_conn!(self, |conn| sqlx::query(
                "INSERT INTO indicator_targets (organisation_id, indicator_id, year, value_milli) \
                 VALUES ($1, $2, $3, $4)"
            )
            .bind(organisation_id)
            .bind(id)
            .bind(i64::from(*year))
            .bind(value.milli())
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        let mut ambitions = ambitions.to_vec();
        ambitions.sort_unstable();
        ambitions.dedup();
        for ambition in ambitions {
            on_conn!(self, |conn| sqlx::query(
                "INSERT INTO indicator_ambitions (organisation_id, indicator_id, ambition_id) \
                 VALUES ($1, $2, $3)"
            )
            .bind(organisation_id)
            .bind(id)
            .bind(ambition)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        Ok(())
    }
}

impl Exec<'_> {
    pub(crate) async fn indicator(
        &mut self,
        organisation_id: i64,
        id: i64,
    ) -> Result<IndicatorRecord> {
        self.indicators(organisation_id, Some(id))
            .await?
            .pop()
            .ok_or(StoreError::NotFound)
    }

    /// All indicators, or only `only`, with their targets, ambitions and measurements.
    pub(crate) async fn indicators(
        &mut self,
        organisation_id: i64,
        only: Option<i64>,
    ) -> Result<Vec<IndicatorRecord>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM indicators WHERE organisation_id = $1 AND ($2 IS NULL OR id = $2) \
             ORDER BY name, id"
        );
        let rows: Vec<IndicatorRow> = on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(only)
        .fetch_all(conn)
        .await)?;
        let targets: Vec<(i64, i64, i64)> = on_exec!(self, |conn| {
            sqlx::query_as(
            "SELECT indicator_id, year, value_milli FROM indicator_targets \
             WHERE organisation_id = $1 AND ($2 IS NULL OR indicator_id = $2) ORDER BY indicator_id, year"
        )
        .bind(organisation_id)
        .bind(only)
        .fetch_all(conn)
        .await
        })?;
        let ambitions: Vec<(i64, i64)> = on_exec!(self, |conn| sqlx::query_as(
            "SELECT indicator_id, ambition_id FROM indicator_ambitions \
             WHERE organisation_id = $1 AND ($2 IS NULL OR indicator_id = $2) \
             ORDER BY indicator_id, ambition_id"
        )
        .bind(organisation_id)
        .bind(only)
        .fetch_all(conn)
        .await)?;
        let measurements: Vec<MeasurementRow> = on_exec!(self, |conn| {
            sqlx::query_as(
            "SELECT id, indicator_id, measured_on, value_milli, source, note FROM indicator_measurements \
             WHERE organisation_id = $1 AND ($2 IS NULL OR indicator_id = $2) \
             ORDER BY indicator_id, measured_on, id"
        )
        .bind(organisation_id)
        .bind(only)
        .fetch_all(conn)
        .await
        })?;
        Ok(rows
            .into_iter()
            .map(|indicator| {
                let id = indicator.id;
                IndicatorRecord {
                    indicator,
                    targets: targets
                        .iter()
                        .filter(|(i, _, _)| *i == id)
                        .map(|(_, year, value)| (*year, *value))
                        .collect(),
                    ambitions: ambitions
                        .iter()
                        .filter(|(i, _)| *i == id)
                        .map(|(_, a)| *a)
                        .collect(),
                    measurements: measurements
                        .iter()
                        .filter(|m| m.indicator_id == id)
                        .cloned()
                        .collect(),
                }
            })
            .collect())
    }
}
