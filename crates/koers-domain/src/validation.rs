//! Field-level validation errors, shown next to the field they belong to.

use crate::values::ValueError;
use serde::Serialize;

/// Problems with user input, keyed by field name, in the order the fields were checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FieldErrors(Vec<FieldError>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldErrors {
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut errors = Self::default();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }

    /// Records the error of `result`, if any, and hands back its value.
    pub fn check<T>(&mut self, field: &str, result: Result<T, ValueError>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.add(field, error.0);
                None
            }
        }
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }
}

/// The longest texts users may type, in characters, all in one place. The database columns
/// are unbounded `TEXT`; these bounds keep a stray paste or a hostile request (a megabyte of
/// description is copied into the audit log at every save) out of it. The JSON API's
/// `openapi.json` states the same numbers for the fields it has.
pub mod max {
    /// Titles and names: of the plan, an action, a catalogue item, a user, the organisation.
    pub const TITLE: usize = 200;
    /// A place name.
    pub const PLACE: usize = 100;
    /// The name of an API key.
    pub const KEY_NAME: usize = 100;
    /// An abbreviation of a catalogue item ("IV", "VTH").
    pub const CODE: usize = 20;
    /// Descriptions and intended results of actions and catalogue items.
    pub const TEXT: usize = 5_000;
    /// The description of the policy plan, which is a few paragraphs longer.
    pub const PLAN_TEXT: usize = 10_000;
    /// The note of a progress report.
    pub const NOTE: usize = 2_000;
    /// A search text or another filter value in a URL.
    pub const FILTER: usize = 200;
    /// A decision reference or letter number ("2024-007143").
    pub const REFERENCE: usize = 50;
}

/// A calendar date as users type it: `2024-02-27` (what a date field sends) or `27-02-2024`
/// (what the Dutch write). Bounds such as "not in the future" are the caller's.
pub fn parse_date(text: &str) -> Result<chrono::NaiveDate, ValueError> {
    let text = text.trim();
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d-%m-%Y"))
        .map_err(|_| ValueError::new("Vul een geldige datum in, bijvoorbeeld 31-03-2025."))
}

/// Whether a text is one line (a title, a name: every control character is refused) or more
/// (a description: tab, line feed and carriage return are allowed, other control characters
/// such as NUL are not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    One,
    Many,
}

/// A text that may be empty: trimmed, at most `max` characters, without control characters
/// (other than tab and line breaks in a text of `Lines::Many`). PostgreSQL refuses NUL in text,
/// so this is also what keeps such input from reaching the database.
pub fn bounded_text(text: &str, max: usize, lines: Lines) -> Result<String, ValueError> {
    let text = text.trim();
    if text.chars().count() > max {
        return Err(ValueError::new(format!(
            "Deze tekst is te lang (hoogstens {max} tekens)."
        )));
    }
    let refused = |c: char| match lines {
        Lines::One => c.is_control(),
        Lines::Many => c.is_control() && !matches!(c, '\t' | '\n' | '\r'),
    };
    if text.chars().any(refused) {
        return Err(ValueError::new(match lines {
            Lines::One => {
                "Deze tekst bevat een onzichtbaar teken dat hier niet mag (zoals een tab, een \
                 regeleinde of een nulteken). Gebruik gewone tekst op één regel."
            }
            Lines::Many => {
                "Deze tekst bevat een onzichtbaar stuurteken dat niet mag (zoals een nulteken). \
                 Haal het weg en probeer het opnieuw."
            }
        }));
    }
    Ok(text.to_string())
}

/// A required single-line text: as [`bounded_text`] with `Lines::One`, and not empty.
pub fn required_text(text: &str, max: usize, empty_message: &str) -> Result<String, ValueError> {
    let text = bounded_text(text, max, Lines::One)?;
    if text.is_empty() {
        Err(ValueError::new(empty_message))
    } else {
        Ok(text)
    }
}

/// Whether a text holds a control character; such text never matches anything stored, so a
/// lookup or a filter with it can be refused before it reaches the database.
pub fn has_control(text: &str) -> bool {
    text.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_bounded_and_clean() {
        assert_eq!(bounded_text("  a  ", 5, Lines::One).unwrap(), "a");
        assert_eq!(bounded_text("", 5, Lines::One).unwrap(), "");
        assert!(bounded_text("123456", 5, Lines::One).is_err());
        assert!(bounded_text("a\0b", 5, Lines::Many).is_err());
        assert!(bounded_text("a\u{1b}b", 5, Lines::Many).is_err());
        assert!(bounded_text("a\u{85}b", 5, Lines::Many).is_err());
        assert_eq!(
            bounded_text("a\r\n\tb", 5, Lines::Many).unwrap(),
            "a\r\n\tb"
        );
        assert!(bounded_text("a\nb", 5, Lines::One).is_err());
        assert!(required_text("   ", 5, "Vul iets in.").unwrap_err().0 == "Vul iets in.");
        assert!(required_text("a\0", 5, "Vul iets in.").is_err());
        assert!(has_control("a\0") && !has_control("één"));
    }
}
