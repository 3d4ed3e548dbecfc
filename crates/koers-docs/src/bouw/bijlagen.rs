//! The annexes: bijlage 1 the evaluation of N-1 (when Koers has one), then the programme of N.
//! Tables per theme in the plan's order, the evaluation's figures as tables and charts.

use super::{alineas, themavolgorde};
use crate::invoer::{
    Evaluatie, EvaluatieActie, PakketInvoer, Programma, ProgrammaActie, SubteamTelling, Telling,
};
use crate::model::{
    Blok, Document, DocumentSoort, Grafiek, GrafiekSoort, Kolom, Reeks, Tabel, Uitlijning,
};
use crate::sjabloon::hoofdletter;
use koers_domain::action::{Kwartalen, Prioriteit};
use koers_domain::evaluation::Uitkomst;
use koers_domain::nl;

pub(super) fn documenten(invoer: &PakketInvoer, kleur: &str) -> Vec<Document> {
    let mut uit = Vec::new();
    if let Some(e) = &invoer.evaluatie {
        uit.push(evaluatie(invoer, e, kleur));
    }
    uit.push(programma(invoer, &invoer.programma));
    for (i, d) in uit.iter_mut().enumerate() {
        d.label = format!("Bijlage {}", i + 1);
    }
    uit
}

/// Colours of the outcomes in charts: distinguishable for colour-blind readers (a diverging
/// green–blue–red scale), the same in every format.
fn uitkomstkleur(u: Uitkomst) -> &'static str {
    match u {
        Uitkomst::Gerealiseerd => "#1b7837",
        Uitkomst::DeelsGerealiseerd => "#7fbf7b",
        Uitkomst::Doorlopend => "#2166ac",
        Uitkomst::Doorgeschoven => "#92c5de",
        Uitkomst::NietGerealiseerd => "#d6604d",
        Uitkomst::Geannuleerd => "#878787",
    }
}

const NIET_GEEVALUEERD_KLEUR: &str = "#d9d9d9";
const BESTEED_KLEUR: &str = "#e08214";

fn kolom(kop: &str, breedte: u8) -> Kolom {
    Kolom {
        kop: kop.into(),
        uitlijning: Uitlijning::Links,
        breedte,
    }
}

fn getal(kop: &str, breedte: u8) -> Kolom {
    Kolom {
        kop: kop.into(),
        uitlijning: Uitlijning::Rechts,
        breedte,
    }
}

fn uren(n: i64) -> String {
    nl::duizendtallen(n)
}

fn procent(p: Option<i64>) -> String {
    p.map_or_else(|| "–".into(), |p| format!("{p}%"))
}

fn kop(niveau: u8, tekst: impl Into<String>) -> Blok {
    Blok::Kop {
        niveau,
        tekst: tekst.into(),
    }
}

fn alinea(tekst: impl Into<String>) -> Blok {
    Blok::Alinea {
        tekst: tekst.into(),
    }
}

