//! A spreadsheet as an Office Open XML workbook (`.xlsx`) with one sheet: a header row that
//! stays in view (frozen), column widths, and cells that are text or whole numbers.
//!
//! Text is written as an inline string (`t="inlineStr"`), so Excel and LibreOffice show it as
//! typed and never read it as a formula, whatever it starts with; numbers are numbers. It uses
//! the same zip ([`Archief`]) and escaping XML writer ([`Xml`]) as the ODT and DOCX renderers.

use super::RenderFout;
use super::archief::Archief;
use super::xml::Xml;

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cel {
    Tekst(String),
    Getal(i64),
    Leeg,
}

/// A column: its header and its width in characters.
#[derive(Debug, Clone)]
pub struct Kolom {
    pub kop: String,
    pub breedte: u16,
}

/// One sheet: its name (at most 31 characters, without `[]:*?/\`), columns and rows.
#[derive(Debug, Clone)]
pub struct Werkblad {
    pub naam: String,
    pub kolommen: Vec<Kolom>,
    pub rijen: Vec<Vec<Cel>>,
}

const NS_MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const NS_REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_PKG_REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";

/// The column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA.
fn kolomletters(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// A sheet name Excel accepts.
fn bladnaam(naam: &str) -> String {
    let schoon: String = naam
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control())
        .take(31)
        .collect();
    if schoon.trim().is_empty() {
        "Blad1".to_string()
    } else {
        schoon
    }
}

fn blad_xml(blad: &Werkblad) -> String {
    let mut x = Xml::new();
    x.el(
        "worksheet",
        &[("xmlns", NS_MAIN), ("xmlns:r", NS_REL)],
        |x| {
            x.el("sheetViews", &[], |x| {
                x.el("sheetView", &[("workbookViewId", "0")], |x| {
                    x.leeg(
                        "pane",
                        &[
                            ("ySplit", "1"),
                            ("topLeftCell", "A2"),
                            ("activePane", "bottomLeft"),
                            ("state", "frozen"),
                        ],
                    );
                });
            });
            x.el("cols", &[], |x| {
                for (i, kolom) in blad.kolommen.iter().enumerate() {
                    let n = (i + 1).to_string();
                    x.leeg(
                        "col",
                        &[
                            ("min", &n),
                            ("max", &n),
                            ("width", &kolom.breedte.to_string()),
                            ("customWidth", "1"),
                        ],
                    );
                }
            });
            x.el("sheetData", &[], |x| {
                let kop: Vec<Cel> = blad
                    .kolommen
                    .iter()
                    .map(|k| Cel::Tekst(k.kop.clone()))
                    .collect();
                for (r, rij) in std::iter::once(&kop).chain(&blad.rijen).enumerate() {
                    let nummer = (r + 1).to_string();
                    // The header row uses style 1 (bold).
                    let stijl = if r == 0 { "1" } else { "0" };
                    x.el("row", &[("r", &nummer)], |x| {
                        for (k, cel) in rij.iter().enumerate() {
                            let adres = format!("{}{nummer}", kolomletters(k));
                            match cel {
                                Cel::Tekst(tekst) => {
                                    x.el(
                                        "c",
                                        &[("r", &adres), ("s", stijl), ("t", "inlineStr")],
                                        |x| {
                                            x.el("is", &[], |x| {
                                                x.el_tekst(
                                                    "t",
                                                    &[("xml:space", "preserve")],
                                                    tekst,
                                                );
                                            });
                                        },
                                    );
                                }
                                Cel::Getal(getal) => {
                                    x.el("c", &[("r", &adres), ("s", stijl)], |x| {
                                        x.el_tekst("v", &[], &getal.to_string());
                                    });
                                }
                                Cel::Leeg => {}
                            }
                        }
                    });
                }
            });
            if !blad.kolommen.is_empty() {
                let bereik = format!(
                    "A1:{}{}",
                    kolomletters(blad.kolommen.len() - 1),
                    blad.rijen.len() + 1
                );
                x.leeg("autoFilter", &[("ref", &bereik)]);
            }
        },
    );
    x.klaar()
}

