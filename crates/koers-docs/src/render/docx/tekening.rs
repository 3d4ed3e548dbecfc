//! A picture as a DrawingML inline drawing: what `w:drawing` holds.

use super::Xml;

/// A picture once its parts are in the package: ids, relationship ids and size in EMU.
pub(super) struct Geplaatst {
    /// Unique among the document's drawings.
    pub id: String,
    pub naam: String,
    /// The relationship id of the PNG, and of the SVG if there is one.
    pub png: String,
    pub svg: Option<String>,
    pub breedte: String,
    pub hoogte: String,
}

/// Word's extension for an SVG next to the PNG fallback (Office 2016 and later).
const SVG_EXTENSIE: &str = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}";
const PLAATJE: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";

/// The drawing, placed in the line like a character. `titel` and `beschrijving` are what Word
/// shows as alternative text and a screen reader reads.
pub(super) fn inline(x: &mut Xml, g: &Geplaatst, titel: &str, beschrijving: &str) {
    let geen_afstand = [
        ("distT", "0"),
        ("distB", "0"),
        ("distL", "0"),
        ("distR", "0"),
    ];
    x.el("w:drawing", &[], |x| {
        x.el("wp:inline", &geen_afstand, |x| {
            x.leeg("wp:extent", &[("cx", &g.breedte), ("cy", &g.hoogte)]);
            x.leeg(
                "wp:docPr",
                &[
                    ("id", &g.id),
                    ("name", &g.naam),
                    ("descr", beschrijving),
                    ("title", titel),
                ],
            );
            x.el("wp:cNvGraphicFramePr", &[], |x| {
                x.leeg("a:graphicFrameLocks", &[("noChangeAspect", "1")]);
            });
            x.el("a:graphic", &[], |x| {
                x.el("a:graphicData", &[("uri", PLAATJE)], |x| {
                    plaatje(x, g, beschrijving)
                });
            });
        });
    });
}

/// The `pic:pic`: which image, stretched over which size.
fn plaatje(x: &mut Xml, g: &Geplaatst, beschrijving: &str) {
    x.el("pic:pic", &[], |x| {
        x.el("pic:nvPicPr", &[], |x| {
            x.leeg(
                "pic:cNvPr",
                &[("id", &g.id), ("name", &g.naam), ("descr", beschrijving)],
            );
            x.leeg("pic:cNvPicPr", &[]);
        });
        x.el("pic:blipFill", &[], |x| {
            x.el("a:blip", &[("r:embed", &g.png)], |x| {
                if let Some(svg) = &g.svg {
                    x.el("a:extLst", &[], |x| {
                        x.el("a:ext", &[("uri", SVG_EXTENSIE)], |x| {
                            x.leeg("asvg:svgBlip", &[("r:embed", svg)]);
                        });
                    });
                }
            });
            x.el("a:stretch", &[], |x| {
                x.leeg("a:fillRect", &[]);
            });
        });
        x.el("pic:spPr", &[], |x| {
            x.el("a:xfrm", &[], |x| {
                x.leeg("a:off", &[("x", "0"), ("y", "0")]);
                x.leeg("a:ext", &[("cx", &g.breedte), ("cy", &g.hoogte)]);
            });
            x.el("a:prstGeom", &[("prst", "rect")], |x| {
                x.leeg("a:avLst", &[]);
            });
        });
    });
}
