//! The risk analysis of the task fields and the LHS intervention matrix (migration 0010).
//!
//! Risk models, analyses and matrices are versioned by adding rows: a save adds the next number
//! and never changes an earlier row, so an analysis keeps the model version it was made with.
//! The caller names the number it saw; the store adds the next one only if that is still the
//! newest (`Conflict { current }` otherwise), and the unique number also stops two concurrent
//! saves of the same version.

use crate::connection::Exec;
use crate::{Actor, Result, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use koers_domain::lhs::LhsMatrix;
use koers_domain::risk::{Analyse, Risicomodel, Schaal};
use std::collections::BTreeMap;

/// A task field as the risk analysis names it.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct TaskFieldRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// V, T or H.
    pub discipline: String,
    pub retired: bool,
}

/// One stored version of the risk model.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskModelVersion {
    pub id: i64,
    pub number: i64,
    pub model: Risicomodel,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// One stored analysis of a task field, with the number of the model version it was made with.
#[derive(Debug, Clone, PartialEq)]
pub struct RiskAnalysis {
    pub id: i64,
    pub task_field_id: i64,
    /// Counts the analyses of this task field from 1; the newest is the one in force.
    pub number: i64,
    pub model_id: i64,
    pub model_number: i64,
    pub analyse: Analyse,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

/// One stored version of the LHS matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct LhsVersion {
    pub id: i64,
    pub number: i64,
    pub matrix: LhsMatrix,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
}

fn stored_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| StoreError::Refused(format!("stored {what}: {e}")))
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

type ModelRow = (i64, i64, String, DateTime<Utc>, String);
type AnalysisRow = (
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
    String,
    DateTime<Utc>,
    String,
);
type LhsRow = (i64, i64, String, String, DateTime<Utc>, String);

fn model_version(row: ModelRow) -> Result<RiskModelVersion> {
    let (id, number, model, created_at, created_by) = row;
    Ok(RiskModelVersion {
        id,
        number,
        model: stored_json(&model, "risk model")?,
        created_at,
        created_by,
    })
}

fn lhs_version(row: LhsRow) -> Result<LhsVersion> {
    let (id, number, cells, note, created_at, created_by) = row;
    Ok(LhsVersion {
        id,
        number,
        matrix: LhsMatrix {
            cellen: stored_json::<BTreeMap<String, String>>(&cells, "LHS cells")?,
            toelichting: note,
        },
        created_at,
        created_by,
    })
}

const MODELS_SQL: &str = "SELECT id, number, model, created_at, created_by FROM risk_models \
                          WHERE organisation_id = $1 ORDER BY number";
const LHS_SQL: &str = "SELECT id, number, cells, note, created_at, created_by FROM lhs_matrices \
                       WHERE organisation_id = $1 ORDER BY number";

impl Store {
    /// The organisation's task fields, in their order, retired ones included.
    pub async fn task_field_refs(&self, organisation_id: i64) -> Result<Vec<TaskFieldRef>> {
        self.reads().task_field_refs(organisation_id).await
    }

    /// Every version of the risk model, oldest first; empty when none was saved yet.
    pub async fn risk_models(&self, organisation_id: i64) -> Result<Vec<RiskModelVersion>> {
        let rows: Vec<ModelRow> = on_pool!(self, |conn| sqlx::query_as(MODELS_SQL)
            .bind(organisation_id)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(model_version).collect()
    }

    /// Every analysis of every task field, by task field and then oldest first.
    pub async fn risk_analyses(&self, organisation_id: i64) -> Result<Vec<RiskAnalysis>> {
        let sql = "SELECT a.id, a.task_field_id, a.number, a.risk_model_id, m.number, a.kans, \
                   a.effects, a.note, a.created_at, a.created_by \
                   FROM risk_analyses a JOIN risk_models m \
                   ON m.organisation_id = a.organisation_id AND m.id = a.risk_model_id \
                   WHERE a.organisation_id = $1 ORDER BY a.task_field_id, a.number";
        let rows: Vec<AnalysisRow> = on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .fetch_all(conn)
            .await)?;
        rows.into_iter()
            .map(
                |(
                    id,
                    task_field_id,
                    number,
                    model_id,
                    model_number,
                    kans,
                    effects,
                    note,
                    at,
                    by,
                )| {
                    let kans = u8::try_from(kans)
                        .ok()
                        .and_then(|k| Schaal::new(k).ok())
                        .ok_or_else(|| StoreError::Refused(format!("stored kans {kans}")))?;
                    Ok(RiskAnalysis {
                        id,
                        task_field_id,
                        number,
                        model_id,
                        model_number,
                        analyse: Analyse {
                            kans,
                            effecten: stored_json(&effects, "effect scores")?,
                            toelichting: note,
                        },
                        created_at: at,
                        created_by: by,
                    })
                },
            )
            .collect()
    }

