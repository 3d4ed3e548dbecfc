//! The theme and the font table: parts Word counts on finding, though the document names its
//! font and colours itself. The theme's first accent is the house colour, so what a user adds
//! in Word with theme colours matches the rest.

use super::delen::LETTER;
use super::{W, Xml};

const A: (&str, &str) = (
    "xmlns:a",
    "http://schemas.openxmlformats.org/drawingml/2006/main",
);

/// `word/fontTable.xml`: the one font the styles use.
pub(super) fn lettertypen() -> String {
    let mut x = Xml::new();
    x.el("w:fonts", &[W], |x| {
        x.el("w:font", &[("w:name", LETTER)], |x| {
            x.leeg("w:charset", &[("w:val", "00")]);
            x.leeg("w:family", &[("w:val", "swiss")]);
            x.leeg("w:pitch", &[("w:val", "variable")]);
        });
    });
    x.klaar()
}

/// `word/theme/theme1.xml`: colours, fonts and the minimal formatting lists a theme must have.
/// `kleur` is the house colour as OOXML writes it ("1F5F8B").
pub(super) fn thema(kleur: &str) -> String {
    let mut x = Xml::new();
    x.el("a:theme", &[A, ("name", "Koers")], |x| {
        x.el("a:themeElements", &[], |x| {
            kleuren(x, kleur);
            x.el("a:fontScheme", &[("name", "Koers")], |x| {
                for soort in ["a:majorFont", "a:minorFont"] {
                    x.el(soort, &[], |x| {
                        x.leeg("a:latin", &[("typeface", LETTER)]);
                        x.leeg("a:ea", &[("typeface", "")]);
                        x.leeg("a:cs", &[("typeface", "")]);
                    });
                }
            });
            opmaakschema(x);
        });
    });
    x.klaar()
}

fn kleuren(x: &mut Xml, kleur: &str) {
    x.el("a:clrScheme", &[("name", "Koers")], |x| {
        x.el("a:dk1", &[], |x| {
            x.leeg("a:sysClr", &[("val", "windowText"), ("lastClr", "000000")]);
        });
        x.el("a:lt1", &[], |x| {
            x.leeg("a:sysClr", &[("val", "window"), ("lastClr", "FFFFFF")]);
        });
        for (naam, waarde) in [
            ("a:dk2", "1A1A1A"),
            ("a:lt2", "F2F2F2"),
            ("a:accent1", kleur),
            ("a:accent2", "C8553D"),
            ("a:accent3", "2E7D32"),
            ("a:accent4", "6A4C93"),
            ("a:accent5", "B26B00"),
            ("a:accent6", "595959"),
            ("a:hlink", "0B57D0"),
            ("a:folHlink", "6A4C93"),
        ] {
            x.el(naam, &[], |x| {
                x.leeg("a:srgbClr", &[("val", waarde)]);
            });
        }
    });
}

/// Three fills, lines, effects and backgrounds: the schema wants at least three of each.
fn opmaakschema(x: &mut Xml) {
    let vlak = |x: &mut Xml| {
        x.el("a:solidFill", &[], |x| {
            x.leeg("a:schemeClr", &[("val", "phClr")]);
        });
    };
    x.el("a:fmtScheme", &[("name", "Koers")], |x| {
        x.el("a:fillStyleLst", &[], |x| {
            for _ in 0..3 {
                vlak(x);
            }
        });
        x.el("a:lnStyleLst", &[], |x| {
            for breedte in ["6350", "12700", "19050"] {
                x.el("a:ln", &[("w", breedte)], vlak);
            }
        });
        x.el("a:effectStyleLst", &[], |x| {
            for _ in 0..3 {
                x.el("a:effectStyle", &[], |x| {
                    x.leeg("a:effectLst", &[]);
                });
            }
        });
        x.el("a:bgFillStyleLst", &[], |x| {
            for _ in 0..3 {
                vlak(x);
            }
        });
    });
}
