//! Progress rounds (voortgangsrondes) of a programme and the reminders sent for them.
//!
//! A reminder is claimed before it is sent: `Tx::claim_reminder` inserts the row of (round,
//! moment, recipient) under a unique key and commits, and only the caller whose insert made a
//! row sends the mail. Two instances or a restart that run the same moment find the row and
//! send nothing. A crash between the claim and the send leaves a claimed row without `sent_at`:
//! that reminder is not sent (at most once), and the round page shows it as not confirmed.

use crate::audit::Change;
use crate::{Actor, Result, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Round {
    pub id: i64,
    pub organisation_id: i64,
    pub programme_id: i64,
    pub name: String,
    pub opened_on: NaiveDate,
    pub deadline: NaiveDate,
    /// Days relative to the deadline, as `koers_domain::round::Momenten::storage` writes them.
    pub reminder_days: String,
    pub closed_on: Option<NaiveDate>,
    pub version: i64,
}

/// A new round, validated.
pub struct NewRound<'a> {
    pub programme_id: i64,
    pub name: &'a str,
    pub opened_on: NaiveDate,
    pub deadline: NaiveDate,
    pub reminder_days: &'a str,
}

/// One reminder as claimed (and perhaps sent).
#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Reminder {
    pub id: i64,
    pub round_id: i64,
    pub moment: i64,
    pub user_id: i64,
    pub user_name: String,
    pub email: String,
    pub missing: i64,
    pub claimed_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub failure: String,
}

/// What a reminder claim records.
pub struct ReminderClaim<'a> {
    pub round: &'a Round,
    pub moment: i64,
    /// Words for the moment, for the audit log ("7 dagen voor de deadline").
    pub moment_label: &'a str,
    pub user_id: i64,
    pub user_name: &'a str,
    pub email: &'a str,
    pub missing: i64,
}

const ROUND_COLUMNS: &str = "id, organisation_id, programme_id, name, opened_on, deadline, reminder_days, closed_on, version";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RoundRecord<'a> {
    name: &'a str,
    opened_on: NaiveDate,
    deadline: NaiveDate,
    reminder_days: &'a str,
    closed_on: Option<NaiveDate>,
    version: i64,
}

