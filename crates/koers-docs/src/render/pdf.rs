//! The package as one PDF that is both PDF/A-2a (archiving) and PDF/UA-1 (accessibility),
//! laid out by typst used as a library.
//!
//! Koers ships one typst template (`typst/pakket.typ`) and hands it the package as DATA: the
//! model serialised to JSON in a virtual file `/pakket.json`, with the logo and every chart's
//! SVG as virtual files beside it. No user text is ever spliced into typst markup, so nothing a
//! user types can change the layout or run code. The fonts are compiled into the binary, so the
//! output does not depend on the fonts of the machine it runs on.

mod afbreken;

use super::RenderFout;
use crate::model::{Blok, Grafiek, Pakket};
use chrono::{DateTime, Datelike, Timelike, Utc};
use serde_json::{Value, json};
use std::borrow::Cow;
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

/// The package as PDF, dated with the package's date (noon UTC, so the day is the same in the
/// Netherlands), or now for a concept.
pub fn render(pakket: &Pakket) -> Result<Vec<u8>, RenderFout> {
    let gemaakt = pakket
        .datum
        .and_then(|d| d.and_hms_opt(12, 0, 0))
        .map_or_else(Utc::now, |d| d.and_utc());
    render_op(pakket, gemaakt)
}

/// The package as PDF with `gemaakt` as its creation date. PDF/A requires a date in the
/// metadata; taking it as a parameter keeps the output reproducible for tests.
pub fn render_op(pakket: &Pakket, gemaakt: DateTime<Utc>) -> Result<Vec<u8>, RenderFout> {
    compileer(pakket, gemaakt, &Grafiek::svg)
}

/// The package as PDF, each chart drawn by `teken`.
fn compileer(
    pakket: &Pakket,
    gemaakt: DateTime<Utc>,
    teken: &dyn Fn(&Grafiek) -> String,
) -> Result<Vec<u8>, RenderFout> {
    if pakket.titel.trim().is_empty() {
        // PDF/UA requires a document title; better to say so than to invent one.
        return Err(RenderFout::Pdf("het pakket heeft geen titel".into()));
    }
    let wereld = Wereld::van(pakket, teken)?;
    let document = typst::compile::<PagedDocument>(&wereld)
        .output
        .map_err(|fouten| fout(fouten.as_slice()));
    // typst memoises in a global cache that is filled during layout and kept after it. The
    // laid-out document owns its frames, and the export does not need the cache, so it goes
    // before the export: otherwise the cache and the PDF being written are in memory at the
    // same time, which is where the heap's peak was. Nothing is kept warm for the next
    // package: it shares too little with this one (its own data, its own charts) to gain
    // from it, and a long-running server does not keep the traces of every package.
    typst::comemo::evict(0);
    let document = document?;
    let opties = PdfOptions {
        creator: Smart::Custom(Some("Koers".into())),
        timestamp: Some(tijdstempel(gemaakt)?),
        standards: standaarden(),
        ..PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&document, &opties).map_err(|fouten| fout(fouten.as_slice()));
    // The export memoises a little of its own.
    typst::comemo::evict(0);
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
    super::lettertypen::BESTANDEN
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
    fn van(pakket: &Pakket, teken: &dyn Fn(&Grafiek) -> String) -> Result<Self, RenderFout> {
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
                let waarde = &mut gegevens["documenten"][d]["blokken"][b];
                match blok {
                    Blok::Tabel(tabel) => afbreken::markeer(tabel, waarde),
                    Blok::Grafiek(grafiek) => {
                        afbreken::markeer(&grafiek.tabel, &mut waarde["tabel"]);
                        let svg = teken(grafiek);
                        waarde["svg"] = if svg.is_empty() {
                            Value::Null
                        } else {
                            nummer += 1;
                            let pad = format!("/grafiek-{nummer}.svg");
                            bestanden.insert(bestand(&pad), Bytes::from_string(svg));
                            json!(pad)
                        };
                    }
                    _ => {}
                }
            }
        }

        zetbaar_maken(&mut gegevens);
        let mut tekens = String::new();
        wiskundetekens_in(&gegevens, &mut tekens);
        gegevens["wiskundetekens"] = json!(tekens);
        let json = serde_json::to_vec(&gegevens)
            .map_err(|e| RenderFout::Pdf(format!("pakket niet te schrijven: {e}")))?;
        bestanden.insert(bestand("/pakket.json"), Bytes::new(json));
        Ok(Self { bestanden })
    }
}

