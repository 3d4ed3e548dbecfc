//! The risk analysis of the VTH task fields: risk = kans × effect, both on a scale of 1 to 5.
//!
//! The effect is scored per criterion (physical safety, environment, …) and the scores are
//! combined by the organisation's own rule: the highest score, or the weighted mean rounded to a
//! whole score. The score of 1–25 falls into one of the organisation's priority classes, each
//! with its supervision intensity. Criteria, rule and classes together are a [`Risicomodel`];
//! the organisation keeps versions of it and an analysis is always read with the version it was
//! made with, so a later change of the model never changes an earlier analysis' result.
//!
//! The defaults follow domain practice (Oosterhout's impact criteria; a proposal for four
//! classes): they are a starting point the organisation adopts or changes, not a national rule.

use crate::validation::{FieldErrors, Lines, bounded_text, max, required_text};
use crate::values::ValueError;
use serde::{Deserialize, Serialize};

/// The most criteria a model may have; every analysis scores each of them.
pub const MAX_CRITERIA: usize = 8;
/// The most priority classes a model may have.
pub const MAX_KLASSEN: usize = 6;
/// The highest weight of one criterion.
pub const MAX_GEWICHT: u32 = 100;
/// The highest risk score: 5 × 5.
pub const MAX_SCORE: u8 = 25;
/// A criterion's explanation or a class' supervision intensity.
pub const MAX_UITLEG: usize = 1_000;

/// A score on the five-point scale of kans and effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Schaal(u8);

impl Schaal {
    pub const ALLE: [u8; 5] = [1, 2, 3, 4, 5];

    pub fn new(value: u8) -> Result<Self, ValueError> {
        if (1..=5).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ValueError::new("Kies een score van 1 tot en met 5."))
        }
    }

    /// A score as typed or chosen: a whole number from 1 to 5.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ValueError::new("Kies een score van 1 tot en met 5."));
        }
        let value: i64 = text
            .parse()
            .map_err(|_| ValueError::new("Vul een heel getal van 1 tot en met 5 in."))?;
        u8::try_from(value)
            .map_err(|_| ValueError::new("Kies een score van 1 tot en met 5."))
            .and_then(Self::new)
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// The words of the kans scale.
    pub fn kans_label(self) -> &'static str {
        ["Zeer klein", "Klein", "Gemiddeld", "Groot", "Zeer groot"][usize::from(self.0 - 1)]
    }

    /// The words of the effect scale.
    pub fn effect_label(self) -> &'static str {
        [
            "Zeer gering",
            "Gering",
            "Enigszins",
            "Omvangrijk",
            "Zeer omvangrijk",
        ][usize::from(self.0 - 1)]
    }
}

impl TryFrom<u8> for Schaal {
    type Error = ValueError;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Schaal> for u8 {
    fn from(value: Schaal) -> Self {
        value.0
    }
}

/// How the effect scores of the criteria become one effect score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Combinatie {
    /// The highest score of any criterion: one severe effect is enough.
    Maximum,
    /// The mean weighted by the criteria's weights, rounded half up to a whole score.
    GewogenGemiddelde,
}

impl Combinatie {
    pub const ALLE: [Self; 2] = [Self::Maximum, Self::GewogenGemiddelde];

    pub fn code(self) -> &'static str {
        match self {
            Self::Maximum => "maximum",
            Self::GewogenGemiddelde => "gewogen-gemiddelde",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALLE.into_iter().find(|c| c.code() == code)
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Maximum => "Hoogste score",
            Self::GewogenGemiddelde => "Gewogen gemiddelde",
        }
    }

    /// The rule in one plain sentence, for the pages.
    pub fn uitleg(self) -> &'static str {
        match self {
            Self::Maximum => {
                "Het effect is de hoogste score van alle criteria. Eén ernstig effect is genoeg voor een hoge score."
            }
            Self::GewogenGemiddelde => {
                "Het effect is het gemiddelde van de scores, gewogen naar het gewicht van elk criterium en afgerond op een hele score."
            }
        }
    }
}

/// One effect criterion, such as physical safety, with its weight in the weighted mean.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterium {
    pub naam: String,
    /// What the scores 1–5 mean for this criterion.
    pub uitleg: String,
    pub gewicht: u32,
}

/// A priority class: the risk scores `van`–`tot` and the supervision that goes with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Klasse {
    pub naam: String,
    pub van: u8,
    pub tot: u8,
    pub intensiteit: String,
}

