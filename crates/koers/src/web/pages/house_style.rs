//! Beheer › huisstijl: team name, colour, sender, addressee, signatories and logo, in one
//! multipart form (the logo is a file). The logo itself is served to the organisation's users
//! for the page's preview.

use super::{redirect_with, render, render_with_status};
use crate::ops::OpsError;
use crate::ops::house_style::{
    self as ops, HouseStyleInput, LogoUpload, MAX_SIGNATORIES, logo, signatory_function_field,
    signatory_name_field,
};
use crate::web::error::WebError;
use crate::web::layout::{Layout, Section};
use crate::web::session::Current;
use askama::Template;
use axum::extract::Multipart;
use axum::extract::multipart::{Field, MultipartRejection};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use koers_domain::FieldErrors;
use koers_store::house_style::HouseStyle;

/// The largest request body the upload takes. A logo over 1 MB is still read to the end (and
/// counted, not kept) up to this size, so the user hears how large it is instead of getting a
/// bare 413.
pub const UPLOAD_BODY_LIMIT: usize = 16 * 1024 * 1024;

/// A text field of the form is never longer than this; more is cut off and then refused as too
/// long by the validation.
const TEXT_FIELD_LIMIT: usize = 64 * 1024;

/// One row of the signatories table.
pub struct SignatoryRow {
    pub n: usize,
    pub name_field: String,
    pub function_field: String,
    pub name: String,
    pub function: String,
}

#[derive(Template)]
#[template(path = "house_style.html")]
struct HouseStylePage {
    layout: Layout,
    input: HouseStyleInput,
    signatories: Vec<SignatoryRow>,
    /// The stored logo: its format and size in words.
    logo: Option<(String, String)>,
    /// Ticked "remove logo" as posted.
    remove_logo: bool,
    errors: FieldErrors,
    version: i64,
    /// The stored house style, when someone else saved in between.
    conflict: Option<HouseStyle>,
}

fn signatory_rows(input: &HouseStyleInput) -> Vec<SignatoryRow> {
    (1..=MAX_SIGNATORIES)
        .map(|n| {
            let (name, function) = input.signatories.get(n - 1).cloned().unwrap_or_default();
            SignatoryRow {
                n,
                name_field: signatory_name_field(n),
                function_field: signatory_function_field(n),
                name,
                function,
            }
        })
        .collect()
}

fn logo_summary(style: &HouseStyle) -> Option<(String, String)> {
    style.logo.as_ref().map(|(kind, bytes)| {
        (
            kind.label().to_string(),
            logo::size_in_words(bytes.len() as u64),
        )
    })
}

pub async fn form(current: Current) -> Result<Response, WebError> {
    let style = ops::for_editing(&current.ctx).await?;
    let input = HouseStyleInput::of(&style);
    let page = HouseStylePage {
        layout: Layout::new(&current, Section::Beheer, "Huisstijl"),
        signatories: signatory_rows(&input),
        input,
        logo: logo_summary(&style),
        remove_logo: false,
        errors: FieldErrors::default(),
        version: style.version,
        conflict: None,
    };
    render(&current, &page)
}

/// The form as posted. `problem` is set when the body could not be read to the end.
#[derive(Default)]
struct Posted {
    fields: Vec<(String, String)>,
    logo: Option<(Vec<u8>, u64)>,
    problem: Option<String>,
}

