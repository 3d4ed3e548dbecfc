//! The PDF renderer: conformance claims in the metadata, user text printed as typed, and the
//! layout a reader relies on (pages, footer, tables, logo), checked on the PDF itself with
//! poppler's `pdfinfo` and `pdftotext`.

use chrono::{TimeZone, Utc};
use koers_docs::invoer::{Logo, LogoSoort, Ondertekenaar};
use koers_docs::model::{
    Blok, Document, DocumentSoort, Grafiek, GrafiekSoort, Kolom, Ondertekening, Pakket, Reeks,
    Stijl, Tabel, Uitlijning,
};
use koers_docs::render::pdf;
use std::io::Write;
use std::process::Command;
use std::sync::LazyLock;

// ---- A package built by hand --------------------------------------------------------------

fn kolom(kop: &str, uitlijning: Uitlijning, breedte: u8) -> Kolom {
    Kolom {
        kop: kop.into(),
        uitlijning,
        breedte,
    }
}

fn tabel(bijschrift: &str, rijen: usize) -> Tabel {
    Tabel {
        bijschrift: bijschrift.into(),
        kolommen: vec![
            kolom("Actie", Uitlijning::Links, 4),
            kolom("Trekker", Uitlijning::Links, 2),
            kolom("Uren", Uitlijning::Rechts, 1),
        ],
        rijen: (1..=rijen)
            .map(|n| {
                vec![
                    format!("Actie {n}: controle van evenementen en horeca"),
                    "Toezicht".into(),
                    format!("{}", n * 40),
                ]
            })
            .collect(),
        totaal: Some(vec![
            "Totaal".into(),
            String::new(),
            format!("{}", 40 * rijen * (rijen + 1) / 2),
        ]),
    }
}

fn grafiek() -> Grafiek {
    Grafiek {
        titel: "Uitkomst van de acties per thema".into(),
        tekstalternatief: "Van de 12 acties over veiligheid zijn er 9 gerealiseerd.".into(),
        soort: GrafiekSoort::Gestapeld,
        categorieen: vec!["Veiligheid".into(), "Milieu".into()],
        reeksen: vec![Reeks {
            naam: "Gerealiseerd".into(),
            kleur: "#1f5f8b".into(),
            waarden: vec![9, 4],
        }],
        eenheid: "acties".into(),
        decimalen: 0,
        tabel: Tabel {
            bijschrift: "Uitkomst per thema".into(),
            kolommen: vec![
                kolom("Thema", Uitlijning::Links, 3),
                kolom("Gerealiseerd", Uitlijning::Rechts, 1),
            ],
            rijen: vec![
                vec!["Veiligheid".into(), "9".into()],
                vec!["Milieu".into(), "4".into()],
            ],
            totaal: None,
        },
    }
}

fn brief(titel: &str, alinea: &str) -> Document {
    Document {
        soort: DocumentSoort::Brief,
        label: String::new(),
        titel: titel.into(),
        blokken: vec![
            Blok::Gegevens {
                paren: vec![
                    ("Nummer".into(), "2024-000001".into()),
                    ("Datum".into(), "27 februari 2024".into()),
                ],
            },
            Blok::Alinea {
                tekst: alinea.into(),
            },
            Blok::Kop {
                niveau: 2,
                tekst: "Wat er is bereikt".into(),
            },
            Blok::Lijst {
                genummerd: false,
                items: vec!["Minder woninginbraken".into(), "Meer controles".into()],
            },
            Blok::Lijst {
                genummerd: true,
                items: vec!["Eerst evalueren".into(), "Dan plannen".into()],
            },
            Blok::Grafiek(grafiek()),
            Blok::PlaatsDatum {
                tekst: "Den Helder, 27 februari 2024.".into(),
            },
            Blok::Ondertekening(Ondertekening {
                groet: "Met vriendelijke groet,".into(),
                afzender: "burgemeester en wethouders van Den Helder,".into(),
                ondertekenaars: vec![
                    Ondertekenaar {
                        naam: "R. de Secretaris".into(),
                        functie: "secretaris".into(),
                    },
                    Ondertekenaar {
                        naam: "B. de Burgemeester".into(),
                        functie: "burgemeester".into(),
                    },
                ],
            }),
        ],
    }
}

