//! The adoption page of a year: the programme and its evaluation on their way to the college and
//! the council, the frozen versions with their SHA-256, and what changed since adoption.

use super::{dutch_date, dutch_time, parse_id, parse_year, redirect_with, render_with_status};
use crate::ops::OpsError;
use crate::ops::adoption::{self as ops, AdoptionView, StapInvoer};
use crate::web::error::WebError;
use crate::web::form::FormData;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use koers_domain::{FieldErrors, Jaar, Stap, Vaststelling};
use koers_store::adoption::{AdoptionState, Document};

/// One step of the stepper.
pub struct StepView {
    pub label: &'static str,
    /// "done", "current" or "todo".
    pub state: &'static str,
    pub detail: String,
}

/// A step the user can take now, as a form.
pub struct StepForm {
    pub code: &'static str,
    pub label: &'static str,
    /// "plain", "besluit" or "brief".
    pub kind: &'static str,
    pub primary: bool,
}

/// The programme or the evaluation, with its status and what can be done next.
pub struct DocumentView {
    pub code: &'static str,
    pub heading: String,
    pub status_label: &'static str,
    pub steps: Vec<StepView>,
    pub version: i64,
    pub forms: Vec<StepForm>,
    pub errors: FieldErrors,
    pub input: StapInvoer,
    /// A remark above the forms, e.g. which actions still lack an outcome.
    pub note: String,
}

pub struct VersionRow {
    pub document: &'static str,
    pub number: i64,
    pub decided_on: String,
    pub reference: String,
    pub frozen: String,
    pub sha256: String,
    pub href: String,
}

pub struct ChangeRow {
    pub label: &'static str,
    pub old: String,
    pub new: String,
}

pub struct ChangedAction {
    pub code: String,
    pub title: String,
    pub href: String,
    pub fields: Vec<ChangeRow>,
}

pub struct ChangesView {
    pub since: String,
    pub number: i64,
    pub summary: String,
    pub is_empty: bool,
    pub added: Vec<ChangedAction>,
    pub removed: Vec<ChangedAction>,
    pub changed: Vec<ChangedAction>,
    pub programme: Vec<ChangeRow>,
}

#[derive(Template)]
#[template(path = "adoption.html")]
struct AdoptionPage {
    layout: Layout,
    year: i64,
    documents: Vec<DocumentView>,
    versions: Vec<VersionRow>,
    changes: Option<ChangesView>,
    /// Shown when the user's step met a change by someone else.
    conflict: bool,
}

fn stepper(state: &AdoptionState) -> Vec<StepView> {
    let position = |s: Vaststelling| Vaststelling::ALL.iter().position(|x| *x == s);
    let current = position(state.status);
    Vaststelling::ALL
        .iter()
        .map(|s| {
            let at = position(*s);
            let state_word = match at.cmp(&current) {
                std::cmp::Ordering::Less => "done",
                std::cmp::Ordering::Equal => "current",
                std::cmp::Ordering::Greater => "todo",
            };
            let reached = state_word != "todo";
            let detail = match s {
                Vaststelling::Vastgesteld if reached => match state.decided_on {
                    Some(date) => format!(
                        "Besluit van {} ({})",
                        dutch_date(date),
                        state.decision_reference
                    ),
                    None => String::new(),
                },
                Vaststelling::TerKennisname if reached => match state.council_letter_date {
                    Some(date) => format!(
                        "Raadsinformatiebrief {} van {}",
                        state.council_letter_number,
                        dutch_date(date)
                    ),
                    None => String::new(),
                },
                _ => String::new(),
            };
            StepView {
                label: s.label(),
                state: state_word,
                detail,
            }
        })
        .collect()
}

fn document_view(
    view: &AdoptionView,
    document: Document,
    errors: FieldErrors,
    input: StapInvoer,
) -> DocumentView {
    let year = view.programme.year;
    let state = match document {
        Document::Programma => &view.programme_state,
        Document::Evaluatie => &view.evaluation_state,
    };
    // An evaluation with actions still unevaluated cannot go to the college; its forms would
    // only give an error, so they are not offered.
    let incomplete = document == Document::Evaluatie && !view.unevaluated.is_empty();
    let forms = if view.may_edit {
        state
            .status
            .next_steps()
            .iter()
            .filter(|step| {
                !(incomplete && matches!(step, Stap::AanbiedenTerVaststelling | Stap::Vaststellen))
            })
            .enumerate()
            .map(|(i, step)| StepForm {
                code: step.code(),
                label: match (step, state.status.is_adopted()) {
                    (Stap::AanbiedenTerVaststelling, true) => "Gewijzigde versie opnieuw aanbieden",
                    _ => step.label(),
                },
                kind: match step {
                    Stap::Vaststellen => "besluit",
                    Stap::AanDeRaad => "brief",
                    _ => "plain",
                },
                // Offering an adopted document again is the rare step, never the obvious one.
                primary: i == 0
                    && !(state.status.is_adopted() && *step == Stap::AanbiedenTerVaststelling),
            })
            .collect()
    } else {
        Vec::new()
    };
    let note = match document {
        Document::Evaluatie if !view.unevaluated.is_empty() && !state.status.is_adopted() => {
            format!(
                "Nog niet geëvalueerd: {}. De evaluatie kan pas ter vaststelling worden aangeboden als elke actie een uitkomst heeft.",
                ops::named(&view.unevaluated)
            )
        }
        _ => String::new(),
    };
    DocumentView {
        code: document.code(),
        heading: match document {
            Document::Programma => format!("Uitvoeringsprogramma {year}"),
            Document::Evaluatie => format!("Evaluatie van het programma {year}"),
        },
        status_label: state.status.label(),
        steps: stepper(state),
        version: state.version,
        forms,
        errors,
        input,
        note,
    }
}

