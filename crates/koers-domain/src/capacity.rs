//! Capacity per subteam and year (domain.md §1.5): available hours = FTE × productive hours per
//! FTE, minus the overhead share; demand = the planned hours of the task fields the subteam
//! leads plus its part of the actions' planned hours. All sums are in hundredths of an hour, so
//! they are exact and the parts always add up to the totals.

use crate::values::{Fte, Uren, ValueError};
use serde::Serialize;
use std::collections::BTreeMap;

/// The organisation's capacity settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Instellingen {
    /// Hours one FTE works on the team's tasks in a year, before overhead.
    pub productive_hours_per_fte: i64,
    /// Part of the productive hours that goes to overhead (meetings, training, management), in
    /// whole percent.
    pub overhead_percent: i64,
}

impl Default for Instellingen {
    fn default() -> Self {
        Self {
            productive_hours_per_fte: 1_300,
            overhead_percent: 0,
        }
    }
}

impl Instellingen {
    pub const HOURS_MAX: i64 = 2_000;
    pub const OVERHEAD_MAX: i64 = 90;

    /// Parses what a beheerder typed; every problem at once, under the field's name.
    pub fn parse(hours: &str, overhead: &str) -> Result<Self, crate::FieldErrors> {
        let mut errors = crate::FieldErrors::default();
        let hours = errors.check(
            "productive_hours_per_fte",
            whole_number(
                hours,
                "Vul het aantal productieve uren per fte in als heel getal, bijvoorbeeld 1300.",
            )
            .and_then(|h| {
                if (1..=Self::HOURS_MAX).contains(&h) {
                    Ok(h)
                } else {
                    Err(ValueError::new(format!(
                        "Vul een aantal uren per fte in tussen 1 en {}.",
                        Self::HOURS_MAX
                    )))
                }
            }),
        );
        let overhead = errors.check(
            "overhead_percent",
            whole_number(
                overhead,
                "Vul de overhead in als heel percentage, bijvoorbeeld 15.",
            )
            .and_then(|p| {
                if (0..=Self::OVERHEAD_MAX).contains(&p) {
                    Ok(p)
                } else {
                    Err(ValueError::new(format!(
                        "Vul een overhead in tussen 0 en {} procent.",
                        Self::OVERHEAD_MAX
                    )))
                }
            }),
        );
        match (hours, overhead) {
            (Some(productive_hours_per_fte), Some(overhead_percent)) => Ok(Self {
                productive_hours_per_fte,
                overhead_percent,
            }),
            _ => Err(errors),
        }
    }

    /// Hours available for the team's tasks, in hundredths of an hour: FTE × productive hours
    /// × (100 − overhead) / 100, rounded down to the hundredth.
    pub fn available_hundredths(self, fte: Fte) -> i64 {
        fte.hundredths() * self.productive_hours_per_fte * (100 - self.overhead_percent) / 100
    }
}

fn whole_number(text: &str, message: &str) -> Result<i64, ValueError> {
    let text = text.trim();
    if text.is_empty() || !text.chars().all(|c| c.is_ascii_digit()) || text.len() > 9 {
        if text.starts_with('-') {
            return Err(ValueError::new("Dit getal kan niet negatief zijn."));
        }
        return Err(ValueError::new(message));
    }
    text.parse().map_err(|_| ValueError::new(message))
}

/// How much of an action a contributing subteam takes, in whole percent of its planned hours.
pub fn parse_share(text: &str) -> Result<i64, ValueError> {
    let text = text.trim().trim_end_matches('%').trim();
    if text.is_empty() {
        return Ok(0);
    }
    let share = whole_number(
        text,
        "Vul een aandeel in als heel percentage, bijvoorbeeld 25.",
    )?;
    if share > 100 {
        return Err(ValueError::new("Een aandeel is hoogstens 100 procent."));
    }
    Ok(share)
}

