//! Where a table may break: inside a word, and across a page.
//!
//! A long Dutch word in a narrow column ("Gerealiseerd" under "Uitkomst") would run into the
//! next column unless typst may break it. Letting typst hyphenate every table was the costliest
//! part of laying out the package: a quarter of the whole render, because every possible break
//! inside a word is a line typst tries and shapes again. So hyphenation is switched on per
//! cell, only where one of its words is wider than its column. A cell that may hyphenate goes
//! to the template as `{"tekst": ..., "afbreken": true}` instead of a plain string.
//!
//! A row of a few lines reads best on one page, so such a row is kept whole (`heel`, one flag
//! per row); typst then also lays its cells out once instead of twice, which saves time and
//! memory. A row that might not fit on a page stays breakable, so that no text is ever cut off.
//!
//! The widths are the fonts' own advances at the size tables are set in, so these choices are
//! made here, before typst runs.

use super::LETTERTYPEN;
use crate::model::Tabel;
use serde_json::{Value, json};
use std::sync::LazyLock;
use typst::layout::Abs;
use typst::text::{FontInstance, FontVariant, FontVariations, FontWeight};

// The measures of `typst/pakket.typ` this must agree with (a test below reads them there).
/// A4 is 210 mm wide; the margins are 2.5 cm on either side.
const TEKSTBREEDTE_MM: f64 = 210.0 - 2.0 * 25.0;
/// `#show table: set text(size: 8.5pt, …)`.
const TABELTEKST_PT: f64 = 8.5;
/// `#set table(inset: (x: 0.4em, …))`, on either side of a cell.
const CELMARGE_EM: f64 = 0.4;

const PT_PER_MM: f64 = 72.0 / 25.4;

/// A line of table text with its leading is about 1.4 em high; estimated generously.
const REGELHOOGTE_EM: f64 = 1.7;
/// Breaking at words leaves the end of each line empty; estimated generously.
const OPVULLING: f64 = 1.3;
/// The tallest row kept whole: about a third of the page's text height (247 mm, 700 pt), so
/// even an estimate that is half too low leaves a row that fits on a fresh page.
const HOOGSTE_HELE_RIJ_PT: f64 = 230.0;

/// Marks, in `waarde` (the table as the template gets it: `kolommen[].kop`, `rijen[][]`,
/// `totaal[]`), the cells that need hyphenation and the rows kept whole (`heel`). The head row
/// and the total are bold.
pub(super) fn markeer(tabel: &Tabel, waarde: &mut Value) {
    let totaal: u32 = tabel
        .kolommen
        .iter()
        .map(|k| u32::from(k.breedte.max(1)))
        .sum();
    let binnen: Vec<f64> = tabel
        .kolommen
        .iter()
        .map(|k| {
            TEKSTBREEDTE_MM * PT_PER_MM * f64::from(k.breedte.max(1)) / f64::from(totaal.max(1))
                - 2.0 * CELMARGE_EM * TABELTEKST_PT
        })
        .collect();
    let heel: Vec<bool> = tabel
        .rijen
        .iter()
        .map(|rij| {
            rij.iter()
                .zip(&binnen)
                .all(|(tekst, breedte)| hoogte(tekst, *breedte, &GEWOON) <= HOOGSTE_HELE_RIJ_PT)
        })
        .collect();
    waarde["heel"] = json!(heel);
    for (i, breedte) in binnen.iter().enumerate() {
        markeer_cel(&mut waarde["kolommen"][i]["kop"], *breedte, &VET);
    }
    if let Some(rijen) = waarde["rijen"].as_array_mut() {
        for rij in rijen {
            for (cel, breedte) in rij.as_array_mut().into_iter().flatten().zip(&binnen) {
                markeer_cel(cel, *breedte, &GEWOON);
            }
        }
    }
    if let Some(cellen) = waarde["totaal"].as_array_mut() {
        for (cel, breedte) in cellen.iter_mut().zip(&binnen) {
            markeer_cel(cel, *breedte, &VET);
        }
    }
}

fn markeer_cel(cel: &mut Value, breedte: f64, letter: &FontInstance) {
    if let Value::String(tekst) = cel
        && breedste_woord(tekst, letter) > breedte
    {
        *cel = json!({ "tekst": std::mem::take(tekst), "afbreken": true });
    }
}

/// The width in points of the widest word of `tekst` set in `letter` at the table size. A word
/// ends where typst may break a line without hyphenating: at a space (not a no-break space)
/// or after a hyphen.
fn breedste_woord(tekst: &str, letter: &FontInstance) -> f64 {
    let mut breedste: f64 = 0.0;
    let mut woord = 0.0;
    for c in tekst.chars() {
        if c.is_whitespace() && !matches!(c, '\u{A0}' | '\u{202F}' | '\u{2007}') {
            woord = 0.0;
            continue;
        }
        woord += breedte_em(c, letter) * TABELTEKST_PT;
        breedste = breedste.max(woord);
        if c == '-' {
            woord = 0.0;
        }
    }
    breedste
}

/// A generous estimate of the height in points of `tekst` set in a column `breedte` points
/// wide: each of its lines (paragraphs) takes as many lines as its width needs.
fn hoogte(tekst: &str, breedte: f64, letter: &FontInstance) -> f64 {
    if breedte <= 0.0 {
        return f64::INFINITY;
    }
    let regels: f64 = tekst
        .split('\n')
        .map(|regel| {
            let lengte: f64 = regel.chars().map(|c| breedte_em(c, letter)).sum::<f64>();
            (lengte * TABELTEKST_PT * OPVULLING / breedte)
                .ceil()
                .max(1.0)
        })
        .sum();
    regels * REGELHOOGTE_EM * TABELTEKST_PT
}

