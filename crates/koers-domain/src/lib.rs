//! The Koers domain: the words of the yearly programme cycle as types, and the rules that hold
//! between them. Nothing in here does IO; every constructor that takes outside input validates it,
//! so a value of these types is always valid ("parse, don't validate").

pub mod action;
pub mod progress;
pub mod role;
pub mod validation;
pub mod values;

pub use action::{ActieCode, ActieGegevens, ActieInvoer, Herkomst, Kwartalen, Prioriteit};
pub use progress::{Status, Voortgang, VoortgangInvoer};
pub use role::Rol;
pub use validation::{FieldError, FieldErrors, Lines, bounded_text, has_control, required_text};
pub use values::{Fte, Jaar, Uren, ValueError};
