//! The package as one standalone, accessible HTML page (WCAG 2.1 AA), and a single document as
//! a fragment for the app's own pages.
//!
//! Headings: on the page each document is a `<section>` whose title is an `<h1>`, and a
//! [`Blok::Kop`] of niveau n is an `<hn>`, as the model numbers them. A [`fragment`] sits inside
//! a page that has its own `<h1>`, so there everything moves one level down: the title is an
//! `<h2>`. Levels never skip: a heading is at most one level below the one before it.
//!
//! The markup is also well-formed XML (void elements closed, everything escaped), so the tests
//! can parse it, and it has no `style` attributes or scripts: the fragment must pass the app's
//! Content-Security-Policy, which forbids inline styles; the page carries its CSS in one
//! `<style>` element in its head. The fragment's classes are for the app's stylesheet:
//! `koers-document` (the section), `label` ("Bijlage 1" in the title), `gegevens` (a `<dl>`),
//! `tabel` (the scrolling region around a table: give it `overflow-x: auto`), `getal` (a
//! right-aligned number cell), `woord` (a cell of one short word, kept on one line),
//! `plaats-datum`, `ondertekening` and `naam`. Charts are an `<svg>` with a fixed width inside
//! a `<figure>`: give it `max-width: 100%; height: auto`.

use crate::grafiek::{contrast, kleur_of_reserve, tekst_kleur_op, xml_escape};
use crate::model::{Blok, Document, Grafiek, Ondertekening, Pakket, Tabel, Uitlijning};
use base64::Engine as _;
use std::fmt::Write;

/// The whole package as one HTML page: the organisation's logo and name, then each document in
/// its own section, with charts inline as SVG and a print stylesheet that starts every
/// document on a new page.
pub fn render(pakket: &Pakket) -> String {
    let taal = if pakket.taal.is_empty() {
        "nl"
    } else {
        pakket.taal
    };
    let mut uit = String::new();
    let _ = write!(
        uit,
        r#"<!DOCTYPE html>
<html lang="{taal}">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{titel}</title>
<style>
{css}</style>
</head>
<body>
<header class="kop">
"#,
        taal = xml_escape(taal),
        titel = xml_escape(&pakket.titel),
        css = stijlblad(&pakket.huisstijl.kleur),
    );
    if let Some(logo) = &pakket.huisstijl.logo {
        let _ = writeln!(
            uit,
            r#"<img class="logo" src="data:{};base64,{}" alt="Logo van {}" />"#,
            logo.soort.mime(),
            base64::engine::general_purpose::STANDARD.encode(&logo.bytes),
            xml_escape(&pakket.organisatie),
        );
    }
    let _ = write!(
        uit,
        "<p class=\"organisatie\">{}</p>\n</header>\n<main>\n",
        xml_escape(&pakket.organisatie)
    );
    for (n, document) in pakket.documenten.iter().enumerate() {
        Schrijver::new(&mut uit, format!("document-{}", n + 1), 1).document(document);
    }
    uit.push_str("</main>\n</body>\n</html>\n");
    uit
}

/// One document as a `<section>` to place inside another page, such as the letter's preview in
/// the app: no page wrapper, no styles, the title as `<h2>` (the host page has the `<h1>`).
/// Its ids start with `koers-` and the document's kind, so they are unique as long as the host
/// page shows each kind of document once.
pub fn fragment(document: &Document) -> String {
    let mut uit = String::new();
    let voorvoegsel = format!("koers-{}", soort_code(document));
    Schrijver::new(&mut uit, voorvoegsel, 2).document(document);
    uit
}

fn soort_code(document: &Document) -> &'static str {
    match document.soort {
        crate::model::DocumentSoort::Brief => "brief",
        crate::model::DocumentSoort::Evaluatie => "evaluatie",
        crate::model::DocumentSoort::Programma => "programma",
    }
}

/// Writes one document; holds what its parts share: the id prefix, the title's heading level
/// and the last heading level written.
struct Schrijver<'a> {
    uit: &'a mut String,
    id: String,
    titel_niveau: u8,
    vorige_kop: u8,
    grafieken: usize,
    tabellen: usize,
}

