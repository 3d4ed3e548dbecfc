//! `word/document.xml`: the documents' blocks as WordprocessingML, and the pictures and lists
//! the other parts must know about.

use super::tekening::{self, Geplaatst};
use super::{Media, R, W, Xml};
use crate::invoer::{Logo, LogoSoort};
use crate::model::{Blok, Document, Grafiek, Ondertekening, Pakket, Tabel, Uitlijning};
use crate::render::afbeelding::{self, BeeldFout, Maat, Tekenaar};
use crate::render::opmaak::{self, emu, twips};

/// How finely charts are drawn for readers that take the PNG: sharp in print.
const PUNTEN_PER_INCH: f64 = 200.0;

pub(super) struct Lichaam {
    pub document: String,
    pub media: Vec<Media>,
    /// One entry per list, in order: whether it is numbered. List n has numbering id n + 1.
    pub lijsten: Vec<bool>,
}

pub(super) fn schrijf(pakket: &Pakket, teken: Tekenaar) -> Result<Lichaam, BeeldFout> {
    let mut schrijver = Schrijver {
        teken,
        x: Xml::fragment(),
        media: Vec::new(),
        lijsten: Vec::new(),
        tekeningen: 0,
        na_tabel: false,
        kleur: super::kleur(&pakket.huisstijl.kleur),
    };
    for (i, document) in pakket.documenten.iter().enumerate() {
        let logo = opmaak::logo_boven(pakket, document);
        schrijver.document(document, i > 0, logo, &pakket.organisatie)?;
    }
    let Schrijver {
        x: tekst,
        media,
        lijsten,
        ..
    } = schrijver;
    let mut x = Xml::new();
    x.el(
        "w:document",
        &[
            W,
            R,
            (
                "xmlns:wp",
                "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
            ),
            (
                "xmlns:a",
                "http://schemas.openxmlformats.org/drawingml/2006/main",
            ),
            (
                "xmlns:pic",
                "http://schemas.openxmlformats.org/drawingml/2006/picture",
            ),
            (
                "xmlns:asvg",
                "http://schemas.microsoft.com/office/drawing/2016/SVG/main",
            ),
        ],
        |x| {
            x.el("w:body", &[], |x| {
                x.invoegen(tekst);
                sectie(x);
            });
        },
    );
    Ok(Lichaam {
        document: x.klaar(),
        media,
        lijsten,
    })
}

struct Schrijver<'a> {
    teken: Tekenaar<'a>,
    x: Xml,
    media: Vec<Media>,
    lijsten: Vec<bool>,
    /// Drawings so far: each needs a unique id.
    tekeningen: usize,
    /// Whether the last block written was a table.
    na_tabel: bool,
    /// The house colour as OOXML writes colours: "1F5F8B".
    kleur: String,
}

/// A picture to place: the PNG every reader shows, the SVG Word 2016 and later show instead,
/// and its alternative text.
struct Beeld<'a> {
    /// "logo" or "grafiek": names the files and the drawing.
    soort: &'static str,
    maat: Maat,
    png: Vec<u8>,
    svg: Option<Vec<u8>>,
    titel: &'a str,
    beschrijving: &'a str,
}

/// How one paragraph is set; written as `w:pPr` in the order the schema demands.
#[derive(Default, Clone, Copy)]
struct Alinea {
    stijl: &'static str,
    nieuwe_pagina: bool,
    lijst: Option<usize>,
    /// The first paragraph after a table: Word sets no space below a table, and space in the
    /// table's last cells would push its bottom line down.
    ruimte_voor: bool,
    rechts: bool,
}

impl Alinea {
    fn stijl(stijl: &'static str) -> Self {
        Self {
            stijl,
            ..Self::default()
        }
    }
}