/// The organisation's way of scoring risk: its criteria, how they combine, and its classes
/// from low to high. A value of this type is valid: 1–8 criteria with weights of 0–100, not
/// all 0; classes that cover 1–25 in ascending order without gaps or overlaps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Risicomodel {
    pub criteria: Vec<Criterium>,
    pub combinatie: Combinatie,
    pub klassen: Vec<Klasse>,
}

/// The result of one analysis under one model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Uitslag {
    pub kans: u8,
    pub effect: u8,
    /// kans × effect, 1–25.
    pub score: u8,
    pub klasse: String,
    pub intensiteit: String,
    /// The class' position from low (0) to high, for the colour of the matrix cell.
    pub niveau: usize,
}

impl Risicomodel {
    /// Koers' starting point: four criteria of equal weight, the highest score counts, and four
    /// classes. The organisation makes it its own by saving a new version.
    pub fn standaard() -> Self {
        let criterium = |naam: &str, uitleg: &str| Criterium {
            naam: naam.to_string(),
            uitleg: uitleg.to_string(),
            gewicht: 1,
        };
        let klasse = |naam: &str, van, tot, intensiteit: &str| Klasse {
            naam: naam.to_string(),
            van,
            tot,
            intensiteit: intensiteit.to_string(),
        };
        Self {
            criteria: vec![
                criterium(
                    "Gebied",
                    "1 niet merkbaar, 3 de buurt, 4 een wijk of dorpskern, 5 de hele gemeente.",
                ),
                criterium(
                    "Fysieke veiligheid",
                    "1 geen letsel, 3 ernstig letsel, 4 één of meer doden, 5 ernstig letsel en meerdere doden in een groot gebied.",
                ),
                criterium(
                    "Milieu en leefomgeving",
                    "1 geen achteruitgang, 4 duidelijke schade met blijvende gevolgen, 5 hetzelfde in een kwetsbaar gebied.",
                ),
                criterium(
                    "Bestuurlijk imago",
                    "1 geen schade, 5 de positie van het hele bestuur is onhoudbaar.",
                ),
            ],
            combinatie: Combinatie::Maximum,
            klassen: vec![
                klasse("Laag", 1, 5, "Alleen na een klacht of melding."),
                klasse(
                    "Midden",
                    6,
                    11,
                    "Steekproef, of eens per twee tot vier jaar.",
                ),
                klasse("Hoog", 12, 19, "Elk object eens per jaar."),
                klasse(
                    "Zeer hoog",
                    20,
                    25,
                    "Alle objecten minstens eens per jaar met hercontrole; projectmatig.",
                ),
            ],
        }
    }

    /// The effect score of `scores` (one per criterion, in order) under this model's rule.
    pub fn effect(&self, scores: &[Schaal]) -> Schaal {
        let highest = scores.iter().copied().max().unwrap_or(Schaal(1));
        match self.combinatie {
            Combinatie::Maximum => highest,
            Combinatie::GewogenGemiddelde => {
                let weights = self.criteria.iter().map(|c| u64::from(c.gewicht));
                let (sum, total) = scores
                    .iter()
                    .zip(weights)
                    .fold((0u64, 0u64), |(s, t), (score, w)| {
                        (s + w * u64::from(score.0), t + w)
                    });
                if total == 0 {
                    return highest;
                }
                // Rounded half up: ⌊sum/total + ½⌋ in whole numbers.
                let mean = (2 * sum + total) / (2 * total);
                Schaal(u8::try_from(mean.clamp(1, 5)).unwrap_or(5))
            }
        }
    }

    /// The class of a risk score; the classes cover 1–25, so there always is one.
    pub fn klasse(&self, score: u8) -> (usize, &Klasse) {
        self.klassen
            .iter()
            .enumerate()
            .find(|(_, k)| (k.van..=k.tot).contains(&score))
            .or_else(|| self.klassen.iter().enumerate().next_back())
            .expect("a valid model has at least one class")
    }

    /// Scores an analysis made under this model.
    pub fn uitslag(&self, analyse: &Analyse) -> Uitslag {
        let effect = self.effect(&analyse.effecten);
        let score = analyse.kans.0 * effect.0;
        let (niveau, klasse) = self.klasse(score);
        Uitslag {
            kans: analyse.kans.0,
            effect: effect.0,
            score,
            klasse: klasse.naam.clone(),
            intensiteit: klasse.intensiteit.clone(),
            niveau,
        }
    }