impl Posted {
    fn get(&self, name: &str) -> String {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// The colour the user meant: the text field if they changed it, otherwise the colour
    /// picker if they changed that (without JavaScript the two do not follow each other).
    fn colour(&self) -> String {
        let before = self.get("colour_before");
        let typed = self.get("colour");
        let picked = self.get("colour_picker");
        if typed.trim() != before || picked.is_empty() || picked.eq_ignore_ascii_case(&before) {
            typed
        } else {
            picked
        }
    }

    fn input(&self) -> HouseStyleInput {
        HouseStyleInput {
            team: self.get("team"),
            colour: self.colour(),
            sender: self.get("sender"),
            addressee: self.get("addressee"),
            signatories: (1..=MAX_SIGNATORIES)
                .map(|n| {
                    (
                        self.get(&signatory_name_field(n)),
                        self.get(&signatory_function_field(n)),
                    )
                })
                .collect(),
        }
    }
}

/// Reads a field's bytes, keeping at most `keep` of them and counting all.
async fn read_capped(field: &mut Field<'_>, keep: usize) -> Result<(Vec<u8>, u64), String> {
    let mut kept = Vec::new();
    let mut size: u64 = 0;
    loop {
        match field.chunk().await {
            Ok(Some(chunk)) => {
                size += chunk.len() as u64;
                let room = keep.saturating_sub(kept.len());
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) => return Ok((kept, size)),
            Err(e) => return Err(e.body_text()),
        }
    }
}

async fn read_form(mut multipart: Multipart) -> Posted {
    let mut posted = Posted::default();
    let too_large = format!(
        "Het logo is groter dan {} MB; het mag hoogstens 1 MB zijn.",
        UPLOAD_BODY_LIMIT / (1024 * 1024)
    );
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => {
                posted.problem = Some(if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    too_large
                } else {
                    "Het formulier kwam niet goed door. Probeer het opnieuw.".into()
                });
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_string();
        let is_file = field.file_name().is_some();
        let keep = if is_file {
            logo::MAX_BYTES + 1
        } else {
            TEXT_FIELD_LIMIT
        };
        match read_capped(&mut field, keep).await {
            Ok((bytes, size)) if name == "logo" && is_file => {
                // A file input left empty still sends a part, without bytes.
                if size > 0 {
                    posted.logo = Some((bytes, size));
                }
            }
            Ok((bytes, _)) => posted
                .fields
                .push((name, String::from_utf8_lossy(&bytes).into_owned())),
            Err(_) => {
                posted.problem = Some(if is_file {
                    too_large
                } else {
                    "Het formulier kwam niet goed door. Probeer het opnieuw.".into()
                });
                break;
            }
        }
    }
    posted
}

pub async fn save(
    current: Current,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, WebError> {
    // The page's form always sends multipart; anything else did not come from it.
    let multipart = multipart.map_err(|_| {
        WebError::BadRequest("Verstuur de huisstijl met het formulier op deze pagina.".into())
    })?;
    let posted = read_form(multipart).await;
    let input = posted.input();
    let version = posted.get("versie").trim().parse().unwrap_or(0);
    let remove_logo = !posted.get("remove_logo").is_empty();
    let upload = match (&posted.logo, remove_logo) {
        (Some((bytes, size)), _) => LogoUpload::File {
            bytes: bytes.clone(),
            size: *size,
        },
        (None, true) => LogoUpload::Remove,
        (None, false) => LogoUpload::Keep,
    };
    let outcome = match &posted.problem {
        // The body was cut short: nothing is saved, whatever else was in it.
        Some(problem) => {
            current.ctx.require(current.ctx.role().may_administer())?;
            Err(OpsError::Invalid(FieldErrors::single(
                "logo",
                problem.clone(),
            )))
        }
        None => ops::save(&current.ctx, version, &input, upload).await,
    };
    let (errors, conflict) = match outcome {
        Ok(_) => {
            return Ok(redirect_with(
                "/beheer/huisstijl",
                "De huisstijl is opgeslagen.",
            ));
        }
        Err(OpsError::Invalid(errors)) => (errors, None),
        Err(OpsError::Conflict { .. }) => (
            FieldErrors::default(),
            Some(ops::house_style(&current.ctx).await?),
        ),
        Err(other) => return Err(other.into()),
    };
    let stored = match &conflict {
        Some(stored) => stored.clone(),
        None => ops::house_style(&current.ctx).await?,
    };
    let status = if conflict.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = HouseStylePage {
        layout: Layout::new(&current, Section::Beheer, "Huisstijl"),
        signatories: signatory_rows(&input),
        input,
        logo: logo_summary(&stored),
        remove_logo,
        errors,
        version: if conflict.is_some() {
            stored.version
        } else {
            version
        },
        conflict,
    };
    render_with_status(&current, &page, status)
}

/// The stored logo, for the organisation's own pages. The bytes were checked when they were
/// uploaded; `nosniff` (set on every response) keeps browsers from reading them as anything
/// else.
pub async fn logo_file(current: Current) -> Result<Response, WebError> {
    let style = ops::house_style(&current.ctx).await?;
    let Some((kind, bytes)) = style.logo else {
        return Err(WebError::NotFound);
    };
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind.mime()));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    let disposition = format!("inline; filename=\"logo.{}\"", kind.code());
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}
