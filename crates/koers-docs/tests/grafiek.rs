//! The charts' SVG: well-formed, accessible, deterministic, and drawn to scale.

use koers_docs::model::{Grafiek, GrafiekSoort, Kolom, Reeks, Tabel, Uitlijning};

fn reeks(naam: &str, kleur: &str, waarden: &[i64]) -> Reeks {
    Reeks {
        naam: naam.into(),
        kleur: kleur.into(),
        waarden: waarden.to_vec(),
    }
}

fn grafiek(soort: GrafiekSoort, categorieen: &[&str], reeksen: Vec<Reeks>) -> Grafiek {
    Grafiek {
        titel: "Uitkomsten per thema".into(),
        tekstalternatief: "Per thema hoeveel acties gerealiseerd zijn.".into(),
        soort,
        categorieen: categorieen.iter().map(|c| c.to_string()).collect(),
        reeksen,
        eenheid: "acties".into(),
        decimalen: 0,
        tabel: Tabel {
            bijschrift: "Uitkomsten per thema".into(),
            kolommen: vec![Kolom {
                kop: "Thema".into(),
                uitlijning: Uitlijning::Links,
                breedte: 1,
            }],
            rijen: Vec::new(),
            totaal: None,
        },
    }
}

fn uitkomsten() -> Grafiek {
    grafiek(
        GrafiekSoort::Gestapeld,
        &[
            "Aanpak Zorg & veiligheid",
            "Ondermijning",
            "Sociale, fysieke en digitale leefomgeving",
        ],
        vec![
            reeks("gerealiseerd", "#1f5f8b", &[6, 3, 4]),
            reeks("deels gerealiseerd", "#f2c14e", &[2, 0, 1]),
            reeks("doorlopend", "#8fb8d8", &[1, 2, 0]),
        ],
    )
}

fn uren() -> Grafiek {
    let mut g = grafiek(
        GrafiekSoort::Naast,
        &["Toezicht", "Handhaving"],
        vec![
            reeks("gepland", "#1f5f8b", &[1300, 650]),
            reeks("besteed", "#e07b39", &[1100, 0]),
        ],
    );
    g.eenheid = "uur".into();
    g
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"))
}

/// The bars: rects filled with one of the series' colours.
fn staven<'a>(doc: &'a roxmltree::Document<'a>, kleur: &str) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("rect") && n.attribute("fill") == Some(kleur))
        .filter(|n| n.attribute("width") != Some("12"))
        .collect()
}

fn breedte(node: &roxmltree::Node) -> f64 {
    node.attribute("width").unwrap().parse().unwrap()
}