    /// Checks a model read back from storage or sent as JSON, with the same rules as the form.
    pub fn check(self) -> Result<Self, FieldErrors> {
        RisicomodelInvoer::from(&self).validate()
    }
}

/// One criterion as typed in the form; a row with every field empty is left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriteriumInvoer {
    pub naam: String,
    pub uitleg: String,
    pub gewicht: String,
}

/// One class as typed in the form; a row with every field empty is left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KlasseInvoer {
    pub naam: String,
    pub van: String,
    pub tot: String,
    pub intensiteit: String,
}

/// The model form as typed. Field names of errors: `combinatie`, `criteria`,
/// `criterium_naam_N`, `criterium_uitleg_N`, `criterium_gewicht_N`, `klassen`, `klasse_naam_N`,
/// `klasse_van_N`, `klasse_tot_N`, `klasse_intensiteit_N` (N counts rows from 1).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RisicomodelInvoer {
    pub combinatie: String,
    pub criteria: Vec<CriteriumInvoer>,
    pub klassen: Vec<KlasseInvoer>,
}

impl From<&Risicomodel> for RisicomodelInvoer {
    fn from(model: &Risicomodel) -> Self {
        Self {
            combinatie: model.combinatie.code().to_string(),
            criteria: model
                .criteria
                .iter()
                .map(|c| CriteriumInvoer {
                    naam: c.naam.clone(),
                    uitleg: c.uitleg.clone(),
                    gewicht: c.gewicht.to_string(),
                })
                .collect(),
            klassen: model
                .klassen
                .iter()
                .map(|k| KlasseInvoer {
                    naam: k.naam.clone(),
                    van: k.van.to_string(),
                    tot: k.tot.to_string(),
                    intensiteit: k.intensiteit.clone(),
                })
                .collect(),
        }
    }
}

fn whole_number(text: &str, low: i64, high: i64) -> Result<i64, ValueError> {
    let text = text.trim();
    let message = || format!("Vul een heel getal van {low} tot en met {high} in.");
    let value: i64 = text.parse().map_err(|_| ValueError::new(message()))?;
    if (low..=high).contains(&value) {
        Ok(value)
    } else {
        Err(ValueError::new(message()))
    }
}

