//! The yearly programme (uitvoeringsprogramma) as a whole.

use serde::{Deserialize, Serialize};

/// Where a programme is in its year: drafted, or adopted by the college.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammaStatus {
    Concept,
    Vastgesteld,
}

impl ProgrammaStatus {
    pub const ALL: [ProgrammaStatus; 2] = [Self::Concept, Self::Vastgesteld];

    pub fn code(self) -> &'static str {
        match self {
            Self::Concept => "concept",
            Self::Vastgesteld => "vastgesteld",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Concept => "Concept",
            Self::Vastgesteld => "Vastgesteld",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}
