//! The evaluation of a programme year: figures with links to the actions behind them, the list
//! of actions with their outcome, the texts, and one page per action to evaluate it.

use super::{
    dutch_date, dutch_time, parse_id, parse_year, redirect_with, render_with_status, thousands,
};
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
use koers_domain::evaluation_forms::{EvaluatieTekstenInvoer, UrenCorrectieInvoer};
use koers_domain::{ActieEvaluatieInvoer, FieldErrors, Jaar, Telling, Uitkomst};
use serde::Deserialize;

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

/// One textarea of a small form, with the stored text after a conflict.
pub struct TextField {
    pub name: &'static str,
    pub label: String,
    pub hint: String,
    pub value: String,
    pub theirs: Option<String>,
}

/// The form for one or two texts of the evaluation: the programme's texts, a theme's
/// conclusion, an attention point.
#[derive(Template)]
#[template(path = "evaluation_form.html")]
struct TextForm {
    layout: Layout,
    year: i64,
    intro: Vec<String>,
    post_to: String,
    version: i64,
    fields: Vec<TextField>,
    submit: &'static str,
    conflict: bool,
    errors: FieldErrors,
}

fn text_form(
    current: &Current,
    year: Jaar,
    title: String,
    post_to: String,
    version: i64,
    fields: Vec<TextField>,
    submit: &'static str,
) -> TextForm {
    TextForm {
        layout: Layout::new(current, Section::Programma, title).with_year(year.into()),
        year: year.into(),
        intro: Vec::new(),
        post_to,
        version,
        fields,
        submit,
        conflict: false,
        errors: FieldErrors::default(),
    }
}

/// The form page shown after a failed save: 422 with the messages, or 409 with the stored
/// texts next to the user's.
fn form_again(
    current: &Current,
    mut form: TextForm,
    error: OpsError,
    theirs: impl Fn(&str) -> String,
    typed: &FormData,
    current_version: i64,
) -> Result<Response, WebError> {
    for field in &mut form.fields {
        field.value = typed.get(field.name);
    }
    match error {
        OpsError::Invalid(errors) => {
            form.errors = errors;
            render_with_status(current, &form, StatusCode::UNPROCESSABLE_ENTITY)
        }
        OpsError::Conflict { .. } => {
            form.conflict = true;
            form.version = current_version;
            for field in &mut form.fields {
                field.theirs = Some(theirs(field.name));
            }
            render_with_status(current, &form, StatusCode::CONFLICT)
        }
        other => Err(other.into()),
    }
}

fn texts_fields(conclusions: String, trends: String) -> Vec<TextField> {
    vec![
        TextField {
            name: "conclusions",
            label: "Conclusies".into(),
            hint: "Wat leert het afgelopen jaar ons, over alle thema's heen?".into(),
            value: conclusions,
            theirs: None,
        },
        TextField {
            name: "trends",
            label: "Trends en ontwikkelingen".into(),
            hint: "Wat speelt er in de stad, in de wet of in de organisatie dat het volgende programma raakt?".into(),
            value: trends,
            theirs: None,
        },
    ]
}

fn require_editable(view: &EvaluationView) -> Result<(), WebError> {
    if !view.may_edit_plan {
        return Err(WebError::Forbidden);
    }
    if let Some(reason) = ops::read_only_reason(view) {
        return Err(WebError::BadRequest(reason.into()));
    }
    Ok(())
}

pub async fn texts_form(current: Current, Path(jaar): Path<String>) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let view = ops::evaluation(&current.ctx, year).await?;
    require_editable(&view)?;
    let e = view.evaluation.as_ref();
    let form = text_form(
        &current,
        year,
        format!("Conclusies en trends {year}"),
        format!("/programma/{year}/evaluatie/teksten"),
        view.texts_version(),
        texts_fields(
            e.map(|e| e.conclusions.clone()).unwrap_or_default(),
            e.map(|e| e.trends.clone()).unwrap_or_default(),
        ),
        "Teksten opslaan",
    );
    render_with_status(&current, &form, StatusCode::OK)
}

