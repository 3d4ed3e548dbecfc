//! API keys. A key acts as the user who made it, with that user's role; the database keeps only
//! its hash. Keys are never updated, only revoked.

use crate::accounts::User;
use crate::{Actor, Result, Store, StoreError};
use chrono::{DateTime, Utc};
use serde::Serialize;

#[derive(Debug, Clone, sqlx::FromRow, Serialize)]
pub struct ApiToken {
    pub id: i64,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked: bool,
}

impl Store {
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        user_id: i64,
        name: &str,
        token_hash: &str,
    ) -> Result<i64> {
        let mut tx = self.begin().await?;
        tx.require_owned(actor.organisation_id, "users", user_id, "user_id")
            .await?;
        let sql = "INSERT INTO api_tokens (organisation_id, user_id, name, token_hash, created_at) \
                   VALUES ($1, $2, $3, $4, $5) RETURNING id";
        let (id,): (i64,) = on_conn!(tx, |conn| sqlx::query_as(sql)
            .bind(actor.organisation_id)
            .bind(user_id)
            .bind(name)
            .bind(token_hash)
            .bind(actor.now)
            .fetch_one(conn)
            .await)?;
        let after = serde_json::json!({ "userId": user_id, "name": name });
        tx.audit::<(), _>(
            actor,
            "api-sleutel",
            id,
            "aanmaken",
            &format!("API-sleutel '{name}' aangemaakt"),
            None,
            Some(&after),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The keys of one user, newest first.
    pub async fn api_tokens(&self, organisation_id: i64, user_id: i64) -> Result<Vec<ApiToken>> {
        let sql = "SELECT id, name, created_at, revoked FROM api_tokens \
                   WHERE organisation_id = $1 AND user_id = $2 ORDER BY created_at DESC, id DESC";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(organisation_id)
            .bind(user_id)
            .fetch_all(conn)
            .await)?)
    }

    /// Revokes one of `user_id`'s own keys.
    pub async fn revoke_api_token(&self, actor: &Actor, user_id: i64, id: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = "UPDATE api_tokens SET revoked = $1 WHERE organisation_id = $2 AND user_id = $3 AND id = $4";
        let changed = on_conn!(tx, |conn| sqlx::query(sql)
            .bind(true)
            .bind(actor.organisation_id)
            .bind(user_id)
            .bind(id)
            .execute(conn)
            .await
            .map(|r| r.rows_affected()))?;
        if changed == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit::<(), ()>(
            actor,
            "api-sleutel",
            id,
            "intrekken",
            "API-sleutel ingetrokken",
            None,
            None,
        )
        .await?;
        tx.commit().await
    }

    /// The active user behind an API key that has not been revoked.
    pub async fn api_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        let sql = "SELECT u.id, u.organisation_id, u.email, u.name, u.role, u.subteam_id, u.active, u.version \
                   FROM api_tokens t JOIN users u ON u.id = t.user_id AND u.organisation_id = t.organisation_id \
                   WHERE t.token_hash = $1 AND NOT t.revoked AND u.active";
        Ok(on_pool!(self, |conn| sqlx::query_as(sql)
            .bind(token_hash)
            .fetch_optional(conn)
            .await)?)
    }
}
