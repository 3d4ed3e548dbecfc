//! VTH task fields (taakvelden): the recurring work of permits (vergunningverlening),
//! supervision (toezicht) and enforcement (handhaving), with a norm in hours per unit and, per
//! year, the planned and realised volumes. Planned hours are volume × norm and are never typed.

use crate::validation::{FieldErrors, Lines, bounded_text, max, required_text};
use crate::values::{Uren, ValueError, format_hundredths, parse_hundredths};
use serde::Serialize;

/// V, T or H: which of the three VTH tasks a task field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Discipline {
    Vergunningverlening,
    Toezicht,
    Handhaving,
}

impl Discipline {
    pub const ALL: [Discipline; 3] = [Self::Vergunningverlening, Self::Toezicht, Self::Handhaving];

    pub fn code(self) -> &'static str {
        match self {
            Self::Vergunningverlening => "V",
            Self::Toezicht => "T",
            Self::Handhaving => "H",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Vergunningverlening => "Vergunningverlening",
            Self::Toezicht => "Toezicht",
            Self::Handhaving => "Handhaving",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == code)
    }
}

/// Hours per unit of a task field, in hundredths (1,5 hours = 150). Never zero: a unit of work
/// that takes no time is a typing error, and planned hours would silently vanish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Norm(i64);

impl Norm {
    /// 1,000 hours for one unit (a large enforcement case) is the most a norm may be.
    pub const MAX_HUNDREDTHS: i64 = 100_000;

    pub fn from_hundredths(hundredths: i64) -> Result<Self, ValueError> {
        if hundredths <= 0 {
            Err(ValueError::new(
                "Een norm van 0 uur kan niet: vul in hoeveel uur één eenheid gemiddeld kost, bijvoorbeeld 1,5.",
            ))
        } else if hundredths > Self::MAX_HUNDREDTHS {
            Err(ValueError::new(
                "De norm is te groot (hoogstens 1000 uur per eenheid).",
            ))
        } else {
            Ok(Self(hundredths))
        }
    }

    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ValueError::new(
                "Vul de norm in: hoeveel uur kost één eenheid gemiddeld, bijvoorbeeld 1,5.",
            ));
        }
        if text.starts_with('-') {
            return Err(ValueError::new("Een norm kan niet negatief zijn."));
        }
        let hundredths = parse_hundredths(text).ok_or_else(|| {
            ValueError::new(
                "Vul de norm in als getal met hoogstens twee decimalen, bijvoorbeeld 1,5.",
            )
        })?;
        Self::from_hundredths(hundredths)
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }
}

impl std::fmt::Display for Norm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&format_hundredths(self.0))
    }
}

/// A number of units (applications, inspections, complaints) in a year or quarter. A
/// municipality of 57,000 inhabitants has a few thousand complaints a year at most, so more
/// than 100,000 of anything is a typing error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize)]
pub struct Aantal(i64);

impl Aantal {
    pub const MAX: i64 = 100_000;

    pub fn new(count: i64) -> Result<Self, ValueError> {
        if count < 0 {
            Err(ValueError::new("Een aantal kan niet negatief zijn."))
        } else if count > Self::MAX {
            Err(ValueError::new(format!(
                "Dit aantal is te groot (hoogstens {}).",
                Self::MAX
            )))
        } else {
            Ok(Self(count))
        }
    }

    /// What a user typed; empty is `None` (not yet known).
    pub fn parse_optional(text: &str) -> Result<Option<Self>, ValueError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let count: i64 = text
            .parse()
            .map_err(|_| ValueError::new("Vul een aantal in als heel getal, bijvoorbeeld 350."))?;
        Self::new(count).map(Some)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

/// Planned hours of a task field in a year: volume × norm, in hundredths of an hour (exact).
pub fn planned_hundredths(volume: Aantal, norm: Norm) -> i64 {
    volume.0 * norm.0
}

/// Hundredths of an hour as whole hours for display, rounded half up (150,5 → 151).
pub fn whole_hours(hundredths: i64) -> i64 {
    if hundredths >= 0 {
        (hundredths + 50) / 100
    } else {
        -((-hundredths + 50) / 100)
    }
}

/// The legal decision term in weeks; a year is the longest a term may be.
pub const TERM_MAX_WEEKS: i64 = 52;

/// What a user typed for a task field.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct TaakveldInvoer {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub discipline: String,
    #[serde(default)]
    pub lead_subteam_id: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub norm: String,
    #[serde(default)]
    pub decision_term_weeks: String,
    #[serde(default)]
    pub description: String,
}

/// A checked task field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Taakveld {
    pub code: String,
    pub name: String,
    pub discipline: Discipline,
    pub lead_subteam_id: i64,
    pub unit: String,
    pub norm: Norm,
    pub decision_term_weeks: Option<i64>,
    pub description: String,
}

