//! The readability check behind the "Leesbaarheid controleren" button: any logged-in user may
//! use it, and it keeps and changes nothing.

use super::OpsError;
use koers_domain::FieldErrors;
use koers_domain::readability::{Analysis, analyse};
use koers_domain::validation::{Lines, bounded_text, max};

/// The longest text the check takes: as long as the longest text field (the plan's description).
pub const MAX_TEXT: usize = max::PLAN_TEXT;

/// Checks the text of the form field `field`. The field name only says which text of the form
/// to read; it must look like one of Koers' field names.
pub fn check(field: &str, text: &str) -> Result<Analysis, OpsError> {
    if field.is_empty()
        || field.len() > 40
        || !field
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(OpsError::Invalid(FieldErrors::single(
            "veld",
            "Onbekend tekstveld: er is niets gecontroleerd.",
        )));
    }
    let text = bounded_text(text, MAX_TEXT, Lines::Many)
        .map_err(|e| OpsError::Invalid(FieldErrors::single(field, e.0)))?;
    Ok(analyse(&text))
}