/// Splits an action's hours over its lead subteam and the contributing subteams that state a
/// share. Rounding rule: each contributing subteam gets its share of the hours rounded down to
/// whole hours; the lead subteam keeps the rest. So the parts always add up to `hours`, and the
/// lead never gets less than its own share. Shares that add up to more than 100 are refused
/// before they get here; should they arrive anyway, contributions stop once the hours are used.
pub fn split(hours: i64, lead: i64, shares: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut parts = Vec::with_capacity(shares.len() + 1);
    let mut left = hours;
    for (subteam, percent) in shares {
        let part = (hours * (*percent).clamp(0, 100) / 100).min(left);
        if *subteam != lead && part > 0 {
            parts.push((*subteam, part));
            left -= part;
        }
    }
    parts.insert(0, (lead, left));
    parts
}

/// Checks the shares an action states: each 0–100 and together at most 100 percent.
pub fn check_shares(shares: &[(i64, i64)]) -> Result<(), ValueError> {
    let total: i64 = shares.iter().map(|(_, p)| *p).sum();
    if shares.iter().any(|(_, p)| !(0..=100).contains(p)) || total > 100 {
        return Err(ValueError::new(format!(
            "De aandelen van de bijdragende subteams zijn samen {total} procent; dat mag hoogstens 100 zijn. De rest gaat naar de trekker."
        )));
    }
    Ok(())
}

/// One action as the capacity calculation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActieUren {
    pub theme_id: i64,
    pub lead_subteam_id: i64,
    /// (subteam, percent) of the contributing subteams that take a share.
    pub shares: Vec<(i64, i64)>,
    pub planned: Uren,
    pub spent: i64,
}

/// One task field in a year as the capacity calculation needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaakveldUren {
    pub lead_subteam_id: i64,
    /// Volume × norm, in hundredths of an hour.
    pub planned_hundredths: i64,
    /// Realised hours, whole.
    pub realised_hours: i64,
}

/// A line of the capacity table; every amount in hundredths of an hour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Regel {
    pub available: i64,
    pub task_fields: i64,
    pub actions: i64,
    pub realised_task_fields: i64,
    pub realised_actions: i64,
}

/// How full a subteam is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Bezetting {
    /// More than 5% of the available hours left.
    Ruim,
    /// At most 5% left, not over.
    Krap,
    /// More demand than hours available.
    Tekort,
}

impl Bezetting {
    pub fn label(self) -> &'static str {
        match self {
            Self::Ruim => "Past",
            Self::Krap => "Krap",
            Self::Tekort => "Tekort",
        }
    }
}

impl Regel {
    pub fn demand(&self) -> i64 {
        self.task_fields + self.actions
    }

    /// Available minus demand: negative is a shortage.
    pub fn balance(&self) -> i64 {
        self.available - self.demand()
    }

    pub fn realised(&self) -> i64 {
        self.realised_task_fields + self.realised_actions
    }

    /// Demand as a whole percentage of the available hours (rounded down); `None` without
    /// available hours.
    pub fn percent_used(&self) -> Option<i64> {
        (self.available > 0).then(|| self.demand() * 100 / self.available)
    }

    pub fn bezetting(&self) -> Bezetting {
        if self.balance() < 0 {
            Bezetting::Tekort
        } else if self.balance() * 20 <= self.available {
            Bezetting::Krap
        } else {
            Bezetting::Ruim
        }
    }

    fn add(&mut self, other: &Regel) {
        self.available += other.available;
        self.task_fields += other.task_fields;
        self.actions += other.actions;
        self.realised_task_fields += other.realised_task_fields;
        self.realised_actions += other.realised_actions;
    }
}

/// The capacity of a programme year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Capaciteit {
    /// Per subteam id: every subteam with FTE or with work.
    pub subteams: BTreeMap<i64, Regel>,
    /// Planned action hours per theme id, in hundredths of an hour.
    pub themes: BTreeMap<i64, i64>,
    pub total: Regel,
}