impl<'a> Schrijver<'a> {
    fn new(uit: &'a mut String, id: String, titel_niveau: u8) -> Self {
        Self {
            uit,
            id,
            titel_niveau,
            vorige_kop: titel_niveau,
            grafieken: 0,
            tabellen: 0,
        }
    }

    fn document(mut self, document: &Document) {
        let id = xml_escape(&self.id);
        let h = self.titel_niveau;
        let _ = write!(
            self.uit,
            "<section class=\"koers-document\" id=\"{id}\" aria-labelledby=\"{id}-titel\">\n<h{h} id=\"{id}-titel\">"
        );
        if !document.label.is_empty() {
            let _ = write!(
                self.uit,
                "<span class=\"label\">{}</span> ",
                xml_escape(&document.label)
            );
        }
        let _ = writeln!(self.uit, "{}</h{h}>", tekst(&document.titel));
        for blok in &document.blokken {
            self.blok(blok);
        }
        self.uit.push_str("</section>\n");
    }

    fn blok(&mut self, blok: &Blok) {
        match blok {
            Blok::Kop { niveau, tekst: kop } => self.kop(*niveau, kop),
            Blok::Alinea { tekst: alinea } => {
                let _ = writeln!(self.uit, "<p>{}</p>", tekst(alinea));
            }
            Blok::Lijst { genummerd, items } => {
                let soort = if *genummerd { "ol" } else { "ul" };
                let _ = writeln!(self.uit, "<{soort}>");
                for item in items {
                    let _ = writeln!(self.uit, "<li>{}</li>", tekst(item));
                }
                let _ = writeln!(self.uit, "</{soort}>");
            }
            Blok::Gegevens { paren } => {
                self.uit.push_str("<dl class=\"gegevens\">\n");
                for (label, waarde) in paren {
                    let _ = writeln!(
                        self.uit,
                        "<div><dt>{}</dt><dd>{}</dd></div>",
                        tekst(label),
                        tekst(waarde)
                    );
                }
                self.uit.push_str("</dl>\n");
            }
            Blok::Tabel(tabel) => self.tabel(tabel),
            Blok::Grafiek(grafiek) => self.grafiek(grafiek),
            Blok::PlaatsDatum {
                tekst: plaats_datum,
            } => {
                let _ = writeln!(
                    self.uit,
                    "<p class=\"plaats-datum\">{}</p>",
                    tekst(plaats_datum)
                );
            }
            Blok::Ondertekening(ondertekening) => self.ondertekening(ondertekening),
        }
    }

    /// A heading below the title; its level is kept below the title's and at most one deeper
    /// than the heading before it, so the outline never skips a level.
    fn kop(&mut self, niveau: u8, kop: &str) {
        let h = (niveau.max(2) - 1)
            .saturating_add(self.titel_niveau)
            .min(self.vorige_kop + 1)
            .min(6);
        self.vorige_kop = h;
        let _ = writeln!(self.uit, "<h{h}>{}</h{h}>", tekst(kop));
    }

    /// A table inside a region that scrolls sideways when the table is wider than the screen;
    /// the region can take focus so keyboard users can scroll it, and is named by the caption.
    fn tabel(&mut self, tabel: &Tabel) {
        self.tabellen += 1;
        let id = format!("{}-tabel-{}", xml_escape(&self.id), self.tabellen);
        let uitlijning = |i: usize| {
            tabel
                .kolommen
                .get(i)
                .map_or(Uitlijning::Links, |k| k.uitlijning)
        };
        let _ = write!(
            self.uit,
            "<div class=\"tabel\" role=\"region\" aria-labelledby=\"{id}\" tabindex=\"0\">\n<table>\n<caption id=\"{id}\">{}</caption>\n<thead><tr>",
            tekst(&tabel.bijschrift)
        );
        for (i, kolom) in tabel.kolommen.iter().enumerate() {
            let klasse = match uitlijning(i) {
                Uitlijning::Rechts => " class=\"getal\"",
                Uitlijning::Links => "",
            };
            let _ = write!(
                self.uit,
                "<th scope=\"col\"{klasse}>{}</th>",
                tekst(&kolom.kop)
            );
        }
        self.uit.push_str("</tr></thead>\n<tbody>\n");
        // The first cell names its row (a theme, an action), so it is the row's header.
        let rij = |uit: &mut String, cellen: &[String]| {
            uit.push_str("<tr>");
            for (i, cel) in cellen.iter().enumerate() {
                let (open, sluit) = if i == 0 {
                    ("th scope=\"row\"", "th")
                } else {
                    ("td", "td")
                };
                let klasse = match uitlijning(i) {
                    Uitlijning::Rechts => " class=\"getal\"",
                    Uitlijning::Links if is_kort_woord(cel) => " class=\"woord\"",
                    Uitlijning::Links => "",
                };
                let _ = write!(uit, "<{open}{klasse}>{}</{sluit}>", tekst(cel));
            }
            uit.push_str("</tr>\n");
        };
        for cellen in &tabel.rijen {
            rij(self.uit, cellen);
        }
        self.uit.push_str("</tbody>\n");
        if let Some(totaal) = &tabel.totaal {
            self.uit.push_str("<tfoot>\n");
            rij(self.uit, totaal);
            self.uit.push_str("</tfoot>\n");
        }
        self.uit.push_str("</table>\n</div>\n");
    }

