//! Logging in and out, and finding the user behind a session token. These run before there is
//! a `Ctx`, so they take the store and the time directly.

use crate::password;
use koers_store::Store;
use koers_store::accounts::{Organisation, User};
use koers_store::login_security::SecurityEventKind;

/// The login rate limit. Every attempt first raises three counters in one upsert each, and
/// only then is the password checked, so parallel attempts cannot slip past a limit:
/// - per address *and* client: the attacker at one client cannot lock out the real user, who
///   logs in from another client;
/// - per client (all addresses): spraying many addresses from one client is stopped;
/// - per address (all clients): a distributed attack is slowed down, at the cost of a short
///   delay for the real user, never a long lock-out.
///
/// A counter's window starts at its first failure and lasts `WINDOW_SECONDS`; it is kept in the
/// database, so every app instance on it counts the same attempts.
pub const WINDOW_SECONDS: i64 = 15 * 60;
const MAX_FAILURES_PER_ADDRESS_AND_CLIENT: i64 = 5;
const MAX_FAILURES_PER_CLIENT: i64 = 20;
const MAX_FAILURES_PER_ADDRESS: i64 = 50;
/// Sessions last at most a working day; after that one logs in again.
pub const SESSION_SECONDS: i64 = 10 * 60 * 60;
/// The default idle timeout: a session ends after this long without a request.
pub const DEFAULT_IDLE_SECONDS: i64 = 30 * 60;
/// An e-mail address is at most 254 characters (RFC 5321); longer input cannot be an account.
pub const MAX_EMAIL_LENGTH: usize = 254;
/// Argon2 over a megabyte costs time for nothing: longer passwords are refused unchecked.
pub const MAX_PASSWORD_LENGTH: usize = 1024;

/// One login attempt as it arrives at the edge.
pub struct Attempt<'a> {
    pub email: &'a str,
    pub password: &'a str,
    /// The client's address (see `config::ServeArgs::client_ip_header`), or "onbekend".
    pub client: &'a str,
    /// A session this browser still had; it ends, and the new token is always fresh, so a
    /// session id planted before login is worth nothing after it.
    pub previous_token: Option<&'a str>,
    pub now: i64,
    pub idle_seconds: i64,
}

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
                "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw, \
                 of vraag de beheerder om een nieuw wachtwoord."
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

/// The e-mail address as it is stored: without surrounding spaces, in lower case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// Throttle keys are hashes, so the counters hold no addresses and have a fixed size.
fn throttle_keys(email: &str, client: &str) -> [String; 3] {
    [
        password::token_hash(&format!("adres+client:{email}\n{client}")),
        password::token_hash(&format!("client:{client}")),
        password::token_hash(&format!("adres:{email}")),
    ]
}

/// Checks the password and opens a session; returns its token.
pub async fn login(store: &Store, attempt: &Attempt<'_>) -> Result<String, LoginError> {
    let email = normalise_email(attempt.email);
    if email.is_empty() || attempt.password.is_empty() {
        return Err(LoginError::Missing);
    }
    // No account has an address with a control character, and PostgreSQL refuses NUL in text:
    // such an attempt is wrong before any query.
    if koers_domain::has_control(&email) {
        return Err(LoginError::Wrong);
    }
    let now = attempt.now;
    let keys = throttle_keys(&email, attempt.client);
    let counts = store
        .count_login_failures(&keys, now, WINDOW_SECONDS)
        .await?;
    let limits = [
        MAX_FAILURES_PER_ADDRESS_AND_CLIENT,
        MAX_FAILURES_PER_CLIENT,
        MAX_FAILURES_PER_ADDRESS,
    ];
    if counts
        .iter()
        .zip(limits)
        .any(|(count, limit)| *count > limit)
    {
        // Log the moment a limit is crossed, not every refused attempt after it.
        if counts
            .iter()
            .zip(limits)
            .any(|(count, limit)| *count == limit + 1)
        {
            log(store, SecurityEventKind::Locked, &email, attempt).await?;
        }
        return Err(LoginError::TooManyAttempts);
    }
    let credentials = if email.chars().count() > MAX_EMAIL_LENGTH
        || attempt.password.len() > MAX_PASSWORD_LENGTH
    {
        None
    } else {
        store.credentials(&email).await?
    };
    // An unknown address costs as much time as a wrong password, so that response times do not
    // tell which addresses have an account.
    let (stored_hash, user) = match credentials {
        Some(c) => (c.password_hash.clone(), Some(c)),
        None => (password::unknown_user_hash().to_string(), None),
    };
    let matches = password::verify_off_executor(attempt.password.to_string(), stored_hash).await;
    let Some(user) = user.filter(|_| matches) else {
        return failed(store, &email, attempt).await;
    };
    if !user.active {
        return failed(store, &email, attempt).await;
    }
    let [pair, client, address] = keys;
    store
        .clear_login_failures(&[pair, address], &[client])
        .await?;
    if let Some(previous) = attempt.previous_token {
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
            session_end(now, now, attempt.idle_seconds),
        )
        .await?;
    log(store, SecurityEventKind::Login, &email, attempt).await?;
    Ok(token)
}

async fn failed<T>(store: &Store, email: &str, attempt: &Attempt<'_>) -> Result<T, LoginError> {
    log(store, SecurityEventKind::Failed, email, attempt).await?;
    Err(LoginError::Wrong)
}

async fn log(
    store: &Store,
    kind: SecurityEventKind,
    email: &str,
    attempt: &Attempt<'_>,
) -> Result<(), LoginError> {
    Ok(store
        .record_security_event(kind, email, attempt.client, attempt.now)
        .await?)
}

/// When a session that started at `created` ends if its last request is at `now`: after the
/// idle timeout, but never later than the maximum length of a session.
fn session_end(created: i64, now: i64, idle_seconds: i64) -> i64 {
    (now + idle_seconds).min(created + SESSION_SECONDS)
}

/// Ends the session of `token` and logs it in the security log.
pub async fn logout(store: &Store, token: &str, client: &str, now: i64) -> Result<(), LoginError> {
    let hash = password::token_hash(token);
    if let Some(session) = store.session_user(&hash, now).await? {
        store
            .record_security_event(SecurityEventKind::Logout, &session.user.email, client, now)
            .await?;
    }
    Ok(store.delete_session(&hash).await?)
}

/// The active user behind a session token, their organisation and its team name (for the page
/// header), if the session is valid. Each request moves the idle timeout on; the session's end is written at most once a
/// minute, so a page with many requests does not write for each.
pub async fn session(
    store: &Store,
    token: &str,
    now: i64,
    idle_seconds: i64,
) -> Result<Option<(User, Organisation, String)>, LoginError> {
    let hash = password::token_hash(token);
    let Some(session) = store.session_user(&hash, now).await? else {
        return Ok(None);
    };
    let end = session_end(session.session_created_at, now, idle_seconds);
    if end - session.session_expires_at >= 60 {
        store.extend_session(&hash, now, end).await?;
    }
    Ok(Some(session.into_parts()))
}

/// Removes counters whose window ended and expired sessions; `serve` runs it on a timer.
pub async fn prune(store: &Store, now: i64) -> Result<u64, LoginError> {
    Ok(store.prune_logins(now, WINDOW_SECONDS).await?)
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
