//! The raadsinformatiebrief: the particulars, the addressee, the organisation's template filled
//! in, place and date, and the signature block.

use super::{alineas, gerealiseerd, ondertekenaars, periode, plan_met_periode};
use crate::invoer::PakketInvoer;
use crate::model::{Blok, Document, DocumentSoort, Ondertekening};
use crate::sjabloon::{Sjabloon, Waarden};
use koers_domain::nl;

pub(super) fn document(
    invoer: &PakketInvoer,
    sjabloon: &Sjabloon,
    titel: &str,
    bijlagen: Vec<String>,
) -> Document {
    let nog_niet = || "nog niet bekend".to_string();
    let brief = &invoer.brief;
    let mut blokken = vec![
        Blok::Gegevens {
            paren: vec![
                (
                    "Nummer".into(),
                    Some(brief.nummer.trim())
                        .filter(|n| !n.is_empty())
                        .map_or_else(nog_niet, str::to_string),
                ),
                ("Datum".into(), brief.datum.map_or_else(nog_niet, nl::datum)),
                ("Onderwerp".into(), titel.to_string()),
            ],
        },
        Blok::Alinea {
            tekst: brief.geadresseerde.clone(),
        },
    ];
    blokken.extend(sjabloon.invullen(&waarden(invoer, bijlagen)));
    let org = &invoer.organisatie;
    blokken.push(Blok::PlaatsDatum {
        tekst: format!(
            "{}, {}.",
            org.plaats,
            brief
                .datum
                .map_or_else(|| "datum nog niet bekend".into(), nl::datum)
        ),
    });
    blokken.push(Blok::Ondertekening(Ondertekening {
        groet: "Met vriendelijke groet,".into(),
        afzender: format!("{},", org.huisstijl.afzender.trim_end_matches(',')),
        ondertekenaars: ondertekenaars(&org.huisstijl.ondertekenaars),
    }));
    Document {
        soort: DocumentSoort::Brief,
        label: String::new(),
        titel: "Raadsinformatiebrief".into(),
        blokken,
    }
}

fn waarden(invoer: &PakketInvoer, bijlagen: Vec<String>) -> Waarden {
    let p = &invoer.programma;
    let e = invoer.evaluatie.as_ref();
    let vorig_jaar = p.jaar - 1;
    let doorgeschoven = invoer.doorgeschoven.min(p.acties.len());
    let deelname: Vec<String> = invoer
        .plan
        .opgaven
        .iter()
        .filter(|o| o.deelname)
        .map(|o| o.naam.clone())
        .collect();
    let mut w = Waarden::default();
    let mut zet = |naam: &'static str, waarde: String| {
        w.tekst.insert(naam, waarde);
    };
    zet("jaar", p.jaar.to_string());
    zet("vorig_jaar", vorig_jaar.to_string());
    zet("organisatie", invoer.organisatie.naam.clone());
    zet("plaats", invoer.organisatie.plaats.clone());
    zet(
        "team",
        Some(invoer.organisatie.team.trim())
            .filter(|t| !t.is_empty())
            .map_or_else(|| "het team".to_string(), str::to_string),
    );
    zet("programma", p.titel.clone());
    zet(
        "evaluatie",
        e.map_or_else(
            || format!("het programma van {vorig_jaar}"),
            |e| e.titel.clone(),
        ),
    );
    zet("plan", plan_met_periode(&invoer.plan));
    zet("planperiode", periode(&invoer.plan));
    zet("acties", nl::aantal(p.acties.len(), "actie", "acties"));
    zet(
        "doorgeschoven_acties",
        nl::aantal(doorgeschoven, "actie", "acties"),
    );
    zet(
        "nieuwe_acties",
        nl::aantal(
            p.acties.len() - doorgeschoven,
            "nieuwe actie",
            "nieuwe acties",
        ),
    );
    zet(
        "uren",
        format!("{} uur", nl::duizendtallen(p.kengetallen.geplande_uren)),
    );
    zet("gerealiseerd", gerealiseerd(e));
    zet(
        "opgaven",
        nl::aantal(invoer.plan.opgaven.len(), "opgave", "opgaven"),
    );
    zet(
        "opgaven_deelname",
        if deelname.is_empty() {
            "geen van deze opgaven".into()
        } else {
            nl::opsomming(&deelname)
        },
    );

    let themas = invoer
        .plan
        .themagroepen
        .iter()
        .filter(|g| !g.themas.is_empty())
        .flat_map(|g| {
            [
                Blok::Alinea {
                    tekst: format!("{}:", g.naam),
                },
                Blok::Lijst {
                    genummerd: true,
                    items: g.themas.clone(),
                },
            ]
        })
        .collect();
    w.blokken.insert("themas", themas);
    w.blokken.insert(
        "conclusies",
        tekstblokken(
            e.map(|e| e.conclusies.as_str()),
            format!("De conclusies van de evaluatie van {vorig_jaar} zijn nog niet ingevuld."),
        ),
    );
    w.blokken.insert(
        "trends",
        tekstblokken(
            e.map(|e| e.trends_en_ontwikkelingen.as_str()),
            format!("Voor {vorig_jaar} zijn geen trends en ontwikkelingen ingevuld."),
        ),
    );
    let punten: Vec<String> = e
        .map(|e| e.aandachtspunten.iter().map(|a| a.tekst.clone()).collect())
        .unwrap_or_default();
    w.blokken.insert(
        "aandachtspunten",
        if punten.is_empty() {
            vec![Blok::Alinea {
                tekst: "De evaluatie noemt geen aandachtspunten.".into(),
            }]
        } else {
            vec![Blok::Lijst {
                genummerd: false,
                items: punten,
            }]
        },
    );
    w.blokken.insert(
        "bijlagen",
        vec![Blok::Lijst {
            genummerd: false,
            items: bijlagen,
        }],
    );
    w
}

/// A typed text as paragraphs, or one sentence saying it is missing.
fn tekstblokken(tekst: Option<&str>, ontbreekt: String) -> Vec<Blok> {
    let delen = tekst.map(alineas).unwrap_or_default();
    if delen.is_empty() {
        vec![Blok::Alinea { tekst: ontbreekt }]
    } else {
        delen
            .into_iter()
            .map(|tekst| Blok::Alinea { tekst })
            .collect()
    }
}
