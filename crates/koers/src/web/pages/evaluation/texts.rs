//! The small forms of an evaluation: its texts, a conclusion per theme, an attention point.

use super::percent;
use crate::ops::OpsError;
use crate::ops::evaluation::{self as ops, EvaluationView};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::pages::{parse_id, parse_year, redirect_with, render_with_status, thousands};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::StatusCode;
use axum::response::Response;
use koers_domain::evaluation_forms::EvaluatieTekstenInvoer;
use koers_domain::{FieldErrors, Jaar, Uitkomst};
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