    /// The chart inline, its title above it as tables have theirs, and its numbers as a table
    /// below it.
    fn grafiek(&mut self, grafiek: &Grafiek) {
        self.grafieken += 1;
        let id = format!("{}-grafiek-{}", self.id, self.grafieken);
        let _ = writeln!(
            self.uit,
            "<figure>\n<figcaption>{}</figcaption>\n{}\n</figure>",
            tekst(&grafiek.titel),
            grafiek.svg_met_id(&id)
        );
        self.tabel(&grafiek.tabel);
    }

    fn ondertekening(&mut self, ondertekening: &Ondertekening) {
        let _ = writeln!(
            self.uit,
            "<div class=\"ondertekening\">\n<p>{}</p>\n<p>{}</p>",
            tekst(&ondertekening.groet),
            tekst(&ondertekening.afzender)
        );
        for persoon in &ondertekening.ondertekenaars {
            let _ = writeln!(
                self.uit,
                "<p><span class=\"naam\">{}</span><br />{}</p>",
                tekst(&persoon.naam),
                tekst(&persoon.functie)
            );
        }
        self.uit.push_str("</div>\n");
    }
}

/// A code such as "IV2-01" or a short name: broken over two lines (at its hyphen) it reads
/// badly, and it is narrow enough to keep whole.
fn is_kort_woord(cel: &str) -> bool {
    !cel.contains(char::is_whitespace) && cel.chars().count() <= 16
}

/// Text as HTML: escaped, with its line breaks kept.
fn tekst(waarde: &str) -> String {
    xml_escape(&waarde.replace("\r\n", "\n").replace('\r', "\n")).replace('\n', "<br />")
}

