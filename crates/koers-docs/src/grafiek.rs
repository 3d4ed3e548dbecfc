//! Charts as SVG, drawn from a [`Grafiek`] so that every format shows the same picture.
//!
//! The SVG is written by hand rather than with `plotters`: plotters' SVG backend has no way to
//! add `role`, `<title>`, `<desc>` or per-row titles, picks its own text placement and would
//! need post-processing to become accessible, while a horizontal bar chart is a few dozen
//! rectangles and texts. Writing them directly keeps the output small, deterministic and within
//! the SVG subset that browsers, typst (usvg) and LibreOffice all draw alike: only `rect`,
//! `line`, `text` and `g`, presentation attributes instead of CSS, explicit font sizes, and text
//! positioned by its baseline (no `dominant-baseline`, which renderers treat differently).
//!
//! Text widths are estimated from the font size, since no font is at hand here; the estimate is
//! generous so that labels judged to fit do fit in any of the listed sans-serif fonts.

use crate::model::{GEEN_WAARDE, Grafiek, GrafiekSoort, Reeks};
use koers_domain::nl::duizendtallen;
use std::fmt::Write;

/// Total width in px; the height follows from the number of rows.
const BREEDTE: f64 = 680.0;
const MARGE: f64 = 8.0;
/// Room for the category labels left of the bars.
const LABEL_BREEDTE: f64 = 190.0;
/// Quoted where a name is not a plain CSS identifier ("Source Sans 3" ends in a number).
const LETTERTYPEN: &str = "'Noto Sans', 'Source Sans 3', Arial, sans-serif";
const LABEL_PX: f64 = 13.0;
const KLEIN_PX: f64 = 12.0;
/// Average advance of a character as a share of the font size, on the generous side.
const TEKEN_BREEDTE: f64 = 0.58;

/// Near-black text on white: 17:1.
const TEKST: &str = "#1a1a1a";
/// Axis line and tick labels: 7:1 on white.
const AS: &str = "#595959";
const RASTER: &str = "#d9d9d9";
const ACHTERGROND: &str = "#ffffff";
/// Used when a series carries a colour that is not `#rrggbb`, so no stray text reaches an
/// attribute.
const RESERVE_KLEUR: &str = "#595959";

/// WCAG 2.1 AA minimum for normal text.
const AA_TEKST: f64 = 4.5;

impl Grafiek {
    /// The chart as a standalone SVG document with `role="img"`, a `<title>` and a `<desc>`
    /// holding the text alternative. Its element ids derive from the chart's content, so the
    /// same chart gives the same bytes; to inline several charts in one page, use
    /// [`Grafiek::svg_met_id`] with ids unique in that page.
    pub fn svg(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        self.svg_met_id(&format!("grafiek-{:016x}", fnv1a(json.as_bytes())))
    }

    /// The chart as SVG whose `<title>` and `<desc>` ids start with `id` (which must be a valid
    /// XML id; it is escaped but not checked).
    pub fn svg_met_id(&self, id: &str) -> String {
        let leeg = self.categorieen.is_empty() || self.reeksen.is_empty();
        let legenda = if leeg {
            Vec::new()
        } else {
            legenda_plaatsen(&self.reeksen)
        };
        let legenda_hoogte = legenda.last().map_or(0.0, |item| item.y + 12.0);
        let staven = (!leeg).then(|| Staven::indelen(self, MARGE + legenda_hoogte + 14.0));
        // Below the last row: the tick labels and the unit.
        let hoogte = staven.as_ref().map_or(80.0, |s| s.onder + 44.0);

        let id = xml_escape(id);
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{b}" height="{h}" viewBox="0 0 {b} {h}" role="img" aria-labelledby="{id}-titel {id}-uitleg">"#,
            b = px(BREEDTE),
            h = px(hoogte),
        );
        let _ = write!(
            svg,
            r#"<title id="{id}-titel">{}</title><desc id="{id}-uitleg">{}</desc>"#,
            xml_escape(&self.titel),
            xml_escape(&self.tekstalternatief),
        );
        let _ = write!(
            svg,
            r#"<g font-family="{LETTERTYPEN}" font-size="{}" fill="{TEKST}">"#,
            px(LABEL_PX)
        );
        let _ = write!(
            svg,
            r#"<rect x="0" y="0" width="{}" height="{}" fill="{ACHTERGROND}"/>"#,
            px(BREEDTE),
            px(hoogte)
        );
        for item in &legenda {
            item.teken(&mut svg);
        }
        match &staven {
            Some(staven) => staven.teken(&mut svg, self),
            None => geen_gegevens(&mut svg, hoogte),
        }
        svg.push_str("</g></svg>");
        svg
    }
}

