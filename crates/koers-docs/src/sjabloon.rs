//! The letter's template: the organisation's own wording with named placeholders.
//!
//! A template is plain text. A blank line separates paragraphs; a paragraph that starts with
//! `## ` is a heading. `{naam}` is a placeholder: most stand for a few words inside a sentence
//! ([`Soort::Tekst`]), some for whole paragraphs or lists ([`Soort::Blok`]) and must stand alone
//! in their paragraph. `{{` and `}}` write a brace. Parsing lists every problem at once, each
//! naming the line and the placeholder, so the editor can show them all next to the field.

use crate::model::Blok;
use std::collections::BTreeMap;
use std::fmt;

/// The wording Koers ships, in plain Dutch. Written to score at least 60 on Flesch–Douma
/// for the demo (a test checks it), because a council letter should read easily.
pub const STANDAARD: &str = include_str!("standaard_brief.txt");

/// Whether a placeholder fills part of a sentence or whole paragraphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Soort {
    Tekst,
    Blok,
}

/// A placeholder a template may use, with what it is filled with (for the editor's help).
pub struct Plaatshouder {
    pub naam: &'static str,
    pub soort: Soort,
    pub uitleg: &'static str,
}

const fn tekst(naam: &'static str, uitleg: &'static str) -> Plaatshouder {
    Plaatshouder {
        naam,
        soort: Soort::Tekst,
        uitleg,
    }
}

const fn blok(naam: &'static str, uitleg: &'static str) -> Plaatshouder {
    Plaatshouder {
        naam,
        soort: Soort::Blok,
        uitleg,
    }
}

pub const PLAATSHOUDERS: &[Plaatshouder] = &[
    tekst(
        "jaar",
        "Het jaar van het nieuwe programma, bijvoorbeeld 2024.",
    ),
    tekst(
        "vorig_jaar",
        "Het jaar van de evaluatie, bijvoorbeeld 2023.",
    ),
    tekst("organisatie", "De naam van de organisatie."),
    tekst("plaats", "De plaats van de organisatie."),
    tekst(
        "team",
        "De naam van het team uit de huisstijl, of ‘het team’ als die niet is ingevuld.",
    ),
    tekst("programma", "De titel van het nieuwe programma."),
    tekst(
        "evaluatie",
        "De titel van het programma dat is geëvalueerd.",
    ),
    tekst("plan", "De titel van het beleidsplan, met de periode."),
    tekst(
        "planperiode",
        "De periode van het beleidsplan, bijvoorbeeld 2023–2026.",
    ),
    tekst(
        "acties",
        "Het aantal acties in het nieuwe programma, bijvoorbeeld ‘47 acties’.",
    ),
    tekst(
        "doorgeschoven_acties",
        "Hoeveel acties uit het vorige jaar doorlopen, bijvoorbeeld ‘16 acties’.",
    ),
    tekst(
        "nieuwe_acties",
        "Hoeveel acties nieuw zijn, bijvoorbeeld ‘31 nieuwe acties’.",
    ),
    tekst(
        "uren",
        "De geplande uren van het nieuwe programma, bijvoorbeeld ‘3.120 uur’.",
    ),
    tekst(
        "gerealiseerd",
        "Hoeveel acties van het vorige jaar zijn gerealiseerd, bijvoorbeeld ‘28 van de 45 acties (62%)’.",
    ),
    tekst(
        "opgaven",
        "Het aantal opgaven van de organisatie, bijvoorbeeld ‘5 opgaven’.",
    ),
    tekst(
        "opgaven_deelname",
        "De opgaven waaraan het team meedoet, bijvoorbeeld ‘Zorg op Maat en Leefbare Stad’.",
    ),
    blok(
        "themas",
        "De thema's van het beleidsplan in hun groepen en volgorde, als genummerde lijsten.",
    ),
    blok(
        "conclusies",
        "De conclusies uit de evaluatie van het vorige jaar, zoals ze daar zijn ingevuld.",
    ),
    blok(
        "trends",
        "De trends en ontwikkelingen uit de evaluatie van het vorige jaar.",
    ),
    blok(
        "aandachtspunten",
        "De aandachtspunten uit de evaluatie voor het nieuwe jaar, als lijst.",
    ),
    blok("bijlagen", "De bijlagen bij de brief, als lijst."),
];

fn plaatshouder(naam: &str) -> Option<&'static Plaatshouder> {
    PLAATSHOUDERS.iter().find(|p| p.naam == naam)
}

