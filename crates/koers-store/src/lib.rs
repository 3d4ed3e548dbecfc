//! The only crate of Koers that speaks SQL.
//!
//! One [`Store`] serves both SQLite (the embedded default) and PostgreSQL. The SQL text is the
//! same for both dialects: it uses `$1`-style parameters, which both understand, and only
//! constructs both support. The [`on_conn!`] macro expands one query body once per dialect, so
//! each is type-checked against its own driver without a lowest-common-denominator `Any` driver.
//!
//! Every method that touches organisation data takes the organisation id and filters on it;
//! every change writes an audit row in the same transaction (see [`audit`]).

#[macro_use]
mod connection;
#[macro_use]
mod dynamic;
pub mod accounts;
pub mod actions;
pub mod adoption;
pub mod api_tokens;
pub mod audit;
pub mod carry_over;
pub mod catalog;
pub mod council_packages;
pub mod error;
pub mod evaluation;
pub mod house_style;
pub mod indicators;
pub mod login_security;
pub mod plan;
pub mod programmes;
pub mod risk;
pub mod rounds;
pub mod search;
mod session_lookups;
pub mod testing;
pub mod vth;
mod wal_index;

pub use connection::{Dialect, Store, Tx};
pub use error::StoreError;

/// Who makes a change, and when: written into the audit log and progress entries. The time is
/// a parameter so that the store never reads the clock itself.
#[derive(Debug, Clone)]
pub struct Actor {
    pub organisation_id: i64,
    pub user_id: Option<i64>,
    pub user_name: String,
    pub now: chrono::DateTime<chrono::Utc>,
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
