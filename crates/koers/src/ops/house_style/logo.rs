//! Which files may be an organisation's logo. A logo ends up in web pages and in every document
//! format, so the bytes decide, never the file name: a PNG by its signature, an SVG by parsing
//! it as XML with an `<svg>` root. An SVG that could run script or fetch something from
//! elsewhere is refused rather than cleaned, so what is stored is exactly what was uploaded.

use koers_store::house_style::LogoKind;

/// The largest logo Koers stores.
pub const MAX_BYTES: usize = 1024 * 1024;

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
const SVG_NAMESPACE: &str = "http://www.w3.org/2000/svg";

/// Elements that run script or embed other documents.
const ACTIVE_ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "handler",
    "listener",
];

/// "Het logo is 1,4 MB; het mag hoogstens 1 MB zijn."
pub fn too_large(size: u64) -> String {
    format!(
        "Het logo is {}; het mag hoogstens 1 MB zijn.",
        size_in_words(size)
    )
}

/// A size as people read it: "1,4 MB", "12 kB".
pub fn size_in_words(size: u64) -> String {
    const MB: u64 = 1024 * 1024;
    if size >= MB {
        // One decimal, rounded up, so a file just over the limit never reads as "1,0 MB".
        let tenths = (size * 10).div_ceil(MB);
        format!("{},{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} kB", size.div_ceil(1024).max(1))
    }
}

/// The kind of a logo file, or a Dutch sentence that says why it cannot be one.
pub fn check(bytes: &[u8]) -> Result<LogoKind, String> {
    if bytes.len() > MAX_BYTES {
        return Err(too_large(bytes.len() as u64));
    }
    if bytes.starts_with(PNG_SIGNATURE) {
        // The first chunk of every PNG is IHDR, 13 bytes long.
        return if bytes.get(8..16) == Some(b"\0\0\0\x0dIHDR") {
            Ok(LogoKind::Png)
        } else {
            Err("Het logo lijkt een PNG-bestand, maar het is beschadigd.".into())
        };
    }
    let not_an_image = || "Het logo moet een PNG- of SVG-bestand zijn.".to_string();
    let text = std::str::from_utf8(bytes).map_err(|_| not_an_image())?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if !text.trim_start().starts_with('<') {
        return Err(not_an_image());
    }
    // roxmltree refuses a DTD, so entity expansion and external entities cannot happen.
    let document = roxmltree::Document::parse(text).map_err(|e| match e {
        roxmltree::Error::DtdDetected => {
            "Het SVG-bestand bevat een DTD (<!DOCTYPE …>); die is niet toegestaan.".to_string()
        }
        _ => not_an_image(),
    })?;
    let root = document.root_element();
    if root.tag_name().name() != "svg" || root.tag_name().namespace() != Some(SVG_NAMESPACE) {
        return Err(not_an_image());
    }
    for node in document.descendants() {
        if node.is_pi() {
            return Err(unsafe_svg("een verwerkingsinstructie (<?…?>)"));
        }
        if node.is_text()
            && node.parent_element().map(|p| p.tag_name().name()) == Some("style")
            && let Some(css) = node.text()
        {
            check_css(css)?;
        }
        if !node.is_element() {
            continue;
        }
        let name = node.tag_name().name();
        if ACTIVE_ELEMENTS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(unsafe_svg(&format!("een <{name}>-element")));
        }
        for attribute in node.attributes() {
            let attribute_name = attribute.name();
            let value = attribute.value();
            if attribute_name.to_ascii_lowercase().starts_with("on") {
                return Err(unsafe_svg(&format!(
                    "een gebeurtenisattribuut ({attribute_name})"
                )));
            }
            if attribute_name == "href" && !value.trim_start().starts_with('#') {
                return Err(unsafe_svg(&format!("een verwijzing naar buiten ({value})")));
            }
            // An animation can set an attribute such as href to a value of its own.
            if attribute_name == "attributeName"
                && (value.ends_with("href") || value.to_ascii_lowercase().starts_with("on"))
            {
                return Err(unsafe_svg(&format!("een animatie van {value}")));
            }
            if squashed(value).contains("javascript:") {
                return Err(unsafe_svg("een javascript:-adres"));
            }
            check_css(value)?;
        }
    }
    Ok(LogoKind::Svg)
}

fn unsafe_svg(what: &str) -> String {
    format!(
        "Het SVG-bestand bevat {what}. Een logo mag geen scripts of verwijzingen naar andere \
         bestanden bevatten; sla het op zonder en probeer het opnieuw."
    )
}

