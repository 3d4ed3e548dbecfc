//! The letter's template: the organisation's own wording with named placeholders.
//! (Being written: signatures are fixed, bodies follow.)

use std::fmt;

/// The wording Koers ships, in plain Dutch.
pub const STANDAARD: &str = "";

/// A parsed template.
#[derive(Debug, Clone, PartialEq)]
pub struct Sjabloon {
    pub tekst: String,
}

/// A placeholder a template may use, with what it is filled with (for the editor's help).
pub struct Plaatshouder {
    pub naam: &'static str,
    pub uitleg: &'static str,
}

pub const PLAATSHOUDERS: &[Plaatshouder] = &[];

/// One problem in a template, as a Dutch sentence that names the placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SjabloonFout {
    pub regel: usize,
    pub melding: String,
}

impl fmt::Display for SjabloonFout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Regel {}: {}", self.regel, self.melding)
    }
}

impl Sjabloon {
    /// Checks a template: every placeholder known, every brace closed. Lists all problems.
    pub fn parse(tekst: &str) -> Result<Self, Vec<SjabloonFout>> {
        Ok(Self {
            tekst: tekst.to_string(),
        })
    }
}
