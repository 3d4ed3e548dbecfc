//! Beheer › briefsjabloon: the organisation's wording of the council letter, with a preview
//! that saves nothing and a way back to the standard wording.

use super::{redirect_with, render, render_with_status};
use crate::ops::OpsError;
use crate::ops::letter_template::{self as ops, FIELD, LetterTemplate, Preview};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::http::StatusCode;
use axum::response::Response;
use koers_docs::sjabloon::{PLAATSHOUDERS, Plaatshouder};
use koers_domain::FieldErrors;

#[derive(Template)]
#[template(path = "letter_template.html")]
struct TemplatePage {
    layout: Layout,
    text: String,
    version: i64,
    is_standard: bool,
    placeholders: &'static [Plaatshouder],
    errors: FieldErrors,
    preview: Option<Preview>,
    /// Why there is no preview, when one was asked for.
    preview_problem: Option<String>,
    /// The stored text, when someone else saved in between.
    conflict: Option<String>,
}

impl TemplatePage {
    fn new(current: &Current, stored: &LetterTemplate) -> Self {
        Self {
            layout: Layout::new(current, Section::Beheer, "Briefsjabloon"),
            text: stored.text.clone(),
            version: stored.version,
            is_standard: stored.is_standard,
            placeholders: PLAATSHOUDERS,
            errors: FieldErrors::default(),
            preview: None,
            preview_problem: None,
            conflict: None,
        }
    }
}

pub async fn form(current: Current) -> Result<Response, WebError> {
    let stored = ops::template(&current.ctx).await?;
    render(&current, &TemplatePage::new(&current, &stored))
}

pub async fn submit(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    let stored = ops::template(&current.ctx).await?;
    let mut page = TemplatePage::new(&current, &stored);
    page.text = form.get(FIELD);
    page.version = form.version();
    if form.get("handeling") == "voorbeeld" {
        let status = match ops::preview(&current.ctx, &page.text).await {
            Ok(preview) => {
                page.preview = Some(preview);
                StatusCode::OK
            }
            Err(OpsError::Invalid(errors)) => {
                page.errors = errors;
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Err(OpsError::Refused(message) | OpsError::Missing(message)) => {
                page.preview_problem = Some(message);
                StatusCode::OK
            }
            Err(other) => return Err(other.into()),
        };
        return render_with_status(&current, &page, status);
    }
    match ops::save(&current.ctx, page.version, &page.text).await {
        Ok(_) => Ok(redirect_with(
            "/beheer/briefsjabloon",
            "Het briefsjabloon is opgeslagen.",
        )),
        Err(OpsError::Invalid(errors)) => {
            page.errors = errors;
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(OpsError::Conflict { .. }) => {
            page.conflict = Some(stored.text.clone());
            page.version = stored.version;
            render_with_status(&current, &page, StatusCode::CONFLICT)
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Template)]
#[template(path = "letter_template_reset.html")]
struct ResetPage {
    layout: Layout,
    version: i64,
}

/// Asks before the organisation's own wording is thrown away.
pub async fn confirm_reset(current: Current) -> Result<Response, WebError> {
    let stored = ops::template(&current.ctx).await?;
    if stored.is_standard {
        return Ok(redirect_with(
            "/beheer/briefsjabloon",
            "U gebruikt al de standaardtekst.",
        ));
    }
    let page = ResetPage {
        layout: Layout::new(&current, Section::Beheer, "Standaardtekst herstellen"),
        version: stored.version,
    };
    render(&current, &page)
}

pub async fn reset(current: Current, body: Bytes) -> Result<Response, WebError> {
    let form = FormData::parse(&body);
    match ops::reset(&current.ctx, form.version()).await {
        Ok(()) => Ok(redirect_with(
            "/beheer/briefsjabloon",
            "De standaardtekst is hersteld.",
        )),
        Err(OpsError::Conflict { .. }) => {
            let stored = ops::template(&current.ctx).await?;
            let mut page = TemplatePage::new(&current, &stored);
            page.conflict = Some(stored.text.clone());
            render_with_status(&current, &page, StatusCode::CONFLICT)
        }
        Err(other) => Err(other.into()),
    }
}