impl TaakveldInvoer {
    /// Checks every field and reports all problems at once.
    pub fn validate(&self) -> Result<Taakveld, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = errors.check(
            "code",
            required_text(
                &self.code,
                max::CODE,
                "Vul een korte code in, bijvoorbeeld V-BOUW.",
            ),
        );
        let name = errors.check(
            "name",
            required_text(&self.name, max::TITLE, "Vul een naam in."),
        );
        let discipline = errors.check(
            "discipline",
            Discipline::from_code(self.discipline.trim()).ok_or_else(|| {
                ValueError::new("Kies vergunningverlening, toezicht of handhaving.")
            }),
        );
        let lead_subteam_id = errors.check(
            "lead_subteam_id",
            self.lead_subteam_id
                .trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| ValueError::new("Kies het subteam dat dit taakveld trekt.")),
        );
        let unit = errors.check(
            "unit",
            required_text(
                &self.unit,
                max::CODE * 3,
                "Vul in wat één eenheid is, bijvoorbeeld aanvraag, controle of melding.",
            ),
        );
        let norm = errors.check("norm", Norm::parse(&self.norm));
        let term = self.decision_term_weeks.trim();
        let decision_term_weeks = if term.is_empty() {
            Some(None)
        } else {
            errors.check(
                "decision_term_weeks",
                term.parse::<i64>()
                    .ok()
                    .filter(|w| (1..=TERM_MAX_WEEKS).contains(w))
                    .map(Some)
                    .ok_or_else(|| {
                        ValueError::new(format!(
                            "Vul de wettelijke termijn in als aantal weken (1 tot en met {TERM_MAX_WEEKS}), of laat het leeg als er geen termijn geldt."
                        ))
                    }),
            )
        };
        let description = errors.check(
            "description",
            bounded_text(&self.description, max::TEXT, Lines::Many),
        );
        match (
            code,
            name,
            discipline,
            lead_subteam_id,
            unit,
            norm,
            decision_term_weeks,
            description,
        ) {
            (
                Some(code),
                Some(name),
                Some(discipline),
                Some(lead_subteam_id),
                Some(unit),
                Some(norm),
                Some(decision_term_weeks),
                Some(description),
            ) if errors.is_empty() => Ok(Taakveld {
                code: code.to_uppercase(),
                name,
                discipline,
                lead_subteam_id,
                unit,
                norm,
                decision_term_weeks,
                description,
            }),
            _ => Err(errors),
        }
    }
}

/// The four quarters, for field names: `realised_volume_q1` … `realised_hours_q4`.
pub const QUARTERS: [u8; 4] = [1, 2, 3, 4];

/// What a user typed for the figures of one task field in one year. Empty realisation fields
/// mean "not yet known".
#[derive(Debug, Clone, Default)]
pub struct JaarcijfersInvoer {
    pub planned_volume: String,
    pub realised_volume: [String; 4],
    pub realised_hours: [String; 4],
    pub decided: String,
    pub decided_in_term: String,
}

/// The checked figures of one task field in one year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Jaarcijfers {
    pub planned_volume: Aantal,
    pub realised_volume: [Option<Aantal>; 4],
    pub realised_hours: [Option<Uren>; 4],
    /// Cases decided in the year, and how many of them within the legal term.
    pub decided: Option<Aantal>,
    pub decided_in_term: Option<Aantal>,
}

