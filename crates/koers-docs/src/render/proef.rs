//! What the office renderers' tests share: a small package made by hand (a letter with every
//! kind of block, an annex with a table per theme), a chart drawing, and unpacking a zip.
//! And the one test that has LibreOffice convert both formats to PDF.

use crate::invoer::{Logo, LogoSoort, Ondertekenaar};
use crate::model::*;
use crate::render::afbeelding;
use crate::render::xml::escape_into;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// A title no format may take for markup.
pub(crate) const LASTIGE_TITEL: &str = "<b>&\"'</b> # * $ \\ @ ] Evaluatie 2023 en programma 2024";

pub(crate) fn voorbeeld(titel: &str, logo: Option<Logo>) -> Pakket {
    let kolom = |kop: &str, uitlijning, breedte| Kolom {
        kop: kop.into(),
        uitlijning,
        breedte,
    };
    let uren = Tabel {
        bijschrift: "Geplande uren per thema".into(),
        kolommen: vec![
            kolom("Thema", Uitlijning::Links, 3),
            kolom("Acties", Uitlijning::Rechts, 1),
            kolom("Uren", Uitlijning::Rechts, 1),
        ],
        rijen: vec![
            vec![
                "Veilige woon- en leefomgeving".into(),
                "12".into(),
                "1.340".into(),
            ],
            vec![
                "Ondermijning\nen georganiseerde criminaliteit".into(),
                "7".into(),
                "860".into(),
            ],
        ],
        totaal: Some(vec!["Totaal".into(), "19".into(), "2.200".into()]),
    };
    let grafiek = Grafiek {
        titel: "Uitkomsten per thema".into(),
        tekstalternatief:
            "Bij Toezicht zijn 8 van de 10 acties gerealiseerd, bij Handhaving 5 van de 9.".into(),
        soort: GrafiekSoort::Gestapeld,
        categorieen: vec!["Toezicht".into(), "Handhaving".into()],
        reeksen: vec![
            Reeks {
                naam: "Gerealiseerd".into(),
                kleur: "#1f5f8b".into(),
                waarden: vec![8, 5],
            },
            Reeks {
                naam: "Niet gerealiseerd".into(),
                kleur: "#c8553d".into(),
                waarden: vec![2, 4],
            },
        ],
        eenheid: "acties".into(),
        decimalen: 0,
        tabel: Tabel {
            bijschrift: "Uitkomsten per thema in cijfers".into(),
            kolommen: vec![
                kolom("Thema", Uitlijning::Links, 2),
                kolom("Gerealiseerd", Uitlijning::Rechts, 1),
                kolom("Niet gerealiseerd", Uitlijning::Rechts, 1),
            ],
            rijen: vec![
                vec!["Toezicht".into(), "8".into(), "2".into()],
                vec!["Handhaving".into(), "5".into(), "4".into()],
            ],
            totaal: None,
        },
    };
    let brief = Document {
        soort: DocumentSoort::Brief,
        label: String::new(),
        titel: titel.into(),
        blokken: vec![
            Blok::Gegevens {
                paren: vec![
                    ("Nummer".into(), "2024-007143".into()),
                    ("Datum".into(), "27 februari 2024".into()),
                    ("Onderwerp".into(), titel.into()),
                ],
            },
            Blok::Alinea {
                tekst: "Geachte leden van de raad,".into(),
            },
            Blok::Alinea {
                tekst: "Met deze brief informeren wij u over wat wij in 2023 hebben gedaan.  Twee spaties, \
                        een\ttab en een regel\nerna."
                    .into(),
            },
            Blok::Kop {
                niveau: 2,
                tekst: "Wat wij hebben bereikt".into(),
            },
            Blok::Lijst {
                genummerd: false,
                items: vec!["Meer toezicht op vakantieverhuur".into(), "Een nieuw meldpunt".into()],
            },
            Blok::Kop {
                niveau: 3,
                tekst: "Vervolgstappen".into(),
            },
            Blok::Lijst {
                genummerd: true,
                items: vec!["Het college stelt het programma vast".into(), "De raad wordt geïnformeerd".into()],
            },
            Blok::Tabel(uren),
            Blok::Grafiek(grafiek),
            Blok::PlaatsDatum {
                tekst: "Den Helder, 27 februari 2024.".into(),
            },
            Blok::Ondertekening(Ondertekening {
                groet: "Met vriendelijke groet,".into(),
                afzender: "burgemeester en wethouders van Den Helder,".into(),
                ondertekenaars: vec![
                    Ondertekenaar {
                        naam: "R.A. Jansen".into(),
                        functie: "secretaris".into(),
                    },
                    Ondertekenaar {
                        naam: "J.A. de Boer".into(),
                        functie: "burgemeester".into(),
                    },
                ],
            }),
        ],
    };
    let thema_tabel = |thema: &str| {
        Blok::Tabel(Tabel {
            bijschrift: format!("Acties binnen {thema}"),
            kolommen: vec![
                kolom("Code", Uitlijning::Links, 1),
                kolom("Actie", Uitlijning::Links, 4),
                kolom("Uren", Uitlijning::Rechts, 1),
            ],
            rijen: (1..=3)
                .map(|n| {
                    vec![
                        format!("{}-{n}", &thema[..2]),
                        format!("Actie {n} van {thema}"),
                        format!("{}", n * 40),
                    ]
                })
                .collect(),
            totaal: None,
        })
    };
    let bijlage = Document {
        soort: DocumentSoort::Programma,
        label: "Bijlage 2".into(),
        titel: "Uitvoeringsprogramma 2024".into(),
        blokken: vec![
            Blok::Kop {
                niveau: 2,
                tekst: "Toezicht".into(),
            },
            thema_tabel("Toezicht"),
            Blok::Kop {
                niveau: 2,
                tekst: "Handhaving".into(),
            },
            thema_tabel("Handhaving"),
        ],
    };
    Pakket {
        titel: titel.into(),
        organisatie: "Gemeente Den Helder".into(),
        taal: "nl",
        datum: None,
        huisstijl: Stijl {
            kleur: "#1f5f8b".into(),
            logo,
        },
        documenten: vec![brief, bijlage],
    }
}

