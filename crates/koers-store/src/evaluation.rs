//! The evaluation of a programme: one row per programme with its texts and adoption status, the
//! outcome per action, a conclusion per theme and the attention points for next year.

use crate::audit::Change;
use crate::connection::Exec;
use crate::{Actor, Result, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::evaluation_forms::{EvaluatieTeksten, UrenCorrectie};
use koers_domain::{ActieEvaluatie, Uitkomst, Vaststelling};
use serde::Serialize;

/// The evaluation of one programme, as a whole.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct EvaluationRow {
    pub id: i64,
    pub programme_id: i64,
    pub conclusions: String,
    pub trends: String,
    #[sqlx(try_from = "String")]
    pub status: Vaststelling,
    pub decided_on: Option<NaiveDate>,
    pub decision_reference: String,
    pub council_letter_number: String,
    pub council_letter_date: Option<NaiveDate>,
    pub version: i64,
}

/// How the year ended for one action.
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ActionEvaluationRow {
    pub action_id: i64,
    #[sqlx(try_from = "String")]
    pub outcome: Uitkomst,
    pub reason: String,
    pub achieved: String,
    pub lesson: String,
    pub evaluated_by: String,
    pub evaluated_at: DateTime<Utc>,
    pub version: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ThemeConclusionRow {
    pub theme_id: i64,
    pub conclusion: String,
    pub version: i64,
}

/// An "aandachtspunt voor volgend jaar", with how it went (written in next year's evaluation).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AttentionPointRow {
    pub id: i64,
    pub evaluation_id: i64,
    pub position: i64,
    pub text: String,
    pub follow_up: String,
    pub version: i64,
}

/// Everything stored about the evaluation of one programme. `evaluation` is `None` until
/// someone first saves anything in it; the action outcomes can exist before that row does
/// (they are keyed by action).
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvaluationRecord {
    pub evaluation: Option<EvaluationRow>,
    /// Ordered by action id.
    pub actions: Vec<ActionEvaluationRow>,
    /// Ordered by theme id.
    pub themes: Vec<ThemeConclusionRow>,
    /// Ordered by position.
    pub attention_points: Vec<AttentionPointRow>,
}

pub(crate) const EVALUATION_COLUMNS: &str = "id, programme_id, conclusions, trends, status, decided_on, \
     decision_reference, council_letter_number, council_letter_date, version";

