use crate::render::proef::*;
use std::collections::BTreeMap;

/// The sample without chart drawings: drawing a PNG takes half a second in a debug build, and
/// most tests are about structure.
fn docx(titel: &str, logo: Option<crate::invoer::Logo>) -> BTreeMap<String, Vec<u8>> {
    uitpakken(&super::render_met(&voorbeeld(titel, logo), &|_| String::new()).unwrap()).0
}

fn docx_met_grafiek() -> BTreeMap<String, Vec<u8>> {
    uitpakken(&super::render_met(&voorbeeld("Titel", None), &teken).unwrap()).0
}

#[test]
fn every_part_is_well_formed_and_typed() {
    let pakket = voorbeeld(LASTIGE_TITEL, Some(logo_svg()));
    let delen = uitpakken(&super::render_met(&pakket, &teken).unwrap()).0;
    let typen = xml_deel(&delen, "[Content_Types].xml");
    for naam in delen.keys() {
        if naam.ends_with(".xml") || naam.ends_with(".rels") || naam.ends_with(".svg") {
            xml_deel(&delen, naam);
        }
        let extensie = naam.rsplit('.').next().unwrap();
        assert!(
            typen.contains(&format!("PartName=\"/{naam}\""))
                || typen.contains(&format!("Extension=\"{extensie}\"")),
            "{naam} has no content type"
        );
    }
    // Every relationship points at a part that is there.
    let relaties = xml_deel(&delen, "word/_rels/document.xml.rels");
    let doc = roxmltree::Document::parse(&relaties).unwrap();
    for doel in doc.descendants().filter_map(|n| n.attribute("Target")) {
        assert!(
            delen.contains_key(&format!("word/{doel}")),
            "{doel} missing"
        );
    }
}

