//! VTH task fields (migration 0008), their figures per year and the organisation's capacity
//! settings (migration 0009). A task field is catalogue data: ordered, edited with optimistic
//! locking and retired rather than deleted, because year figures and risk analyses refer to it.

use crate::audit::Change;
use crate::catalog::Direction;
use crate::connection::Exec;
use crate::{Actor, Result, Store, StoreError, Tx};
use koers_domain::capacity::Instellingen;
use koers_domain::vth::{Aantal, Discipline, Jaarcijfers, Norm, Taakveld};
use koers_domain::{FieldErrors, Uren};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TaskField {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub discipline: Discipline,
    pub lead_subteam_id: i64,
    pub unit: String,
    pub norm_hundredths: i64,
    pub decision_term_weeks: Option<i64>,
    pub description: String,
    pub position: i64,
    pub retired: bool,
    pub version: i64,
}

impl TaskField {
    /// The stored norm; the database refuses a norm of zero or less.
    pub fn norm(&self) -> Norm {
        Norm::from_hundredths(self.norm_hundredths)
            .unwrap_or_else(|_| Norm::from_hundredths(1).expect("one hundredth is a norm"))
    }
}

const TASK_FIELD_COLUMNS: &str = "id, code, name, discipline, lead_subteam_id, unit, norm_hundredths, \
     decision_term_weeks, description, position, retired, version";

/// The figures of one task field in one year, as stored.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct TaskFieldYear {
    pub task_field_id: i64,
    pub year: i64,
    pub planned_volume: i64,
    pub realised_volume_q1: Option<i64>,
    pub realised_volume_q2: Option<i64>,
    pub realised_volume_q3: Option<i64>,
    pub realised_volume_q4: Option<i64>,
    pub realised_hours_q1: Option<i64>,
    pub realised_hours_q2: Option<i64>,
    pub realised_hours_q3: Option<i64>,
    pub realised_hours_q4: Option<i64>,
    pub decided: Option<i64>,
    pub decided_in_term: Option<i64>,
    pub version: i64,
}

const YEAR_COLUMNS: &str = "task_field_id, year, planned_volume, realised_volume_q1, realised_volume_q2, \
     realised_volume_q3, realised_volume_q4, realised_hours_q1, realised_hours_q2, realised_hours_q3, \
     realised_hours_q4, decided, decided_in_term, version";

impl TaskFieldYear {
    /// The stored figures as domain values; the database's checks hold the same bounds.
    pub fn figures(&self) -> Jaarcijfers {
        let count = |v: Option<i64>| v.and_then(|v| Aantal::new(v).ok());
        let hours = |v: Option<i64>| v.and_then(|v| Uren::new(v).ok());
        Jaarcijfers {
            planned_volume: Aantal::new(self.planned_volume).unwrap_or_default(),
            realised_volume: [
                count(self.realised_volume_q1),
                count(self.realised_volume_q2),
                count(self.realised_volume_q3),
                count(self.realised_volume_q4),
            ],
            realised_hours: [
                hours(self.realised_hours_q1),
                hours(self.realised_hours_q2),
                hours(self.realised_hours_q3),
                hours(self.realised_hours_q4),
            ],
            decided: count(self.decided),
            decided_in_term: count(self.decided_in_term),
        }
    }
}

/// The figures as written into the audit log.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct YearRecord<'a> {
    year: i64,
    #[serde(flatten)]
    figures: &'a Jaarcijfers,
    version: i64,
}

/// The capacity settings with their version (0: never saved, Koers' defaults).
#[derive(Debug, Clone, Copy, Serialize)]
pub struct CapacitySettings {
    pub settings: Instellingen,
    pub version: i64,
}

impl Store {
    /// All task fields of the organisation, retired ones included, in their order.
    pub async fn task_fields(&self, organisation_id: i64) -> Result<Vec<TaskField>> {
        self.reads().task_fields(organisation_id).await
    }

    pub async fn task_field(&self, organisation_id: i64, id: i64) -> Result<TaskField> {
        self.reads().task_field(organisation_id, id).await
    }

