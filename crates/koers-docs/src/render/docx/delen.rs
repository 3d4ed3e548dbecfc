//! The parts of a DOCX around the document itself: content types, relationships, properties,
//! styles, numbering, settings and the footer.

use super::{Media, R, W, Xml};
use crate::model::Pakket;
use crate::render::opmaak;

/// The font named in the document; Word has it, LibreOffice substitutes its metric twin.
pub(super) const LETTER: &str = "Arial";

pub(super) fn inhoudstypen() -> String {
    const HOOFD: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    let mut x = Xml::new();
    x.el(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
        |x| {
            for (extensie, soort) in [
                (
                    "rels",
                    "application/vnd.openxmlformats-package.relationships+xml",
                ),
                ("xml", "application/xml"),
                ("png", "image/png"),
                ("svg", "image/svg+xml"),
            ] {
                x.leeg(
                    "Default",
                    &[("Extension", extensie), ("ContentType", soort)],
                );
            }
            for (deel, soort) in [
                ("/word/document.xml", format!("{HOOFD}.document.main+xml")),
                ("/word/styles.xml", format!("{HOOFD}.styles+xml")),
                ("/word/numbering.xml", format!("{HOOFD}.numbering+xml")),
                ("/word/settings.xml", format!("{HOOFD}.settings+xml")),
                ("/word/footer1.xml", format!("{HOOFD}.footer+xml")),
                ("/word/fontTable.xml", format!("{HOOFD}.fontTable+xml")),
                (
                    "/word/theme/theme1.xml",
                    "application/vnd.openxmlformats-officedocument.theme+xml".into(),
                ),
                (
                    "/docProps/core.xml",
                    "application/vnd.openxmlformats-package.core-properties+xml".into(),
                ),
                (
                    "/docProps/app.xml",
                    "application/vnd.openxmlformats-officedocument.extended-properties+xml".into(),
                ),
            ] {
                x.leeg("Override", &[("PartName", deel), ("ContentType", &soort)]);
            }
        },
    );
    x.klaar()
}

const RELATIES: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOCUMENT_RELATIE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn relaties(relaties: &[(&str, String, &str)]) -> String {
    let mut x = Xml::new();
    x.el("Relationships", &[("xmlns", RELATIES)], |x| {
        for (id, soort, doel) in relaties {
            x.leeg(
                "Relationship",
                &[("Id", id), ("Type", soort), ("Target", doel)],
            );
        }
    });
    x.klaar()
}

pub(super) fn pakket_relaties() -> String {
    relaties(&[
        (
            "rId1",
            format!("{DOCUMENT_RELATIE}/officeDocument"),
            "word/document.xml",
        ),
        (
            "rId2",
            format!("{RELATIES}/metadata/core-properties"),
            "docProps/core.xml",
        ),
        (
            "rId3",
            format!("{DOCUMENT_RELATIE}/extended-properties"),
            "docProps/app.xml",
        ),
    ])
}

pub(super) fn document_relaties(media: &[Media]) -> String {
    let mut lijst = vec![
        (
            "rIdStijlen",
            format!("{DOCUMENT_RELATIE}/styles"),
            "styles.xml",
        ),
        (
            "rIdNummering",
            format!("{DOCUMENT_RELATIE}/numbering"),
            "numbering.xml",
        ),
        (
            "rIdInstellingen",
            format!("{DOCUMENT_RELATIE}/settings"),
            "settings.xml",
        ),
        (
            "rIdVoettekst",
            format!("{DOCUMENT_RELATIE}/footer"),
            "footer1.xml",
        ),
        (
            "rIdLettertypen",
            format!("{DOCUMENT_RELATIE}/fontTable"),
            "fontTable.xml",
        ),
        (
            "rIdThema",
            format!("{DOCUMENT_RELATIE}/theme"),
            "theme/theme1.xml",
        ),
    ];
    for m in media {
        lijst.push((&m.id, format!("{DOCUMENT_RELATIE}/image"), &m.doel));
    }
    relaties(&lijst)
}

/// The document properties: title, language and author.
pub(super) fn kenmerken(pakket: &Pakket) -> String {
    let mut x = Xml::new();
    x.el(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
        |x| {
            x.el_tekst("dc:title", &[], &pakket.titel)
                .el_tekst("dc:creator", &[], &pakket.organisatie)
                .el_tekst("dc:language", &[], &opmaak::taalcode(pakket.taal));
        },
    );
    x.klaar()
}