impl RisicomodelInvoer {
    /// The model, or every problem of the form at once.
    pub fn validate(&self) -> Result<Risicomodel, FieldErrors> {
        let mut errors = FieldErrors::default();
        let combinatie = Combinatie::from_code(self.combinatie.trim());
        if combinatie.is_none() {
            errors.add(
                "combinatie",
                "Kies hoe de criteria samen het effect bepalen: de hoogste score of het gewogen gemiddelde.",
            );
        }

        let mut criteria = Vec::new();
        for (i, row) in self.criteria.iter().enumerate() {
            let n = i + 1;
            if row.naam.trim().is_empty()
                && row.uitleg.trim().is_empty()
                && row.gewicht.trim().is_empty()
            {
                continue;
            }
            let naam = errors.check(
                &format!("criterium_naam_{n}"),
                required_text(&row.naam, max::TITLE, "Geef het criterium een naam."),
            );
            let uitleg = errors.check(
                &format!("criterium_uitleg_{n}"),
                bounded_text(&row.uitleg, MAX_UITLEG, Lines::Many),
            );
            let gewicht = errors.check(
                &format!("criterium_gewicht_{n}"),
                whole_number(&row.gewicht, 0, i64::from(MAX_GEWICHT)).map_err(|_| {
                    ValueError::new(format!(
                        "Vul als gewicht een heel getal van 0 tot en met {MAX_GEWICHT} in."
                    ))
                }),
            );
            if let (Some(naam), Some(uitleg), Some(gewicht)) = (naam, uitleg, gewicht) {
                criteria.push(Criterium {
                    naam,
                    uitleg,
                    gewicht: u32::try_from(gewicht).unwrap_or(0),
                });
            }
        }
        let filled = self
            .criteria
            .iter()
            .filter(|r| {
                !(r.naam.trim().is_empty()
                    && r.uitleg.trim().is_empty()
                    && r.gewicht.trim().is_empty())
            })
            .count();
        if filled == 0 {
            errors.add("criteria", "Vul minstens één criterium in.");
        } else if filled > MAX_CRITERIA {
            errors.add(
                "criteria",
                format!("Een risicomodel heeft hoogstens {MAX_CRITERIA} criteria."),
            );
        } else if criteria.len() == filled && criteria.iter().all(|c| c.gewicht == 0) {
            errors.add(
                "criteria",
                "Geef minstens één criterium een gewicht groter dan 0.",
            );
        }
        let mut names: Vec<String> = criteria.iter().map(|c| c.naam.to_lowercase()).collect();
        names.sort();
        if names.windows(2).any(|w| w[0] == w[1]) {
            errors.add("criteria", "Twee criteria hebben dezelfde naam.");
        }

        let mut klassen = Vec::new();
        let rows: Vec<(usize, &KlasseInvoer)> = self
            .klassen
            .iter()
            .enumerate()
            .filter(|(_, r)| {
                !(r.naam.trim().is_empty()
                    && r.van.trim().is_empty()
                    && r.tot.trim().is_empty()
                    && r.intensiteit.trim().is_empty())
            })
            .collect();
        let mut bounds_ok = true;
        for (i, row) in &rows {
            let n = i + 1;
            let naam = errors.check(
                &format!("klasse_naam_{n}"),
                required_text(&row.naam, max::TITLE, "Geef de klasse een naam."),
            );
            let intensiteit = errors.check(
                &format!("klasse_intensiteit_{n}"),
                bounded_text(&row.intensiteit, MAX_UITLEG, Lines::Many),
            );
            let van = errors.check(
                &format!("klasse_van_{n}"),
                whole_number(&row.van, 1, i64::from(MAX_SCORE)),
            );
            let tot = errors.check(
                &format!("klasse_tot_{n}"),
                whole_number(&row.tot, 1, i64::from(MAX_SCORE)),
            );
            match (naam, intensiteit, van, tot) {
                (Some(naam), Some(intensiteit), Some(van), Some(tot)) => {
                    klassen.push((
                        n,
                        Klasse {
                            naam,
                            van: van as u8,
                            tot: tot as u8,
                            intensiteit,
                        },
                    ));
                }
                _ => bounds_ok = false,
            }
        }
        if rows.is_empty() {
            errors.add("klassen", "Vul minstens één prioriteitsklasse in.");
        } else if rows.len() > MAX_KLASSEN {
            errors.add(
                "klassen",
                format!("Een risicomodel heeft hoogstens {MAX_KLASSEN} klassen."),
            );
        } else if bounds_ok {
            let mut expected = 1u8;
            for (n, k) in &klassen {
                if k.van > k.tot {
                    errors.add(
                        &format!("klasse_tot_{n}"),
                        format!(
                            "‘Tot’ moet minstens {} zijn, de ondergrens van deze klasse.",
                            k.van
                        ),
                    );
                } else if k.van != expected {
                    let message = if k.van > expected {
                        format!(
                            "Deze klasse moet beginnen bij {expected}: de scores {expected} tot {} vallen nu in geen enkele klasse. Zet de klassen van laag naar hoog.",
                            k.van
                        )
                    } else {
                        format!(
                            "Deze klasse moet beginnen bij {expected}: zij overlapt nu met de klasse ervoor. Zet de klassen van laag naar hoog.",
                        )
                    };
                    errors.add(&format!("klasse_van_{n}"), message);
                }
                expected = k.tot.saturating_add(1);
            }
            if errors.is_empty() && expected != MAX_SCORE + 1 {
                let n = klassen.last().map_or(1, |(n, _)| *n);
                errors.add(
                    &format!("klasse_tot_{n}"),
                    format!(
                        "De hoogste klasse moet tot en met {MAX_SCORE} lopen, de hoogste score."
                    ),
                );
            }
        }
        let mut class_names: Vec<String> =
            klassen.iter().map(|(_, k)| k.naam.to_lowercase()).collect();
        class_names.sort();
        if class_names.windows(2).any(|w| w[0] == w[1]) {
            errors.add("klassen", "Twee klassen hebben dezelfde naam.");
        }

        match combinatie {
            Some(combinatie) if errors.is_empty() => Ok(Risicomodel {
                criteria,
                combinatie,
                klassen: klassen.into_iter().map(|(_, k)| k).collect(),
            }),
            _ => Err(errors),
        }
    }
}

/// An analysis of one task field: kans, one effect score per criterion of its model, a note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Analyse {
    pub kans: Schaal,
    pub effecten: Vec<Schaal>,
    pub toelichting: String,
}

/// The analysis form as typed. Field names of errors: `kans`, `effect_N` (N counts the model's
/// criteria from 1), `toelichting`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnalyseInvoer {
    pub kans: String,
    pub effecten: Vec<String>,
    pub toelichting: String,
}

