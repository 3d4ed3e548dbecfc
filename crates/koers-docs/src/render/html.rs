//! To be written.

use crate::model::Pakket;

pub fn render(_pakket: &Pakket) -> String {
    String::new()
}
