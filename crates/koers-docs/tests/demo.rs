//! The demo's 2024 council package, built from `fixtures/pakket-demo-2024.json` (the input the
//! app gathers from the demo database; the app's package test keeps that file true).

use koers_docs::invoer::PakketInvoer;
use koers_docs::model::{Blok, DocumentSoort, Pakket};
use koers_docs::{bouw, render};
use koers_domain::readability::{Band, analyse};

fn demo() -> Pakket {
    let json = include_str!("fixtures/pakket-demo-2024.json");
    let invoer: PakketInvoer = serde_json::from_str(json).unwrap();
    bouw::pakket(&invoer).unwrap()
}

/// The whole package as text. A change to the wording or the figures shows as a diff of
/// `snapshots/demo__pakket_2024.snap` to review (`cargo insta review`, or `INSTA_UPDATE=always`).
#[test]
fn the_demo_package_as_text() {
    insta::assert_snapshot!("pakket_2024", render::tekst::render(&demo()));
}

/// Every fact of the council letter Den Helder sent (2024-007143), in Koers' own words.
#[test]
fn the_letter_carries_every_fact_of_the_seed() {
    let pakket = demo();
    let brief = &pakket.documenten[0];
    assert_eq!(brief.soort, DocumentSoort::Brief);
    let tekst = render::tekst::render(&Pakket {
        documenten: vec![brief.clone()],
        ..pakket.clone()
    });
    for feit in [
        "Nummer: 2024-007143",
        "Onderwerp: Evaluatie Uitvoeringsprogramma Integrale Veiligheid en VTH-taken 2023 en nieuw Uitvoeringsprogramma Integrale Veiligheid en VTH-taken 2024",
        "Aan de leden van de gemeenteraad",
        "Beleidsplan Integrale Veiligheid en VTH-taken 2023-2026",
        "Integrale Veiligheid:\n\n1. Aanpak Zorg & veiligheid\n2. Ondermijning\n3. Sociale, fysieke en digitale leefomgeving",
        "VTH-taken:\n\n1. Vertrouwen waar het kan, handhaven waar het moet\n2. Projectmatige aanpak\n3. Leesbaar voor iedereen",
        "5 opgaven. Team OOV doet mee aan Zorg op Maat en Leefbare Stad.",
        "Uit 2023 nemen wij 16 acties mee",
        "Den Helder, 27 februari 2024.",
        "burgemeester en wethouders van Den Helder,",
        "J.A. (Jan) de Boer MSc.\nburgemeester",
        "Bijlage 1: de evaluatie van 2023",
        "Bijlage 2: het programma voor 2024",
    ] {
        assert!(tekst.contains(feit), "{feit:?} ontbreekt in:\n{tekst}");
    }
}

/// Koers' default letter reads as "normaal" or easier (Flesch–Douma ≥ 60) with the demo's
/// facts and the demo's own evaluation text in it.
#[test]
fn the_default_letter_reads_easily() {
    let analyse = analyse(&demo().documenten[0].leestekst());
    let score = analyse.score.unwrap();
    assert!(score >= 60.0, "Flesch–Douma {score:.1}");
    assert!(matches!(
        analyse.band,
        Some(Band::Normaal | Band::TamelijkGemakkelijk | Band::Gemakkelijk | Band::ZeerGemakkelijk)
    ));
}

#[test]
fn the_annexes_hold_every_action_once() {
    let pakket = demo();
    let rijen = |soort: DocumentSoort| -> usize {
        pakket
            .documenten
            .iter()
            .filter(|d| d.soort == soort)
            .flat_map(|d| &d.blokken)
            .filter_map(|b| match b {
                Blok::Tabel(t) if t.bijschrift.starts_with("Acties van") => Some(t.rijen.len()),
                _ => None,
            })
            .sum()
    };
    assert_eq!(rijen(DocumentSoort::Programma), 47);
    assert_eq!(rijen(DocumentSoort::Evaluatie), 41);
}