impl Capaciteit {
    /// `fte` per subteam id for the year; task fields and actions of that year.
    pub fn of(
        settings: Instellingen,
        fte: &[(i64, Fte)],
        task_fields: &[TaakveldUren],
        actions: &[ActieUren],
    ) -> Self {
        let mut subteams: BTreeMap<i64, Regel> = BTreeMap::new();
        for (subteam, fte) in fte {
            subteams.entry(*subteam).or_default().available += settings.available_hundredths(*fte);
        }
        for task_field in task_fields {
            let line = subteams.entry(task_field.lead_subteam_id).or_default();
            line.task_fields += task_field.planned_hundredths;
            line.realised_task_fields += task_field.realised_hours * 100;
        }
        let mut themes: BTreeMap<i64, i64> = BTreeMap::new();
        for action in actions {
            *themes.entry(action.theme_id).or_default() += action.planned.get() * 100;
            for (subteam, hours) in
                split(action.planned.get(), action.lead_subteam_id, &action.shares)
            {
                subteams.entry(subteam).or_default().actions += hours * 100;
            }
            for (subteam, hours) in split(action.spent, action.lead_subteam_id, &action.shares) {
                subteams.entry(subteam).or_default().realised_actions += hours * 100;
            }
        }
        let mut total = Regel::default();
        for line in subteams.values() {
            total.add(line);
        }
        Self {
            subteams,
            themes,
            total,
        }
    }

    /// A theme's share of all planned action hours, in whole percent (rounded half up).
    pub fn theme_percent(&self, theme_id: i64) -> i64 {
        let all = self.total.actions;
        let hours = self.themes.get(&theme_id).copied().unwrap_or_default();
        if all == 0 {
            0
        } else {
            (hours * 200 + all) / (2 * all)
        }
    }

