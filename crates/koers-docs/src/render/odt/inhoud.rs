//! `content.xml`: the documents' blocks as ODF text, with the automatic styles that belong to
//! single tables and pictures, and the pictures themselves.

use super::{Beeld, Xml, wortel_attributen};
use crate::invoer::Logo;
use crate::model::{Blok, Document, Grafiek, Ondertekening, Pakket, Tabel, Uitlijning};
use crate::render::RenderFout;
use crate::render::afbeelding::{self, BeeldFout, Maat, Tekenaar};
use crate::render::opmaak::{self, cm};

/// The content part and the pictures it refers to.
pub(super) fn schrijf(
    pakket: &Pakket,
    teken: Tekenaar,
) -> Result<(String, Vec<Beeld>), RenderFout> {
    let mut inhoud = Inhoud {
        teken,
        stijlen: Xml::fragment(),
        tekst: Xml::fragment(),
        beelden: Vec::new(),
        tabellen: 0,
    };
    vaste_stijlen(&mut inhoud.stijlen, &pakket.huisstijl.kleur);
    for (i, document) in pakket.documenten.iter().enumerate() {
        let logo = opmaak::logo_boven(pakket, document);
        inhoud
            .document(document, i > 0, logo, &pakket.organisatie)
            .map_err(|e| RenderFout::Bestand("odt", e.to_string()))?;
    }
    let Inhoud {
        stijlen,
        tekst,
        beelden,
        ..
    } = inhoud;
    let mut x = Xml::new();
    x.el("office:document-content", &wortel_attributen(), |x| {
        x.el("office:automatic-styles", &[], |x| {
            x.invoegen(stijlen);
        });
        x.el("office:body", &[], |x| {
            x.el("office:text", &[], |x| {
                x.invoegen(tekst);
            });
        });
    });
    Ok((x.klaar(), beelden))
}

struct Inhoud<'a> {
    teken: Tekenaar<'a>,
    /// Automatic styles, written as tables need them.
    stijlen: Xml,
    /// The body text.
    tekst: Xml,
    beelden: Vec<Beeld>,
    /// Tables so far, for unique table and style names.
    tabellen: usize,
}

