//! The Koers domain: the words of the yearly programme cycle as types, and the rules that hold
//! between them. Nothing in here does IO; every constructor that takes outside input validates it,
//! so a value of these types is always valid ("parse, don't validate").

/// Reads a stored code back into its type: `TryFrom<String>` for the enums that have
/// `from_code`, so that the store hands out typed rows (sqlx's `try_from` attribute) and no
/// reader parses the same string again.
macro_rules! stored_code {
    ($($ty:ty => $what:literal),+ $(,)?) => {
        $(
            impl TryFrom<String> for $ty {
                type Error = $crate::values::ValueError;

                fn try_from(code: String) -> Result<Self, Self::Error> {
                    Self::from_code(&code).ok_or_else(|| {
                        $crate::values::ValueError::new(format!("onbekende {}: {code}", $what))
                    })
                }
            }
        )+
    };
}

pub mod action;
pub mod adoption;
pub mod capacity;
pub mod evaluation;
pub mod evaluation_forms;
pub mod indicator;
pub mod lhs;
pub mod nl;
pub mod progress;
pub mod readability;
pub mod risk;
pub mod role;
pub mod round;
pub mod search;
pub mod trend;
pub mod validation;
pub mod values;
pub mod vth;

pub use action::{ActieCode, ActieGegevens, ActieInvoer, Herkomst, Kwartalen, Prioriteit};
pub use adoption::{Besluit, BesluitInvoer, Raadsbrief, RaadsbriefInvoer, Stap, Vaststelling};
pub use evaluation::{
    ActieEvaluatie, ActieEvaluatieInvoer, GeevalueerdeActie, Kengetallen, Telling, Uitkomst,
};
pub use progress::{Status, Voortgang, VoortgangInvoer};
pub use role::Rol;
pub use validation::{
    FieldError, FieldErrors, Lines, bounded_text, has_control, parse_date, required_text,
};
pub use values::{Fte, Jaar, Personen, Uren, ValueError};

stored_code!(
    Herkomst => "herkomst",
    Prioriteit => "prioriteit",
    Status => "status",
    Rol => "rol",
    Vaststelling => "vaststellingsstatus",
    Uitkomst => "uitkomst",
    vth::Discipline => "discipline",
    indicator::Richting => "richting",
);
