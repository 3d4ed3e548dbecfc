//! The evaluation of a programme year: figures with links to the actions behind them, the list
//! of actions with their outcome, and the attention points; the small text forms are in
//! `texts`, the page that evaluates one action in `action`.

use super::{parse_id, parse_year, redirect_with, render_with_status, thousands};
use crate::ops::OpsError;
use crate::ops::evaluation::{
    self as ops, EvaluatedAction, EvaluationFilter, EvaluationView, OutcomeFilter,
};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::Response;
use koers_domain::{FieldErrors, Jaar, Telling, Uitkomst};
use serde::Deserialize;

mod action;
mod texts;

pub use action::{action_form, action_submit, correct_hours};
pub use texts::{point_form, point_submit, texts_form, texts_submit, theme_form, theme_submit};

/// A figure and the list of actions behind it.
pub struct Figure {
    pub text: String,
    pub href: String,
}

pub struct FigureRow {
    pub label: String,
    pub href: String,
    pub actions: Figure,
    /// One per outcome, in the order of `Uitkomst::ALL`.
    pub outcomes: Vec<Figure>,
    pub open: Figure,
    pub realised: String,
    pub planned: String,
    pub spent: String,
    pub spent_percent: String,
    pub fte: String,
    /// Hours spent per FTE of the subteam, for the subteam rows.
    pub spent_per_fte: String,
}

pub struct ListedAction {
    pub code: String,
    pub title: String,
    pub theme: String,
    pub lead: String,
    pub planned: String,
    pub spent: String,
    pub status_code: &'static str,
    pub status: &'static str,
    pub outcome_code: &'static str,
    pub outcome: String,
    pub evaluated: bool,
    pub href: String,
}

pub struct Point {
    pub id: i64,
    pub text: String,
    pub follow_up: String,
    pub version: i64,
    pub first: bool,
    pub last: bool,
}

pub struct ThemeConclusion {
    pub theme_id: i64,
    pub label: String,
    pub conclusion: String,
}

#[derive(Template)]
#[template(path = "evaluation.html")]
struct EvaluationPage {
    layout: Layout,
    year: i64,
    previous_year: i64,
    status: &'static str,
    read_only: Option<&'static str>,
    may_edit: bool,
    total: u32,
    evaluated: u32,
    open: u32,
    percent_evaluated: String,
    next_open: Option<String>,
    outcome_labels: Vec<&'static str>,
    themes: Vec<FigureRow>,
    subteams: Vec<FigureRow>,
    total_row: FigureRow,
    filtering: bool,
    filter_description: String,
    listed: Vec<ListedAction>,
    theme_choices: Vec<super::Choice>,
    subteam_choices: Vec<super::Choice>,
    outcome_choices: Vec<super::Choice>,
    conclusions: String,
    trends: String,
    theme_conclusions: Vec<ThemeConclusion>,
    points: Vec<Point>,
    new_point: String,
    previous_points: Option<Vec<Point>>,
    errors: FieldErrors,
}

fn percent(value: Option<u32>) -> String {
    value.map_or_else(|| "—".to_string(), |p| format!("{p}%"))
}

/// Hours per FTE, rounded to whole hours: "—" without a formation.
fn per_fte(hours: i64, fte: Option<koers_domain::Fte>) -> String {
    match fte.map(koers_domain::Fte::hundredths) {
        Some(hundredths) if hundredths > 0 => {
            // hours / (hundredths / 100), rounded half up.
            thousands((hours * 100 * 2 + hundredths) / (hundredths * 2))
        }
        _ => "—".to_string(),
    }
}

fn link(year: Jaar, filter: EvaluationFilter) -> String {
    let query = filter.query();
    if query.is_empty() {
        format!("/programma/{year}/evaluatie#acties")
    } else {
        format!("/programma/{year}/evaluatie?{query}#acties")
    }
}