pub(super) fn toepassing() -> String {
    let mut x = Xml::new();
    x.el(
        "Properties",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        )],
        |x| {
            x.el_tekst("Application", &[], "Koers");
        },
    );
    x.klaar()
}

pub(super) fn instellingen() -> String {
    let mut x = Xml::new();
    x.el("w:settings", &[W], |x| {
        x.leeg("w:defaultTabStop", &[("w:val", "709")]);
        x.el("w:compat", &[], |x| {
            // Word's own current layout rules, so Word does not open it in compatibility mode.
            x.leeg(
                "w:compatSetting",
                &[
                    ("w:name", "compatibilityMode"),
                    ("w:uri", "http://schemas.microsoft.com/office/word"),
                    ("w:val", "15"),
                ],
            );
        });
    });
    x.klaar()
}

/// The footer: the page number, right-aligned.
pub(super) fn voettekst() -> String {
    let mut x = Xml::new();
    x.el("w:ftr", &[W, R], |x| {
        x.el("w:p", &[], |x| {
            x.el("w:pPr", &[], |x| {
                x.leeg("w:pStyle", &[("w:val", "Footer")]);
            });
            x.el("w:fldSimple", &[("w:instr", "PAGE")], |x| {
                x.el("w:r", &[], |x| {
                    x.el_tekst("w:t", &[], "1");
                });
            });
        });
    });
    x.klaar()
}

/// One numbering per list, so each numbered list counts from 1 again; bullets and numbers are
/// two abstract definitions they share.
pub(super) fn nummering(lijsten: &[bool]) -> String {
    let mut x = Xml::new();
    x.el("w:numbering", &[W], |x| {
        for (id, formaat, tekst) in [("0", "bullet", "•"), ("1", "decimal", "%1.")] {
            x.el("w:abstractNum", &[("w:abstractNumId", id)], |x| {
                x.leeg("w:multiLevelType", &[("w:val", "singleLevel")]);
                x.el("w:lvl", &[("w:ilvl", "0")], |x| {
                    x.leeg("w:start", &[("w:val", "1")]);
                    x.leeg("w:numFmt", &[("w:val", formaat)]);
                    x.leeg("w:lvlText", &[("w:val", tekst)]);
                    x.leeg("w:lvlJc", &[("w:val", "left")]);
                    x.el("w:pPr", &[], |x| {
                        x.leeg("w:ind", &[("w:left", "360"), ("w:hanging", "360")]);
                    });
                });
            });
        }
        for (i, genummerd) in lijsten.iter().enumerate() {
            let id = (i + 1).to_string();
            x.el("w:num", &[("w:numId", &id)], |x| {
                x.leeg(
                    "w:abstractNumId",
                    &[("w:val", if *genummerd { "1" } else { "0" })],
                );
                x.el("w:lvlOverride", &[("w:ilvl", "0")], |x| {
                    x.leeg("w:startOverride", &[("w:val", "1")]);
                });
            });
        }
    });
    x.klaar()
}

/// A paragraph style; written in the element order the schema demands.
#[derive(Default)]
struct Stijl<'a> {
    id: &'static str,
    /// Word recognises its built-in styles by these names ("heading 1", "caption").
    naam: &'static str,
    basis: Option<&'static str>,
    volgende: Option<&'static str>,
    bij_volgende: bool,
    bij_elkaar: bool,
    /// Spacing before and after in twentieths of a point, and line spacing in 240ths.
    voor: Option<&'static str>,
    na: Option<&'static str>,
    regel: Option<&'static str>,
    rechts: bool,
    /// 0 for a level-1 heading: what the navigation pane and a table of contents use.
    overzicht: Option<&'static str>,
    vet: bool,
    kleur: Option<&'a str>,
    /// Half-points.
    grootte: Option<&'static str>,
}

