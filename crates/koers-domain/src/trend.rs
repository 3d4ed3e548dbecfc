//! Figures across years (F21): per year, and per theme within it, the number of actions, the
//! share realised and the hours planned and spent. An action counts as realised by its
//! evaluation's outcome once it has one, and by its last reported status before that.

use crate::evaluation::{Uitkomst, percent};
use crate::progress::Status;
use serde::Serialize;
use std::collections::BTreeMap;

/// One action as the trends see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendActie {
    pub theme_id: i64,
    pub status: Status,
    pub outcome: Option<Uitkomst>,
    pub planned_hours: i64,
    pub spent_hours: i64,
}

impl TrendActie {
    pub fn realised(&self) -> bool {
        match self.outcome {
            Some(outcome) => outcome == Uitkomst::Gerealiseerd,
            None => self.status == Status::Gerealiseerd,
        }
    }
}

/// The figures of a group of actions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Cijfers {
    pub actions: u32,
    pub realised: u32,
    /// How many of the actions have an evaluation outcome.
    pub evaluated: u32,
    pub planned_hours: i64,
    pub spent_hours: i64,
}

impl Cijfers {
    fn add(&mut self, action: &TrendActie) {
        self.actions += 1;
        self.realised += u32::from(action.realised());
        self.evaluated += u32::from(action.outcome.is_some());
        self.planned_hours = self.planned_hours.saturating_add(action.planned_hours);
        self.spent_hours = self.spent_hours.saturating_add(action.spent_hours);
    }

    /// The share realised in whole percents (rounded half up); `None` without actions.
    pub fn percent_realised(&self) -> Option<u32> {
        percent(self.realised, self.actions)
    }
}

/// The figures of one year: in total and per theme id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct JaarCijfers {
    pub total: Cijfers,
    pub per_theme: BTreeMap<i64, Cijfers>,
}

impl JaarCijfers {
    pub fn of<'a>(actions: impl IntoIterator<Item = &'a TrendActie>) -> Self {
        let mut cijfers = Self::default();
        for action in actions {
            cijfers.total.add(action);
            cijfers
                .per_theme
                .entry(action.theme_id)
                .or_default()
                .add(action);
        }
        cijfers
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actie(theme_id: i64, status: Status, outcome: Option<Uitkomst>) -> TrendActie {
        TrendActie {
            theme_id,
            status,
            outcome,
            planned_hours: 40,
            spent_hours: 30,
        }
    }

    #[test]
    fn the_outcome_decides_once_there_is_one_and_the_status_before() {
        assert!(actie(1, Status::OpSchema, Some(Uitkomst::Gerealiseerd)).realised());
        assert!(!actie(1, Status::Gerealiseerd, Some(Uitkomst::DeelsGerealiseerd)).realised());
        assert!(actie(1, Status::Gerealiseerd, None).realised());
        assert!(!actie(1, Status::Vertraagd, None).realised());
    }

    #[test]
    fn themes_add_up_to_the_year() {
        let acties = [
            actie(1, Status::Gerealiseerd, None),
            actie(1, Status::OpSchema, None),
            actie(2, Status::Vertraagd, Some(Uitkomst::Gerealiseerd)),
            actie(2, Status::Vertraagd, Some(Uitkomst::Doorgeschoven)),
            actie(3, Status::NietGestart, None),
        ];
        let jaar = JaarCijfers::of(&acties);
        assert_eq!(jaar.total.actions, 5);
        assert_eq!(jaar.total.realised, 2);
        assert_eq!(jaar.total.evaluated, 2);
        assert_eq!(jaar.total.percent_realised(), Some(40));
        assert_eq!(jaar.per_theme[&2].percent_realised(), Some(50));
        let som = jaar
            .per_theme
            .values()
            .fold(Cijfers::default(), |mut s, c| {
                s.actions += c.actions;
                s.realised += c.realised;
                s.evaluated += c.evaluated;
                s.planned_hours += c.planned_hours;
                s.spent_hours += c.spent_hours;
                s
            });
        assert_eq!(som, jaar.total);
        assert_eq!(JaarCijfers::of(&[]).total.percent_realised(), None);
    }
}