/// Makes every text in the data settable in the embedded fonts (see [`zetbaar`]).
fn zetbaar_maken(waarde: &mut Value) {
    match waarde {
        Value::String(tekst) => {
            if let Cow::Owned(nieuw) = zetbaar(tekst) {
                *tekst = nieuw;
            }
        }
        Value::Array(lijst) => lijst.iter_mut().for_each(zetbaar_maken),
        Value::Object(velden) => velden.values_mut().for_each(zetbaar_maken),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The signs Noto Sans would build from two glyphs (≠ as = with a combining stroke, which
/// prints badly); Noto Sans Math has them whole.
const WISKUNDETEKENS: [char; 4] = ['\u{2260}', '\u{2262}', '\u{2270}', '\u{2271}'];

/// Collects in `tekens` which of [`WISKUNDETEKENS`] the texts in the data use. The template
/// names Noto Sans Math first for those signs only, and only if there are any: a font named
/// first for a few signs still shapes every text before the next font does, which doubles
/// the cost of shaping.
fn wiskundetekens_in(waarde: &Value, tekens: &mut String) {
    match waarde {
        Value::String(tekst) => {
            for teken in tekst.chars().filter(|c| WISKUNDETEKENS.contains(c)) {
                if !tekens.contains(teken) {
                    tekens.push(teken);
                }
            }
        }
        Value::Array(lijst) => lijst.iter().for_each(|w| wiskundetekens_in(w, tekens)),
        Value::Object(velden) => velden.values().for_each(|w| wiskundetekens_in(w, tekens)),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// The text with every character the embedded fonts cannot draw (an emoji, a name in Chinese
/// script) replaced by a visible stand-in, and invisible format characters that no font has
/// (joiners, variation selectors) left out. PDF/A forbids a missing glyph, so typst would
/// refuse the whole package for one emoji in a note; this way only that character is lost,
/// and only in the PDF.
fn zetbaar(tekst: &str) -> Cow<'_, str> {
    if tekst.chars().all(heeft_glyph) {
        return Cow::Borrowed(tekst);
    }
    Cow::Owned(
        tekst
            .chars()
            .filter_map(|c| match c {
                c if heeft_glyph(c) => Some(c),
                '\u{200B}'..='\u{200F}'
                | '\u{2060}'..='\u{2064}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{E0100}'..='\u{E01EF}' => None,
                _ => Some(*VERVANGER),
            })
            .collect(),
    )
}

/// Whether an embedded font has the character; typst falls back to the font that has it.
/// Line breaks and tabs are layout, not glyphs.
fn heeft_glyph(c: char) -> bool {
    matches!(c, '\n' | '\t')
        || LETTERTYPEN
            .iter()
            .any(|font| font.info().coverage.contains(u32::from(c)))
}

/// What stands in for a character the fonts lack: the Unicode replacement character where
/// the fonts have it.
static VERVANGER: LazyLock<char> = LazyLock::new(|| {
    ['\u{FFFD}', '\u{25A1}']
        .into_iter()
        .find(|&c| heeft_glyph(c))
        .unwrap_or('?')
});

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Document, DocumentSoort, GrafiekSoort, Kolom, Stijl, Tabel, Uitlijning};

    #[test]
    fn text_the_fonts_can_set_stays_as_typed() {
        let tekst = "Ééntje: € 1.300,– “zo” … ‘niet’ • 3 ≥ 2 ≠ 1 → — Ærø ß\nnieuwe regel";
        let ontbreekt: Vec<char> = tekst.chars().filter(|&c| !heeft_glyph(c)).collect();
        assert_eq!(ontbreekt, Vec::<char>::new());
        assert!(matches!(zetbaar(tekst), Cow::Borrowed(_)));
    }

    #[test]
    fn a_character_the_fonts_lack_gets_a_stand_in_and_joiners_go() {
        assert_eq!(*VERVANGER, '\u{FFFD}');
        assert_eq!(zetbaar("Top 👍 werk"), "Top \u{FFFD} werk");
        assert_eq!(zetbaar("北京"), "\u{FFFD}\u{FFFD}");
        assert_eq!(zetbaar("\u{2713} klaar"), "\u{FFFD} klaar");
        // An emoji variation selector has no glyph of its own and is left out.
        assert_eq!(zetbaar("ok\u{FE0F}"), "ok");
    }

    fn met_grafiek() -> Pakket {
        let tabel = Tabel {
            bijschrift: "Uren per subteam".into(),
            kolommen: vec![Kolom {
                kop: "Subteam".into(),
                uitlijning: Uitlijning::Links,
                breedte: 1,
            }],
            rijen: vec![vec!["Toezicht".into()]],
            totaal: None,
        };
        Pakket {
            titel: "Pakket".into(),
            organisatie: "Gemeente Ergens".into(),
            taal: "nl",
            datum: None,
            huisstijl: Stijl {
                kleur: "#f0c000".into(),
                logo: None,
            },
            documenten: vec![Document {
                soort: DocumentSoort::Evaluatie,
                label: "Bijlage 1".into(),
                titel: "Evaluatie".into(),
                blokken: vec![Blok::Grafiek(Grafiek {
                    titel: "Geplande en bestede uren".into(),
                    tekstalternatief: "Toezicht besteedde 120 van de 100 geplande uren.".into(),
                    soort: GrafiekSoort::Naast,
                    categorieen: vec!["Toezicht".into()],
                    reeksen: vec![],
                    eenheid: "uur".into(),
                    decimalen: 0,
                    tabel,
                })],
            }],
        }
    }

    fn gemaakt() -> DateTime<Utc> {
        DateTime::from_timestamp(1_700_000_000, 0).unwrap()
    }

    fn bevat(pdf: &[u8], deel: &str) -> bool {
        pdf.windows(deel.len()).any(|w| w == deel.as_bytes())
    }

    /// A chart's SVG, as `Grafiek::svg` draws it, becomes a figure whose alt text is the
    /// chart's text alternative; its text is set in the embedded font whatever family the
    /// SVG asks for.
    #[test]
    fn a_chart_svg_is_drawn_with_its_text_alternative_as_alt_text() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" role="img" width="400" height="120" viewBox="0 0 400 120"><title>Geplande en bestede uren</title><desc>Toezicht besteedde 120 van de 100 geplande uren.</desc><rect x="80" y="20" width="200" height="30" fill="#1f5f8b"/><rect x="80" y="60" width="240" height="30" fill="#e07b00" fill-opacity="0.8"/><text x="10" y="40" font-family="Arial, Helvetica, sans-serif" font-size="12">Toezicht</text></svg>"##;
        let pdf = compileer(&met_grafiek(), gemaakt(), &|_| svg.to_string()).unwrap();
        assert!(bevat(
            &pdf,
            "/Alt(Toezicht besteedde 120 van de 100 geplande uren.)"
        ));
        // Without a drawing the text alternative is printed instead, not hidden in /Alt.
        let zonder = compileer(&met_grafiek(), gemaakt(), &|_| String::new()).unwrap();
        assert!(!bevat(&zonder, "/Alt(Toezicht"));
    }

    /// Noto Sans Math goes first only for a package with a sign Noto Sans would build from
    /// two glyphs; both kinds of package are set.
    #[test]
    fn the_math_font_goes_first_only_where_a_sign_needs_it() {
        let zonder = met_grafiek();
        let wereld = Wereld::van(&zonder, &|_| String::new()).unwrap();
        let gegevens: Value =
            serde_json::from_slice(&wereld.bestanden[&bestand("/pakket.json")]).unwrap();
        assert_eq!(gegevens["wiskundetekens"], json!(""));
        let pdf = compileer(&zonder, gemaakt(), &|_| String::new()).unwrap();
        assert!(!bevat(&pdf, "NotoSansMath"));

        let mut met = met_grafiek();
        met.documenten[0].blokken.push(Blok::Alinea {
            tekst: "Besteed ≠ gepland.".into(),
        });
        let mut tekens = String::new();
        wiskundetekens_in(&serde_json::to_value(&met).unwrap(), &mut tekens);
        assert_eq!(tekens, "≠");
        let pdf = compileer(&met, gemaakt(), &|_| String::new()).unwrap();
        assert!(bevat(&pdf, "NotoSansMath"));
    }

    #[test]
    fn an_emoji_in_user_text_does_not_cost_the_whole_pdf() {
        let mut pakket = met_grafiek();
        pakket.documenten[0].blokken.push(Blok::Alinea {
            tekst: "Goed gedaan 👍🏽 en 北京".into(),
        });
        compileer(&pakket, gemaakt(), &|_| String::new()).unwrap();
    }
}
