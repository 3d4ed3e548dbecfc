//! The risk analysis (`/risicoanalyse`: the task fields in the kans × effect matrix and in a
//! table), the risk model (`/risicoanalyse/model`, a new version on every save) and the
//! analysis of one task field (`/risicoanalyse/taakvelden/{id}`).

use super::{Choice, dutch_time, parse_id, redirect_with, render, render_with_status};
use crate::app::AppState;
use crate::ops::OpsError;
use crate::ops::risk::{self as ops, CurrentModel, FieldView, Overview, Scored};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::Router;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use koers_domain::FieldErrors;
use koers_domain::risk::{
    AnalyseInvoer, CriteriumInvoer, KlasseInvoer, MAX_CRITERIA, MAX_KLASSEN, Risicomodel,
    RisicomodelInvoer, Schaal,
};
use koers_store::risk::RiskModelVersion;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/risicoanalyse", get(overview))
        .route("/risicoanalyse/model", get(model_page).post(model_submit))
        .route(
            "/risicoanalyse/taakvelden/{id}",
            get(field_page).post(field_submit),
        )
}

/// The shade of a class in the matrix, 0 (lowest class) to 3 (highest), whatever the number
/// of classes; the class' name is always written in the cell too.
fn tint(level: usize, classes: usize) -> usize {
    if classes <= 1 {
        0
    } else {
        level * 3 / (classes - 1)
    }
}

/// "versie 2 van 27-02-2024 14:05, door Annemiek Kok", or the default's description.
fn model_label(model: &CurrentModel) -> String {
    match &model.saved {
        Some((at, by)) => format!("versie {} van {}, door {by}", model.number, dutch_time(*at)),
        None => {
            "het standaardmodel van Koers; uw organisatie heeft nog geen eigen versie opgeslagen"
                .to_string()
        }
    }
}

pub struct MatrixField {
    pub id: i64,
    pub code: String,
    pub name: String,
}

pub struct MatrixCell {
    pub score: u8,
    pub class: String,
    pub tint: usize,
    pub fields: Vec<MatrixField>,
}

pub struct MatrixRow {
    pub kans: Schaal,
    pub cells: Vec<MatrixCell>,
}

