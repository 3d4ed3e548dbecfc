//! The evaluation (evaluatie) of a year's programme: how each action ended, and the figures
//! Koers computes from that. Users confirm outcomes; they never type a figure.

use crate::progress::Status;
use crate::validation::{FieldErrors, Lines, bounded_text, max};
use crate::values::ValueError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How the year ended for an action: the end-of-year word, next to the progress `Status` that is
/// reported during the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Uitkomst {
    Gerealiseerd,
    DeelsGerealiseerd,
    /// Recurring or multi-year work that goes on next year as planned.
    Doorlopend,
    /// Not finished this year; the work moves to next year's programme.
    Doorgeschoven,
    NietGerealiseerd,
    Geannuleerd,
}

impl Uitkomst {
    pub const ALL: [Uitkomst; 6] = [
        Self::Gerealiseerd,
        Self::DeelsGerealiseerd,
        Self::Doorlopend,
        Self::Doorgeschoven,
        Self::NietGerealiseerd,
        Self::Geannuleerd,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Gerealiseerd => "gerealiseerd",
            Self::DeelsGerealiseerd => "deels_gerealiseerd",
            Self::Doorlopend => "doorlopend",
            Self::Doorgeschoven => "doorgeschoven",
            Self::NietGerealiseerd => "niet_gerealiseerd",
            Self::Geannuleerd => "geannuleerd",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Gerealiseerd => "Gerealiseerd",
            Self::DeelsGerealiseerd => "Deels gerealiseerd",
            Self::Doorlopend => "Doorlopend",
            Self::Doorgeschoven => "Doorgeschoven",
            Self::NietGerealiseerd => "Niet gerealiseerd",
            Self::Geannuleerd => "Geannuleerd",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.code() == code)
    }

    /// Position in `ALL`, for tallies kept as arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Whether the user must say why: work that was planned and did not happen.
    pub fn needs_reason(self) -> bool {
        matches!(
            self,
            Self::Doorgeschoven | Self::NietGerealiseerd | Self::Geannuleerd
        )
    }

    /// Whether the action is proposed for next year's programme.
    pub fn carries_over(self) -> bool {
        matches!(
            self,
            Self::Doorgeschoven | Self::Doorlopend | Self::DeelsGerealiseerd
        )
    }

    /// The outcome suggested by the last progress report, for the user to confirm.
    pub fn suggested_by(status: Status) -> Uitkomst {
        match status {
            Status::Gerealiseerd => Self::Gerealiseerd,
            Status::Geannuleerd => Self::Geannuleerd,
            Status::OpSchema => Self::Doorlopend,
            Status::Vertraagd | Status::NietGestart => Self::Doorgeschoven,
        }
    }
}

/// What a user typed for one action's evaluation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActieEvaluatieInvoer {
    pub outcome: String,
    pub reason: String,
    pub achieved: String,
    pub lesson: String,
}

/// A validated evaluation of one action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActieEvaluatie {
    pub outcome: Uitkomst,
    /// Why the planned work did not happen; empty unless the outcome needs a reason.
    pub reason: String,
    /// What was achieved, against the intended result.
    pub achieved: String,
    pub lesson: String,
}

impl ActieEvaluatieInvoer {
    pub fn validate(&self) -> Result<ActieEvaluatie, FieldErrors> {
        let mut errors = FieldErrors::default();
        let outcome = errors.check(
            "outcome",
            Uitkomst::from_code(&self.outcome)
                .ok_or_else(|| ValueError::new("Kies hoe het jaar voor deze actie is geëindigd.")),
        );
        let reason = errors.check("reason", bounded_text(&self.reason, max::NOTE, Lines::Many));
        let achieved = errors.check(
            "achieved",
            bounded_text(&self.achieved, max::TEXT, Lines::Many),
        );
        let lesson = errors.check("lesson", bounded_text(&self.lesson, max::NOTE, Lines::Many));
        if let (Some(outcome), Some(reason)) = (outcome, reason.as_deref())
            && outcome.needs_reason()
            && reason.is_empty()
        {
            errors.add(
                "reason",
                format!(
                    "Geef een reden: bij '{}' leggen we vast waarom het geplande werk niet is gedaan.",
                    outcome.label().to_lowercase()
                ),
            );
        }
        match (outcome, reason, achieved, lesson) {
            (Some(outcome), Some(reason), Some(achieved), Some(lesson)) if errors.is_empty() => {
                Ok(ActieEvaluatie {
                    outcome,
                    reason,
                    achieved,
                    lesson,
                })
            }
            _ => Err(errors),
        }
    }
}

/// One action as the figures see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeevalueerdeActie {
    pub theme_id: i64,
    pub lead_subteam_id: i64,
    pub planned_hours: i64,
    pub spent_hours: i64,
    /// `None` while the action has not been evaluated.
    pub outcome: Option<Uitkomst>,
}

/// Counts and hours of a group of actions (a theme, a subteam, the whole programme).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Telling {
    pub actions: u32,
    /// Actions per outcome, in the order of `Uitkomst::ALL`.
    pub by_outcome: [u32; 6],
    pub unevaluated: u32,
    pub planned_hours: i64,
    pub spent_hours: i64,
}

impl Telling {
    fn add(&mut self, action: &GeevalueerdeActie) {
        self.actions += 1;
        match action.outcome {
            Some(outcome) => self.by_outcome[outcome.index()] += 1,
            None => self.unevaluated += 1,
        }
        self.planned_hours += action.planned_hours;
        self.spent_hours += action.spent_hours;
    }

    pub fn count(&self, outcome: Uitkomst) -> u32 {
        self.by_outcome[outcome.index()]
    }

    pub fn evaluated(&self) -> u32 {
        self.actions - self.unevaluated
    }

