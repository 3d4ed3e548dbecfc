//! Use cases. The web pages (and later the JSON API) call these functions; they check what the
//! user may do, validate input into domain types and call the store. Handlers stay thin:
//! extract → ops → render.

pub mod account;
pub mod actions;
pub mod admin;
pub mod adoption;
pub mod auth;
pub mod carry_over;
pub mod charts;
pub mod evaluation;
pub mod house_style;
pub mod indicators;
pub mod letter_template;
pub mod lhs;
pub mod package;
pub mod plan;
pub mod programme_export;
pub mod read_model;
pub mod readability;
pub mod risk;
pub mod rounds;
pub mod search;
pub mod trends;
pub mod vth;

use chrono::{DateTime, NaiveDate, Utc};
use koers_domain::{FieldErrors, Rol};
use koers_store::accounts::{Organisation, User};
use koers_store::{Actor, Store, StoreError};

/// Who is asking, for which organisation, and when. Built once per request at the edge.
#[derive(Clone)]
pub struct Ctx {
    pub store: Store,
    pub user: User,
    pub organisation: Organisation,
    pub now: DateTime<Utc>,
    pub read_models: read_model::ReadModels,
}

impl Ctx {
    pub fn org(&self) -> i64 {
        self.organisation.id
    }

    pub fn role(&self) -> Rol {
        self.user.role
    }

    pub fn today(&self) -> NaiveDate {
        dutch_date_of(self.now)
    }

    pub fn actor(&self) -> Actor {
        Actor {
            organisation_id: self.organisation.id,
            user_id: Some(self.user.id),
            user_name: self.user.name.clone(),
            now: self.now,
        }
    }

    pub fn require(&self, allowed: bool) -> Result<(), OpsError> {
        if allowed {
            Ok(())
        } else {
            Err(OpsError::Forbidden)
        }
    }
}

/// The Dutch calendar date at `now`: the organisations are Dutch, and so is the date of a
/// report or a reminder.
pub fn dutch_date_of(now: DateTime<Utc>) -> NaiveDate {
    (now + chrono::Duration::hours(amsterdam_offset_hours(now))).date_naive()
}

/// Central European time: UTC+2 from the last Sunday of March to the last Sunday of October,
/// otherwise UTC+1 (the switch hour itself is approximated to the day, which is enough for dates).
pub fn amsterdam_offset_hours(now: DateTime<Utc>) -> i64 {
    use chrono::Datelike;
    let year = now.year();
    let last_sunday = |month: u32| {
        let last = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or_default();
        last - chrono::Duration::days(i64::from(last.weekday().num_days_from_sunday()))
    };
    let date = now.date_naive();
    if date >= last_sunday(3) && date < last_sunday(10) {
        2
    } else {
        1
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OpsError {
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// Not found, with a Dutch sentence that says what is missing ("Er is geen programma voor
    /// 2031."), where a plain "page not found" would leave the user guessing.
    #[error("not found: {0}")]
    Missing(String),
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("conflict with version {current}")]
    Conflict { current: i64 },
    #[error("refused: {0}")]
    Refused(String),
    /// Something failed on our side that the user should hear about in words, such as a file
    /// that could not be made: the sentence (Dutch) is shown and logged, nothing was changed.
    #[error("failed: {0}")]
    Failed(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for OpsError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => Self::NotFound,
            StoreError::Conflict { current } => Self::Conflict { current },
            StoreError::Invalid(errors) => Self::Invalid(errors),
            StoreError::Refused(message) => Self::Refused(message),
            other => Self::Internal(other.into()),
        }
    }
}

impl From<FieldErrors> for OpsError {
    fn from(errors: FieldErrors) -> Self {
        Self::Invalid(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dutch_offset_follows_summer_time() {
        let winter = DateTime::parse_from_rfc3339("2024-01-15T23:30:00Z")
            .unwrap()
            .to_utc();
        let summer = DateTime::parse_from_rfc3339("2024-07-15T22:30:00Z")
            .unwrap()
            .to_utc();
        assert_eq!(amsterdam_offset_hours(winter), 1);
        assert_eq!(amsterdam_offset_hours(summer), 2);
    }
}
