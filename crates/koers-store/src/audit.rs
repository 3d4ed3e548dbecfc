//! The append-only audit log: who changed what, when, with the record before and after.

use crate::dynamic::{DynamicQuery, Param};
use crate::{Actor, Result, Store, Tx};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub entity: String,
    pub entity_id: i64,
    pub operation: String,
    pub summary: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
}

/// Which audit rows to show. Empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub user_name: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub limit: Option<i64>,
    /// Rows to skip (newest first), for paging; only used together with `limit`.
    pub offset: i64,
}

/// What a versioned update changed, for the audit log.
pub(crate) struct Change<'a, R: Serialize> {
    pub entity: &'a str,
    pub id: i64,
    pub summary: String,
    pub before: &'a R,
    pub after: &'a R,
}

impl Tx {
    /// The end of every update with optimistic locking: `changed` is the number of rows the
    /// `UPDATE … AND version = $n` touched. None means someone else saved first, and the caller
    /// gets a conflict with the version now stored; otherwise the change is audited in this
    /// transaction.
    pub(crate) async fn finish_versioned_update<R: Serialize>(
        &mut self,
        actor: &Actor,
        changed: u64,
        current_version: i64,
        change: Change<'_, R>,
    ) -> Result<()> {
        if changed == 0 {
            return Err(crate::StoreError::Conflict {
                current: current_version,
            });
        }
        self.audit(
            actor,
            change.entity,
            change.id,
            "wijzigen",
            &change.summary,
            Some(change.before),
            Some(change.after),
        )
        .await
    }

    /// Writes one audit row in this transaction, so the change and its record commit together.
    #[expect(
        clippy::too_many_arguments,
        reason = "one row of the audit log has this many parts"
    )]
    pub(crate) async fn audit<B: Serialize, A: Serialize>(
        &mut self,
        actor: &Actor,
        entity: &str,
        entity_id: i64,
        operation: &str,
        summary: &str,
        before: Option<&B>,
        after: Option<&A>,
    ) -> Result<()> {
        let before = before.map(|b| serde_json::to_string(b).unwrap_or_default());
        let after = after.map(|a| serde_json::to_string(a).unwrap_or_default());
        let sql = "INSERT INTO audit_log (organisation_id, occurred_at, user_id, user_name, entity, \
                   entity_id, operation, summary, before_json, after_json) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
        on_conn!(self, |conn| sqlx::query(sql)
            .bind(actor.organisation_id)
            .bind(actor.now)
            .bind(actor.user_id)
            .bind(&actor.user_name)
            .bind(entity)
            .bind(entity_id)
            .bind(operation)
            .bind(summary)
            .bind(&before)
            .bind(&after)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        // Every change is audited, so this is the one place that tells cached read models
        // (in this and in other instances) that the organisation's data changed.
        on_conn!(self, |conn| sqlx::query(
            "UPDATE organisations SET revision = revision + 1 WHERE id = $1"
        )
        .bind(actor.organisation_id)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Store {
    /// Audit rows of one organisation, newest first.
    pub async fn audit_entries(
        &self,
        organisation_id: i64,
        filter: &AuditFilter,
    ) -> Result<Vec<AuditEntry>> {
        let mut query = DynamicQuery::new(
            "SELECT id, occurred_at, user_id, user_name, entity, entity_id, operation, summary, \
             before_json, after_json FROM audit_log WHERE organisation_id = $1",
            vec![Param::Int(organisation_id)],
        );
        if let Some(entity) = &filter.entity {
            query.and("entity = $n", Param::Text(entity.clone()));
        }
        if let Some(id) = filter.entity_id {
            query.and("entity_id = $n", Param::Int(id));
        }
        if let Some(user) = &filter.user_name {
            query.and("user_name = $n", Param::Text(user.clone()));
        }
        if let Some(from) = filter.from {
            query.and("occurred_at >= $n", Param::Time(from));
        }
        if let Some(until) = filter.until {
            query.and("occurred_at < $n", Param::Time(until));
        }
        query.push(" ORDER BY occurred_at DESC, id DESC");
        if let Some(limit) = filter.limit {
            query.push(&format!(
                " LIMIT {} OFFSET {}",
                limit.max(0),
                filter.offset.max(0)
            ));
        }
        let rows = fetch_all_dynamic!(self, AuditEntry, &query)?;
        Ok(rows)
    }

    /// The names of people who appear in the audit log, for the filter.
    pub async fn audit_user_names(&self, organisation_id: i64) -> Result<Vec<String>> {
        let sql = "SELECT DISTINCT user_name FROM audit_log WHERE organisation_id = $1 ORDER BY user_name";
        let names: Vec<(String,)> = on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .fetch_all(conn)
            .await)?;
        Ok(names.into_iter().map(|(n,)| n).collect())
    }
}