/// One problem in a template, as a Dutch sentence that names the placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SjabloonFout {
    /// 1-based line of the template.
    pub regel: usize,
    pub melding: String,
}

impl fmt::Display for SjabloonFout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Regel {}: {}", self.regel, self.melding)
    }
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stuk {
    Letterlijk(String),
    Tekst(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Deel {
    Kop(Vec<Stuk>),
    Alinea(Vec<Stuk>),
    Blok(&'static str),
}

/// A checked template, ready to be filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sjabloon {
    delen: Vec<Deel>,
}

/// What the placeholders are filled with; the builder makes it from the package input.
#[derive(Debug, Clone, Default)]
pub struct Waarden {
    pub tekst: BTreeMap<&'static str, String>,
    pub blokken: BTreeMap<&'static str, Vec<Blok>>,
}

/// The longest template accepted: far more than a letter needs, small enough to keep a
/// pasted document out.
pub const MAX_TEKENS: usize = 20_000;

impl Sjabloon {
    /// Checks a template: every placeholder known and in the right place, every brace closed.
    /// Returns all problems at once.
    pub fn parse(tekst: &str) -> Result<Self, Vec<SjabloonFout>> {
        let mut fouten = Vec::new();
        let tekens = tekst.chars().count();
        if tekens > MAX_TEKENS {
            fouten.push(SjabloonFout {
                regel: 1,
                melding: format!(
                    "Het sjabloon is {tekens} tekens lang; het mag hoogstens {MAX_TEKENS} tekens zijn."
                ),
            });
            return Err(fouten);
        }
        let mut delen = Vec::new();
        for (regel, alinea) in alineas(tekst) {
            let (kop, inhoud) = match alinea.strip_prefix("## ") {
                Some(rest) => (true, rest.trim().to_string()),
                None => (false, alinea),
            };
            let stukken = match stukken(&inhoud, regel) {
                Ok(s) => s,
                Err(mut e) => {
                    fouten.append(&mut e);
                    continue;
                }
            };
            match stukken.as_slice() {
                [Stuk::Tekst(naam)] if !kop && is_blok(naam) => delen.push(Deel::Blok(naam)),
                _ => {
                    for stuk in &stukken {
                        if let Stuk::Tekst(naam) = stuk
                            && is_blok(naam)
                        {
                            fouten.push(SjabloonFout {
                                regel,
                                melding: format!(
                                    "{{{naam}}} vult hele alinea's en moet daarom alleen in een eigen alinea staan, met een lege regel ervoor en erna."
                                ),
                            });
                        }
                    }
                    delen.push(if kop {
                        Deel::Kop(stukken)
                    } else {
                        Deel::Alinea(stukken)
                    });
                }
            }
        }
        if delen.is_empty() && fouten.is_empty() {
            fouten.push(SjabloonFout {
                regel: 1,
                melding: "Het sjabloon is leeg. Schrijf de tekst van de brief of zet de standaardtekst terug.".into(),
            });
        }
        if fouten.is_empty() {
            Ok(Self { delen })
        } else {
            Err(fouten)
        }
    }

    /// The placeholders this template uses, each once, in order of first use.
    pub fn gebruikt(&self) -> Vec<&'static str> {
        let mut namen = Vec::new();
        let mut noteer = |naam: &'static str| {
            if !namen.contains(&naam) {
                namen.push(naam);
            }
        };
        for deel in &self.delen {
            match deel {
                Deel::Kop(stukken) | Deel::Alinea(stukken) => {
                    for stuk in stukken {
                        if let Stuk::Tekst(naam) = stuk {
                            noteer(naam);
                        }
                    }
                }
                Deel::Blok(naam) => noteer(naam),
            }
        }
        namen
    }

    /// The letter's body with every placeholder filled in. A placeholder without a value
    /// (which the builder never leaves) prints as its name in braces, so it shows rather than
    /// vanishes.
    pub fn invullen(&self, waarden: &Waarden) -> Vec<Blok> {
        let vul = |stukken: &[Stuk]| -> String {
            let mut uit = String::new();
            for stuk in stukken {
                match stuk {
                    Stuk::Letterlijk(s) => uit.push_str(s),
                    Stuk::Tekst(naam) => {
                        let waarde = waarden
                            .tekst
                            .get(naam)
                            .cloned()
                            .unwrap_or_else(|| format!("{{{naam}}}"));
                        // "het team" opens a sentence as "Het team".
                        if zinsbegin(&uit) {
                            uit.push_str(&hoofdletter(&waarde));
                        } else {
                            uit.push_str(&waarde);
                        }
                    }
                }
            }
            uit
        };
        let mut blokken = Vec::new();
        for deel in &self.delen {
            match deel {
                Deel::Kop(stukken) => blokken.push(Blok::Kop {
                    niveau: 2,
                    tekst: vul(stukken),
                }),
                Deel::Alinea(stukken) => blokken.push(Blok::Alinea {
                    tekst: vul(stukken),
                }),
                Deel::Blok(naam) => match waarden.blokken.get(naam) {
                    Some(inhoud) => blokken.extend(inhoud.iter().cloned()),
                    None => blokken.push(Blok::Alinea {
                        tekst: format!("{{{naam}}}"),
                    }),
                },
            }
        }
        blokken
    }
}