impl Store {
    /// The rounds of a programme, newest first.
    pub async fn rounds(&self, organisation_id: i64, programme_id: i64) -> Result<Vec<Round>> {
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM progress_rounds WHERE organisation_id = $1 AND programme_id = $2 \
             ORDER BY opened_on DESC, id DESC"
        );
        Ok(on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(programme_id)
        .fetch_all(conn)
        .await)?)
    }

    pub async fn round(&self, organisation_id: i64, id: i64) -> Result<Round> {
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM progress_rounds WHERE organisation_id = $1 AND id = $2"
        );
        on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(id)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)
    }

    /// The open rounds of every organisation, for the reminder run. Not scoped to one
    /// organisation, by design: the background task serves them all, and each round carries
    /// its organisation, which every later query filters on.
    pub async fn all_open_rounds(&self) -> Result<Vec<Round>> {
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM progress_rounds WHERE closed_on IS NULL ORDER BY organisation_id, id"
        );
        Ok(on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .fetch_all(conn)
        .await)?)
    }

    /// Every progress entry's (action id, date) of a programme, to decide who reported in a
    /// round.
    pub async fn progress_dates(
        &self,
        organisation_id: i64,
        programme_id: i64,
    ) -> Result<Vec<(i64, NaiveDate)>> {
        let sql = "SELECT p.action_id, p.entry_date FROM progress_entries p JOIN actions a ON a.id = p.action_id \
                   WHERE p.organisation_id = $1 AND a.organisation_id = $1 AND a.programme_id = $2";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(programme_id)
            .fetch_all(conn)
            .await)?)
    }

    /// The reminders of a round, in the order they were claimed.
    pub async fn reminders(&self, organisation_id: i64, round_id: i64) -> Result<Vec<Reminder>> {
        let sql = "SELECT r.id, r.round_id, r.moment, r.user_id, u.name AS user_name, r.email, r.missing, \
                   r.claimed_at, r.sent_at, r.failure FROM round_reminders r \
                   JOIN users u ON u.id = r.user_id AND u.organisation_id = r.organisation_id \
                   WHERE r.organisation_id = $1 AND r.round_id = $2 ORDER BY r.moment, r.id";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(round_id)
            .fetch_all(conn)
            .await)?)
    }

    pub async fn open_round(&self, actor: &Actor, round: &NewRound<'_>) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.open_round(actor, round).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn close_round(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        closed_on: NaiveDate,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.close_round(actor, id, expected_version, closed_on)
            .await?;
        tx.commit().await
    }

    /// Claims a reminder in its own transaction; `Some(id)` when this call made the claim and
    /// so must send the mail, `None` when it was claimed before (by any instance).
    pub async fn claim_reminder(
        &self,
        actor: &Actor,
        claim: &ReminderClaim<'_>,
    ) -> Result<Option<i64>> {
        let mut tx = self.begin().await?;
        let id = tx.claim_reminder(actor, claim).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records how sending a claimed reminder ended: `failure` empty when the mail server
    /// accepted it.
    pub async fn finish_reminder(&self, actor: &Actor, id: i64, failure: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let sent_at = failure.is_empty().then_some(actor.now);
        let sql = "UPDATE round_reminders SET sent_at = $1, failure = $2 WHERE organisation_id = $3 AND id = $4";
        on_conn!(tx, |conn| sqlx::query(sql)
            .bind(sent_at)
            .bind(failure)
            .bind(actor.organisation_id)
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let summary = if failure.is_empty() {
            "Herinnering per e-mail verstuurd".to_string()
        } else {
            format!("Herinnering niet verstuurd: {failure}")
        };
        let after = serde_json::json!({ "sentAt": sent_at, "failure": failure });
        tx.audit::<(), _>(
            actor,
            "herinnering",
            id,
            "versturen",
            &summary,
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await
    }
}

impl Tx {
    pub async fn open_round(&mut self, actor: &Actor, round: &NewRound<'_>) -> Result<i64> {
        self.require_owned(
            actor.organisation_id,
            "programmes",
            round.programme_id,
            "programme_id",
        )
        .await?;
        let sql = "INSERT INTO progress_rounds (organisation_id, programme_id, name, opened_on, deadline, reminder_days) \
                   VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(round.programme_id)
            .bind(round.name)
            .bind(round.opened_on)
            .bind(round.deadline)
            .bind(round.reminder_days)
            .fetch_one(conn)
            .await)
        .map_err(|e| match e.as_database_error() {
            Some(db) if db.is_unique_violation() => StoreError::Refused(
                "Er loopt al een ronde voor dit programma. Sluit die eerst.".into(),
            ),
            _ => e.into(),
        })?;
        let record = RoundRecord {
            name: round.name,
            opened_on: round.opened_on,
            deadline: round.deadline,
            reminder_days: round.reminder_days,
            closed_on: None,
            version: 1,
        };
        self.audit::<(), _>(
            actor,
            "voortgangsronde",
            id,
            "toevoegen",
            &format!("Voortgangsronde '{}' geopend", round.name),
            None,
            Some(&record),
        )
        .await?;
        Ok(id)
    }

    pub async fn close_round(
        &mut self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        closed_on: NaiveDate,
    ) -> Result<()> {
        let sql = format!(
            "SELECT {ROUND_COLUMNS} FROM progress_rounds WHERE organisation_id = $1 AND id = $2"
        );
        let before: Round = on_conn!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(actor.organisation_id)
        .bind(id)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)?;
        if before.closed_on.is_some() {
            return Err(StoreError::Refused("Deze ronde is al gesloten.".into()));
        }
        let update = "UPDATE progress_rounds SET closed_on = $1, version = version + 1 \
                      WHERE organisation_id = $2 AND id = $3 AND version = $4 AND closed_on IS NULL";
        let changed = on_conn!(self, |conn| sqlx::query(update)
            .bind(closed_on)
            .bind(actor.organisation_id)
            .bind(id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let record = |closed_on, version| RoundRecord {
            name: &before.name,
            opened_on: before.opened_on,
            deadline: before.deadline,
            reminder_days: &before.reminder_days,
            closed_on,
            version,
        };
        let (was, now) = (
            record(None, before.version),
            record(Some(closed_on), before.version + 1),
        );
        self.finish_versioned_update(
            actor,
            changed,
            before.version,
            Change {
                entity: "voortgangsronde",
                id,
                summary: format!("Voortgangsronde '{}' gesloten", before.name),
                before: &was,
                after: &now,
            },
        )
        .await
    }

    pub async fn claim_reminder(
        &mut self,
        actor: &Actor,
        claim: &ReminderClaim<'_>,
    ) -> Result<Option<i64>> {
        let sql = "INSERT INTO round_reminders (organisation_id, round_id, moment, user_id, email, missing, claimed_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (round_id, moment, user_id) DO NOTHING RETURNING id";
        let id: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(claim.round.id)
            .bind(claim.moment)
            .bind(claim.user_id)
            .bind(claim.email)
            .bind(claim.missing)
            .bind(actor.now)
            .fetch_optional(conn)
            .await)?;
        let Some((id,)) = id else {
            return Ok(None);
        };
        let after = serde_json::json!({
            "ronde": claim.round.name,
            "moment": claim.moment,
            "ontvanger": claim.user_name,
            "ontbrekend": claim.missing,
        });
        self.audit::<(), _>(
            actor,
            "herinnering",
            id,
            "toevoegen",
            &format!(
                "Herinnering voor '{}' ({}) aan {}: {} {} zonder melding",
                claim.round.name,
                claim.moment_label,
                claim.user_name,
                claim.missing,
                if claim.missing == 1 {
                    "actie"
                } else {
                    "acties"
                }
            ),
            None,
            Some(&after),
        )
        .await?;
        Ok(Some(id))
    }
}