fn geen_gegevens(svg: &mut String, hoogte: f64) {
    let _ = write!(
        svg,
        r#"<rect x="{m}" y="{m}" width="{b}" height="{h}" fill="none" stroke="{RASTER}"/><text x="{x}" y="{y}" text-anchor="middle" fill="{AS}">Geen gegevens</text>"#,
        m = px(MARGE),
        b = px(BREEDTE - 2.0 * MARGE),
        h = px(hoogte - 2.0 * MARGE),
        x = px(BREEDTE / 2.0),
        y = px(hoogte / 2.0 + LABEL_PX * 0.35),
    );
}

/// One entry of the legend: a swatch and the series' name, placed in lines that wrap.
struct LegendaItem {
    x: f64,
    y: f64,
    kleur: String,
    naam: String,
}

fn legenda_plaatsen(reeksen: &[Reeks]) -> Vec<LegendaItem> {
    let mut x = MARGE;
    let mut y = MARGE;
    let mut items = Vec::new();
    for reeks in reeksen {
        let breedte = 12.0 + 6.0 + tekst_breedte(&reeks.naam, LABEL_PX);
        if x > MARGE && x + breedte > BREEDTE - MARGE {
            x = MARGE;
            y += 20.0;
        }
        items.push(LegendaItem {
            x,
            y,
            kleur: kleur_of_reserve(&reeks.kleur).to_string(),
            naam: reeks.naam.clone(),
        });
        x += breedte + 20.0;
    }
    items
}

impl LegendaItem {
    fn teken(&self, svg: &mut String) {
        let _ = write!(
            svg,
            r#"<rect x="{}" y="{}" width="12" height="12" fill="{}"/><text x="{}" y="{}">{}</text>"#,
            px(self.x),
            px(self.y),
            self.kleur,
            px(self.x + 18.0),
            px(self.y + 6.0 + LABEL_PX * 0.35),
            xml_escape(&self.naam),
        );
    }
}

/// The bar area: where the rows go and how values map to pixels.
struct Staven {
    /// Left and right end of the value axis.
    x0: f64,
    x1: f64,
    /// Top of the first row and bottom of the last (where the axis is).
    boven: f64,
    onder: f64,
    rij_hoogte: f64,
    staaf_hoogte: f64,
    schaal: Schaal,
    /// Decimals in the values (see [`Grafiek::decimalen`]).
    decimalen: u32,
}

impl Staven {
    fn indelen(grafiek: &Grafiek, boven: f64) -> Self {
        let n = grafiek.reeksen.len() as f64;
        let (staaf_hoogte, rij_hoogte) = match grafiek.soort {
            GrafiekSoort::Gestapeld => (24.0, 40.0),
            // Per series a bar of 14 px with 2 px between, plus room between the groups; at
            // least two label lines high.
            GrafiekSoort::Naast => (14.0, f64::max(40.0, n * 16.0 + 14.0)),
        };
        let grootste = grafiek.grootste_waarde();
        let schaal = Schaal::voor(grootste);
        // Values are written after the bars, so keep room for the widest of them.
        let decimalen = grafiek.decimalen.min(3);
        let waarde_ruimte =
            tekst_breedte(&getal(schaal.max.max(grootste), decimalen), KLEIN_PX) + 10.0;
        Self {
            x0: MARGE + LABEL_BREEDTE + 8.0,
            x1: BREEDTE - MARGE - waarde_ruimte,
            boven,
            onder: boven + rij_hoogte * grafiek.categorieen.len() as f64,
            rij_hoogte,
            staaf_hoogte,
            schaal,
            decimalen,
        }
    }

    /// Pixel length of a value; negative values (which the data should not hold) draw as zero.
    fn lengte(&self, waarde: i64) -> f64 {
        (self.x1 - self.x0) * waarde.max(0) as f64 / self.schaal.max as f64
    }

