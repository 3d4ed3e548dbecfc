//! Actions (acties) of a yearly programme: their code, planning and origin, and the validation of
//! what a user enters for one.

use crate::validation::{FieldErrors, Lines, bounded_text, max, required_text};
use crate::values::{Uren, ValueError};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The stable code of an action within its programme, e.g. `VTH2-03`. Codes are what people
/// quote in meetings and letters, so they are short, upper case and never change meaning.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ActieCode(String);

impl ActieCode {
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let code = text.trim().to_uppercase();
        if code.is_empty() {
            return Err(ValueError::new("Vul een code in, bijvoorbeeld VTH2-03."));
        }
        let valid = code.len() <= 20
            && code.starts_with(|c: char| c.is_ascii_uppercase())
            && code
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '.')
            && !code.ends_with(['-', '.']);
        if valid {
            Ok(Self(code))
        } else {
            Err(ValueError::new(
                "Een code begint met een letter en bevat alleen letters, cijfers, punten en streepjes (hoogstens 20 tekens), bijvoorbeeld VTH2-03.",
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ActieCode {
    type Error = ValueError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ActieCode> for String {
    fn from(value: ActieCode) -> Self {
        value.0
    }
}

impl fmt::Display for ActieCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why an action is in this year's programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Herkomst {
    /// New, following from the evaluation of last year's programme.
    NieuwEvaluatie,
    /// New, following from trends and developments.
    NieuwTrends,
    /// Carried over from last year's programme.
    Doorgeschoven,
}

impl Herkomst {
    pub const ALL: [Herkomst; 3] = [Self::NieuwEvaluatie, Self::NieuwTrends, Self::Doorgeschoven];

    pub fn code(self) -> &'static str {
        match self {
            Self::NieuwEvaluatie => "nieuw_evaluatie",
            Self::NieuwTrends => "nieuw_trends",
            Self::Doorgeschoven => "doorgeschoven",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NieuwEvaluatie => "Nieuw uit de evaluatie",
            Self::NieuwTrends => "Nieuw uit trends en ontwikkelingen",
            Self::Doorgeschoven => "Doorgeschoven uit vorig jaar",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|h| h.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Prioriteit {
    Hoog,
    Middel,
    Laag,
}

impl Prioriteit {
    pub const ALL: [Prioriteit; 3] = [Self::Hoog, Self::Middel, Self::Laag];

    pub fn code(self) -> &'static str {
        match self {
            Self::Hoog => "hoog",
            Self::Middel => "middel",
            Self::Laag => "laag",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Hoog => "Hoog",
            Self::Middel => "Middel",
            Self::Laag => "Laag",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The quarters of the year in which work on an action is planned, as a set of 1–4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Kwartalen([bool; 4]);

impl Kwartalen {
    pub fn from_numbers(numbers: impl IntoIterator<Item = u8>) -> Result<Self, ValueError> {
        let mut set = [false; 4];
        for n in numbers {
            match n {
                1..=4 => set[usize::from(n - 1)] = true,
                _ => return Err(ValueError::new("Een kwartaal is 1, 2, 3 of 4.")),
            }
        }
        Ok(Self(set))
    }

    /// Reads the storage form "1,3,4".
    pub fn parse(text: &str) -> Result<Self, ValueError> {
        let mut numbers = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            numbers.push(
                part.parse::<u8>()
                    .map_err(|_| ValueError::new("Een kwartaal is 1, 2, 3 of 4."))?,
            );
        }
        Self::from_numbers(numbers)
    }

    pub fn contains(self, quarter: u8) -> bool {
        (1..=4).contains(&quarter) && self.0[usize::from(quarter - 1)]
    }

    pub fn is_empty(self) -> bool {
        !self.0.iter().any(|q| *q)
    }

    pub fn numbers(self) -> Vec<u8> {
        (1..=4).filter(|q| self.contains(*q)).collect()
    }

    /// The storage form "1,3,4".
    pub fn storage(self) -> String {
        self.numbers()
            .iter()
            .map(u8::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// How people write it: "Q1–Q2", "Q1, Q3", "hele jaar".
    pub fn label(self) -> String {
        let numbers = self.numbers();
        match numbers.as_slice() {
            [] => "—".to_string(),
            [1, 2, 3, 4] => "hele jaar".to_string(),
            [first, .., last] if usize::from(last - first) + 1 == numbers.len() => {
                format!("Q{first}–Q{last}")
            }
            _ => numbers
                .iter()
                .map(|q| format!("Q{q}"))
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

impl TryFrom<String> for Kwartalen {
    type Error = ValueError;

    fn try_from(stored: String) -> Result<Self, ValueError> {
        Self::parse(&stored)
    }
}

/// Stored and serialised in its storage form "1,3,4".
impl Serialize for Kwartalen {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.storage())
    }
}

/// What a user typed into the action form, as text, exactly as it came in. Kept whole so that a
/// form with errors can be shown again without losing anything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActieInvoer {
    pub code: String,
    pub title: String,
    pub description: String,
    pub intended_result: String,
    pub theme_id: String,
    pub ambition_id: String,
    pub lead_subteam_id: String,
    pub contributing_subteam_ids: Vec<String>,
    /// (subteam id, percent) as typed: the share of the planned hours that a contributing
    /// subteam takes on; empty means the hours count for the lead subteam.
    #[serde(default)]
    pub contributing_shares: Vec<(String, String)>,
    pub partner_ids: Vec<String>,
    pub opgave_ids: Vec<String>,
    pub quarters: Vec<String>,
    pub planned_hours: String,
    pub priority: String,
    pub origin: String,
    /// The action of last year's programme that this one continues, if any.
    pub predecessor_id: String,
}

/// A validated action, ready to be stored. Ids still have to be checked against the organisation's
/// data by the store: the domain cannot know which themes exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActieGegevens {
    pub code: ActieCode,
    pub title: String,
    pub description: String,
    pub intended_result: String,
    pub theme_id: i64,
    pub ambition_id: Option<i64>,
    pub lead_subteam_id: i64,
    pub contributing_subteam_ids: Vec<i64>,
    /// (subteam id, percent > 0) for contributing subteams that take a share of the hours, in
    /// the order of `contributing_subteam_ids`; together at most 100.
    pub contributing_shares: Vec<(i64, i64)>,
    pub partner_ids: Vec<i64>,
    pub opgave_ids: Vec<i64>,
    pub quarters: Kwartalen,
    pub planned_hours: Uren,
    pub priority: Prioriteit,
    pub origin: Herkomst,
    pub predecessor_id: Option<i64>,
}

pub const TITLE_MAX: usize = max::TITLE;
pub const TEXT_MAX: usize = max::TEXT;

impl ActieInvoer {
    /// Checks every field and reports all problems at once, each under the name of its field.
    pub fn validate(&self) -> Result<ActieGegevens, FieldErrors> {
        let mut errors = FieldErrors::default();
        let code = errors.check("code", ActieCode::parse(&self.code));
        let title = errors.check(
            "title",
            required_text(&self.title, TITLE_MAX, "Vul een titel in."),
        );
        let description = errors.check("description", optional_text(&self.description));
        let intended_result = errors.check("intended_result", optional_text(&self.intended_result));
        let theme_id = errors.check(
            "theme_id",
            parse_id(&self.theme_id).ok_or_else(|| ValueError::new("Kies een thema.")),
        );
        let ambition_id = if self.ambition_id.trim().is_empty() {
            Some(None)
        } else {
            errors.check(
                "ambition_id",
                parse_id(&self.ambition_id)
                    .map(Some)
                    .ok_or_else(|| ValueError::new("Kies een ambitie uit de lijst.")),
            )
        };
        let lead_subteam_id = errors.check(
            "lead_subteam_id",
            parse_id(&self.lead_subteam_id)
                .ok_or_else(|| ValueError::new("Kies het subteam dat de actie trekt.")),
        );
        let contributing = errors.check(
            "contributing_subteam_ids",
            parse_ids(&self.contributing_subteam_ids),
        );
        let partners = errors.check("partner_ids", parse_ids(&self.partner_ids));
        let opgaven = errors.check("opgave_ids", parse_ids(&self.opgave_ids));
        let quarters = errors.check("quarters", parse_quarters(&self.quarters));
        let planned_hours = errors.check("planned_hours", Uren::parse(&self.planned_hours));
        let priority = errors.check(
            "priority",
            Prioriteit::from_code(&self.priority)
                .ok_or_else(|| ValueError::new("Kies een prioriteit.")),
        );
        let origin = errors.check(
            "origin",
            Herkomst::from_code(&self.origin).ok_or_else(|| ValueError::new("Kies de herkomst.")),
        );
        let predecessor_id = if self.predecessor_id.trim().is_empty() {
            Some(None)
        } else {
            errors.check(
                "predecessor_id",
                parse_id(&self.predecessor_id)
                    .map(Some)
                    .ok_or_else(|| ValueError::new("Kies een actie uit de lijst.")),
            )
        };
        if matches!(predecessor_id, Some(Some(_)))
            && origin.is_some_and(|o| o != Herkomst::Doorgeschoven)
        {
            errors.add(
                "origin",
                "Een actie die een actie van vorig jaar voortzet, heeft als herkomst 'Doorgeschoven uit vorig jaar'.",
            );
        }
        if let (Some(lead), Some(contributing)) = (lead_subteam_id, contributing.as_ref())
            && contributing.contains(&lead)
        {
            errors.add(
                "contributing_subteam_ids",
                "Het trekkende subteam staat al vast; kies hier alleen de andere subteams.",
            );
        }
        let contributing_shares = match contributing.as_ref() {
            Some(ids) => errors.check(
                "contributing_shares",
                parse_contributing_shares(&self.contributing_shares, ids),
            ),
            None => Some(Vec::new()),
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let contributing_shares = contributing_shares.unwrap_or_default();
        // All fields are present: `check` returned Some for each, or an error was recorded.
        match (
            code,
            title,
            description,
            intended_result,
            theme_id,
            ambition_id,
            lead_subteam_id,
            contributing,
            partners,
            opgaven,
            quarters,
            planned_hours,
            priority,
            origin,
            predecessor_id,
        ) {
            (
                Some(code),
                Some(title),
                Some(description),
                Some(intended_result),
                Some(theme_id),
                Some(ambition_id),
                Some(lead_subteam_id),
                Some(contributing_subteam_ids),
                Some(partner_ids),
                Some(opgave_ids),
                Some(quarters),
                Some(planned_hours),
                Some(priority),
                Some(origin),
                Some(predecessor_id),
            ) => Ok(ActieGegevens {
                code,
                title,
                description,
                intended_result,
                theme_id,
                ambition_id,
                lead_subteam_id,
                contributing_subteam_ids,
                contributing_shares,
                partner_ids,
                opgave_ids,
                quarters,
                planned_hours,
                priority,
                origin,
                predecessor_id,
            }),
            _ => unreachable!("every missing field recorded an error"),
        }
    }
}

fn optional_text(text: &str) -> Result<String, ValueError> {
    bounded_text(text, TEXT_MAX, Lines::Many)
}

pub fn parse_id(text: &str) -> Option<i64> {
    text.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

fn parse_ids(texts: &[String]) -> Result<Vec<i64>, ValueError> {
    let mut ids = Vec::new();
    for text in texts.iter().filter(|t| !t.trim().is_empty()) {
        let id = parse_id(text).ok_or_else(|| ValueError::new("Kies alleen uit de lijst."))?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Reads the typed shares of the ticked contributing subteams. A share typed for a subteam that
/// is not ticked is refused rather than dropped or silently ticked: the user meant something.
fn parse_contributing_shares(
    typed: &[(String, String)],
    contributing: &[i64],
) -> Result<Vec<(i64, i64)>, ValueError> {
    let mut by_subteam = Vec::new();
    for (id, percent) in typed {
        let share = crate::capacity::parse_share(percent)?;
        if share == 0 {
            continue;
        }
        let id = parse_id(id).ok_or_else(|| ValueError::new("Kies alleen uit de lijst."))?;
        if !contributing.contains(&id) {
            return Err(ValueError::new(
                "Een aandeel geldt alleen voor een aangevinkt bijdragend subteam: vink het subteam aan of maak het aandeel leeg.",
            ));
        }
        if by_subteam.iter().any(|(s, _)| *s == id) {
            return Err(ValueError::new("Vul per subteam één aandeel in."));
        }
        by_subteam.push((id, share));
    }
    crate::capacity::check_shares(&by_subteam)?;
    Ok(contributing
        .iter()
        .filter_map(|id| by_subteam.iter().find(|(s, _)| s == id).copied())
        .collect())
}

fn parse_quarters(texts: &[String]) -> Result<Kwartalen, ValueError> {
    let mut numbers = Vec::new();
    for text in texts {
        numbers.push(
            text.trim()
                .parse::<u8>()
                .map_err(|_| ValueError::new("Een kwartaal is 1, 2, 3 of 4."))?,
        );
    }
    let quarters = Kwartalen::from_numbers(numbers)?;
    if quarters.is_empty() {
        return Err(ValueError::new("Kies minstens één kwartaal."));
    }
    Ok(quarters)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid_input() -> ActieInvoer {
        ActieInvoer {
            code: "vth2-03".into(),
            title: "Brandveiligheid kamerverhuur".into(),
            description: "Controle van panden.".into(),
            intended_result: "40 panden gecontroleerd.".into(),
            theme_id: "4".into(),
            ambition_id: "".into(),
            lead_subteam_id: "2".into(),
            contributing_subteam_ids: vec!["3".into()],
            contributing_shares: vec![("3".into(), " 25 % ".into())],
            partner_ids: vec![],
            opgave_ids: vec!["1".into(), "1".into()],
            quarters: vec!["1".into(), "2".into()],
            planned_hours: "120".into(),
            priority: "hoog".into(),
            origin: "nieuw_trends".into(),
            predecessor_id: String::new(),
        }
    }

    #[test]
    fn valid_action_parses() {
        let action = valid_input().validate().unwrap();
        assert_eq!(action.code.as_str(), "VTH2-03");
        assert_eq!(action.ambition_id, None);
        assert_eq!(action.opgave_ids, vec![1]);
        assert_eq!(action.quarters.label(), "Q1–Q2");
        assert_eq!(action.planned_hours.get(), 120);
        assert_eq!(action.contributing_shares, vec![(3, 25)]);
    }

    #[test]
    fn shares_belong_to_ticked_subteams_and_stay_within_the_hours() {
        let with = |ids: &[&str], shares: &[(&str, &str)]| ActieInvoer {
            contributing_subteam_ids: ids.iter().map(|s| s.to_string()).collect(),
            contributing_shares: shares
                .iter()
                .map(|(a, b)| (a.to_string(), b.to_string()))
                .collect(),
            ..valid_input()
        };
        let error = |input: ActieInvoer| {
            input
                .validate()
                .unwrap_err()
                .get("contributing_shares")
                .map(str::to_string)
        };
        // Empty and zero shares mean "no share": the hours stay with the lead.
        let parsed = with(&["3", "5"], &[("3", ""), ("5", "0")])
            .validate()
            .unwrap();
        assert!(parsed.contributing_shares.is_empty());
        // Kept in the order of the ticked subteams.
        let parsed = with(&["5", "3"], &[("3", "10"), ("5", "60")])
            .validate()
            .unwrap();
        assert_eq!(parsed.contributing_shares, vec![(5, 60), (3, 10)]);
        assert!(
            error(with(&["3"], &[("5", "20")]))
                .unwrap()
                .contains("aangevinkt")
        );
        assert!(
            error(with(&["3", "5"], &[("3", "60"), ("5", "50")]))
                .unwrap()
                .contains("110")
        );
        assert!(
            error(with(&["3"], &[("3", "veel")]))
                .unwrap()
                .contains("heel percentage")
        );
        assert!(
            error(with(&["3"], &[("3", "-5")]))
                .unwrap()
                .contains("negatief")
        );
        assert!(
            error(with(&["3"], &[("3", "101")]))
                .unwrap()
                .contains("hoogstens 100")
        );
        // A share for an unticked subteam is reported with the other errors, all at once.
        let errors = ActieInvoer {
            title: String::new(),
            ..with(&["3"], &[("5", "20")])
        }
        .validate()
        .unwrap_err();
        assert!(errors.get("title").is_some() && errors.get("contributing_shares").is_some());
    }

    #[test]
    fn all_errors_reported_at_once() {
        let input = ActieInvoer {
            code: "03".into(),
            title: "  ".into(),
            quarters: vec![],
            planned_hours: "-1".into(),
            lead_subteam_id: "3".into(),
            contributing_subteam_ids: vec!["3".into()],
            ..valid_input()
        };
        let errors = input.validate().unwrap_err();
        assert_eq!(errors.get("title"), Some("Vul een titel in."));
        assert!(errors.get("code").is_some());
        assert_eq!(errors.get("quarters"), Some("Kies minstens één kwartaal."));
        assert!(errors.get("planned_hours").unwrap().contains("negatief"));
        assert!(errors.get("contributing_subteam_ids").is_some());
        assert_eq!(errors.len(), 5);
    }

    #[test]
    fn a_continued_action_is_carried_over() {
        let input = ActieInvoer {
            predecessor_id: "7".into(),
            ..valid_input()
        };
        assert!(
            input
                .validate()
                .unwrap_err()
                .get("origin")
                .unwrap()
                .contains("Doorgeschoven")
        );
        let input = ActieInvoer {
            predecessor_id: "7".into(),
            origin: "doorgeschoven".into(),
            ..valid_input()
        };
        assert_eq!(input.validate().unwrap().predecessor_id, Some(7));
    }

    #[test]
    fn codes() {
        assert!(ActieCode::parse("IV1-01").is_ok());
        assert!(ActieCode::parse("1-01").is_err());
        assert!(ActieCode::parse("IV 1").is_err());
        assert!(ActieCode::parse("IV1-").is_err());
    }

    #[test]
    fn quarter_labels() {
        assert_eq!(Kwartalen::parse("1,2,3,4").unwrap().label(), "hele jaar");
        assert_eq!(Kwartalen::parse("1,3").unwrap().label(), "Q1, Q3");
        assert_eq!(Kwartalen::parse("2,3").unwrap().label(), "Q2–Q3");
        assert_eq!(Kwartalen::parse("4").unwrap().storage(), "4");
        assert!(Kwartalen::parse("5").is_err());
    }
}
