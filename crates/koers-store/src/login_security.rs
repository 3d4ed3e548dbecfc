//! Login throttling counters and the security log (logins, failed logins, lockouts).
//!
//! Neither is organisation data in the usual sense: a throttle key belongs to an address or a
//! client, not to a tenant, and a failed login may name an address that has no account. The
//! security log carries the organisation when the address belongs to an account, and a
//! beheerder reads only the events of their own organisation.

use crate::{Result, Store};
use serde::Serialize;

/// What happened at the login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SecurityEventKind {
    Login,
    Failed,
    Locked,
    Logout,
}

impl SecurityEventKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Login => "login",
            Self::Failed => "mislukt",
            Self::Locked => "geblokkeerd",
            Self::Logout => "uitgelogd",
        }
    }

    fn from_code(code: &str) -> Self {
        match code {
            "login" => Self::Login,
            "mislukt" => Self::Failed,
            "uitgelogd" => Self::Logout,
            _ => Self::Locked,
        }
    }

    /// How the security log names the event.
    pub fn label(self) -> &'static str {
        match self {
            Self::Login => "Ingelogd",
            Self::Failed => "Inloggen mislukt",
            Self::Locked => "Tijdelijk geblokkeerd",
            Self::Logout => "Uitgelogd",
        }
    }
}

/// One row of the security log.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityEvent {
    pub at: i64,
    pub kind: SecurityEventKind,
    pub email: String,
    pub client_address: String,
}

#[derive(sqlx::FromRow)]
struct SecurityEventRow {
    at: i64,
    kind: String,
    email: String,
    client_address: String,
}

/// The longest e-mail address or client address the security log keeps; longer input is cut,
/// so that a megabyte typed into the login form never reaches the database.
pub const MAX_LOGGED_TEXT: usize = 254;

fn bounded(text: &str) -> String {
    text.chars().take(MAX_LOGGED_TEXT).collect()
}

impl Store {
    /// Counts one failure against each key and returns the failures per key within the current
    /// window (the window of a key starts at its first failure and lasts until `now` passes
    /// `window_start + window_seconds`). One upsert per key, so parallel attempts can never
    /// read the same count: the count is raised before the password is checked.
    pub async fn count_login_failures(
        &self,
        keys: &[String],
        now: i64,
        window_seconds: i64,
    ) -> Result<Vec<i64>> {
        let sql = "INSERT INTO login_throttle (key, window_start, failures) VALUES ($1, $2, 1) \
                   ON CONFLICT (key) DO UPDATE SET \
                   failures = CASE WHEN login_throttle.window_start <= $3 THEN 1 \
                                   ELSE login_throttle.failures + 1 END, \
                   window_start = CASE WHEN login_throttle.window_start <= $3 THEN $2 \
                                       ELSE login_throttle.window_start END \
                   RETURNING failures";
        let mut tx = self.begin().await?;
        let mut counts = Vec::with_capacity(keys.len());
        for key in keys {
            let (failures,): (i64,) = on_conn!(tx, |conn| sqlx::query_as(sql)
                .bind(key)
                .bind(now)
                .bind(now - window_seconds)
                .fetch_one(conn)
                .await)?;
            counts.push(failures);
        }
        tx.commit().await?;
        Ok(counts)
    }

    /// After a successful login: forgets the failures under `forget`, and takes back the one
    /// provisional failure counted under each key of `take_back`.
    pub async fn clear_login_failures(
        &self,
        forget: &[String],
        take_back: &[String],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        for key in forget {
            on_conn!(tx, |conn| sqlx::query(
                "DELETE FROM login_throttle WHERE key = $1"
            )
            .bind(key)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        for key in take_back {
            on_conn!(tx, |conn| sqlx::query(
                "UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0"
            )
            .bind(key)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        }
        tx.commit().await
    }

    /// Removes throttle counters whose window ended and sessions that expired. Runs on a timer,
    /// independent of whether anyone logs in.
    pub async fn prune_logins(&self, now: i64, window_seconds: i64) -> Result<u64> {
        let throttles = on_pool!(self, |conn| sqlx::query(
            "DELETE FROM login_throttle WHERE window_start <= $1"
        )
        .bind(now - window_seconds)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        let sessions = on_pool!(self, |conn| sqlx::query(
            "DELETE FROM sessions WHERE expires_at <= $1"
        )
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(throttles + sessions)
    }

    /// Writes one row to the security log. The organisation is the one of the account with
    /// this address, if there is one.
    pub async fn record_security_event(
        &self,
        kind: SecurityEventKind,
        email: &str,
        client_address: &str,
        at: i64,
    ) -> Result<()> {
        let sql = "INSERT INTO security_events (organisation_id, at, kind, email, client_address) \
                   VALUES ((SELECT organisation_id FROM users WHERE email = $1), $2, $3, $1, $4)";
        on_pool!(self, |conn| sqlx::query(sql)
            .bind(bounded(email))
            .bind(at)
            .bind(kind.code())
            .bind(bounded(client_address))
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The newest `limit` events of the organisation's accounts, newest first.
    pub async fn security_events(
        &self,
        organisation_id: i64,
        limit: i64,
    ) -> Result<Vec<SecurityEvent>> {
        let sql = "SELECT at, kind, email, client_address FROM security_events \
                   WHERE organisation_id = $1 ORDER BY at DESC, id DESC LIMIT $2";
        let rows: Vec<SecurityEventRow> = on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(limit)
            .fetch_all(conn)
            .await)?;
        Ok(rows
            .into_iter()
            .map(|r| SecurityEvent {
                at: r.at,
                kind: SecurityEventKind::from_code(&r.kind),
                email: r.email,
                client_address: r.client_address,
            })
            .collect())
    }
}
