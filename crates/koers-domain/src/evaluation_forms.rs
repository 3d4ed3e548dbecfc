//! What users type in an evaluation besides the outcome of an action: the programme's texts, a
//! conclusion per theme, attention points for next year and how last year's went, and a
//! correction of the hours spent on an action.

use crate::validation::{FieldErrors, Lines, bounded_text, max};
use crate::values::{Uren, ValueError};
use serde::{Deserialize, Serialize};

/// The texts of the evaluation as a whole.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvaluatieTekstenInvoer {
    pub conclusions: String,
    pub trends: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvaluatieTeksten {
    pub conclusions: String,
    pub trends: String,
}

impl EvaluatieTekstenInvoer {
    pub fn validate(&self) -> Result<EvaluatieTeksten, FieldErrors> {
        let mut errors = FieldErrors::default();
        let conclusions = errors.check(
            "conclusions",
            bounded_text(&self.conclusions, max::PLAN_TEXT, Lines::Many),
        );
        let trends = errors.check(
            "trends",
            bounded_text(&self.trends, max::PLAN_TEXT, Lines::Many),
        );
        match (conclusions, trends) {
            (Some(conclusions), Some(trends)) => Ok(EvaluatieTeksten {
                conclusions,
                trends,
            }),
            _ => Err(errors),
        }
    }
}

/// The conclusion about one theme; may be empty (not written yet).
pub fn thema_conclusie(text: &str) -> Result<String, FieldErrors> {
    bounded_text(text, max::TEXT, Lines::Many).map_err(|e| FieldErrors::single("conclusion", e.0))
}

/// An attention point for next year: a short text that must say something.
pub fn aandachtspunt(text: &str) -> Result<String, FieldErrors> {
    let text =
        bounded_text(text, max::NOTE, Lines::Many).map_err(|e| FieldErrors::single("text", e.0))?;
    if text.is_empty() {
        return Err(FieldErrors::single(
            "text",
            "Schrijf op waar u volgend jaar op wilt letten.",
        ));
    }
    Ok(text)
}

/// How last year's attention point went; may be empty (not answered yet).
pub fn vervolg(text: &str) -> Result<String, FieldErrors> {
    bounded_text(text, max::NOTE, Lines::Many).map_err(|e| FieldErrors::single("follow_up", e.0))
}

/// The longest reason a correction of hours takes; the note it becomes carries a short prefix
/// and stays within a progress note's length.
pub const CORRECTION_REASON_MAX: usize = max::NOTE - 50;

/// What a user typed to correct the hours spent on an action.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UrenCorrectieInvoer {
    pub hours: String,
    pub reason: String,
}

/// A correction of the hours spent: a whole number of hours to add (negative to take off) and
/// why. It is stored as a new progress entry, so the history keeps both the error and its fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UrenCorrectie {
    pub hours: i64,
    pub reason: String,
}

impl UrenCorrectieInvoer {
    pub fn validate(&self) -> Result<UrenCorrectie, FieldErrors> {
        let mut errors = FieldErrors::default();
        let hours = errors.check("hours", parse_correction(&self.hours));
        let reason = errors.check(
            "reason",
            bounded_text(&self.reason, CORRECTION_REASON_MAX, Lines::Many).and_then(|r| {
                if r.is_empty() {
                    Err(ValueError::new(
                        "Geef een reden: waarom klopte het aantal bestede uren niet?",
                    ))
                } else {
                    Ok(r)
                }
            }),
        );
        match (hours, reason) {
            (Some(hours), Some(reason)) => Ok(UrenCorrectie { hours, reason }),
            _ => Err(errors),
        }
    }
}

fn parse_correction(text: &str) -> Result<i64, ValueError> {
    let text = text.trim();
    let hours: i64 = text.parse().map_err(|_| {
        ValueError::new("Vul het aantal uren in als heel getal, bijvoorbeeld 8 of -8.")
    })?;
    if hours == 0 {
        return Err(ValueError::new(
            "Een correctie van 0 uur verandert niets. Vul bijvoorbeeld 8 of -8 in.",
        ));
    }
    if hours.unsigned_abs() > Uren::MAX.unsigned_abs() {
        return Err(ValueError::new(format!(
            "De correctie is te groot (hoogstens {} uur erbij of eraf).",
            Uren::MAX
        )));
    }
    Ok(hours)
}

impl UrenCorrectie {
    /// The hours spent after this correction, when `spent` were recorded before. A correction
    /// never makes the total negative: nobody spends fewer than zero hours.
    pub fn total_after(&self, spent: i64) -> Result<i64, FieldErrors> {
        let total = spent + self.hours;
        if total < 0 {
            return Err(FieldErrors::single(
                "hours",
                format!(
                    "Er zijn tot nu toe {spent} uur geboekt; u kunt er hoogstens {spent} af halen."
                ),
            ));
        }
        if total > Uren::MAX * 10 {
            return Err(FieldErrors::single(
                "hours",
                "Zoveel uren op één actie kan niet kloppen. Controleer het getal.",
            ));
        }
        Ok(total)
    }

    /// The note of the progress entry that records the correction.
    pub fn note(&self) -> String {
        format!("Correctie uren: {}", self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn correction(hours: &str, reason: &str) -> Result<UrenCorrectie, FieldErrors> {
        UrenCorrectieInvoer {
            hours: hours.into(),
            reason: reason.into(),
        }
        .validate()
    }

    #[test]
    fn a_correction_has_hours_and_a_reason() {
        let c = correction(" -8 ", " Dubbel geboekt ").unwrap();
        assert_eq!(c.hours, -8);
        assert_eq!(c.note(), "Correctie uren: Dubbel geboekt");
        let errors = correction("0", "").unwrap_err();
        assert!(errors.get("hours").is_some() && errors.get("reason").is_some());
        assert!(correction("1,5", "x").unwrap_err().get("hours").is_some());
        assert!(correction("100001", "x").is_err());
        assert!(correction("-100000", "x").is_ok());
        assert!(correction("99999999999999999999", "x").is_err());
        assert!(correction("-9223372036854775808", "x").is_err());
        assert!(correction("4", "a\0b").unwrap_err().get("reason").is_some());
        assert!(correction("4", &"x".repeat(CORRECTION_REASON_MAX + 1)).is_err());
    }

    #[test]
    fn a_correction_never_makes_the_total_negative() {
        let c = correction("-8", "te veel geboekt").unwrap();
        assert_eq!(c.total_after(8), Ok(0));
        assert_eq!(c.total_after(20), Ok(12));
        let errors = c.total_after(5).unwrap_err();
        assert!(errors.get("hours").unwrap().contains("hoogstens 5"));
        assert_eq!(correction("3", "vergeten").unwrap().total_after(0), Ok(3));
    }

    #[test]
    fn texts_are_bounded() {
        assert!(aandachtspunt("  ").is_err());
        assert_eq!(
            aandachtspunt(" Capaciteit afstemmen ").unwrap(),
            "Capaciteit afstemmen"
        );
        assert!(aandachtspunt("a\u{1b}").is_err());
        assert_eq!(vervolg("").unwrap(), "");
        assert!(thema_conclusie(&"x".repeat(max::TEXT + 1)).is_err());
        let errors = EvaluatieTekstenInvoer {
            conclusions: "a\0".into(),
            trends: "Meer ondermijning".into(),
        }
        .validate()
        .unwrap_err();
        assert!(errors.get("conclusions").is_some() && errors.get("trends").is_none());
    }
}
