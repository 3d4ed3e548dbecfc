//! Layout facts the office formats (ODT and DOCX) share, so both print the package alike.

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

/// Column widths in centimetres from the model's relative shares, filling `breedte`. A table
/// whose shares are all zero gets equal columns.
pub(crate) fn kolombreedtes(aandelen: impl Iterator<Item = u8>, breedte: f64) -> Vec<f64> {
    let aandelen: Vec<f64> = aandelen.map(f64::from).collect();
    let totaal: f64 = aandelen.iter().sum();
    if totaal == 0.0 {
        let n = aandelen.len().max(1) as f64;
        return aandelen.iter().map(|_| breedte / n).collect();
    }
    aandelen.iter().map(|a| breedte * a / totaal).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn column_widths_share_the_width() {
        assert_eq!(kolombreedtes([1, 3].into_iter(), 16.0), vec![4.0, 12.0]);
        assert_eq!(kolombreedtes([0, 0].into_iter(), 16.0), vec![8.0, 8.0]);
    }
}