/// The page's CSS. The house colour marks the header rule and the table heads (with black or
/// white text, whichever reads); headings use it darkened as far as needed to reach 4.5:1 on
/// white, so a light house colour still gives readable headings.
fn stijlblad(huiskleur: &str) -> String {
    let huiskleur = kleur_of_reserve(huiskleur);
    let kopkleur = leesbaar_op_wit(huiskleur);
    let kop_tekst = tekst_kleur_op(huiskleur);
    format!(
        r#"@page {{ size: A4; margin: 2cm; }}
:root {{ color-scheme: light; }}
body {{ margin: 0; background: #ffffff; color: #1a1a1a; font-family: 'Noto Sans', 'Source Sans 3', Arial, sans-serif; font-size: 1rem; line-height: 1.5; }}
.kop {{ display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 1rem; padding: 1rem 1.5rem; border-bottom: 0.25rem solid {huiskleur}; }}
.kop .logo {{ max-height: 4rem; max-width: 14rem; }}
.kop .organisatie {{ margin: 0; font-weight: bold; }}
main {{ max-width: 64rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }}
/* Running text keeps a readable line length; tables and charts may use the full width. */
main p, main ul, main ol, main dl {{ max-width: 44rem; }}
.koers-document + .koers-document {{ margin-top: 3rem; padding-top: 1.5rem; border-top: 1px solid #8c8c8c; }}
h1, h2, h3, h4, h5, h6 {{ color: {kopkleur}; line-height: 1.25; margin: 1.5em 0 0.5em; }}
h1 {{ font-size: 1.75rem; margin-top: 1rem; }}
h2 {{ font-size: 1.375rem; }}
h3 {{ font-size: 1.125rem; }}
h1 .label {{ display: block; font-size: 1rem; font-weight: normal; color: #4d4d4d; }}
.gegevens div {{ display: grid; grid-template-columns: minmax(8rem, max-content) 1fr; gap: 1rem; }}
.gegevens dt {{ font-weight: bold; }}
.gegevens dd {{ margin: 0; }}
table {{ width: 100%; border-collapse: collapse; font-size: 0.9375rem; line-height: 1.4; }}
.tabel {{ overflow-x: auto; margin: 1rem 0 2rem; }}
.tabel:focus {{ outline: 2px solid {kopkleur}; outline-offset: 2px; }}
caption {{ caption-side: top; text-align: left; font-weight: bold; padding: 0.25rem 0; }}
th, td {{ border: 1px solid #8c8c8c; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; hyphens: auto; }}
thead th {{ background: {huiskleur}; color: {kop_tekst}; }}
tbody th {{ font-weight: normal; }}
tfoot th, tfoot td {{ font-weight: bold; border-top: 2px solid #1a1a1a; }}
.getal {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.getal, .woord {{ white-space: nowrap; }}
figure {{ margin: 1.5rem 0 0.5rem; }}
figure svg {{ display: block; max-width: 100%; height: auto; }}
figcaption {{ font-weight: bold; margin-bottom: 0.5rem; }}
.plaats-datum {{ margin-top: 2rem; }}
.ondertekening .naam {{ font-weight: bold; }}
@media (max-width: 40rem) {{
  .kop, main {{ padding-left: 1rem; padding-right: 1rem; }}
  table {{ font-size: 0.875rem; }}
  th, td {{ padding: 0.25rem 0.3rem; }}
}}
@media print {{
  body {{ font-size: 11pt; }}
  main {{ max-width: none; padding: 0; }}
  .kop {{ padding: 0 0 0.5rem; }}
  .koers-document + .koers-document {{ break-before: page; margin-top: 0; padding-top: 0; border-top: none; }}
  h1, h2, h3, h4, h5, h6 {{ break-after: avoid; }}
  figure, tr {{ break-inside: avoid; }}
  /* Paper does not scroll: tables fit the page's width in a smaller size. */
  .tabel {{ overflow: visible; }}
  table {{ font-size: 9pt; }}
  th, td {{ padding: 0.15rem 0.3rem; }}
  thead {{ display: table-header-group; }}
  /* The total once, at the end, not repeated at the foot of every page. */
  tfoot {{ display: table-row-group; }}
  /* Browsers leave backgrounds out when printing, which would leave light text on white. */
  thead th {{ background: none; color: #1a1a1a; border-bottom: 2px solid {huiskleur}; }}
}}
"#
    )
}

/// The colour darkened towards black in small steps until text in it has 4.5:1 on white.
fn leesbaar_op_wit(kleur: &str) -> String {
    let Some([r, g, b]) = crate::grafiek::rgb(kleur) else {
        return "#1a1a1a".to_string();
    };
    for stap in 0..=20u16 {
        let donker = |k: u8| (u16::from(k) * (20 - stap) / 20) as u8;
        let kandidaat = format!("#{:02x}{:02x}{:02x}", donker(r), donker(g), donker(b));
        if contrast(&kandidaat, "#ffffff") >= 4.5 {
            return kandidaat;
        }
    }
    "#000000".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_colours_reach_aa_on_white() {
        assert_eq!(leesbaar_op_wit("#1f5f8b"), "#1f5f8b");
        for kleur in ["#f2c14e", "#ffffff", "#00a0e0", "#e07b39", "#777777"] {
            let kop = leesbaar_op_wit(kleur);
            assert!(contrast(&kop, "#ffffff") >= 4.5, "{kleur} → {kop}");
        }
        assert_eq!(leesbaar_op_wit("geen kleur"), "#1a1a1a");
    }

    #[test]
    fn line_breaks_in_text_are_kept() {
        assert_eq!(tekst("a\r\nb <c>"), "a<br />b &lt;c&gt;");
    }
}
