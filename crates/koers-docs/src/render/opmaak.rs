//! Layout facts the office formats (ODT and DOCX) share, so both print the package alike.

use crate::invoer::Logo;
use crate::model::{Document, DocumentSoort, Pakket, Tabel};

/// The logo heads the letter, and only the letter.
pub(crate) fn logo_boven<'a>(pakket: &'a Pakket, document: &Document) -> Option<&'a Logo> {
    match document.soort {
        DocumentSoort::Brief => pakket.huisstijl.logo.as_ref(),
        _ => None,
    }
}

/// A4 portrait with 2.5 cm side margins and 2 cm top and bottom.
pub(crate) const PAGINA_BREEDTE_CM: f64 = 21.0;
pub(crate) const PAGINA_HOOGTE_CM: f64 = 29.7;
pub(crate) const MARGE_ZIJ_CM: f64 = 2.5;
pub(crate) const MARGE_BOVEN_CM: f64 = 2.0;
pub(crate) const TEKSTBREEDTE_CM: f64 = PAGINA_BREEDTE_CM - 2.0 * MARGE_ZIJ_CM;

/// The box the logo is fitted in at the top of the letter.
pub(crate) const LOGO_VAK_CM: (f64, f64) = (6.0, 2.0);
/// The box a chart is fitted in: the text width, and short enough to share a page.
pub(crate) const GRAFIEK_VAK_CM: (f64, f64) = (TEKSTBREEDTE_CM, 12.0);

/// "4.250cm", as ODF writes lengths.
pub(crate) fn cm(lengte: f64) -> String {
    format!("{lengte:.3}cm")
}

/// English Metric Units, as OOXML measures drawings (360 000 to the centimetre).
pub(crate) fn emu(lengte: f64) -> String {
    format!("{:.0}", lengte * 360_000.0)
}

/// Twentieths of a point, as OOXML measures pages and tables (567 to the centimetre).
pub(crate) fn twips(lengte: f64) -> String {
    format!("{:.0}", lengte * 1440.0 / 2.54)
}

/// The text colour for a table head filled with the house colour `achtergrond` ("#1f5f8b"):
/// white on a dark colour, black on a light one, whichever contrasts more (WCAG's relative
/// luminance), so a pale house colour still gives readable heads.
pub(crate) fn tekst_op(achtergrond: &str) -> &'static str {
    let kanaal = |i: usize| {
        let waarde = achtergrond
            .get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map_or(0.0, |v| f64::from(v) / 255.0);
        if waarde <= 0.040_45 {
            waarde / 12.92
        } else {
            ((waarde + 0.055) / 1.055).powf(2.4)
        }
    };
    let helderheid = 0.2126 * kanaal(1) + 0.7152 * kanaal(3) + 0.0722 * kanaal(5);
    // Contrast with white is 1.05 / (L + 0.05), with black (L + 0.05) / 0.05; they are equal at
    // L ≈ 0.179.
    if helderheid > 0.179 {
        "#000000"
    } else {
        "#ffffff"
    }
}

/// The language and country of a BCP 47 tag as the office formats want them apart:
/// "nl" is Dutch as written in the Netherlands.
pub(crate) fn taal_en_land(taal: &str) -> (&str, Option<&str>) {
    match taal.split_once('-') {
        Some((taal, land)) => (taal, Some(land)),
        None if taal == "nl" => (taal, Some("NL")),
        None => (taal, None),
    }
}

/// The tag with its country: "nl-NL".
pub(crate) fn taalcode(taal: &str) -> String {
    match taal_en_land(taal) {
        (taal, Some(land)) => format!("{taal}-{land}"),
        (taal, None) => taal.to_string(),
    }
}

/// Column widths in centimetres that fill `breedte`: in proportion to the model's shares, but
/// never so narrow that the longest word of a column (its head or any cell) must break inside
/// the word. A fixed-width table in LibreOffice or Word would otherwise print "Gerealisee|rd".
/// The room a narrow column needs is taken from the others in proportion to their shares.
/// When not every word fits, the cells' words stay whole first and the heads share the rest.
pub(crate) fn kolombreedtes(tabel: &Tabel, breedte: f64) -> Vec<f64> {
    let cellen: Vec<f64> = (0..tabel.kolommen.len())
        .map(|i| {
            let rijen = tabel.rijen.iter().chain(&tabel.totaal);
            rijen
                .filter_map(|rij| rij.get(i))
                .map(|tekst| woordbreedte(tekst, false))
                .fold(0.0, f64::max)
        })
        .collect();
    let heel: Vec<f64> = tabel
        .kolommen
        .iter()
        .zip(&cellen)
        .map(|(kolom, cel)| woordbreedte(&kolom.kop, true).max(*cel))
        .collect();
    let aandelen: Vec<u8> = tabel.kolommen.iter().map(|k| k.breedte).collect();
    if heel.iter().sum::<f64>() <= breedte {
        verdeel(&aandelen, &heel, breedte)
    } else if cellen.iter().sum::<f64>() <= breedte {
        naar_behoefte(&cellen, &heel, breedte)
    } else {
        naar_behoefte(&vec![0.0; cellen.len()], &cellen, breedte)
    }
}

