use crate::render::proef::*;

fn odt(
    titel: &str,
    logo: Option<crate::invoer::Logo>,
) -> (std::collections::BTreeMap<String, Vec<u8>>, Vec<String>) {
    uitpakken(&super::render_met(&voorbeeld(titel, logo), &teken).unwrap())
}

#[test]
fn mimetype_comes_first_and_uncompressed() {
    let bytes = super::render_met(&voorbeeld("Titel", None), &teken).unwrap();
    // A reader may sniff the type at offset 30 without unzipping (ODF 1.3 part 2, 3.3).
    assert_eq!(&bytes[30..38], b"mimetype");
    assert_eq!(&bytes[38..38 + super::MIME.len()], super::MIME.as_bytes());
    let (delen, volgorde) = uitpakken(&bytes);
    assert_eq!(volgorde[0], "mimetype");
    assert_eq!(delen["mimetype"], super::MIME.as_bytes());
}

#[test]
fn the_manifest_lists_every_part() {
    let (delen, _) = odt("Titel", Some(logo_png()));
    let manifest = xml_deel(&delen, "META-INF/manifest.xml");
    for naam in delen
        .keys()
        .filter(|n| *n != "mimetype" && !n.starts_with("META-INF/"))
    {
        assert!(
            manifest.contains(&format!("manifest:full-path=\"{naam}\"")),
            "{naam} not in manifest"
        );
    }
    assert!(delen.contains_key("Pictures/logo.png"));
    assert!(delen.contains_key("Pictures/grafiek-2.svg"));
}

