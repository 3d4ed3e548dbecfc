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

/// A required single-line or short text: trimmed, not empty, not longer than `max` characters.
pub fn required_text(text: &str, max: usize, empty_message: &str) -> Result<String, ValueError> {
    let text = text.trim();
    if text.is_empty() {
        Err(ValueError::new(empty_message))
    } else if text.chars().count() > max {
        Err(ValueError::new(format!(
            "Deze tekst is te lang (hoogstens {max} tekens)."
        )))
    } else {
        Ok(text.to_string())
    }
}