    /// Share of the actions that were realised, in whole percents (rounded half up); `None` for
    /// a group without actions.
    pub fn percent_realised(&self) -> Option<u32> {
        percent(self.count(Uitkomst::Gerealiseerd), self.actions)
    }

    /// Share of the actions that have been evaluated, in whole percents.
    pub fn percent_evaluated(&self) -> Option<u32> {
        percent(self.evaluated(), self.actions)
    }

    /// Hours spent as a share of hours planned, in whole percents.
    pub fn percent_hours_spent(&self) -> Option<u32> {
        u32::try_from(self.planned_hours)
            .ok()
            .zip(u32::try_from(self.spent_hours).ok())
            .and_then(|(planned, spent)| percent(spent, planned))
    }
}

/// `part` of `whole` in whole percents, rounded half up; `None` when `whole` is zero.
pub fn percent(part: u32, whole: u32) -> Option<u32> {
    (whole > 0).then(|| {
        let (part, whole) = (u64::from(part), u64::from(whole));
        // Rounded half up, in integers so that 1 of 8 is 13 %, as people round it.
        u32::try_from((part * 200 + whole) / (whole * 2)).unwrap_or(u32::MAX)
    })
}

/// The figures of an evaluation, computed from its actions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Kengetallen {
    pub total: Telling,
    pub per_theme: BTreeMap<i64, Telling>,
    /// Per lead subteam: the action hours are counted for the subteam that leads the action.
    pub per_subteam: BTreeMap<i64, Telling>,
}

impl Kengetallen {
    pub fn of<'a>(actions: impl IntoIterator<Item = &'a GeevalueerdeActie>) -> Self {
        let mut figures = Self::default();
        for action in actions {
            figures.total.add(action);
            figures
                .per_theme
                .entry(action.theme_id)
                .or_default()
                .add(action);
            figures
                .per_subteam
                .entry(action.lead_subteam_id)
                .or_default()
                .add(action);
        }
        figures
    }

    /// Whether every action has an outcome, so the evaluation can be offered for adoption.
    pub fn is_complete(&self) -> bool {
        self.total.unevaluated == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(theme: i64, subteam: i64, outcome: Option<Uitkomst>) -> GeevalueerdeActie {
        GeevalueerdeActie {
            theme_id: theme,
            lead_subteam_id: subteam,
            planned_hours: 40,
            spent_hours: 30,
            outcome,
        }
    }

    #[test]
    fn a_reason_is_required_where_planned_work_did_not_happen() {
        for outcome in Uitkomst::ALL {
            let input = ActieEvaluatieInvoer {
                outcome: outcome.code().into(),
                ..Default::default()
            };
            assert_eq!(
                input.validate().is_err(),
                outcome.needs_reason(),
                "{outcome:?}"
            );
        }
        let input = ActieEvaluatieInvoer {
            outcome: "geannuleerd".into(),
            reason: "  Landelijke regeling vervallen. ".into(),
            ..Default::default()
        };
        assert_eq!(
            input.validate().unwrap().reason,
            "Landelijke regeling vervallen."
        );
        let input = ActieEvaluatieInvoer {
            outcome: "misschien".into(),
            lesson: "a\0".into(),
            ..Default::default()
        };
        let errors = input.validate().unwrap_err();
        assert!(errors.get("outcome").is_some() && errors.get("lesson").is_some());
    }

    #[test]
    fn outcomes_suggested_by_progress() {
        assert_eq!(
            Uitkomst::suggested_by(Status::Vertraagd),
            Uitkomst::Doorgeschoven
        );
        assert_eq!(
            Uitkomst::suggested_by(Status::OpSchema),
            Uitkomst::Doorlopend
        );
        for outcome in Uitkomst::ALL {
            assert_eq!(Uitkomst::from_code(outcome.code()), Some(outcome));
            assert_eq!(Uitkomst::ALL[outcome.index()], outcome);
        }
    }

    #[test]
    fn figures_add_up() {
        let actions = [
            action(1, 10, Some(Uitkomst::Gerealiseerd)),
            action(1, 11, Some(Uitkomst::Doorgeschoven)),
            action(2, 10, None),
            action(2, 10, Some(Uitkomst::Gerealiseerd)),
            action(3, 11, Some(Uitkomst::Geannuleerd)),
        ];
        let figures = Kengetallen::of(&actions);
        assert_eq!(figures.total.actions, 5);
        assert_eq!(figures.total.count(Uitkomst::Gerealiseerd), 2);
        assert_eq!(figures.total.unevaluated, 1);
        assert_eq!(figures.total.percent_realised(), Some(40));
        assert_eq!(figures.total.percent_evaluated(), Some(80));
        assert_eq!(figures.total.percent_hours_spent(), Some(75));
        assert!(!figures.is_complete());
        for groups in [&figures.per_theme, &figures.per_subteam] {
            let actions: u32 = groups.values().map(|t| t.actions).sum();
            let planned: i64 = groups.values().map(|t| t.planned_hours).sum();
            let spent: i64 = groups.values().map(|t| t.spent_hours).sum();
            assert_eq!(actions, figures.total.actions);
            assert_eq!(planned, figures.total.planned_hours);
            assert_eq!(spent, figures.total.spent_hours);
            for outcome in Uitkomst::ALL {
                let n: u32 = groups.values().map(|t| t.count(outcome)).sum();
                assert_eq!(n, figures.total.count(outcome));
            }
        }
        assert_eq!(Telling::default().percent_realised(), None);
        assert_eq!(percent(1, 8), Some(13));
        assert_eq!(percent(1, 3), Some(33));
        assert_eq!(percent(2, 3), Some(67));
    }
}