pub async fn texts_submit(
    current: Current,
    Path(jaar): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let form = FormData::parse(&body);
    let input = EvaluatieTekstenInvoer {
        conclusions: form.get("conclusions"),
        trends: form.get("trends"),
    };
    match ops::save_texts(&current.ctx, year, form.version(), &input).await {
        Ok(()) => Ok(redirect_with(
            &format!("/programma/{year}/evaluatie#teksten"),
            "De conclusies en trends zijn opgeslagen.",
        )),
        Err(error) => {
            let view = ops::evaluation(&current.ctx, year).await?;
            let e = view.evaluation.clone();
            let page = text_form(
                &current,
                year,
                format!("Conclusies en trends {year}"),
                format!("/programma/{year}/evaluatie/teksten"),
                form.version(),
                texts_fields(String::new(), String::new()),
                "Teksten opslaan",
            );
            let theirs = |name: &str| match (name, &e) {
                ("conclusions", Some(e)) => e.conclusions.clone(),
                ("trends", Some(e)) => e.trends.clone(),
                _ => String::new(),
            };
            form_again(&current, page, error, theirs, &form, view.texts_version())
        }
    }
}

fn theme_field(label: &str, value: String) -> Vec<TextField> {
    vec![TextField {
        name: "conclusion",
        label: format!("Conclusie over {label}"),
        hint: "Hoe ging het met dit thema? Noem wat goed ging en wat beter kan.".into(),
        value,
        theirs: None,
    }]
}

