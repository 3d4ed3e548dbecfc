//! The package as OpenDocument Text (ODF 1.3), the Dutch open standard for editable documents.
//!
//! Written by hand rather than through a library: an ODT is a zip of four small XML parts, and
//! writing them ourselves keeps every string on the one escaping path of [`super::xml`]. Named
//! styles (`styles.xml`) carry the structure a reader navigates by: headings with outline
//! levels, captions, list styles. What belongs to one table or picture (column widths, a page
//! break) is an automatic style in `content.xml`.

mod inhoud;
mod stijlen;
#[cfg(test)]
mod tests;

use super::RenderFout;
use super::afbeelding::Tekenaar;
use super::archief::Archief;
use super::xml::Xml;
use crate::model::{Grafiek, Pakket};

const MIME: &str = "application/vnd.oasis.opendocument.text";
const ODF_VERSIE: &str = "1.3";

/// A picture that travels in the package's `Pictures/` folder.
struct Beeld {
    pad: String,
    mime: &'static str,
    bytes: Vec<u8>,
}

pub fn render(pakket: &Pakket) -> Result<Vec<u8>, RenderFout> {
    render_met(pakket, &Grafiek::svg)
}

/// [`render`] with the charts drawn by `teken`.
pub(crate) fn render_met(pakket: &Pakket, teken: Tekenaar) -> Result<Vec<u8>, RenderFout> {
    let (inhoud, beelden) = inhoud::schrijf(pakket, teken)?;
    let mut archief = Archief::new("odt");
    // First and stored, so that the media type sits at a fixed offset (ODF 1.3 part 2, 3.3).
    archief.opgeslagen("mimetype", MIME.as_bytes())?;
    archief.ingepakt("content.xml", inhoud.as_bytes())?;
    archief.ingepakt("styles.xml", stijlen::schrijf(pakket).as_bytes())?;
    archief.ingepakt("meta.xml", meta(pakket).as_bytes())?;
    for beeld in &beelden {
        archief.ingepakt(&beeld.pad, &beeld.bytes)?;
    }
    archief.ingepakt("META-INF/manifest.xml", manifest(&beelden).as_bytes())?;
    archief.klaar()
}

/// The document properties: title, language and which program wrote it.
fn meta(pakket: &Pakket) -> String {
    let mut x = Xml::new();
    x.el(
        "office:document-meta",
        &[
            (
                "xmlns:office",
                "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
            ),
            (
                "xmlns:meta",
                "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("office:version", ODF_VERSIE),
        ],
        |x| {
            x.el("office:meta", &[], |x| {
                x.el_tekst("meta:generator", &[], "Koers")
                    .el_tekst("dc:title", &[], &pakket.titel)
                    .el_tekst("dc:language", &[], &super::opmaak::taalcode(pakket.taal))
                    .el_tekst("meta:initial-creator", &[], &pakket.organisatie);
            });
        },
    );
    x.klaar()
}

/// The list of every part, which a reader checks the package against.
fn manifest(beelden: &[Beeld]) -> String {
    let mut x = Xml::new();
    x.el(
        "manifest:manifest",
        &[
            (
                "xmlns:manifest",
                "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
            ),
            ("manifest:version", ODF_VERSIE),
        ],
        |x| {
            x.leeg(
                "manifest:file-entry",
                &[
                    ("manifest:full-path", "/"),
                    ("manifest:version", ODF_VERSIE),
                    ("manifest:media-type", MIME),
                ],
            );
            for deel in ["content.xml", "styles.xml", "meta.xml"] {
                x.leeg(
                    "manifest:file-entry",
                    &[
                        ("manifest:full-path", deel),
                        ("manifest:media-type", "text/xml"),
                    ],
                );
            }
            for beeld in beelden {
                x.leeg(
                    "manifest:file-entry",
                    &[
                        ("manifest:full-path", &beeld.pad),
                        ("manifest:media-type", beeld.mime),
                    ],
                );
            }
        },
    );
    x.klaar()
}

/// The namespaces `content.xml` and `styles.xml` both declare.
const NAAMRUIMTEN: [(&str, &str); 8] = [
    (
        "xmlns:office",
        "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    ),
    (
        "xmlns:style",
        "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    ),
    (
        "xmlns:text",
        "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    ),
    (
        "xmlns:table",
        "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    ),
    (
        "xmlns:draw",
        "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    ),
    (
        "xmlns:fo",
        "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0",
    ),
    ("xmlns:xlink", "http://www.w3.org/1999/xlink"),
    (
        "xmlns:svg",
        "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
    ),
];

/// The root element's attributes: the namespaces and the ODF version.
fn wortel_attributen() -> Vec<(&'static str, &'static str)> {
    let mut attributen = NAAMRUIMTEN.to_vec();
    attributen.push(("office:version", ODF_VERSIE));
    attributen
}
