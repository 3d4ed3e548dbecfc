//! From [`PakketInvoer`] to [`Pakket`]: what the letter and its annexes say, in which order.
//!
//! The letter is the organisation's template filled in ([`crate::sjabloon`]); the annexes are
//! built here from the figures the evaluation and the programme already hold. Nothing is
//! computed twice: counts and shares come from the frozen `kengetallen`, so the package says
//! exactly what was adopted.

mod bijlagen;
mod brief;

use crate::invoer::{Evaluatie, Ondertekenaar, PakketInvoer, Plan};
use crate::model::{Document, DocumentSoort, Pakket, Stijl};
use crate::sjabloon::{Sjabloon, SjabloonFout};

#[derive(Debug, thiserror::Error)]
pub enum BouwFout {
    #[error("Het sjabloon van de brief klopt niet: {}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join(" "))]
    Sjabloon(Vec<SjabloonFout>),
}

/// The house colour when the organisation set none or an invalid one: a dark blue with a
/// contrast of 9:1 on white.
pub const STANDAARDKLEUR: &str = "#1f4e79";

pub fn pakket(invoer: &PakketInvoer) -> Result<Pakket, BouwFout> {
    let sjabloon = Sjabloon::parse(&invoer.sjabloon).map_err(BouwFout::Sjabloon)?;
    let kleur = if is_hexkleur(&invoer.organisatie.huisstijl.kleur) {
        invoer.organisatie.huisstijl.kleur.to_lowercase()
    } else {
        STANDAARDKLEUR.to_string()
    };
    let bijlagen = bijlagen::documenten(invoer, &kleur);
    // Short names for the letter's list: the full titles are in the subject already.
    let titels: Vec<String> = bijlagen
        .iter()
        .map(|d| {
            let wat = match d.soort {
                DocumentSoort::Evaluatie => {
                    format!("de evaluatie van {}", invoer.programma.jaar - 1)
                }
                _ => format!("het programma voor {}", invoer.programma.jaar),
            };
            format!("{}: {wat}", d.label)
        })
        .collect();
    let titel = pakkettitel(invoer);
    let mut documenten: Vec<Document> = vec![brief::document(invoer, &sjabloon, &titel, titels)];
    documenten.extend(bijlagen);
    Ok(Pakket {
        titel,
        organisatie: invoer.organisatie.naam.clone(),
        datum: invoer.brief.datum.or(invoer.brief.besluitdatum),
        taal: "nl",
        huisstijl: Stijl {
            kleur,
            logo: invoer.organisatie.huisstijl.logo.clone(),
        },
        documenten,
    })
}

/// "Evaluatie Uitvoeringsprogramma … 2023 en nieuw Uitvoeringsprogramma … 2024": the subject
/// of the letter and the title of every file.
fn pakkettitel(invoer: &PakketInvoer) -> String {
    match &invoer.evaluatie {
        Some(e) => format!("Evaluatie {} en nieuw {}", e.titel, invoer.programma.titel),
        None => invoer.programma.titel.clone(),
    }
}

fn is_hexkleur(kleur: &str) -> bool {
    kleur.len() == 7 && kleur.starts_with('#') && kleur[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// The plan's title with its period, unless the title already names both years.
fn plan_met_periode(plan: &Plan) -> String {
    if plan.titel.contains(&plan.van.to_string()) && plan.titel.contains(&plan.tot.to_string()) {
        plan.titel.clone()
    } else {
        format!("{} {}", plan.titel, periode(plan))
    }
}

fn periode(plan: &Plan) -> String {
    format!("{}–{}", plan.van, plan.tot)
}

/// The themes in the plan's order; themes the plan does not know (retired since) come last,
/// in the order they are met.
fn themavolgorde<'a>(plan: &'a Plan, ook: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut volgorde: Vec<&str> = plan
        .themagroepen
        .iter()
        .flat_map(|g| g.themas.iter().map(String::as_str))
        .collect();
    for thema in ook {
        if !volgorde.contains(&thema) {
            volgorde.push(thema);
        }
    }
    volgorde
}

/// Text typed in a form, split into paragraphs at blank lines.
fn alineas(tekst: &str) -> Vec<String> {
    tekst
        .split("\n\n")
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|a| !a.is_empty())
        .collect()
}

/// The share realised in words: "28 van de 45 acties (62%)".
fn gerealiseerd(evaluatie: Option<&Evaluatie>) -> String {
    let Some(e) = evaluatie else {
        return "nog geen geëvalueerde acties".into();
    };
    let t = &e.kengetallen.totaal;
    let n = t.per_uitkomst.get("gerealiseerd").copied().unwrap_or(0);
    let procent = t
        .procent_gerealiseerd
        .map(|p| format!(" ({p}%)"))
        .unwrap_or_default();
    format!(
        "{n} van de {}{procent}",
        koers_domain::nl::aantal(t.acties, "actie", "acties")
    )
}

fn ondertekenaars(lijst: &[Ondertekenaar]) -> Vec<Ondertekenaar> {
    lijst
        .iter()
        .filter(|o| !o.naam.trim().is_empty())
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests;