fn bijlage(label: &str, titel: &str, rijen: usize) -> Document {
    let mut blokken = Vec::new();
    for thema in [
        "Veilige woon- en leefomgeving",
        "Bedrijvigheid en veiligheid",
    ] {
        blokken.push(Blok::Kop {
            niveau: 2,
            tekst: thema.into(),
        });
        blokken.push(Blok::Kop {
            niveau: 3,
            tekst: "Acties".into(),
        });
        blokken.push(Blok::Tabel(tabel(&format!("Acties van {thema}"), rijen)));
    }
    Document {
        soort: DocumentSoort::Programma,
        label: label.into(),
        titel: titel.into(),
        blokken,
    }
}

fn pakket(titel: &str, documenten: Vec<Document>) -> Pakket {
    Pakket {
        titel: titel.into(),
        organisatie: "Gemeente Den Helder".into(),
        taal: "nl",
        datum: None,
        huisstijl: Stijl {
            kleur: "#1f5f8b".into(),
            logo: None,
        },
        documenten,
    }
}

fn demo() -> Pakket {
    pakket(
        "Evaluatie 2023 en uitvoeringsprogramma 2024",
        vec![
            brief(
                "Evaluatie 2023 en uitvoeringsprogramma 2024",
                "Hierbij ontvangt u de evaluatie van het afgelopen jaar.",
            ),
            bijlage("Bijlage 2", "Uitvoeringsprogramma 2024", 50),
        ],
    )
}

fn maak(pakket: &Pakket) -> Vec<u8> {
    let moment = Utc.with_ymd_and_hms(2024, 2, 27, 10, 30, 0).unwrap();
    pdf::render_op(pakket, moment).unwrap_or_else(|fout| panic!("{fout}"))
}

// ---- poppler ------------------------------------------------------------------------------

/// Runs a poppler tool on the PDF (written to a temporary file that stands in the arguments
/// where `PDF` stands) and returns what it prints. Without poppler the check is
/// skipped on a developer's machine but fails in CI, where `.ci/run` installs `poppler-utils`.
fn poppler(tool: &str, pdf: &[u8], args: &[&str]) -> Option<String> {
    let mut bestand = tempfile::NamedTempFile::new().unwrap();
    bestand.write_all(pdf).unwrap();
    let args = args.iter().map(|a| match *a {
        "PDF" => bestand.path().as_os_str(),
        a => std::ffi::OsStr::new(a),
    });
    let uit = match Command::new(tool).args(args).output() {
        Ok(uit) => uit,
        Err(e) if std::env::var("CI").is_ok_and(|ci| ci == "true") => {
            panic!("{tool} is needed in CI (apt package poppler-utils): {e}")
        }
        Err(e) => {
            eprintln!("{tool} not found ({e}); check skipped outside CI");
            return None;
        }
    };
    assert!(
        uit.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&uit.stderr)
    );
    Some(String::from_utf8(uit.stdout).unwrap())
}

