//! The HTML page and fragment: well-formed, escaped, accessible structure.
//!
//! Set `KOERS_HTML_VOORBEELD=/some/file.html` to have the page test write the page it checks,
//! for looking at it in a browser or running axe on it.

use base64::Engine as _;
use koers_docs::invoer::{Logo, LogoSoort, Ondertekenaar};
use koers_docs::model::{
    Blok, Document, DocumentSoort, Grafiek, GrafiekSoort, Kolom, Ondertekening, Pakket, Reeks,
    Stijl, Tabel, Uitlijning,
};
use koers_docs::render::html::{fragment, render};
use roxmltree::Node;
use std::collections::BTreeSet;

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="160" height="48" viewBox="0 0 160 48"><rect width="48" height="48" fill="#1f5f8b"/><text x="58" y="32" font-family="Arial" font-size="20" fill="#1a1a1a">Den Helder</text></svg>"##;

fn kolom(kop: &str, uitlijning: Uitlijning) -> Kolom {
    Kolom {
        kop: kop.into(),
        uitlijning,
        breedte: 1,
    }
}

fn rij(cellen: &[&str]) -> Vec<String> {
    cellen.iter().map(|c| c.to_string()).collect()
}

fn acties_tabel(thema: &str, rijen: Vec<Vec<String>>) -> Tabel {
    Tabel {
        bijschrift: format!("Acties {thema}"),
        kolommen: vec![
            kolom("Code", Uitlijning::Links),
            kolom("Actie", Uitlijning::Links),
            kolom("Trekker", Uitlijning::Links),
            kolom("Uren", Uitlijning::Rechts),
        ],
        rijen,
        totaal: Some(rij(&["Totaal", "", "", "1.450"])),
    }
}

fn uitkomsten() -> Grafiek {
    let themas = [
        "Aanpak Zorg & veiligheid",
        "Ondermijning",
        "Sociale, fysieke en digitale leefomgeving",
    ];
    let reeksen = vec![
        ("gerealiseerd", "#1f5f8b", vec![6, 3, 4]),
        ("deels gerealiseerd", "#f2c14e", vec![2, 0, 1]),
        ("doorlopend", "#8fb8d8", vec![1, 2, 0]),
    ];
    Grafiek {
        titel: "Uitkomsten per thema".into(),
        tekstalternatief: "Staafdiagram: per thema het aantal acties per uitkomst. Zorg en veiligheid: 6 gerealiseerd, 2 deels, 1 doorlopend.".into(),
        soort: GrafiekSoort::Gestapeld,
        categorieen: themas.iter().map(|t| t.to_string()).collect(),
        tabel: Tabel {
            bijschrift: "Uitkomsten per thema (aantal acties)".into(),
            kolommen: std::iter::once(kolom("Thema", Uitlijning::Links))
                .chain(reeksen.iter().map(|(naam, _, _)| kolom(naam, Uitlijning::Rechts)))
                .collect(),
            rijen: themas
                .iter()
                .enumerate()
                .map(|(i, t)| {
                    std::iter::once(t.to_string())
                        .chain(reeksen.iter().map(|(_, _, w)| w[i].to_string()))
                        .collect()
                })
                .collect(),
            totaal: Some(rij(&["Totaal", "13", "3", "3"])),
        },
        reeksen: reeksen
            .into_iter()
            .map(|(naam, kleur, waarden)| Reeks {
                naam: naam.into(),
                kleur: kleur.into(),
                waarden,
            })
            .collect(),
        eenheid: "acties".into(),
        decimalen: 0,
    }
}

fn uren() -> Grafiek {
    Grafiek {
        titel: "Geplande en bestede uren per subteam".into(),
        tekstalternatief: "Staafdiagram: per subteam de geplande en de bestede uren.".into(),
        soort: GrafiekSoort::Naast,
        categorieen: vec!["Toezicht".into(), "Handhaving".into()],
        reeksen: vec![
            Reeks {
                naam: "gepland".into(),
                kleur: "#1f5f8b".into(),
                waarden: vec![1300, 650],
            },
            Reeks {
                naam: "besteed".into(),
                kleur: "#e07b39".into(),
                waarden: vec![1100, 720],
            },
        ],
        eenheid: "uur".into(),
        decimalen: 0,
        tabel: Tabel {
            bijschrift: "Uren per subteam".into(),
            kolommen: vec![
                kolom("Subteam", Uitlijning::Links),
                kolom("Gepland", Uitlijning::Rechts),
                kolom("Besteed", Uitlijning::Rechts),
            ],
            rijen: vec![
                rij(&["Toezicht", "1.300", "1.100"]),
                rij(&["Handhaving", "650", "720"]),
            ],
            totaal: Some(rij(&["Totaal", "1.950", "1.820"])),
        },
    }
}

