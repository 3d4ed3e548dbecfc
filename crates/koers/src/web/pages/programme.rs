//! The yearly programme: actions grouped by theme, filters, totals, year switcher.

use super::{Choice, parse_year, redirect_with, render, thousands};
use crate::ops::OpsError;
use crate::ops::actions::{self as ops, Catalogue};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};
use koers_domain::action::parse_id;
use koers_domain::{Herkomst, Status};
use koers_store::actions::{ActionFilter, ActionRow};
use koers_store::catalog::Item;
use koers_store::programmes::Programme;
use serde::Deserialize;

pub async fn current(current: Current) -> Result<Response, WebError> {
    let year = ops::default_year(&current.ctx).await?;
    Ok(Redirect::to(&format!("/programma/{year}")).into_response())
}

/// The filter bar; its state lives in the URL so a filtered view can be shared.
#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    #[serde(default)]
    thema: String,
    #[serde(default)]
    subteam: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    opgave: String,
    #[serde(default)]
    herkomst: String,
    #[serde(default)]
    zoek: String,
}

impl FilterQuery {
    fn filter(&self) -> ActionFilter {
        ActionFilter {
            theme_id: parse_id(&self.thema),
            subteam_id: parse_id(&self.subteam),
            status: Status::from_code(&self.status),
            opgave_id: parse_id(&self.opgave),
            origin: Herkomst::from_code(&self.herkomst),
            text: Some(self.zoek.trim().to_string()).filter(|t| !t.is_empty()),
        }
    }

    fn is_active(&self) -> bool {
        let f = self.filter();
        f.theme_id.is_some()
            || f.subteam_id.is_some()
            || f.status.is_some()
            || f.opgave_id.is_some()
            || f.origin.is_some()
            || f.text.is_some()
    }
}

/// One row of the actions table, with everything already in words.
pub struct Row {
    pub code: String,
    pub title: String,
    pub href: String,
    pub lead: String,
    pub quarters: String,
    pub hours: String,
    pub status_code: String,
    pub status: &'static str,
    pub last_update: String,
}

pub struct ThemeGroup {
    pub label: String,
    pub rows: Vec<Row>,
    pub hours: String,
}

/// The tables of the programme page, already in words.
struct Tables {
    groups: Vec<ThemeGroup>,
    /// The tables of `groups` as HTML (escaped by askama), or why rendering them failed.
    groups_html: Result<String, String>,
    /// Planned hours per lead subteam: (name, hours, number of actions).
    per_subteam: Vec<(String, String, usize)>,
}

fn tables(catalogue: &Catalogue, actions: &[ActionRow], year: i32) -> Tables {
    let mut per_subteam: Vec<(String, String, usize)> = Vec::new();
    for subteam in &catalogue.subteams {
        let led: Vec<&ActionRow> = actions
            .iter()
            .filter(|a| a.lead_subteam_id == subteam.id)
            .collect();
        if !led.is_empty() {
            per_subteam.push((
                subteam.name.clone(),
                thousands(led.iter().map(|a| a.planned_hours).sum()),
                led.len(),
            ));
        }
    }
    let groups = groups(catalogue, actions, year);
    let groups_html = GroupTables { groups: &groups }
        .render()
        .map_err(|e| e.to_string());
    Tables {
        groups,
        groups_html,
        per_subteam,
    }
}

#[derive(Template)]
#[template(path = "programme_groups.html")]
struct GroupTables<'a> {
    groups: &'a [ThemeGroup],
}

#[derive(Template)]
#[template(path = "programme.html")]
struct ProgrammePage<'a> {
    layout: Layout,
    year: i64,
    programme: Option<Programme>,
    years: Vec<i64>,
    /// Whether Koers has no programme of the next year yet, so the page offers to make it.
    next_year_missing: bool,
    groups: &'a [ThemeGroup],
    /// `groups` as HTML tables, from `programme_groups.html`.
    groups_html: &'a str,
    /// Planned hours per lead subteam: (name, hours, number of actions).
    per_subteam: &'a [(String, String, usize)],
    shown: usize,
    total_actions: usize,
    total_hours: String,
    filtering: bool,
    themes: Vec<Choice>,
    subteams: Vec<Choice>,
    statuses: Vec<Choice>,
    opgaven: Vec<Choice>,
    origins: Vec<Choice>,
    zoek: String,
    /// How the programme compares with its adopted version, in one sentence; `None` when it was
    /// never adopted.
    since_adoption: Option<String>,
    /// The subteams short of hours this year, in words (see `/programma/{jaar}/capaciteit`).
    shortages: Vec<String>,
}

fn choices(items: impl Iterator<Item = (String, String)>, selected: &str) -> Vec<Choice> {
    Choice::list(items, &[selected.to_string()])
}

fn active(items: &[Item]) -> impl Iterator<Item = &Item> {
    items.iter().filter(|i| !i.retired)
}