    fn teken(&self, svg: &mut String, grafiek: &Grafiek) {
        self.teken_as(svg, &grafiek.eenheid);
        for (i, categorie) in grafiek.categorieen.iter().enumerate() {
            let y = self.boven + self.rij_hoogte * i as f64;
            let _ = write!(svg, "<g><title>{}</title>", xml_escape(categorie));
            self.teken_label(svg, categorie, y + self.rij_hoogte / 2.0);
            match grafiek.soort {
                GrafiekSoort::Gestapeld => self.teken_gestapeld(svg, &grafiek.reeksen, i, y),
                GrafiekSoort::Naast => self.teken_naast(svg, &grafiek.reeksen, i, y),
            }
            svg.push_str("</g>");
        }
    }

    fn teken_as(&self, svg: &mut String, eenheid: &str) {
        let mut waarde = 0;
        while waarde <= self.schaal.max {
            let x = self.x0 + self.lengte(waarde);
            let _ = write!(
                svg,
                r#"<line x1="{x}" y1="{b}" x2="{x}" y2="{o}" stroke="{RASTER}" stroke-width="1"/><line x1="{x}" y1="{o}" x2="{x}" y2="{t}" stroke="{AS}" stroke-width="1"/><text x="{x}" y="{ty}" font-size="{f}" text-anchor="middle" fill="{AS}">{w}</text>"#,
                x = px(x),
                b = px(self.boven),
                o = px(self.onder),
                t = px(self.onder + 5.0),
                ty = px(self.onder + 8.0 + KLEIN_PX),
                f = px(KLEIN_PX),
                w = getal(waarde, self.decimalen),
            );
            match waarde.checked_add(self.schaal.stap) {
                Some(volgende) => waarde = volgende,
                None => break,
            }
        }
        let _ = write!(
            svg,
            r#"<line x1="{x0}" y1="{o}" x2="{x1}" y2="{o}" stroke="{AS}" stroke-width="1"/><text x="{x}" y="{y}" font-size="{f}" text-anchor="middle" fill="{AS}">{e}</text>"#,
            x0 = px(self.x0),
            x1 = px(self.x1),
            o = px(self.onder),
            x = px((self.x0 + self.x1) / 2.0),
            y = px(self.onder + 14.0 + 2.0 * KLEIN_PX),
            f = px(KLEIN_PX),
            e = xml_escape(eenheid),
        );
    }

    /// The category's name right-aligned before its bars, on at most two lines.
    fn teken_label(&self, svg: &mut String, categorie: &str, midden: f64) {
        let regels = afbreken(categorie, tekens_per_regel(LABEL_BREEDTE, LABEL_PX), 2);
        let regel_hoogte = LABEL_PX * 1.25;
        let eerste = midden - regel_hoogte * (regels.len() as f64 - 1.0) / 2.0;
        for (n, regel) in regels.iter().enumerate() {
            let _ = write!(
                svg,
                r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
                px(self.x0 - 8.0),
                px(eerste + regel_hoogte * n as f64 + LABEL_PX * 0.35),
                xml_escape(regel),
            );
        }
    }

    /// One bar of stacked segments; each value inside its segment where it fits, the total
    /// after the bar.
    fn teken_gestapeld(&self, svg: &mut String, reeksen: &[Reeks], i: usize, y: f64) {
        let boven = y + (self.rij_hoogte - self.staaf_hoogte) / 2.0;
        let mut x = self.x0;
        let mut totaal: i64 = 0;
        for reeks in reeksen {
            let waarde = waarde(reeks, i);
            totaal = totaal.saturating_add(waarde.max(0));
            let lengte = self.lengte(waarde);
            if lengte <= 0.0 {
                continue;
            }
            let kleur = kleur_of_reserve(&reeks.kleur);
            // A thin white edge keeps neighbouring segments apart when their colours are close.
            let _ = write!(
                svg,
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{kleur}" stroke="{ACHTERGROND}" stroke-width="1"/>"#,
                px(x),
                px(boven),
                px(lengte),
                px(self.staaf_hoogte),
            );
            let tekst = getal(waarde, self.decimalen);
            let tekst_kleur = tekst_kleur_op(kleur);
            if tekst_breedte(&tekst, KLEIN_PX) + 6.0 <= lengte
                && contrast(tekst_kleur, kleur) >= AA_TEKST
            {
                let _ = write!(
                    svg,
                    r#"<text x="{}" y="{}" font-size="{}" text-anchor="middle" fill="{tekst_kleur}">{tekst}</text>"#,
                    px(x + lengte / 2.0),
                    px(boven + self.staaf_hoogte / 2.0 + KLEIN_PX * 0.35),
                    px(KLEIN_PX),
                );
            }
            x += lengte;
        }
        self.waarde_na(svg, x, boven + self.staaf_hoogte / 2.0, totaal);
    }

