//! Adoption (vaststelling) of a programme or an evaluation: the college adopts it, then the
//! council is informed. The same four steps hold for both documents.

use crate::validation::{FieldErrors, Lines, bounded_text, max, parse_date, required_text};
use crate::values::ValueError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// Where a programme or evaluation is on its way to the council.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vaststelling {
    /// Being written; anyone who may edit the plan changes it.
    Concept,
    /// Offered to the college for adoption.
    TerVaststelling,
    /// Adopted by the college (decision date and reference); a frozen version exists.
    Vastgesteld,
    /// Sent to the council for information (letter number and date).
    TerKennisname,
}

/// A step a beleidsadviseur or beheerder can take from a given status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stap {
    /// Concept → ter vaststelling; also how an adopted document is offered again after changes.
    AanbiedenTerVaststelling,
    /// Ter vaststelling → concept: the college sent it back, or it was offered too early.
    TerugNaarConcept,
    /// Ter vaststelling → vastgesteld, with the college's decision.
    Vaststellen,
    /// Vastgesteld → ter kennisname, with the council letter.
    AanDeRaad,
}

impl Vaststelling {
    pub const ALL: [Vaststelling; 4] = [
        Self::Concept,
        Self::TerVaststelling,
        Self::Vastgesteld,
        Self::TerKennisname,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Concept => "concept",
            Self::TerVaststelling => "ter_vaststelling",
            Self::Vastgesteld => "vastgesteld",
            Self::TerKennisname => "ter_kennisname",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Concept => "Concept",
            Self::TerVaststelling => "Ter vaststelling",
            Self::Vastgesteld => "Vastgesteld door het college",
            Self::TerKennisname => "Ter kennisname aan de raad",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the college has adopted a version (which then is frozen).
    pub fn is_adopted(self) -> bool {
        matches!(self, Self::Vastgesteld | Self::TerKennisname)
    }

    /// The steps that may follow this status, in the order a user would take them.
    pub fn next_steps(self) -> &'static [Stap] {
        match self {
            Self::Concept => &[Stap::AanbiedenTerVaststelling],
            Self::TerVaststelling => &[Stap::Vaststellen, Stap::TerugNaarConcept],
            Self::Vastgesteld => &[Stap::AanDeRaad, Stap::AanbiedenTerVaststelling],
            Self::TerKennisname => &[Stap::AanbiedenTerVaststelling],
        }
    }

    /// The status after `step`, or `None` when the step cannot be taken from here.
    pub fn after(self, step: Stap) -> Option<Vaststelling> {
        self.next_steps().contains(&step).then_some(match step {
            Stap::AanbiedenTerVaststelling => Self::TerVaststelling,
            Stap::TerugNaarConcept => Self::Concept,
            Stap::Vaststellen => Self::Vastgesteld,
            Stap::AanDeRaad => Self::TerKennisname,
        })
    }
}

impl Stap {
    pub const ALL: [Stap; 4] = [
        Self::AanbiedenTerVaststelling,
        Self::TerugNaarConcept,
        Self::Vaststellen,
        Self::AanDeRaad,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::AanbiedenTerVaststelling => "aanbieden",
            Self::TerugNaarConcept => "terug_naar_concept",
            Self::Vaststellen => "vaststellen",
            Self::AanDeRaad => "aan_de_raad",
        }
    }

    /// The words on the button.
    pub fn label(self) -> &'static str {
        match self {
            Self::AanbiedenTerVaststelling => "Aanbieden ter vaststelling",
            Self::TerugNaarConcept => "Terug naar concept",
            Self::Vaststellen => "Vaststelling door het college vastleggen",
            Self::AanDeRaad => "Verzending aan de raad vastleggen",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What a user typed for the college's decision.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BesluitInvoer {
    pub decided_on: String,
    pub decision_reference: String,
}

/// The college's decision to adopt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Besluit {
    pub decided_on: NaiveDate,
    pub decision_reference: String,
}

impl BesluitInvoer {
    pub fn validate(&self, today: NaiveDate) -> Result<Besluit, FieldErrors> {
        let mut errors = FieldErrors::default();
        let decided_on = errors.check(
            "decided_on",
            past_date(&self.decided_on, today, "het besluit"),
        );
        let decision_reference = errors.check(
            "decision_reference",
            required_text(
                &self.decision_reference,
                max::REFERENCE,
                "Vul het kenmerk van het collegebesluit in.",
            ),
        );
        match (decided_on, decision_reference) {
            (Some(decided_on), Some(decision_reference)) => Ok(Besluit {
                decided_on,
                decision_reference,
            }),
            _ => Err(errors),
        }
    }
}

/// What a user typed for the letter that informs the council.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RaadsbriefInvoer {
    pub letter_number: String,
    pub letter_date: String,
}