fn action_href(year: i64, code: &str) -> String {
    format!(
        "/programma/{year}/acties/{}",
        form_urlencoded::byte_serialize(code.as_bytes()).collect::<String>()
    )
}

fn page(
    current: &Current,
    view: &AdoptionView,
    posted: Option<(Document, FieldErrors, StapInvoer)>,
    conflict: bool,
) -> AdoptionPage {
    let year = view.programme.year;
    let documents = Document::ALL
        .iter()
        .map(|d| match &posted {
            Some((document, errors, input)) if document == d => {
                document_view(view, *d, errors.clone(), input.clone())
            }
            _ => document_view(view, *d, FieldErrors::default(), StapInvoer::default()),
        })
        .collect();
    let versions = view
        .versions
        .iter()
        .map(|v| VersionRow {
            document: match v.kind {
                Document::Programma => "Uitvoeringsprogramma",
                Document::Evaluatie => "Evaluatie",
            },
            number: v.number,
            decided_on: dutch_date(v.decided_on),
            reference: v.decision_reference.clone(),
            frozen: format!("{} door {}", dutch_time(v.frozen_at), v.frozen_by),
            sha256: v.sha256.clone(),
            href: format!(
                "/programma/{year}/vaststelling/{}/{}.json",
                v.kind.code(),
                v.number
            ),
        })
        .collect();
    let changes = view.changes.as_ref().map(|(version, changes)| {
        let listed = |list: &[ops::ActionChange], link: bool| {
            list.iter()
                .map(|a| ChangedAction {
                    code: a.code.clone(),
                    title: a.title.clone(),
                    href: if link {
                        action_href(year, &a.code)
                    } else {
                        String::new()
                    },
                    fields: a
                        .fields
                        .iter()
                        .map(|f| ChangeRow {
                            label: f.label,
                            old: f.old.clone(),
                            new: f.new.clone(),
                        })
                        .collect(),
                })
                .collect()
        };
        ChangesView {
            since: dutch_date(version.decided_on),
            number: version.number,
            summary: changes.summary(),
            is_empty: changes.is_empty(),
            added: listed(&changes.added, true),
            removed: listed(&changes.removed, false),
            changed: listed(&changes.changed, true),
            programme: changes
                .programme
                .iter()
                .map(|f| ChangeRow {
                    label: f.label,
                    old: f.old.clone(),
                    new: f.new.clone(),
                })
                .collect(),
        }
    });
    AdoptionPage {
        layout: Layout::new(current, Section::Programma, format!("Vaststelling {year}"))
            .with_year(year),
        year,
        documents,
        versions,
        changes,
        conflict,
    }
}

pub async fn show(current: Current, Path(jaar): Path<String>) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let view = ops::view(&current.ctx, year).await?;
    render_with_status(
        &current,
        &page(&current, &view, None, false),
        StatusCode::OK,
    )
}

fn input_of(form: &FormData) -> StapInvoer {
    StapInvoer {
        step: form.get("stap"),
        besluit: koers_domain::BesluitInvoer {
            decided_on: form.get("decided_on"),
            decision_reference: form.get("decision_reference"),
        },
        brief: koers_domain::RaadsbriefInvoer {
            letter_number: form.get("letter_number"),
            letter_date: form.get("letter_date"),
        },
    }
}

fn done_message(year: Jaar, document: Document, input: &StapInvoer, number: Option<i64>) -> String {
    let name = match document {
        Document::Programma => format!("Het uitvoeringsprogramma {year}"),
        Document::Evaluatie => format!("De evaluatie van {year}"),
    };
    match (Stap::from_code(&input.step), number) {
        (Some(Stap::Vaststellen), Some(n)) => format!(
            "{name} is vastgesteld en als versie {n} vastgelegd. Deze versie kan niet meer veranderen."
        ),
        (Some(Stap::AanDeRaad), _) => format!("{name} staat nu ter kennisname bij de raad."),
        (Some(Stap::TerugNaarConcept), _) => format!("{name} is weer een concept."),
        _ => format!("{name} is aangeboden ter vaststelling."),
    }
}

pub async fn step(
    current: Current,
    Path((jaar, soort)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let document = ops::document(&soort)?;
    let form = FormData::parse(&body);
    let input = input_of(&form);
    match ops::take_step(&current.ctx, year, document, form.version(), &input).await {
        Ok(frozen) => Ok(redirect_with(
            &format!("/programma/{year}/vaststelling#{}", document.code()),
            &done_message(year, document, &input, frozen.map(|f| f.number)),
        )),
        Err(OpsError::Invalid(errors)) => {
            let view = ops::view(&current.ctx, year).await?;
            let page = page(&current, &view, Some((document, errors, input)), false);
            render_with_status(&current, &page, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(OpsError::Conflict { .. }) => {
            let view = ops::view(&current.ctx, year).await?;
            let page = page(
                &current,
                &view,
                Some((document, FieldErrors::default(), input)),
                true,
            );
            render_with_status(&current, &page, StatusCode::CONFLICT)
        }
        Err(other) => Err(other.into()),
    }
}

/// The canonical JSON of a frozen version, as a download. The body is the stored bytes, so its
/// SHA-256 is the one shown on the page.
pub async fn download(
    current: Current,
    Path((jaar, soort, bestand)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let document = ops::document(&soort)?;
    let number = bestand.strip_suffix(".json").ok_or(WebError::NotFound)?;
    parse_id(number)?;
    let version = ops::version(&current.ctx, year, document, number).await?;
    let file_name = format!("{}-{year}-versie-{}.json", document.code(), version.number);
    let mut response = version.content.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
