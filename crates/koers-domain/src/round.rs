//! Progress rounds (voortgangsrondes): a moment in the year at which every running action of a
//! programme reports its progress, with a deadline and reminders before and after it.
//!
//! An action has reported in a round when it has a progress entry dated on or after the day the
//! round opened (and, once the round is closed, on or before the day it closed). A report made
//! just before the round opened does not count: the round asks for the state of now.

use crate::validation::{FieldErrors, max, required_text};
use crate::values::{Jaar, ValueError};
use chrono::{Duration, NaiveDate};

/// At most this many reminders on each side of the deadline.
pub const MAX_MOMENTS: usize = 5;
/// A reminder lies at most this many days from the deadline.
pub const MAX_DAYS: i64 = 60;

/// What a user typed into the form that opens a round.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RondeInvoer {
    pub name: String,
    pub deadline: String,
    /// Days before the deadline, e.g. "7, 1".
    pub days_before: String,
    /// Days after the deadline, e.g. "3".
    pub days_after: String,
}

/// A validated new round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ronde {
    pub name: String,
    pub deadline: NaiveDate,
    pub moments: Momenten,
}

/// The reminder moments of a round, as days relative to the deadline (negative: before), in
/// ascending order without repeats.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Momenten(Vec<i64>);

impl Momenten {
    /// Koers' suggestion: 7 and 1 days before, 3 days after the deadline.
    pub fn standard() -> Self {
        Self(vec![-7, -1, 3])
    }

    pub fn days(&self) -> &[i64] {
        &self.0
    }

    /// "-7,-1,3", as stored.
    pub fn storage(&self) -> String {
        self.0
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Reads what [`Momenten::storage`] wrote; anything else counts as no moments.
    pub fn from_storage(text: &str) -> Self {
        let mut days: Vec<i64> = text
            .split(',')
            .filter_map(|d| d.trim().parse().ok())
            .filter(|d: &i64| d.abs() <= MAX_DAYS)
            .collect();
        days.sort_unstable();
        days.dedup();
        Self(days)
    }

    /// The days before the deadline as a user types them: "7, 1".
    pub fn before_text(&self) -> String {
        let mut before: Vec<i64> = self.0.iter().filter(|d| **d < 0).map(|d| -d).collect();
        before.sort_unstable_by(|a, b| b.cmp(a));
        join(&before)
    }

    /// The days after the deadline as a user types them: "3" (0 is the deadline itself).
    pub fn after_text(&self) -> String {
        join(
            &self
                .0
                .iter()
                .copied()
                .filter(|d| *d >= 0)
                .collect::<Vec<_>>(),
        )
    }

    /// "7 en 1 dag voor, 3 dagen na de deadline".
    pub fn label(&self) -> String {
        let before: Vec<i64> = self.0.iter().filter(|d| **d < 0).map(|d| -d).collect();
        let after: Vec<i64> = self.0.iter().copied().filter(|d| *d > 0).collect();
        let mut parts = Vec::new();
        if !before.is_empty() {
            parts.push(format!("{} voor", days_words(&before)));
        }
        if self.0.contains(&0) {
            parts.push("op de dag zelf".to_string());
        }
        if !after.is_empty() {
            parts.push(format!("{} na", days_words(&after)));
        }
        if parts.is_empty() {
            "geen herinneringen".to_string()
        } else {
            format!("{} de deadline", parts.join(", "))
        }
    }

    /// The moment whose reminder is due on `today`: the latest moment that has come and lies
    /// on or after the day the round opened. Earlier moments that were missed (the server was
    /// down, or the round opened after them) are not sent late: one reminder, the current one.
    pub fn due(&self, opened_on: NaiveDate, deadline: NaiveDate, today: NaiveDate) -> Option<i64> {
        self.0
            .iter()
            .copied()
            .filter(|d| {
                let at = moment_date(deadline, *d);
                at <= today && at >= opened_on
            })
            .max()
    }
}

/// The date of the moment `days` relative to `deadline`.
pub fn moment_date(deadline: NaiveDate, days: i64) -> NaiveDate {
    deadline
        .checked_add_signed(Duration::days(days))
        .unwrap_or(deadline)
}

/// "1 dag voor" / "3 dagen na": the words for a moment.
pub fn moment_label(days: i64) -> String {
    let n = days.abs();
    let unit = if n == 1 { "dag" } else { "dagen" };
    match days {
        0 => "op de dag van de deadline".to_string(),
        d if d < 0 => format!("{n} {unit} voor de deadline"),
        _ => format!("{n} {unit} na de deadline"),
    }
}

fn days_words(days: &[i64]) -> String {
    let unit = if days.last() == Some(&1) {
        "dag"
    } else {
        "dagen"
    };
    let numbers: Vec<String> = days.iter().map(i64::to_string).collect();
    let list = match numbers.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} en {last}", rest.join(", ")),
        _ => numbers.join(""),
    };
    format!("{list} {unit}")
}