/// Whether text appended to `voor` starts a sentence.
fn zinsbegin(voor: &str) -> bool {
    let voor = voor.trim_end();
    voor.is_empty() || voor.ends_with(['.', '?', '!'])
}

/// The text with its first letter a capital.
pub(crate) fn hoofdletter(tekst: &str) -> String {
    let mut tekens = tekst.chars();
    match tekens.next() {
        Some(eerste) => eerste.to_uppercase().chain(tekens).collect(),
        None => String::new(),
    }
}

fn is_blok(naam: &str) -> bool {
    plaatshouder(naam).is_some_and(|p| p.soort == Soort::Blok)
}

/// The paragraphs of a template with the line each starts on. Lines within a paragraph are
/// joined with a space, as a word processor would reflow them.
fn alineas(tekst: &str) -> Vec<(usize, String)> {
    let mut uit = Vec::new();
    let mut huidig: Option<(usize, Vec<&str>)> = None;
    for (i, regel) in tekst.lines().enumerate() {
        let regel = regel.trim();
        if regel.is_empty() {
            if let Some((start, regels)) = huidig.take() {
                uit.push((start, regels.join(" ")));
            }
        } else {
            huidig.get_or_insert((i + 1, Vec::new())).1.push(regel);
        }
    }
    if let Some((start, regels)) = huidig {
        uit.push((start, regels.join(" ")));
    }
    uit
}

/// Splits a paragraph into literal text and placeholders.
fn stukken(alinea: &str, regel: usize) -> Result<Vec<Stuk>, Vec<SjabloonFout>> {
    let mut stukken = Vec::new();
    let mut fouten = Vec::new();
    let mut letterlijk = String::new();
    let mut tekens = alinea.chars().peekable();
    while let Some(c) = tekens.next() {
        match c {
            '{' if tekens.peek() == Some(&'{') => {
                tekens.next();
                letterlijk.push('{');
            }
            '}' if tekens.peek() == Some(&'}') => {
                tekens.next();
                letterlijk.push('}');
            }
            '{' => {
                let mut naam = String::new();
                let mut gesloten = false;
                for c in tekens.by_ref() {
                    if c == '}' {
                        gesloten = true;
                        break;
                    }
                    naam.push(c);
                }
                if !gesloten {
                    fouten.push(SjabloonFout {
                        regel,
                        melding: format!(
                            "De accolade voor ‘{}’ wordt niet gesloten. Schrijf {{naam}}, of {{{{ voor een losse accolade.",
                            kort(&naam)
                        ),
                    });
                    break;
                }
                match plaatshouder(naam.trim()) {
                    Some(p) => {
                        if !letterlijk.is_empty() {
                            stukken.push(Stuk::Letterlijk(std::mem::take(&mut letterlijk)));
                        }
                        stukken.push(Stuk::Tekst(p.naam));
                    }
                    None => fouten.push(SjabloonFout {
                        regel,
                        melding: format!(
                            "{{{}}} is geen bekende plaatshouder. Kies er een uit de lijst onder het tekstveld.",
                            kort(naam.trim())
                        ),
                    }),
                }
            }
            '}' => fouten.push(SjabloonFout {
                regel,
                melding: "Er staat een sluitaccolade } zonder openingsaccolade. Schrijf }} voor een losse accolade.".into(),
            }),
            c => letterlijk.push(c),
        }
    }
    if !letterlijk.is_empty() {
        stukken.push(Stuk::Letterlijk(letterlijk));
    }
    if fouten.is_empty() {
        Ok(stukken)
    } else {
        Err(fouten)
    }
}

