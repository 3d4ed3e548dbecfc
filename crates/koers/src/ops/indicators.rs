//! Indicators (F6): reading them (through the read model for pages that only show them) and
//! changing them (beleidsadviseurs and beheerders), with their measurements.

use super::read_model;
use super::{Ctx, OpsError};
use chrono::NaiveDate;
use koers_domain::FieldErrors;
use koers_domain::Jaar;
use koers_domain::indicator::{IndicatorInvoer, JaarStand, MetingInvoer, Waarde, per_jaar};
use koers_store::catalog::Item;
use koers_store::indicators::IndicatorRecord;
use std::sync::Arc;

/// Every indicator, from the read model.
pub async fn list(ctx: &Ctx) -> Result<Arc<Vec<IndicatorRecord>>, OpsError> {
    read_model::indicators(ctx).await
}

/// One indicator, from the read model, for a page that only shows it.
pub async fn cached(ctx: &Ctx, id: i64) -> Result<IndicatorRecord, OpsError> {
    list(ctx)
        .await?
        .iter()
        .find(|i| i.indicator.id == id)
        .cloned()
        .ok_or(OpsError::NotFound)
}

/// One indicator from the database, for a form.
pub async fn current(ctx: &Ctx, id: i64) -> Result<IndicatorRecord, OpsError> {
    Ok(ctx.store.indicator(ctx.org(), id).await?)
}

/// The years of an indicator judged against their targets.
pub fn years(record: &IndicatorRecord) -> Vec<JaarStand> {
    per_jaar(
        record.indicator.direction,
        &targets(record),
        &measurements(record),
    )
}

pub fn targets(record: &IndicatorRecord) -> Vec<(Jaar, Waarde)> {
    record
        .targets
        .iter()
        .filter_map(|(year, value)| {
            Some((Jaar::new(*year).ok()?, Waarde::from_milli(*value).ok()?))
        })
        .collect()
}

pub fn measurements(record: &IndicatorRecord) -> Vec<(NaiveDate, Waarde)> {
    record
        .measurements
        .iter()
        .filter_map(|m| Some((m.measured_on, Waarde::from_milli(m.value_milli).ok()?)))
        .collect()
}

/// The baseline as stored, if any.
pub fn baseline(record: &IndicatorRecord) -> Option<(Waarde, i64)> {
    let value = Waarde::from_milli(record.indicator.baseline_milli?).ok()?;
    Some((value, record.indicator.baseline_year?))
}

/// The ambitions of the plan an indicator may serve (retired ones only when already linked).
pub async fn ambitions(ctx: &Ctx) -> Result<Vec<Item>, OpsError> {
    Ok(read_model::model(ctx).await?.catalogue.ambitions.clone())
}

/// The form input of a stored indicator, with `spare` empty target rows for new years.
pub fn input_of(record: &IndicatorRecord, spare: usize) -> IndicatorInvoer {
    let row = &record.indicator;
    let mut input = IndicatorInvoer {
        name: row.name.clone(),
        unit: row.unit.clone(),
        direction: row.direction.code().to_string(),
        baseline_value: String::new(),
        baseline_year: String::new(),
        description: row.description.clone(),
        target_years: Vec::new(),
        target_values: Vec::new(),
    };
    if let Some((value, year)) = baseline(record) {
        input.baseline_value = value.nl();
        input.baseline_year = year.to_string();
    }
    for (year, value) in targets(record) {
        input.target_years.push(year.to_string());
        input.target_values.push(value.nl());
    }
    with_spare_rows(&mut input, spare);
    input
}

/// Pads the target rows so that at least `spare` of them are empty.
pub fn with_spare_rows(input: &mut IndicatorInvoer, spare: usize) {
    let rows = input.target_years.len().max(input.target_values.len());
    input.target_years.resize(rows, String::new());
    input.target_values.resize(rows, String::new());
    let empty = input
        .target_years
        .iter()
        .zip(&input.target_values)
        .filter(|(y, v)| y.trim().is_empty() && v.trim().is_empty())
        .count();
    for _ in empty..spare {
        input.target_years.push(String::new());
        input.target_values.push(String::new());
    }
}

/// Ambition ids as typed (checkbox values); one that is not a number is a field error.
fn ambition_ids(raw: &[String]) -> Result<Vec<i64>, FieldErrors> {
    raw.iter()
        .map(|id| {
            koers_domain::action::parse_id(id.trim())
                .ok_or_else(|| FieldErrors::single("ambitions", "Kies een ambitie uit de lijst."))
        })
        .collect()
}

/// Creates an indicator, or saves it when `existing` gives its id and the version read.
pub async fn save(
    ctx: &Ctx,
    existing: Option<(i64, i64)>,
    input: &IndicatorInvoer,
    ambitions: &[String],
) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let data = input.validate();
    let ids = ambition_ids(ambitions);
    let (data, ids) = match (data, ids) {
        (Ok(data), Ok(ids)) => (data, ids),
        (Err(mut errors), Err(more)) => {
            for e in more.iter() {
                errors.add(&e.field, e.message.clone());
            }
            return Err(errors.into());
        }
        (Err(errors), _) | (_, Err(errors)) => return Err(errors.into()),
    };
    let actor = ctx.actor();
    match existing {
        Some((id, version)) => {
            ctx.store
                .update_indicator(&actor, id, version, &data, &ids)
                .await?;
            Ok(id)
        }
        None => Ok(ctx.store.create_indicator(&actor, &data, &ids).await?),
    }
}

pub async fn delete(ctx: &Ctx, id: i64, version: i64) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    Ok(ctx
        .store
        .delete_indicator(&ctx.actor(), id, version)
        .await?)
}

pub async fn add_measurement(
    ctx: &Ctx,
    indicator_id: i64,
    input: &MetingInvoer,
) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let meting = input.validate(ctx.today())?;
    Ok(ctx
        .store
        .add_measurement(&ctx.actor(), indicator_id, &meting)
        .await?)
}

pub async fn delete_measurement(ctx: &Ctx, indicator_id: i64, id: i64) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    Ok(ctx
        .store
        .delete_measurement(&ctx.actor(), indicator_id, id)
        .await?)
}
