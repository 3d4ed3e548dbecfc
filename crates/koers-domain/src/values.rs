//! Small validated values used throughout: years, hours, FTE.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a raw value was refused. The message is Dutch because it is shown to users as is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ValueError(pub String);

impl ValueError {
    pub fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// A calendar year of the cycle. Bounded so that typing errors ("224") are caught early.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Jaar(i32);

impl Jaar {
    pub const MIN: i32 = 2000;
    pub const MAX: i32 = 2100;

    pub fn new(year: i64) -> Result<Self, ValueError> {
        if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&year) {
            Ok(Self(year as i32))
        } else {
            Err(ValueError::new(format!(
                "Vul een jaar in tussen {} en {}.",
                Self::MIN,
                Self::MAX
            )))
        }
    }

    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let year: i64 = text
            .trim()
            .parse()
            .map_err(|_| ValueError::new("Vul een jaar in als getal, bijvoorbeeld 2025."))?;
        Self::new(year)
    }

    pub fn get(self) -> i32 {
        self.0
    }

    pub fn previous(self) -> Option<Self> {
        Self::new(i64::from(self.0) - 1).ok()
    }
}

impl TryFrom<i64> for Jaar {
    type Error = ValueError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Jaar> for i64 {
    fn from(value: Jaar) -> Self {
        i64::from(value.0)
    }
}

impl fmt::Display for Jaar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Whole hours, planned or spent. A team of a few dozen FTE has some 60,000 productive hours a
/// year, so anything above 100,000 on a single action is a typing error.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "i64", into = "i64")]
pub struct Uren(i64);

impl Uren {
    pub const MAX: i64 = 100_000;

    pub fn new(hours: i64) -> Result<Self, ValueError> {
        if hours < 0 {
            Err(ValueError::new("Het aantal uren kan niet negatief zijn."))
        } else if hours > Self::MAX {
            Err(ValueError::new(format!(
                "Het aantal uren is te groot (hoogstens {}).",
                Self::MAX
            )))
        } else {
            Ok(Self(hours))
        }
    }

    /// Parses what a user typed. Empty input means zero hours.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(Self(0));
        }
        let hours: i64 = text.parse().map_err(|_| {
            ValueError::new("Vul het aantal uren in als heel getal, bijvoorbeeld 40.")
        })?;
        Self::new(hours)
    }

    pub fn get(self) -> i64 {
        self.0
    }
}

impl TryFrom<i64> for Uren {
    type Error = ValueError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Uren> for i64 {
    fn from(value: Uren) -> Self {
        value.0
    }
}

impl fmt::Display for Uren {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Formation in full-time equivalents, kept in hundredths so that sums are exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Fte(i64);

impl Fte {
    /// More than 500 FTE for one subteam is not a team but a typing error.
    pub const MAX_HUNDREDTHS: i64 = 50_000;

    pub fn from_hundredths(hundredths: i64) -> Result<Self, ValueError> {
        if !(0..=Self::MAX_HUNDREDTHS).contains(&hundredths) {
            return Err(ValueError::new("Vul een formatie in tussen 0 en 500 fte."));
        }
        Ok(Self(hundredths))
    }

    /// Accepts Dutch ("4,5") and international ("4.5") decimal notation, at most two decimals.
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        if text.trim().is_empty() {
            return Ok(Self(0));
        }
        let hundredths = parse_hundredths(text)
            .ok_or_else(|| ValueError::new("Vul de formatie in als getal, bijvoorbeeld 4,5."))?;
        Self::from_hundredths(hundredths)
    }

    pub fn hundredths(self) -> i64 {
        self.0
    }
}

/// How many people a subteam has in a year: what its formation is checked against, because one
/// person fills at most one full-time job. Unknown until a beheerder fills it in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Personen(i64);

impl Personen {
    pub const MAX: i64 = 500;

    pub fn new(count: i64) -> Result<Self, ValueError> {
        if !(0..=Self::MAX).contains(&count) {
            return Err(ValueError::new(format!(
                "Vul een aantal personen in tussen 0 en {}.",
                Self::MAX
            )));
        }
        Ok(Self(count))
    }