impl JaarcijfersInvoer {
    pub fn validate(&self) -> Result<Jaarcijfers, FieldErrors> {
        let mut errors = FieldErrors::default();
        let planned = if self.planned_volume.trim().is_empty() {
            Some(Aantal::default())
        } else {
            errors
                .check(
                    "planned_volume",
                    Aantal::parse_optional(&self.planned_volume),
                )
                .map(Option::unwrap_or_default)
        };
        let mut figures = Jaarcijfers::default();
        for (i, q) in QUARTERS.iter().enumerate() {
            if let Some(v) = errors.check(
                &format!("realised_volume_q{q}"),
                Aantal::parse_optional(&self.realised_volume[i]),
            ) {
                figures.realised_volume[i] = v;
            }
            let hours = self.realised_hours[i].trim();
            if !hours.is_empty()
                && let Some(h) = errors.check(&format!("realised_hours_q{q}"), Uren::parse(hours))
            {
                figures.realised_hours[i] = Some(h);
            }
        }
        let decided = errors.check("decided", Aantal::parse_optional(&self.decided));
        let in_term = errors.check(
            "decided_in_term",
            Aantal::parse_optional(&self.decided_in_term),
        );
        if let (Some(decided), Some(Some(in_term))) = (decided, in_term) {
            match decided {
                None => errors.add(
                    "decided",
                    "Vul ook in hoeveel zaken er in totaal zijn beslist.",
                ),
                Some(d) if in_term > d => errors.add(
                    "decided_in_term",
                    format!(
                        "Binnen de termijn beslist ({}) kan niet meer zijn dan het aantal beslissingen ({}).",
                        in_term.get(),
                        d.get()
                    ),
                ),
                Some(_) => {}
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        figures.planned_volume = planned.unwrap_or_default();
        figures.decided = decided.flatten();
        figures.decided_in_term = in_term.flatten();
        Ok(figures)
    }
}

impl Jaarcijfers {
    /// Realised volume over the quarters that were reported.
    pub fn realised_volume_total(&self) -> i64 {
        self.realised_volume.iter().flatten().map(|v| v.get()).sum()
    }

    /// Realised hours over the quarters that were reported.
    pub fn realised_hours_total(&self) -> i64 {
        self.realised_hours.iter().flatten().map(|h| h.get()).sum()
    }

    pub fn any_realised(&self) -> bool {
        self.realised_volume.iter().any(Option::is_some)
            || self.realised_hours.iter().any(Option::is_some)
    }

    /// The share decided within the legal term, in whole percent (rounded half up); `None`
    /// when nothing was decided or the numbers are not filled in.
    pub fn share_in_term(&self) -> Option<i64> {
        let decided = self.decided?.get();
        let in_term = self.decided_in_term?.get();
        (decided > 0).then(|| (in_term * 200 + decided) / (2 * decided))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task_field() -> TaakveldInvoer {
        TaakveldInvoer {
            code: "v-bouw".into(),
            name: "Omgevingsvergunning bouwen".into(),
            discipline: "V".into(),
            lead_subteam_id: "3".into(),
            unit: "aanvraag".into(),
            norm: "12,5".into(),
            decision_term_weeks: "8".into(),
            description: String::new(),
        }
    }

    #[test]
    fn a_task_field_is_checked_all_at_once() {
        let ok = task_field().validate().unwrap();
        assert_eq!(ok.code, "V-BOUW");
        assert_eq!(ok.norm.hundredths(), 1250);
        assert_eq!(ok.decision_term_weeks, Some(8));
        let bad = TaakveldInvoer {
            code: String::new(),
            discipline: "X".into(),
            lead_subteam_id: "abc".into(),
            norm: "0".into(),
            decision_term_weeks: "60".into(),
            description: "a\0b".into(),
            ..task_field()
        }
        .validate()
        .unwrap_err();
        for field in [
            "code",
            "discipline",
            "lead_subteam_id",
            "norm",
            "decision_term_weeks",
            "description",
        ] {
            assert!(bad.get(field).is_some(), "{field}");
        }
        assert!(bad.get("norm").unwrap().contains("0 uur"));
    }

    #[test]
    fn norms_refuse_zero_negative_text_and_too_many_decimals() {
        assert_eq!(Norm::parse("1,5").unwrap().hundredths(), 150);
        assert_eq!(Norm::parse("0.25").unwrap().to_string(), "0,25");
        assert!(Norm::parse("0").is_err());
        assert!(Norm::parse("0,00").is_err());
        assert!(Norm::parse("-2").unwrap_err().0.contains("negatief"));
        assert!(Norm::parse("twee").is_err());
        assert!(Norm::parse("1,555").is_err());
        assert!(Norm::parse("1001").is_err());
        assert!(Norm::parse("").is_err());
    }

    #[test]
    fn planned_hours_are_volume_times_norm() {
        let volume = Aantal::new(400).unwrap();
        let norm = Norm::parse("12,5").unwrap();
        assert_eq!(planned_hundredths(volume, norm), 500_000);
        assert_eq!(whole_hours(planned_hundredths(volume, norm)), 5_000);
        assert_eq!(whole_hours(150), 2);
        assert_eq!(whole_hours(149), 1);
        assert_eq!(whole_hours(-150), -2);
        // The largest volume times the largest norm still fits easily.
        assert!(
            planned_hundredths(
                Aantal::new(Aantal::MAX).unwrap(),
                Norm(Norm::MAX_HUNDREDTHS)
            ) < i64::MAX / 1_000
        );
    }

    #[test]
    fn year_figures_check_bounds_and_the_term() {
        let mut input = JaarcijfersInvoer {
            planned_volume: "400".into(),
            decided: "380".into(),
            decided_in_term: "361".into(),
            ..Default::default()
        };
        input.realised_volume[0] = "95".into();
        input.realised_hours[0] = "1200".into();
        let ok = input.validate().unwrap();
        assert_eq!(ok.planned_volume.get(), 400);
        assert_eq!(ok.realised_volume_total(), 95);
        assert_eq!(ok.realised_hours_total(), 1200);
        assert_eq!(ok.share_in_term(), Some(95));
        let bad = JaarcijfersInvoer {
            planned_volume: "veel".into(),
            realised_volume: ["-1".into(), "200000".into(), String::new(), String::new()],
            realised_hours: ["-5".into(), "drie".into(), String::new(), String::new()],
            decided: "10".into(),
            decided_in_term: "11".into(),
        }
        .validate()
        .unwrap_err();
        for field in [
            "planned_volume",
            "realised_volume_q1",
            "realised_volume_q2",
            "realised_hours_q1",
            "realised_hours_q2",
            "decided_in_term",
        ] {
            assert!(bad.get(field).is_some(), "{field}");
        }
        let without_total = JaarcijfersInvoer {
            decided_in_term: "3".into(),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert!(without_total.get("decided").is_some());
    }
}