fn evaluatie(invoer: &PakketInvoer, e: &Evaluatie, kleur: &str) -> Document {
    let t = &e.kengetallen.totaal;
    let mut b = vec![kop(2, "Samenvatting"), alinea(samenvatting(e))];
    for (titel, tekst) in [
        ("Conclusies", &e.conclusies),
        ("Trends en ontwikkelingen", &e.trends_en_ontwikkelingen),
    ] {
        let delen = alineas(tekst);
        if !delen.is_empty() {
            b.push(kop(2, titel));
            b.extend(delen.into_iter().map(alinea));
        }
    }

    let themas = themavolgorde(
        &invoer.plan,
        e.kengetallen.per_thema.iter().map(|t| t.thema.as_str()),
    );
    let per_thema: Vec<(&str, &Telling)> = themas
        .iter()
        .filter_map(|naam| {
            e.kengetallen
                .per_thema
                .iter()
                .find(|t| t.thema == *naam)
                .map(|t| (*naam, &t.telling))
        })
        .collect();
    b.push(kop(2, "Uitkomsten per thema"));
    b.push(Blok::Grafiek(uitkomstgrafiek(e.jaar, &per_thema, t)));
    b.push(kop(2, "Uren per subteam"));
    b.push(Blok::Grafiek(urengrafiek(
        e.jaar,
        &e.kengetallen.per_subteam,
        t,
        kleur,
    )));

    if !e.aandachtspunten_vorig_jaar.is_empty() {
        b.push(kop(2, format!("Aandachtspunten uit {}", e.jaar - 1)));
        b.push(Blok::Lijst {
            genummerd: false,
            items: e
                .aandachtspunten_vorig_jaar
                .iter()
                .map(|a| {
                    if a.hoe_ging_het.trim().is_empty() {
                        a.tekst.clone()
                    } else {
                        format!("{} Hoe ging het: {}", a.tekst, a.hoe_ging_het.trim())
                    }
                })
                .collect(),
        });
    }
    if !e.aandachtspunten.is_empty() {
        b.push(kop(2, format!("Aandachtspunten voor {}", e.jaar + 1)));
        b.push(Blok::Lijst {
            genummerd: false,
            items: e.aandachtspunten.iter().map(|a| a.tekst.clone()).collect(),
        });
    }

    b.push(kop(2, "Acties per thema"));
    for thema in themas {
        let acties: Vec<&EvaluatieActie> = e.acties.iter().filter(|a| a.thema == thema).collect();
        if acties.is_empty() {
            continue;
        }
        b.push(kop(3, thema));
        if let Some(c) = e.thema_conclusies.iter().find(|c| c.thema == thema) {
            b.extend(alineas(&c.conclusie).into_iter().map(alinea));
        }
        b.push(Blok::Tabel(evaluatietabel(thema, e.jaar, &acties)));
    }
    Document {
        soort: DocumentSoort::Evaluatie,
        label: String::new(),
        titel: format!("Evaluatie {}", e.titel),
        blokken: b,
    }
}

fn samenvatting(e: &Evaluatie) -> String {
    let t = &e.kengetallen.totaal;
    let n = |u: Uitkomst| t.per_uitkomst.get(u.code()).copied().unwrap_or(0);
    let mut zinnen = vec![format!(
        "Het programma van {} had {}.",
        e.jaar,
        nl::aantal(t.acties, "actie", "acties")
    )];
    zinnen.push(format!(
        "Daarvan zijn er {} gerealiseerd ({}) en {} deels gerealiseerd.",
        n(Uitkomst::Gerealiseerd),
        procent(t.procent_gerealiseerd),
        n(Uitkomst::DeelsGerealiseerd),
    ));
    let verder = n(Uitkomst::Doorlopend) + n(Uitkomst::Doorgeschoven);
    if verder > 0 {
        zinnen.push(if verder == 1 {
            format!("1 actie liep door of schoof door naar {}.", e.jaar + 1)
        } else {
            format!(
                "{verder} acties liepen door of schoven door naar {}.",
                e.jaar + 1
            )
        });
    }
    if t.niet_geevalueerd > 0 {
        zinnen.push(format!(
            "Van {} is de uitkomst niet vastgelegd.",
            nl::aantal(t.niet_geevalueerd, "actie", "acties")
        ));
    }
    zinnen.push(format!(
        "Er was {} uur gepland en {} uur besteed.",
        uren(t.geplande_uren),
        uren(t.bestede_uren)
    ));
    zinnen.join(" ")
}