impl Inhoud<'_> {
    fn document(
        &mut self,
        document: &Document,
        nieuwe_pagina: bool,
        logo: Option<&Logo>,
        organisatie: &str,
    ) -> Result<(), BeeldFout> {
        // The first paragraph of every document but the first carries the page break.
        let mut pagina_nog = nieuwe_pagina;
        let mut eerste = |gewoon: &'static str, met_pagina: &'static str| {
            if std::mem::take(&mut pagina_nog) {
                met_pagina
            } else {
                gewoon
            }
        };
        if let Some(logo) = logo {
            let stijl = eerste("Logo", "Logo_pagina");
            self.logo(logo, stijl, organisatie)?;
        }
        if !document.label.is_empty() {
            let stijl = eerste("Bijlagelabel", "Bijlagelabel_pagina");
            alinea(&mut self.tekst, stijl, &document.label);
        }
        let stijl = eerste("Heading_20_1", "Heading_20_1_pagina");
        kop(&mut self.tekst, stijl, 1, &document.titel);
        for blok in &document.blokken {
            self.blok(blok)?;
        }
        Ok(())
    }

    fn blok(&mut self, blok: &Blok) -> Result<(), BeeldFout> {
        let x = &mut self.tekst;
        match blok {
            Blok::Kop { niveau, tekst } => {
                let niveau = (*niveau).clamp(2, 3);
                let stijl = if niveau == 2 {
                    "Heading_20_2"
                } else {
                    "Heading_20_3"
                };
                kop(x, stijl, niveau, tekst);
            }
            Blok::Alinea { tekst } => alinea(x, "Text_20_body", tekst),
            Blok::PlaatsDatum { tekst } => alinea(x, "Slot", tekst),
            Blok::Lijst { genummerd, items } => lijst(x, *genummerd, items),
            Blok::Gegevens { paren } => self.gegevens(paren),
            Blok::Tabel(tabel) => self.tabel(tabel),
            Blok::Grafiek(grafiek) => self.grafiek(grafiek)?,
            Blok::Ondertekening(ondertekening) => handtekeningen(x, ondertekening),
        }
        Ok(())
    }

    fn logo(
        &mut self,
        logo: &Logo,
        stijl: &'static str,
        organisatie: &str,
    ) -> Result<(), BeeldFout> {
        let maat =
            afbeelding::logo_maat(logo)?.passend_in(opmaak::LOGO_VAK_CM.0, opmaak::LOGO_VAK_CM.1);
        let pad = format!("Pictures/logo.{}", logo.soort.extensie());
        self.beelden.push(Beeld {
            pad: pad.clone(),
            mime: logo.soort.mime(),
            bytes: logo.bytes.clone(),
        });
        self.tekst.el("text:p", &[("text:style-name", stijl)], |x| {
            frame(
                x,
                "Logo",
                &pad,
                logo.soort.mime(),
                maat,
                &format!("Logo {organisatie}"),
                None,
            );
        });
        Ok(())
    }

    /// The chart as its SVG, titled and described, then its numbers as a table. Without a
    /// drawing (an empty SVG) the table alone says it all.
    fn grafiek(&mut self, grafiek: &Grafiek) -> Result<(), BeeldFout> {
        let svg = (self.teken)(grafiek);
        if !svg.trim().is_empty() {
            let maat = afbeelding::svg_maat(&svg)?
                .passend_in(opmaak::GRAFIEK_VAK_CM.0, opmaak::GRAFIEK_VAK_CM.1);
            let nummer = self.beelden.len() + 1;
            let pad = format!("Pictures/grafiek-{nummer}.svg");
            self.beelden.push(Beeld {
                pad: pad.clone(),
                mime: "image/svg+xml",
                bytes: svg.into_bytes(),
            });
            alinea(&mut self.tekst, "Figure", &grafiek.titel);
            self.tekst
                .el("text:p", &[("text:style-name", "Afbeelding")], |x| {
                    frame(
                        x,
                        &format!("Grafiek {nummer}"),
                        &pad,
                        "image/svg+xml",
                        maat,
                        &grafiek.titel,
                        Some(&grafiek.tekstalternatief),
                    );
                });
        }
        self.tabel(&grafiek.tabel);
        Ok(())
    }

    /// A table: caption above, a header row that repeats on every page, a total row set apart.
    fn tabel(&mut self, tabel: &Tabel) {
        let naam = self.tabel_stijl(&opmaak::kolombreedtes(tabel, opmaak::TEKSTBREEDTE_CM));
        alinea(&mut self.tekst, "Table", &tabel.bijschrift);
        let uitlijning: Vec<Uitlijning> = tabel.kolommen.iter().map(|k| k.uitlijning).collect();
        let x = &mut self.tekst;
        x.el(
            "table:table",
            &[("table:name", &naam), ("table:style-name", &naam)],
            |x| {
                kolommen(x, &naam, tabel.kolommen.len());
                x.el("table:table-header-rows", &[], |x| {
                    rij(
                        x,
                        tabel.kolommen.iter().map(|k| k.kop.as_str()),
                        &uitlijning,
                        Rij::Kop,
                    );
                });
                for cellen in &tabel.rijen {
                    rij(
                        x,
                        cellen.iter().map(String::as_str),
                        &uitlijning,
                        Rij::Gewoon,
                    );
                }
                if let Some(totaal) = &tabel.totaal {
                    rij(
                        x,
                        totaal.iter().map(String::as_str),
                        &uitlijning,
                        Rij::Totaal,
                    );
                }
            },
        );
    }

    /// Label–value pairs as a two-column table without borders or head.
    fn gegevens(&mut self, paren: &[(String, String)]) {
        let naam = self.tabel_stijl(&opmaak::gegevensbreedtes(paren, opmaak::TEKSTBREEDTE_CM));
        let x = &mut self.tekst;
        x.el(
            "table:table",
            &[("table:name", &naam), ("table:style-name", &naam)],
            |x| {
                kolommen(x, &naam, 2);
                for (label, waarde) in paren {
                    x.el("table:table-row", &[], |x| {
                        for tekst in [label, waarde] {
                            cel(x, "Gegevenscel", "Table_20_Contents", tekst);
                        }
                    });
                }
            },
        );
    }

    /// The automatic styles of a new table (its width and column widths); returns its name.
    fn tabel_stijl(&mut self, breedtes: &[f64]) -> String {
        self.tabellen += 1;
        let naam = format!("Tabel{}", self.tabellen);
        let x = &mut self.stijlen;
        x.el(
            "style:style",
            &[("style:name", &naam), ("style:family", "table")],
            |x| {
                x.leeg(
                    "style:table-properties",
                    &[
                        ("style:width", &cm(opmaak::TEKSTBREEDTE_CM)),
                        ("table:align", "left"),
                        ("fo:margin-bottom", "0.3cm"),
                    ],
                );
            },
        );
        for (i, breedte) in breedtes.iter().enumerate() {
            x.el(
                "style:style",
                &[
                    ("style:name", &kolom_naam(&naam, i)),
                    ("style:family", "table-column"),
                ],
                |x| {
                    // Absolute widths only: LibreOffice 7 misreads relative widths that do
                    // not add up the way it writes them, and the table's width is fixed anyway.
                    x.leeg(
                        "style:table-column-properties",
                        &[("style:column-width", &cm(*breedte))],
                    );
                },
            );
        }
        naam
    }
}