    /// Every version of the LHS matrix, oldest first; empty when none was saved yet.
    pub async fn lhs_versions(&self, organisation_id: i64) -> Result<Vec<LhsVersion>> {
        let rows: Vec<LhsRow> = on_pool!(self, |conn| sqlx::query_as(LHS_SQL)
            .bind(organisation_id)
            .fetch_all(conn)
            .await)?;
        rows.into_iter().map(lhs_version).collect()
    }

    /// See [`Tx::add_risk_model`].
    pub async fn add_risk_model(
        &self,
        actor: &Actor,
        expected_number: i64,
        model: &Risicomodel,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let number = tx.add_risk_model(actor, expected_number, model).await?;
        tx.commit().await?;
        Ok(number)
    }

    /// See [`Tx::add_risk_analysis`].
    pub async fn add_risk_analysis(
        &self,
        actor: &Actor,
        task_field_id: i64,
        expected: AnalysisBase<'_>,
        analyse: &Analyse,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let number = tx
            .add_risk_analysis(actor, task_field_id, expected, analyse)
            .await?;
        tx.commit().await?;
        Ok(number)
    }

    /// See [`Tx::add_lhs_matrix`].
    pub async fn add_lhs_matrix(
        &self,
        actor: &Actor,
        expected_number: i64,
        matrix: &LhsMatrix,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let number = tx.add_lhs_matrix(actor, expected_number, matrix).await?;
        tx.commit().await?;
        Ok(number)
    }
}

/// What an analysis was filled in against: the analysis it replaces (0: none yet) and the model
/// version whose criteria it scores (0: Koers' default, stored as version 1 with it).
#[derive(Debug, Clone, Copy)]
pub struct AnalysisBase<'a> {
    pub analysis_number: i64,
    pub model_number: i64,
    /// The model of `model_number`; stored first when that is 0.
    pub model: &'a Risicomodel,
}

impl Exec<'_> {
    pub(crate) async fn task_field_refs(self, organisation_id: i64) -> Result<Vec<TaskFieldRef>> {
        let sql = "SELECT id, code, name, discipline, retired FROM task_fields \
                   WHERE organisation_id = $1 ORDER BY position, id";
        Ok(on_exec!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .fetch_all(conn)
            .await)?)
    }
}

impl Tx {
    /// As [`Store::task_field_refs`], inside this transaction.
    pub async fn task_field_refs(&mut self, organisation_id: i64) -> Result<Vec<TaskFieldRef>> {
        self.reads().task_field_refs(organisation_id).await
    }

    /// The newest number of `sql` (a `MAX(number)` over the organisation `$1` and, if given,
    /// `key` as `$2`); 0 when there is none.
    async fn newest_number(
        &mut self,
        sql: &'static str,
        org: i64,
        key: Option<i64>,
    ) -> Result<i64> {
        let (number,): (Option<i64>,) = on_conn!(self, |conn| {
            let query = sqlx::query_as(sql).bind(org);
            let query = match key {
                Some(key) => query.bind(key),
                None => query,
            };
            query.fetch_one(conn).await
        })?;
        Ok(number.unwrap_or(0))
    }

    /// The number after `expected` if that is still the newest of `sql` (see
    /// [`Tx::newest_number`]); otherwise someone else saved first.
    async fn next_number(
        &mut self,
        sql: &'static str,
        org: i64,
        key: Option<i64>,
        expected: i64,
    ) -> Result<i64> {
        let current = self.newest_number(sql, org, key).await?;
        if current == expected {
            Ok(expected + 1)
        } else {
            Err(StoreError::Conflict { current })
        }
    }

