//! The demo's house style, written through the same checks and store call as the house style
//! page. Its logo is drawn here: the organisation's name next to a plain compass mark, not any
//! municipality's real coat of arms.

use crate::ops::house_style::{HouseStyleInput, logo, validate};
use koers_store::house_style::LogoChange;
use koers_store::{Actor, Tx};
use serde::Deserialize;

#[derive(Deserialize, Clone)]
pub(crate) struct DemoHouseStyle {
    team: String,
    colour: String,
    sender: String,
    addressee: String,
    /// (name, function)
    signatories: Vec<(String, String)>,
}

/// Text for XML character data and attribute values.
fn xml_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// A small SVG logo: a compass mark in the house colour and the organisation's name.
///
/// The name's width is not known here: each renderer (typst, LibreOffice, Word, a browser)
/// sets it in its own sans-serif. So the picture is made as wide as the name needs at a
/// generous average advance, and the text is told that length (`textLength`), so that every
/// renderer fits it exactly instead of cutting off the last letters at the edge.
pub(crate) fn drawn_logo(name: &str, colour: &str) -> String {
    const TEXT_X: usize = 86;
    /// Average advance of a bold sans-serif letter at the logo's 26 px, rounded up.
    const ADVANCE: usize = 16;
    let text_length = name.chars().count().max(1) * ADVANCE;
    let width = TEXT_X + text_length + 8;
    let name = xml_escaped(name);
    let colour = xml_escaped(colour);
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 80" width="{width}" height="80" role="img" aria-label="{name}"><title>{name}</title><circle cx="40" cy="40" r="32" fill="{colour}"/><path d="M40 14 L49 40 L40 66 L31 40 Z" fill="#ffffff"/><circle cx="40" cy="40" r="4" fill="{colour}"/><text x="{TEXT_X}" y="49" textLength="{text_length}" lengthAdjust="spacingAndGlyphs" font-family="sans-serif" font-size="26" font-weight="700" fill="{colour}">{name}</text></svg>"##
    )
}

pub(crate) async fn write(
    tx: &mut Tx,
    actor: &Actor,
    organisation_name: &str,
    style: &DemoHouseStyle,
) -> anyhow::Result<()> {
    let input = HouseStyleInput {
        team: style.team.clone(),
        colour: style.colour.clone(),
        sender: style.sender.clone(),
        addressee: style.addressee.clone(),
        signatories: style.signatories.clone(),
    };
    let data = validate(&input).map_err(|e| anyhow::anyhow!("demo house style: {e:?}"))?;
    let svg = drawn_logo(organisation_name, &data.colour).into_bytes();
    let kind = logo::check(&svg).map_err(|e| anyhow::anyhow!("demo logo: {e}"))?;
    tx.save_house_style(actor, 0, Some(&data), LogoChange::Set(kind, svg))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_drawn_logo_is_a_safe_svg_whatever_the_name() {
        let svg = drawn_logo("Gemeente <Den> \"Helder\" & co", "#0b5e55");
        assert!(svg.contains("Gemeente &lt;Den&gt; &quot;Helder&quot; &amp; co"));
        assert_eq!(
            logo::check(svg.as_bytes()),
            Ok(koers_store::house_style::LogoKind::Svg)
        );
    }

    #[test]
    fn the_drawn_logo_is_as_wide_as_the_name_needs() {
        let width = |svg: &str| -> usize {
            let rest = &svg[svg.find("viewBox=\"0 0 ").unwrap() + 13..];
            rest[..rest.find(' ').unwrap()].parse().unwrap()
        };
        let short = drawn_logo("Gemeente Ede", "#0b5e55");
        let long = drawn_logo("Omgevingsdienst Noord-Holland Noord", "#0b5e55");
        assert!(width(&long) > width(&short) + 300);
        assert!(long.contains(r#"textLength="560""#));
    }
}
