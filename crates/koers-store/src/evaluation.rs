//! The evaluation of a programme: one row per programme with its texts and adoption status, the
//! outcome per action, a conclusion per theme and the attention points for next year.

use crate::connection::Exec;
use crate::{Result, Store, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::{Uitkomst, Vaststelling};
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
        let attention_points = on_exec!(self, |conn| sqlx::query_as(
            "SELECT id, evaluation_id, position, text, follow_up, version FROM attention_points \
             WHERE organisation_id = $1 AND evaluation_id = $2 ORDER BY position, id"
        )
        .bind(organisation_id)
        .bind(evaluation.id)
        .fetch_all(conn)
        .await)?;
        Ok(EvaluationRecord {
            evaluation: Some(evaluation),
            actions,
            themes,
            attention_points,
        })
    }
}
