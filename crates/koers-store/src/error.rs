use koers_domain::FieldErrors;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist within the organisation (or not at all: the caller cannot tell).
    #[error("record not found")]
    NotFound,
    /// The record changed since the caller read it; `current` is the version now stored.
    #[error("record was changed by someone else (now at version {current})")]
    Conflict { current: i64 },
    /// Input that only the database can judge (a code already in use, an id of another
    /// organisation), reported per field.
    #[error("invalid input: {0:?}")]
    Invalid(FieldErrors),
    /// The action is refused by a rule of the data, e.g. deleting something still in use.
    #[error("refused: {0}")]
    Refused(String),
    #[error("invalid database URL: {0}")]
    BadUrl(String),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::Invalid(FieldErrors::single(field, message))
    }
}