    /// A bar per series, each value just after its bar (on the white background, so its
    /// contrast never depends on the series' colour).
    fn teken_naast(&self, svg: &mut String, reeksen: &[Reeks], i: usize, y: f64) {
        let groep = self.staaf_hoogte * reeksen.len() as f64 + 2.0 * (reeksen.len() as f64 - 1.0);
        let mut boven = y + (self.rij_hoogte - groep) / 2.0;
        for reeks in reeksen {
            let ontbreekt = reeks.waarden.get(i) == Some(&GEEN_WAARDE);
            let waarde = waarde(reeks, i);
            let lengte = self.lengte(waarde);
            if lengte > 0.0 {
                let _ = write!(
                    svg,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>"#,
                    px(self.x0),
                    px(boven),
                    px(lengte),
                    px(self.staaf_hoogte),
                    kleur_of_reserve(&reeks.kleur),
                );
            }
            if ontbreekt {
                let _ = write!(
                    svg,
                    r#"<text x="{}" y="{}" font-size="{}">–</text>"#,
                    px(self.x0 + 4.0),
                    px(boven + self.staaf_hoogte / 2.0 + KLEIN_PX * 0.35),
                    px(KLEIN_PX),
                );
            } else {
                self.waarde_na(
                    svg,
                    self.x0 + lengte,
                    boven + self.staaf_hoogte / 2.0,
                    waarde,
                );
            }
            boven += self.staaf_hoogte + 2.0;
        }
    }

    fn waarde_na(&self, svg: &mut String, x: f64, midden: f64, waarde: i64) {
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" font-size="{}">{}</text>"#,
            px(x + 4.0),
            px(midden + KLEIN_PX * 0.35),
            px(KLEIN_PX),
            getal(waarde, self.decimalen),
        );
    }
}

impl Grafiek {
    /// The longest bar's value: a category's total when stacked, its largest value otherwise.
    fn grootste_waarde(&self) -> i64 {
        (0..self.categorieen.len())
            .map(|i| {
                let waarden = self.reeksen.iter().map(|r| waarde(r, i).max(0));
                match self.soort {
                    GrafiekSoort::Gestapeld => waarden.fold(0, i64::saturating_add),
                    GrafiekSoort::Naast => waarden.max().unwrap_or(0),
                }
            })
            .max()
            .unwrap_or(0)
    }
}

/// A series' value for category `i`; a missing value counts as zero, and so does
/// [`GEEN_WAARDE`] except where it is drawn as "–".
fn waarde(reeks: &Reeks, i: usize) -> i64 {
    match reeks.waarden.get(i).copied() {
        Some(GEEN_WAARDE) => 0,
        Some(waarde) => waarde,
        None => 0,
    }
}

/// The value axis: from 0 to `max` in steps of 1, 2 or 5 times a power of ten, at most six
/// steps. Integers only, since the values are counts and hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Schaal {
    max: i64,
    stap: i64,
}

impl Schaal {
    fn voor(grootste: i64) -> Self {
        let grootste = grootste.max(1);
        let mut macht: i64 = 1;
        let stap = loop {
            if let Some(stap) = [1, 2, 5]
                .into_iter()
                .map(|f| macht.saturating_mul(f))
                .find(|stap| stap.saturating_mul(6) >= grootste)
            {
                break stap;
            }
            macht = macht.saturating_mul(10);
        };
        let stappen = grootste / stap + i64::from(grootste % stap != 0);
        let max = stappen.saturating_mul(stap);
        Self { max, stap }
    }
}

/// A value the Dutch way: with thousands separated and, when the chart's values carry
/// `decimalen` decimals, a decimal comma followed by only the decimals that are not zero.
fn getal(waarde: i64, decimalen: u32) -> String {
    if decimalen == 0 {
        return duizendtallen(waarde);
    }
    let deler = 10_i64.pow(decimalen);
    let geheel = duizendtallen((waarde / deler).abs());
    let teken = if waarde < 0 { "-" } else { "" };
    let fractie = format!("{:0w$}", (waarde % deler).abs(), w = decimalen as usize);
    let fractie = fractie.trim_end_matches('0');
    if fractie.is_empty() {
        format!("{teken}{geheel}")
    } else {
        format!("{teken}{geheel},{fractie}")
    }
}

