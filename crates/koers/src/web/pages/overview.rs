//! The dashboard (overzicht) of a year.

use super::{parse_year, render, thousands};
use crate::ops::actions::{self as ops, Catalogue};
use crate::ops::charts::{self, ChartView};
use crate::web::error::WebError;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::extract::{OriginalUri, Query};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::Status;
use koers_store::actions::{ActionFilter, ActionRow};
use serde::Deserialize;

pub async fn root(current: Result<Current, WebError>) -> Response {
    match current {
        Ok(_) => Redirect::to("/overzicht").into_response(),
        Err(_) => Redirect::to("/inloggen").into_response(),
    }
}

#[derive(Template)]
#[template(path = "overview.html")]
struct OverviewPage {
    layout: Layout,
    year: i64,
    has_programme: bool,
    total: usize,
    realised_percent: i64,
    planned_hours: String,
    spent_hours: String,
    /// Status per theme: a stacked bar per theme, with its table.
    theme_chart: ChartView,
    delayed: Vec<AttentionRow>,
    stale: Vec<AttentionRow>,
    years: Vec<i64>,
    /// The user's subteam, whose actions come first in "Vraagt aandacht".
    subteam: Option<String>,
}

/// An action that asks for attention, with its lead subteam.
pub struct AttentionRow {
    pub code: String,
    pub title: String,
    pub lead: String,
    /// Whether the user's own subteam leads or contributes to it.
    pub own: bool,
}

#[derive(Deserialize)]
pub struct OverviewQuery {
    jaar: Option<String>,
}

pub async fn page(
    current: Current,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<OverviewQuery>,
) -> Result<Response, WebError> {
    super::kept(&current, &uri, async || {
        let ctx = &current.ctx;
        let year = match query.jaar.as_deref().filter(|y| !y.is_empty()) {
            Some(y) => parse_year(y)?,
            None => ops::default_year(ctx).await?,
        };
        let view = ops::programme(ctx, year, &ActionFilter::default()).await?;
        let actions = &view.actions;
        let count = |status: Status| actions.iter().filter(|a| a.status == status).count();
        let realised = count(Status::Gerealiseerd);
        let theme_chart = ChartView::of(
            &charts::status_per_theme(year.into(), &theme_counts(&view.catalogue, actions)),
            "status-per-thema",
        );
        let reference = crate::ops::rounds::stale_reference(ctx, year);
        // A teamlid sees the actions of their own subteam first; everyone sees who leads each.
        let subteam = ctx.user.subteam_id;
        let attention = |keep: &dyn Fn(&ActionRow) -> bool| {
            let mut rows: Vec<AttentionRow> = actions
                .iter()
                .filter(|a| keep(a))
                .map(|a| AttentionRow {
                    code: a.code.clone(),
                    title: a.title.clone(),
                    lead: Catalogue::name(&view.catalogue.subteams, a.lead_subteam_id),
                    own: subteam.is_some_and(|s| {
                        a.lead_subteam_id == s
                            || view.contributors.get(&a.id).is_some_and(|c| c.contains(&s))
                    }),
                })
                .collect();
            rows.sort_by_key(|r| !r.own);
            rows
        };
        let delayed = attention(&|a| a.status == Status::Vertraagd);
        let stale = attention(&|a| crate::ops::rounds::is_stale(a, reference));
        let page = OverviewPage {
            layout: Layout::new(&current, Section::Overzicht, format!("Overzicht {year}"))
                .with_year(year.into()),
            year: year.into(),
            has_programme: view.programme.is_some(),
            total: actions.len(),
            // Rounded half up, as the trends and the evaluation round it.
            realised_percent: koers_domain::evaluation::percent(
                realised as u32,
                actions.len() as u32,
            )
            .map_or(0, i64::from),
            planned_hours: thousands(actions.iter().map(|a| a.planned_hours).sum()),
            spent_hours: thousands(actions.iter().map(|a| a.hours_spent).sum()),
            theme_chart,
            delayed,
            stale,
            years: view.programmes.iter().map(|p| p.year).collect(),
            subteam: subteam.map(|s| Catalogue::name(&view.catalogue.subteams, s)),
        };
        render(&current, &page)
    })
    .await
}

/// Per theme in plan order: its label and its number of actions per status, in `Status::ALL`
/// order; retired themes only when they have actions.
fn theme_counts(catalogue: &Catalogue, actions: &[ActionRow]) -> Vec<(String, [usize; 5])> {
    catalogue
        .numbered_themes()
        .into_iter()
        .filter_map(|(_, _, theme)| {
            let mut counts = [0; 5];
            for action in actions.iter().filter(|a| a.theme_id == theme.id) {
                if let Some(i) = Status::ALL.iter().position(|s| *s == action.status) {
                    counts[i] += 1;
                }
            }
            if counts.iter().sum::<usize>() == 0 && theme.retired {
                return None;
            }
            Some((catalogue.theme_label(theme.id), counts))
        })
        .collect()
}
