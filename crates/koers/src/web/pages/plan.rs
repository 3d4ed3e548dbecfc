//! The policy plan page: period, domains, themes, ambitions, opgaven and participation.

use super::trends::{IndicatorLine, indicator_lines};
use super::{redirect_with, render, render_with_status};
use crate::ops::OpsError;
use crate::ops::actions::numbered_themes;
use crate::ops::plan as ops;
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::OriginalUri;
use axum::http::StatusCode;
use axum::response::Response;
use koers_domain::FieldErrors;
use koers_store::catalog::Item;
use koers_store::plan::{Plan, PlanInput};

pub struct ThemeBlock {
    pub theme: Item,
    pub number: usize,
    /// Each ambition with the indicators that measure it.
    pub ambitions: Vec<(Item, Vec<IndicatorLine>)>,
}

pub struct DomainBlock {
    pub domain: Item,
    pub themes: Vec<ThemeBlock>,
}

pub struct OpgaveRow {
    pub opgave: Item,
    /// For each plan year: (year, participates).
    pub years: Vec<(i64, bool)>,
}

#[derive(Template)]
#[template(path = "plan.html")]
struct PlanPage {
    layout: Layout,
    plan: Option<Plan>,
    domains: Vec<DomainBlock>,
    opgaven: Vec<OpgaveRow>,
    years: Vec<i64>,
    /// Whether the title already names the period ("… 2023-2026"), so it is not shown twice.
    period_in_title: bool,
}

pub async fn page(current: Current, OriginalUri(uri): OriginalUri) -> Result<Response, WebError> {
    super::kept(&current, &uri, async || {
        let view = ops::view(&current.ctx).await?;
        let years: Vec<i64> = view
            .plan
            .as_ref()
            .map(|p| p.years().collect())
            .unwrap_or_default();
        let numbered = numbered_themes(&view.domains, &view.themes);
        let indicators = indicator_lines(&current.ctx).await?;
        let measuring = |ambition: &Item| -> Vec<IndicatorLine> {
            indicators
                .iter()
                .filter(|i| i.ambitions.contains(&ambition.id))
                .cloned()
                .collect()
        };
        let domains = view
            .domains
            .iter()
            .map(|domain| DomainBlock {
                domain: domain.clone(),
                themes: numbered
                    .iter()
                    .filter(|(_, _, theme)| theme.parent_id == Some(domain.id))
                    .map(|(_, number, theme)| ThemeBlock {
                        theme: (*theme).clone(),
                        number: *number,
                        ambitions: view
                            .ambitions
                            .iter()
                            .filter(|a| a.parent_id == Some(theme.id))
                            .map(|a| (a.clone(), measuring(a)))
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        let opgaven = view
            .opgaven
            .iter()
            .map(|opgave| OpgaveRow {
                opgave: opgave.clone(),
                years: years
                    .iter()
                    .map(|y| (*y, view.participation.contains(&(opgave.id, *y))))
                    .collect(),
            })
            .collect();
        let period_in_title = view.plan.as_ref().is_some_and(|p| {
            p.title.contains(&p.start_year.to_string()) && p.title.contains(&p.end_year.to_string())
        });
        let page = PlanPage {
            layout: Layout::new(&current, Section::Beleidsplan, "Beleidsplan"),
            period_in_title,
            plan: view.plan,
            domains,
            opgaven,
            years,
        };
        render(&current, &page)
    })
    .await
}

#[derive(Template)]
#[template(path = "plan_form.html")]
struct PlanForm {
    layout: Layout,
    input: PlanInput,
    errors: FieldErrors,
    version: i64,
    exists: bool,
    conflict: Option<Plan>,
}

pub async fn edit_form(current: Current) -> Result<Response, WebError> {
    current.ctx.require(current.ctx.role().may_edit_plan())?;
    let plan = ops::current_plan(&current.ctx).await?;
    let input = match &plan {
        Some(p) => PlanInput {
            title: p.title.clone(),
            start_year: p.start_year.to_string(),
            end_year: p.end_year.to_string(),
            description: p.description.clone(),
        },
        None => PlanInput::default(),
    };
    let page = PlanForm {
        layout: Layout::new(&current, Section::Beleidsplan, "Beleidsplan bewerken"),
        input,
        errors: FieldErrors::default(),
        version: plan.as_ref().map_or(0, |p| p.version),
        exists: plan.is_some(),
        conflict: None,
    };
    render(&current, &page)
}

pub async fn edit_submit(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    let input = PlanInput {
        title: form.get("title"),
        start_year: form.get("start_year"),
        end_year: form.get("end_year"),
        description: form.get("description"),
    };
    let ctx = &current.ctx;
    let plan = ops::current_plan(ctx).await?;
    let version = form.version();
    let result = ops::save_plan(ctx, plan.as_ref().map(|p| (p.id, version)), &input).await;
    let (errors, conflict) = match result {
        Ok(_) => {
            return Ok(redirect_with(
                "/beleidsplan",
                "Het beleidsplan is opgeslagen.",
            ));
        }
        Err(OpsError::Invalid(errors)) => (errors, None),
        Err(OpsError::Conflict { .. }) => (FieldErrors::default(), plan.clone()),
        Err(other) => return Err(other.into()),
    };
    let page = PlanForm {
        layout: Layout::new(&current, Section::Beleidsplan, "Beleidsplan bewerken"),
        input,
        errors,
        version: conflict.as_ref().map_or(version, |p| p.version),
        exists: plan.is_some(),
        conflict,
    };
    let status = if page.conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render_with_status(&current, &page, status)
}

/// Saves the participation grid: checkboxes named `deelname` with value `OPGAVE:JAAR`.
pub async fn participation(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    let chosen: Vec<(i64, i64)> = form
        .all("deelname")
        .iter()
        .map(|v| {
            // A value that is not <opgave>:<year> becomes a cell outside the grid, which
            // refuses the form instead of being ignored.
            let (opgave, year) = v.split_once(':').unwrap_or_default();
            (opgave.parse().unwrap_or(0), year.parse().unwrap_or(0))
        })
        .collect();
    ops::save_participation(&current.ctx, &chosen).await?;
    Ok(redirect_with(
        "/beleidsplan#opgaven",
        "De deelname aan de opgaven is opgeslagen.",
    ))
}