fn uitkomstgrafiek(jaar: i32, per_thema: &[(&str, &Telling)], totaal: &Telling) -> Grafiek {
    let mut reeksen: Vec<Reeks> = Uitkomst::ALL
        .iter()
        .map(|u| Reeks {
            naam: hoofdletter(u.label()),
            kleur: uitkomstkleur(*u).into(),
            waarden: per_thema
                .iter()
                .map(|(_, t)| t.per_uitkomst.get(u.code()).copied().unwrap_or(0) as i64)
                .collect(),
        })
        .collect();
    if totaal.niet_geevalueerd > 0 {
        reeksen.push(Reeks {
            naam: "Niet geëvalueerd".into(),
            kleur: NIET_GEEVALUEERD_KLEUR.into(),
            waarden: per_thema
                .iter()
                .map(|(_, t)| t.niet_geevalueerd as i64)
                .collect(),
        });
    }
    let mut kolommen = vec![kolom("Thema", 5), getal("Acties", 1)];
    kolommen.extend(reeksen.iter().map(|r| getal(&r.naam, 2)));
    kolommen.push(getal("Gerealiseerd %", 2));
    let rij = |naam: &str, t: &Telling| {
        let mut cellen = vec![naam.to_string(), t.acties.to_string()];
        cellen.extend(Uitkomst::ALL.iter().map(|u| {
            t.per_uitkomst
                .get(u.code())
                .copied()
                .unwrap_or(0)
                .to_string()
        }));
        if totaal.niet_geevalueerd > 0 {
            cellen.push(t.niet_geevalueerd.to_string());
        }
        cellen.push(procent(t.procent_gerealiseerd));
        cellen
    };
    let beste = per_thema
        .iter()
        .filter_map(|(naam, t)| t.procent_gerealiseerd.map(|p| (p, *naam)))
        .max();
    let mut alt = format!(
        "Gestapelde staafgrafiek met per thema hoeveel acties van {jaar} welke uitkomst hadden. \
         In totaal {} gerealiseerd van {}.",
        totaal
            .per_uitkomst
            .get("gerealiseerd")
            .copied()
            .unwrap_or(0),
        nl::aantal(totaal.acties, "actie", "acties"),
    );
    if let Some((p, naam)) = beste {
        alt.push_str(&format!(
            " Het hoogste aandeel gerealiseerd had {naam} ({p}%)."
        ));
    }
    Grafiek {
        titel: format!("Uitkomst van de acties per thema, {jaar}"),
        tekstalternatief: alt,
        soort: GrafiekSoort::Gestapeld,
        categorieen: per_thema.iter().map(|(n, _)| n.to_string()).collect(),
        reeksen,
        eenheid: "acties".into(),
        decimalen: 0,
        tabel: Tabel {
            bijschrift: format!("Aantal acties per thema en uitkomst, {jaar}"),
            kolommen,
            rijen: per_thema.iter().map(|(n, t)| rij(n, t)).collect(),
            totaal: Some(rij("Totaal", totaal)),
        },
    }
}