impl Store {
    pub async fn evaluation_record(
        &self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<EvaluationRecord> {
        self.reads()
            .evaluation_record(organisation_id, programme_id)
            .await
    }
}

impl Tx {
    /// As [`Store::evaluation_record`], inside this transaction.
    pub async fn evaluation_record(
        &mut self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<EvaluationRecord> {
        self.reads()
            .evaluation_record(organisation_id, programme_id)
            .await
    }
}

impl Exec<'_> {
    pub(crate) async fn evaluation_record(
        &mut self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<EvaluationRecord> {
        let sql = format!(
            "SELECT {EVALUATION_COLUMNS} FROM evaluations WHERE organisation_id = $1 AND programme_id = $2"
        );
        let evaluation: Option<EvaluationRow> = on_exec!(self, |conn| sqlx::query_as(
            sqlx::AssertSqlSafe(sql.as_str())
        )
        .bind(organisation_id)
        .bind(programme_id)
        .fetch_optional(conn)
        .await)?;
        let actions = on_exec!(self, |conn| sqlx::query_as(
            "SELECT e.action_id, e.outcome, e.reason, e.achieved, e.lesson, e.evaluated_by, \
             e.evaluated_at, e.version FROM action_evaluations e \
             JOIN actions a ON a.organisation_id = e.organisation_id AND a.id = e.action_id \
             WHERE e.organisation_id = $1 AND a.programme_id = $2 ORDER BY e.action_id"
        )
        .bind(organisation_id)
        .bind(programme_id)
        .fetch_all(conn)
        .await)?;
        let Some(evaluation) = evaluation else {
            return Ok(EvaluationRecord {
                actions,
                ..Default::default()
            });
        };
        let themes = on_exec!(self, |conn| sqlx::query_as(
            "SELECT theme_id, conclusion, version FROM theme_conclusions \
             WHERE organisation_id = $1 AND evaluation_id = $2 ORDER BY theme_id"
        )
        .bind(organisation_id)
        .bind(evaluation.id)
        .fetch_all(conn)
        .await)?;
        let attention_points = on_exec!(self, |conn| {
            sqlx::query_as(
            "SELECT id, evaluation_id, position, text, follow_up, version FROM attention_points \
             WHERE organisation_id = $1 AND evaluation_id = $2 ORDER BY position, id"
        )
        .bind(organisation_id)
        .bind(evaluation.id)
        .fetch_all(conn)
        .await
        })?;
        Ok(EvaluationRecord {
            evaluation: Some(evaluation),
            actions,
            themes,
            attention_points,
        })
    }
}

/// The message for a change to an adopted evaluation.
pub const ADOPTED: &str = "Deze evaluatie is vastgesteld door het college en kan niet meer worden gewijzigd. \
     Wilt u toch iets aanpassen, bied de evaluatie dan eerst opnieuw aan ter vaststelling.";

/// The action an evaluation write is about: its programme and code (for the audit summary).
#[derive(Debug, Clone, sqlx::FromRow)]
struct ActionKey {
    programme_id: i64,
    code: String,
    #[sqlx(try_from = "String")]
    status: koers_domain::Status,
    hours_spent: i64,
}

impl Store {
    /// The note of the newest progress entry of each action of a programme that has one, as
    /// (action id, note), ordered by action id.
    pub async fn last_progress_notes(
        &self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<Vec<(i64, String)>> {
        let sql = "SELECT p.action_id, p.note FROM progress_entries p \
                   JOIN actions a ON a.organisation_id = p.organisation_id AND a.id = p.action_id \
                   WHERE p.organisation_id = $1 AND a.programme_id = $2 \
                   ORDER BY p.action_id, p.entry_date DESC, p.id DESC";
        let rows: Vec<(i64, String)> = on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(programme_id)
            .fetch_all(conn)
            .await)?;
        let mut newest: Vec<(i64, String)> = Vec::new();
        for (action, note) in rows {
            if newest.last().is_none_or(|(last, _)| *last != action) {
                newest.push((action, note));
            }
        }
        Ok(newest)
    }

    /// Saves the evaluation of one action: a first evaluation when `expected_version` is 0,
    /// otherwise a change of the one read at that version.
    pub async fn save_action_evaluation(
        &self,
        actor: &Actor,
        action_id: i64,
        expected_version: i64,
        data: &ActieEvaluatie,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.save_action_evaluation(actor, action_id, expected_version, data)
            .await?;
        tx.commit().await
    }

    /// Saves the conclusions and the trends of an evaluation read at `expected_version` (1 for
    /// an evaluation that has no row yet: that is the version its first save creates).
    pub async fn save_evaluation_texts(
        &self,
        actor: &Actor,
        programme_id: i64,
        expected_version: i64,
        texts: &EvaluatieTeksten,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.save_evaluation_texts(actor, programme_id, expected_version, texts)
            .await?;
        tx.commit().await
    }

    /// Saves the conclusion about one theme: a new one when `expected_version` is 0.
    pub async fn save_theme_conclusion(
        &self,
        actor: &Actor,
        programme_id: i64,
        theme_id: i64,
        expected_version: i64,
        conclusion: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.save_theme_conclusion(actor, programme_id, theme_id, expected_version, conclusion)
            .await?;
        tx.commit().await
    }

    /// Adds an attention point for next year at the end of the list; returns its id.
    pub async fn add_attention_point(
        &self,
        actor: &Actor,
        programme_id: i64,
        text: &str,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let value = tx.add_attention_point(actor, programme_id, text).await?;
        tx.commit().await?;
        Ok(value)
    }