fn matrix(overview: &Overview) -> Vec<MatrixRow> {
    let model = &overview.model.model;
    Schaal::ALLE
        .iter()
        .rev()
        .filter_map(|k| Schaal::new(*k).ok())
        .map(|kans| MatrixRow {
            kans,
            cells: Schaal::ALLE
                .iter()
                .map(|effect| {
                    let score = kans.get() * effect;
                    let (level, class) = model.klasse(score);
                    MatrixCell {
                        score,
                        class: class.naam.clone(),
                        tint: tint(level, model.klassen.len()),
                        fields: overview
                            .rows
                            .iter()
                            .filter(|r| {
                                r.current.as_ref().is_some_and(|s| {
                                    s.uitslag.kans == kans.get() && s.uitslag.effect == *effect
                                })
                            })
                            .map(|r| MatrixField {
                                id: r.field.id,
                                code: r.field.code.clone(),
                                name: r.field.name.clone(),
                            })
                            .collect(),
                    }
                })
                .collect(),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "risk.html")]
struct OverviewPage<'a> {
    layout: Layout,
    overview: &'a Overview,
    model_label: String,
    matrix: Vec<MatrixRow>,
    effect_labels: Vec<(u8, &'static str)>,
    older: usize,
    analysed: usize,
}

fn effect_labels() -> Vec<(u8, &'static str)> {
    Schaal::ALLE
        .iter()
        .filter_map(|v| Schaal::new(*v).ok())
        .map(|s| (s.get(), s.effect_label()))
        .collect()
}

pub async fn overview(current: Current) -> Result<Response, WebError> {
    let overview = ops::overview(&current.ctx).await?;
    let page = OverviewPage {
        layout: Layout::new(&current, Section::Beleidsplan, "Risicoanalyse"),
        model_label: model_label(&overview.model),
        matrix: matrix(&overview),
        effect_labels: effect_labels(),
        older: overview.on_older_model(),
        analysed: overview.rows.iter().filter(|r| r.current.is_some()).count(),
        overview: &overview,
    };
    render(&current, &page)
}

#[derive(Template)]
#[template(path = "risk_model.html")]
struct ModelPage {
    layout: Layout,
    current: CurrentModel,
    model_label: String,
    /// Earlier versions, newest first, each with its label.
    earlier: Vec<(String, Risicomodel)>,
    input: RisicomodelInvoer,
    errors: FieldErrors,
    version: i64,
    /// The version now stored, when someone else saved in between.
    conflict: Option<(String, Risicomodel)>,
}

fn version_label(v: &RiskModelVersion) -> String {
    format!(
        "Versie {} van {}, door {}",
        v.number,
        dutch_time(v.created_at),
        v.created_by
    )
}

/// The form's rows: the model's own, and empty ones to add to, up to the maximum.
fn padded(mut input: RisicomodelInvoer) -> RisicomodelInvoer {
    let criteria = (input.criteria.len() + 2).min(MAX_CRITERIA.max(input.criteria.len()));
    input.criteria.resize(criteria, CriteriumInvoer::default());
    let classes = (input.klassen.len() + 1).min(MAX_KLASSEN.max(input.klassen.len()));
    input.klassen.resize(classes, KlasseInvoer::default());
    input
}

fn model_form(
    current: &Current,
    model: CurrentModel,
    versions: &[RiskModelVersion],
    input: RisicomodelInvoer,
) -> ModelPage {
    ModelPage {
        layout: Layout::new(current, Section::Beleidsplan, "Risicomodel"),
        model_label: model_label(&model),
        earlier: versions
            .iter()
            .rev()
            .skip(1)
            .map(|v| (version_label(v), v.model.clone()))
            .collect(),
        version: model.number,
        input: padded(input),
        errors: FieldErrors::default(),
        conflict: None,
        current: model,
    }
}

pub async fn model_page(current: Current) -> Result<Response, WebError> {
    let (model, versions) = ops::models(&current.ctx).await?;
    let input = RisicomodelInvoer::from(&model.model);
    render(&current, &model_form(&current, model, &versions, input))
}

/// The model form as typed: rows `criterium_naam_N` … and `klasse_naam_N` …, counted from 1.
fn model_input(form: &FormData) -> RisicomodelInvoer {
    let criteria = (1..=MAX_CRITERIA + 2)
        .take_while(|n| form.has(&format!("criterium_naam_{n}")))
        .map(|n| CriteriumInvoer {
            naam: form.get(&format!("criterium_naam_{n}")),
            uitleg: form.get(&format!("criterium_uitleg_{n}")),
            gewicht: form.get(&format!("criterium_gewicht_{n}")),
        })
        .collect();
    let klassen = (1..=MAX_KLASSEN + 1)
        .take_while(|n| form.has(&format!("klasse_naam_{n}")))
        .map(|n| KlasseInvoer {
            naam: form.get(&format!("klasse_naam_{n}")),
            van: form.get(&format!("klasse_van_{n}")),
            tot: form.get(&format!("klasse_tot_{n}")),
            intensiteit: form.get(&format!("klasse_intensiteit_{n}")),
        })
        .collect();
    RisicomodelInvoer {
        combinatie: form.get("combinatie"),
        criteria,
        klassen,
    }
}

pub async fn model_submit(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    let input = model_input(&form);
    let expected = form.version();
    let result = ops::save_model(&current.ctx, expected, &input).await;
    let (model, versions) = ops::models(&current.ctx).await?;
    let mut page = model_form(&current, model, &versions, input);
    page.version = expected;
    let status = match result {
        Ok(number) => {
            return Ok(redirect_with(
                "/risicoanalyse/model",
                &format!(
                    "Versie {number} van het risicomodel is opgeslagen. Analyses die al gemaakt zijn, houden hun eigen versie."
                ),
            ));
        }
        Err(OpsError::Invalid(errors)) => {
            page.errors = errors;
            StatusCode::UNPROCESSABLE_ENTITY
        }
        Err(OpsError::Conflict { .. }) => {
            page.conflict = versions.last().map(|v| (version_label(v), v.model.clone()));
            page.version = page.current.number;
            StatusCode::CONFLICT
        }
        Err(other) => return Err(other.into()),
    };
    render_with_status(&current, &page, status)
}

/// One criterion's score field on the analysis form.
pub struct EffectField {
    pub name: String,
    pub label: String,
    pub hint: String,
    pub options: Vec<Choice>,
}

/// The five scores as options, with their words, the one typed chosen.
fn score_options(value: &str, label: fn(Schaal) -> &'static str) -> Vec<Choice> {
    Choice::list(
        Schaal::ALLE
            .iter()
            .filter_map(|v| Schaal::new(*v).ok())
            .map(|s| (s.get().to_string(), format!("{} – {}", s.get(), label(s)))),
        &[value.trim().to_string()],
    )
}

#[derive(Template)]
#[template(path = "risk_field.html")]
struct FieldPage {
    layout: Layout,
    view: FieldView,
    model_label: String,
    effects: Vec<EffectField>,
    input: AnalyseInvoer,
    kans: Vec<Choice>,
    errors: FieldErrors,
    version: i64,
    model_number: i64,
    /// The analysis now in force, when someone else saved one in between.
    conflict: Option<Scored>,
    /// Why the analysis was not saved, other than the input.
    refused: Option<String>,
}

fn field_form(current: &Current, view: FieldView, input: AnalyseInvoer) -> FieldPage {
    let effects = view
        .model
        .model
        .criteria
        .iter()
        .enumerate()
        .map(|(i, c)| EffectField {
            name: format!("effect_{}", i + 1),
            label: format!("Effect: {}", c.naam),
            hint: c.uitleg.clone(),
            options: score_options(
                input.effecten.get(i).map_or("", String::as_str),
                Schaal::effect_label,
            ),
        })
        .collect();
    FieldPage {
        layout: Layout::new(
            current,
            Section::Beleidsplan,
            format!("Risicoanalyse {}", view.field.name),
        ),
        model_label: model_label(&view.model),
        effects,
        kans: score_options(&input.kans, Schaal::kans_label),
        input,
        errors: FieldErrors::default(),
        version: view.analysis_number(),
        model_number: view.model.number,
        conflict: None,
        refused: None,
        view,
    }
}

/// The form starts from the analysis in force, when it was made with the current model.
fn start_input(view: &FieldView) -> AnalyseInvoer {
    match view.history.first() {
        Some(s) if s.analysis.model_number == view.model.number => AnalyseInvoer {
            kans: s.analysis.analyse.kans.get().to_string(),
            effecten: s
                .analysis
                .analyse
                .effecten
                .iter()
                .map(|e| e.get().to_string())
                .collect(),
            toelichting: s.analysis.analyse.toelichting.clone(),
        },
        _ => AnalyseInvoer::default(),
    }
}

pub async fn field_page(current: Current, Path(id): Path<String>) -> Result<Response, WebError> {
    let view = ops::field(&current.ctx, parse_id(&id)?).await?;
    let input = start_input(&view);
    render(&current, &field_form(&current, view, input))
}

pub async fn field_submit(
    current: Current,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, WebError> {
    let id = parse_id(&id)?;
    let form = FormData::parse(&body);
    let effects = (1..=MAX_CRITERIA)
        .take_while(|n| form.has(&format!("effect_{n}")))
        .map(|n| form.get(&format!("effect_{n}")))
        .collect();
    let input = AnalyseInvoer {
        kans: form.get("kans"),
        effecten: effects,
        toelichting: form.get("toelichting"),
    };
    let expected = form.version();
    let model_number = form.get("model").trim().parse().unwrap_or(-1);
    let result = ops::save_analysis(&current.ctx, id, expected, model_number, &input).await;
    let view = ops::field(&current.ctx, id).await?;
    let name = view.field.name.clone();
    let (errors, conflict, refused, status) = match result {
        Ok(_) => {
            return Ok(redirect_with(
                "/risicoanalyse",
                &format!("De risicoanalyse van {name} is opgeslagen."),
            ));
        }
        Err(OpsError::Invalid(errors)) => (errors, false, None, StatusCode::UNPROCESSABLE_ENTITY),
        Err(OpsError::Conflict { .. }) => {
            (FieldErrors::default(), true, None, StatusCode::CONFLICT)
        }
        Err(OpsError::Refused(message)) => (
            FieldErrors::default(),
            false,
            Some(message),
            StatusCode::CONFLICT,
        ),
        Err(other) => return Err(other.into()),
    };
    // After a change of the model the scores typed belong to other criteria: they start over.
    let input = if refused.is_some() && model_number != view.model.number {
        AnalyseInvoer {
            effecten: Vec::new(),
            ..input
        }
    } else {
        input
    };
    let mut page = field_form(&current, view, input);
    page.errors = errors;
    page.refused = refused;
    if conflict {
        page.conflict = page.view.history.first().cloned();
    } else if page.refused.is_none() {
        page.version = expected;
    }
    render_with_status(&current, &page, status)
}