/// A name as a message quotes it: at most 40 characters.
fn kort(naam: &str) -> String {
    if naam.chars().count() > 40 {
        format!("{}…", naam.chars().take(40).collect::<String>())
    } else {
        naam.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meldingen(tekst: &str) -> Vec<String> {
        Sjabloon::parse(tekst)
            .unwrap_err()
            .into_iter()
            .map(|f| f.to_string())
            .collect()
    }

    #[test]
    fn the_default_template_parses_and_uses_the_facts_of_the_letter() {
        let sjabloon = Sjabloon::parse(STANDAARD).unwrap();
        let gebruikt = sjabloon.gebruikt();
        for naam in [
            "themas",
            "conclusies",
            "opgaven_deelname",
            "doorgeschoven_acties",
            "bijlagen",
        ] {
            assert!(
                gebruikt.contains(&naam),
                "{naam} ontbreekt in de standaardtekst"
            );
        }
    }

    #[test]
    fn an_unknown_placeholder_is_named_with_its_line() {
        let m = meldingen("Beste raad,\n\nIn {jaar} doen we {onbekend} en {ook_fout}.");
        assert_eq!(m.len(), 2, "{m:?}");
        assert!(
            m[0].starts_with("Regel 3: {onbekend} is geen bekende plaatshouder"),
            "{m:?}"
        );
        assert!(m[1].contains("{ook_fout}"), "{m:?}");
    }

    #[test]
    fn braces_must_close_and_can_be_escaped() {
        assert!(meldingen("Tekst {jaar")[0].contains("niet gesloten"));
        assert!(meldingen("Tekst jaar}")[0].contains("sluitaccolade"));
        let sjabloon = Sjabloon::parse("Een {{letterlijke}} accolade in {jaar}.").unwrap();
        let mut waarden = Waarden::default();
        waarden.tekst.insert("jaar", "2024".into());
        assert_eq!(
            sjabloon.invullen(&waarden),
            vec![Blok::Alinea {
                tekst: "Een {letterlijke} accolade in 2024.".into()
            }]
        );
    }

    #[test]
    fn a_block_placeholder_must_stand_alone() {
        let m = meldingen("De thema's zijn {themas} en meer.");
        assert!(m[0].contains("{themas} vult hele alinea's"), "{m:?}");
        assert!(Sjabloon::parse("De thema's zijn:\n\n{themas}\n\nDat was het.").is_ok());
    }

    #[test]
    fn headings_paragraphs_and_blocks_are_filled_in() {
        let sjabloon =
            Sjabloon::parse("## Terugblik op {vorig_jaar}\n\nWij kijken\nterug.\n\n{bijlagen}")
                .unwrap();
        let mut waarden = Waarden::default();
        waarden.tekst.insert("vorig_jaar", "2023".into());
        waarden.blokken.insert(
            "bijlagen",
            vec![Blok::Lijst {
                genummerd: true,
                items: vec!["Evaluatie".into()],
            }],
        );
        assert_eq!(
            sjabloon.invullen(&waarden),
            vec![
                Blok::Kop {
                    niveau: 2,
                    tekst: "Terugblik op 2023".into()
                },
                Blok::Alinea {
                    tekst: "Wij kijken terug.".into()
                },
                Blok::Lijst {
                    genummerd: true,
                    items: vec!["Evaluatie".into()]
                },
            ]
        );
    }

    #[test]
    fn a_placeholder_that_opens_a_sentence_gets_a_capital() {
        let sjabloon = Sjabloon::parse("{team} doet mee. Ook {team} doet mee.").unwrap();
        let mut waarden = Waarden::default();
        waarden.tekst.insert("team", "het team".into());
        assert_eq!(
            sjabloon.invullen(&waarden),
            vec![Blok::Alinea {
                tekst: "Het team doet mee. Ook het team doet mee.".into()
            }]
        );
    }

    #[test]
    fn empty_and_oversized_templates_are_refused() {
        assert!(meldingen("  \n\n ")[0].contains("leeg"));
        assert!(meldingen(&"a".repeat(MAX_TEKENS + 1))[0].contains("hoogstens 20000 tekens"));
    }

    #[test]
    fn every_placeholder_has_a_distinct_name_and_an_explanation() {
        for (i, p) in PLAATSHOUDERS.iter().enumerate() {
            assert!(!p.uitleg.is_empty());
            assert!(
                PLAATSHOUDERS[..i].iter().all(|q| q.naam != p.naam),
                "{}",
                p.naam
            );
        }
    }
}