impl Schrijver<'_> {
    fn document(
        &mut self,
        document: &Document,
        nieuwe_pagina: bool,
        logo: Option<&Logo>,
        organisatie: &str,
    ) -> Result<(), BeeldFout> {
        // The first paragraph of every document but the first starts a page.
        let mut pagina_nog = nieuwe_pagina;
        let mut eerste = |stijl: &'static str| Alinea {
            nieuwe_pagina: std::mem::take(&mut pagina_nog),
            ..Alinea::stijl(stijl)
        };
        if let Some(logo) = logo {
            let opmaak = eerste("Logo");
            self.logo(logo, opmaak, organisatie)?;
        }
        if !document.label.is_empty() {
            alinea(&mut self.x, eerste("Bijlagelabel"), &document.label);
        }
        alinea(&mut self.x, eerste("Heading1"), &document.titel);
        for blok in &document.blokken {
            self.blok(blok)?;
        }
        Ok(())
    }

    fn blok(&mut self, blok: &Blok) -> Result<(), BeeldFout> {
        match blok {
            Blok::Kop { niveau, tekst } => {
                // A heading has room enough above it of its own.
                self.na_tabel = false;
                let stijl = if *niveau <= 2 { "Heading2" } else { "Heading3" };
                alinea(&mut self.x, Alinea::stijl(stijl), tekst);
            }
            Blok::Alinea { tekst } => {
                let opmaak = self.volgende("Normal");
                alinea(&mut self.x, opmaak, tekst);
            }
            Blok::PlaatsDatum { tekst } => {
                let opmaak = self.volgende("Slot");
                alinea(&mut self.x, opmaak, tekst);
            }
            Blok::Lijst { genummerd, items } => {
                self.lijsten.push(*genummerd);
                let opmaak = Alinea {
                    lijst: Some(self.lijsten.len()),
                    ..Alinea::stijl("ListParagraph")
                };
                for (i, item) in items.iter().enumerate() {
                    let ruimte_voor = i == 0 && std::mem::take(&mut self.na_tabel);
                    alinea(
                        &mut self.x,
                        Alinea {
                            ruimte_voor,
                            ..opmaak
                        },
                        item,
                    );
                }
            }
            Blok::Gegevens { paren } => {
                gegevens(&mut self.x, paren);
                self.na_tabel = true;
            }
            Blok::Tabel(tabel) => self.tabel(tabel),
            Blok::Grafiek(grafiek) => self.grafiek(grafiek)?,
            Blok::Ondertekening(ondertekening) => {
                let groet = self.volgende("Slot");
                handtekeningen(&mut self.x, ondertekening, groet);
            }
        }
        Ok(())
    }

    /// How the next paragraph of `stijl` is set, with room above it if a table precedes it.
    fn volgende(&mut self, stijl: &'static str) -> Alinea {
        Alinea {
            ruimte_voor: std::mem::take(&mut self.na_tabel),
            ..Alinea::stijl(stijl)
        }
    }

    fn tabel(&mut self, tabel: &Tabel) {
        let bijschrift = self.volgende("Caption");
        tabel_met_bijschrift(&mut self.x, tabel, &self.kleur, bijschrift);
        self.na_tabel = true;
    }

    fn logo(&mut self, logo: &Logo, opmaak: Alinea, organisatie: &str) -> Result<(), BeeldFout> {
        let maat =
            afbeelding::logo_maat(logo)?.passend_in(opmaak::LOGO_VAK_CM.0, opmaak::LOGO_VAK_CM.1);
        let (png, svg) = match logo.soort {
            LogoSoort::Png => (logo.bytes.clone(), None),
            LogoSoort::Svg => {
                let svg = std::str::from_utf8(&logo.bytes).map_err(|_| BeeldFout::Logo)?;
                (
                    afbeelding::svg_als_png(svg, pixels(maat.breedte))?,
                    Some(logo.bytes.clone()),
                )
            }
        };
        let beschrijving = format!("Logo {organisatie}");
        let beeld = Beeld {
            soort: "logo",
            maat,
            png,
            svg,
            titel: &beschrijving,
            beschrijving: &beschrijving,
        };
        self.tekening(opmaak, beeld);
        Ok(())
    }

    /// The chart's title as caption, the chart, then its numbers as a table. Without a drawing
    /// (an empty SVG) the table alone says it all.
    fn grafiek(&mut self, grafiek: &Grafiek) -> Result<(), BeeldFout> {
        let svg = (self.teken)(grafiek);
        if !svg.trim().is_empty() {
            let maat = afbeelding::svg_maat(&svg)?
                .passend_in(opmaak::GRAFIEK_VAK_CM.0, opmaak::GRAFIEK_VAK_CM.1);
            let png = afbeelding::svg_als_png(&svg, pixels(maat.breedte))?;
            let bijschrift = self.volgende("Caption");
            alinea(&mut self.x, bijschrift, &grafiek.titel);
            let beeld = Beeld {
                soort: "grafiek",
                maat,
                png,
                svg: Some(svg.into_bytes()),
                titel: &grafiek.titel,
                beschrijving: &grafiek.tekstalternatief,
            };
            self.tekening(Alinea::stijl("Figuur"), beeld);
        }
        self.tabel(&grafiek.tabel);
        Ok(())
    }

    /// A paragraph holding one picture inline.
    fn tekening(&mut self, opmaak: Alinea, beeld: Beeld) {
        self.tekeningen += 1;
        let nummer = self.tekeningen;
        let soort = beeld.soort;
        let geplaatst = Geplaatst {
            id: nummer.to_string(),
            naam: format!("{soort} {nummer}"),
            png: self.media_erbij(format!("media/{soort}-{nummer}.png"), beeld.png),
            svg: beeld
                .svg
                .map(|svg| self.media_erbij(format!("media/{soort}-{nummer}.svg"), svg)),
            breedte: emu(beeld.maat.breedte),
            hoogte: emu(beeld.maat.hoogte),
        };
        self.x.el("w:p", &[], |x| {
            alinea_eigenschappen(x, opmaak);
            x.el("w:r", &[], |x| {
                tekening::inline(x, &geplaatst, beeld.titel, beeld.beschrijving);
            });
        });
    }

    fn media_erbij(&mut self, doel: String, bytes: Vec<u8>) -> String {
        let id = format!("rIdMedia{}", self.media.len() + 1);
        self.media.push(Media {
            id: id.clone(),
            doel,
            bytes,
        });
        id
    }
}