    pub async fn create_task_field(&self, actor: &Actor, data: &Taakveld) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.create_task_field(actor, data).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn update_task_field(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        data: &Taakveld,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = tx.reads().task_field(actor.organisation_id, id).await?;
        tx.check_task_field(actor.organisation_id, Some(&before), data)
            .await?;
        let sql = "UPDATE task_fields SET code = $1, name = $2, discipline = $3, lead_subteam_id = $4, \
                   unit = $5, norm_hundredths = $6, decision_term_weeks = $7, description = $8, \
                   version = version + 1 WHERE organisation_id = $9 AND id = $10 AND version = $11";
        let changed = on_conn!(tx, |conn| sqlx::query(sql)
            .bind(&data.code)
            .bind(&data.name)
            .bind(data.discipline.code())
            .bind(data.lead_subteam_id)
            .bind(&data.unit)
            .bind(data.norm.hundredths())
            .bind(data.decision_term_weeks)
            .bind(&data.description)
            .bind(actor.organisation_id)
            .bind(id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))
        .map_err(|e| code_taken(e, data))?;
        let after = TaskField {
            code: data.code.clone(),
            name: data.name.clone(),
            discipline: data.discipline,
            lead_subteam_id: data.lead_subteam_id,
            unit: data.unit.clone(),
            norm_hundredths: data.norm.hundredths(),
            decision_term_weeks: data.decision_term_weeks,
            description: data.description.clone(),
            version: before.version + 1,
            ..before.clone()
        };
        let change = Change {
            entity: "taakveld",
            id,
            summary: format!("Taakveld '{}' gewijzigd", data.name),
            before: &before,
            after: &after,
        };
        tx.finish_versioned_update(actor, changed, before.version, change)
            .await?;
        tx.commit().await
    }