/// The workbook as the bytes of an `.xlsx` file.
pub fn werkmap(blad: &Werkblad) -> Result<Vec<u8>, RenderFout> {
    let mut types = Xml::new();
    types.el(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
        |x| {
            x.leeg(
                "Default",
                &[
                    ("Extension", "rels"),
                    (
                        "ContentType",
                        "application/vnd.openxmlformats-package.relationships+xml",
                    ),
                ],
            );
            x.leeg(
                "Default",
                &[("Extension", "xml"), ("ContentType", "application/xml")],
            );
            for (deel, soort) in [
                ("/xl/workbook.xml", "sheet.main"),
                ("/xl/worksheets/sheet1.xml", "worksheet"),
                ("/xl/styles.xml", "styles"),
            ] {
                let soort = format!(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.{soort}+xml"
                );
                x.leeg("Override", &[("PartName", deel), ("ContentType", &soort)]);
            }
        },
    );
    let mut rels = Xml::new();
    rels.el("Relationships", &[("xmlns", NS_PKG_REL)], |x| {
        x.leeg(
            "Relationship",
            &[
                ("Id", "rId1"),
                (
                    "Type",
                    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
                ),
                ("Target", "xl/workbook.xml"),
            ],
        );
    });
    let mut workbook = Xml::new();
    let naam = bladnaam(&blad.naam);
    workbook.el(
        "workbook",
        &[("xmlns", NS_MAIN), ("xmlns:r", NS_REL)],
        |x| {
            x.el("sheets", &[], |x| {
                x.leeg(
                    "sheet",
                    &[("name", &naam), ("sheetId", "1"), ("r:id", "rId1")],
                );
            });
            if !blad.kolommen.is_empty() {
                x.el("definedNames", &[], |x| {
                    let bereik = format!(
                        "'{}'!$A$1:${}${}",
                        naam.replace('\'', "''"),
                        kolomletters(blad.kolommen.len() - 1),
                        blad.rijen.len() + 1
                    );
                    x.el_tekst(
                        "definedName",
                        &[
                            ("name", "_xlnm._FilterDatabase"),
                            ("localSheetId", "0"),
                            ("hidden", "1"),
                        ],
                        &bereik,
                    );
                });
            }
        },
    );
    let mut workbook_rels = Xml::new();
    workbook_rels.el("Relationships", &[("xmlns", NS_PKG_REL)], |x| {
        for (id, soort, doel) in [
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
            ("rId2", "styles", "styles.xml"),
        ] {
            let soort = format!("{NS_REL}/{soort}");
            x.leeg(
                "Relationship",
                &[("Id", id), ("Type", &soort), ("Target", doel)],
            );
        }
    });
    let mut styles = Xml::new();
    styles.el("styleSheet", &[("xmlns", NS_MAIN)], |x| {
        x.el("fonts", &[("count", "2")], |x| {
            x.el("font", &[], |x| {
                x.leeg("sz", &[("val", "11")]);
                x.leeg("name", &[("val", "Calibri")]);
            });
            x.el("font", &[], |x| {
                x.leeg("b", &[]);
                x.leeg("sz", &[("val", "11")]);
                x.leeg("name", &[("val", "Calibri")]);
            });
        });
        x.el("fills", &[("count", "2")], |x| {
            x.el("fill", &[], |x| {
                x.leeg("patternFill", &[("patternType", "none")]);
            });
            x.el("fill", &[], |x| {
                x.leeg("patternFill", &[("patternType", "gray125")]);
            });
        });
        x.el("borders", &[("count", "1")], |x| {
            x.el("border", &[], |x| {
                for kant in ["left", "right", "top", "bottom", "diagonal"] {
                    x.leeg(kant, &[]);
                }
            });
        });
        x.el("cellStyleXfs", &[("count", "1")], |x| {
            x.leeg(
                "xf",
                &[
                    ("numFmtId", "0"),
                    ("fontId", "0"),
                    ("fillId", "0"),
                    ("borderId", "0"),
                ],
            );
        });
        x.el("cellXfs", &[("count", "2")], |x| {
            x.leeg(
                "xf",
                &[
                    ("numFmtId", "0"),
                    ("fontId", "0"),
                    ("fillId", "0"),
                    ("borderId", "0"),
                    ("xfId", "0"),
                ],
            );
            x.leeg(
                "xf",
                &[
                    ("numFmtId", "0"),
                    ("fontId", "1"),
                    ("fillId", "0"),
                    ("borderId", "0"),
                    ("xfId", "0"),
                    ("applyFont", "1"),
                ],
            );
        });
    });
    let mut zip = Archief::new("xlsx");
    zip.ingepakt("[Content_Types].xml", types.klaar().as_bytes())?;
    zip.ingepakt("_rels/.rels", rels.klaar().as_bytes())?;
    zip.ingepakt("xl/workbook.xml", workbook.klaar().as_bytes())?;
    zip.ingepakt(
        "xl/_rels/workbook.xml.rels",
        workbook_rels.klaar().as_bytes(),
    )?;
    zip.ingepakt("xl/styles.xml", styles.klaar().as_bytes())?;
    zip.ingepakt("xl/worksheets/sheet1.xml", blad_xml(blad).as_bytes())?;
    zip.klaar()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters() {
        assert_eq!(kolomletters(0), "A");
        assert_eq!(kolomletters(25), "Z");
        assert_eq!(kolomletters(26), "AA");
        assert_eq!(kolomletters(27), "AB");
        assert_eq!(kolomletters(701), "ZZ");
        assert_eq!(kolomletters(702), "AAA");
    }

    #[test]
    fn text_stays_text_and_is_escaped() {
        let blad = Werkblad {
            naam: "Acties: 2024/[x]".into(),
            kolommen: vec![
                Kolom {
                    kop: "Code".into(),
                    breedte: 10,
                },
                Kolom {
                    kop: "Uren".into(),
                    breedte: 8,
                },
            ],
            rijen: vec![vec![Cel::Tekst("=1+1 <b>&\u{0}".into()), Cel::Getal(40)]],
        };
        let xml = blad_xml(&blad);
        assert!(xml.contains(r#"<c r="A2" s="0" t="inlineStr"><is><t xml:space="preserve">=1+1 &lt;b&gt;&amp;</t></is></c>"#), "{xml}");
        assert!(xml.contains(r#"<c r="B2" s="0"><v>40</v></c>"#));
        assert!(xml.contains(r#"state="frozen""#));
        assert_eq!(bladnaam(&blad.naam), "Acties 2024x");
        let bytes = werkmap(&blad).unwrap();
        assert_eq!(&bytes[..2], b"PK");
    }
}