/// A character's advance in em; one whole em for a character this font lacks, which typst
/// sets in another font (a generous guess errs towards hyphenating).
fn breedte_em(c: char, letter: &FontInstance) -> f64 {
    letter
        .ttf()
        .glyph_index(c)
        .and_then(|glyph| letter.x_advance(glyph.0))
        .map_or(1.0, |em| em.get())
}

static GEWOON: LazyLock<FontInstance> = LazyLock::new(|| instantie(FontWeight::REGULAR));
static VET: LazyLock<FontInstance> = LazyLock::new(|| instantie(FontWeight::BOLD));

fn instantie(weight: FontWeight) -> FontInstance {
    let variant = FontVariant {
        weight,
        ..FontVariant::default()
    };
    let font = LETTERTYPEN
        .iter()
        .find(|f| {
            f.info().family == super::super::lettertypen::FAMILIE && f.info().variant == variant
        })
        .expect("Noto Sans is compiled in, regular and bold");
    font.clone()
        .instantiate(variant, Abs::pt(TABELTEKST_PT), &FontVariations::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kolom, Uitlijning};

    fn tabel() -> Tabel {
        let kolom = |kop: &str, breedte| Kolom {
            kop: kop.into(),
            uitlijning: Uitlijning::Links,
            breedte,
        };
        Tabel {
            bijschrift: "Acties".into(),
            kolommen: vec![kolom("Stand", 2), kolom("Toelichting", 20)],
            rijen: vec![
                vec!["Gerealiseerd".into(), "Gerealiseerd".into()],
                vec!["Deels".into(), "Een zin van gewone woorden".into()],
                vec!["Nazorg-traject".into(), String::new()],
            ],
            totaal: Some(vec!["Totaal".into(), "12".into()]),
        }
    }

    #[test]
    fn only_a_word_wider_than_its_column_may_hyphenate() {
        let tabel = tabel();
        let mut waarde = serde_json::to_value(&tabel).unwrap();
        markeer(&tabel, &mut waarde);
        // A column of 2 of 22 parts is about 34 pt inside; "Gerealiseerd" is about 50 pt.
        assert_eq!(
            waarde["rijen"][0][0],
            json!({ "tekst": "Gerealiseerd", "afbreken": true })
        );
        assert_eq!(waarde["rijen"][0][1], json!("Gerealiseerd"));
        assert_eq!(
            waarde["rijen"][1],
            json!(["Deels", "Een zin van gewone woorden"])
        );
        // After a hyphen typst may break anyway: each part fits.
        assert_eq!(waarde["rijen"][2][0], json!("Nazorg-traject"));
        assert_eq!(waarde["totaal"], json!(["Totaal", "12"]));
        assert_eq!(waarde["kolommen"][0]["kop"], json!("Stand"));
        assert_eq!(waarde["kolommen"][1]["kop"], json!("Toelichting"));
    }

    #[test]
    fn a_row_of_a_few_lines_is_kept_whole_and_a_long_one_may_break() {
        let mut tabel = tabel();
        tabel
            .rijen
            .push(vec!["Deels".into(), "Een lange toelichting. ".repeat(200)]);
        tabel.rijen.push(vec!["Deels".into(), "regel\n".repeat(30)]);
        let mut waarde = serde_json::to_value(&tabel).unwrap();
        markeer(&tabel, &mut waarde);
        assert_eq!(waarde["heel"], json!([true, true, true, false, false]));
        // 4,600 characters of about 4.3 pt in a column of 400 pt: 50 lines as set, 64 as
        // estimated, of 14.45 pt each.
        let lang = hoogte(&tabel.rijen[3][1], 400.0, &GEWOON);
        assert!((700.0..1000.0).contains(&lang), "{lang}");
        assert_eq!(hoogte("kort", 0.0, &GEWOON), f64::INFINITY);
    }

    #[test]
    fn the_head_row_is_measured_in_bold() {
        let mut tabel = tabel();
        // 34.2 pt in regular, 36.0 pt in bold: the column is 34.4 pt inside.
        tabel.kolommen[0].kop = "Omvang".into();
        tabel.rijen[1][0] = "Omvang".into();
        let mut waarde = serde_json::to_value(&tabel).unwrap();
        markeer(&tabel, &mut waarde);
        assert_eq!(
            waarde["kolommen"][0]["kop"],
            json!({ "tekst": "Omvang", "afbreken": true })
        );
        assert_eq!(waarde["rijen"][1][0], json!("Omvang"));
    }

    #[test]
    fn bold_is_measured_wider_than_regular() {
        let woord = "Toezichtsmedewerkers";
        assert!(breedste_woord(woord, &VET) > breedste_woord(woord, &GEWOON));
        assert!(breedste_woord(woord, &GEWOON) > 60.0);
        assert_eq!(
            breedste_woord("ab ab", &GEWOON),
            breedste_woord("ab", &GEWOON)
        );
        assert_eq!(
            breedste_woord("ab-ab", &GEWOON),
            breedste_woord("ab-", &GEWOON)
        );
        assert!(breedste_woord("ab\u{A0}ab", &GEWOON) > breedste_woord("ab", &GEWOON));
    }

    /// The measures above are the template's; a change there must be made here too.
    #[test]
    fn the_measures_are_the_templates() {
        let sjabloon = include_str!("../../../typst/pakket.typ");
        for regel in [
            "paper: \"a4\"",
            "margin: (x: 2.5cm,",
            "inset: (x: 0.4em,",
            "#show table: set text(size: 8.5pt)",
        ] {
            assert!(
                sjabloon.contains(regel),
                "{regel} staat niet meer in pakket.typ"
            );
        }
    }
}