/// The widths of the particulars' two columns (label and value), as [`kolombreedtes`] does.
pub(crate) fn gegevensbreedtes(paren: &[(String, String)], breedte: f64) -> Vec<f64> {
    let minimum = |tekst: fn(&(String, String)) -> &String| {
        paren
            .iter()
            .map(|paar| woordbreedte(tekst(paar), false))
            .fold(0.0, f64::max)
    };
    verdeel(&[3, 8], &[minimum(|p| &p.0), minimum(|p| &p.1)], breedte)
}

/// Widths when not every column can have all it wants: each gets its `basis`, and of what is
/// left a column whose extra wish fits in an equal share gets it whole (a short head such as
/// "Thema" should not break); the others share the rest in proportion to their wish.
fn naar_behoefte(basis: &[f64], wens: &[f64], breedte: f64) -> Vec<f64> {
    let extra: Vec<f64> = wens
        .iter()
        .zip(basis)
        .map(|(w, b)| (w - b).max(0.0))
        .collect();
    let mut vervuld = vec![false; wens.len()];
    loop {
        let over = breedte
            - basis.iter().sum::<f64>()
            - (0..wens.len())
                .filter(|&i| vervuld[i])
                .map(|i| extra[i])
                .sum::<f64>();
        let rest: Vec<usize> = (0..wens.len()).filter(|&i| !vervuld[i]).collect();
        let gelijk = over / rest.len().max(1) as f64;
        let passend: Vec<usize> = rest
            .iter()
            .copied()
            .filter(|&i| extra[i] <= gelijk)
            .collect();
        if passend.is_empty() || passend.len() == rest.len() {
            let wens_rest: f64 = rest.iter().map(|&i| extra[i]).sum();
            return (0..wens.len())
                .map(|i| match (vervuld[i], wens_rest > 0.0) {
                    (true, _) => basis[i] + extra[i],
                    (false, true) => basis[i] + extra[i] * over / wens_rest,
                    (false, false) => basis[i] + over / rest.len() as f64,
                })
                .collect();
        }
        for i in passend {
            vervuld[i] = true;
        }
    }
}

/// The size tables are set in, smaller than the text's 11 pt.
pub(crate) const TABEL_PT: f64 = 9.0;

/// How wide a cell must be for its longest word at [`TABEL_PT`], padding included. Estimated (no
/// font is measured here) on the generous side: half an em a character, more in bold. Words
/// are split at spaces only: a code such as "IV1-05" should not break at its hyphen.
fn woordbreedte(tekst: &str, vet: bool) -> f64 {
    const CM_PER_EM: f64 = TABEL_PT * 2.54 / 72.0;
    const OPVULLING_CM: f64 = 0.35;
    let em_per_teken = if vet { 0.55 } else { 0.5 };
    let langste = tekst
        .split_whitespace()
        .map(|woord| woord.chars().count())
        .max()
        .unwrap_or(0);
    langste as f64 * em_per_teken * CM_PER_EM + OPVULLING_CM
}