fn brief() -> Document {
    Document {
        soort: DocumentSoort::Brief,
        label: String::new(),
        titel: "Evaluatie uitvoeringsprogramma 2023 en uitvoeringsprogramma 2024".into(),
        blokken: vec![
            Blok::Gegevens {
                paren: vec![
                    ("Nummer".into(), "2024-007143".into()),
                    ("Aan".into(), "De leden van de gemeenteraad".into()),
                ],
            },
            Blok::Alinea {
                tekst: "Elk jaar leggen wij verantwoording af over het programma van het afgelopen jaar.\nDaarna volgt het nieuwe programma.".into(),
            },
            Blok::Kop {
                niveau: 2,
                tekst: "Thema's".into(),
            },
            Blok::Kop {
                niveau: 3,
                tekst: "Integrale veiligheid".into(),
            },
            Blok::Lijst {
                genummerd: true,
                items: vec!["Aanpak Zorg & veiligheid".into(), "Ondermijning".into()],
            },
            Blok::Lijst {
                genummerd: false,
                items: vec!["Zorg op Maat".into(), "Leefbare Stad".into()],
            },
            Blok::PlaatsDatum {
                tekst: "Den Helder, 27 februari 2024.".into(),
            },
            Blok::Ondertekening(Ondertekening {
                groet: "Met vriendelijke groet,".into(),
                afzender: "burgemeester en wethouders van Den Helder,".into(),
                ondertekenaars: vec![Ondertekenaar {
                    naam: "J.A. (Jan) de Boer MSc.".into(),
                    functie: "burgemeester".into(),
                }],
            }),
        ],
    }
}

fn pakket() -> Pakket {
    Pakket {
        titel: "Evaluatie 2023 en programma 2024".into(),
        organisatie: "Gemeente Den Helder".into(),
        taal: "nl",
        datum: None,
        huisstijl: Stijl {
            kleur: "#1f5f8b".into(),
            logo: Some(Logo {
                soort: LogoSoort::Svg,
                bytes: LOGO.as_bytes().to_vec(),
            }),
        },
        documenten: vec![
            brief(),
            Document {
                soort: DocumentSoort::Evaluatie,
                label: "Bijlage 1".into(),
                titel: "Evaluatie uitvoeringsprogramma 2023".into(),
                blokken: vec![
                    Blok::Kop {
                        niveau: 2,
                        tekst: "Resultaten".into(),
                    },
                    Blok::Grafiek(uitkomsten()),
                    Blok::Grafiek(uren()),
                    Blok::Kop {
                        niveau: 2,
                        tekst: "Per thema".into(),
                    },
                    Blok::Tabel(acties_tabel(
                        "Ondermijning",
                        vec![rij(&[
                            "OND-1",
                            "Weerbaarheid ondernemers",
                            "Toezicht",
                            "1.450",
                        ])],
                    )),
                ],
            },
            Document {
                soort: DocumentSoort::Programma,
                label: "Bijlage 2".into(),
                titel: "Uitvoeringsprogramma 2024".into(),
                blokken: vec![Blok::Tabel(acties_tabel(
                    "Zorg en veiligheid",
                    vec![rij(&["ZV-1", "Casusoverleg", "Handhaving", "1.450"])],
                ))],
            },
        ],
    }
}

fn parse(html: &str) -> roxmltree::Document<'_> {
    let opties = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(html, opties)
        .unwrap_or_else(|e| panic!("not well-formed: {e}\n{html}"))
}

fn elementen<'a>(doc: &'a roxmltree::Document<'a>, naam: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants().filter(|n| n.has_tag_name(naam)).collect()
}

/// The text of a node and its descendants, as a screen reader reads it.
fn tekst(node: Node) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

fn koppen<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<(u8, String)> {
    doc.descendants()
        .filter_map(|n| {
            let naam = n.tag_name().name();
            let niveau = naam.strip_prefix('h')?.parse::<u8>().ok()?;
            (n.is_element() && n.tag_name().namespace().is_none()).then(|| (niveau, tekst(n)))
        })
        .collect()
}