/// A logo as an uploaded PNG would be.
pub(crate) fn logo_png() -> Logo {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><rect width="300" height="100" fill="#1f5f8b"/><circle cx="50" cy="50" r="30" fill="#ffffff"/></svg>"##;
    Logo {
        soort: LogoSoort::Png,
        bytes: afbeelding::svg_als_png(svg, 300).unwrap(),
    }
}

pub(crate) fn logo_svg() -> Logo {
    Logo {
        soort: LogoSoort::Svg,
        bytes: br##"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="80"><rect width="240" height="80" fill="#1f5f8b"/></svg>"##.to_vec(),
    }
}

/// A bar chart drawn by hand, standing in for [`Grafiek::svg`] until that draws: one bar per
/// category, labelled with its name (escaped, as the real drawing must).
pub(crate) fn teken(grafiek: &Grafiek) -> String {
    let mut svg = String::from(
        r#"<svg xmlns="http://www.w3.org/2000/svg" role="img" width="600" height="200" viewBox="0 0 600 200"><title>"#,
    );
    escape_into(&mut svg, &grafiek.titel);
    svg.push_str("</title><desc>");
    escape_into(&mut svg, &grafiek.tekstalternatief);
    svg.push_str("</desc>");
    for (i, categorie) in grafiek.categorieen.iter().enumerate() {
        let y = 20 + i * 60;
        let mut x = 150;
        for reeks in &grafiek.reeksen {
            let breedte = reeks.waarden.get(i).copied().unwrap_or(0) * 30;
            svg.push_str(&format!(
                r#"<rect x="{x}" y="{y}" width="{breedte}" height="40" fill="{}"/>"#,
                reeks.kleur
            ));
            x += breedte as usize;
        }
        svg.push_str(&format!(
            r#"<text x="10" y="{}" font-family="sans-serif" font-size="16">"#,
            y + 26
        ));
        escape_into(&mut svg, categorie);
        svg.push_str("</text>");
    }
    svg.push_str("</svg>");
    svg
}

/// A zip's parts by name, and the names in the order they are stored.
pub(crate) fn uitpakken(bytes: &[u8]) -> (BTreeMap<String, Vec<u8>>, Vec<String>) {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    let mut delen = BTreeMap::new();
    let mut volgorde = Vec::new();
    for i in 0..zip.len() {
        let mut deel = zip.by_index(i).unwrap();
        let mut inhoud = Vec::new();
        deel.read_to_end(&mut inhoud).unwrap();
        let naam = deel.name().unwrap().to_string();
        volgorde.push(naam.clone());
        delen.insert(naam, inhoud);
    }
    (delen, volgorde)
}