/// Lower case without white space, so "JavaScript :" and "U R L(" are caught as well.
fn squashed(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Style text may only refer to the document itself: `url(#id)`, no `@import`.
fn check_css(css: &str) -> Result<(), String> {
    let css = squashed(css);
    if css.contains("@import") {
        return Err(unsafe_svg("een @import in de opmaak"));
    }
    let mut rest = css.as_str();
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let target = rest.trim_start_matches(['"', '\'']);
        if !target.starts_with('#') {
            return Err(unsafe_svg("een url(…) naar buiten in de opmaak"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"/></defs><rect width="10" height="10" fill="url(#g)"/><use href="#g"/></svg>"##;

    fn png() -> Vec<u8> {
        let mut bytes = PNG_SIGNATURE.to_vec();
        bytes.extend_from_slice(b"\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0");
        bytes
    }

    #[test]
    fn png_and_svg_are_recognised_by_their_content() {
        assert_eq!(check(&png()), Ok(LogoKind::Png));
        assert_eq!(check(SVG.as_bytes()), Ok(LogoKind::Svg));
        let with_declaration = format!("\u{feff}<?xml version=\"1.0\"?>\n{SVG}");
        assert_eq!(check(with_declaration.as_bytes()), Ok(LogoKind::Svg));
    }

    #[test]
    fn other_files_are_refused_whatever_their_name() {
        let refusal = "Het logo moet een PNG- of SVG-bestand zijn.";
        for bytes in [
            &b"\xff\xd8\xff\xe0 a JPEG"[..],
            b"GIF89a",
            b"%PDF-1.7",
            b"plain text",
            b"<html><body>no svg</body></html>",
            b"<svg>no namespace</svg>",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"><unclosed></svg>",
            b"",
        ] {
            assert_eq!(check(bytes).unwrap_err(), refusal, "{bytes:?}");
        }
        assert!(check(PNG_SIGNATURE).unwrap_err().contains("beschadigd"));
    }

    #[test]
    fn active_or_external_svg_content_is_refused() {
        let cases = [
            (r#"<script>alert(1)</script>"#, "<script>"),
            (r#"<SCRIPT>alert(1)</SCRIPT>"#, "<SCRIPT>"),
            (r#"<rect onload="alert(1)"/>"#, "onload"),
            (r#"<rect ONCLICK="alert(1)"/>"#, "ONCLICK"),
            (
                r#"<image href="https://example.org/x.png"/>"#,
                "verwijzing naar buiten",
            ),
            (
                r#"<image xmlns:xlink="http://www.w3.org/1999/xlink" xlink:href="data:image/svg+xml,x"/>"#,
                "verwijzing naar buiten",
            ),
            (
                r#"<a href=" javascript:alert(1)"><rect/></a>"#,
                "verwijzing",
            ),
            (
                r#"<foreignObject><p>x</p></foreignObject>"#,
                "foreignObject",
            ),
            (r#"<set attributeName="href" to="x"/>"#, "animatie"),
            (r#"<rect style="fill: URL( 'https://x/y' )"/>"#, "url("),
            (r#"<style>@import "https://x/y.css";</style>"#, "@import"),
            (r#"<rect fill="url(https://x/#a)"/>"#, "url("),
        ];
        for (inner, named) in cases {
            let svg = format!(r#"<svg xmlns="http://www.w3.org/2000/svg">{inner}</svg>"#);
            let message = check(svg.as_bytes()).unwrap_err();
            assert!(message.contains(named), "{inner}: {message}");
        }
        let with_pi = r#"<?xml-stylesheet href="x.css"?><svg xmlns="http://www.w3.org/2000/svg"/>"#;
        assert!(
            check(with_pi.as_bytes())
                .unwrap_err()
                .contains("verwerkingsinstructie")
        );
        let with_dtd = r#"<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>"#;
        assert!(check(with_dtd.as_bytes()).unwrap_err().contains("DTD"));
    }

    #[test]
    fn sizes_are_said_in_words() {
        assert_eq!(
            too_large(1_468_006),
            "Het logo is 1,4 MB; het mag hoogstens 1 MB zijn."
        );
        assert_eq!(size_in_words(1024 * 1024 + 1), "1,1 MB");
        assert_eq!(size_in_words(12 * 1024), "12 kB");
        assert_eq!(size_in_words(10), "1 kB");
        let mut big = png();
        big.resize(MAX_BYTES + 1, 0);
        assert!(check(&big).unwrap_err().starts_with("Het logo is 1,1 MB"));
    }
}