fn assert_geen_overgeslagen_niveaus(koppen: &[(u8, String)], eerste: u8) {
    assert_eq!(koppen[0].0, eerste, "{koppen:?}");
    for paar in koppen.windows(2) {
        assert!(paar[1].0 <= paar[0].0 + 1, "skipped a level: {koppen:?}");
    }
}

#[test]
fn the_page_is_well_formed_and_has_the_landmarks_and_title() {
    let html = render(&pakket());
    if let Ok(pad) = std::env::var("KOERS_HTML_VOORBEELD") {
        std::fs::write(pad, &html).unwrap();
    }
    assert!(html.starts_with("<!DOCTYPE html>\n"));
    let doc = parse(&html);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "html");
    assert_eq!(root.attribute("lang"), Some("nl"));
    assert_eq!(
        tekst(elementen(&doc, "title")[0]),
        "Evaluatie 2023 en programma 2024"
    );
    assert_eq!(elementen(&doc, "main").len(), 1);
    assert_eq!(elementen(&doc, "header").len(), 1);
    let main = elementen(&doc, "main")[0];
    let secties: Vec<_> = main
        .children()
        .filter(|n| n.has_tag_name("section"))
        .collect();
    assert_eq!(secties.len(), 3);
    // Each section is named by its own heading.
    for sectie in &secties {
        let kop_id = sectie.attribute("aria-labelledby").unwrap();
        let kop = sectie
            .descendants()
            .find(|n| n.attribute("id") == Some(kop_id));
        assert_eq!(kop.unwrap().tag_name().name(), "h1");
    }
    assert_eq!(
        tekst(
            secties[1]
                .descendants()
                .find(|n| n.has_tag_name("h1"))
                .unwrap()
        ),
        "Bijlage 1 Evaluatie uitvoeringsprogramma 2023"
    );
    // Ids are unique in the page, charts included.
    let ids: Vec<_> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert_eq!(
        ids.len(),
        ids.iter().collect::<BTreeSet<_>>().len(),
        "{ids:?}"
    );
}

#[test]
fn headings_follow_the_model_without_skipping_levels() {
    let html = render(&pakket());
    let doc = parse(&html);
    let pagina = koppen(&doc);
    assert_geen_overgeslagen_niveaus(&pagina, 1);
    assert_eq!(pagina.iter().filter(|(n, _)| *n == 1).count(), 3);
    assert!(pagina.contains(&(2, "Thema's".into())));
    assert!(pagina.contains(&(3, "Integrale veiligheid".into())));

    // A level-3 heading right after the title is raised to 2.
    let mut document = brief();
    document.blokken.insert(
        0,
        Blok::Kop {
            niveau: 3,
            tekst: "Te diep".into(),
        },
    );
    let html = fragment(&document);
    let doc = parse(&html);
    let los = koppen(&doc);
    assert_geen_overgeslagen_niveaus(&los, 2);
    assert_eq!(los[1], (3, "Te diep".into()));
}

#[test]
fn the_fragment_starts_at_h2_and_carries_no_styles_or_scripts() {
    let html = fragment(&brief());
    let doc = parse(&html);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "section");
    assert_eq!(root.attribute("id"), Some("koers-brief"));
    let koppen = koppen(&doc);
    assert!(koppen.iter().all(|(n, _)| *n >= 2), "{koppen:?}");
    assert_eq!(koppen[0].0, 2);
    assert!(!html.contains("<style") && !html.contains("style=") && !html.contains("<script"));
    // The letter's parts are all there.
    let text = tekst(root);
    for deel in [
        "2024-007143",
        "Den Helder, 27 februari 2024.",
        "Met vriendelijke groet,",
        "J.A. (Jan) de Boer MSc.",
        "burgemeester",
        "Leefbare Stad",
    ] {
        assert!(text.contains(deel), "{deel}");
    }
    assert_eq!(elementen(&doc, "ol").len(), 1);
    assert_eq!(elementen(&doc, "ul").len(), 1);
    assert_eq!(elementen(&doc, "dt").len(), 2);
    assert_eq!(
        elementen(&doc, "br").len(),
        2,
        "paragraph line break and signature"
    );
}