fn kolom_naam(tabel: &str, i: usize) -> String {
    format!("{tabel}.K{}", i + 1)
}

fn kolommen(x: &mut Xml, tabel: &str, aantal: usize) {
    for i in 0..aantal {
        x.leeg(
            "table:table-column",
            &[("table:style-name", &kolom_naam(tabel, i))],
        );
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Rij {
    Kop,
    Gewoon,
    Totaal,
}

/// One table row, one cell per column: a short row is padded so the table stays rectangular.
fn rij<'a>(
    x: &mut Xml,
    cellen: impl Iterator<Item = &'a str>,
    uitlijning: &[Uitlijning],
    soort: Rij,
) {
    let cellen: Vec<&str> = cellen.collect();
    x.el("table:table-row", &[], |x| {
        for (i, kant) in uitlijning.iter().enumerate() {
            let rechts = *kant == Uitlijning::Rechts;
            let (celstijl, alineastijl) = match (soort, rechts) {
                (Rij::Kop, false) => ("Kopcel", "Table_20_Heading"),
                (Rij::Kop, true) => ("Kopcel", "Kop_rechts"),
                (Rij::Gewoon, false) => ("Cel", "Table_20_Contents"),
                (Rij::Gewoon, true) => ("Cel", "Cel_rechts"),
                (Rij::Totaal, false) => ("Totaalcel", "Totaal"),
                (Rij::Totaal, true) => ("Totaalcel", "Totaal_rechts"),
            };
            cel(
                x,
                celstijl,
                alineastijl,
                cellen.get(i).copied().unwrap_or(""),
            );
        }
    });
}

fn cel(x: &mut Xml, celstijl: &'static str, alineastijl: &'static str, tekst: &str) {
    x.el(
        "table:table-cell",
        &[
            ("table:style-name", celstijl),
            ("office:value-type", "string"),
        ],
        |x| alinea(x, alineastijl, tekst),
    );
}

fn kop(x: &mut Xml, stijl: &'static str, niveau: u8, tekst: &str) {
    x.el(
        "text:h",
        &[
            ("text:style-name", stijl),
            ("text:outline-level", &niveau.to_string()),
        ],
        |x| odf_tekst(x, tekst),
    );
}

fn alinea(x: &mut Xml, stijl: &'static str, tekst: &str) {
    x.el("text:p", &[("text:style-name", stijl)], |x| {
        odf_tekst(x, tekst)
    });
}

fn lijst(x: &mut Xml, genummerd: bool, items: &[String]) {
    let stijl = if genummerd { "Nummering" } else { "Opsomming" };
    // A new text:list counts from 1 again unless told to continue, which is what we want.
    x.el("text:list", &[("text:style-name", stijl)], |x| {
        for item in items {
            x.el("text:list-item", &[], |x| {
                alinea(x, "List_20_Paragraph", item)
            });
        }
    });
}

fn handtekeningen(x: &mut Xml, ondertekening: &Ondertekening) {
    alinea(x, "Slot", &ondertekening.groet);
    alinea(x, "Slot", &ondertekening.afzender);
    for persoon in &ondertekening.ondertekenaars {
        alinea(
            x,
            "Ondertekenaar",
            &format!("{}\n{}", persoon.naam, persoon.functie),
        );
    }
}

/// A picture in a frame that moves with the text like a character, named in `svg:title` and,
/// for charts, described in `svg:desc`: what a screen reader and the PDF export read out.
fn frame(
    x: &mut Xml,
    naam: &str,
    pad: &str,
    mime: &str,
    maat: Maat,
    titel: &str,
    beschrijving: Option<&str>,
) {
    x.el(
        "draw:frame",
        &[
            ("draw:style-name", "Beeld"),
            ("draw:name", naam),
            ("text:anchor-type", "as-char"),
            // Unused for a frame in the line, but readers expect a position.
            ("svg:x", "0cm"),
            ("svg:y", "0cm"),
            ("svg:width", &cm(maat.breedte)),
            ("svg:height", &cm(maat.hoogte)),
        ],
        |x| {
            x.leeg(
                "draw:image",
                &[
                    ("xlink:href", pad),
                    ("xlink:type", "simple"),
                    ("xlink:show", "embed"),
                    ("xlink:actuate", "onLoad"),
                    ("draw:mime-type", mime),
                ],
            );
            x.el_tekst("svg:title", &[], titel);
            if let Some(beschrijving) = beschrijving {
                x.el_tekst("svg:desc", &[], beschrijving);
            }
        },
    );
}

/// Text as ODF keeps it: a reader collapses runs of spaces and drops leading ones, so those
/// are written as `text:s`; tabs and line breaks are elements too.
fn odf_tekst(x: &mut Xml, tekst: &str) {
    let mut stuk = String::new();
    let mut spaties = 0usize;
    // At the start, and after a tab or break, a plain space would be dropped.
    let mut na_wit = true;
    for c in tekst.chars() {
        match c {
            ' ' if !na_wit => {
                stuk.push(' ');
                na_wit = true;
            }
            ' ' => spaties += 1,
            '\n' | '\t' => {
                spaties_uit(x, &mut stuk, &mut spaties);
                x.leeg(
                    if c == '\n' {
                        "text:line-break"
                    } else {
                        "text:tab"
                    },
                    &[],
                );
                na_wit = true;
            }
            '\r' => {}
            c => {
                if spaties > 0 {
                    spaties_uit(x, &mut stuk, &mut spaties);
                }
                stuk.push(c);
                na_wit = false;
            }
        }
    }
    spaties_uit(x, &mut stuk, &mut spaties);
}

/// Writes the pending text, then the pending run of spaces.
fn spaties_uit(x: &mut Xml, stuk: &mut String, spaties: &mut usize) {
    x.tekst(stuk);
    stuk.clear();
    if *spaties > 0 {
        x.leeg("text:s", &[("text:c", &spaties.to_string())]);
        *spaties = 0;
    }
}

/// The automatic styles every document uses: table cells in the house colour, right-aligned
/// and total paragraphs, page breaks before a document, and the picture frame.
fn vaste_stijlen(x: &mut Xml, kleur: &str) {
    let lijn = "0.5pt solid #b0b0b0";
    let huislijn = format!("1pt solid {kleur}");
    let opvulling = ("fo:padding", "0.1cm");
    for (naam, eigenschappen) in [
        (
            "Kopcel",
            vec![
                ("fo:background-color", kleur),
                ("fo:border", "none"),
                opvulling,
            ],
        ),
        ("Cel", vec![("fo:border-bottom", lijn), opvulling]),
        (
            "Totaalcel",
            vec![("fo:border-top", huislijn.as_str()), opvulling],
        ),
        (
            "Gegevenscel",
            vec![("fo:border", "none"), ("fo:padding", "0.05cm")],
        ),
    ] {
        x.el(
            "style:style",
            &[("style:name", naam), ("style:family", "table-cell")],
            |x| {
                x.leeg("style:table-cell-properties", &eigenschappen);
            },
        );
    }
    let rechts = ("fo:text-align", "end");
    let vet = ("fo:font-weight", "bold");
    for (naam, ouder, alinea, tekst) in [
        ("Kop_rechts", "Table_20_Heading", Some(rechts), None),
        ("Cel_rechts", "Table_20_Contents", Some(rechts), None),
        ("Totaal", "Table_20_Contents", None, Some(vet)),
        (
            "Totaal_rechts",
            "Table_20_Contents",
            Some(rechts),
            Some(vet),
        ),
        (
            "Logo_pagina",
            "Logo",
            Some(("fo:break-before", "page")),
            None,
        ),
        (
            "Bijlagelabel_pagina",
            "Bijlagelabel",
            Some(("fo:break-before", "page")),
            None,
        ),
        (
            "Heading_20_1_pagina",
            "Heading_20_1",
            Some(("fo:break-before", "page")),
            None,
        ),
    ] {
        x.el(
            "style:style",
            &[
                ("style:name", naam),
                ("style:family", "paragraph"),
                ("style:parent-style-name", ouder),
            ],
            |x| {
                if let Some(alinea) = alinea {
                    x.leeg("style:paragraph-properties", &[alinea]);
                }
                if let Some(tekst) = tekst {
                    x.leeg("style:text-properties", &[tekst]);
                }
            },
        );
    }
    x.el(
        "style:style",
        &[("style:name", "Beeld"), ("style:family", "graphic")],
        |x| {
            x.leeg(
                "style:graphic-properties",
                &[
                    ("style:vertical-pos", "top"),
                    ("style:vertical-rel", "baseline"),
                    ("fo:border", "none"),
                    ("fo:padding", "0cm"),
                ],
            );
        },
    );
}