    /// Retires a task field (or brings it back): it leaves the year's list, not the history.
    pub async fn set_task_field_retired(
        &self,
        actor: &Actor,
        id: i64,
        retired: bool,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = tx.reads().task_field(actor.organisation_id, id).await?;
        on_conn!(tx, |conn| {
            sqlx::query(
            "UPDATE task_fields SET retired = $1, version = version + 1 WHERE organisation_id = $2 AND id = $3"
        )
        .bind(retired)
        .bind(actor.organisation_id)
        .bind(id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
        })?;
        let after = TaskField {
            retired,
            version: before.version + 1,
            ..before.clone()
        };
        let (operation, verb) = if retired {
            ("intrekken", "ingetrokken")
        } else {
            ("herstellen", "hersteld")
        };
        let summary = format!("Taakveld '{}' {verb}", before.name);
        tx.audit(
            actor,
            "taakveld",
            id,
            operation,
            &summary,
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await
    }

    /// Swaps a task field with its neighbour in the list.
    pub async fn move_task_field(
        &self,
        actor: &Actor,
        id: i64,
        direction: Direction,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let fields = tx.reads().task_fields(actor.organisation_id).await?;
        let Some(index) = fields.iter().position(|f| f.id == id) else {
            return Err(StoreError::NotFound);
        };
        let other = match direction {
            Direction::Up if index > 0 => index - 1,
            Direction::Down if index + 1 < fields.len() => index + 1,
            _ => return Ok(()),
        };
        let mut order: Vec<i64> = fields.iter().map(|f| f.id).collect();
        order.swap(index, other);
        for (position, field) in order.iter().enumerate() {
            on_conn!(tx, |conn| sqlx::query(
                "UPDATE task_fields SET position = $1 WHERE organisation_id = $2 AND id = $3"
            )
            .bind(position as i64 + 1)
            .bind(actor.organisation_id)
            .bind(*field)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        let word = if direction == Direction::Up {
            "omhoog"
        } else {
            "omlaag"
        };
        let summary = format!("Taakveld '{}' {word} verplaatst", fields[index].name);
        tx.audit::<(), _>(
            actor,
            "taakveld",
            id,
            "volgorde",
            &summary,
            None,
            Some(&serde_json::json!({ "order": order })),
        )
        .await?;
        tx.commit().await
    }

    /// The figures of every task field that has them in `year`.
    pub async fn task_field_years(
        &self,
        organisation_id: i64,
        year: i64,
    ) -> Result<Vec<TaskFieldYear>> {
        self.reads().task_field_years(organisation_id, year).await
    }

    /// Saves the figures of a task field in a year, read at `expected_version` (0: none yet);
    /// returns the new version.
    pub async fn save_task_field_year(
        &self,
        actor: &Actor,
        task_field_id: i64,
        year: i64,
        expected_version: i64,
        figures: &Jaarcijfers,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let version = tx
            .save_task_field_year(actor, task_field_id, year, expected_version, figures)
            .await?;
        tx.commit().await?;
        Ok(version)
    }

    pub async fn capacity_settings(&self, organisation_id: i64) -> Result<CapacitySettings> {
        self.reads().capacity_settings(organisation_id).await
    }

    /// Saves the capacity settings read at `expected_version` (0: the defaults, never saved);
    /// returns the new version.
    pub async fn save_capacity_settings(
        &self,
        actor: &Actor,
        expected_version: i64,
        settings: Instellingen,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let version = tx
            .save_capacity_settings(actor, expected_version, settings)
            .await?;
        tx.commit().await?;
        Ok(version)
    }

    /// The shares of contributing subteams in the actions of a programme: (action, subteam,
    /// percent), only those above zero.
    pub async fn action_shares(
        &self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<Vec<(i64, i64, i64)>> {
        let sql = "SELECT s.action_id, s.subteam_id, s.share_percent FROM action_subteams s \
                   JOIN actions a ON a.organisation_id = s.organisation_id AND a.id = s.action_id \
                   WHERE s.organisation_id = $1 AND a.programme_id = $2 AND s.share_percent > 0 \
                   ORDER BY s.action_id, s.subteam_id";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(programme_id)
            .fetch_all(conn)
            .await)?)
    }
}

impl Tx {
    pub async fn create_task_field(&mut self, actor: &Actor, data: &Taakveld) -> Result<i64> {
        self.check_task_field(actor.organisation_id, None, data)
            .await?;
        let sql = "INSERT INTO task_fields (organisation_id, code, name, discipline, lead_subteam_id, unit, \
                   norm_hundredths, decision_term_weeks, description, position) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
                   (SELECT COALESCE(MAX(position), 0) + 1 FROM task_fields WHERE organisation_id = $1)) \
                   RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(&data.code)
            .bind(&data.name)
            .bind(data.discipline.code())
            .bind(data.lead_subteam_id)
            .bind(&data.unit)
            .bind(data.norm.hundredths())
            .bind(data.decision_term_weeks)
            .bind(&data.description)
            .fetch_one(conn)
            .await)
        .map_err(|e| code_taken(e, data))?;
        let summary = format!("Taakveld '{}' toegevoegd", data.name);
        self.audit::<(), _>(
            actor,
            "taakveld",
            id,
            "aanmaken",
            &summary,
            None,
            Some(data),
        )
        .await?;
        Ok(id)
    }

    /// Saves the figures of a task field in a year, read at `expected_version` (0: none yet);
    /// returns the new version.
    pub async fn save_task_field_year(
        &mut self,
        actor: &Actor,
        task_field_id: i64,
        year: i64,
        expected_version: i64,
        figures: &Jaarcijfers,
    ) -> Result<i64> {
        let field = self
            .reads()
            .task_field(actor.organisation_id, task_field_id)
            .await?;
        let before = self
            .reads()
            .task_field_years(actor.organisation_id, year)
            .await?
            .into_iter()
            .find(|y| y.task_field_id == task_field_id);
        let current = before.as_ref().map_or(0, |b| b.version);
        let count = |v: Option<Aantal>| v.map(Aantal::get);
        let hours = |v: Option<Uren>| v.map(Uren::get);
        let f = figures;
        let changed = if expected_version == 0 {
            let sql = "INSERT INTO task_field_years (organisation_id, task_field_id, year, planned_volume, \
                       realised_volume_q1, realised_volume_q2, realised_volume_q3, realised_volume_q4, \
                       realised_hours_q1, realised_hours_q2, realised_hours_q3, realised_hours_q4, \
                       decided, decided_in_term) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                       ON CONFLICT (organisation_id, task_field_id, year) DO NOTHING";
            on_conn!(self, |conn| sqlx::query(sql)
                .bind(actor.organisation_id)
                .bind(task_field_id)
                .bind(year)
                .bind(f.planned_volume.get())
                .bind(count(f.realised_volume[0]))
                .bind(count(f.realised_volume[1]))
                .bind(count(f.realised_volume[2]))
                .bind(count(f.realised_volume[3]))
                .bind(hours(f.realised_hours[0]))
                .bind(hours(f.realised_hours[1]))
                .bind(hours(f.realised_hours[2]))
                .bind(hours(f.realised_hours[3]))
                .bind(count(f.decided))
                .bind(count(f.decided_in_term))
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?
        } else {
            let sql = "UPDATE task_field_years SET planned_volume = $1, realised_volume_q1 = $2, \
                       realised_volume_q2 = $3, realised_volume_q3 = $4, realised_volume_q4 = $5, \
                       realised_hours_q1 = $6, realised_hours_q2 = $7, realised_hours_q3 = $8, \
                       realised_hours_q4 = $9, decided = $10, decided_in_term = $11, version = version + 1 \
                       WHERE organisation_id = $12 AND task_field_id = $13 AND year = $14 AND version = $15";
            on_conn!(self, |conn| sqlx::query(sql)
                .bind(f.planned_volume.get())
                .bind(count(f.realised_volume[0]))
                .bind(count(f.realised_volume[1]))
                .bind(count(f.realised_volume[2]))
                .bind(count(f.realised_volume[3]))
                .bind(hours(f.realised_hours[0]))
                .bind(hours(f.realised_hours[1]))
                .bind(hours(f.realised_hours[2]))
                .bind(hours(f.realised_hours[3]))
                .bind(count(f.decided))
                .bind(count(f.decided_in_term))
                .bind(actor.organisation_id)
                .bind(task_field_id)
                .bind(year)
                .bind(expected_version)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))?
        };
        let before_figures = before
            .as_ref()
            .map(TaskFieldYear::figures)
            .unwrap_or_default();
        let change = Change {
            entity: "taakveld",
            id: task_field_id,
            summary: format!("Cijfers {year} van taakveld '{}' opgeslagen", field.name),
            before: &YearRecord {
                year,
                figures: &before_figures,
                version: current,
            },
            after: &YearRecord {
                year,
                figures,
                version: expected_version + 1,
            },
        };
        self.finish_versioned_update(actor, changed, current, change)
            .await?;
        Ok(expected_version + 1)
    }

    /// Saves the capacity settings read at `expected_version` (0: the defaults, never saved);
    /// returns the new version.
    pub async fn save_capacity_settings(
        &mut self,
        actor: &Actor,
        expected_version: i64,
        settings: Instellingen,
    ) -> Result<i64> {
        let before = self
            .reads()
            .capacity_settings(actor.organisation_id)
            .await?;
        let changed = if expected_version == 0 {
            on_conn!(self, |conn| {
                sqlx::query(
                "INSERT INTO capacity_settings (organisation_id, productive_hours_per_fte, overhead_percent) \
                 VALUES ($1, $2, $3) ON CONFLICT (organisation_id) DO NOTHING"
            )
            .bind(actor.organisation_id)
            .bind(settings.productive_hours_per_fte)
            .bind(settings.overhead_percent)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
            })?
        } else {
            on_conn!(self, |conn| {
                sqlx::query(
                "UPDATE capacity_settings SET productive_hours_per_fte = $1, overhead_percent = $2, \
                 version = version + 1 WHERE organisation_id = $3 AND version = $4"
            )
            .bind(settings.productive_hours_per_fte)
            .bind(settings.overhead_percent)
            .bind(actor.organisation_id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected())
            })?
        };
        let after = CapacitySettings {
            settings,
            version: expected_version + 1,
        };
        let change = Change {
            entity: "capaciteit",
            id: actor.organisation_id,
            summary: format!(
                "Capaciteit: {} productieve uren per fte, {}% overhead",
                settings.productive_hours_per_fte, settings.overhead_percent
            ),
            before: &before,
            after: &after,
        };
        self.finish_versioned_update(actor, changed, before.version, change)
            .await?;
        Ok(expected_version + 1)
    }

    /// The lead subteam must be the organisation's and in use (a retired one may stay on a
    /// task field that already had it); the code must be free.
    async fn check_task_field(
        &mut self,
        organisation_id: i64,
        existing: Option<&TaskField>,
        data: &Taakveld,
    ) -> Result<()> {
        let mut errors = FieldErrors::default();
        let subteam: Option<(bool,)> = on_conn!(self, |conn| sqlx::query_as(
            "SELECT retired FROM subteams WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation_id)
        .bind(data.lead_subteam_id)
        .fetch_optional(conn)
        .await)?;
        let kept = existing.is_some_and(|e| e.lead_subteam_id == data.lead_subteam_id);
        let usable = matches!(subteam, Some((false,))) || (subteam.is_some() && kept);
        if !usable {
            errors.add("lead_subteam_id", "Kies een subteam uit de lijst.");
        }
        let taken: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(
            "SELECT id FROM task_fields WHERE organisation_id = $1 AND code = $2 AND id <> $3"
        )
        .bind(organisation_id)
        .bind(&data.code)
        .bind(existing.map_or(0, |e| e.id))
        .fetch_optional(conn)
        .await)?;
        if taken.is_some() {
            errors.add("code", code_in_use(data));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Invalid(errors))
        }
    }
}

