//! The demo's indicators (`indicators.json`): five for Den Helder, with a baseline, targets for
//! the plan's years and measurements, linked to the demo's ambitions. Measurements dated after
//! the demo's "now" are left out, so the demo tells the same story at any date.

use chrono::NaiveDate;
use koers_domain::indicator::{IndicatorInvoer, MetingInvoer};
use koers_store::{Actor, Tx};
use serde::Deserialize;
use std::collections::HashMap;

const INDICATORS_JSON: &str = include_str!("indicators.json");

#[derive(Deserialize)]
struct DemoIndicator {
    name: String,
    unit: String,
    direction: String,
    baseline: (String, i64),
    description: String,
    targets: Vec<(i64, String)>,
    ambitions: Vec<String>,
    /// (date, value, source, note)
    measurements: Vec<(NaiveDate, String, String, String)>,
}

pub(crate) async fn write(
    tx: &mut Tx,
    setup: &Actor,
    ambitions: &HashMap<String, i64>,
) -> anyhow::Result<()> {
    let indicators: Vec<DemoIndicator> = serde_json::from_str(INDICATORS_JSON)?;
    let today = setup.now.date_naive();
    for demo in indicators {
        let input = IndicatorInvoer {
            name: demo.name,
            unit: demo.unit,
            direction: demo.direction,
            baseline_value: demo.baseline.0,
            baseline_year: demo.baseline.1.to_string(),
            description: demo.description,
            target_years: demo.targets.iter().map(|(y, _)| y.to_string()).collect(),
            target_values: demo.targets.into_iter().map(|(_, v)| v).collect(),
        };
        let data = input
            .validate()
            .map_err(|e| anyhow::anyhow!("demo indicator {}: {e:?}", input.name))?;
        let linked = demo
            .ambitions
            .iter()
            .map(|key| {
                ambitions
                    .get(key)
                    .copied()
                    .ok_or_else(|| anyhow::anyhow!("unknown ambition {key}"))
            })
            .collect::<anyhow::Result<Vec<i64>>>()?;
        let id = tx.create_indicator(setup, &data, &linked).await?;
        let row = koers_store::indicators::IndicatorRow {
            id,
            name: data.name.clone(),
            unit: data.unit.clone(),
            direction: data.direction,
            baseline_milli: None,
            baseline_year: None,
            description: String::new(),
            version: 1,
        };
        for (date, value, source, note) in demo.measurements {
            if date > today {
                continue;
            }
            let meting = MetingInvoer {
                measured_on: date.to_string(),
                value,
                source,
                note,
            }
            .validate(today)
            .map_err(|e| anyhow::anyhow!("demo measurement of {}: {e:?}", data.name))?;
            tx.add_measurement(setup, &row, &meting).await?;
        }
    }
    Ok(())
}