/// The pixel width a picture of `breedte_cm` is drawn at.
fn pixels(breedte_cm: f64) -> u32 {
    (breedte_cm / 2.54 * PUNTEN_PER_INCH).ceil() as u32
}

fn alinea(x: &mut Xml, opmaak: Alinea, tekst: &str) {
    x.el("w:p", &[], |x| {
        alinea_eigenschappen(x, opmaak);
        run(x, tekst);
    });
}

fn alinea_eigenschappen(x: &mut Xml, opmaak: Alinea) {
    x.el("w:pPr", &[], |x| {
        x.leeg("w:pStyle", &[("w:val", opmaak.stijl)]);
        if opmaak.nieuwe_pagina {
            x.leeg("w:pageBreakBefore", &[]);
        }
        if let Some(lijst) = opmaak.lijst {
            x.el("w:numPr", &[], |x| {
                x.leeg("w:ilvl", &[("w:val", "0")]);
                x.leeg("w:numId", &[("w:val", &lijst.to_string())]);
            });
        }
        if opmaak.ruimte_voor {
            x.leeg("w:spacing", &[("w:before", "240")]);
        }
        if opmaak.rechts {
            x.leeg("w:jc", &[("w:val", "right")]);
        }
    });
}

/// A run of text; line breaks and tabs in it become their own elements, spaces are kept. A
/// carriage return is dropped: "\r\n" is one break, as in the ODT.
fn run(x: &mut Xml, tekst: &str) {
    let tekst = tekst.replace('\r', "");
    x.el("w:r", &[], |x| {
        for (i, regel) in tekst.split('\n').enumerate() {
            if i > 0 {
                x.leeg("w:br", &[]);
            }
            for (j, stuk) in regel.split('\t').enumerate() {
                if j > 0 {
                    x.leeg("w:tab", &[]);
                }
                if !stuk.is_empty() {
                    x.el_tekst("w:t", &[("xml:space", "preserve")], stuk);
                }
            }
        }
    });
}