/// The council information letter that sent the adopted document to the council.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Raadsbrief {
    pub letter_number: String,
    pub letter_date: NaiveDate,
}

impl RaadsbriefInvoer {
    /// The letter goes out on or after the college's decision of `decided_on`.
    pub fn validate(
        &self,
        today: NaiveDate,
        decided_on: NaiveDate,
    ) -> Result<Raadsbrief, FieldErrors> {
        let mut errors = FieldErrors::default();
        let letter_number = errors.check(
            "letter_number",
            required_text(
                &self.letter_number,
                max::REFERENCE,
                "Vul het nummer van de raadsinformatiebrief in, bijvoorbeeld 2024-007143.",
            ),
        );
        let letter_date = errors.check(
            "letter_date",
            past_date(&self.letter_date, today, "de brief").and_then(|date| {
                if date < decided_on {
                    Err(ValueError::new(format!(
                        "De brief kan niet van vóór het collegebesluit van {} zijn.",
                        decided_on.format("%d-%m-%Y")
                    )))
                } else {
                    Ok(date)
                }
            }),
        );
        match (letter_number, letter_date) {
            (Some(letter_number), Some(letter_date)) => Ok(Raadsbrief {
                letter_number,
                letter_date,
            }),
            _ => Err(errors),
        }
    }
}

/// A date that has happened: a decision or a letter is recorded after the fact.
fn past_date(text: &str, today: NaiveDate, what: &str) -> Result<NaiveDate, ValueError> {
    let text = bounded_text(text, max::FILTER, Lines::One)?;
    if text.is_empty() {
        return Err(ValueError::new(format!("Vul de datum van {what} in.")));
    }
    let date = parse_date(&text)?;
    if date > today {
        return Err(ValueError::new(format!(
            "De datum van {what} kan niet in de toekomst liggen."
        )));
    }
    if date.year() < 2000 {
        return Err(ValueError::new("Vul een datum na 1 januari 2000 in."));
    }
    Ok(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 3, 1).unwrap()
    }

    #[test]
    fn the_steps_follow_the_road_to_the_council() {
        use Vaststelling::*;
        assert_eq!(Concept.after(Stap::Vaststellen), None);
        assert_eq!(
            Concept.after(Stap::AanbiedenTerVaststelling),
            Some(TerVaststelling)
        );
        assert_eq!(TerVaststelling.after(Stap::Vaststellen), Some(Vastgesteld));
        assert_eq!(TerVaststelling.after(Stap::TerugNaarConcept), Some(Concept));
        assert_eq!(Vastgesteld.after(Stap::AanDeRaad), Some(TerKennisname));
        assert_eq!(
            TerKennisname.after(Stap::AanbiedenTerVaststelling),
            Some(TerVaststelling)
        );
        assert_eq!(TerKennisname.after(Stap::AanDeRaad), None);
        for status in Vaststelling::ALL {
            assert_eq!(Vaststelling::from_code(status.code()), Some(status));
        }
        for step in Stap::ALL {
            assert_eq!(Stap::from_code(step.code()), Some(step));
        }
    }

    #[test]
    fn a_decision_has_a_past_date_and_a_reference() {
        let besluit = BesluitInvoer {
            decided_on: "13-02-2024".into(),
            decision_reference: " B&W 2024/0213 ".into(),
        }
        .validate(today())
        .unwrap();
        assert_eq!(
            besluit.decided_on,
            NaiveDate::from_ymd_opt(2024, 2, 13).unwrap()
        );
        assert_eq!(besluit.decision_reference, "B&W 2024/0213");

        let errors = BesluitInvoer {
            decided_on: "2024-03-02".into(),
            decision_reference: "".into(),
        }
        .validate(today())
        .unwrap_err();
        assert!(errors.get("decided_on").unwrap().contains("toekomst"));
        assert!(errors.get("decision_reference").is_some());
        let errors = BesluitInvoer {
            decided_on: "31-02-2024\0".into(),
            decision_reference: "x".into(),
        }
        .validate(today())
        .unwrap_err();
        assert!(errors.get("decided_on").is_some());
    }

    #[test]
    fn the_letter_follows_the_decision() {
        let decided = NaiveDate::from_ymd_opt(2024, 2, 13).unwrap();
        let letter = RaadsbriefInvoer {
            letter_number: "2024-007143".into(),
            letter_date: "27-02-2024".into(),
        };
        assert_eq!(
            letter.validate(today(), decided).unwrap().letter_number,
            "2024-007143"
        );
        let early = RaadsbriefInvoer {
            letter_date: "12-02-2024".into(),
            ..letter
        };
        assert!(
            early
                .validate(today(), decided)
                .unwrap_err()
                .get("letter_date")
                .unwrap()
                .contains("collegebesluit")
        );
    }
}