    /// Changes the text of an attention point of this programme's evaluation.
    pub async fn update_attention_point(
        &self,
        actor: &Actor,
        programme_id: i64,
        point_id: i64,
        expected_version: i64,
        text: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let evaluation = tx.editable_evaluation(actor, programme_id).await?;
        let point = tx.attention_point(actor, evaluation.id, point_id).await?;
        let name = tx.evaluation_name(actor, programme_id).await?;
        let summary = format!("Aandachtspunt voor volgend jaar in {name} gewijzigd");
        tx.update_attention_point_field(
            actor,
            &point,
            PointField::Text,
            text,
            expected_version,
            summary,
        )
        .await?;
        tx.commit().await
    }

    /// Removes an attention point that has not been answered in next year's evaluation.
    pub async fn remove_attention_point(
        &self,
        actor: &Actor,
        programme_id: i64,
        point_id: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let evaluation = tx.editable_evaluation(actor, programme_id).await?;
        let point = tx.attention_point(actor, evaluation.id, point_id).await?;
        if !point.follow_up.is_empty() {
            return Err(StoreError::Refused(
                "Over dit aandachtspunt is in de evaluatie van volgend jaar al geschreven hoe het ging. \
                 Het blijft daarom staan; pas zo nodig de tekst aan."
                    .into(),
            ));
        }
        on_conn!(tx, |conn| sqlx::query(
            "DELETE FROM attention_points WHERE organisation_id = $1 AND id = $2"
        )
        .bind(actor.organisation_id)
        .bind(point_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        let name = tx.evaluation_name(actor, programme_id).await?;
        tx.audit::<_, ()>(
            actor,
            "aandachtspunt",
            point_id,
            "verwijderen",
            &format!("Aandachtspunt voor volgend jaar verwijderd uit {name}"),
            Some(&point),
            None,
        )
        .await?;
        tx.commit().await
    }

    /// Moves an attention point one place up or down; at either end nothing changes.
    pub async fn move_attention_point(
        &self,
        actor: &Actor,
        programme_id: i64,
        point_id: i64,
        up: bool,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let evaluation = tx.editable_evaluation(actor, programme_id).await?;
        tx.attention_point(actor, evaluation.id, point_id).await?;
        let points: Vec<(i64,)> = on_conn!(tx, |conn| sqlx::query_as(
            "SELECT id FROM attention_points WHERE organisation_id = $1 AND evaluation_id = $2 \
             ORDER BY position, id"
        )
        .bind(actor.organisation_id)
        .bind(evaluation.id)
        .fetch_all(conn)
        .await)?;
        let mut order: Vec<i64> = points.into_iter().map(|(id,)| id).collect();
        let Some(at) = order.iter().position(|id| *id == point_id) else {
            return Err(StoreError::NotFound);
        };
        let other = if up { at.checked_sub(1) } else { Some(at + 1) };
        let Some(other) = other.filter(|o| *o < order.len()) else {
            return Ok(());
        };
        order.swap(at, other);
        // Positions may have gaps or ties, so the whole list is numbered again.
        for (position, id) in order.iter().enumerate() {
            on_conn!(tx, |conn| sqlx::query(
                "UPDATE attention_points SET position = $1 WHERE organisation_id = $2 AND id = $3"
            )
            .bind(i64::try_from(position).unwrap_or(i64::MAX) + 1)
            .bind(actor.organisation_id)
            .bind(*id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        let name = tx.evaluation_name(actor, programme_id).await?;
        let after = serde_json::json!({ "order": order });
        tx.audit::<(), _>(
            actor,
            "aandachtspunt",
            point_id,
            "volgorde",
            &format!(
                "Aandachtspunt in {name} een plaats {} gezet",
                if up { "hoger" } else { "lager" }
            ),
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await
    }

    /// Records, in the evaluation of `programme_id`, how an attention point of the previous
    /// year's evaluation went. Only this year's evaluation must be editable: last year's may be
    /// adopted, and its frozen version keeps what the college saw.
    pub async fn save_attention_follow_up(
        &self,
        actor: &Actor,
        programme_id: i64,
        point_id: i64,
        expected_version: i64,
        follow_up: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.editable_evaluation(actor, programme_id).await?;
        let previous: Option<(i64,)> = on_conn!(tx, |conn| sqlx::query_as(
            "SELECT e.id FROM evaluations e \
             JOIN programmes p ON p.organisation_id = e.organisation_id AND p.id = e.programme_id \
             JOIN programmes this ON this.organisation_id = p.organisation_id AND this.id = $2 \
             WHERE e.organisation_id = $1 AND p.year = this.year - 1"
        )
        .bind(actor.organisation_id)
        .bind(programme_id)
        .fetch_optional(conn)
        .await)?;
        let Some((previous,)) = previous else {
            return Err(StoreError::NotFound);
        };
        let point = tx.attention_point(actor, previous, point_id).await?;
        let name = tx.evaluation_name(actor, programme_id).await?;
        let summary = format!("In {name} vastgelegd hoe een aandachtspunt van vorig jaar ging");
        tx.update_attention_point_field(
            actor,
            &point,
            PointField::FollowUp,
            follow_up,
            expected_version,
            summary,
        )
        .await?;
        tx.commit().await
    }

    /// Corrects the hours spent on an action with a new progress entry (progress is
    /// append-only), dated `entry_date`, with the action's current status. Returns the entry's id.
    pub async fn correct_hours(
        &self,
        actor: &Actor,
        action_id: i64,
        correction: &UrenCorrectie,
        entry_date: NaiveDate,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        // Lock the action's row first, as adding progress does, so that concurrent entries on
        // PostgreSQL are all counted and the check below sees the committed total.
        let found = on_conn!(tx, |conn| sqlx::query(
            "UPDATE actions SET version = version WHERE organisation_id = $1 AND id = $2"
        )
        .bind(actor.organisation_id)
        .bind(action_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        if found == 0 {
            return Err(StoreError::NotFound);
        }
        let action = tx.action_key(actor, action_id).await?;
        tx.editable_evaluation(actor, action.programme_id).await?;
        let (spent,): (i64,) = on_conn!(tx, |conn| sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(hours_spent), 0) AS BIGINT) FROM progress_entries \
             WHERE organisation_id = $1 AND action_id = $2"
        )
        .bind(actor.organisation_id)
        .bind(action_id)
        .fetch_one(conn)
        .await)?;
        let total = correction.total_after(spent).map_err(StoreError::Invalid)?;
        let note = correction.note();
        let (id,): (i64,) = on_conn!(tx, |conn| {
            sqlx::query_as(
            "INSERT INTO progress_entries (organisation_id, action_id, status, note, hours_spent, entry_date, \
             author_id, author_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id"
        )
        .bind(actor.organisation_id)
        .bind(action_id)
        .bind(action.status.code())
        .bind(&note)
        .bind(correction.hours)
        .bind(entry_date)
        .bind(actor.user_id)
        .bind(&actor.user_name)
        .bind(actor.now)
        .fetch_one(conn)
        .await
        })?;
        on_conn!(tx, |conn| {
            sqlx::query(
            "UPDATE actions SET hours_spent = $1, \
             last_progress_on = (SELECT MAX(entry_date) FROM progress_entries WHERE organisation_id = $2 AND action_id = $3) \
             WHERE organisation_id = $2 AND id = $3"
        )
        .bind(total)
        .bind(actor.organisation_id)
        .bind(action_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected())
        })?;
        let before = serde_json::json!({ "hoursSpent": action.hours_spent });
        let after = serde_json::json!({
            "hoursSpent": total,
            "correction": correction.hours,
            "note": note,
            "entryDate": entry_date,
        });
        tx.audit(
            actor,
            "actie",
            action_id,
            "voortgang",
            &format!(
                "Bestede uren van actie {} gecorrigeerd met {} uur: {}",
                action.code, correction.hours, correction.reason
            ),
            Some(&before),
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }
}

/// Two first saves of the same record at once: the primary key decides, and the loser gets a
/// conflict with the version the winner wrote.
fn conflict_on_duplicate(error: sqlx::Error, current: i64) -> StoreError {
    match error.as_database_error() {
        Some(db) if db.is_unique_violation() => StoreError::Conflict { current },
        _ => error.into(),
    }
}

impl Tx {
    /// The evaluation of a programme of this organisation, created on the first save, and
    /// refused when the college has adopted it.
    pub async fn ensure_evaluation(
        &mut self,
        actor: &Actor,
        programme_id: i64,
    ) -> Result<EvaluationRow> {
        let sql = format!(
            "SELECT {EVALUATION_COLUMNS} FROM evaluations WHERE organisation_id = $1 AND programme_id = $2"
        );
        let existing: Option<EvaluationRow> = on_conn!(self, |conn| sqlx::query_as(
            sqlx::AssertSqlSafe(sql.as_str())
        )
        .bind(actor.organisation_id)
        .bind(programme_id)
        .fetch_optional(conn)
        .await)?;
        if let Some(evaluation) = existing {
            return Ok(evaluation);
        }
        let year: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(
            "SELECT year FROM programmes WHERE organisation_id = $1 AND id = $2"
        )
        .bind(actor.organisation_id)
        .bind(programme_id)
        .fetch_optional(conn)
        .await)?;
        let Some((year,)) = year else {
            return Err(StoreError::NotFound);
        };
        // Two first saves at once (of different actions, say) both get the one row: on
        // PostgreSQL the second insert waits for the first and then does nothing.
        let insert = "INSERT INTO evaluations (organisation_id, programme_id) VALUES ($1, $2) \
                      ON CONFLICT (programme_id) DO NOTHING";
        let inserted = on_conn!(self, |conn| sqlx::query(insert)
            .bind(actor.organisation_id)
            .bind(programme_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let created: EvaluationRow = on_conn!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(actor.organisation_id)
        .bind(programme_id)
        .fetch_one(conn)
        .await)?;
        if inserted == 0 {
            return Ok(created);
        }
        let after = serde_json::json!({ "programmeId": programme_id, "status": created.status });
        self.audit::<(), _>(
            actor,
            "evaluatie",
            created.id,
            "aanmaken",
            &format!("Evaluatie {year} begonnen"),
            None,
            Some(&after),
        )
        .await?;
        Ok(created)
    }

    /// As [`Tx::ensure_evaluation`], refusing an adopted evaluation: it must first be offered
    /// for adoption again.
    pub async fn editable_evaluation(
        &mut self,
        actor: &Actor,
        programme_id: i64,
    ) -> Result<EvaluationRow> {
        let evaluation = self.ensure_evaluation(actor, programme_id).await?;
        if evaluation.status.is_adopted() {
            return Err(StoreError::Refused(ADOPTED.into()));
        }
        Ok(evaluation)
    }

    pub async fn save_action_evaluation(
        &mut self,
        actor: &Actor,
        action_id: i64,
        expected_version: i64,
        data: &ActieEvaluatie,
    ) -> Result<()> {
        let action = self.action_key(actor, action_id).await?;
        self.editable_evaluation(actor, action.programme_id).await?;
        let existing: Option<ActionEvaluationRow> = on_conn!(self, |conn| {
            sqlx::query_as(
            "SELECT action_id, outcome, reason, achieved, lesson, evaluated_by, evaluated_at, version \
             FROM action_evaluations WHERE organisation_id = $1 AND action_id = $2"
        )
        .bind(actor.organisation_id)
        .bind(action_id)
        .fetch_optional(conn)
        .await
        })?;
        let record = |version: i64| {
            serde_json::json!({
                "outcome": data.outcome,
                "reason": data.reason,
                "achieved": data.achieved,
                "lesson": data.lesson,
                "version": version,
            })
        };
        let summary = format!(
            "Actie {} geëvalueerd: {}",
            action.code,
            data.outcome.label().to_lowercase()
        );
        match existing {
            None if expected_version == 0 => {
                on_conn!(self, |conn| sqlx::query(
                    "INSERT INTO action_evaluations (organisation_id, action_id, outcome, reason, achieved, \
                     lesson, evaluated_by, evaluated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                )
                .bind(actor.organisation_id)
                .bind(action_id)
                .bind(data.outcome.code())
                .bind(&data.reason)
                .bind(&data.achieved)
                .bind(&data.lesson)
                .bind(&actor.user_name)
                .bind(actor.now)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))
                .map_err(|e| conflict_on_duplicate(e, 1))?;
                self.audit::<(), _>(
                    actor,
                    "actie-evaluatie",
                    action_id,
                    "aanmaken",
                    &summary,
                    None,
                    Some(&record(1)),
                )
                .await
            }
            None => Err(StoreError::Conflict { current: 0 }),
            Some(before) => {
                let changed = on_conn!(self, |conn| {
                    sqlx::query(
                    "UPDATE action_evaluations SET outcome = $1, reason = $2, achieved = $3, lesson = $4, \
                     evaluated_by = $5, evaluated_at = $6, version = version + 1 \
                     WHERE organisation_id = $7 AND action_id = $8 AND version = $9"
                )
                .bind(data.outcome.code())
                .bind(&data.reason)
                .bind(&data.achieved)
                .bind(&data.lesson)
                .bind(&actor.user_name)
                .bind(actor.now)
                .bind(actor.organisation_id)
                .bind(action_id)
                .bind(expected_version)
                .execute(conn)
                .await
                .map(|r| r.rows_affected())
                })?;
                let before_record = serde_json::json!({
                    "outcome": before.outcome,
                    "reason": before.reason,
                    "achieved": before.achieved,
                    "lesson": before.lesson,
                    "version": before.version,
                });
                let after_record = record(before.version + 1);
                let change = Change {
                    entity: "actie-evaluatie",
                    id: action_id,
                    summary,
                    before: &before_record,
                    after: &after_record,
                };
                self.finish_versioned_update(actor, changed, before.version, change)
                    .await
            }
        }
    }

    async fn action_key(&mut self, actor: &Actor, action_id: i64) -> Result<ActionKey> {
        on_conn!(self, |conn| sqlx::query_as(
            "SELECT programme_id, code, status, hours_spent FROM actions WHERE organisation_id = $1 AND id = $2"
        )
        .bind(actor.organisation_id)
        .bind(action_id)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)
    }

    async fn attention_point(
        &mut self,
        actor: &Actor,
        evaluation_id: i64,
        point_id: i64,
    ) -> Result<AttentionPointRow> {
        on_conn!(self, |conn| sqlx::query_as(
            "SELECT id, evaluation_id, position, text, follow_up, version FROM attention_points \
             WHERE organisation_id = $1 AND evaluation_id = $2 AND id = $3"
        )
        .bind(actor.organisation_id)
        .bind(evaluation_id)
        .bind(point_id)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)
    }

    /// "de evaluatie 2023", for audit summaries.
    async fn evaluation_name(&mut self, actor: &Actor, programme_id: i64) -> Result<String> {
        let (year,): (i64,) = on_conn!(self, |conn| sqlx::query_as(
            "SELECT year FROM programmes WHERE organisation_id = $1 AND id = $2"
        )
        .bind(actor.organisation_id)
        .bind(programme_id)
        .fetch_one(conn)
        .await)?;
        Ok(format!("de evaluatie {year}"))
    }
}

impl Tx {
    /// Saves the conclusions and the trends of an evaluation read at `expected_version` (1 for
    /// an evaluation that has no row yet: that is the version its first save creates).
    pub async fn save_evaluation_texts(
        &mut self,
        actor: &Actor,
        programme_id: i64,
        expected_version: i64,
        texts: &EvaluatieTeksten,
    ) -> Result<()> {
        let evaluation = self.editable_evaluation(actor, programme_id).await?;
        let before = serde_json::json!({
            "conclusions": evaluation.conclusions,
            "trends": evaluation.trends,
            "version": evaluation.version,
        });
        let after = serde_json::json!({
            "conclusions": texts.conclusions,
            "trends": texts.trends,
            "version": evaluation.version + 1,
        });
        let changed = on_conn!(self, |conn| sqlx::query(
            "UPDATE evaluations SET conclusions = $1, trends = $2, version = version + 1 \
             WHERE organisation_id = $3 AND id = $4 AND version = $5"
        )
        .bind(&texts.conclusions)
        .bind(&texts.trends)
        .bind(actor.organisation_id)
        .bind(evaluation.id)
        .bind(expected_version)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        let change = Change {
            entity: "evaluatie",
            id: evaluation.id,
            summary: format!(
                "Conclusies en trends van {} gewijzigd",
                self.evaluation_name(actor, programme_id).await?
            ),
            before: &before,
            after: &after,
        };
        self.finish_versioned_update(actor, changed, evaluation.version, change)
            .await?;
        Ok(())
    }

    /// Saves the conclusion about one theme: a new one when `expected_version` is 0.
    pub async fn save_theme_conclusion(
        &mut self,
        actor: &Actor,
        programme_id: i64,
        theme_id: i64,
        expected_version: i64,
        conclusion: &str,
    ) -> Result<()> {
        let evaluation = self.editable_evaluation(actor, programme_id).await?;
        self.require_owned(actor.organisation_id, "themes", theme_id, "theme_id")
            .await?;
        let existing: Option<(String, i64)> = on_conn!(self, |conn| sqlx::query_as(
            "SELECT conclusion, version FROM theme_conclusions \
             WHERE organisation_id = $1 AND evaluation_id = $2 AND theme_id = $3"
        )
        .bind(actor.organisation_id)
        .bind(evaluation.id)
        .bind(theme_id)
        .fetch_optional(conn)
        .await)?;
        let (theme_name,): (String,) = on_conn!(self, |conn| sqlx::query_as(
            "SELECT name FROM themes WHERE organisation_id = $1 AND id = $2"
        )
        .bind(actor.organisation_id)
        .bind(theme_id)
        .fetch_one(conn)
        .await)?;
        let name = self.evaluation_name(actor, programme_id).await?;
        match existing {
            None if expected_version == 0 => {
                on_conn!(self, |conn| sqlx::query(
                    "INSERT INTO theme_conclusions (organisation_id, evaluation_id, theme_id, conclusion) \
                     VALUES ($1, $2, $3, $4)"
                )
                .bind(actor.organisation_id)
                .bind(evaluation.id)
                .bind(theme_id)
                .bind(conclusion)
                .execute(conn)
                .await
                .map(|r| r.rows_affected()))
                .map_err(|e| conflict_on_duplicate(e, 1))?;
                let after = serde_json::json!({ "themeId": theme_id, "conclusion": conclusion, "version": 1 });
                self.audit::<(), _>(
                    actor,
                    "evaluatie",
                    evaluation.id,
                    "wijzigen",
                    &format!("Conclusie over thema '{theme_name}' in {name} geschreven"),
                    None,
                    Some(&after),
                )
                .await?;
            }
            None => return Err(StoreError::Conflict { current: 0 }),
            Some((before_text, version)) => {
                let changed = on_conn!(self, |conn| {
                    sqlx::query(
                    "UPDATE theme_conclusions SET conclusion = $1, version = version + 1 \
                     WHERE organisation_id = $2 AND evaluation_id = $3 AND theme_id = $4 AND version = $5"
                )
                .bind(conclusion)
                .bind(actor.organisation_id)
                .bind(evaluation.id)
                .bind(theme_id)
                .bind(expected_version)
                .execute(conn)
                .await
                .map(|r| r.rows_affected())
                })?;
                let before = serde_json::json!({ "themeId": theme_id, "conclusion": before_text, "version": version });
                let after = serde_json::json!({ "themeId": theme_id, "conclusion": conclusion, "version": version + 1 });
                let change = Change {
                    entity: "evaluatie",
                    id: evaluation.id,
                    summary: format!("Conclusie over thema '{theme_name}' in {name} gewijzigd"),
                    before: &before,
                    after: &after,
                };
                self.finish_versioned_update(actor, changed, version, change)
                    .await?;
            }
        }
        Ok(())
    }

    /// Adds an attention point for next year at the end of the list; returns its id.
    pub async fn add_attention_point(
        &mut self,
        actor: &Actor,
        programme_id: i64,
        text: &str,
    ) -> Result<i64> {
        let evaluation = self.editable_evaluation(actor, programme_id).await?;
        let (position,): (i64,) = on_conn!(self, |conn| sqlx::query_as(
            "SELECT CAST(COALESCE(MAX(position), 0) + 1 AS BIGINT) FROM attention_points \
             WHERE organisation_id = $1 AND evaluation_id = $2"
        )
        .bind(actor.organisation_id)
        .bind(evaluation.id)
        .fetch_one(conn)
        .await)?;
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(
            "INSERT INTO attention_points (organisation_id, evaluation_id, position, text) \
             VALUES ($1, $2, $3, $4) RETURNING id"
        )
        .bind(actor.organisation_id)
        .bind(evaluation.id)
        .bind(position)
        .bind(text)
        .fetch_one(conn)
        .await)?;
        let name = self.evaluation_name(actor, programme_id).await?;
        let after = serde_json::json!({ "text": text, "position": position, "version": 1 });
        self.audit::<(), _>(
            actor,
            "aandachtspunt",
            id,
            "aanmaken",
            &format!("Aandachtspunt voor volgend jaar toegevoegd aan {name}"),
            None,
            Some(&after),
        )
        .await?;
        Ok(id)
    }
}

/// The texts of an attention point: the point itself, and how it went (written next year).
#[derive(Clone, Copy)]
enum PointField {
    Text,
    FollowUp,
}

impl Tx {
    /// Saves one text of `point` if nobody changed the point since `expected_version`.
    async fn update_attention_point_field(
        &mut self,
        actor: &Actor,
        point: &AttentionPointRow,
        field: PointField,
        value: &str,
        expected_version: i64,
        summary: String,
    ) -> Result<()> {
        let (sql, key, old) = match field {
            PointField::Text => (
                "UPDATE attention_points SET text = $1, version = version + 1 \
                 WHERE organisation_id = $2 AND id = $3 AND version = $4",
                "text",
                &point.text,
            ),
            PointField::FollowUp => (
                "UPDATE attention_points SET follow_up = $1, version = version + 1 \
                 WHERE organisation_id = $2 AND id = $3 AND version = $4",
                "followUp",
                &point.follow_up,
            ),
        };
        let changed = on_conn!(self, |conn| sqlx::query(sql)
            .bind(value)
            .bind(actor.organisation_id)
            .bind(point.id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let before = serde_json::json!({ key: old, "version": point.version });
        let after = serde_json::json!({ key: value, "version": point.version + 1 });
        let change = Change {
            entity: "aandachtspunt",
            id: point.id,
            summary,
            before: &before,
            after: &after,
        };
        self.finish_versioned_update(actor, changed, point.version, change)
            .await
    }
}