#[test]
fn user_text_is_escaped_everywhere() {
    let kwaad = "<script>alert(1)</script> & \"'";
    let mut pakket = pakket();
    pakket.titel = kwaad.into();
    pakket.organisatie = kwaad.into();
    pakket.huisstijl.kleur = "#1f5f8b; } body { display: none".into();
    let document = &mut pakket.documenten[1];
    document.label = kwaad.into();
    document.titel = kwaad.into();
    document.blokken.push(Blok::Alinea {
        tekst: kwaad.into(),
    });
    document.blokken.push(Blok::Kop {
        niveau: 2,
        tekst: kwaad.into(),
    });
    document.blokken.push(Blok::Lijst {
        genummerd: false,
        items: vec![kwaad.into()],
    });
    document.blokken.push(Blok::Gegevens {
        paren: vec![(kwaad.into(), kwaad.into())],
    });
    let mut grafiek = uitkomsten();
    grafiek.titel = kwaad.into();
    grafiek.categorieen[0] = kwaad.into();
    grafiek.tabel.bijschrift = kwaad.into();
    grafiek.tabel.kolommen[0].kop = kwaad.into();
    grafiek.tabel.rijen[0][1] = kwaad.into();
    document.blokken.push(Blok::Grafiek(grafiek));

    let html = render(&pakket);
    assert!(!html.contains("<script"), "{html}");
    assert!(!html.contains("display: none"));
    let doc = parse(&html);
    assert!(tekst(elementen(&doc, "title")[0]).contains(kwaad));
    let gevonden = doc
        .descendants()
        .filter(|n| {
            n.is_text()
                && n.text()
                    .is_some_and(|t| t.contains("<script>alert(1)</script>"))
        })
        .count();
    // Title, organisation, label, document title, paragraph, heading, list item, label and
    // value, chart title (SVG and caption), category (label and row title), table caption,
    // column head and cell.
    assert!(gevonden >= 15, "{gevonden}");
    assert_eq!(
        elementen(&doc, "img")[0].attribute("alt"),
        Some(format!("Logo van {kwaad}").as_str())
    );
}

#[test]
fn tables_have_a_caption_column_headers_and_right_aligned_numbers() {
    let html = render(&pakket());
    let doc = parse(&html);
    let tabel = elementen(&doc, "table")
        .into_iter()
        .find(|t| tekst(*t).contains("Weerbaarheid ondernemers"))
        .unwrap();
    let caption = tabel.first_element_child().unwrap();
    assert_eq!(caption.tag_name().name(), "caption");
    assert_eq!(tekst(caption), "Acties Ondermijning");
    // A wide table scrolls in its own region, which the keyboard can reach and the caption
    // names.
    let regio = tabel.parent_element().unwrap();
    assert_eq!(regio.attribute("role"), Some("region"));
    assert_eq!(regio.attribute("tabindex"), Some("0"));
    assert_eq!(regio.attribute("aria-labelledby"), caption.attribute("id"));
    let koppen: Vec<_> = tabel
        .descendants()
        .filter(|n| n.has_tag_name("th") && n.attribute("scope") == Some("col"))
        .collect();
    assert_eq!(
        koppen.iter().map(|n| tekst(*n)).collect::<Vec<_>>(),
        ["Code", "Actie", "Trekker", "Uren"]
    );
    assert_eq!(koppen[3].attribute("class"), Some("getal"));
    assert_eq!(koppen[1].attribute("class"), None);
    let rij = tabel
        .descendants()
        .find(|n| n.has_tag_name("tbody"))
        .unwrap()
        .first_element_child()
        .unwrap();
    let cellen: Vec<_> = rij.children().filter(|n| n.is_element()).collect();
    assert_eq!(cellen[0].tag_name().name(), "th");
    assert_eq!(cellen[0].attribute("scope"), Some("row"));
    // A code stays on one line; a text of several words may wrap.
    assert_eq!(cellen[0].attribute("class"), Some("woord"));
    assert_eq!(cellen[1].attribute("class"), None);
    assert_eq!(cellen[3].attribute("class"), Some("getal"));
    assert_eq!(tekst(cellen[3]), "1.450");
    let tfoot = tabel
        .descendants()
        .find(|n| n.has_tag_name("tfoot"))
        .unwrap();
    assert!(tekst(tfoot).trim_start().starts_with("Totaal"));
}