fn stijl(x: &mut Xml, s: &Stijl) {
    x.el(
        "w:style",
        &[("w:type", "paragraph"), ("w:styleId", s.id)],
        |x| {
            x.leeg("w:name", &[("w:val", s.naam)]);
            if let Some(basis) = s.basis {
                x.leeg("w:basedOn", &[("w:val", basis)]);
            }
            if let Some(volgende) = s.volgende {
                x.leeg("w:next", &[("w:val", volgende)]);
            }
            x.leeg("w:qFormat", &[]);
            x.el("w:pPr", &[], |x| {
                if s.bij_volgende {
                    x.leeg("w:keepNext", &[]);
                }
                if s.bij_elkaar {
                    x.leeg("w:keepLines", &[]);
                }
                let mut afstand = Vec::new();
                if let Some(voor) = s.voor {
                    afstand.push(("w:before", voor));
                }
                if let Some(na) = s.na {
                    afstand.push(("w:after", na));
                }
                if let Some(regel) = s.regel {
                    afstand.extend([("w:line", regel), ("w:lineRule", "auto")]);
                }
                if !afstand.is_empty() {
                    x.leeg("w:spacing", &afstand);
                }
                if s.rechts {
                    x.leeg("w:jc", &[("w:val", "right")]);
                }
                if let Some(niveau) = s.overzicht {
                    x.leeg("w:outlineLvl", &[("w:val", niveau)]);
                }
            });
            x.el("w:rPr", &[], |x| {
                if s.vet {
                    x.leeg("w:b", &[]);
                    x.leeg("w:bCs", &[]);
                }
                if let Some(kleur) = s.kleur {
                    x.leeg("w:color", &[("w:val", kleur)]);
                }
                if let Some(grootte) = s.grootte {
                    x.leeg("w:sz", &[("w:val", grootte)]);
                    x.leeg("w:szCs", &[("w:val", grootte)]);
                }
            });
        },
    );
}

pub(super) fn stijlen(pakket: &Pakket) -> String {
    let kleur = super::kleur(&pakket.huisstijl.kleur);
    let kop_tekst = super::kleur(opmaak::tekst_op(&pakket.huisstijl.kleur));
    let taal = opmaak::taalcode(pakket.taal);
    let mut x = Xml::new();
    x.el("w:styles", &[W], |x| {
        x.el("w:docDefaults", &[], |x| {
            x.el("w:rPrDefault", &[], |x| {
                x.el("w:rPr", &[], |x| {
                    x.leeg(
                        "w:rFonts",
                        &[
                            ("w:ascii", LETTER),
                            ("w:hAnsi", LETTER),
                            ("w:eastAsia", LETTER),
                            ("w:cs", LETTER),
                        ],
                    );
                    x.leeg("w:sz", &[("w:val", "22")]);
                    x.leeg("w:szCs", &[("w:val", "22")]);
                    x.leeg(
                        "w:lang",
                        &[("w:val", &taal), ("w:eastAsia", &taal), ("w:bidi", &taal)],
                    );
                });
            });
            x.el("w:pPrDefault", &[], |x| {
                x.el("w:pPr", &[], |x| {
                    x.leeg(
                        "w:spacing",
                        &[
                            ("w:after", "140"),
                            ("w:line", "300"),
                            ("w:lineRule", "auto"),
                        ],
                    );
                });
            });
        });
        x.el(
            "w:style",
            &[
                ("w:type", "paragraph"),
                ("w:default", "1"),
                ("w:styleId", "Normal"),
            ],
            |x| {
                x.leeg("w:name", &[("w:val", "Normal")]);
                x.leeg("w:qFormat", &[]);
            },
        );
        x.el(
            "w:style",
            &[
                ("w:type", "character"),
                ("w:default", "1"),
                ("w:styleId", "DefaultParagraphFont"),
            ],
            |x| {
                x.leeg("w:name", &[("w:val", "Default Paragraph Font")]);
                x.leeg("w:uiPriority", &[("w:val", "1")]);
                x.leeg("w:semiHidden", &[]);
            },
        );
        tabel_stijlen(x);
        let kop = |id, naam, niveau, grootte| Stijl {
            id,
            naam,
            basis: Some("Normal"),
            volgende: Some("Normal"),
            bij_volgende: true,
            bij_elkaar: true,
            voor: Some("280"),
            na: Some("120"),
            overzicht: Some(niveau),
            vet: true,
            kleur: Some(kleur.as_str()),
            grootte: Some(grootte),
            ..Stijl::default()
        };
        let tabel = |id, naam, vet, kleur| Stijl {
            id,
            naam,
            basis: Some("Normal"),
            na: Some("0"),
            regel: Some("240"),
            vet,
            kleur,
            // 9 pt, smaller than the text, so more of a word fits a narrow column
            // (opmaak::TABEL_PT).
            grootte: Some("18"),
            ..Stijl::default()
        };
        for s in [
            kop("Heading1", "heading 1", "0", "36"),
            kop("Heading2", "heading 2", "1", "28"),
            kop("Heading3", "heading 3", "2", "24"),
            Stijl {
                id: "Bijlagelabel",
                naam: "Bijlagelabel",
                basis: Some("Normal"),
                volgende: Some("Heading1"),
                bij_volgende: true,
                na: Some("0"),
                vet: true,
                kleur: Some(kleur.as_str()),
                grootte: Some("20"),
                ..Stijl::default()
            },
            Stijl {
                id: "Caption",
                naam: "caption",
                basis: Some("Normal"),
                volgende: Some("Normal"),
                bij_volgende: true,
                voor: Some("160"),
                na: Some("80"),
                vet: true,
                grootte: Some("20"),
                ..Stijl::default()
            },
            Stijl {
                id: "Figuur",
                naam: "Figuur",
                basis: Some("Normal"),
                bij_volgende: true,
                ..Stijl::default()
            },
            Stijl {
                id: "ListParagraph",
                naam: "List Paragraph",
                basis: Some("Normal"),
                na: Some("60"),
                ..Stijl::default()
            },
            tabel("Tabelinhoud", "Tabelinhoud", false, None),
            tabel("Tabelkop", "Tabelkop", true, Some(kop_tekst.as_str())),
            tabel("Tabeltotaal", "Tabeltotaal", true, None),
            Stijl {
                id: "Logo",
                naam: "Logo",
                basis: Some("Normal"),
                na: Some("480"),
                ..Stijl::default()
            },
            // Place and date, greeting and sender stay with the first signature.
            Stijl {
                id: "Slot",
                naam: "Slot",
                basis: Some("Normal"),
                bij_volgende: true,
                ..Stijl::default()
            },
            Stijl {
                id: "Ondertekenaar",
                naam: "Ondertekenaar",
                basis: Some("Normal"),
                bij_elkaar: true,
                // Room above each name for the signature itself.
                voor: Some("680"),
                ..Stijl::default()
            },
            Stijl {
                id: "Footer",
                naam: "footer",
                basis: Some("Normal"),
                na: Some("0"),
                rechts: true,
                grootte: Some("18"),
                ..Stijl::default()
            },
        ] {
            stijl(x, &s);
        }
    });
    x.klaar()
}