fn tekst_breedte(tekst: &str, grootte: f64) -> f64 {
    tekst.chars().count() as f64 * grootte * TEKEN_BREEDTE
}

fn tekens_per_regel(breedte: f64, grootte: f64) -> usize {
    (breedte / (grootte * TEKEN_BREEDTE)) as usize
}

/// Breaks `tekst` at spaces into lines of at most `breedte` characters, at most `max_regels`
/// of them; what does not fit ends the last line with "…". A word longer than a line is cut.
fn afbreken(tekst: &str, breedte: usize, max_regels: usize) -> Vec<String> {
    let breedte = breedte.max(2);
    // Each line with whether it ends inside a word, so the rest can be joined back exactly.
    let mut regels: Vec<(String, bool)> = Vec::new();
    let mut huidig = String::new();
    for woord in tekst.split_whitespace() {
        let mut woord: Vec<char> = woord.chars().collect();
        loop {
            let lengte = huidig.chars().count();
            let ruimte = if lengte == 0 {
                breedte
            } else {
                breedte.saturating_sub(lengte + 1)
            };
            if woord.len() <= ruimte {
                if lengte > 0 {
                    huidig.push(' ');
                }
                huidig.extend(woord.iter());
                break;
            }
            let midden_in_woord = lengte == 0;
            if midden_in_woord {
                huidig.extend(woord.drain(..breedte));
            }
            regels.push((std::mem::take(&mut huidig), midden_in_woord));
        }
    }
    if !huidig.is_empty() {
        regels.push((huidig, false));
    }
    let max_regels = max_regels.max(1);
    if regels.len() > max_regels {
        // The last line takes the rest of the text, cut to leave room for the ellipsis.
        let mut rest = String::new();
        for (regel, midden_in_woord) in regels.split_off(max_regels - 1) {
            rest.push_str(&regel);
            if !midden_in_woord {
                rest.push(' ');
            }
        }
        let mut tekens: Vec<char> = rest.chars().take(breedte - 1).collect();
        while tekens.last() == Some(&' ') {
            tekens.pop();
        }
        regels.push((tekens.into_iter().chain(['…']).collect(), false));
    }
    regels.into_iter().map(|(regel, _)| regel).collect()
}

/// Text as XML (and HTML) character data or attribute value: the five special characters as
/// entities, and characters XML 1.0 does not allow dropped, so the document always parses.
pub(crate) fn xml_escape(tekst: &str) -> String {
    let mut uit = String::with_capacity(tekst.len());
    for c in tekst.chars() {
        match c {
            '&' => uit.push_str("&amp;"),
            '<' => uit.push_str("&lt;"),
            '>' => uit.push_str("&gt;"),
            '"' => uit.push_str("&quot;"),
            '\'' => uit.push_str("&#39;"),
            '\t' | '\n' | '\r' => uit.push(c),
            c if c < ' ' || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => uit.push(c),
        }
    }
    uit
}

/// The colour itself if it is `#rrggbb`, otherwise a neutral grey.
pub(crate) fn kleur_of_reserve(kleur: &str) -> &str {
    if rgb(kleur).is_some() {
        kleur
    } else {
        RESERVE_KLEUR
    }
}

pub(crate) fn rgb(kleur: &str) -> Option<[u8; 3]> {
    let hex = kleur.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let kanaal = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([kanaal(0)?, kanaal(2)?, kanaal(4)?])
}

/// Relative luminance as WCAG 2.1 defines it; an invalid colour counts as black.
fn luminantie(kleur: &str) -> f64 {
    let [r, g, b] = rgb(kleur).unwrap_or([0, 0, 0]).map(|k| {
        let k = f64::from(k) / 255.0;
        if k <= 0.039_28 {
            k / 12.92
        } else {
            ((k + 0.055) / 1.055).powf(2.4)
        }
    });
    0.2126 * r + 0.7152 * g + 0.0722 * b
}

