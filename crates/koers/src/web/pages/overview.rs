//! The dashboard (overzicht) of a year.

use super::{parse_year, render, thousands};
use crate::ops::actions::{self as ops, Catalogue};
use crate::web::error::WebError;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::extract::Query;
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

/// Per theme: name and the number of actions per status, in `Status::ALL` order.
pub struct ThemeRow {
    pub label: String,
    pub counts: Vec<(&'static str, &'static str, usize)>,
    pub total: usize,
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
    themes: Vec<ThemeRow>,
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
    Query(query): Query<OverviewQuery>,
) -> Result<Response, WebError> {
    let ctx = &current.ctx;
    let year = match query.jaar.as_deref().filter(|y| !y.is_empty()) {
        Some(y) => parse_year(y)?,
        None => ops::default_year(ctx).await?,
    };
    let view = ops::programme(ctx, year, &ActionFilter::default()).await?;
    let actions = &view.actions;
    let count = |status: Status| actions.iter().filter(|a| a.status == status).count();
    let realised = count(Status::Gerealiseerd);
    let themes = theme_rows(&view.catalogue, actions);
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
        realised_percent: if actions.is_empty() {
            0
        } else {
            (realised * 100 / actions.len()) as i64
        },
        planned_hours: thousands(actions.iter().map(|a| a.planned_hours).sum()),
        spent_hours: thousands(actions.iter().map(|a| a.hours_spent).sum()),
        themes,
        delayed,
        stale,
        years: view.programmes.iter().map(|p| p.year).collect(),
        subteam: subteam.map(|s| Catalogue::name(&view.catalogue.subteams, s)),
    };
    render(&current, &page)
}

fn theme_rows(catalogue: &Catalogue, actions: &[ActionRow]) -> Vec<ThemeRow> {
    catalogue
        .numbered_themes()
        .into_iter()
        .filter_map(|(_, _, theme)| {
            let of_theme: Vec<&ActionRow> =
                actions.iter().filter(|a| a.theme_id == theme.id).collect();
            if of_theme.is_empty() && theme.retired {
                return None;
            }
            let counts = Status::ALL
                .iter()
                .map(|s| {
                    (
                        s.code(),
                        s.label(),
                        of_theme.iter().filter(|a| a.status == *s).count(),
                    )
                })
                .filter(|(_, _, n)| *n > 0)
                .collect();
            Some(ThemeRow {
                label: catalogue.theme_label(theme.id),
                counts,
                total: of_theme.len(),
            })
        })
        .collect()
}