    /// The subteams whose demand exceeds their available hours.
    pub fn short(&self) -> Vec<(i64, Regel)> {
        self.subteams
            .iter()
            .filter(|(_, line)| line.bezetting() == Bezetting::Tekort)
            .map(|(id, line)| (*id, *line))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fte(text: &str) -> Fte {
        Fte::parse(text).unwrap()
    }

    #[test]
    fn available_hours_follow_the_formula() {
        let settings = Instellingen {
            productive_hours_per_fte: 1_300,
            overhead_percent: 15,
        };
        // 4,5 FTE × 1300 = 5850 hours, minus 15% = 4972,5 hours.
        assert_eq!(settings.available_hundredths(fte("4,5")), 497_250);
        assert_eq!(
            Instellingen::default().available_hundredths(fte("1")),
            130_000
        );
    }

    #[test]
    fn settings_are_parsed_with_every_error_at_once() {
        assert_eq!(
            Instellingen::parse("1300", "15").unwrap(),
            Instellingen {
                productive_hours_per_fte: 1300,
                overhead_percent: 15
            }
        );
        let errors = Instellingen::parse("veel", "95").unwrap_err();
        assert!(errors.get("productive_hours_per_fte").is_some());
        assert!(errors.get("overhead_percent").is_some());
        assert!(
            Instellingen::parse("-5", "0")
                .unwrap_err()
                .get("productive_hours_per_fte")
                .unwrap()
                .contains("negatief")
        );
        assert!(Instellingen::parse("0", "0").is_err());
        assert!(Instellingen::parse("99999999999999", "0").is_err());
    }

    #[test]
    fn shares_go_to_contributors_rounded_down_and_the_rest_to_the_lead() {
        assert_eq!(split(100, 1, &[]), vec![(1, 100)]);
        assert_eq!(split(100, 1, &[(2, 25), (3, 0)]), vec![(1, 75), (2, 25)]);
        // 33% of 10 hours is 3,3: the contributor gets 3, the lead keeps 7.
        assert_eq!(split(10, 1, &[(2, 33)]), vec![(1, 7), (2, 3)]);
        assert!(parse_share("101").is_err());
        assert!(parse_share("-1").is_err());
        assert!(parse_share("een kwart").is_err());
        assert_eq!(parse_share("").unwrap(), 0);
        assert_eq!(parse_share("25%").unwrap(), 25);
        assert!(check_shares(&[(2, 60), (3, 50)]).is_err());
        assert!(check_shares(&[(2, 60), (3, 40)]).is_ok());
    }

    /// A small deterministic generator, so the property tests need no extra dependency.
    struct Lcg(u64);

    impl Lcg {
        fn next(&mut self, below: i64) -> i64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) % below as u64) as i64
        }
    }

    #[test]
    fn splitting_never_loses_or_creates_hours() {
        let mut random = Lcg(7);
        for _ in 0..20_000 {
            let hours = random.next(Uren::MAX + 1);
            let contributors = random.next(5);
            let mut left = 100;
            let shares: Vec<(i64, i64)> = (0..contributors)
                .map(|i| {
                    let share = random.next(left + 1);
                    left -= share;
                    (10 + i, share)
                })
                .collect();
            let parts = split(hours, 1, &shares);
            assert_eq!(parts.iter().map(|(_, h)| h).sum::<i64>(), hours);
            assert!(parts.iter().all(|(_, h)| *h >= 0));
            assert_eq!(parts[0].0, 1);
        }
    }

    #[test]
    fn balances_per_subteam_add_up_to_the_totals() {
        let mut random = Lcg(42);
        for _ in 0..2_000 {
            let settings = Instellingen {
                productive_hours_per_fte: 1 + random.next(Instellingen::HOURS_MAX),
                overhead_percent: random.next(Instellingen::OVERHEAD_MAX + 1),
            };
            let subteams = 1 + random.next(6);
            let mut fte: Vec<(i64, Fte)> = Vec::new();
            for s in 0..subteams {
                if random.next(4) > 0 {
                    fte.push((s, Fte::from_hundredths(random.next(2_000)).unwrap()));
                }
            }
            let task_fields: Vec<TaakveldUren> = (0..random.next(10))
                .map(|_| TaakveldUren {
                    lead_subteam_id: random.next(subteams),
                    planned_hundredths: random.next(1_000_000),
                    realised_hours: random.next(10_000),
                })
                .collect();
            let actions: Vec<ActieUren> = (0..random.next(40))
                .map(|_| {
                    let lead = random.next(subteams);
                    let other = random.next(subteams);
                    ActieUren {
                        theme_id: random.next(5),
                        lead_subteam_id: lead,
                        shares: vec![(other, random.next(101))],
                        planned: Uren::new(random.next(2_000)).unwrap(),
                        spent: random.next(2_000),
                    }
                })
                .collect();
            let capacity = Capaciteit::of(settings, &fte, &task_fields, &actions);
            let mut sum = Regel::default();
            for line in capacity.subteams.values() {
                sum.add(line);
            }
            assert_eq!(sum, capacity.total);
            assert_eq!(
                capacity.total.balance(),
                capacity.subteams.values().map(Regel::balance).sum::<i64>()
            );
            let planned: i64 = actions.iter().map(|a| a.planned.get() * 100).sum();
            assert_eq!(capacity.total.actions, planned);
            assert_eq!(capacity.themes.values().sum::<i64>(), planned);
            let tasks: i64 = task_fields.iter().map(|t| t.planned_hundredths).sum();
            assert_eq!(capacity.total.task_fields, tasks);
            let available: i64 = fte
                .iter()
                .map(|(_, f)| settings.available_hundredths(*f))
                .sum();
            assert_eq!(capacity.total.available, available);
        }
    }

    #[test]
    fn one_action_too_many_turns_the_balance_into_a_shortage() {
        let settings = Instellingen::default();
        let fte = [(1, fte("2"))];
        let tasks = [TaakveldUren {
            lead_subteam_id: 1,
            planned_hundredths: 250_000,
            realised_hours: 0,
        }];
        let action = |hours| ActieUren {
            theme_id: 9,
            lead_subteam_id: 1,
            shares: vec![],
            planned: Uren::new(hours).unwrap(),
            spent: 0,
        };
        let before = Capaciteit::of(settings, &fte, &tasks, &[action(60)]);
        assert_eq!(before.subteams[&1].bezetting(), Bezetting::Krap);
        assert!(before.short().is_empty());
        let after = Capaciteit::of(settings, &fte, &tasks, &[action(60), action(100)]);
        assert_eq!(after.subteams[&1].bezetting(), Bezetting::Tekort);
        assert_eq!(after.subteams[&1].balance(), -6_000);
        assert_eq!(after.theme_percent(9), 100);
    }
}
