use super::*;
use crate::invoer::*;
use crate::model::{Blok, DocumentSoort};
use std::collections::BTreeMap;

fn telling(acties: usize, gerealiseerd: usize, gepland: i64, besteed: i64) -> Telling {
    Telling {
        acties,
        per_uitkomst: BTreeMap::from([
            ("gerealiseerd".to_string(), gerealiseerd),
            ("doorlopend".to_string(), acties - gerealiseerd),
        ]),
        niet_geevalueerd: 0,
        geplande_uren: gepland,
        bestede_uren: besteed,
        procent_gerealiseerd: Some((gerealiseerd * 100 / acties) as i64),
        procent_geevalueerd: Some(100),
        procent_uren_besteed: Some(besteed * 100 / gepland),
    }
}

fn actie(code: &str, thema: &str, voorganger: Option<&str>) -> ProgrammaActie {
    ProgrammaActie {
        code: code.into(),
        titel: format!("Actie {code}"),
        beschrijving: String::new(),
        beoogd_resultaat: "Een resultaat.".into(),
        thema: thema.into(),
        ambitie: None,
        trekker: "Veiligheid".into(),
        bijdragende_subteams: vec![],
        partners: vec![],
        opgaven: vec![],
        kwartalen: vec![1, 2],
        geplande_uren: 40,
        prioriteit: "hoog".into(),
        herkomst: "doorgeschoven".into(),
        voorganger: voorganger.map(|code| Voorganger {
            jaar: 2023,
            code: code.into(),
        }),
    }
}

pub(crate) fn invoer() -> PakketInvoer {
    PakketInvoer {
        organisatie: Organisatie {
            naam: "Gemeente Voorbeeld".into(),
            plaats: "Voorbeeld".into(),
            team: String::new(),
            huisstijl: Huisstijl {
                kleur: "niet-hex".into(),
                logo: None,
                afzender: "burgemeester en wethouders van Voorbeeld".into(),
                ondertekenaars: vec![
                    Ondertekenaar {
                        naam: "A. de Vries".into(),
                        functie: "burgemeester".into(),
                    },
                    Ondertekenaar {
                        naam: "  ".into(),
                        functie: "secretaris".into(),
                    },
                ],
            },
        },
        brief: BriefGegevens {
            nummer: "2024-000001".into(),
            datum: chrono::NaiveDate::from_ymd_opt(2024, 2, 27),
            geadresseerde: "Aan de leden van de gemeenteraad".into(),
            besluitdatum: chrono::NaiveDate::from_ymd_opt(2024, 2, 13),
        },
        sjabloon: crate::sjabloon::STANDAARD.into(),
        plan: Plan {
            titel: "Beleidsplan Veiligheid".into(),
            van: 2023,
            tot: 2026,
            themagroepen: vec![
                Themagroep {
                    naam: "Veiligheid".into(),
                    themas: vec!["Zorg".into(), "Ondermijning".into()],
                },
                Themagroep {
                    naam: "VTH".into(),
                    themas: vec!["Toezicht".into()],
                },
            ],
            opgaven: vec![
                Opgave {
                    naam: "Zorg op Maat".into(),
                    deelname: true,
                },
                Opgave {
                    naam: "Wonen".into(),
                    deelname: false,
                },
                Opgave {
                    naam: "Leefbare Stad".into(),
                    deelname: true,
                },
            ],
        },
        programma: Programma {
            jaar: 2024,
            titel: "Uitvoeringsprogramma 2024".into(),
            acties: vec![
                actie("T-01", "Toezicht", None),
                actie("Z-01", "Zorg", Some("Z-07")),
                actie("O-01", "Ondermijning", None),
            ],
            kengetallen: ProgrammaKengetallen {
                acties: 3,
                geplande_uren: 120,
                per_thema: vec![],
                formatie: vec![],
            },
            opgaven: vec!["Zorg op Maat".into(), "Leefbare Stad".into()],
        },
        evaluatie: Some(Evaluatie {
            jaar: 2023,
            titel: "Uitvoeringsprogramma 2023".into(),
            conclusies: "Het ging goed.\n\nWe werken meer samen.".into(),
            trends_en_ontwikkelingen: String::new(),
            acties: vec![],
            thema_conclusies: vec![],
            aandachtspunten: vec![],
            aandachtspunten_vorig_jaar: vec![],
            kengetallen: EvaluatieKengetallen {
                totaal: telling(4, 3, 100, 90),
                per_thema: vec![],
                per_subteam: vec![],
            },
        }),
        doorgeschoven: 1,
    }
}