fn code_in_use(data: &Taakveld) -> String {
    format!(
        "De code {} is al in gebruik voor een ander taakveld.",
        data.code
    )
}

/// A code taken between the check and the write (by a concurrent save) is the same field error.
fn code_taken(error: sqlx::Error, data: &Taakveld) -> StoreError {
    match error.as_database_error() {
        Some(db) if db.is_unique_violation() => StoreError::invalid("code", code_in_use(data)),
        _ => error.into(),
    }
}

impl Exec<'_> {
    pub(crate) async fn task_fields(&mut self, organisation_id: i64) -> Result<Vec<TaskField>> {
        let sql = format!(
            "SELECT {TASK_FIELD_COLUMNS} FROM task_fields WHERE organisation_id = $1 ORDER BY position, id"
        );
        Ok(on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .fetch_all(conn)
        .await)?)
    }

    pub(crate) async fn task_field(&mut self, organisation_id: i64, id: i64) -> Result<TaskField> {
        let sql = format!(
            "SELECT {TASK_FIELD_COLUMNS} FROM task_fields WHERE organisation_id = $1 AND id = $2"
        );
        on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(id)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)
    }

    pub(crate) async fn task_field_years(
        &mut self,
        organisation_id: i64,
        year: i64,
    ) -> Result<Vec<TaskFieldYear>> {
        let sql = format!(
            "SELECT {YEAR_COLUMNS} FROM task_field_years WHERE organisation_id = $1 AND year = $2 ORDER BY task_field_id"
        );
        Ok(on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(year)
        .fetch_all(conn)
        .await)?)
    }

    pub(crate) async fn capacity_settings(
        &mut self,
        organisation_id: i64,
    ) -> Result<CapacitySettings> {
        let row: Option<(i64, i64, i64)> = on_exec!(self, |conn| {
            sqlx::query_as(
            "SELECT productive_hours_per_fte, overhead_percent, version FROM capacity_settings WHERE organisation_id = $1"
        )
        .bind(organisation_id)
        .fetch_optional(conn)
        .await
        })?;
        Ok(match row {
            Some((hours, overhead, version)) => CapacitySettings {
                settings: Instellingen {
                    productive_hours_per_fte: hours,
                    overhead_percent: overhead,
                },
                version,
            },
            None => CapacitySettings {
                settings: Instellingen::default(),
                version: 0,
            },
        })
    }
}