    /// A whole number, or `None` for empty text (not filled in).
    pub fn parse(text: &str) -> Result<Option<Self>, ValueError> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if text.starts_with('-') {
            return Err(ValueError::new(
                "Een aantal personen kan niet negatief zijn.",
            ));
        }
        if text.len() > 6 || !text.chars().all(|c| c.is_ascii_digit()) {
            return Err(ValueError::new(
                "Vul het aantal personen in als heel getal, bijvoorbeeld 5.",
            ));
        }
        Self::new(text.parse().unwrap_or(i64::MAX)).map(Some)
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// Refuses a formation that these people cannot fill: more than one FTE per person.
    pub fn check(self, fte: Fte) -> Result<(), ValueError> {
        if fte.hundredths() > self.0 * 100 {
            let people = if self.0 == 1 {
                "1 persoon".to_string()
            } else {
                format!("{} personen", self.0)
            };
            return Err(ValueError::new(format!(
                "Met {people} is de formatie hoogstens {} fte: één persoon vult hoogstens één volledige baan. Controleer de formatie of het aantal personen.",
                self.0
            )));
        }
        Ok(())
    }
}

impl fmt::Display for Fte {
    /// Dutch notation: "4,5", "12", "0,25".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_hundredths(self.0))
    }
}

/// A non-negative decimal number as users type it, in hundredths: Dutch ("4,5") or
/// international ("4.5") notation, at most two decimals; `None` for anything else (empty text,
/// a sign, letters). Large numbers saturate, so the caller's upper bound refuses them.
pub fn parse_hundredths(text: &str) -> Option<i64> {
    let text = text.trim().replace(',', ".");
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text.as_str(), ""),
    };
    if whole.is_empty() && fraction.is_empty()
        || fraction.len() > 2
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !fraction.chars().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().unwrap_or(i64::MAX)
    };
    let fraction: i64 = format!("{fraction:0<2}").parse().ok()?;
    Some(whole.saturating_mul(100).saturating_add(fraction))
}

/// Hundredths as Dutch notation: "4,5", "12", "0,25".
pub fn format_hundredths(hundredths: i64) -> String {
    let sign = if hundredths < 0 { "-" } else { "" };
    let value = hundredths.unsigned_abs();
    let whole = value / 100;
    let fraction = value % 100;
    if fraction == 0 {
        format!("{sign}{whole}")
    } else if fraction.is_multiple_of(10) {
        format!("{sign}{whole},{}", fraction / 10)
    } else {
        format!("{sign}{whole},{fraction:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_bounds() {
        assert!(Jaar::parse("2024").is_ok());
        assert!(Jaar::parse("224").is_err());
        assert!(Jaar::parse("twintig").is_err());
        assert_eq!(
            Jaar::new(2024).unwrap().previous(),
            Some(Jaar::new(2023).unwrap())
        );
    }

    #[test]
    fn hours_parse() {
        assert_eq!(Uren::parse("").unwrap().get(), 0);
        assert_eq!(Uren::parse(" 40 ").unwrap().get(), 40);
        assert!(Uren::parse("-5").unwrap_err().0.contains("negatief"));
        assert!(Uren::parse("4,5").is_err());
        assert!(Uren::parse("100001").is_err());
    }

    #[test]
    fn fte_parse_and_display() {
        assert_eq!(Fte::parse("4,5").unwrap().to_string(), "4,5");
        assert_eq!(Fte::parse("4.25").unwrap().to_string(), "4,25");
        assert_eq!(Fte::parse("12").unwrap().to_string(), "12");
        assert_eq!(Fte::parse(",5").unwrap().hundredths(), 50);
        assert!(Fte::parse("4,555").is_err());
        assert!(Fte::parse("-1").is_err());
        assert!(Fte::parse("vier").is_err());
        assert!(Fte::parse("501").is_err());
    }

    #[test]
    fn a_formation_fits_its_people() {
        assert_eq!(Personen::parse(" ").unwrap(), None);
        let five = Personen::parse("5").unwrap().unwrap();
        assert!(five.check(Fte::parse("4,6").unwrap()).is_ok());
        assert!(five.check(Fte::parse("5").unwrap()).is_ok());
        let message = five.check(Fte::parse("100").unwrap()).unwrap_err().0;
        assert!(
            message.contains("Met 5 personen is de formatie hoogstens 5 fte"),
            "{message}"
        );
        assert!(
            Personen::parse("1")
                .unwrap()
                .unwrap()
                .check(Fte::parse("1,5").unwrap())
                .unwrap_err()
                .0
                .contains("Met 1 persoon")
        );
        assert!(Personen::parse("-2").unwrap_err().0.contains("negatief"));
        assert!(Personen::parse("vijf").is_err());
        assert!(Personen::parse("4,5").is_err());
        assert!(Personen::parse("501").is_err());
        assert!(Personen::parse("99999999999999999999").is_err());
    }
}