#[derive(Clone, Copy, PartialEq)]
enum Rij {
    Kop,
    Gewoon,
    Totaal,
}

/// A table: caption above, a header row that repeats on every page, a total row set apart.
fn tabel_met_bijschrift(x: &mut Xml, tabel: &Tabel, kleur: &str, bijschrift: Alinea) {
    alinea(x, bijschrift, &tabel.bijschrift);
    let breedtes = in_twips(opmaak::kolombreedtes(tabel, opmaak::TEKSTBREEDTE_CM));
    let uitlijning: Vec<Uitlijning> = tabel.kolommen.iter().map(|k| k.uitlijning).collect();
    x.el("w:tbl", &[], |x| {
        x.el("w:tblPr", &[], |x| {
            x.leeg("w:tblStyle", &[("w:val", "Tabel")]);
            x.leeg(
                "w:tblW",
                &[("w:w", &twips(opmaak::TEKSTBREEDTE_CM)), ("w:type", "dxa")],
            );
            x.leeg("w:tblLayout", &[("w:type", "fixed")]);
            x.leeg(
                "w:tblLook",
                &[
                    ("w:firstRow", "1"),
                    ("w:lastRow", "0"),
                    ("w:firstColumn", "0"),
                    ("w:lastColumn", "0"),
                    ("w:noHBand", "1"),
                    ("w:noVBand", "1"),
                ],
            );
            x.leeg("w:tblCaption", &[("w:val", &tabel.bijschrift)]);
        });
        raster(x, &breedtes);
        let kop = tabel.kolommen.iter().map(|k| k.kop.as_str());
        let kolommen = Kolommen {
            breedtes: &breedtes,
            uitlijning: &uitlijning,
            kleur,
        };
        kolommen.rij(x, kop, Rij::Kop);
        for cellen in &tabel.rijen {
            kolommen.rij(x, cellen.iter().map(String::as_str), Rij::Gewoon);
        }
        if let Some(totaal) = &tabel.totaal {
            kolommen.rij(x, totaal.iter().map(String::as_str), Rij::Totaal);
        }
    });
}

/// Label–value pairs as a two-column table without borders or head.
fn gegevens(x: &mut Xml, paren: &[(String, String)]) {
    let breedtes = in_twips(opmaak::gegevensbreedtes(paren, opmaak::TEKSTBREEDTE_CM));
    x.el("w:tbl", &[], |x| {
        x.el("w:tblPr", &[], |x| {
            x.leeg("w:tblStyle", &[("w:val", "Gegevens")]);
            x.leeg(
                "w:tblW",
                &[("w:w", &twips(opmaak::TEKSTBREEDTE_CM)), ("w:type", "dxa")],
            );
            x.leeg("w:tblLayout", &[("w:type", "fixed")]);
        });
        raster(x, &breedtes);
        for (label, waarde) in paren {
            x.el("w:tr", &[], |x| {
                for (tekst, breedte) in [label, waarde].into_iter().zip(&breedtes) {
                    cel(x, breedte, None, None, Alinea::stijl("Tabelinhoud"), tekst);
                }
            });
        }
    });
}

fn in_twips(breedtes: Vec<f64>) -> Vec<String> {
    breedtes.into_iter().map(twips).collect()
}

fn raster(x: &mut Xml, breedtes: &[String]) {
    x.el("w:tblGrid", &[], |x| {
        for breedte in breedtes {
            x.leeg("w:gridCol", &[("w:w", breedte)]);
        }
    });
}