/// A part as text, checked to be well-formed XML.
pub(crate) fn xml_deel(delen: &BTreeMap<String, Vec<u8>>, naam: &str) -> String {
    let tekst = String::from_utf8(
        delen
            .get(naam)
            .unwrap_or_else(|| panic!("{naam} missing"))
            .clone(),
    )
    .unwrap();
    if let Err(e) = roxmltree::Document::parse(&tekst) {
        panic!("{naam} is not well-formed XML: {e}");
    }
    tekst
}

/// Every text node of a part joined, as a reader would get the text back.
pub(crate) fn tekst_van(xml: &str) -> String {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("")
}

/// The value of attribute `naam` on the first element called `element` that has it.
pub(crate) fn attribuut(xml: &str, element: &str, naam: &str) -> Option<String> {
    let doc = roxmltree::Document::parse(xml).unwrap();
    doc.descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == element)
        .find_map(|n| {
            n.attributes()
                .find(|a| a.name() == naam)
                .map(|a| a.value().to_string())
        })
}

mod soffice {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    /// LibreOffice opens both files and prints them to PDF, and the PDFs hold the letter's
    /// title and a table cell. soffice starts slowly, so both go in one call. With
    /// `KOERS_HOUD_PDF` set the files stay, to look at (`pdftoppm -png -r 60`).
    #[test]
    fn libreoffice_converts_both_formats_to_pdf() {
        let Some(soffice) = programma("soffice") else {
            assert!(
                std::env::var_os("CI").is_none(),
                "soffice is missing (apt-get install libreoffice-writer-nogui)"
            );
            eprintln!("skipped: soffice is missing and CI is unset");
            return;
        };
        let pakket = voorbeeld(LASTIGE_TITEL, Some(logo_png()));
        let map = tempdir();
        let odt = map.join("pakket.odt");
        let docx = map.join("pakket-word.docx");
        // The public renderers, so the charts are Koers' own drawings.
        std::fs::write(&odt, crate::render::odt::render(&pakket).unwrap()).unwrap();
        std::fs::write(&docx, crate::render::docx::render(&pakket).unwrap()).unwrap();
        let uit = Command::new(soffice)
            .arg(format!(
                "-env:UserInstallation=file://{}",
                map.join("profiel").display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(&map)
            .args([&odt, &docx])
            .output()
            .unwrap();
        assert!(
            uit.status.success(),
            "soffice: {}",
            String::from_utf8_lossy(&uit.stderr)
        );
        for pdf in ["pakket.pdf", "pakket-word.pdf"] {
            let tekst = pdftotext(&map.join(pdf));
            let tekst = tekst.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                tekst.contains(LASTIGE_TITEL),
                "{pdf}: title missing in {tekst}"
            );
            assert!(
                tekst.contains("Veilige woon- en leefomgeving"),
                "{pdf}: table cell missing"
            );
            assert!(
                tekst.contains("Acties binnen Handhaving"),
                "{pdf}: annex missing"
            );
        }
        if std::env::var_os("KOERS_HOUD_PDF").is_none() {
            let _ = std::fs::remove_dir_all(&map);
        } else {
            eprintln!("kept in {}", map.display());
        }
    }

    fn pdftotext(pdf: &Path) -> String {
        let uit = Command::new(
            programma("pdftotext").expect("pdftotext (apt-get install poppler-utils)"),
        )
        .arg(pdf)
        .arg("-")
        .output()
        .unwrap();
        assert!(uit.status.success(), "pdftotext {}", pdf.display());
        String::from_utf8(uit.stdout).unwrap()
    }

    fn programma(naam: &str) -> Option<std::path::PathBuf> {
        std::env::var_os("PATH")?
            .to_str()?
            .split(':')
            .map(|map| Path::new(map).join(naam))
            .find(|pad| pad.is_file())
    }

    /// A fresh folder of our own; a test run leaves nothing behind.
    fn tempdir() -> std::path::PathBuf {
        let map = std::env::temp_dir().join(format!("koers-kantoor-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&map);
        std::fs::create_dir_all(&map).unwrap();
        map
    }
}
