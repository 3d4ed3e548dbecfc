//! Pictures in the office formats: how large the logo and the charts are, and the charts and
//! SVG logos as PNG for Word, which shows an SVG only next to a PNG fallback.

use crate::invoer::{Logo, LogoSoort};
use crate::model::Grafiek;
use std::sync::{Arc, OnceLock};

/// What draws a chart as SVG: [`Grafiek::svg`], or in tests a drawing made by hand.
pub(crate) type Tekenaar<'a> = &'a dyn Fn(&Grafiek) -> String;

/// A picture's size on the page, in centimetres.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Maat {
    pub breedte: f64,
    pub hoogte: f64,
}

impl Maat {
    /// The largest size with this aspect ratio that fits in `breedte` × `hoogte`.
    pub(crate) fn passend_in(self, breedte: f64, hoogte: f64) -> Self {
        let schaal = (breedte / self.breedte).min(hoogte / self.hoogte);
        Self {
            breedte: self.breedte * schaal,
            hoogte: self.hoogte * schaal,
        }
    }
}

/// Why a picture could not be placed.
#[derive(Debug, thiserror::Error)]
pub(crate) enum BeeldFout {
    #[error("het logo is geen leesbaar PNG- of SVG-bestand")]
    Logo,
    #[error("de grafiek is geen leesbare SVG: {0}")]
    Grafiek(String),
    #[error("de afbeelding kon niet als PNG worden geschreven: {0}")]
    Png(String),
}

/// The logo's own size (a PNG's pixels or an SVG's CSS pixels, 96 to the inch), from the file
/// itself; the renderers fit it in a box, so what counts is its proportions.
pub(crate) fn logo_maat(logo: &Logo) -> Result<Maat, BeeldFout> {
    match logo.soort {
        LogoSoort::Png => png_pixels(&logo.bytes)
            .map(|(b, h)| Maat {
                breedte: f64::from(b) * CM_PER_PX,
                hoogte: f64::from(h) * CM_PER_PX,
            })
            .ok_or(BeeldFout::Logo),
        LogoSoort::Svg => std::str::from_utf8(&logo.bytes)
            .ok()
            .and_then(|svg| svg_boom(svg, false).ok())
            .map(|boom| maat_van(&boom))
            .ok_or(BeeldFout::Logo),
    }
}

/// The size an SVG says it has (its CSS pixels, 96 to the inch), in centimetres.
pub(crate) fn svg_maat(svg: &str) -> Result<Maat, BeeldFout> {
    svg_boom(svg, false)
        .map(|boom| maat_van(&boom))
        .map_err(BeeldFout::Grafiek)
}

/// An SVG drawn as PNG at `breedte_px` pixels wide. Text is drawn with the fonts installed on
/// the machine; the SVG itself travels alongside for readers that can show it.
pub(crate) fn svg_als_png(svg: &str, breedte_px: u32) -> Result<Vec<u8>, BeeldFout> {
    let boom = svg_boom(svg, true).map_err(BeeldFout::Grafiek)?;
    let grootte = boom.size();
    let schaal = breedte_px as f32 / grootte.width();
    let hoogte_px = (grootte.height() * schaal).ceil().max(1.0) as u32;
    let mut doek = resvg::tiny_skia::Pixmap::new(breedte_px.max(1), hoogte_px)
        .ok_or_else(|| BeeldFout::Png(format!("{breedte_px}×{hoogte_px} pixels")))?;
    // A white ground: a transparent chart on a dark page background would be unreadable.
    doek.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &boom,
        resvg::tiny_skia::Transform::from_scale(schaal, schaal),
        &mut doek.as_mut(),
    );
    doek.encode_png().map_err(|e| BeeldFout::Png(e.to_string()))
}