fn verdeel(aandelen: &[u8], minima: &[f64], breedte: f64) -> Vec<f64> {
    let nodig: f64 = minima.iter().sum();
    if nodig >= breedte {
        return naar_behoefte(&vec![0.0; minima.len()], minima, breedte);
    }
    // Columns held at their minimum; the rest share what is left. Each round holds at least
    // one more column or ends, so this stops after at most one round per column.
    let mut vast = vec![false; aandelen.len()];
    loop {
        let vrij: Vec<usize> = (0..aandelen.len()).filter(|&i| !vast[i]).collect();
        let over = breedte
            - (0..aandelen.len())
                .filter(|&i| vast[i])
                .map(|i| minima[i])
                .sum::<f64>();
        if vrij.is_empty() {
            // Every column at its minimum and room to spare: widen all alike.
            return minima.iter().map(|m| m * breedte / nodig).collect();
        }
        let som: f64 = vrij.iter().map(|&i| f64::from(aandelen[i])).sum();
        let deel = |i: usize| {
            if som == 0.0 {
                over / vrij.len() as f64
            } else {
                over * f64::from(aandelen[i]) / som
            }
        };
        let te_smal: Vec<usize> = vrij
            .iter()
            .copied()
            .filter(|&i| deel(i) < minima[i])
            .collect();
        if te_smal.is_empty() {
            return (0..aandelen.len())
                .map(|i| if vast[i] { minima[i] } else { deel(i) })
                .collect();
        }
        for i in te_smal {
            vast[i] = true;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Kolom, Uitlijning};

    #[test]
    fn heads_get_the_text_colour_that_contrasts_most() {
        assert_eq!(tekst_op("#1f5f8b"), "#ffffff");
        assert_eq!(tekst_op("#000000"), "#ffffff");
        assert_eq!(tekst_op("#ffd700"), "#000000");
        assert_eq!(tekst_op("#e0f0ff"), "#000000");
    }

    #[test]
    fn dutch_is_written_in_the_netherlands() {
        assert_eq!(taalcode("nl"), "nl-NL");
        assert_eq!(taalcode("nl-BE"), "nl-BE");
        assert_eq!(taalcode("fy"), "fy");
    }

    fn tabel(koppen: &[(&str, u8)], rij: &[&str]) -> Tabel {
        Tabel {
            bijschrift: String::new(),
            kolommen: koppen
                .iter()
                .map(|(kop, breedte)| Kolom {
                    kop: (*kop).into(),
                    uitlijning: Uitlijning::Links,
                    breedte: *breedte,
                })
                .collect(),
            rijen: vec![rij.iter().map(|c| (*c).to_string()).collect()],
            totaal: None,
        }
    }

    fn afgerond(breedtes: Vec<f64>) -> Vec<f64> {
        breedtes
            .into_iter()
            .map(|b| (b * 100.0).round() / 100.0)
            .collect()
    }

    #[test]
    fn columns_share_the_width_when_their_words_fit() {
        let t = tabel(
            &[("Thema", 3), ("Uren", 1), ("Acties", 1)],
            &["Zorg", "12", "3"],
        );
        assert_eq!(afgerond(kolombreedtes(&t, 16.0)), vec![9.6, 3.2, 3.2]);
        let t = tabel(&[("A", 0), ("B", 0)], &["x", "y"]);
        assert_eq!(afgerond(kolombreedtes(&t, 16.0)), vec![8.0, 8.0]);
    }

    #[test]
    fn a_narrow_column_keeps_its_longest_word_whole() {
        let t = tabel(
            &[("Actie", 4), ("Resultaat", 4), ("Prioriteit", 1)],
            &["Toezicht", "Meer", "hoog"],
        );
        let breedtes = kolombreedtes(&t, 16.0);
        assert!((breedtes[2] - woordbreedte("Prioriteit", true)).abs() < 1e-9);
        assert!((breedtes[0] - breedtes[1]).abs() < 1e-9);
        assert!((breedtes.iter().sum::<f64>() - 16.0).abs() < 1e-9);
    }

    #[test]
    fn when_words_cannot_all_fit_short_ones_stay_whole() {
        let mut koppen: Vec<(&str, u8)> = vec![("Gerealiseerd", 1); 8];
        koppen.insert(0, ("Thema", 3));
        let t = tabel(&koppen, &[]);
        let breedtes = kolombreedtes(&t, 16.0);
        assert!((breedtes[0] - woordbreedte("Thema", true)).abs() < 1e-9);
        let rest = (16.0 - breedtes[0]) / 8.0;
        assert!(breedtes[1..].iter().all(|b| (b - rest).abs() < 1e-9));
    }

    #[test]
    fn when_words_cannot_all_fit_the_cells_come_before_the_heads() {
        let mut koppen: Vec<(&str, u8)> = vec![("Gerealiseerd", 1); 8];
        koppen.insert(0, ("Thema", 3));
        let mut rij = vec!["leefomgeving"];
        rij.extend(["12"; 8]);
        let breedtes = kolombreedtes(&tabel(&koppen, &rij), 16.0);
        assert!(breedtes[0] >= woordbreedte("leefomgeving", false) - 1e-9);
        assert!(breedtes[1] < woordbreedte("Gerealiseerd", true));
        assert!((breedtes.iter().sum::<f64>() - 16.0).abs() < 1e-9);
    }

    #[test]
    fn particulars_fit_their_labels() {
        let paren = vec![("Onderwerp".to_string(), "Evaluatie 2023".to_string())];
        let breedtes = gegevensbreedtes(&paren, 16.0);
        assert!((breedtes[0] - 16.0 * 3.0 / 11.0).abs() < 1e-9);
    }
}