#[test]
fn title_and_language_are_in_the_properties_and_the_text_as_typed() {
    let delen = docx(LASTIGE_TITEL, None);
    let kenmerken = xml_deel(&delen, "docProps/core.xml");
    assert!(tekst_van(&kenmerken).contains(LASTIGE_TITEL));
    assert!(kenmerken.contains("<dc:language>nl-NL</dc:language>"));
    assert!(xml_deel(&delen, "word/styles.xml").contains(r#"<w:lang w:val="nl-NL""#));
    let document = xml_deel(&delen, "word/document.xml");
    assert!(tekst_van(&document).contains(LASTIGE_TITEL));
    assert!(!document.contains("<b>"));
}

#[test]
fn headings_are_word_headings_and_documents_start_a_page() {
    let delen = docx("Raadsinformatiebrief", None);
    let document = xml_deel(&delen, "word/document.xml");
    assert!(document.contains(r#"<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">Raadsinformatiebrief</w:t>"#));
    assert!(document.contains(
        r#"<w:pStyle w:val="Heading3"/></w:pPr><w:r><w:t xml:space="preserve">Vervolgstappen</w:t>"#
    ));
    assert!(document.contains(r#"<w:pStyle w:val="Bijlagelabel"/><w:pageBreakBefore/></w:pPr><w:r><w:t xml:space="preserve">Bijlage 2</w:t>"#));
    assert_eq!(document.matches("<w:pageBreakBefore/>").count(), 1);
    let stijlen = xml_deel(&delen, "word/styles.xml");
    assert!(stijlen.contains(r#"w:styleId="Heading2"><w:name w:val="heading 2"/>"#));
    assert!(stijlen.contains(r#"<w:outlineLvl w:val="1"/>"#));
    assert!(stijlen.contains(r#"<w:color w:val="1F5F8B"/>"#));
}

#[test]
fn lists_count_from_one_each() {
    let delen = docx("Titel", None);
    let document = xml_deel(&delen, "word/document.xml");
    assert!(
        document.contains(r#"<w:numId w:val="1"/>"#)
            && document.contains(r#"<w:numId w:val="2"/>"#)
    );
    let nummering = xml_deel(&delen, "word/numbering.xml");
    assert!(nummering.contains(r#"<w:num w:numId="1"><w:abstractNumId w:val="0"/>"#));
    assert!(nummering.contains(r#"<w:num w:numId="2"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>"#));
}

#[test]
fn tables_repeat_their_head_and_align_numbers_right() {
    let delen = docx("Titel", None);
    let document = xml_deel(&delen, "word/document.xml");
    assert!(document.contains(r#"<w:pStyle w:val="Caption"/></w:pPr><w:r><w:t xml:space="preserve">Geplande uren per thema</w:t></w:r></w:p><w:tbl>"#));
    assert!(document.contains(r#"<w:tblCaption w:val="Geplande uren per thema"/>"#));
    assert!(document.contains("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"));
    assert!(document.contains(r#"<w:shd w:val="clear" w:color="auto" w:fill="1F5F8B"/>"#));
    assert!(
        document
            .contains(r#"<w:jc w:val="right"/></w:pPr><w:r><w:t xml:space="preserve">1.340</w:t>"#)
    );
    // Room below a table, made by the paragraph that follows it.
    assert!(document.contains(r#"<w:pStyle w:val="Slot"/><w:spacing w:before="240"/></w:pPr><w:r><w:t xml:space="preserve">Den Helder, 27 februari 2024."#));
    assert!(
        document
            .contains(r#"Ondermijning</w:t><w:br/><w:t xml:space="preserve">en georganiseerde"#)
    );
    // Spaces are kept; tabs and line breaks are elements.
    assert!(document.contains(
        r#"gedaan.  Twee spaties, een</w:t><w:tab/><w:t xml:space="preserve">tab en een regel</w:t><w:br/><w:t xml:space="preserve">erna.</w:t>"#
    ));
    // 3 : 1 : 1 of 16 cm in twips.
    assert!(
        document
            .contains(r#"<w:gridCol w:w="5443"/><w:gridCol w:w="1814"/><w:gridCol w:w="1814"/>"#)
    );
    assert!(document.contains(r#"<w:tblStyle w:val="Gegevens"/>"#));
}

#[test]
fn a_chart_is_a_png_with_its_svg_and_description() {
    let delen = docx_met_grafiek();
    let document = xml_deel(&delen, "word/document.xml");
    let png = &delen["word/media/grafiek-1.png"];
    // The text width of 16 cm at 200 dpi.
    assert_eq!(
        crate::render::afbeelding::png_pixels(png).map(|(b, _)| b),
        Some(1260)
    );
    assert!(delen.contains_key("word/media/grafiek-1.svg"));
    assert_eq!(
        attribuut(&document, "docPr", "descr").as_deref(),
        Some("Bij Toezicht zijn 8 van de 10 acties gerealiseerd, bij Handhaving 5 van de 9.")
    );
    assert!(document.contains("<asvg:svgBlip r:embed=\"rIdMedia2\"/>"));
    let tekening = document.find("<w:drawing>").unwrap();
    assert!(tekening < document.find("Uitkomsten per thema in cijfers").unwrap());
}

#[test]
fn without_a_drawing_a_chart_is_its_table() {
    let delen = docx("Titel", None);
    let document = xml_deel(&delen, "word/document.xml");
    assert!(!document.contains("<w:drawing>"));
    assert!(document.contains("Uitkomsten per thema in cijfers"));
}

#[test]
fn the_logo_heads_the_letter() {
    let delen = docx("Titel", Some(logo_png()));
    let document = xml_deel(&delen, "word/document.xml");
    assert!(document.find("<w:drawing>").unwrap() < document.find("Heading1").unwrap());
    assert_eq!(
        attribuut(&document, "docPr", "descr").as_deref(),
        Some("Logo Gemeente Den Helder")
    );
    assert_eq!(delen["word/media/logo-1.png"], logo_png().bytes);
    // 3 : 1 in a 6 × 2 cm box, in EMU.
    assert!(document.contains(r#"<wp:extent cx="2160000" cy="720000"/>"#));
}

#[test]
fn the_same_package_gives_the_same_bytes() {
    let pakket = voorbeeld("Titel", Some(logo_png()));
    let zonder_tekening = |_: &crate::model::Grafiek| String::new();
    assert_eq!(
        super::render_met(&pakket, &zonder_tekening).unwrap(),
        super::render_met(&pakket, &zonder_tekening).unwrap()
    );
}

#[test]
fn the_public_renderer_draws_charts_with_koers_own_drawing() {
    let (delen, _) = uitpakken(&super::render(&voorbeeld("Titel", None)).unwrap());
    assert!(xml_deel(&delen, "word/media/grafiek-1.svg").contains(r#"role="img""#));
    assert!(crate::render::afbeelding::png_pixels(&delen["word/media/grafiek-1.png"]).is_some());
}

#[test]
fn the_theme_and_font_table_word_expects_are_there() {
    let delen = docx("Titel", None);
    let thema = xml_deel(&delen, "word/theme/theme1.xml");
    assert!(thema.contains(r#"<a:accent1><a:srgbClr val="1F5F8B"/></a:accent1>"#));
    assert!(xml_deel(&delen, "word/fontTable.xml").contains(r#"<w:font w:name="Arial">"#));
    let relaties = xml_deel(&delen, "word/_rels/document.xml.rels");
    assert!(relaties.contains(r#"Target="theme/theme1.xml""#));
    assert!(relaties.contains(r#"Target="fontTable.xml""#));
}