fn figure_row(
    year: Jaar,
    label: String,
    base: EvaluationFilter,
    t: &Telling,
    fte: String,
) -> FigureRow {
    let with = |outcome: Option<OutcomeFilter>| EvaluationFilter { outcome, ..base };
    let figure = |n: u32, outcome: Option<OutcomeFilter>| Figure {
        text: n.to_string(),
        href: link(year, with(outcome)),
    };
    FigureRow {
        label,
        href: link(year, base),
        actions: figure(t.actions, None),
        outcomes: Uitkomst::ALL
            .iter()
            .map(|o| figure(t.count(*o), Some(OutcomeFilter::Is(*o))))
            .collect(),
        open: figure(t.unevaluated, Some(OutcomeFilter::Open)),
        realised: percent(t.percent_realised()),
        planned: thousands(t.planned_hours),
        spent: thousands(t.spent_hours),
        spent_percent: percent(t.percent_hours_spent()),
        fte,
        spent_per_fte: String::new(),
    }
}

fn outcome_text(a: &EvaluatedAction) -> (&'static str, String) {
    match &a.evaluation {
        Some(e) => (e.outcome.code(), e.outcome.label().to_string()),
        None => (
            "open",
            format!(
                "Nog niet geëvalueerd (voorstel: {})",
                a.suggestion.label().to_lowercase()
            ),
        ),
    }
}

fn listed(year: Jaar, a: &EvaluatedAction) -> ListedAction {
    let (outcome_code, outcome) = outcome_text(a);
    ListedAction {
        code: a.action.code.clone(),
        title: a.action.title.clone(),
        theme: a.theme_label.clone(),
        lead: a.lead.clone(),
        planned: thousands(a.action.planned_hours),
        spent: thousands(a.action.hours_spent),
        status_code: a.action.status.code(),
        status: a.action.status.label(),
        outcome_code,
        outcome,
        evaluated: a.evaluation.is_some(),
        href: format!("/programma/{year}/evaluatie/acties/{}", a.action.code),
    }
}

fn points(rows: &[koers_store::evaluation::AttentionPointRow]) -> Vec<Point> {
    rows.iter()
        .enumerate()
        .map(|(i, p)| Point {
            id: p.id,
            text: p.text.clone(),
            follow_up: p.follow_up.clone(),
            version: p.version,
            first: i == 0,
            last: i + 1 == rows.len(),
        })
        .collect()
}

/// What the main page keeps of a user's input after an error in one of its small forms.
#[derive(Default)]
struct Kept {
    new_point: String,
    /// (point id, typed text, version to post next).
    follow_up: Option<(i64, String, i64)>,
}