/// The pixel size in a PNG's header (the IHDR chunk right after the signature).
pub(crate) fn png_pixels(bytes: &[u8]) -> Option<(u32, u32)> {
    const HANDTEKENING: &[u8] = b"\x89PNG\r\n\x1a\n";
    if bytes.len() < 24 || !bytes.starts_with(HANDTEKENING) || &bytes[12..16] != b"IHDR" {
        return None;
    }
    let getal = |van: usize| {
        u32::from_be_bytes([bytes[van], bytes[van + 1], bytes[van + 2], bytes[van + 3]])
    };
    let (breedte, hoogte) = (getal(16), getal(20));
    (breedte > 0 && hoogte > 0).then_some((breedte, hoogte))
}

/// A CSS pixel: 1/96 inch. Also how a PNG without a resolution is measured.
const CM_PER_PX: f64 = 2.54 / 96.0;

fn maat_van(boom: &resvg::usvg::Tree) -> Maat {
    Maat {
        breedte: f64::from(boom.size().width()) * CM_PER_PX,
        hoogte: f64::from(boom.size().height()) * CM_PER_PX,
    }
}

/// Parses an SVG. With `met_letters`, text is laid out with the machine's fonts (needed to draw
/// it); without, text is left out, which is all a size needs. References to other files are
/// never followed: an uploaded logo must not read the server's disk.
fn svg_boom(svg: &str, met_letters: bool) -> Result<resvg::usvg::Tree, String> {
    let mut opties = resvg::usvg::Options {
        image_href_resolver: resvg::usvg::ImageHrefResolver {
            resolve_data: resvg::usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        languages: vec!["nl".into()],
        ..Default::default()
    };
    if met_letters {
        opties.fontdb = lettertypen();
    }
    resvg::usvg::Tree::from_str(svg, &opties).map_err(|e| e.to_string())
}

/// The fonts Koers ships, never the machine's: a chart's labels look the same on every
/// server, also on one without any fonts installed.
fn lettertypen() -> Arc<resvg::usvg::fontdb::Database> {
    static DATABASE: OnceLock<Arc<resvg::usvg::fontdb::Database>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let mut db = resvg::usvg::fontdb::Database::new();
            for bestand in super::lettertypen::BESTANDEN {
                db.load_font_data(bestand.to_vec());
            }
            // Whatever family a chart names, it is drawn in the font that is there.
            db.set_sans_serif_family(super::lettertypen::FAMILIE);
            Arc::new(db)
        })
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="480" height="240" viewBox="0 0 480 240"><rect x="10" y="10" width="200" height="40" fill="#1f5f8b"/><text x="10" y="100" font-family="sans-serif" font-size="20">Toezicht</text></svg>"##;

    #[test]
    fn reads_the_size_of_an_svg_in_centimetres() {
        let maat = svg_maat(SVG).unwrap();
        assert!((maat.breedte - 12.7).abs() < 0.01, "{maat:?}");
        assert!((maat.hoogte - 6.35).abs() < 0.01, "{maat:?}");
    }

    #[test]
    fn fits_a_size_in_a_box_keeping_its_proportions() {
        let maat = Maat {
            breedte: 20.0,
            hoogte: 10.0,
        };
        assert_eq!(
            maat.passend_in(16.0, 16.0),
            Maat {
                breedte: 16.0,
                hoogte: 8.0
            }
        );
        assert_eq!(maat.passend_in(6.0, 1.5).hoogte, 1.5);
    }

    #[test]
    fn draws_an_svg_as_a_png_of_the_asked_width() {
        let png = svg_als_png(SVG, 960).unwrap();
        assert_eq!(png_pixels(&png), Some((960, 480)));
    }

    #[test]
    fn refuses_what_is_not_a_picture() {
        assert!(svg_maat("<p>geen svg</p>").is_err());
        assert_eq!(png_pixels(b"\x89PNG\r\n\x1a\n kort"), None);
        let logo = Logo {
            soort: LogoSoort::Png,
            bytes: b"GIF89a".to_vec(),
        };
        assert!(logo_maat(&logo).is_err());
    }
}
