//! The package as Office Open XML (DOCX), for Word users; ODT is the standard format.
//!
//! Written by hand, like the ODT, rather than with `docx-rs` as first planned: docx-rs 0.4 has
//! no way to repeat a table's header row, give a picture its description, or set the
//! document's title and language, and all four are required. What remains is a zip of a few
//! XML parts that [`super::xml`] escapes like every other format's text.
//!
//! Charts go in as PNG with the SVG alongside (the `asvg:svgBlip` extension): Word 2016 and
//! later show the sharp SVG, LibreOffice and older Word the PNG, which `resvg` draws from the
//! same SVG.

mod delen;
mod lichaam;
mod tekening;
#[cfg(test)]
mod tests;
mod thema;

use super::RenderFout;
use super::afbeelding::Tekenaar;
use super::archief::Archief;
use super::xml::Xml;
use crate::model::{Grafiek, Pakket};

pub fn render(pakket: &Pakket) -> Result<Vec<u8>, RenderFout> {
    render_met(pakket, &Grafiek::svg)
}

/// [`render`] with the charts drawn by `teken`.
pub(crate) fn render_met(pakket: &Pakket, teken: Tekenaar) -> Result<Vec<u8>, RenderFout> {
    let lichaam =
        lichaam::schrijf(pakket, teken).map_err(|e| RenderFout::Bestand("docx", e.to_string()))?;
    let mut archief = Archief::new("docx");
    archief.ingepakt("[Content_Types].xml", delen::inhoudstypen().as_bytes())?;
    archief.ingepakt("_rels/.rels", delen::pakket_relaties().as_bytes())?;
    archief.ingepakt("docProps/core.xml", delen::kenmerken(pakket).as_bytes())?;
    archief.ingepakt("docProps/app.xml", delen::toepassing().as_bytes())?;
    archief.ingepakt("word/document.xml", lichaam.document.as_bytes())?;
    archief.ingepakt(
        "word/_rels/document.xml.rels",
        delen::document_relaties(&lichaam.media).as_bytes(),
    )?;
    archief.ingepakt("word/styles.xml", delen::stijlen(pakket).as_bytes())?;
    archief.ingepakt(
        "word/numbering.xml",
        delen::nummering(&lichaam.lijsten).as_bytes(),
    )?;
    archief.ingepakt("word/settings.xml", delen::instellingen().as_bytes())?;
    archief.ingepakt("word/footer1.xml", delen::voettekst().as_bytes())?;
    archief.ingepakt("word/fontTable.xml", thema::lettertypen().as_bytes())?;
    let thema = thema::thema(&kleur(&pakket.huisstijl.kleur));
    archief.ingepakt("word/theme/theme1.xml", thema.as_bytes())?;
    for media in &lichaam.media {
        archief.ingepakt(&format!("word/{}", media.doel), &media.bytes)?;
    }
    archief.klaar()
}

/// A picture in `word/media/`, with the relationship id the document refers to it by.
struct Media {
    id: String,
    /// Relative to `word/`: "media/grafiek-1.png".
    doel: String,
    bytes: Vec<u8>,
}

/// A colour as OOXML writes it: "#1f5f8b" is "1F5F8B".
fn kleur(css: &str) -> String {
    css.trim_start_matches('#').to_uppercase()
}

/// The WordprocessingML namespace every `word/` part uses.
const W: (&str, &str) = (
    "xmlns:w",
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
);
const R: (&str, &str) = (
    "xmlns:r",
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
);