pub async fn theme_form(
    current: Current,
    Path((jaar, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let id = parse_id(&id)?;
    let view = ops::evaluation(&current.ctx, year).await?;
    let theme = view
        .themes
        .iter()
        .find(|t| t.theme_id == id)
        .ok_or(WebError::NotFound)?;
    require_editable(&view)?;
    let mut form = text_form(
        &current,
        year,
        format!("Conclusie over {}", theme.label),
        format!("/programma/{year}/evaluatie/thema/{id}"),
        theme.conclusion.as_ref().map_or(0, |c| c.version),
        theme_field(
            &theme.label,
            theme
                .conclusion
                .as_ref()
                .map(|c| c.conclusion.clone())
                .unwrap_or_default(),
        ),
        "Conclusie opslaan",
    );
    let t = &theme.figures;
    form.intro.push(format!(
        "{} acties, waarvan {} gerealiseerd ({}); {} van {} geplande uren besteed.",
        t.actions,
        t.count(Uitkomst::Gerealiseerd),
        percent(t.percent_realised()),
        thousands(t.spent_hours),
        thousands(t.planned_hours)
    ));
    render_with_status(&current, &form, StatusCode::OK)
}

pub async fn theme_submit(
    current: Current,
    Path((jaar, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let text = form.get("conclusion");
    match ops::save_theme_conclusion(&current.ctx, year, id, form.version(), &text).await {
        Ok(()) => Ok(redirect_with(
            &format!("/programma/{year}/evaluatie#thema-conclusies"),
            "De conclusie is opgeslagen.",
        )),
        Err(error) => {
            let view = ops::evaluation(&current.ctx, year).await?;
            let theme = view
                .themes
                .iter()
                .find(|t| t.theme_id == id)
                .ok_or(WebError::NotFound)?;
            let stored = theme.conclusion.clone();
            let page = text_form(
                &current,
                year,
                format!("Conclusie over {}", theme.label),
                format!("/programma/{year}/evaluatie/thema/{id}"),
                form.version(),
                theme_field(&theme.label, String::new()),
                "Conclusie opslaan",
            );
            let current_version = stored.as_ref().map_or(0, |c| c.version);
            let theirs = |_: &str| {
                stored
                    .as_ref()
                    .map(|c| c.conclusion.clone())
                    .unwrap_or_default()
            };
            form_again(&current, page, error, theirs, &form, current_version)
        }
    }
}

fn point_field(value: String) -> Vec<TextField> {
    vec![TextField {
        name: "text",
        label: "Aandachtspunt".into(),
        hint:
            "Waar wilt u volgend jaar op letten? De evaluatie van volgend jaar vraagt hoe het ging."
                .into(),
        value,
        theirs: None,
    }]
}

pub async fn point_form(
    current: Current,
    Path((jaar, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let id = parse_id(&id)?;
    let view = ops::evaluation(&current.ctx, year).await?;
    let point = view
        .attention_points
        .iter()
        .find(|p| p.id == id)
        .ok_or(WebError::NotFound)?;
    require_editable(&view)?;
    let form = text_form(
        &current,
        year,
        "Aandachtspunt bewerken".into(),
        format!("/programma/{year}/evaluatie/aandachtspunten/{id}"),
        point.version,
        point_field(point.text.clone()),
        "Aandachtspunt opslaan",
    );
    render_with_status(&current, &form, StatusCode::OK)
}

pub async fn point_submit(
    current: Current,
    Path((jaar, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let text = form.get("text");
    match ops::update_attention_point(&current.ctx, year, id, form.version(), &text).await {
        Ok(()) => Ok(redirect_with(
            &format!("/programma/{year}/evaluatie#aandachtspunten"),
            "Het aandachtspunt is opgeslagen.",
        )),
        Err(error) => {
            let view = ops::evaluation(&current.ctx, year).await?;
            let stored = view
                .attention_points
                .iter()
                .find(|p| p.id == id)
                .cloned()
                .ok_or(WebError::NotFound)?;
            let page = text_form(
                &current,
                year,
                "Aandachtspunt bewerken".into(),
                format!("/programma/{year}/evaluatie/aandachtspunten/{id}"),
                form.version(),
                point_field(String::new()),
                "Aandachtspunt opslaan",
            );
            let theirs = |_: &str| stored.text.clone();
            form_again(&current, page, error, theirs, &form, stored.version)
        }
    }
}

pub struct ProgressLine {
    pub date: String,
    pub status_code: &'static str,
    pub status: &'static str,
    pub hours: i64,
    pub note: String,
    pub author: String,
}

pub struct OutcomeChoice {
    pub value: &'static str,
    pub label: &'static str,
    pub checked: bool,
    pub suggested: bool,
    pub needs_reason: bool,
}

#[derive(Template)]
#[template(path = "evaluation_action.html")]
struct ActionPage {
    layout: Layout,
    year: i64,
    code: String,
    title: String,
    theme: String,
    lead: String,
    intended_result: String,
    planned: String,
    spent: String,
    spent_percent: String,
    status_code: &'static str,
    status: &'static str,
    suggestion: &'static str,
    progress: Vec<ProgressLine>,
    evaluated_by: Option<String>,
    read_only: Option<&'static str>,
    may_edit: bool,
    outcomes: Vec<OutcomeChoice>,
    input: ActieEvaluatieInvoer,
    version: i64,
    errors: FieldErrors,
    conflict: Option<String>,
    correction: UrenCorrectieInvoer,
    correction_errors: FieldErrors,
    evaluated: u32,
    total: u32,
}

async fn action_page(
    current: &Current,
    year: Jaar,
    code: &str,
    input: Option<ActieEvaluatieInvoer>,
    errors: FieldErrors,
    correction: UrenCorrectieInvoer,
    correction_errors: FieldErrors,
) -> Result<ActionPage, WebError> {
    let view = ops::action_evaluation(&current.ctx, year, code).await?;
    let a = view.action();
    let row = &a.action;
    let stored = a.evaluation.as_ref();
    let input = input.unwrap_or_else(|| match stored {
        Some(e) => ActieEvaluatieInvoer {
            outcome: e.outcome.code().to_string(),
            reason: e.reason.clone(),
            achieved: e.achieved.clone(),
            lesson: e.lesson.clone(),
        },
        None => ActieEvaluatieInvoer {
            outcome: a.suggestion.code().to_string(),
            ..Default::default()
        },
    });
    let figures = &view.view.figures.total;
    Ok(ActionPage {
        layout: Layout::new(
            current,
            Section::Programma,
            format!("Evaluatie van {} {}", row.code, row.title),
        )
        .with_year(year.into()),
        year: year.into(),
        code: row.code.clone(),
        title: row.title.clone(),
        theme: a.theme_label.clone(),
        lead: a.lead.clone(),
        intended_result: row.intended_result.clone(),
        planned: thousands(row.planned_hours),
        spent: thousands(row.hours_spent),
        spent_percent: percent(
            u32::try_from(row.planned_hours)
                .ok()
                .filter(|p| *p > 0)
                .and_then(|p| {
                    u32::try_from(row.hours_spent)
                        .ok()
                        .map(|s| (u64::from(s) * 200 + u64::from(p)) / (u64::from(p) * 2))
                })
                .and_then(|v| u32::try_from(v).ok()),
        ),
        status_code: row.status.code(),
        status: row.status.label(),
        suggestion: a.suggestion.label(),
        progress: view
            .progress
            .iter()
            .map(|p| ProgressLine {
                date: dutch_date(p.entry_date),
                status_code: p.status.code(),
                status: p.status.label(),
                hours: p.hours_spent,
                note: p.note.clone(),
                author: p.author_name.clone(),
            })
            .collect(),
        evaluated_by: stored
            .map(|e| format!("{} ({})", e.evaluated_by, dutch_time(e.evaluated_at))),
        read_only: ops::read_only_reason(&view.view),
        may_edit: view.view.may_edit,
        outcomes: Uitkomst::ALL
            .iter()
            .map(|o| OutcomeChoice {
                value: o.code(),
                label: o.label(),
                checked: o.code() == input.outcome,
                suggested: *o == a.suggestion,
                needs_reason: o.needs_reason(),
            })
            .collect(),
        version: stored.map_or(0, |e| e.version),
        input,
        errors,
        conflict: None,
        correction,
        correction_errors,
        evaluated: figures.evaluated(),
        total: figures.actions,
    })
}

pub async fn action_form(
    current: Current,
    Path((jaar, code)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let page = action_page(
        &current,
        year,
        &code,
        None,
        FieldErrors::default(),
        UrenCorrectieInvoer::default(),
        FieldErrors::default(),
    )
    .await?;
    render_with_status(&current, &page, StatusCode::OK)
}

pub async fn action_submit(
    current: Current,
    Path((jaar, code)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let form = FormData::parse(&body);
    let input = ActieEvaluatieInvoer {
        outcome: form.get("outcome"),
        reason: form.get("reason"),
        achieved: form.get("achieved"),
        lesson: form.get("lesson"),
    };
    let version = form.version();
    match ops::save_action(&current.ctx, year, &code, version, &input).await {
        Ok(next) => {
            let saved = format!("De evaluatie van {code} is opgeslagen.");
            Ok(match next {
                Some(next) => redirect_with(
                    &format!("/programma/{year}/evaluatie/acties/{next}"),
                    &format!("{saved} Dit is de volgende actie die nog een evaluatie nodig heeft."),
                ),
                None => redirect_with(
                    &format!("/programma/{year}/evaluatie"),
                    &format!("{saved} Alle acties van {year} zijn nu geëvalueerd."),
                ),
            })
        }
        Err(OpsError::Invalid(errors)) => {
            let page = action_page(
                &current,
                year,
                &code,
                Some(input),
                errors,
                UrenCorrectieInvoer::default(),
                FieldErrors::default(),
            )
            .await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(OpsError::Conflict { .. }) => {
            let mut page = action_page(
                &current,
                year,
                &code,
                Some(input),
                FieldErrors::default(),
                UrenCorrectieInvoer::default(),
                FieldErrors::default(),
            )
            .await?;
            let view = ops::action_evaluation(&current.ctx, year, &code).await?;
            let stored = view.action().evaluation.clone();
            page.conflict = Some(match &stored {
                Some(e) => format!(
                    "{} heeft deze actie intussen geëvalueerd als '{}'{}{}.",
                    e.evaluated_by,
                    e.outcome.label().to_lowercase(),
                    if e.reason.is_empty() {
                        String::new()
                    } else {
                        format!(", met als reden: {}", e.reason)
                    },
                    if e.achieved.is_empty() {
                        String::new()
                    } else {
                        format!("; bereikt: {}", e.achieved)
                    },
                ),
                None => "De evaluatie van deze actie is intussen gewist.".into(),
            });
            page.version = stored.map_or(0, |e| e.version);
            render_with_status(&current, &page, StatusCode::CONFLICT)
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn correct_hours(
    current: Current,
    Path((jaar, code)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let form = FormData::parse(&body);
    let input = UrenCorrectieInvoer {
        hours: form.get("correctie_uren"),
        reason: form.get("correctie_reden"),
    };
    match ops::correct_hours(&current.ctx, year, &code, &input).await {
        Ok(()) => Ok(redirect_with(
            &format!("/programma/{year}/evaluatie/acties/{code}#uren"),
            "De correctie van de bestede uren is opgeslagen.",
        )),
        Err(OpsError::Invalid(errors)) => {
            let mut renamed = FieldErrors::default();
            for e in errors.iter() {
                let field = if e.field == "hours" {
                    "correctie_uren"
                } else {
                    "correctie_reden"
                };
                renamed.add(field, e.message.clone());
            }
            let page = action_page(
                &current,
                year,
                &code,
                None,
                FieldErrors::default(),
                input,
                renamed,
            )
            .await?;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
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
