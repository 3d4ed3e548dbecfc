//! `styles.xml`: the named styles a reader sees in the style list and the navigator, the list
//! styles, and the A4 page with its page number.
//!
//! Style names are the ones LibreOffice itself uses for the same purpose ("Heading 1",
//! "Caption", "Table Heading"), so a document opened there behaves like one made there: the
//! navigator and a table of contents find the headings, and the caption style is offered for
//! captions.

use super::{Xml, wortel_attributen};
use crate::model::Pakket;
use crate::render::opmaak::{self, cm};

/// A free sans font that LibreOffice ships; other readers substitute a sans of their own.
const LETTER: &str = "Liberation Sans";

pub(super) fn schrijf(pakket: &Pakket) -> String {
    let kleur = pakket.huisstijl.kleur.as_str();
    let mut x = Xml::new();
    x.el("office:document-styles", &wortel_attributen(), |x| {
        x.el("office:font-face-decls", &[], |x| {
            x.leeg(
                "style:font-face",
                &[
                    ("style:name", LETTER),
                    ("svg:font-family", &format!("'{LETTER}'")),
                    ("style:font-family-generic", "swiss"),
                    ("style:font-pitch", "variable"),
                ],
            );
        });
        x.el("office:styles", &[], |x| {
            standaard(x, pakket.taal);
            alinea_stijlen(x, kleur);
            lijst_stijlen(x);
        });
        x.el("office:automatic-styles", &[], pagina);
        x.el("office:master-styles", &[], |x| {
            x.el(
                "style:master-page",
                &[("style:name", "Standard"), ("style:page-layout-name", "A4")],
                |x| {
                    x.el("style:footer", &[], |x| {
                        x.el("text:p", &[("text:style-name", "Footer")], |x| {
                            x.el_tekst("text:page-number", &[("text:select-page", "current")], "1");
                        });
                    });
                },
            );
        });
    });
    x.klaar()
}

/// The defaults every paragraph inherits: font, size and the language for spelling and
/// hyphenation.
fn standaard(x: &mut Xml, taal: &str) {
    let (taal, land) = opmaak::taal_en_land(taal);
    let mut tekst = vec![
        ("style:font-name", LETTER),
        ("fo:font-size", "11pt"),
        ("fo:language", taal),
        ("fo:hyphenate", "false"),
    ];
    if let Some(land) = land {
        tekst.push(("fo:country", land));
    }
    x.el(
        "style:default-style",
        &[("style:family", "paragraph")],
        |x| {
            x.leeg("style:text-properties", &tekst);
        },
    );
    // Defaults for the other families the content uses, so no reader has to guess them.
    x.el("style:default-style", &[("style:family", "table")], |x| {
        x.leeg(
            "style:table-properties",
            &[("table:border-model", "collapsing")],
        );
    });
    x.el(
        "style:default-style",
        &[("style:family", "table-cell")],
        |x| {
            x.leeg(
                "style:table-cell-properties",
                &[("style:vertical-align", "top")],
            );
        },
    );
    x.el("style:default-style", &[("style:family", "graphic")], |x| {
        x.leeg(
            "style:graphic-properties",
            &[("draw:stroke", "none"), ("draw:fill", "none")],
        );
    });
    stijl(x, "Standard", None, &[], &[], &[]);
}