/// The text of the PDF in the order it was written (`-raw`: reading order, not columns
/// guessed from positions), with every run of whitespace as one space so that line breaks
/// chosen by the layout do not matter.
fn tekst(pdf: &[u8]) -> Option<String> {
    let tekst = poppler("pdftotext", pdf, &["-raw", "-enc", "UTF-8", "PDF", "-"])?;
    Some(tekst.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// The XMP metadata packet, which PDF/A stores uncompressed.
fn xmp(pdf: &[u8]) -> String {
    let pdf = String::from_utf8_lossy(pdf);
    let begin = pdf.find("<x:xmpmeta").expect("an XMP packet");
    let eind = pdf[begin..]
        .find("</x:xmpmeta>")
        .expect("the end of the XMP packet");
    pdf[begin..begin + eind].to_string()
}

fn xmp_waarde(xmp: &str, naam: &str) -> Option<String> {
    // XMP writes a property as an element or as an attribute; accept both.
    let element = format!("<{naam}>");
    if let Some(begin) = xmp.find(&element) {
        let rest = &xmp[begin + element.len()..];
        return rest.find('<').map(|eind| rest[..eind].to_string());
    }
    let attribuut = format!("{naam}=\"");
    let begin = xmp.find(&attribuut)?;
    let rest = &xmp[begin + attribuut.len()..];
    rest.find('"').map(|eind| rest[..eind].to_string())
}

// ---- Tests --------------------------------------------------------------------------------

/// The demo package, rendered once for the tests that only read it.
static DEMO: LazyLock<Vec<u8>> = LazyLock::new(|| maak(&demo()));

#[test]
fn claims_pdf_a_2a_and_pdf_ua_1_with_title_language_and_date() {
    let pdf = &*DEMO;
    assert!(pdf.starts_with(b"%PDF-1.7"), "{:?}", &pdf[..10]);
    let xmp = xmp(pdf);
    assert_eq!(xmp_waarde(&xmp, "pdfaid:part").as_deref(), Some("2"));
    assert_eq!(xmp_waarde(&xmp, "pdfaid:conformance").as_deref(), Some("A"));
    assert_eq!(xmp_waarde(&xmp, "pdfuaid:part").as_deref(), Some("1"));
    assert!(
        xmp.contains(">Evaluatie 2023 en uitvoeringsprogramma 2024</rdf:li></rdf:Alt></dc:title>"),
        "title in XMP: {xmp}"
    );
    assert!(
        xmp.contains("<dc:language><rdf:Bag><rdf:li>nl</rdf:li>"),
        "{xmp}"
    );
    assert!(xmp.contains("2024-02-27T10:30:00"), "creation date: {xmp}");
    // The catalog's language, which screen readers use to pick a voice.
    assert!(bevat(pdf, b"/Lang(nl)"));
}

/// How many structure elements of a type (`H1`, `TH`) the PDF's tag tree holds.
fn structuur(pdf: &[u8], soort: &str) -> usize {
    let teken = format!("/S/{soort}");
    pdf.windows(teken.len() + 1)
        .filter(|w| w.starts_with(teken.as_bytes()) && !w[teken.len()].is_ascii_alphanumeric())
        .count()
}

/// What a screen reader navigates by: the headings, lists, tables with head cells and a
/// footer, and figures with captions are tagged as such.
#[test]
fn the_tag_tree_holds_headings_lists_tables_and_figures() {
    let pdf = &*DEMO;
    let verwacht = [
        ("Document", 1),
        // The letter's title and the annex's; the sections under them.
        ("H1", 2),
        ("H2", 3),
        ("H3", 2),
        ("L", 2),
        ("LI", 4),
        // The chart's table and one per theme in the annex, each with its caption.
        ("Table", 3),
        ("Caption", 4),
        ("THead", 3),
        ("TH", 2 + 3 + 3),
        ("TFoot", 2),
        // The chart (no logo in the demo).
        ("Figure", 1),
    ];
    for (soort, aantal) in verwacht {
        assert_eq!(structuur(pdf, soort), aantal, "/S/{soort}");
    }
}

#[test]
fn pdfinfo_reads_a_tagged_a4_pdf_a_and_ua() {
    let pdf = &*DEMO;
    let Some(info) = poppler("pdfinfo", pdf, &["PDF"]) else {
        return;
    };
    let regel = |naam: &str| {
        info.lines()
            .find_map(|r| r.strip_prefix(naam)?.strip_prefix(':'))
            .map(|r| r.trim().to_string())
            .unwrap_or_else(|| panic!("no {naam} in {info}"))
    };
    assert_eq!(
        regel("Title"),
        "Evaluatie 2023 en uitvoeringsprogramma 2024"
    );
    assert_eq!(regel("Author"), "Gemeente Den Helder");
    assert_eq!(regel("Tagged"), "yes");
    assert_eq!(regel("Page size"), "595.276 x 841.89 pts (A4)");
    // pdfinfo names no PDF/A subtype for this file; `-meta` prints the XMP it reads.
    let meta = poppler("pdfinfo", pdf, &["-meta", "PDF"]).unwrap();
    assert!(meta.contains("<pdfaid:part>2</pdfaid:part>"), "{meta}");
    assert!(meta.contains("<pdfaid:conformance>A</pdfaid:conformance>"));
    assert!(meta.contains("<pdfuaid:part>1</pdfuaid:part>"));
}

#[test]
fn user_text_prints_as_typed_never_as_markup() {
    let lastig = r"# * $ < > @ ] [ \ _ ` #let x = 1";
    let mut documenten = vec![brief(
        &format!("Titel {lastig}"),
        &format!("Alinea {lastig}"),
    )];
    let mut annex = bijlage(&format!("Bijlage {lastig}"), "Programma", 1);
    annex.blokken.push(Blok::Tabel(Tabel {
        bijschrift: format!("Bijschrift {lastig}"),
        kolommen: vec![kolom(&format!("Kop {lastig}"), Uitlijning::Links, 1)],
        rijen: vec![vec![format!("Cel {lastig}")]],
        totaal: None,
    }));
    annex.blokken.push(Blok::Kop {
        niveau: 2,
        tekst: format!("Kop {lastig}"),
    });
    annex.blokken.push(Blok::Lijst {
        genummerd: false,
        items: vec![format!("Item {lastig}"), "#set text(fill: red)".into()],
    });
    annex.blokken.push(Blok::Gegevens {
        paren: vec![(format!("Label {lastig}"), format!("Waarde {lastig}"))],
    });
    documenten.push(annex);
    let pakket = pakket(&format!("Pakket {lastig}"), documenten);

    let pdf = maak(&pakket);
    assert!(
        xmp(&pdf).contains(r"Pakket # * $ &lt; &gt; @ ] [ \ _ ` #let x = 1"),
        "the title as typed, XML-escaped in XMP"
    );
    let Some(tekst) = tekst(&pdf) else {
        return;
    };
    for soort in [
        "Titel",
        "Alinea",
        "Bijlage",
        "Bijschrift",
        "Kop",
        "Cel",
        "Item",
        "Label",
        "Waarde",
    ] {
        let zin = format!("{soort} {lastig}");
        assert!(tekst.contains(&zin), "{zin:?} not in {tekst}");
    }
    assert!(tekst.contains("#set text(fill: red)"));
}

#[test]
fn every_document_starts_a_page_and_the_footer_counts_pages() {
    let Some(tekst) = tekst(&DEMO) else {
        return;
    };
    let paginas: Vec<_> = tekst.split_inclusive(" van ").collect();
    let aantal = tekst.matches("Gemeente Den Helder Pagina ").count();
    assert!(aantal >= 3, "{tekst}");
    for n in 1..=aantal {
        let voet = format!("Gemeente Den Helder Pagina {n} van {aantal}");
        assert!(tekst.contains(&voet), "{voet:?} not in {tekst}");
    }
    // The page that ends the letter holds nothing of the annex.
    let brief_eind = paginas
        .iter()
        .position(|p| p.contains("B. de Burgemeester"))
        .unwrap();
    assert!(
        !paginas[brief_eind].contains("Uitvoeringsprogramma"),
        "{tekst}"
    );
    assert!(paginas[brief_eind + 1].contains("Bijlage 2 Uitvoeringsprogramma 2024"));
}

#[test]
fn a_long_table_repeats_its_head_row_and_keeps_its_caption_with_it() {
    let Some(tekst) = tekst(&DEMO) else {
        return;
    };
    let pagina_met = |zin: &str| {
        let voor = &tekst[..tekst
            .find(zin)
            .unwrap_or_else(|| panic!("{zin:?}: {tekst}"))];
        voor.matches(" van ").count() + 1
    };
    // 50 rows do not fit on the page the table starts on: the head row comes again above
    // the rows that run on.
    let eerste = pagina_met("Acties van Veilige woon- en leefomgeving Actie Trekker Uren");
    assert!(pagina_met("Actie 50:") > eerste);
    let koppen = tekst.matches("Actie Trekker Uren").count();
    assert!(koppen > 2, "head row {koppen} times: {tekst}");
    assert!(tekst.contains("Totaal 51000"), "{tekst}");
}

/// A short row is kept on one page, but a row taller than a page (5,000 characters in one
/// cell, the most a text field holds) runs on across pages and loses no word.
#[test]
fn a_row_taller_than_a_page_runs_on_without_losing_text() {
    let mut bijlage = bijlage("Bijlage 2", "Uitvoeringsprogramma 2024", 3);
    let Blok::Tabel(tabel) = &mut bijlage.blokken[2] else {
        panic!("de tabel van het eerste thema");
    };
    let lang = format!("BEGIN {}EINDE", "handhaving ".repeat(450));
    tabel.rijen[1][0] = lang.clone();
    let pdf = maak(&pakket("Lange rij", vec![bijlage]));
    let Some(tekst) = tekst(&pdf) else {
        return;
    };
    let pagina = |zin: &str| {
        tekst[..tekst
            .find(zin)
            .unwrap_or_else(|| panic!("{zin:?}: {tekst}"))]
            .matches(" van ")
            .count()
            + 1
    };
    assert!(pagina("EINDE") > pagina("BEGIN handhaving"), "{tekst}");
    assert_eq!(tekst.matches("handhaving").count(), 450, "{tekst}");
    assert!(tekst.contains("Actie 3:"), "{tekst}");
}

#[test]
fn letter_shows_particulars_chart_text_and_signature() {
    let Some(tekst) = tekst(&DEMO) else {
        return;
    };
    for deel in [
        "Nummer 2024-000001 Datum 27 februari 2024",
        "Wat er is bereikt • Minder woninginbraken • Meer controles",
        "1. Eerst evalueren 2. Dan plannen",
        // The chart is drawn under its title; its labels are text in the PDF.
        "Uitkomst van de acties per thema Gerealiseerd",
        "Uitkomst per thema Thema Gerealiseerd Veiligheid 9 Milieu 4",
        "Den Helder, 27 februari 2024.",
        "Met vriendelijke groet, burgemeester en wethouders van Den Helder,",
        "R. de Secretaris secretaris B. de Burgemeester burgemeester",
    ] {
        assert!(tekst.contains(deel), "{deel:?} not in {tekst}");
    }
    // What the chart shows is said in words to those who cannot see it.
    assert!(bevat(
        &DEMO,
        b"/Alt(Van de 12 acties over veiligheid zijn er 9 gerealiseerd.)"
    ));
}

/// An 8×4 PNG in the house colour whose right half is transparent, as logos often are.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x04, 0x08, 0x06, 0x00, 0x00, 0x00, 0xb3, 0xcd, 0x7e,
    0xf0, 0x00, 0x00, 0x00, 0x15, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x90, 0x8f, 0xef, 0xfe,
    0x8f, 0x86, 0x19, 0x90, 0x31, 0x03, 0xed, 0x15, 0x00, 0x00, 0x12, 0x0f, 0x31, 0x11, 0xf8, 0xfe,
    0x26, 0x5b, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40"><rect width="120" height="40" fill="#1f5f8b"/><text x="10" y="26" font-family="Noto Sans" font-size="16" fill="#ffffff">Gemeentelogo</text></svg>"##;

fn met_logo(soort: LogoSoort, bytes: &[u8]) -> Vec<u8> {
    let mut pakket = demo();
    pakket.documenten.truncate(1);
    pakket.huisstijl.logo = Some(Logo {
        soort,
        bytes: bytes.to_vec(),
    });
    maak(&pakket)
}

#[test]
fn a_png_logo_with_transparency_is_embedded_with_alt_text() {
    let pdf = met_logo(LogoSoort::Png, PNG);
    assert!(bevat(&pdf, b"/Alt(Logo van Gemeente Den Helder)"));
    if let Some(lijst) = poppler("pdfimages", &pdf, &["-list", "PDF"]) {
        // A header of two lines, then one line per image: the logo and its transparency.
        let beelden: Vec<_> = lijst.lines().skip(2).collect();
        assert_eq!(beelden.len(), 2, "{lijst}");
        assert!(beelden[0].contains(" image       8     4  icc"), "{lijst}");
        assert!(beelden[1].contains(" smask       8     4  gray"), "{lijst}");
    }
    assert!(!bevat(&DEMO, b"/Alt(Logo van"), "no logo, no alt text");
}

#[test]
fn an_svg_logo_is_drawn_with_alt_text_and_its_text_in_the_embedded_font() {
    let pdf = met_logo(LogoSoort::Svg, SVG.as_bytes());
    assert!(bevat(&pdf, b"/Alt(Logo van Gemeente Den Helder)"));
    if let Some(tekst) = tekst(&pdf) {
        assert!(tekst.starts_with("Gemeentelogo Evaluatie 2023"), "{tekst}");
    }
}

#[test]
fn headings_that_skip_a_level_or_are_empty_still_give_a_valid_pdf_ua() {
    let mut pakket = demo();
    pakket.documenten.truncate(1);
    let blokken = &mut pakket.documenten[0].blokken;
    blokken.insert(
        0,
        Blok::Kop {
            niveau: 3,
            tekst: "Te diep".into(),
        },
    );
    blokken.insert(
        1,
        Blok::Kop {
            niveau: 2,
            tekst: " ".into(),
        },
    );
    // A document without a title: its first heading becomes the top level.
    pakket.documenten.push(Document {
        soort: DocumentSoort::Evaluatie,
        label: String::new(),
        titel: String::new(),
        blokken: vec![Blok::Kop {
            niveau: 3,
            tekst: "Zonder titel".into(),
        }],
    });
    let pdf = maak(&pakket);
    if let Some(tekst) = tekst(&pdf) {
        assert!(tekst.contains("Te diep"), "{tekst}");
        assert!(tekst.contains("Zonder titel"), "{tekst}");
    }
}

#[test]
fn a_package_without_a_title_is_refused() {
    let pakket = pakket("  ", vec![brief("Brief", "Tekst")]);
    let fout = pdf::render_op(&pakket, Utc::now()).unwrap_err();
    assert!(fout.to_string().contains("geen titel"), "{fout}");
}

fn bevat(pdf: &[u8], deel: &[u8]) -> bool {
    pdf.windows(deel.len()).any(|w| w == deel)
}

#[test]
#[ignore = "writes the demo PDF to the path in KOERS_PDF_UIT, for a person to look at"]
fn schrijf_voorbeeld() {
    let pad = std::env::var("KOERS_PDF_UIT").unwrap();
    let mut pakket = demo();
    pakket.huisstijl.logo = Some(Logo {
        soort: LogoSoort::Svg,
        bytes: SVG.as_bytes().to_vec(),
    });
    pakket.documenten[0].blokken.push(Blok::Alinea {
        tekst: "Tekens: ≥ 80% → ≠ ≈ € 1.300,– “citaat” … 👍 ✓".into(),
    });
    std::fs::write(pad, maak(&pakket)).unwrap();
}

/// Prints how long rendering takes; run in release for numbers that mean something:
/// `cargo test --release -p koers-docs --test pdf rendertijd -- --ignored --nocapture`.
/// Timings never decide a test.
#[test]
#[ignore = "prints timings"]
fn rendertijd() {
    let mut pakket = demo();
    for ronde in 1..=5 {
        // A different package each round, as a server renders one package after another.
        pakket.titel = format!("Evaluatie 2023 en uitvoeringsprogramma 2024 ({ronde})");
        pakket.documenten[1].titel = format!("Uitvoeringsprogramma 2024, versie {ronde}");
        let begin = std::time::Instant::now();
        let pdf = maak(&pakket);
        eprintln!(
            "render {ronde}: {:?}, {} kB",
            begin.elapsed(),
            pdf.len() / 1024
        );
    }
}
