//! The package as one PDF that is both PDF/A-2a (archiving) and PDF/UA-1 (accessibility),
//! laid out by typst used as a library.
//!
//! Koers ships one typst template (`typst/pakket.typ`) and hands it the package as DATA: the
//! model serialised to JSON in a virtual file `/pakket.json`, with the logo and every chart's
//! SVG as virtual files beside it. No user text is ever spliced into typst markup, so nothing a
//! user types can change the layout or run code. The fonts are compiled into the binary, so the
//! output does not depend on the fonts of the machine it runs on.

use super::RenderFout;
use crate::model::{Blok, Pakket};
use chrono::{DateTime, Datelike, Timelike, Utc};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

/// The package as PDF, dated now.
pub fn render(pakket: &Pakket) -> Result<Vec<u8>, RenderFout> {
    render_op(pakket, Utc::now())
}

/// The package as PDF with `gemaakt` as its creation date. PDF/A requires a date in the
/// metadata; taking it as a parameter keeps the output reproducible for tests.
pub fn render_op(pakket: &Pakket, gemaakt: DateTime<Utc>) -> Result<Vec<u8>, RenderFout> {
    if pakket.titel.trim().is_empty() {
        // PDF/UA requires a document title; better to say so than to invent one.
        return Err(RenderFout::Pdf("het pakket heeft geen titel".into()));
    }
    let wereld = Wereld::van(pakket)?;
    let uitkomst = typst::compile::<PagedDocument>(&wereld);
    // typst memoises across compilations in a global cache; without eviction a long-running
    // server would keep the traces of every package it ever rendered.
    let document = uitkomst.output.map_err(|fouten| fout(fouten.as_slice()));
    let pdf = document.and_then(|document| {
        let opties = PdfOptions {
            creator: Smart::Custom(Some("Koers".into())),
            timestamp: Some(tijdstempel(gemaakt)?),
            standards: standaarden(),
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&document, &opties).map_err(|fouten| fout(fouten.as_slice()))
    });
    typst::comemo::evict(4);
    pdf
}

/// PDF/A-2a and PDF/UA-1 together: typst checks the document against both while writing it
/// and refuses what does not conform.
fn standaarden() -> PdfStandards {
    PdfStandards::new(&[PdfStandard::A_2a, PdfStandard::Ua_1])
        .expect("PDF/A-2a and PDF/UA-1 are compatible")
}

fn tijdstempel(moment: DateTime<Utc>) -> Result<Timestamp, RenderFout> {
    let datum = Datetime::from_ymd_hms(
        moment.year(),
        moment.month() as u8,
        moment.day() as u8,
        moment.hour() as u8,
        moment.minute() as u8,
        moment.second() as u8,
    )
    .ok_or_else(|| RenderFout::Pdf(format!("ongeldige datum {moment}")))?;
    Ok(Timestamp::new_utc(datum))
}

/// typst's diagnostics as one message; they are meant for developers, since a package that
/// Koers built should never be refused.
fn fout(diagnosen: &[SourceDiagnostic]) -> RenderFout {
    let tekst = diagnosen
        .iter()
        .map(|d| {
            let mut regel = d.message.to_string();
            for hint in &d.hints {
                regel.push_str(&format!(" (hint: {})", hint.v));
            }
            regel
        })
        .collect::<Vec<_>>()
        .join("; ");
    RenderFout::Pdf(tekst)
}

// ---- What every compilation shares --------------------------------------------------------

static LETTERTYPEN: LazyLock<Vec<Font>> = LazyLock::new(|| {
    let bestanden: [&'static [u8]; 3] = [
        include_bytes!("../../fonts/NotoSans-Regular.ttf"),
        include_bytes!("../../fonts/NotoSans-Bold.ttf"),
        include_bytes!("../../fonts/NotoSans-Italic.ttf"),
    ];
    bestanden
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect()
});

static LETTERBOEK: LazyLock<LazyHash<FontBook>> =
    LazyLock::new(|| LazyHash::new(FontBook::from_fonts(LETTERTYPEN.iter())));

static BIBLIOTHEEK: LazyLock<LazyHash<Library>> =
    LazyLock::new(|| LazyHash::new(Library::default()));

/// The template, parsed once.
static SJABLOON: LazyLock<Source> = LazyLock::new(|| {
    Source::new(
        bestand("/pakket.typ"),
        include_str!("../../typst/pakket.typ").to_owned(),
    )
});

fn bestand(pad: &str) -> FileId {
    let pad = VirtualPath::new(pad).expect("a valid virtual path");
    FileId::new(RootedPath::new(VirtualRoot::Project, pad))
}

// ---- The world one package is compiled in -------------------------------------------------

/// What typst may read while compiling one package: the template, the package as JSON, the
/// logo and the charts. Nothing on disk, no packages, no clock.
struct Wereld {
    bestanden: HashMap<FileId, Bytes>,
}

impl Wereld {
    fn van(pakket: &Pakket) -> Result<Self, RenderFout> {
        let mut bestanden = HashMap::new();
        let mut gegevens = serde_json::to_value(pakket)
            .map_err(|e| RenderFout::Pdf(format!("pakket niet te lezen: {e}")))?;

        // The logo travels as a file, not as a JSON array of its bytes.
        let logo = match &pakket.huisstijl.logo {
            Some(logo) => {
                let pad = format!("/logo.{}", logo.soort.extensie());
                bestanden.insert(bestand(&pad), Bytes::new(logo.bytes.clone()));
                json!({ "pad": pad })
            }
            None => Value::Null,
        };
        gegevens["huisstijl"]["logo"] = logo;

        let mut nummer = 0;
        for (d, document) in pakket.documenten.iter().enumerate() {
            for (b, blok) in document.blokken.iter().enumerate() {
                let Blok::Grafiek(grafiek) = blok else {
                    continue;
                };
                let waarde = &mut gegevens["documenten"][d]["blokken"][b];
                // The chart's own `soort` (gestapeld, naast) shares its key with the block's
                // tag and overwrites it in the JSON; the template only needs the tag, since the
                // SVG already draws the kind of chart.
                waarde["soort"] = json!("grafiek");
                let svg = grafiek.svg();
                waarde["svg"] = if svg.is_empty() {
                    Value::Null
                } else {
                    nummer += 1;
                    let pad = format!("/grafiek-{nummer}.svg");
                    bestanden.insert(bestand(&pad), Bytes::from_string(svg));
                    json!(pad)
                };
            }
        }

        let json = serde_json::to_vec(&gegevens)
            .map_err(|e| RenderFout::Pdf(format!("pakket niet te schrijven: {e}")))?;
        bestanden.insert(bestand("/pakket.json"), Bytes::new(json));
        Ok(Self { bestanden })
    }
}

impl World for Wereld {
    fn library(&self) -> &LazyHash<Library> {
        &BIBLIOTHEEK
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &LETTERBOEK
    }

    fn main(&self) -> FileId {
        SJABLOON.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == SJABLOON.id() {
            Ok(SJABLOON.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == SJABLOON.id() {
            return Ok(Bytes::from_string(SJABLOON.clone()));
        }
        self.bestanden
            .get(&id)
            .cloned()
            .ok_or_else(|| FileError::NotFound(id.vpath().get_without_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        LETTERTYPEN.get(index).cloned()
    }

    /// The template needs no date; the creation date goes into the PDF's metadata directly.
    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}
