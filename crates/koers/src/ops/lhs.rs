//! The LHS intervention matrix of the policy plan (F10), in versions. Everyone reads; the
//! interventions per cell are the organisation's own, saved by beleidsadviseurs and beheerders.

use super::{Ctx, OpsError, read_model};
use koers_domain::lhs::LhsInvoer;
use koers_store::risk::LhsVersion;
use std::sync::Arc;

/// Every version, oldest first; the last is in force.
pub async fn versions(ctx: &Ctx) -> Result<Arc<Vec<LhsVersion>>, OpsError> {
    read_model::loaded(ctx, "lhs", 0, || async {
        Ok(ctx.store.lhs_versions(ctx.org()).await?)
    })
    .await
}

/// Every version from the database, for the form and the answer to a write.
pub async fn versions_fresh(ctx: &Ctx) -> Result<Vec<LhsVersion>, OpsError> {
    Ok(ctx.store.lhs_versions(ctx.org()).await?)
}

/// Version `number`, or a Dutch "not found".
pub async fn version(ctx: &Ctx, number: i64) -> Result<LhsVersion, OpsError> {
    versions(ctx)
        .await?
        .iter()
        .find(|v| v.number == number)
        .cloned()
        .ok_or_else(|| {
            OpsError::Missing(format!(
                "Er is geen versie {number} van de interventiematrix."
            ))
        })
}

/// Saves a new version if nobody did since `expected` (0: none yet). Returns its number.
pub async fn save(ctx: &Ctx, expected: i64, input: &LhsInvoer) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let matrix = input.validate()?;
    Ok(ctx
        .store
        .add_lhs_matrix(&ctx.actor(), expected, &matrix)
        .await?)
}