fn urengrafiek(
    jaar: i32,
    per_subteam: &[SubteamTelling],
    totaal: &Telling,
    kleur: &str,
) -> Grafiek {
    let rij = |naam: &str, fte: Option<i64>, t: &Telling| {
        vec![
            naam.to_string(),
            fte.map_or_else(|| "–".into(), nl::honderdsten),
            t.acties.to_string(),
            uren(t.geplande_uren),
            uren(t.bestede_uren),
            procent(t.procent_uren_besteed),
        ]
    };
    let meest = per_subteam
        .iter()
        .max_by_key(|s| s.telling.bestede_uren - s.telling.geplande_uren);
    let mut alt = format!(
        "Staafgrafiek met per subteam de geplande en de bestede uren aan acties in {jaar}. \
         Samen {} uur gepland en {} uur besteed.",
        uren(totaal.geplande_uren),
        uren(totaal.bestede_uren)
    );
    if let Some(s) = meest.filter(|s| s.telling.bestede_uren > s.telling.geplande_uren) {
        alt.push_str(&format!(
            " {} besteedde het meest boven de planning: {} uur meer.",
            s.subteam,
            uren(s.telling.bestede_uren - s.telling.geplande_uren)
        ));
    }
    Grafiek {
        titel: format!("Geplande en bestede uren per subteam, {jaar}"),
        tekstalternatief: alt,
        soort: GrafiekSoort::Naast,
        categorieen: per_subteam.iter().map(|s| s.subteam.clone()).collect(),
        reeksen: vec![
            Reeks {
                naam: "Gepland".into(),
                kleur: kleur.into(),
                waarden: per_subteam
                    .iter()
                    .map(|s| s.telling.geplande_uren)
                    .collect(),
            },
            Reeks {
                naam: "Besteed".into(),
                kleur: BESTEED_KLEUR.into(),
                waarden: per_subteam.iter().map(|s| s.telling.bestede_uren).collect(),
            },
        ],
        eenheid: "uur".into(),
        decimalen: 0,
        tabel: Tabel {
            bijschrift: format!("Formatie, acties en uren per subteam, {jaar}"),
            kolommen: vec![
                kolom("Subteam", 4),
                getal("FTE", 1),
                getal("Acties", 1),
                getal("Uren gepland", 2),
                getal("Uren besteed", 2),
                getal("Besteed %", 2),
            ],
            rijen: per_subteam
                .iter()
                .map(|s| rij(&s.subteam, s.fte_honderdsten, &s.telling))
                .collect(),
            totaal: Some(rij("Totaal", None, totaal)),
        },
    }
}

fn evaluatietabel(thema: &str, jaar: i32, acties: &[&EvaluatieActie]) -> Tabel {
    Tabel {
        bijschrift: format!("Acties van {jaar} bij {thema}"),
        kolommen: vec![
            kolom("Code", 2),
            kolom("Actie", 5),
            kolom("Trekker (subteam)", 3),
            kolom("Uitkomst", 3),
            getal("Uren gepland", 2),
            getal("Uren besteed", 2),
            kolom("Toelichting", 6),
        ],
        rijen: acties
            .iter()
            .map(|a| {
                vec![
                    a.code.clone(),
                    a.titel.clone(),
                    a.trekker.clone(),
                    a.uitkomst
                        .as_deref()
                        .and_then(Uitkomst::from_code)
                        .map_or("niet geëvalueerd", |u| u.label())
                        .to_string(),
                    uren(a.geplande_uren),
                    uren(a.bestede_uren),
                    toelichting(a),
                ]
            })
            .collect(),
        totaal: None,
    }
}

/// What the evaluation says about one action, in one cell: what was achieved, why it ended as
/// it did, and the lesson.
fn toelichting(a: &EvaluatieActie) -> String {
    [
        ("Bereikt", &a.bereikt),
        ("Reden", &a.reden),
        ("Les", &a.les),
    ]
    .iter()
    .filter(|(_, t)| !t.trim().is_empty())
    .map(|(label, t)| {
        format!(
            "{label}: {}",
            t.split_whitespace().collect::<Vec<_>>().join(" ")
        )
    })
    .collect::<Vec<_>>()
    .join(" ")
}