#[test]
fn title_and_language_are_in_the_properties() {
    let (delen, _) = odt(LASTIGE_TITEL, None);
    let meta = xml_deel(&delen, "meta.xml");
    assert!(tekst_van(&meta).contains(LASTIGE_TITEL));
    assert!(meta.contains("<dc:language>nl-NL</dc:language>"));
    let stijlen = xml_deel(&delen, "styles.xml");
    assert!(stijlen.contains(r#"fo:language="nl""#) && stijlen.contains(r#"fo:country="NL""#));
}

#[test]
fn text_that_looks_like_markup_prints_as_typed() {
    let (delen, _) = odt(LASTIGE_TITEL, None);
    let inhoud = xml_deel(&delen, "content.xml");
    assert!(tekst_van(&inhoud).contains(LASTIGE_TITEL));
    assert!(!inhoud.contains("<b>"));
}

#[test]
fn headings_have_outline_levels_and_documents_start_a_page() {
    let (delen, _) = odt("Raadsinformatiebrief", None);
    let inhoud = xml_deel(&delen, "content.xml");
    assert!(inhoud.contains(r#"<text:h text:style-name="Heading_20_1" text:outline-level="1">Raadsinformatiebrief</text:h>"#));
    assert!(inhoud.contains(r#"<text:h text:style-name="Heading_20_2" text:outline-level="2">Wat wij hebben bereikt</text:h>"#));
    assert!(inhoud.contains(r#"text:outline-level="3">Vervolgstappen"#));
    // The annex starts on a new page with its label.
    assert!(inhoud.contains(r#"<text:p text:style-name="Bijlagelabel_pagina">Bijlage 2</text:p>"#));
    let stijlen = xml_deel(&delen, "styles.xml");
    assert!(stijlen.contains(r#"style:name="Heading_20_2" style:display-name="Heading 2""#));
    assert!(stijlen.contains(r#"style:default-outline-level="2""#));
}

#[test]
fn lists_tables_and_particulars_are_structure() {
    let (delen, _) = odt("Titel", None);
    let inhoud = xml_deel(&delen, "content.xml");
    assert!(inhoud.contains(r#"<text:list text:style-name="Opsomming">"#));
    assert!(inhoud.contains(r#"<text:list text:style-name="Nummering">"#));
    // Caption above, a repeated header row, a right-aligned number, a line break in a cell.
    assert!(inhoud.contains(
        r#"<text:p text:style-name="Table">Geplande uren per thema</text:p><table:table table:name="Tabel2""#
    ));
    assert!(inhoud.contains("<table:table-header-rows><table:table-row>"));
    assert!(inhoud.contains(r#"<text:p text:style-name="Cel_rechts">1.340</text:p>"#));
    assert!(inhoud.contains("Ondermijning<text:line-break/>en georganiseerde"));
    assert!(inhoud.contains(r#"<text:p text:style-name="Totaal">Totaal</text:p>"#));
    // Widths follow the shares 3 : 1 : 1 of 16 cm.
    assert!(inhoud.contains(r#"style:name="Tabel2.K1" style:family="table-column"><style:table-column-properties style:column-width="9.600cm"/>"#));
    // The particulars are a borderless table without head.
    assert!(inhoud.contains(r#"table:style-name="Gegevenscel" office:value-type="string"><text:p text:style-name="Table_20_Contents">Nummer</text:p>"#));
    // Place and date, greeting and sender stay with the signature.
    assert!(inhoud.contains(
        r#"<text:p text:style-name="Slot">Den Helder, 27 februari 2024.</text:p><text:p text:style-name="Slot">Met vriendelijke groet,</text:p>"#
    ));
    // Spaces, tabs and breaks survive ODF's whitespace rules.
    assert!(inhoud.contains("gedaan. <text:s text:c=\"1\"/>Twee spaties, een<text:tab/>tab en een regel<text:line-break/>erna."));
}

#[test]
fn the_house_colour_marks_headings_and_table_heads() {
    let (delen, _) = odt("Titel", None);
    let stijlen = xml_deel(&delen, "styles.xml");
    assert!(stijlen.contains(r##"fo:color="#1f5f8b""##));
    let inhoud = xml_deel(&delen, "content.xml");
    assert!(inhoud.contains(r##"style:name="Kopcel" style:family="table-cell"><style:table-cell-properties fo:background-color="#1f5f8b""##));
}

#[test]
fn a_chart_is_its_svg_described_with_its_table_below() {
    let (delen, _) = odt("Titel", None);
    let inhoud = xml_deel(&delen, "content.xml");
    let svg = String::from_utf8(delen["Pictures/grafiek-1.svg"].clone()).unwrap();
    assert!(svg.contains("<rect"));
    // Captioned as LibreOffice captions a figure.
    assert!(inhoud.contains(r#"<text:p text:style-name="Figure">Uitkomsten per thema</text:p>"#));
    let frame = inhoud
        .find(r#"draw:name="Grafiek 1""#)
        .expect("chart frame");
    let tabel = inhoud
        .find("Uitkomsten per thema in cijfers")
        .expect("chart table");
    assert!(frame < tabel);
    assert!(inhoud.contains("<svg:title>Uitkomsten per thema</svg:title><svg:desc>Bij Toezicht zijn 8 van de 10 acties gerealiseerd"));
    // 600 × 200 CSS pixels, widened to the text width of 16 cm.
    assert!(inhoud.contains(r#"svg:width="16.000cm" svg:height="5.333cm""#));
}

#[test]
fn without_a_drawing_a_chart_is_its_table() {
    let bytes = super::render_met(&voorbeeld("Titel", None), &|_| String::new()).unwrap();
    let (delen, _) = uitpakken(&bytes);
    let inhoud = xml_deel(&delen, "content.xml");
    assert!(!inhoud.contains("draw:frame"));
    assert!(inhoud.contains("Uitkomsten per thema in cijfers"));
    assert!(!delen.keys().any(|n| n.starts_with("Pictures/")));
}

#[test]
fn the_logo_heads_the_letter_only() {
    for (logo, pad) in [
        (logo_png(), "Pictures/logo.png"),
        (logo_svg(), "Pictures/logo.svg"),
    ] {
        let (delen, _) = odt("Titel", Some(logo));
        let inhoud = xml_deel(&delen, "content.xml");
        let logo = inhoud
            .find(&format!(r#"xlink:href="{pad}""#))
            .expect("logo");
        assert!(logo < inhoud.find("<text:h").unwrap());
        assert_eq!(inhoud.matches("xlink:href=\"Pictures/logo").count(), 1);
        assert!(inhoud.contains("<svg:title>Logo Gemeente Den Helder</svg:title>"));
        // 3 : 1 in a 6 × 2 cm box.
        assert!(inhoud.contains(r#"svg:width="6.000cm" svg:height="2.000cm""#));
    }
}

#[test]
fn the_same_package_gives_the_same_bytes() {
    let pakket = voorbeeld("Titel", Some(logo_svg()));
    assert_eq!(
        super::render_met(&pakket, &teken).unwrap(),
        super::render_met(&pakket, &teken).unwrap()
    );
}

#[test]
fn the_public_renderer_draws_charts_with_koers_own_drawing() {
    let bytes = super::render(&voorbeeld("Titel", None)).unwrap();
    let (delen, _) = uitpakken(&bytes);
    let svg = xml_deel(&delen, "Pictures/grafiek-1.svg");
    assert!(svg.contains(r#"role="img""#));
}
