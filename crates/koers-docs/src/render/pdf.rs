//! To be written.

use super::RenderFout;
use crate::model::Pakket;

pub fn render(_pakket: &Pakket) -> Result<Vec<u8>, RenderFout> {
    Err(RenderFout::Bestand("pdf", "nog niet gebouwd".into()))
}