impl AnalyseInvoer {
    /// The analysis under `model`: a kans and exactly one effect score per criterion.
    pub fn validate(&self, model: &Risicomodel) -> Result<Analyse, FieldErrors> {
        let mut errors = FieldErrors::default();
        let kans = errors.check("kans", Schaal::parse(&self.kans));
        let mut effecten = Vec::new();
        for (i, _) in model.criteria.iter().enumerate() {
            let text = self.effecten.get(i).map_or("", String::as_str);
            if let Some(score) = errors.check(&format!("effect_{}", i + 1), Schaal::parse(text)) {
                effecten.push(score);
            }
        }
        if self.effecten.len() > model.criteria.len() {
            errors.add(
                "effecten",
                format!(
                    "Het risicomodel heeft {} criteria; geef voor elk criterium één score.",
                    model.criteria.len()
                ),
            );
        }
        let toelichting = errors.check(
            "toelichting",
            bounded_text(&self.toelichting, max::NOTE, Lines::Many),
        );
        match (kans, toelichting) {
            (Some(kans), Some(toelichting)) if errors.is_empty() => Ok(Analyse {
                kans,
                effecten,
                toelichting,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: u8) -> Schaal {
        Schaal::new(v).unwrap()
    }

    fn with(combinatie: Combinatie, gewichten: &[u32]) -> Risicomodel {
        let mut model = Risicomodel::standaard();
        model.combinatie = combinatie;
        model.criteria = gewichten
            .iter()
            .enumerate()
            .map(|(i, w)| Criterium {
                naam: format!("c{i}"),
                uitleg: String::new(),
                gewicht: *w,
            })
            .collect();
        model
    }

    /// Every combination of scores for `n` criteria.
    fn all_scores(n: usize) -> Vec<Vec<Schaal>> {
        let mut out = vec![vec![]];
        for _ in 0..n {
            out = out
                .into_iter()
                .flat_map(|prefix| {
                    Schaal::ALLE.into_iter().map(move |v| {
                        let mut next = prefix.clone();
                        next.push(s(v));
                        next
                    })
                })
                .collect();
        }
        out
    }

    #[test]
    fn the_default_model_is_valid() {
        let model = Risicomodel::standaard();
        assert_eq!(model.clone().check().unwrap(), model);
    }

    #[test]
    fn scales_refuse_what_is_not_one_to_five() {
        for bad in [
            "0",
            "6",
            "7",
            "-1",
            "drie",
            "",
            "2.5",
            "99999999999999999999",
        ] {
            assert!(Schaal::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(Schaal::parse(" 3 ").unwrap().get(), 3);
    }

    #[test]
    fn the_combine_rules_behave_for_every_score() {
        for weights in [[1, 1, 1], [3, 1, 0], [0, 0, 5], [100, 1, 50]] {
            let max = with(Combinatie::Maximum, &weights);
            let mean = with(Combinatie::GewogenGemiddelde, &weights);
            for scores in all_scores(3) {
                let highest = *scores.iter().max().unwrap();
                let lowest = *scores.iter().min().unwrap();
                assert_eq!(max.effect(&scores), highest);
                let m = mean.effect(&scores);
                assert!(m <= highest && m >= lowest, "{weights:?} {scores:?}");
                assert!(max.effect(&scores) >= m);
                if scores.iter().all(|x| *x == scores[0]) {
                    assert_eq!(m, scores[0]);
                }
                for kans in Schaal::ALLE {
                    for model in [&max, &mean] {
                        let u = model.uitslag(&Analyse {
                            kans: s(kans),
                            effecten: scores.clone(),
                            toelichting: String::new(),
                        });
                        assert!((1..=25).contains(&u.score));
                        assert_eq!(u.score, u.kans * u.effect);
                    }
                }
            }
        }
    }

    #[test]
    fn the_weighted_mean_rounds_half_up() {
        let model = with(Combinatie::GewogenGemiddelde, &[1, 1]);
        assert_eq!(model.effect(&[s(2), s(3)]).get(), 3);
        assert_eq!(model.effect(&[s(1), s(2)]).get(), 2);
        let model = with(Combinatie::GewogenGemiddelde, &[3, 1]);
        assert_eq!(model.effect(&[s(1), s(5)]).get(), 2);
        let zero_weight = with(Combinatie::GewogenGemiddelde, &[1, 0]);
        assert_eq!(zero_weight.effect(&[s(2), s(5)]).get(), 2);
    }

    #[test]
    fn the_default_classes_place_every_score() {
        let model = Risicomodel::standaard();
        let names: Vec<&str> = (1..=25).map(|x| model.klasse(x).1.naam.as_str()).collect();
        assert_eq!(names[0], "Laag");
        assert_eq!(names[5], "Midden");
        assert_eq!(names[11], "Hoog");
        assert_eq!(names[19], "Zeer hoog");
        assert_eq!(names[24], "Zeer hoog");
    }

    /// A later version of the model never changes the result of an analysis read with the
    /// version it was made with: the result depends on that version alone.
    #[test]
    fn a_new_version_never_changes_an_old_analysis() {
        let old = Risicomodel::standaard();
        let mut newer = old.clone();
        newer.combinatie = Combinatie::GewogenGemiddelde;
        newer.klassen[0].tot = 9;
        newer.klassen[1].van = 10;
        newer.criteria[0].gewicht = 7;
        for scores in all_scores(4).into_iter().step_by(7) {
            for kans in Schaal::ALLE {
                let analyse = Analyse {
                    kans: s(kans),
                    effecten: scores.clone(),
                    toelichting: String::new(),
                };
                let before = old.uitslag(&analyse);
                let _ = newer.uitslag(&analyse);
                // The old analysis is read with the version it was made with.
                assert_eq!(old.clone().check().unwrap().uitslag(&analyse), before);
            }
        }
    }

    fn invoer() -> RisicomodelInvoer {
        RisicomodelInvoer::from(&Risicomodel::standaard())
    }

    #[test]
    fn weights_must_be_whole_non_negative_and_not_all_zero() {
        let mut bad = invoer();
        bad.criteria[0].gewicht = "-1".into();
        bad.criteria[1].gewicht = "veel".into();
        let errors = bad.validate().unwrap_err();
        assert!(errors.get("criterium_gewicht_1").is_some());
        assert!(errors.get("criterium_gewicht_2").is_some());
        let mut zero = invoer();
        for c in &mut zero.criteria {
            c.gewicht = "0".into();
        }
        assert!(zero.validate().unwrap_err().get("criteria").is_some());
    }

    #[test]
    fn classes_must_ascend_without_gaps_and_reach_25() {
        let mut gap = invoer();
        gap.klassen[1].van = "7".into();
        assert!(gap.validate().unwrap_err().get("klasse_van_2").is_some());
        let mut overlap = invoer();
        overlap.klassen[2].van = "10".into();
        assert!(
            overlap
                .validate()
                .unwrap_err()
                .get("klasse_van_3")
                .is_some()
        );
        let mut upside = invoer();
        upside.klassen[0].tot = "0".into();
        assert!(upside.validate().unwrap_err().get("klasse_tot_1").is_some());
        let mut short = invoer();
        short.klassen[3].tot = "24".into();
        assert!(short.validate().unwrap_err().get("klasse_tot_4").is_some());
        let mut reversed = invoer();
        reversed.klassen.reverse();
        assert!(reversed.validate().is_err());
        let mut empty_row = invoer();
        empty_row.klassen.push(KlasseInvoer::default());
        assert!(empty_row.validate().is_ok());
    }

    #[test]
    fn every_problem_of_the_model_form_is_reported_at_once() {
        let mut bad = invoer();
        bad.combinatie = "gemiddeld".into();
        bad.criteria[0].naam = "a\0".into();
        bad.klassen[0].van = "x".into();
        let errors = bad.validate().unwrap_err();
        assert!(errors.get("combinatie").is_some());
        assert!(errors.get("criterium_naam_1").is_some());
        assert!(errors.get("klasse_van_1").is_some());
    }

    #[test]
    fn an_analysis_scores_every_criterion() {
        let model = Risicomodel::standaard();
        let ok = AnalyseInvoer {
            kans: "4".into(),
            effecten: vec!["2".into(), "5".into(), "1".into(), "3".into()],
            toelichting: "Veel meldingen.".into(),
        }
        .validate(&model)
        .unwrap();
        let u = model.uitslag(&ok);
        assert_eq!((u.kans, u.effect, u.score), (4, 5, 20));
        assert_eq!(u.klasse, "Zeer hoog");
        let bad = AnalyseInvoer {
            kans: "7".into(),
            effecten: vec!["0".into(), "drie".into(), String::new()],
            toelichting: String::new(),
        }
        .validate(&model)
        .unwrap_err();
        for field in ["kans", "effect_1", "effect_2", "effect_3", "effect_4"] {
            assert!(bad.get(field).is_some(), "{field}");
        }
    }
}
