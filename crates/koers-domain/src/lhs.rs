//! The intervention matrix of the Landelijke Handhavingsstrategie (LHS, LHSO): the possible
//! consequences of a violation (gevolgen 1–4, the rows) against the behaviour of the offender
//! (gedrag A–D, the columns). A cell is named by its letter and digit, "B3". The axes are the
//! national ones; which interventions go in which cell is the organisation's own choice, so
//! Koers ships every cell empty and never fills one in.

use crate::validation::{FieldErrors, Lines, bounded_text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The longest text of one cell.
pub const MAX_CEL: usize = 1_000;
/// The longest explanation of a matrix version.
pub const MAX_TOELICHTING: usize = 2_000;

/// The rows, from light to heavy: (number, LHSO wording).
pub const GEVOLGEN: [(u8, &str); 4] = [
    (1, "Nihil"),
    (2, "Beperkt"),
    (3, "Van belang"),
    (4, "Aanzienlijk en/of onomkeerbaar"),
];

/// The columns, from well-intentioned to criminal: (letter, LHSO wording).
pub const GEDRAG: [(char, &str); 4] = [
    ('A', "Goedwillend"),
    ('B', "Neutraal of onverschillig"),
    ('C', "Calculerend of opportunistisch"),
    ('D', "Notoir of crimineel"),
];

/// Every cell name, A1 … D4, row by row from gevolgen 1.
pub fn cellen() -> impl Iterator<Item = String> {
    GEVOLGEN
        .iter()
        .flat_map(|(g, _)| GEDRAG.iter().map(move |(letter, _)| format!("{letter}{g}")))
}

/// Whether `name` is a cell of the matrix.
pub fn is_cel(name: &str) -> bool {
    cellen().any(|c| c == name)
}

/// One version of the organisation's matrix: the interventions per cell (cells without text are
/// absent) and a note, such as which policy rule it implements.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LhsMatrix {
    pub cellen: BTreeMap<String, String>,
    pub toelichting: String,
}

impl LhsMatrix {
    pub fn cel(&self, name: &str) -> Option<&str> {
        self.cellen.get(name).map(String::as_str)
    }

    pub fn ingevuld(&self) -> usize {
        self.cellen.len()
    }
}

/// The matrix form as typed: a text per cell name, and the note. Field names of errors:
/// `cel_A1` … `cel_D4`, `cellen` (an unknown cell name), `toelichting`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LhsInvoer {
    pub cellen: BTreeMap<String, String>,
    pub toelichting: String,
}

impl LhsInvoer {
    pub fn validate(&self) -> Result<LhsMatrix, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut cellen = BTreeMap::new();
        for (name, text) in &self.cellen {
            if !is_cel(name) {
                errors.add(
                    "cellen",
                    "Een cel heet A1 tot en met D4: een letter voor het gedrag en een cijfer voor de gevolgen.",
                );
                continue;
            }
            if let Some(text) = errors.check(
                &format!("cel_{name}"),
                bounded_text(text, MAX_CEL, Lines::Many),
            ) && !text.is_empty()
            {
                cellen.insert(name.clone(), text);
            }
        }
        let toelichting = errors.check(
            "toelichting",
            bounded_text(&self.toelichting, MAX_TOELICHTING, Lines::Many),
        );
        match toelichting {
            Some(toelichting) if errors.is_empty() => Ok(LhsMatrix {
                cellen,
                toelichting,
            }),
            _ => Err(errors),
        }
    }
}

impl From<&LhsMatrix> for LhsInvoer {
    fn from(matrix: &LhsMatrix) -> Self {
        Self {
            cellen: matrix.cellen.clone(),
            toelichting: matrix.toelichting.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_sixteen_cells_from_a1_to_d4() {
        let all: Vec<String> = cellen().collect();
        assert_eq!(all.len(), 16);
        assert_eq!(all.first().unwrap(), "A1");
        assert_eq!(all.last().unwrap(), "D4");
        assert!(is_cel("B3"));
        assert!(!is_cel("E1") && !is_cel("A5") && !is_cel("a1"));
    }

    #[test]
    fn empty_cells_stay_empty_and_texts_are_bounded() {
        let mut invoer = LhsInvoer::default();
        invoer.cellen.insert("A1".into(), "  Informeren  ".into());
        invoer.cellen.insert("B2".into(), "   ".into());
        let matrix = invoer.validate().unwrap();
        assert_eq!(matrix.cel("A1"), Some("Informeren"));
        assert_eq!(matrix.cel("B2"), None);
        assert_eq!(matrix.ingevuld(), 1);

        let mut bad = LhsInvoer::default();
        bad.cellen.insert("C4".into(), "x".repeat(MAX_CEL + 1));
        bad.cellen.insert("D1".into(), "a\0b".into());
        bad.cellen.insert("Z9".into(), "?".into());
        let errors = bad.validate().unwrap_err();
        assert!(errors.get("cel_C4").is_some());
        assert!(errors.get("cel_D1").is_some());
        assert!(errors.get("cellen").is_some());
    }
}