fn brieftekst(p: &Pakket) -> String {
    crate::render::tekst::render(&Pakket {
        documenten: vec![p.documenten[0].clone()],
        ..p.clone()
    })
}

#[test]
fn the_letter_carries_the_facts_in_order() {
    let p = pakket(&invoer()).unwrap();
    assert_eq!(
        p.titel,
        "Evaluatie Uitvoeringsprogramma 2023 en nieuw Uitvoeringsprogramma 2024"
    );
    let soorten: Vec<_> = p.documenten.iter().map(|d| d.soort).collect();
    assert_eq!(
        soorten,
        [
            DocumentSoort::Brief,
            DocumentSoort::Evaluatie,
            DocumentSoort::Programma
        ]
    );
    let tekst = brieftekst(&p);
    for feit in [
        "Nummer: 2024-000001",
        "Datum: 27 februari 2024",
        "Aan de leden van de gemeenteraad",
        "Beleidsplan Veiligheid 2023–2026",
        "Veiligheid:\n\n1. Zorg\n2. Ondermijning",
        "VTH:\n\n1. Toezicht",
        "3 opgaven. Het team doet mee aan Zorg op Maat en Leefbare Stad.",
        "Uit 2023 nemen wij 1 actie mee, want het werk daaraan is nog niet klaar.",
        "Daarnaast heeft het programma 2 nieuwe acties.",
        "Het ging goed.\n\nWe werken meer samen.",
        "3 van de 4 acties (75%)",
        "- Bijlage 1: de evaluatie van 2023\n- Bijlage 2: het programma voor 2024",
        "Voorbeeld, 27 februari 2024.",
        "burgemeester en wethouders van Voorbeeld,\n\nA. de Vries\nburgemeester",
    ] {
        assert!(tekst.contains(feit), "{feit:?} ontbreekt in:\n{tekst}");
    }
    assert!(
        !tekst.contains("secretaris"),
        "a signatory without a name is left out"
    );
    assert_eq!(
        p.huisstijl.kleur, STANDAARDKLEUR,
        "an invalid colour falls back"
    );
}

#[test]
fn the_programme_annex_follows_the_plans_theme_order() {
    let p = pakket(&invoer()).unwrap();
    let koppen: Vec<&str> = p.documenten[2]
        .blokken
        .iter()
        .filter_map(|b| match b {
            Blok::Kop { niveau: 3, tekst } => Some(tekst.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(koppen, ["Zorg", "Ondermijning", "Toezicht"]);
    let tekst = crate::render::tekst::render(&p);
    assert!(
        tekst.contains("Actie Z-01 (vervolg op Z-07 uit 2023)"),
        "{tekst}"
    );
}

#[test]
fn without_an_evaluation_the_programme_is_the_only_annex() {
    let mut invoer = invoer();
    invoer.evaluatie = None;
    let p = pakket(&invoer).unwrap();
    assert_eq!(p.titel, "Uitvoeringsprogramma 2024");
    assert_eq!(p.documenten.len(), 2);
    assert_eq!(p.documenten[1].label, "Bijlage 1");
    let tekst = brieftekst(&p);
    assert!(tekst.contains("De conclusies van de evaluatie van 2023 zijn nog niet ingevuld."));
}

#[test]
fn a_letter_without_number_or_date_says_so() {
    let mut invoer = invoer();
    invoer.brief.nummer = " ".into();
    invoer.brief.datum = None;
    let tekst = brieftekst(&pakket(&invoer).unwrap());
    assert!(tekst.contains("Nummer: nog niet bekend"));
    assert!(tekst.contains("Voorbeeld, datum nog niet bekend."));
}

#[test]
fn a_broken_template_is_refused_with_its_problems() {
    let mut invoer = invoer();
    invoer.sjabloon = "In {jaar} doen we {iets}.".into();
    let fout = pakket(&invoer).unwrap_err();
    assert!(
        fout.to_string()
            .contains("{iets} is geen bekende plaatshouder"),
        "{fout}"
    );
}