pub async fn page(
    current: Current,
    Path(jaar): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let view = ops::programme(&current.ctx, year, &query.filter()).await?;
    let catalogue = &view.catalogue;
    // Without filters the rows depend on the read model alone, so they are made once per
    // revision; with filters they are made for this request.
    let tables = match &view.programme {
        Some(p) if !query.is_active() => view.model.derived("programme", p.id, || {
            tables(catalogue, &view.actions, year.get())
        }),
        _ => std::sync::Arc::new(tables(catalogue, &view.actions, year.get())),
    };
    let since_adoption = match &view.programme {
        Some(p) => crate::ops::read_model::since_adoption(&current.ctx, p)
            .await?
            .as_ref()
            .as_ref()
            .map(|(version, changes)| {
                let when = super::dutch_date(version.decided_on);
                if changes.is_empty() {
                    format!("Ongewijzigd sinds de vaststelling op {when}.")
                } else {
                    format!(
                        "Gewijzigd sinds de vaststelling op {when}: {}.",
                        changes.summary()
                    )
                }
            }),
        None => None,
    };
    let vth = crate::ops::vth::year_cached(&current.ctx, year).await?;
    let page = ProgrammePage {
        shortages: crate::ops::vth::shortages(&vth, &catalogue.subteams),
        since_adoption,
        layout: Layout::new(
            &current,
            Section::Programma,
            format!("Uitvoeringsprogramma {year}"),
        )
        .with_year(year.into()),
        year: year.into(),
        programme: view.programme,
        years: view.programmes.iter().map(|p| p.year).collect(),
        next_year_missing: !view
            .programmes
            .iter()
            .any(|p| p.year == i64::from(year) + 1),
        shown: view.actions.len(),
        total_actions: view.total_actions,
        total_hours: thousands(view.actions.iter().map(|a| a.planned_hours).sum()),
        per_subteam: &tables.per_subteam,
        filtering: query.is_active(),
        themes: choices(
            catalogue
                .numbered_themes()
                .into_iter()
                .filter(|(_, _, t)| !t.retired)
                .map(|(_, _, t)| (t.id.to_string(), catalogue.theme_label(t.id))),
            &query.thema,
        ),
        subteams: choices(
            active(&catalogue.subteams).map(|s| (s.id.to_string(), s.name.clone())),
            &query.subteam,
        ),
        statuses: choices(
            Status::ALL
                .iter()
                .map(|s| (s.code().to_string(), s.label().to_string())),
            &query.status,
        ),
        opgaven: choices(
            active(&catalogue.opgaven).map(|o| (o.id.to_string(), o.name.clone())),
            &query.opgave,
        ),
        origins: choices(
            Herkomst::ALL
                .iter()
                .map(|h| (h.code().to_string(), h.label().to_string())),
            &query.herkomst,
        ),
        zoek: query.zoek.clone(),
        groups: &tables.groups,
        groups_html: tables
            .groups_html
            .as_deref()
            .map_err(|e| WebError::Internal(anyhow::anyhow!("programme tables: {e}")))?,
    };
    render(&current, &page)
}

fn groups(catalogue: &Catalogue, actions: &[ActionRow], year: i32) -> Vec<ThemeGroup> {
    catalogue
        .numbered_themes()
        .into_iter()
        .filter_map(|(_, _, theme)| {
            let rows: Vec<&ActionRow> = actions.iter().filter(|a| a.theme_id == theme.id).collect();
            if rows.is_empty() {
                return None;
            }
            Some(ThemeGroup {
                label: catalogue.theme_label(theme.id),
                hours: thousands(rows.iter().map(|a| a.planned_hours).sum()),
                rows: rows.into_iter().map(|a| row(catalogue, a, year)).collect(),
            })
        })
        .collect()
}

fn row(catalogue: &Catalogue, a: &ActionRow, year: i32) -> Row {
    Row {
        code: a.code.clone(),
        title: a.title.clone(),
        href: format!("/programma/{year}/acties/{}", a.code),
        lead: Catalogue::name(&catalogue.subteams, a.lead_subteam_id),
        quarters: a.quarters.label(),
        hours: thousands(a.planned_hours),
        status_code: a.status.code().to_string(),
        status: a.status.label(),
        last_update: a
            .last_progress_on
            .map(|d| d.format("%d-%m-%Y").to_string())
            .unwrap_or_else(|| "—".into()),
    }
}

/// Creates an (empty) programme for a year.
pub async fn create(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    match ops::create_programme(&current.ctx, &form.get("jaar")).await {
        Ok(year) => Ok(redirect_with(
            &format!("/programma/{year}"),
            &format!("Het uitvoeringsprogramma {year} is aangemaakt."),
        )),
        Err(OpsError::Invalid(errors)) => {
            let message = errors
                .iter()
                .map(|e| e.message.clone())
                .collect::<Vec<_>>()
                .join(" ");
            let back = koers_domain::Jaar::parse(&form.get("jaar"))
                .map_or_else(|_| "/programma".to_string(), |y| format!("/programma/{y}"));
            Ok(redirect_with(&back, &message))
        }
        Err(other) => Err(other.into()),
    }
}