/// One named paragraph style.
fn stijl(
    x: &mut Xml,
    naam: &'static str,
    ouder: Option<&'static str>,
    extra: &[(&'static str, &str)],
    alinea: &[(&'static str, &str)],
    tekst: &[(&'static str, &str)],
) {
    let weergave = naam.replace("_20_", " ");
    let mut attributen = vec![
        ("style:name", naam),
        ("style:display-name", weergave.as_str()),
        ("style:family", "paragraph"),
    ];
    if let Some(ouder) = ouder {
        attributen.push(("style:parent-style-name", ouder));
    }
    attributen.extend_from_slice(extra);
    x.el("style:style", &attributen, |x| {
        if !alinea.is_empty() {
            x.leeg("style:paragraph-properties", alinea);
        }
        if !tekst.is_empty() {
            x.leeg("style:text-properties", tekst);
        }
    });
}

fn alinea_stijlen(x: &mut Xml, kleur: &str) {
    const VET: (&str, &str) = ("fo:font-weight", "bold");
    let bij_volgende = ("fo:keep-with-next", "always");
    stijl(
        x,
        "Text_20_body",
        Some("Standard"),
        &[("style:class", "text")],
        &[
            ("fo:margin-top", "0cm"),
            ("fo:margin-bottom", "0.25cm"),
            ("fo:line-height", "130%"),
        ],
        &[],
    );
    stijl(
        x,
        "Heading",
        Some("Standard"),
        &[
            ("style:next-style-name", "Text_20_body"),
            ("style:class", "text"),
        ],
        &[
            ("fo:margin-top", "0.5cm"),
            ("fo:margin-bottom", "0.2cm"),
            bij_volgende,
        ],
        &[VET, ("fo:color", kleur)],
    );
    for (naam, niveau, grootte) in [
        ("Heading_20_1", "1", "18pt"),
        ("Heading_20_2", "2", "14pt"),
        ("Heading_20_3", "3", "12pt"),
    ] {
        stijl(
            x,
            naam,
            Some("Heading"),
            &[
                ("style:default-outline-level", niveau),
                ("style:next-style-name", "Text_20_body"),
                ("style:class", "text"),
            ],
            &[],
            &[("fo:font-size", grootte)],
        );
    }
    stijl(
        x,
        "Bijlagelabel",
        Some("Standard"),
        &[("style:next-style-name", "Heading_20_1")],
        &[("fo:margin-bottom", "0cm"), bij_volgende],
        &[VET, ("fo:color", kleur), ("fo:font-size", "10pt")],
    );
    stijl(
        x,
        "Caption",
        Some("Standard"),
        &[("style:class", "extra")],
        &[
            ("fo:margin-top", "0.3cm"),
            ("fo:margin-bottom", "0.15cm"),
            bij_volgende,
        ],
        &[VET, ("fo:font-size", "10pt")],
    );
    // LibreOffice's own caption styles for tables and figures, as its Insert Caption makes.
    for naam in ["Table", "Figure"] {
        stijl(
            x,
            naam,
            Some("Caption"),
            &[("style:class", "extra")],
            &[],
            &[],
        );
    }
    stijl(
        x,
        "Afbeelding",
        Some("Standard"),
        &[("style:class", "extra")],
        &[("fo:margin-bottom", "0.2cm"), bij_volgende],
        &[],
    );
    stijl(
        x,
        "Table_20_Contents",
        Some("Standard"),
        &[("style:class", "extra")],
        &[("fo:margin-top", "0cm"), ("fo:margin-bottom", "0cm")],
        // Smaller than the text, so more of a word fits a narrow column (opmaak::TABEL_PT).
        &[("fo:font-size", "9pt")],
    );
    stijl(
        x,
        "Table_20_Heading",
        Some("Table_20_Contents"),
        &[("style:class", "extra")],
        &[("fo:text-align", "start")],
        &[VET, ("fo:color", opmaak::tekst_op(kleur))],
    );
    stijl(
        x,
        "List_20_Paragraph",
        Some("Text_20_body"),
        &[("style:class", "list")],
        &[("fo:margin-bottom", "0.1cm")],
        &[],
    );
    stijl(
        x,
        "Logo",
        Some("Standard"),
        &[("style:class", "extra")],
        &[("fo:margin-bottom", "0.8cm")],
        &[],
    );
    // Place and date, greeting and sender stay with the first signature.
    stijl(
        x,
        "Slot",
        Some("Text_20_body"),
        &[("style:class", "text")],
        &[bij_volgende],
        &[],
    );
    stijl(
        x,
        "Ondertekenaar",
        Some("Text_20_body"),
        &[("style:class", "text")],
        // Room above each name for the signature itself.
        &[("fo:margin-top", "1.2cm"), ("fo:keep-together", "always")],
        &[],
    );
    stijl(
        x,
        "Footer",
        Some("Standard"),
        &[("style:class", "extra")],
        &[("fo:text-align", "end")],
        &[("fo:font-size", "9pt")],
    );
}

/// A bullet list and a numbered list ("1.", "2.", …), one level each: the model's lists are
/// flat.
fn lijst_stijlen(x: &mut Xml) {
    let uitlijning = |x: &mut Xml| {
        x.el(
            "style:list-level-properties",
            &[("text:list-level-position-and-space-mode", "label-alignment")],
            |x| {
                x.leeg(
                    "style:list-level-label-alignment",
                    &[
                        ("text:label-followed-by", "listtab"),
                        ("text:list-tab-stop-position", "0.635cm"),
                        ("fo:text-indent", "-0.635cm"),
                        ("fo:margin-left", "0.635cm"),
                    ],
                );
            },
        );
    };
    x.el(
        "text:list-style",
        &[
            ("style:name", "Opsomming"),
            ("style:display-name", "Opsomming"),
        ],
        |x| {
            x.el(
                "text:list-level-style-bullet",
                &[("text:level", "1"), ("text:bullet-char", "•")],
                uitlijning,
            );
        },
    );
    x.el(
        "text:list-style",
        &[
            ("style:name", "Nummering"),
            ("style:display-name", "Nummering"),
        ],
        |x| {
            x.el(
                "text:list-level-style-number",
                &[
                    ("text:level", "1"),
                    ("style:num-suffix", "."),
                    ("style:num-format", "1"),
                ],
                uitlijning,
            );
        },
    );
}

fn pagina(x: &mut Xml) {
    x.el("style:page-layout", &[("style:name", "A4")], |x| {
        x.el(
            "style:page-layout-properties",
            &[
                ("fo:page-width", &cm(opmaak::PAGINA_BREEDTE_CM)),
                ("fo:page-height", &cm(opmaak::PAGINA_HOOGTE_CM)),
                ("style:print-orientation", "portrait"),
                ("fo:margin-top", &cm(opmaak::MARGE_BOVEN_CM)),
                ("fo:margin-bottom", "1.2cm"),
                ("fo:margin-left", &cm(opmaak::MARGE_ZIJ_CM)),
                ("fo:margin-right", &cm(opmaak::MARGE_ZIJ_CM)),
            ],
            |_| {},
        );
        x.el("style:footer-style", &[], |x| {
            x.leeg(
                "style:header-footer-properties",
                &[("fo:min-height", "0.6cm"), ("fo:margin-top", "0.2cm")],
            );
        });
    });
}