fn join(days: &[i64]) -> String {
    days.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// "7, 1" → [7, 1]: whole numbers of days from 0 to [`MAX_DAYS`], at most [`MAX_MOMENTS`].
fn parse_days(text: &str) -> Result<Vec<i64>, ValueError> {
    let text = text.trim();
    if text.chars().count() > max::FILTER || text.chars().any(char::is_control) {
        return Err(ValueError::new(
            "Vul de dagen in als getallen met komma's, bijvoorbeeld 7, 1.",
        ));
    }
    let mut days = Vec::new();
    for part in text
        .split([',', ' ', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty() && *p != "en")
    {
        let day: i64 = part.parse().map_err(|_| {
            ValueError::new("Vul de dagen in als hele getallen met komma's, bijvoorbeeld 7, 1.")
        })?;
        if !(0..=MAX_DAYS).contains(&day) {
            return Err(ValueError::new(format!(
                "Een herinnering ligt 0 tot {MAX_DAYS} dagen van de deadline."
            )));
        }
        if !days.contains(&day) {
            days.push(day);
        }
    }
    if days.len() > MAX_MOMENTS {
        return Err(ValueError::new(format!(
            "Kies hoogstens {MAX_MOMENTS} momenten."
        )));
    }
    Ok(days)
}

impl RondeInvoer {
    /// The input of a new round for the programme of `year`, opened on `today`. The deadline
    /// lies from today up to 31 January of the next year (the last round of a year may close
    /// just after it).
    pub fn validate(&self, today: NaiveDate, year: Jaar) -> Result<Ronde, FieldErrors> {
        let mut errors = FieldErrors::default();
        let name = errors.check(
            "name",
            required_text(&self.name, max::TITLE, "Geef de ronde een naam."),
        );
        let deadline = errors.check("deadline", parse_deadline(&self.deadline, today, year));
        let before = errors.check("days_before", parse_days(&self.days_before));
        let after = errors.check("days_after", parse_days(&self.days_after));
        match (name, deadline, before, after) {
            (Some(name), Some(deadline), Some(before), Some(after)) if errors.is_empty() => {
                let days: Vec<i64> = before.iter().map(|d| -d).chain(after).collect();
                Ok(Ronde {
                    name,
                    deadline,
                    moments: Momenten::from_storage(&join(&days)),
                })
            }
            _ => Err(errors),
        }
    }
}

/// The last day a round of `year` may have as its deadline.
pub fn last_deadline(year: Jaar) -> NaiveDate {
    NaiveDate::from_ymd_opt(year.get() + 1, 1, 31).unwrap_or(NaiveDate::MAX)
}

fn parse_deadline(text: &str, today: NaiveDate, year: Jaar) -> Result<NaiveDate, ValueError> {
    if text.trim().is_empty() {
        return Err(ValueError::new("Vul de deadline in."));
    }
    let date = crate::validation::parse_date(text)?;
    if date < today {
        return Err(ValueError::new(
            "De deadline kan niet in het verleden liggen.",
        ));
    }
    let last = last_deadline(year);
    if date > last {
        return Err(ValueError::new(format!(
            "De deadline van een ronde van {year} ligt uiterlijk op {}.",
            last.format("%d-%m-%Y")
        )));
    }
    Ok(date)
}

/// Whether a report dated `entry_date` counts for a round opened on `opened_on` and closed on
/// `closed_on` (if closed).
pub fn counts_for(
    entry_date: NaiveDate,
    opened_on: NaiveDate,
    closed_on: Option<NaiveDate>,
) -> bool {
    entry_date >= opened_on && closed_on.is_none_or(|closed| entry_date <= closed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn input(name: &str, deadline: &str, before: &str, after: &str) -> RondeInvoer {
        RondeInvoer {
            name: name.into(),
            deadline: deadline.into(),
            days_before: before.into(),
            days_after: after.into(),
        }
    }

    #[test]
    fn a_valid_round() {
        let year = Jaar::new(2024).unwrap();
        let round = input(" Tweede kwartaal 2024 ", "2024-07-05", "7, 1", "3")
            .validate(date(2024, 6, 1), year)
            .unwrap();
        assert_eq!(round.name, "Tweede kwartaal 2024");
        assert_eq!(round.moments.days(), &[-7, -1, 3]);
        assert_eq!(round.moments.storage(), "-7,-1,3");
        assert_eq!(
            round.moments.label(),
            "7 en 1 dag voor, 3 dagen na de deadline"
        );
        assert_eq!(round.moments.before_text(), "7, 1");
        assert_eq!(round.moments.after_text(), "3");
    }

    #[test]
    fn every_problem_at_once() {
        let year = Jaar::new(2024).unwrap();
        let errors = input("a\r\nBcc: x", "2024-05-01", "7, x", "99")
            .validate(date(2024, 6, 1), year)
            .unwrap_err();
        assert_eq!(errors.len(), 4);
        assert!(errors.get("name").is_some());
        assert_eq!(
            errors.get("deadline"),
            Some("De deadline kan niet in het verleden liggen.")
        );
        assert!(errors.get("days_before").is_some());
        assert!(errors.get("days_after").is_some());
        let late = input("R", "2025-02-01", "", "")
            .validate(date(2024, 6, 1), year)
            .unwrap_err();
        assert!(late.get("deadline").unwrap().contains("31-01-2025"));
        let many = input("R", "2024-07-01", "1 2 3 4 5 6", "")
            .validate(date(2024, 6, 1), year)
            .unwrap_err();
        assert!(many.get("days_before").is_some());
    }

    #[test]
    fn the_due_moment_is_the_latest_that_came_after_opening() {
        let moments = Momenten::standard();
        let opened = date(2024, 6, 1);
        let deadline = date(2024, 7, 5);
        // Check every day from before opening to well after the deadline.
        let mut day = date(2024, 5, 25);
        while day < date(2024, 8, 1) {
            let due = moments.due(opened, deadline, day);
            let expected = if day < date(2024, 6, 28) {
                None
            } else if day < date(2024, 7, 4) {
                Some(-7)
            } else if day < date(2024, 7, 8) {
                Some(-1)
            } else {
                Some(3)
            };
            assert_eq!(due, expected, "{day}");
            day = day.succ_opt().unwrap();
        }
        // A round opened after a moment never sends that moment.
        assert_eq!(
            moments.due(date(2024, 7, 1), deadline, date(2024, 7, 2)),
            None
        );
    }

    #[test]
    fn stored_moments_round_trip_and_bad_ones_are_dropped() {
        let moments = Momenten::from_storage("3,-1,-7,-1,x,999");
        assert_eq!(moments.days(), &[-7, -1, 3]);
        assert_eq!(Momenten::from_storage(&moments.storage()), moments);
        assert_eq!(Momenten::default().label(), "geen herinneringen");
        assert_eq!(moment_label(-1), "1 dag voor de deadline");
        assert_eq!(moment_label(3), "3 dagen na de deadline");
    }

    #[test]
    fn reports_count_from_opening_until_closing() {
        let opened = date(2024, 6, 1);
        assert!(!counts_for(date(2024, 5, 31), opened, None));
        assert!(counts_for(date(2024, 6, 1), opened, None));
        assert!(counts_for(date(2024, 7, 1), opened, Some(date(2024, 7, 1))));
        assert!(!counts_for(
            date(2024, 7, 2),
            opened,
            Some(date(2024, 7, 1))
        ));
    }
}