/// The plain table Word expects as default, the package's tables (a light line between rows)
/// and the borderless particulars.
fn tabel_stijlen(x: &mut Xml) {
    let marges = |x: &mut Xml, zij: &str| {
        x.el("w:tblCellMar", &[], |x| {
            x.leeg("w:top", &[("w:w", "40"), ("w:type", "dxa")]);
            x.leeg("w:left", &[("w:w", zij), ("w:type", "dxa")]);
            x.leeg("w:bottom", &[("w:w", "40"), ("w:type", "dxa")]);
            x.leeg("w:right", &[("w:w", zij), ("w:type", "dxa")]);
        });
    };
    x.el(
        "w:style",
        &[
            ("w:type", "table"),
            ("w:default", "1"),
            ("w:styleId", "TableNormal"),
        ],
        |x| {
            x.leeg("w:name", &[("w:val", "Normal Table")]);
            x.leeg("w:uiPriority", &[("w:val", "99")]);
            x.leeg("w:semiHidden", &[]);
            x.el("w:tblPr", &[], |x| {
                x.leeg("w:tblInd", &[("w:w", "0"), ("w:type", "dxa")]);
                marges(x, "108");
            });
        },
    );
    for (id, naam, lijnen) in [
        ("Tabel", "Koers tabel", true),
        ("Gegevens", "Koers gegevens", false),
    ] {
        x.el("w:style", &[("w:type", "table"), ("w:styleId", id)], |x| {
            x.leeg("w:name", &[("w:val", naam)]);
            x.leeg("w:basedOn", &[("w:val", "TableNormal")]);
            x.el("w:tblPr", &[], |x| {
                x.el("w:tblBorders", &[], |x| {
                    for rand in [
                        "w:top",
                        "w:left",
                        "w:bottom",
                        "w:right",
                        "w:insideH",
                        "w:insideV",
                    ] {
                        let lijn = lijnen && matches!(rand, "w:bottom" | "w:insideH");
                        if lijn {
                            x.leeg(
                                rand,
                                &[
                                    ("w:val", "single"),
                                    ("w:sz", "4"),
                                    ("w:space", "0"),
                                    ("w:color", "B0B0B0"),
                                ],
                            );
                        } else {
                            x.leeg(rand, &[("w:val", "nil")]);
                        }
                    }
                });
                marges(x, if lijnen { "85" } else { "0" });
            });
        });
    }
}
