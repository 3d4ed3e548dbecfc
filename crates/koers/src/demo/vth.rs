//! The demo's VTH task fields with their norms, the planned and realised figures per year, and
//! the capacity settings. The figures follow the orders of magnitude of a municipality of some
//! 57,000 inhabitants (domain.md §7.3); in 2024 Toezicht & Handhaving is close to its capacity.

use koers_domain::capacity::Instellingen;
use koers_domain::vth::{JaarcijfersInvoer, TaakveldInvoer};
use koers_store::{Actor, Tx};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Deserialize, Clone)]
pub(crate) struct DemoVth {
    productive_hours_per_fte: i64,
    overhead_percent: i64,
    task_fields: Vec<DemoTaskField>,
}

#[derive(Deserialize, Clone)]
struct DemoTaskField {
    code: String,
    name: String,
    discipline: String,
    lead: String,
    unit: String,
    norm: String,
    #[serde(default)]
    term_weeks: Option<i64>,
    #[serde(default)]
    description: String,
    /// Per year: planned volume, realised volume and hours per quarter (null: not yet known),
    /// decided and decided within the term.
    years: BTreeMap<String, DemoFigures>,
}

#[derive(Deserialize, Clone)]
struct DemoFigures {
    planned: i64,
    #[serde(default)]
    volume: [Option<i64>; 4],
    #[serde(default)]
    hours: [Option<i64>; 4],
    #[serde(default)]
    decided: Option<i64>,
    #[serde(default)]
    in_term: Option<i64>,
}

/// Writes the settings, the task fields and their figures through the store's write methods.
pub(crate) async fn insert(
    tx: &mut Tx,
    actor: &Actor,
    vth: &DemoVth,
    subteams: &HashMap<String, i64>,
) -> anyhow::Result<()> {
    let settings = Instellingen::parse(
        &vth.productive_hours_per_fte.to_string(),
        &vth.overhead_percent.to_string(),
    )
    .map_err(|e| anyhow::anyhow!("demo capacity settings: {e:?}"))?;
    tx.save_capacity_settings(actor, 0, settings).await?;
    let text = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
    for field in &vth.task_fields {
        let lead = subteams
            .get(&field.lead)
            .ok_or_else(|| anyhow::anyhow!("unknown subteam {}", field.lead))?;
        let data = TaakveldInvoer {
            code: field.code.clone(),
            name: field.name.clone(),
            discipline: field.discipline.clone(),
            lead_subteam_id: lead.to_string(),
            unit: field.unit.clone(),
            norm: field.norm.clone(),
            decision_term_weeks: text(field.term_weeks),
            description: field.description.clone(),
        }
        .validate()
        .map_err(|e| anyhow::anyhow!("demo task field {}: {e:?}", field.code))?;
        let id = tx.create_task_field(actor, &data).await?;
        for (year, figures) in &field.years {
            let input = JaarcijfersInvoer {
                planned_volume: figures.planned.to_string(),
                realised_volume: figures.volume.map(text),
                realised_hours: figures.hours.map(text),
                decided: text(figures.decided),
                decided_in_term: text(figures.in_term),
            };
            let checked = input
                .validate()
                .map_err(|e| anyhow::anyhow!("demo figures {} {year}: {e:?}", field.code))?;
            tx.save_task_field_year(actor, id, year.parse()?, 0, &checked)
                .await?;
        }
    }
    Ok(())
}
