//! What every user manages for themselves: their API keys.

use super::{Ctx, OpsError};
use crate::password;
use koers_domain::validation::max;
use koers_domain::{FieldErrors, required_text};
use koers_store::api_tokens::ApiToken;

pub async fn api_tokens(ctx: &Ctx) -> Result<Vec<ApiToken>, OpsError> {
    Ok(ctx.store.api_tokens(ctx.org(), ctx.user.id).await?)
}

/// Creates a key for the user; returns it. It is shown once and only its hash is kept.
pub async fn create_api_token(ctx: &Ctx, name: &str) -> Result<String, OpsError> {
    let name = required_text(
        name,
        max::KEY_NAME,
        "Geef de sleutel een naam, bijvoorbeeld het systeem dat hem gebruikt.",
    )
    .map_err(|e| FieldErrors::single("name", e.0))?;
    let key = format!("koers_{}", password::session_token());
    ctx.store
        .create_api_token(
            &ctx.actor(),
            ctx.user.id,
            &name,
            &password::token_hash(&key),
        )
        .await?;
    Ok(key)
}

pub async fn revoke_api_token(ctx: &Ctx, id: i64) -> Result<(), OpsError> {
    Ok(ctx
        .store
        .revoke_api_token(&ctx.actor(), ctx.user.id, id)
        .await?)
}
