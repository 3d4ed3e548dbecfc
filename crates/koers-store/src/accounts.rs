//! Organisations (tenants), users, sessions and login attempts.

use crate::audit::Change;
use crate::connection::Exec;
use crate::dynamic::{DynamicQuery, Param};
use crate::{Actor, Result, Store, StoreError, Tx};
use chrono::{DateTime, Utc};
use koers_domain::Rol;
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct Organisation {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub place: String,
    pub is_demo: bool,
    pub version: i64,
    /// Raised by every change to the organisation's data (see `Tx::audit`); not part of the
    /// record itself, so it stays out of the audit log.
    #[serde(skip)]
    pub revision: i64,
}

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct User {
    pub id: i64,
    pub organisation_id: i64,
    pub email: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub role: Rol,
    pub subteam_id: Option<i64>,
    pub active: bool,
    pub version: i64,
}

/// The user behind a session, with when the session started and when it ends.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionUser {
    #[sqlx(flatten)]
    pub user: User,
    pub session_created_at: i64,
    pub session_expires_at: i64,
    org_code: String,
    org_name: String,
    org_place: String,
    org_is_demo: bool,
    org_version: i64,
    org_revision: i64,
    /// The team name of the house style ("Team OOV"), empty when none is set; shown in the
    /// page header next to the organisation.
    org_team: String,
}

impl SessionUser {
    pub fn organisation(&self) -> Organisation {
        Organisation {
            id: self.user.organisation_id,
            code: self.org_code.clone(),
            name: self.org_name.clone(),
            place: self.org_place.clone(),
            is_demo: self.org_is_demo,
            version: self.org_version,
            revision: self.org_revision,
        }
    }

    /// The user, their organisation and its team name, without copying them.
    pub fn into_parts(self) -> (User, Organisation, String) {
        let organisation = Organisation {
            id: self.user.organisation_id,
            code: self.org_code,
            name: self.org_name,
            place: self.org_place,
            is_demo: self.org_is_demo,
            version: self.org_version,
            revision: self.org_revision,
        };
        (self.user, organisation, self.org_team)
    }
}

/// The lengths the parameter list of a gathered session lookup is padded to.
const PADDED_LENGTHS: [usize; 4] = [1, 4, 16, 64];

/// A session row of a gathered lookup: the hash it was found by, and what it gives.
#[derive(sqlx::FromRow)]
struct SessionRow {
    token_hash: String,
    #[sqlx(flatten)]
    session: SessionUser,
}

/// The gathered session lookup for `n` hashes, `$2` to `$n+1`; `$1` is the time.
fn session_users_sql(n: usize) -> String {
    let hashes: Vec<String> = (2..n + 2).map(|i| format!("${i}")).collect();
    format!(
        "SELECT s.token_hash, u.id, u.organisation_id, u.email, u.name, u.role, u.subteam_id, u.active, u.version, \
         s.created_at AS session_created_at, s.expires_at AS session_expires_at, \
         o.code AS org_code, o.name AS org_name, o.place AS org_place, \
         o.is_demo AS org_is_demo, o.version AS org_version, o.revision AS org_revision, \
         COALESCE(h.team, '') AS org_team \
         FROM sessions s JOIN users u ON u.id = s.user_id AND u.organisation_id = s.organisation_id \
         JOIN organisations o ON o.id = u.organisation_id \
         LEFT JOIN house_styles h ON h.organisation_id = o.id \
         WHERE s.token_hash IN ({}) AND s.expires_at > $1 AND u.active",
        hashes.join(", ")
    )
}

/// A user together with the hash to check a password against; never leaves the login path.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub organisation_id: i64,
    pub password_hash: String,
    pub active: bool,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub role: Rol,
    pub subteam_id: Option<i64>,
    pub password_hash: &'a str,
}

const USER_COLUMNS: &str = "id, organisation_id, email, name, role, subteam_id, active, version";

