//! Logging in and out, and finding the user behind a session token. These run before there is
//! a `Ctx`, so they take the store and the time directly.

use crate::password;
use koers_store::Store;
use koers_store::accounts::{Organisation, User};

/// Failed attempts per e-mail address within the window before login is refused for a while.
/// Kept in the database, so every app instance on it counts the same attempts.
const MAX_FAILURES: i64 = 5;
const WINDOW_SECONDS: i64 = 15 * 60;
/// Sessions last a working day; after that one logs in again.
pub const SESSION_SECONDS: i64 = 10 * 60 * 60;

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    #[error("e-mail address or password missing")]
    Missing,
    #[error("too many failed attempts")]
    TooManyAttempts,
    #[error("wrong e-mail address or password")]
    Wrong,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl LoginError {
    /// What the login page says.
    pub fn message(&self) -> &'static str {
        match self {
            Self::Missing => "Vul uw e-mailadres en wachtwoord in.",
            Self::TooManyAttempts => {
                "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw."
            }
            Self::Wrong => "Het e-mailadres of het wachtwoord is onjuist.",
            Self::Internal(_) => "Inloggen lukt nu niet. Probeer het later opnieuw.",
        }
    }
}

impl From<koers_store::StoreError> for LoginError {
    fn from(error: koers_store::StoreError) -> Self {
        Self::Internal(error.into())
    }
}

/// Checks the password and opens a session; returns its token. A session this browser still
/// had (`previous_token`) ends, and the new token is always fresh, so a session id planted
/// before login is worth nothing after it.
pub async fn login(
    store: &Store,
    email: &str,
    password: &str,
    previous_token: Option<&str>,
    now: i64,
) -> Result<String, LoginError> {
    let email = email.trim().to_lowercase();
    if email.is_empty() || password.is_empty() {
        return Err(LoginError::Missing);
    }
    if store
        .recent_failed_logins(&email, now - WINDOW_SECONDS)
        .await?
        >= MAX_FAILURES
    {
        return Err(LoginError::TooManyAttempts);
    }
    let credentials = store.credentials(&email).await?;
    // An unknown address costs as much time as a wrong password, so that response times do not
    // tell which addresses have an account.
    let user = match credentials {
        Some(c) if password::verify(password, &c.password_hash) && c.active => c,
        Some(_) => return failed(store, &email, now).await,
        None => {
            password::verify(password, password::unknown_user_hash());
            return failed(store, &email, now).await;
        }
    };
    store.record_login_attempt(&email, now, true).await?;
    if let Some(previous) = previous_token {
        store
            .delete_session(&password::token_hash(previous))
            .await?;
    }
    let token = password::session_token();
    store
        .create_session(
            &password::token_hash(&token),
            user.organisation_id,
            user.id,
            now,
            now + SESSION_SECONDS,
        )
        .await?;
    store.prune_sessions(now, now - 24 * 60 * 60).await?;
    Ok(token)
}

async fn failed<T>(store: &Store, email: &str, now: i64) -> Result<T, LoginError> {
    store.record_login_attempt(email, now, false).await?;
    Err(LoginError::Wrong)
}

pub async fn logout(store: &Store, token: &str) -> Result<(), LoginError> {
    Ok(store.delete_session(&password::token_hash(token)).await?)
}

/// The active user behind a session token and their organisation, if the session is valid.
pub async fn session(
    store: &Store,
    token: &str,
    now: i64,
) -> Result<Option<(User, Organisation)>, LoginError> {
    let Some(user) = store
        .session_user(&password::token_hash(token), now)
        .await?
    else {
        return Ok(None);
    };
    let organisation = store.organisation(user.organisation_id).await?;
    Ok(Some((user, organisation)))
}

/// The active user behind an API key and their organisation, if the key is valid.
pub async fn api_user(
    store: &Store,
    key: &str,
) -> Result<Option<(User, Organisation)>, LoginError> {
    let Some(user) = store.api_token_user(&password::token_hash(key)).await? else {
        return Ok(None);
    };
    let organisation = store.organisation(user.organisation_id).await?;
    Ok(Some((user, organisation)))
}