    /// Adds the next version of the risk model if `expected_number` is still the newest (0:
    /// none stored yet). Returns the new number.
    pub async fn add_risk_model(
        &mut self,
        actor: &Actor,
        expected_number: i64,
        model: &Risicomodel,
    ) -> Result<i64> {
        let org = actor.organisation_id;
        let number = self
            .next_number(
                "SELECT MAX(number) FROM risk_models WHERE organisation_id = $1",
                org,
                None,
                expected_number,
            )
            .await?;
        let sql = "INSERT INTO risk_models (organisation_id, number, model, created_at, created_by) \
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT (organisation_id, number) DO NOTHING \
                   RETURNING id";
        let text = json(model);
        let id: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(org)
            .bind(number)
            .bind(&text)
            .bind(actor.now)
            .bind(&actor.user_name)
            .fetch_optional(conn)
            .await)?;
        let (id,) = id.ok_or(StoreError::Conflict { current: number })?;
        self.audit::<(), _>(
            actor,
            "risicomodel",
            id,
            "aanmaken",
            &format!("Risicomodel versie {number} opgeslagen"),
            None,
            Some(&serde_json::json!({ "versie": number, "model": model })),
        )
        .await?;
        Ok(number)
    }

    /// Adds the next analysis of task field `task_field_id` if the analysis and model version
    /// it was filled in against are still the newest. Returns the new analysis' number.
    pub async fn add_risk_analysis(
        &mut self,
        actor: &Actor,
        task_field_id: i64,
        base: AnalysisBase<'_>,
        analyse: &Analyse,
    ) -> Result<i64> {
        let org = actor.organisation_id;
        let field: Option<(String, bool)> = on_conn!(self, |conn| sqlx::query_as(
            "SELECT name, retired FROM task_fields WHERE organisation_id = $1 AND id = $2"
        )
        .bind(org)
        .bind(task_field_id)
        .fetch_optional(conn)
        .await)?;
        let (name, retired) = field.ok_or(StoreError::NotFound)?;
        // A retired task field keeps the analyses it had, as a record; it gets no new ones,
        // because nothing is planned for it any more.
        if retired {
            return Err(StoreError::Refused(format!(
                "Het taakveld {name} is vervallen; het krijgt geen nieuwe risicoanalyse. Zet het taakveld eerst weer in gebruik."
            )));
        }
        let number = self
            .next_number(
                "SELECT MAX(number) FROM risk_analyses WHERE organisation_id = $1 AND task_field_id = $2",
                org,
                Some(task_field_id),
                base.analysis_number,
            )
            .await?;
        let mut model_number = self
            .newest_number(
                "SELECT MAX(number) FROM risk_models WHERE organisation_id = $1",
                org,
                None,
            )
            .await?;
        if model_number != base.model_number {
            return Err(StoreError::Refused(
                "Het risicomodel is intussen gewijzigd. Open de analyse opnieuw en vul haar in met de criteria van het nieuwe model.".into(),
            ));
        }
        if model_number == 0 {
            model_number = self.add_risk_model(actor, 0, base.model).await?;
        }
        let (model_id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(
            "SELECT id FROM risk_models WHERE organisation_id = $1 AND number = $2"
        )
        .bind(org)
        .bind(model_number)
        .fetch_one(conn)
        .await)?;
        let scores: Vec<u8> = analyse.effecten.iter().map(|s| s.get()).collect();
        let sql = "INSERT INTO risk_analyses (organisation_id, task_field_id, number, risk_model_id, \
                   kans, effects, note, created_at, created_by) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
                   ON CONFLICT (organisation_id, task_field_id, number) DO NOTHING RETURNING id";
        let effects = json(&scores);
        let id: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(org)
            .bind(task_field_id)
            .bind(number)
            .bind(model_id)
            .bind(i64::from(analyse.kans.get()))
            .bind(&effects)
            .bind(&analyse.toelichting)
            .bind(actor.now)
            .bind(&actor.user_name)
            .fetch_optional(conn)
            .await)?;
        let (id,) = id.ok_or(StoreError::Conflict { current: number })?;
        self.audit::<(), _>(
            actor,
            "risicoanalyse",
            id,
            "aanmaken",
            &format!("Risicoanalyse van '{name}' opgeslagen (analyse {number}, risicomodel versie {model_number})"),
            None,
            Some(&serde_json::json!({
                "taakveld": name,
                "analyse": number,
                "risicomodelVersie": model_number,
                "kans": analyse.kans,
                "effecten": scores,
                "toelichting": analyse.toelichting,
            })),
        )
        .await?;
        Ok(number)
    }

    /// Adds the next version of the LHS matrix if `expected_number` is still the newest (0:
    /// none stored yet). Returns the new number.
    pub async fn add_lhs_matrix(
        &mut self,
        actor: &Actor,
        expected_number: i64,
        matrix: &LhsMatrix,
    ) -> Result<i64> {
        let org = actor.organisation_id;
        let number = self
            .next_number(
                "SELECT MAX(number) FROM lhs_matrices WHERE organisation_id = $1",
                org,
                None,
                expected_number,
            )
            .await?;
        let sql = "INSERT INTO lhs_matrices (organisation_id, number, cells, note, created_at, created_by) \
                   VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (organisation_id, number) DO NOTHING \
                   RETURNING id";
        let cells = json(&matrix.cellen);
        let id: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(org)
            .bind(number)
            .bind(&cells)
            .bind(&matrix.toelichting)
            .bind(actor.now)
            .bind(&actor.user_name)
            .fetch_optional(conn)
            .await)?;
        let (id,) = id.ok_or(StoreError::Conflict { current: number })?;
        self.audit::<(), _>(
            actor,
            "lhs-matrix",
            id,
            "aanmaken",
            &format!("Interventiematrix (LHS) versie {number} opgeslagen"),
            None,
            Some(&serde_json::json!({
                "versie": number,
                "cellen": matrix.cellen,
                "toelichting": matrix.toelichting,
            })),
        )
        .await?;
        Ok(number)
    }
}