fn programma(invoer: &PakketInvoer, p: &Programma) -> Document {
    let k = &p.kengetallen;
    let doorgeschoven = p.acties.iter().filter(|a| a.voorganger.is_some()).count();
    let mut b = vec![
        kop(2, "Op hoofdlijnen"),
        alinea(format!(
            "Dit programma heeft {} met samen {} geplande uren. Daarvan {} uit {}; {} nieuw.",
            nl::aantal(p.acties.len(), "actie", "acties"),
            uren(k.geplande_uren),
            match doorgeschoven {
                1 => "loopt 1 actie door".to_string(),
                n => format!("lopen {} door", nl::aantal(n, "actie", "acties")),
            },
            p.jaar - 1,
            match p.acties.len() - doorgeschoven {
                1 => "1 actie is".to_string(),
                n => format!("{} zijn", nl::aantal(n, "actie", "acties")),
            },
        )),
    ];
    let themas = themavolgorde(&invoer.plan, p.acties.iter().map(|a| a.thema.as_str()));
    b.push(Blok::Tabel(Tabel {
        bijschrift: format!("Acties en geplande uren per thema, {}", p.jaar),
        kolommen: vec![
            kolom("Thema", 5),
            getal("Acties", 1),
            getal("Uren gepland", 2),
        ],
        rijen: themas
            .iter()
            .filter_map(|naam| k.per_thema.iter().find(|t| t.thema == *naam))
            .map(|t| vec![t.thema.clone(), t.acties.to_string(), uren(t.geplande_uren)])
            .collect(),
        totaal: Some(vec![
            "Totaal".into(),
            k.acties.to_string(),
            uren(k.geplande_uren),
        ]),
    }));
    if !k.formatie.is_empty() {
        let totaal: i64 = k.formatie.iter().map(|f| f.fte_honderdsten).sum();
        b.push(Blok::Tabel(Tabel {
            bijschrift: format!("Formatie per subteam, {}", p.jaar),
            kolommen: vec![kolom("Subteam", 5), getal("FTE", 1)],
            rijen: k
                .formatie
                .iter()
                .map(|f| vec![f.subteam.clone(), nl::honderdsten(f.fte_honderdsten)])
                .collect(),
            totaal: Some(vec!["Totaal".into(), nl::honderdsten(totaal)]),
        }));
    }
    let deelname: Vec<String> = invoer
        .plan
        .opgaven
        .iter()
        .filter(|o| o.deelname)
        .map(|o| o.naam.clone())
        .collect();
    b.push(kop(2, "Opgaven"));
    b.push(alinea(if deelname.is_empty() {
        format!(
            "De organisatie heeft {}. Het team doet in {} aan geen daarvan mee.",
            nl::aantal(invoer.plan.opgaven.len(), "opgave", "opgaven"),
            p.jaar
        )
    } else {
        format!(
            "De organisatie heeft {}. Het team doet in {} mee aan {}.",
            nl::aantal(invoer.plan.opgaven.len(), "opgave", "opgaven"),
            p.jaar,
            nl::opsomming(&deelname)
        )
    }));

    b.push(kop(2, "Acties per thema"));
    for thema in themas {
        let acties: Vec<&ProgrammaActie> = p.acties.iter().filter(|a| a.thema == thema).collect();
        if acties.is_empty() {
            continue;
        }
        b.push(kop(3, thema));
        b.push(Blok::Tabel(programmatabel(thema, p.jaar, &acties)));
    }
    Document {
        soort: DocumentSoort::Programma,
        label: String::new(),
        titel: p.titel.clone(),
        blokken: b,
    }
}

fn programmatabel(thema: &str, jaar: i32, acties: &[&ProgrammaActie]) -> Tabel {
    Tabel {
        bijschrift: format!("Acties van {jaar} bij {thema}"),
        kolommen: vec![
            kolom("Code", 2),
            kolom("Actie", 5),
            kolom("Beoogd resultaat", 6),
            kolom("Trekker (subteam)", 3),
            kolom("Wanneer", 2),
            getal("Uren", 1),
            kolom("Prioriteit", 2),
        ],
        rijen: acties
            .iter()
            .map(|a| {
                let titel = match &a.voorganger {
                    Some(v) => format!("{} (vervolg op {} uit {})", a.titel, v.code, v.jaar),
                    None => a.titel.clone(),
                };
                vec![
                    a.code.clone(),
                    titel,
                    a.beoogd_resultaat.clone(),
                    a.trekker.clone(),
                    Kwartalen::from_numbers(a.kwartalen.iter().copied())
                        .map_or_else(|_| "–".into(), Kwartalen::label),
                    uren(a.geplande_uren),
                    Prioriteit::from_code(&a.prioriteit)
                        .map_or_else(|| a.prioriteit.clone(), |p| p.label().to_string()),
                ]
            })
            .collect(),
        totaal: None,
    }
}
