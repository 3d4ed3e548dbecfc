//! The organisation's own wording of the council letter: one template per organisation, or none,
//! which means Koers' standard wording. Beleidsadviseurs and beheerders edit it; a preview shows
//! the letter of the newest programme year as it would be, without saving anything.

use super::{Ctx, OpsError};
use koers_docs::model::{Document, DocumentSoort};
use koers_docs::sjabloon::{STANDAARD, Sjabloon};
use koers_domain::{FieldErrors, Jaar, Lines, bounded_text};

/// A letter is a page or two; a template of this length is far beyond any real one.
pub const MAX_CHARS: usize = 20_000;

/// The form field, also the key of its errors.
pub const FIELD: &str = "tekst";

/// The template in force: the organisation's own, or the standard wording (version 0).
#[derive(Debug, Clone)]
pub struct LetterTemplate {
    pub text: String,
    pub version: i64,
    pub is_standard: bool,
}

/// A letter as the preview shows it: an HTML fragment made by the document renderer, which
/// escapes every text, so the page inserts it as it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub html: String,
}

pub async fn template(ctx: &Ctx) -> Result<LetterTemplate, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    Ok(match ctx.store.letter_template(ctx.org()).await? {
        Some((text, version)) => LetterTemplate {
            text,
            version,
            is_standard: false,
        },
        None => LetterTemplate {
            text: STANDAARD.to_string(),
            version: 0,
            is_standard: true,
        },
    })
}

/// The text as a template: bounded, free of control characters, every placeholder known.
pub fn checked(text: &str) -> Result<String, FieldErrors> {
    let text = bounded_text(text, MAX_CHARS, Lines::Many)
        .map_err(|e| FieldErrors::single(FIELD, e.to_string()))?;
    if text.is_empty() {
        return Err(FieldErrors::single(
            FIELD,
            "De brief heeft tekst nodig. Kies ‘Standaardtekst herstellen’ om met de standaardtekst te beginnen.",
        ));
    }
    Sjabloon::parse(&text).map_err(|faults| {
        let mut errors = FieldErrors::default();
        for fault in faults {
            errors.add(FIELD, fault.to_string());
        }
        errors
    })?;
    Ok(text)
}

/// Saves the template if nobody else did since `version`. Returns the new version.
pub async fn save(ctx: &Ctx, version: i64, text: &str) -> Result<i64, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let text = checked(text)?;
    Ok(ctx
        .store
        .save_letter_template(&ctx.actor(), version, &text)
        .await?)
}

/// Goes back to the standard wording, if nobody changed the template since `version`.
pub async fn reset(ctx: &Ctx, version: i64) -> Result<(), OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    Ok(ctx
        .store
        .reset_letter_template(&ctx.actor(), version)
        .await?)
}

/// The letter of the newest programme year with `text` as its template; nothing is saved.
pub async fn preview(ctx: &Ctx, text: &str) -> Result<Preview, OpsError> {
    ctx.require(ctx.role().may_edit_plan())?;
    let text = checked(text)?;
    let newest = ctx
        .store
        .programmes(ctx.org())
        .await?
        .into_iter()
        .map(|p| p.year)
        .max()
        .ok_or_else(|| {
            OpsError::Refused(
                "Er is nog geen programma. Het voorbeeld toont de brief bij het nieuwste programma; maak eerst een programma.".into(),
            )
        })?;
    let year = Jaar::new(newest).map_err(|e| OpsError::Internal(anyhow::anyhow!("{e}")))?;
    let mut invoer = super::package::invoer(ctx, year).await?;
    invoer.sjabloon = text;
    let pakket = koers_docs::bouw::pakket(&invoer).map_err(|e| match e {
        koers_docs::bouw::BouwFout::Sjabloon(faults) => {
            let mut errors = FieldErrors::default();
            for fault in faults {
                errors.add(FIELD, fault.to_string());
            }
            OpsError::Invalid(errors)
        }
    })?;
    let letter = pakket
        .documenten
        .iter()
        .find(|d| d.soort == DocumentSoort::Brief)
        .ok_or_else(|| OpsError::Internal(anyhow::anyhow!("the package has no letter")))?;
    Ok(letter_preview(letter))
}

/// The letter laid out for the page by the document renderer, which escapes every text.
fn letter_preview(letter: &Document) -> Preview {
    Preview {
        html: koers_docs::render::html::fragment(letter),
    }
}
