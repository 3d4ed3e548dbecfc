//! Charts across years (`/trends`) and the hours per subteam of one year
//! (`/programma/{jaar}/uren`), drawn on the server with their numbers in tables.

use super::{parse_year, render};
use crate::ops::actions as programme_ops;
use crate::ops::charts::{self, ChartView};
use crate::ops::indicators as indicator_ops;
use crate::ops::trends as ops;
use crate::web::error::WebError;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::extract::Path;
use axum::response::Response;
use koers_store::actions::ActionFilter;

/// An indicator in the list on the trends page.
#[derive(Clone)]
pub struct IndicatorLine {
    pub id: i64,
    pub name: String,
    pub unit: String,
    /// The judgement of the newest year with a measurement, if any: (year, code, label).
    pub latest: Option<(i32, &'static str, &'static str)>,
    /// The ambitions of the plan it measures.
    pub ambitions: Vec<i64>,
}

#[derive(Template)]
#[template(path = "trends.html")]
struct TrendsPage {
    layout: Layout,
    years: Vec<i64>,
    totals: Vec<ChartView>,
    per_theme: Option<ChartView>,
    indicators: Vec<IndicatorLine>,
}

pub async fn page(current: Current) -> Result<Response, WebError> {
    let ctx = &current.ctx;
    let trends = ops::trends(ctx).await?;
    let totals = charts::trend_charts(&trends)
        .iter()
        .enumerate()
        .map(|(i, chart)| ChartView::of(chart, &format!("trend-{i}")))
        .collect();
    let per_theme = (!trends.years.is_empty())
        .then(|| ChartView::of(&charts::trend_per_theme(&trends), "trend-thema"));
    let indicators = indicator_lines(ctx).await?;
    let page = TrendsPage {
        layout: Layout::new(&current, Section::Trends, "Trends over de jaren"),
        years: trends.years.iter().map(|y| y.year).collect(),
        totals,
        per_theme,
        indicators,
    };
    render(&current, &page)
}

pub(super) async fn indicator_lines(ctx: &crate::ops::Ctx) -> Result<Vec<IndicatorLine>, WebError> {
    Ok(indicator_ops::list(ctx)
        .await?
        .iter()
        .map(|record| IndicatorLine {
            id: record.indicator.id,
            name: record.indicator.name.clone(),
            unit: record.indicator.unit.clone(),
            latest: indicator_ops::years(record)
                .iter()
                .rev()
                .find(|y| y.gemeten.is_some())
                .map(|y| (y.jaar, y.beoordeling.code(), y.beoordeling.label())),
            ambitions: record.ambitions.clone(),
        })
        .collect())
}

#[derive(Template)]
#[template(path = "hours.html")]
struct HoursPage {
    layout: Layout,
    year: i64,
    chart: Option<ChartView>,
}

pub async fn hours(current: Current, Path(year): Path<String>) -> Result<Response, WebError> {
    let ctx = &current.ctx;
    let year = parse_year(&year)?;
    let view = programme_ops::programme(ctx, year, &ActionFilter::default()).await?;
    if view.programme.is_none() {
        return Err(WebError::Missing(format!(
            "Er is geen uitvoeringsprogramma voor {year}."
        )));
    }
    let subteams: Vec<(String, usize, i64, i64)> = view
        .catalogue
        .subteams
        .iter()
        .filter_map(|subteam| {
            let led: Vec<_> = view
                .actions
                .iter()
                .filter(|a| a.lead_subteam_id == subteam.id)
                .collect();
            if led.is_empty() && subteam.retired {
                return None;
            }
            Some((
                subteam.name.clone(),
                led.len(),
                led.iter().map(|a| a.planned_hours).sum(),
                led.iter().map(|a| a.hours_spent).sum(),
            ))
        })
        .collect();
    let chart = (!view.actions.is_empty()).then(|| {
        ChartView::of(
            &charts::hours_per_subteam(year.into(), &subteams),
            "uren-per-subteam",
        )
    });
    let page = HoursPage {
        layout: Layout::new(
            &current,
            Section::Programma,
            format!("Uren per subteam {year}"),
        )
        .with_year(year.into()),
        year: year.into(),
        chart,
    };
    render(&current, &page)
}