/// What every row of one table shares.
struct Kolommen<'a> {
    breedtes: &'a [String],
    uitlijning: &'a [Uitlijning],
    kleur: &'a str,
}

impl Kolommen<'_> {
    /// One row, one cell per column: a short row is padded so the table stays rectangular.
    fn rij<'a>(&self, x: &mut Xml, cellen: impl Iterator<Item = &'a str>, soort: Rij) {
        let cellen: Vec<&str> = cellen.collect();
        x.el("w:tr", &[], |x| {
            if soort == Rij::Kop {
                x.el("w:trPr", &[], |x| {
                    x.leeg("w:cantSplit", &[]);
                    x.leeg("w:tblHeader", &[]);
                });
            }
            for (i, (breedte, kant)) in self.breedtes.iter().zip(self.uitlijning).enumerate() {
                let (stijl, vulling, bovenlijn) = match soort {
                    Rij::Kop => ("Tabelkop", Some(self.kleur), None),
                    Rij::Gewoon => ("Tabelinhoud", None, None),
                    Rij::Totaal => ("Tabeltotaal", None, Some(self.kleur)),
                };
                let opmaak = Alinea {
                    rechts: *kant == Uitlijning::Rechts,
                    ..Alinea::stijl(stijl)
                };
                cel(
                    x,
                    breedte,
                    vulling,
                    bovenlijn,
                    opmaak,
                    cellen.get(i).copied().unwrap_or(""),
                );
            }
        });
    }
}

fn cel(
    x: &mut Xml,
    breedte: &str,
    vulling: Option<&str>,
    bovenlijn: Option<&str>,
    opmaak: Alinea,
    tekst: &str,
) {
    x.el("w:tc", &[], |x| {
        x.el("w:tcPr", &[], |x| {
            x.leeg("w:tcW", &[("w:w", breedte), ("w:type", "dxa")]);
            if let Some(kleur) = bovenlijn {
                x.el("w:tcBorders", &[], |x| {
                    x.leeg(
                        "w:top",
                        &[
                            ("w:val", "single"),
                            ("w:sz", "8"),
                            ("w:space", "0"),
                            ("w:color", kleur),
                        ],
                    );
                });
            }
            if let Some(kleur) = vulling {
                x.leeg(
                    "w:shd",
                    &[("w:val", "clear"), ("w:color", "auto"), ("w:fill", kleur)],
                );
            }
        });
        alinea(x, opmaak, tekst);
    });
}

fn handtekeningen(x: &mut Xml, ondertekening: &Ondertekening, groet: Alinea) {
    alinea(x, groet, &ondertekening.groet);
    alinea(x, Alinea::stijl("Slot"), &ondertekening.afzender);
    for persoon in &ondertekening.ondertekenaars {
        alinea(
            x,
            Alinea::stijl("Ondertekenaar"),
            &format!("{}\n{}", persoon.naam, persoon.functie),
        );
    }
}

/// The page: A4 with the same margins as the ODT, and the page number in the footer.
fn sectie(x: &mut Xml) {
    x.el("w:sectPr", &[], |x| {
        x.leeg(
            "w:footerReference",
            &[("w:type", "default"), ("r:id", "rIdVoettekst")],
        );
        x.leeg(
            "w:pgSz",
            &[
                ("w:w", &twips(opmaak::PAGINA_BREEDTE_CM)),
                ("w:h", &twips(opmaak::PAGINA_HOOGTE_CM)),
            ],
        );
        let zij = twips(opmaak::MARGE_ZIJ_CM);
        let boven = twips(opmaak::MARGE_BOVEN_CM);
        x.leeg(
            "w:pgMar",
            &[
                ("w:top", &boven),
                ("w:right", &zij),
                ("w:bottom", &boven),
                ("w:left", &zij),
                ("w:header", &twips(1.0)),
                ("w:footer", &twips(0.8)),
                ("w:gutter", "0"),
            ],
        );
    });
}