#[test]
fn charts_are_inline_figures_with_their_table_below() {
    let html = render(&pakket());
    let doc = parse(&html);
    let figuren = elementen(&doc, "figure");
    assert_eq!(figuren.len(), 2);
    for (figuur, titel) in figuren.iter().zip([
        "Uitkomsten per thema",
        "Geplande en bestede uren per subteam",
    ]) {
        let bijschrift = figuur.first_element_child().unwrap();
        assert_eq!(bijschrift.tag_name().name(), "figcaption");
        assert_eq!(tekst(bijschrift), titel);
        let svg = bijschrift.next_sibling_element().unwrap();
        assert_eq!(svg.tag_name().name(), "svg");
        assert_eq!(svg.attribute("role"), Some("img"));
        for id in svg.attribute("aria-labelledby").unwrap().split(' ') {
            assert!(svg.descendants().any(|n| n.attribute("id") == Some(id)));
        }
        let volgende = figuur.next_sibling_element().unwrap();
        assert_eq!(volgende.attribute("class"), Some("tabel"));
        assert_eq!(
            volgende.first_element_child().unwrap().tag_name().name(),
            "table"
        );
    }
}

#[test]
fn the_logo_is_a_data_url_with_alt_text() {
    let html = render(&pakket());
    let doc = parse(&html);
    let img = elementen(&doc, "img")[0];
    assert_eq!(img.attribute("alt"), Some("Logo van Gemeente Den Helder"));
    let data = img
        .attribute("src")
        .unwrap()
        .strip_prefix("data:image/svg+xml;base64,")
        .unwrap();
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(data)
        .unwrap();
    assert_eq!(bytes, LOGO.as_bytes());

    let mut zonder = pakket();
    zonder.huisstijl.logo = None;
    assert!(!render(&zonder).contains("<img"));
}

#[test]
fn the_style_uses_the_house_colour_and_prints_each_document_on_a_new_page() {
    let html = render(&pakket());
    assert!(html.contains("thead th { background: #1f5f8b; color: #ffffff; }"));
    assert!(html.contains("@media print"));
    assert!(html.contains(".koers-document + .koers-document { break-before: page;"));
    assert!(html.contains(
        "thead th { background: none; color: #1a1a1a; border-bottom: 2px solid #1f5f8b; }"
    ));

    // A light house colour keeps its tone in the table head, with black text, and headings
    // get a darker shade of it.
    let mut licht = pakket();
    licht.huisstijl.kleur = "#f2c14e".into();
    let html = render(&licht);
    assert!(html.contains("thead th { background: #f2c14e; color: #000000; }"));
    assert!(!html.contains("h6 { color: #f2c14e"));
}

/// axe-core (WCAG 2.1 A and AA) in headless Chromium on the rendered page, through the
/// repository's Node packages (`npm ci`). Runs when KOERS_BROWSER_TESTS=1, as CI sets it; takes
/// a few seconds, which is what starting Chromium costs.
#[test]
fn the_page_passes_axe_in_chromium() {
    if std::env::var("KOERS_BROWSER_TESTS").as_deref() != Ok("1") {
        println!("skipped: set KOERS_BROWSER_TESTS=1 (needs `npm ci` and /usr/bin/chromium)");
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let pagina = std::env::temp_dir().join(format!("koers-html-axe-{}.html", std::process::id()));
    std::fs::write(&pagina, render(&pakket())).unwrap();
    let output = std::process::Command::new("node")
        .args(["--input-type=module", "-e", AXE])
        .arg(&pagina)
        .current_dir(&root)
        .output()
        .expect("node runs");
    let _ = std::fs::remove_file(&pagina);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "axe failed:\n{stdout}{stderr}");
    assert!(stdout.contains("axe: 0 violations"), "{stdout}");
}

/// Loads the page from a file and prints each violation; exits non-zero when there is one.
const AXE: &str = r#"
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
const require = createRequire(process.cwd() + '/package.json');
const { chromium } = require('playwright-core');
const { default: AxeBuilder } = require('@axe-core/playwright');
const browser = await chromium.launch({
  executablePath: process.env.KOERS_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(pathToFileURL(process.argv[1]).href, { waitUntil: 'load' });
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  for (const v of result.violations) {
    console.log(`${v.id} [${v.impact}]: ${v.help}`);
    for (const node of v.nodes) console.log(`    at ${JSON.stringify(node.target)}`);
  }
  console.log(`axe: ${result.violations.length} violations, ${result.passes.length} rules passed`);
  process.exitCode = result.violations.length === 0 ? 0 : 1;
} finally {
  await browser.close();
}
"#;