fn evaluation_page(
    current: &Current,
    view: &EvaluationView,
    filter: EvaluationFilter,
    kept: Kept,
    errors: FieldErrors,
) -> EvaluationPage {
    let year = view.year;
    let f = &view.figures;
    let theme_rows = view
        .themes
        .iter()
        .map(|t| {
            figure_row(
                year,
                t.label.clone(),
                EvaluationFilter {
                    theme_id: Some(t.theme_id),
                    ..Default::default()
                },
                &t.figures,
                String::new(),
            )
        })
        .collect();
    let subteam_rows = view
        .subteams
        .iter()
        .map(|s| {
            let mut row = figure_row(
                year,
                s.name.clone(),
                EvaluationFilter {
                    subteam_id: Some(s.subteam_id),
                    ..Default::default()
                },
                &s.figures,
                s.fte.map_or_else(|| "—".to_string(), |fte| fte.to_string()),
            );
            row.spent_per_fte = per_fte(s.figures.spent_hours, s.fte);
            row
        })
        .collect();
    let mut description = Vec::new();
    if let Some(t) = filter.theme_id {
        description.push(format!(
            "thema {}",
            view.themes
                .iter()
                .find(|x| x.theme_id == t)
                .map_or("onbekend", |x| x.label.as_str())
        ));
    }
    if let Some(s) = filter.subteam_id {
        description.push(format!(
            "trekker {}",
            view.subteams
                .iter()
                .find(|x| x.subteam_id == s)
                .map_or("onbekend", |x| x.name.as_str())
        ));
    }
    match filter.outcome {
        Some(OutcomeFilter::Open) => description.push("nog niet geëvalueerd".into()),
        Some(OutcomeFilter::Is(o)) => {
            description.push(format!("uitkomst {}", o.label().to_lowercase()))
        }
        None => {}
    }
    let chosen = |v: Option<String>| vec![v.unwrap_or_default()];
    let previous_points = view.previous.as_ref().map(|(_, rows)| {
        let mut list = points(rows);
        if let Some((id, text, version)) = &kept.follow_up {
            for p in list.iter_mut().filter(|p| p.id == *id) {
                p.follow_up = text.clone();
                p.version = *version;
            }
        }
        list
    });
    let evaluation = view.evaluation.as_ref();
    EvaluationPage {
        layout: Layout::new(current, Section::Programma, format!("Evaluatie {year}"))
            .with_year(year.into()),
        year: year.into(),
        previous_year: i64::from(year) - 1,
        status: view.status.label(),
        read_only: ops::read_only_reason(view),
        may_edit: view.may_edit,
        total: f.total.actions,
        evaluated: f.total.evaluated(),
        open: f.total.unevaluated,
        percent_evaluated: percent(f.total.percent_evaluated()),
        next_open: view
            .actions
            .iter()
            .find(|a| a.evaluation.is_none())
            .map(|a| a.action.code.clone()),
        outcome_labels: Uitkomst::ALL.iter().map(|o| o.label()).collect(),
        themes: theme_rows,
        subteams: subteam_rows,
        total_row: figure_row(
            year,
            "Totaal".into(),
            EvaluationFilter::default(),
            &f.total,
            String::new(),
        ),
        filtering: !filter.is_empty(),
        filter_description: description.join(", "),
        listed: view
            .filtered(&filter)
            .into_iter()
            .map(|a| listed(year, a))
            .collect(),
        theme_choices: super::Choice::list(
            view.themes
                .iter()
                .map(|t| (t.theme_id.to_string(), t.label.clone())),
            &chosen(filter.theme_id.map(|t| t.to_string())),
        ),
        subteam_choices: super::Choice::list(
            view.subteams
                .iter()
                .map(|s| (s.subteam_id.to_string(), s.name.clone())),
            &chosen(filter.subteam_id.map(|s| s.to_string())),
        ),
        outcome_choices: super::Choice::list(
            std::iter::once(("open".to_string(), "Nog niet geëvalueerd".to_string())).chain(
                Uitkomst::ALL
                    .iter()
                    .map(|o| (o.code().to_string(), o.label().to_string())),
            ),
            &chosen(filter.outcome.map(|o| o.code().to_string())),
        ),
        conclusions: evaluation
            .map(|e| e.conclusions.clone())
            .unwrap_or_default(),
        trends: evaluation.map(|e| e.trends.clone()).unwrap_or_default(),
        theme_conclusions: view
            .themes
            .iter()
            .map(|t| ThemeConclusion {
                theme_id: t.theme_id,
                label: t.label.clone(),
                conclusion: t
                    .conclusion
                    .as_ref()
                    .map(|c| c.conclusion.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        points: points(&view.attention_points),
        new_point: kept.new_point,
        previous_points,
        errors,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct FilterQuery {
    #[serde(default)]
    thema: String,
    #[serde(default)]
    subteam: String,
    #[serde(default)]
    uitkomst: String,
}

pub async fn page(
    current: Current,
    Path(jaar): Path<String>,
    Query(query): Query<FilterQuery>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let filter = EvaluationFilter::parse(&query.thema, &query.subteam, &query.uitkomst).map_err(
        |errors| {
            WebError::BadRequest(format!(
                "Dit filter kan Koers niet toepassen: {} Kies een filter op de pagina zelf.",
                errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            ))
        },
    )?;
    let view = ops::evaluation(&current.ctx, year).await?;
    let page = evaluation_page(
        &current,
        &view,
        filter,
        Kept::default(),
        FieldErrors::default(),
    );
    render_with_status(&current, &page, StatusCode::OK)
}

/// Shows the main page again after an error in one of its small forms.
async fn main_page_again(
    current: &Current,
    year: Jaar,
    kept: Kept,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, WebError> {
    let view = ops::evaluation(&current.ctx, year).await?;
    let page = evaluation_page(current, &view, EvaluationFilter::default(), kept, errors);
    render_with_status(current, &page, status)
}

pub async fn add_point(
    current: Current,
    Path(jaar): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let text = FormData::parse(&body).get("text");
    match ops::add_attention_point(&current.ctx, year, &text).await {
        Ok(()) => Ok(redirect_with(
            &format!("/programma/{year}/evaluatie#aandachtspunten"),
            "Het aandachtspunt is toegevoegd.",
        )),
        Err(OpsError::Invalid(errors)) => {
            let kept = Kept {
                new_point: text,
                ..Default::default()
            };
            main_page_again(
                &current,
                year,
                kept,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn point_action(
    current: Current,
    Path((jaar, id, handeling)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let id = parse_id(&id)?;
    let (result, message) = match handeling.as_str() {
        "verwijderen" => (
            ops::remove_attention_point(&current.ctx, year, id).await,
            "Het aandachtspunt is verwijderd.",
        ),
        "omhoog" => (
            ops::move_attention_point(&current.ctx, year, id, true).await,
            "Het aandachtspunt staat een plaats hoger.",
        ),
        "omlaag" => (
            ops::move_attention_point(&current.ctx, year, id, false).await,
            "Het aandachtspunt staat een plaats lager.",
        ),
        _ => return Err(WebError::NotFound),
    };
    result?;
    Ok(redirect_with(
        &format!("/programma/{year}/evaluatie#aandachtspunten"),
        message,
    ))
}

pub async fn follow_up(
    current: Current,
    Path((jaar, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let text = form.get("follow_up");
    let version = form.version();
    let field = format!("follow_up-{id}");
    match ops::save_follow_up(&current.ctx, year, id, version, &text).await {
        Ok(()) => Ok(redirect_with(
            &format!("/programma/{year}/evaluatie#vorig-jaar"),
            "Opgeslagen hoe het aandachtspunt van vorig jaar is gegaan.",
        )),
        Err(OpsError::Invalid(errors)) => {
            let errors = FieldErrors::single(
                &field,
                errors
                    .iter()
                    .map(|e| e.message.clone())
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            let kept = Kept {
                follow_up: Some((id, text, version)),
                ..Default::default()
            };
            main_page_again(
                &current,
                year,
                kept,
                errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(OpsError::Conflict { current: now }) => {
            let view = ops::evaluation(&current.ctx, year).await?;
            let theirs = view
                .previous
                .as_ref()
                .and_then(|(_, rows)| rows.iter().find(|p| p.id == id))
                .map(|p| p.follow_up.clone())
                .unwrap_or_default();
            let errors = FieldErrors::single(
                &field,
                format!(
                    "Iemand anders heeft dit intussen opgeslagen: \"{theirs}\". Uw tekst staat nog in het veld; sla opnieuw op om die te bewaren."
                ),
            );
            let kept = Kept {
                follow_up: Some((id, text, now)),
                ..Default::default()
            };
            let page = evaluation_page(&current, &view, EvaluationFilter::default(), kept, errors);
            render_with_status(&current, &page, StatusCode::CONFLICT)
        }
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_per_fte_are_rounded_whole_hours() {
        let fte = |h| koers_domain::Fte::from_hundredths(h).ok();
        assert_eq!(per_fte(793, fte(350)), "227");
        assert_eq!(per_fte(1539, fte(850)), "181");
        assert_eq!(per_fte(3000, fte(100)), "3.000");
        assert_eq!(per_fte(10, fte(0)), "—");
        assert_eq!(per_fte(10, None), "—");
    }
}
