//! Progress (voortgang) of an action during the year.

use crate::validation::{FieldErrors, Lines, bounded_text, max};
use crate::values::{Jaar, Uren, ValueError};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The status of an action as reported in a progress entry during the year. How the year ended
/// for an action is its evaluation's `Uitkomst`, which is where "doorgeschoven" lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    NietGestart,
    OpSchema,
    Vertraagd,
    Gerealiseerd,
    Geannuleerd,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Self::NietGestart,
        Self::OpSchema,
        Self::Vertraagd,
        Self::Gerealiseerd,
        Self::Geannuleerd,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::NietGestart => "niet_gestart",
            Self::OpSchema => "op_schema",
            Self::Vertraagd => "vertraagd",
            Self::Gerealiseerd => "gerealiseerd",
            Self::Geannuleerd => "geannuleerd",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NietGestart => "Niet gestart",
            Self::OpSchema => "Op schema",
            Self::Vertraagd => "Vertraagd",
            Self::Gerealiseerd => "Gerealiseerd",
            Self::Geannuleerd => "Geannuleerd",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether work on the action has ended this year, one way or another.
    pub fn is_closed(self) -> bool {
        matches!(self, Self::Gerealiseerd | Self::Geannuleerd)
    }
}

/// What a user typed into the progress form.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoortgangInvoer {
    pub status: String,
    pub note: String,
    pub hours_spent: String,
    pub entry_date: String,
}

/// A validated progress entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Voortgang {
    pub status: Status,
    pub note: String,
    pub hours_spent: Uren,
    pub entry_date: NaiveDate,
}

pub const NOTE_MAX: usize = max::NOTE;

impl VoortgangInvoer {
    /// `today` bounds the date: progress is reported on what happened, not on the future. The
    /// date lies in the programme `year`, or in January of the year after: a late report on
    /// the last weeks of the year is made before the year-end evaluation starts.
    /// The hours are required (0 when none were spent): an empty field would be stored as 0
    /// and read in the history as "0 uur besteed", which the reporter did not say.
    pub fn validate(&self, today: NaiveDate, year: Jaar) -> Result<Voortgang, FieldErrors> {
        let mut errors = FieldErrors::default();
        let status = errors.check(
            "status",
            Status::from_code(&self.status).ok_or_else(|| ValueError::new("Kies een status.")),
        );
        let note = errors.check("note", bounded_text(&self.note, NOTE_MAX, Lines::Many));
        let hours_spent = errors.check("hours_spent", parse_hours(&self.hours_spent));
        let entry_date = errors.check("entry_date", parse_date(&self.entry_date, today, year));
        match (status, note, hours_spent, entry_date) {
            (Some(status), Some(note), Some(hours_spent), Some(entry_date))
                if errors.is_empty() =>
            {
                Ok(Voortgang {
                    status,
                    note,
                    hours_spent,
                    entry_date,
                })
            }
            _ => Err(errors),
        }
    }
}

fn parse_hours(text: &str) -> Result<Uren, ValueError> {
    if text.trim().is_empty() {
        return Err(ValueError::new(
            "Vul het aantal bestede uren in; 0 als u er geen hebt besteed.",
        ));
    }
    Uren::parse(text)
}

fn parse_date(text: &str, today: NaiveDate, year: Jaar) -> Result<NaiveDate, ValueError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ValueError::new("Vul een datum in."));
    }
    let date = crate::validation::parse_date(text)?;
    if date > today {
        return Err(ValueError::new("De datum kan niet in de toekomst liggen."));
    }
    let (first, last) = date_window(year);
    if date < first || date > last {
        return Err(ValueError::new(format!(
            "Vul een datum in tussen {} en {}: een melding hoort bij het programma van {year}.",
            first.format("%d-%m-%Y"),
            last.format("%d-%m-%Y")
        )));
    }
    Ok(date)
}

/// The dates a progress report on the programme of `year` may carry (before `today`): the
/// year itself and January of the next, for a late report on the last weeks.
pub fn date_window(year: Jaar) -> (NaiveDate, NaiveDate) {
    let year = year.get();
    // `Jaar` lies far inside chrono's range, so these dates exist.
    (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN),
        NaiveDate::from_ymd_opt(year + 1, 1, 31).unwrap_or(NaiveDate::MAX),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 6, 1).unwrap()
    }

    fn year() -> Jaar {
        Jaar::new(2024).unwrap()
    }

    #[test]
    fn valid_progress() {
        let input = VoortgangInvoer {
            status: "vertraagd".into(),
            note: " Wacht op partner. ".into(),
            hours_spent: "3".into(),
            entry_date: "2024-05-31".into(),
        };
        let progress = input.validate(today(), year()).unwrap();
        assert_eq!(progress.status, Status::Vertraagd);
        assert_eq!(progress.note, "Wacht op partner.");
    }

    #[test]
    fn invalid_progress_reports_each_field() {
        let input = VoortgangInvoer {
            status: "klaar".into(),
            note: String::new(),
            hours_spent: "-5".into(),
            entry_date: "2024-06-02".into(),
        };
        let errors = input.validate(today(), year()).unwrap_err();
        assert_eq!(errors.get("status"), Some("Kies een status."));
        assert!(errors.get("hours_spent").is_some());
        assert_eq!(
            errors.get("entry_date"),
            Some("De datum kan niet in de toekomst liggen.")
        );
    }

    #[test]
    fn dutch_date_notation() {
        assert_eq!(
            parse_date("31-05-2024", today(), year()).unwrap(),
            NaiveDate::from_ymd_opt(2024, 5, 31).unwrap()
        );
        assert!(parse_date("31/05", today(), year()).is_err());
    }

    #[test]
    fn dates_lie_near_the_programme_year() {
        assert!(parse_date("2024-01-01", today(), year()).is_ok());
        assert!(parse_date("2023-12-31", today(), year()).is_err());
        assert!(parse_date("2022-06-01", today(), year()).is_err());
        assert!(parse_date("-4800-01-01", today(), year()).is_err());
        assert!(parse_date("275760-01-01", today(), year()).is_err());
        let earlier = Jaar::new(2023).unwrap();
        assert!(parse_date("2024-01-31", today(), earlier).is_ok());
        assert!(parse_date("2024-02-01", today(), earlier).is_err());
        let note = VoortgangInvoer {
            status: "op_schema".into(),
            note: "a\0b".into(),
            hours_spent: "1".into(),
            entry_date: "2024-05-31".into(),
        };
        assert!(
            note.validate(today(), year())
                .unwrap_err()
                .get("note")
                .is_some()
        );
    }

    #[test]
    fn empty_hours_are_refused_and_zero_is_kept() {
        let mut input = VoortgangInvoer {
            status: "op_schema".into(),
            note: String::new(),
            hours_spent: "  ".into(),
            entry_date: "2024-05-31".into(),
        };
        let errors = input.validate(today(), year()).unwrap_err();
        assert!(
            errors
                .get("hours_spent")
                .unwrap()
                .contains("0 als u er geen")
        );
        input.hours_spent = "0".into();
        assert_eq!(
            input.validate(today(), year()).unwrap().hours_spent.get(),
            0
        );
    }

    #[test]
    fn status_codes_round_trip() {
        for status in Status::ALL {
            assert_eq!(Status::from_code(status.code()), Some(status));
        }
        assert!(!Status::Vertraagd.is_closed());
    }
}