/// The WCAG contrast ratio of two `#rrggbb` colours, from 1 to 21. The one place Koers
/// computes it: the house colour check uses it too.
pub fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminantie(a), luminantie(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// Black or white, whichever reads better on `achtergrond`. One of the two always reaches at
/// least 4.58:1, so text in this colour meets AA on any background.
pub(crate) fn tekst_kleur_op(achtergrond: &str) -> &'static str {
    if contrast("#000000", achtergrond) >= contrast("#ffffff", achtergrond) {
        "#000000"
    } else {
        "#ffffff"
    }
}

/// Coordinates with one decimal, trailing zeros dropped, so output is short and stable.
fn px(waarde: f64) -> String {
    let tiendes = (waarde * 10.0).round() as i64;
    if tiendes % 10 == 0 {
        (tiendes / 10).to_string()
    } else {
        format!("{:.1}", tiendes as f64 / 10.0)
    }
}

/// FNV-1a: a small, stable hash for ids (std's hasher may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_ends_on_a_round_step_at_or_above_the_largest_value() {
        assert_eq!(Schaal::voor(0), Schaal { max: 1, stap: 1 });
        assert_eq!(Schaal::voor(5), Schaal { max: 5, stap: 1 });
        assert_eq!(Schaal::voor(7), Schaal { max: 8, stap: 2 });
        assert_eq!(Schaal::voor(101), Schaal { max: 120, stap: 20 });
        assert_eq!(
            Schaal::voor(1300),
            Schaal {
                max: 1500,
                stap: 500
            }
        );
        assert_eq!(
            Schaal::voor(1100),
            Schaal {
                max: 1200,
                stap: 200
            }
        );
        // Absurd values saturate instead of overflowing.
        assert_eq!(Schaal::voor(i64::MAX).max, i64::MAX);
    }

    #[test]
    fn long_labels_wrap_at_spaces_and_end_in_an_ellipsis() {
        assert_eq!(afbreken("Ondermijning", 20, 2), ["Ondermijning"]);
        assert_eq!(
            afbreken("Sociale, fysieke en digitale leefomgeving", 20, 2),
            ["Sociale, fysieke en", "digitale leefomgevi…"]
        );
        assert_eq!(
            afbreken("Vertrouwen waar het kan", 30, 2),
            ["Vertrouwen waar het kan"]
        );
        assert_eq!(
            afbreken("Omgevingsvergunningen", 10, 2),
            ["Omgevingsv", "ergunning…"]
        );
        assert!(afbreken("", 10, 2).is_empty());
    }

    #[test]
    fn a_value_that_is_not_there_reads_as_a_dash() {
        let grafiek = Grafiek {
            titel: "t".into(),
            tekstalternatief: "a".into(),
            soort: GrafiekSoort::Naast,
            categorieen: vec!["2025".into()],
            reeksen: vec![Reeks {
                naam: "Gemeten".into(),
                kleur: "#1f5f8b".into(),
                waarden: vec![GEEN_WAARDE],
            }],
            eenheid: "aantal".into(),
            tabel: crate::model::Tabel {
                bijschrift: String::new(),
                kolommen: Vec::new(),
                rijen: Vec::new(),
                totaal: None,
            },
            decimalen: 0,
        };
        let svg = grafiek.svg();
        assert!(svg.contains(">–</text>"), "{svg}");
        // The series' colour appears once, in the legend's swatch: no bar is drawn.
        assert_eq!(
            svg.matches("fill=\"#1f5f8b\"/>").count(),
            1,
            "no bar: {svg}"
        );
    }

    #[test]
    fn values_with_decimals_are_written_with_a_decimal_comma() {
        assert_eq!(getal(1234, 0), "1.234");
        assert_eq!(getal(62_500, 3), "62,5");
        assert_eq!(getal(1_234_000, 3), "1.234");
        assert_eq!(getal(-250, 3), "-0,25");
        assert_eq!(getal(5, 1), "0,5");
    }

    #[test]
    fn escaping_leaves_no_markup_and_no_forbidden_characters() {
        assert_eq!(xml_escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&#39;");
    }

    #[test]
    fn text_on_a_bar_is_black_or_white_whichever_meets_aa() {
        assert_eq!(tekst_kleur_op("#1f5f8b"), "#ffffff");
        assert_eq!(tekst_kleur_op("#f2c14e"), "#000000");
        for kleur in [
            "#767676", "#777777", "#808080", "#1f5f8b", "#ff0000", "#00ff00",
        ] {
            assert!(
                contrast(tekst_kleur_op(kleur), kleur) >= AA_TEKST,
                "{kleur}"
            );
        }
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
    }
}
