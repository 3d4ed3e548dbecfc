//! From [`PakketInvoer`](crate::invoer::PakketInvoer) to [`Pakket`](crate::model::Pakket).
//! (Being written: the signature is fixed, the body follows.)

use crate::invoer::PakketInvoer;
use crate::model::Pakket;
use crate::sjabloon::SjabloonFout;

#[derive(Debug, thiserror::Error)]
pub enum BouwFout {
    #[error("Het sjabloon van de brief klopt niet.")]
    Sjabloon(Vec<SjabloonFout>),
}

pub fn pakket(_invoer: &PakketInvoer) -> Result<Pakket, BouwFout> {
    todo!("being written")
}