impl Store {
    pub async fn create_organisation(
        &self,
        code: &str,
        name: &str,
        place: &str,
        is_demo: bool,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx
            .create_organisation(code, name, place, is_demo, now)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn organisation(&self, id: i64) -> Result<Organisation> {
        self.reads().organisation(id).await
    }

    pub async fn organisation_by_code(&self, code: &str) -> Result<Option<Organisation>> {
        let sql = "SELECT id, code, name, place, is_demo, version, revision FROM organisations WHERE code = $1";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(code)
            .fetch_optional(conn)
            .await)?)
    }

    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        let sql = "SELECT id, code, name, place, is_demo, version, revision FROM organisations ORDER BY code";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .fetch_all(conn)
            .await)?)
    }

    /// Renames the organisation or changes its place, if nobody else did since `expected_version`.
    pub async fn update_organisation(
        &self,
        actor: &Actor,
        expected_version: i64,
        name: &str,
        place: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = tx.reads().organisation(actor.organisation_id).await?;
        let sql = "UPDATE organisations SET name = $1, place = $2, version = version + 1 \
                   WHERE id = $3 AND version = $4";
        let changed = on_conn!(tx, |conn| sqlx::query(sql)
            .bind(name)
            .bind(place)
            .bind(actor.organisation_id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let after = Organisation {
            name: name.to_string(),
            place: place.to_string(),
            version: before.version + 1,
            ..before.clone()
        };
        let change = Change {
            entity: "organisatie",
            id: actor.organisation_id,
            summary: format!("Organisatiegegevens van {name} gewijzigd"),
            before: &before,
            after: &after,
        };
        tx.finish_versioned_update(actor, changed, before.version, change)
            .await?;
        tx.commit().await
    }

    pub async fn create_user(&self, actor: &Actor, user: &NewUser<'_>) -> Result<i64> {
        let mut tx = self.begin().await?;
        let id = tx.create_user(actor, user).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn user(&self, organisation_id: i64, id: i64) -> Result<User> {
        self.reads().user(organisation_id, id).await
    }

    pub async fn users(&self, organisation_id: i64) -> Result<Vec<User>> {
        let sql =
            format!("SELECT {USER_COLUMNS} FROM users WHERE organisation_id = $1 ORDER BY name");
        Ok(on_pool!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .fetch_all(conn)
        .await)?)
    }

    /// Looks a login name up across organisations: e-mail addresses are unique installation-wide
    /// so that one login form serves every organisation.
    pub async fn credentials(&self, email: &str) -> Result<Option<Credentials>> {
        let sql = "SELECT id, organisation_id, password_hash, active FROM users WHERE email = $1";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(email)
            .fetch_optional(conn)
            .await)?)
    }

    /// Changes role, subteam and whether the account may log in.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: i64,
        expected_version: i64,
        role: Rol,
        subteam_id: Option<i64>,
        active: bool,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let before = tx.reads().user(actor.organisation_id, id).await?;
        if let Some(subteam) = subteam_id {
            tx.require_owned(actor.organisation_id, "subteams", subteam, "subteam_id")
                .await?;
        }
        let sql = "UPDATE users SET role = $1, subteam_id = $2, active = $3, version = version + 1 \
                   WHERE organisation_id = $4 AND id = $5 AND version = $6";
        let changed = on_conn!(tx, |conn| sqlx::query(sql)
            .bind(role.code())
            .bind(subteam_id)
            .bind(active)
            .bind(actor.organisation_id)
            .bind(id)
            .bind(expected_version)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        let mut after = before.clone();
        after.role = role;
        after.subteam_id = subteam_id;
        after.active = active;
        after.version += 1;
        let change = Change {
            entity: "gebruiker",
            id,
            summary: format!("Gebruiker {} gewijzigd", before.email),
            before: &before,
            after: &after,
        };
        tx.finish_versioned_update(actor, changed, before.version, change)
            .await?;
        if !active {
            tx.end_sessions(actor.organisation_id, id).await?;
        }
        tx.commit().await
    }

    pub async fn set_password(&self, actor: &Actor, id: i64, password_hash: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = "UPDATE users SET password_hash = $1, version = version + 1 WHERE organisation_id = $2 AND id = $3";
        let changed = on_conn!(tx, |conn| sqlx::query(sql)
            .bind(password_hash)
            .bind(actor.organisation_id)
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        // A new password ends every session of the account, wherever it was logged in, and
        // every API key: whoever knew the old password may have made one.
        tx.end_sessions(actor.organisation_id, id).await?;
        tx.revoke_api_tokens_of(actor.organisation_id, id).await?;
        // The hash itself never goes into the audit log.
        tx.audit::<(), ()>(
            actor,
            "gebruiker",
            id,
            "wachtwoord",
            "Wachtwoord opnieuw ingesteld; sessies en API-sleutels beëindigd",
            None,
            None,
        )
        .await?;
        tx.commit().await
    }

    /// Stores a new session under the hash of its token.
    pub async fn create_session(
        &self,
        token_hash: &str,
        organisation_id: i64,
        user_id: i64,
        now: i64,
        expires_at: i64,
    ) -> Result<()> {
        let sql = "INSERT INTO sessions (token_hash, organisation_id, user_id, created_at, expires_at) \
                   VALUES ($1, $2, $3, $4, $5)";
        on_pool!(self, |conn| sqlx::query(sql)
            .bind(token_hash)
            .bind(organisation_id)
            .bind(user_id)
            .bind(now)
            .bind(expires_at)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The sessions among `token_hashes` that are still valid at `now`, each with its hash, its
    /// active user and the user's organisation: one query for the waiting requests of
    /// [`Store::session_user`]. The list of parameters is padded to one of a few lengths by
    /// repeating the last hash, so that the database keeps a handful of prepared statements.
    pub(crate) async fn session_users(
        &self,
        token_hashes: &[&str],
        now: i64,
    ) -> Result<Vec<(String, SessionUser)>> {
        let Some(last) = token_hashes.last() else {
            return Ok(Vec::new());
        };
        let length = PADDED_LENGTHS
            .into_iter()
            .find(|&n| n >= token_hashes.len())
            .unwrap_or(token_hashes.len());
        let params = std::iter::once(Param::Int(now))
            .chain(
                token_hashes
                    .iter()
                    .chain(std::iter::repeat(last))
                    .take(length)
                    .map(|hash| Param::Text(hash.to_string())),
            )
            .collect();
        let query = DynamicQuery::new(session_users_sql(length), params);
        let rows = fetch_all_dynamic!(self, SessionRow, &query)?;
        Ok(rows
            .into_iter()
            .map(|r| (r.token_hash, r.session))
            .collect())
    }

    /// Moves the end of a session that is still valid to `expires_at`; the idle timeout slides
    /// with every request.
    pub async fn extend_session(&self, token_hash: &str, now: i64, expires_at: i64) -> Result<()> {
        on_pool!(self, |conn| sqlx::query(
            "UPDATE sessions SET expires_at = $1 WHERE token_hash = $2 AND expires_at > $3"
        )
        .bind(expires_at)
        .bind(token_hash)
        .bind(now)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        on_pool!(self, |conn| sqlx::query(
            "DELETE FROM sessions WHERE token_hash = $1"
        )
        .bind(token_hash)
        .execute(conn)
        .await
        .map(|r| r.rows_affected()))?;
        Ok(())
    }
}

impl Tx {
    /// Makes every API key of an account stop working.
    async fn revoke_api_tokens_of(&mut self, organisation_id: i64, user_id: i64) -> Result<()> {
        let sql = "UPDATE api_tokens SET revoked = $1 WHERE organisation_id = $2 AND user_id = $3";
        on_conn!(self, |conn| sqlx::query(sql)
            .bind(true)
            .bind(organisation_id)
            .bind(user_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Logs an account out everywhere.
    async fn end_sessions(&mut self, organisation_id: i64, user_id: i64) -> Result<()> {
        let sql = "DELETE FROM sessions WHERE organisation_id = $1 AND user_id = $2";
        on_conn!(self, |conn| sqlx::query(sql)
            .bind(organisation_id)
            .bind(user_id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        Ok(())
    }

    pub async fn create_organisation(
        &mut self,
        code: &str,
        name: &str,
        place: &str,
        is_demo: bool,
        now: DateTime<Utc>,
    ) -> Result<i64> {
        let exists: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(
            "SELECT id FROM organisations WHERE code = $1"
        )
        .bind(code)
        .fetch_optional(conn)
        .await)?;
        if exists.is_some() {
            return Err(StoreError::invalid(
                "code",
                format!("Er is al een organisatie met code {code}."),
            ));
        }
        let sql = "INSERT INTO organisations (code, name, place, is_demo, created_at) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(code)
            .bind(name)
            .bind(place)
            .bind(is_demo)
            .bind(now)
            .fetch_one(conn)
            .await)?;
        let actor = Actor {
            organisation_id: id,
            user_id: None,
            user_name: "systeem".into(),
            now,
        };
        let after = serde_json::json!({ "code": code, "name": name, "place": place });
        self.audit::<(), _>(
            &actor,
            "organisatie",
            id,
            "aanmaken",
            &format!("Organisatie {name} aangemaakt"),
            None,
            Some(&after),
        )
        .await?;
        Ok(id)
    }

    pub async fn create_user(&mut self, actor: &Actor, user: &NewUser<'_>) -> Result<i64> {
        let email = user.email.trim().to_lowercase();
        let taken: Option<(i64,)> = on_conn!(self, |conn| sqlx::query_as(
            "SELECT id FROM users WHERE email = $1"
        )
        .bind(&email)
        .fetch_optional(conn)
        .await)?;
        if taken.is_some() {
            return Err(StoreError::invalid(
                "email",
                "Dit e-mailadres heeft al een account.",
            ));
        }
        if let Some(subteam) = user.subteam_id {
            self.require_owned(actor.organisation_id, "subteams", subteam, "subteam_id")
                .await?;
        }
        let sql = "INSERT INTO users (organisation_id, email, name, role, subteam_id, password_hash, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
        let (id,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(&email)
            .bind(user.name)
            .bind(user.role.code())
            .bind(user.subteam_id)
            .bind(user.password_hash)
            .bind(actor.now)
            .fetch_one(conn)
            .await)?;
        let after = serde_json::json!({ "email": email, "name": user.name, "role": user.role.code(), "subteamId": user.subteam_id });
        self.audit::<(), _>(
            actor,
            "gebruiker",
            id,
            "aanmaken",
            &format!("Gebruiker {email} aangemaakt"),
            None,
            Some(&after),
        )
        .await?;
        Ok(id)
    }

    /// Refuses an id that does not belong to the organisation: the guard against references
    /// across tenants that the foreign keys alone cannot give.
    pub(crate) async fn require_owned(
        &mut self,
        organisation_id: i64,
        table: &'static str,
        id: i64,
        field: &str,
    ) -> Result<()> {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE organisation_id = $1 AND id = $2");
        let (count,): (i64,) = on_conn!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(id)
        .fetch_one(conn)
        .await)?;
        if count == 0 {
            return Err(StoreError::invalid(field, "Kies een waarde uit de lijst."));
        }
        Ok(())
    }
}

impl Exec<'_> {
    pub(crate) async fn organisation(&mut self, id: i64) -> Result<Organisation> {
        let sql = "SELECT id, code, name, place, is_demo, version, revision FROM organisations WHERE id = $1";
        on_exec!(self, |conn| sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(conn)
            .await)?
        .ok_or(StoreError::NotFound)
    }

    pub(crate) async fn user(&mut self, organisation_id: i64, id: i64) -> Result<User> {
        let sql =
            format!("SELECT {USER_COLUMNS} FROM users WHERE organisation_id = $1 AND id = $2");
        on_exec!(self, |conn| sqlx::query_as(sqlx::AssertSqlSafe(
            sql.as_str()
        ))
        .bind(organisation_id)
        .bind(id)
        .fetch_optional(conn)
        .await)?
        .ok_or(StoreError::NotFound)
    }
}