fn teksten(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn the_svg_is_a_well_formed_accessible_image() {
    for g in [uitkomsten(), uren()] {
        let svg = g.svg();
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.attribute("viewBox").unwrap().starts_with("0 0 680 "));
        assert!(root.attribute("width").is_some() && root.attribute("height").is_some());

        let ids: Vec<&str> = root
            .attribute("aria-labelledby")
            .unwrap()
            .split(' ')
            .collect();
        assert_eq!(ids.len(), 2);
        let by_id = |id: &str| {
            doc.descendants()
                .find(|n| n.attribute("id") == Some(id))
                .unwrap_or_else(|| panic!("no element {id}"))
        };
        assert_eq!(by_id(ids[0]).tag_name().name(), "title");
        assert_eq!(by_id(ids[0]).text(), Some("Uitkomsten per thema"));
        assert_eq!(by_id(ids[1]).tag_name().name(), "desc");
        assert_eq!(
            by_id(ids[1]).text(),
            Some("Per thema hoeveel acties gerealiseerd zijn.")
        );

        // Only the SVG subset every target draws alike.
        for node in doc.descendants().filter(|n| n.is_element()) {
            assert!(
                ["svg", "title", "desc", "g", "rect", "line", "text"]
                    .contains(&node.tag_name().name()),
                "unexpected <{}>",
                node.tag_name().name()
            );
            assert!(node.attribute("class").is_none() && node.attribute("style").is_none());
        }
        assert!(svg.contains(r#"font-family="'Noto Sans', 'Source Sans 3', Arial, sans-serif""#));
    }
}

#[test]
fn the_same_chart_gives_the_same_bytes() {
    assert_eq!(uitkomsten().svg(), uitkomsten().svg());
    assert_eq!(uren().svg(), uren().svg());
    assert_ne!(uitkomsten().svg(), uren().svg());
}

#[test]
fn ids_can_be_chosen_so_several_charts_fit_in_one_page() {
    let svg = uren().svg_met_id("doc-2-grafiek-1");
    let doc = parse(&svg);
    assert_eq!(
        doc.root_element().attribute("aria-labelledby"),
        Some("doc-2-grafiek-1-titel doc-2-grafiek-1-uitleg")
    );
}

#[test]
fn text_from_users_is_escaped() {
    let mut g = uitkomsten();
    g.titel = "Grafiek <script>alert(1)</script> & meer".into();
    g.tekstalternatief = "\"Aanhalingstekens\" & 'apostrof'".into();
    g.categorieen[0] = "Zorg & <veiligheid>".into();
    g.reeksen[0].naam = "</text><g>".into();
    g.eenheid = "uur & minuten".into();
    let svg = g.svg();
    let doc = parse(&svg);
    assert!(!svg.contains("<script"));
    assert_eq!(
        doc.descendants()
            .find(|n| n.has_tag_name("title"))
            .unwrap()
            .text(),
        Some("Grafiek <script>alert(1)</script> & meer")
    );
    let teksten = teksten(&doc);
    assert!(teksten.contains(&"Zorg & <veiligheid>".to_string()));
    assert!(teksten.contains(&"</text><g>".to_string()));
    assert!(teksten.contains(&"uur & minuten".to_string()));
    // The row's tooltip holds the category's full name.
    assert!(doc.descendants().any(|n| n.has_tag_name("title")
        && n.text() == Some("Zorg & <veiligheid>")
        && n.parent().is_some_and(|p| p.has_tag_name("g"))));
}

#[test]
fn a_colour_that_is_not_hex_never_reaches_an_attribute() {
    let mut g = uren();
    g.reeksen[0].kleur = "red\" onload=\"alert(1)".into();
    let svg = g.svg();
    parse(&svg);
    assert!(!svg.contains("onload"));
}

#[test]
fn bars_scale_to_the_largest_value() {
    let doc_svg = uren().svg();
    let doc = parse(&doc_svg);
    let gepland = staven(&doc, "#1f5f8b");
    let besteed = staven(&doc, "#e07b39");
    // Handhaving spent nothing: no bar for it.
    assert_eq!((gepland.len(), besteed.len()), (2, 1));
    let (toezicht, handhaving) = (breedte(&gepland[0]), breedte(&gepland[1]));
    assert!((toezicht / handhaving - 2.0).abs() < 0.01);
    assert!((breedte(&besteed[0]) / toezicht - 1100.0 / 1300.0).abs() < 0.01);
    // The axis runs to 1.500 and its last tick is where a bar of 1.500 would end.
    let teksten = teksten(&doc);
    for label in ["0", "500", "1.000", "1.500", "1.300", "1.100", "650", "uur"] {
        assert!(
            teksten.contains(&label.to_string()),
            "{label} in {teksten:?}"
        );
    }
    let x0: f64 = gepland[0].attribute("x").unwrap().parse().unwrap();
    let laatste_tick = doc
        .descendants()
        .filter(|n| n.has_tag_name("text") && n.text() == Some("1.500"))
        .map(|n| n.attribute("x").unwrap().parse::<f64>().unwrap())
        .next()
        .unwrap();
    assert!(((laatste_tick - x0) * 1300.0 / 1500.0 - toezicht).abs() < 0.2);
}

#[test]
fn stacked_segments_follow_each_other_and_show_totals() {
    let svg = uitkomsten().svg();
    let doc = parse(&svg);
    let gerealiseerd = staven(&doc, "#1f5f8b");
    let deels = staven(&doc, "#f2c14e");
    let x = |n: &roxmltree::Node| n.attribute("x").unwrap().parse::<f64>().unwrap();
    // The second segment of the first row starts where the first ends.
    assert!((x(&gerealiseerd[0]) + breedte(&gerealiseerd[0]) - x(&deels[0])).abs() < 0.2);
    // A zero draws no segment: Ondermijning has no "deels gerealiseerd".
    assert_eq!(deels.len(), 2);
    let teksten = teksten(&doc);
    // Totals per theme: 9, 5 and 5.
    assert!(teksten.contains(&"9".to_string()));
    assert!(teksten.iter().filter(|t| *t == "5").count() >= 2);
    // Value labels on a dark bar are white, on a light bar black.
    let label_op = |kleur: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .find(|n| {
                n.prev_sibling_element().is_some_and(|r| {
                    r.attribute("fill") == Some(kleur) && r.attribute("width") != Some("12")
                })
            })
            .and_then(|n| n.attribute("fill").map(str::to_string))
    };
    assert_eq!(label_op("#1f5f8b").as_deref(), Some("#ffffff"));
    assert_eq!(label_op("#f2c14e").as_deref(), Some("#000000"));
}

#[test]
fn long_category_names_wrap_and_keep_the_full_name_in_the_row_title() {
    let svg = uitkomsten().svg();
    let doc = parse(&svg);
    let teksten = teksten(&doc);
    assert!(!teksten.contains(&"Sociale, fysieke en digitale leefomgeving".to_string()));
    assert!(teksten.iter().any(|t| t.starts_with("Sociale, fysieke")));
    assert!(doc.descendants().any(|n| n.has_tag_name("title")
        && n.text() == Some("Sociale, fysieke en digitale leefomgeving")));
}

#[test]
fn zero_values_and_empty_charts_draw_something_sensible() {
    let nul = grafiek(
        GrafiekSoort::Naast,
        &["Toezicht"],
        vec![
            reeks("gepland", "#1f5f8b", &[0]),
            reeks("besteed", "#e07b39", &[]),
        ],
    );
    let svg = nul.svg();
    let doc = parse(&svg);
    assert!(staven(&doc, "#1f5f8b").is_empty());
    assert!(!svg.contains("NaN") && !svg.contains("inf"));
    assert_eq!(teksten(&doc).iter().filter(|t| *t == "0").count(), 3);

    for leeg in [
        grafiek(
            GrafiekSoort::Gestapeld,
            &[],
            vec![reeks("gerealiseerd", "#1f5f8b", &[])],
        ),
        grafiek(GrafiekSoort::Naast, &["Toezicht"], Vec::new()),
    ] {
        let svg = leeg.svg();
        let doc = parse(&svg);
        assert_eq!(doc.root_element().attribute("role"), Some("img"));
        assert!(teksten(&doc).contains(&"Geen gegevens".to_string()));
        assert!(!svg.contains("NaN"));
    }
}
