//! The council package (raadspakket) of a year: what it holds and where it comes from, a
//! download per format, the readability of each document, and the packages kept since the
//! programme was adopted. Downloads are plain links, so everything works without JavaScript.

use super::{dutch_date, dutch_time, parse_year, render, thousands};
use crate::app::AppState;
use crate::ops::package::{self as ops, PackageView, RenderedPackage};
use crate::web::error::WebError;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::Router;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::get;
use koers_docs::model::DocumentSoort;
use koers_docs::render::Formaat;
use koers_domain::readability::{Analysis, LONG_SENTENCE, Sentence};

/// The package page, a download per format (`/programma/2024/raadspakket.pdf`) and the kept
/// files by id.
pub fn routes() -> Router<AppState> {
    let mut router = Router::new()
        .route("/programma/{jaar}/raadspakket", get(show))
        .route("/programma/{jaar}/raadspakket/{id}", get(stored_file));
    for formaat in Formaat::ALL {
        router = router.route(
            &format!("/programma/{{jaar}}/raadspakket.{}", formaat.code()),
            get(move |current: Current, Path(jaar): Path<String>| download(current, jaar, formaat)),
        );
    }
    router
}

pub struct Download {
    pub href: String,
    pub label: &'static str,
}

/// An annex of the package.
pub struct Part {
    /// "Bijlage 1".
    pub label: String,
    pub title: String,
    /// Where it comes from: "vastgestelde versie 1" or "concept".
    pub source: String,
}

pub struct Readability {
    pub name: String,
    /// For `readability_result.html`.
    pub analysis: Option<Analysis>,
    pub error: Option<String>,
    pub long: Vec<SentenceRow>,
    pub hardest: Vec<SentenceRow>,
}

pub struct SentenceRow {
    pub text: String,
    pub words: usize,
    /// "38,2".
    pub score: String,
}

fn sentence_rows(sentences: &[Sentence]) -> Vec<SentenceRow> {
    sentences
        .iter()
        .map(|s| SentenceRow {
            text: s.text.clone(),
            words: s.words,
            score: format!("{:.1}", s.score).replace('.', ","),
        })
        .collect()
}

pub struct StoredRow {
    pub format: String,
    pub created: String,
    pub created_by: String,
    pub sha256: String,
    pub size: String,
    pub versions: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "package.html")]
struct PackagePage {
    layout: Layout,
    year: i64,
    letter: Option<String>,
    /// "versie 1, vastgesteld op 13 februari 2024", when built from the adopted programme.
    adopted: Option<String>,
    adopted_sha256: String,
    parts: Vec<Part>,
    has_evaluation: bool,
    downloads: Vec<Download>,
    readability: Vec<Readability>,
    long_limit: usize,
    stored: Vec<StoredRow>,
}

fn page(current: &Current, view: PackageView) -> PackagePage {
    let year = view.sources.programme.year;
    let letter = match (&view.letter_date, view.letter_number.trim()) {
        (Some(date), number) if !number.is_empty() => {
            Some(format!("nummer {number} van {}", dutch_date(*date)))
        }
        (Some(date), _) => Some(format!("van {}", dutch_date(*date))),
        (None, number) if !number.is_empty() => Some(format!("nummer {number}")),
        (None, _) => None,
    };
    let adopted = view.sources.programme_version.as_ref().map(|v| {
        format!(
            "versie {}, vastgesteld op {}",
            v.number,
            dutch_date(v.decided_on)
        )
    });
    // The letter is described by its number and date; the parts listed are its annexes.
    let parts = view
        .pakket
        .documenten
        .iter()
        .filter_map(|d| {
            let version = match d.soort {
                DocumentSoort::Brief => return None,
                DocumentSoort::Evaluatie => view.sources.evaluation_version.as_ref(),
                DocumentSoort::Programma => view.sources.programme_version.as_ref(),
            };
            Some(Part {
                label: d.label.clone(),
                title: d.titel.clone(),
                source: version.map_or_else(
                    || "concept: zoals het nu in Koers staat".to_string(),
                    |v| format!("vastgestelde versie {}", v.number),
                ),
            })
        })
        .collect();
    let stored = view
        .stored
        .iter()
        .map(|p| StoredRow {
            format: Formaat::from_code(&p.format)
                .map_or_else(|| p.format.clone(), |f| f.label().to_string()),
            created: dutch_time(p.created_at),
            created_by: p.created_by.clone(),
            sha256: p.sha256.clone(),
            size: format!("{} kB", thousands((p.size + 1023) / 1024)),
            versions: match p.evaluation_version {
                Some(e) => format!(
                    "programma versie {}, evaluatie versie {e}",
                    p.programme_version
                ),
                None => format!("programma versie {}", p.programme_version),
            },
            href: format!("/programma/{year}/raadspakket/{}", p.id),
        })
        .collect();
    PackagePage {
        layout: Layout::new(current, Section::Programma, format!("Raadspakket {year}"))
            .with_year(year),
        year,
        letter,
        adopted,
        adopted_sha256: view
            .sources
            .programme_version
            .as_ref()
            .map(|v| v.sha256.clone())
            .unwrap_or_default(),
        parts,
        has_evaluation: view.sources.has_evaluation,
        downloads: Formaat::ALL
            .into_iter()
            .map(|f| Download {
                href: format!("/programma/{year}/raadspakket.{}", f.code()),
                label: f.label(),
            })
            .collect(),
        readability: view
            .readability
            .into_iter()
            .map(|r| Readability {
                name: r.name,
                long: sentence_rows(&r.analysis.long_sentences),
                hardest: sentence_rows(&r.analysis.hardest),
                analysis: Some(r.analysis),
                error: None,
            })
            .collect(),
        long_limit: LONG_SENTENCE,
        stored,
    }
}

pub async fn show(current: Current, Path(jaar): Path<String>) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let view = ops::view(&current.ctx, year).await?;
    render(&current, &page(&current, view))
}

async fn download(current: Current, jaar: String, formaat: Formaat) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let package = ops::render(&current.ctx, year, formaat).await?;
    Ok(file_response(package))
}

pub async fn stored_file(
    current: Current,
    Path((jaar, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let year = parse_year(&jaar)?;
    let package = ops::stored_file(&current.ctx, year, &id).await?;
    Ok(file_response(package))
}

/// The file as an attachment: never shown inline, so a package in HTML opens as a file of its
/// own and not as a page of Koers. The name is built from codes and the year only.
pub fn file_response(package: RenderedPackage) -> Response {
    super::attachment(&package.filename, package.mime, package.bytes)
}
