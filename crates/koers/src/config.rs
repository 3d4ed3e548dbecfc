//! Typed settings. Every setting is a flag and a `KOERS_*` environment variable.

use clap::Args;
use std::fmt;
use std::net::SocketAddr;

pub const DEFAULT_DATABASE_URL: &str = "sqlite:koers.db";

/// Where the database is.
#[derive(Args, Clone)]
pub struct DatabaseArgs {
    /// Database URL: `sqlite:PATH` (embedded, the default) or `postgres://user:password@host/db`.
    #[arg(long = "database-url", env = "KOERS_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,
}

impl fmt::Debug for DatabaseArgs {
    /// A PostgreSQL URL may carry a password: never print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseArgs")
            .field("database_url", &redact_url(&self.database_url))
            .finish()
    }
}

/// Settings of the web server.
#[derive(Args, Debug, Clone)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "KOERS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Load the demo organisation when the database is empty.
    #[arg(long)]
    pub demo: bool,
    /// Mark the session cookie `Secure` and send HSTS: set this when Koers is served over HTTPS.
    #[arg(long, env = "KOERS_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// A session ends after this many minutes without a request (and always after 10 hours).
    #[arg(long, env = "KOERS_SESSION_IDLE_MINUTES", default_value_t = 30,
          value_parser = clap::value_parser!(u16).range(1..=600))]
    pub session_idle_minutes: u16,
    /// The header in which a trusted reverse proxy passes the client's address, e.g.
    /// `X-Forwarded-For` or `X-Real-IP`; Koers uses the last address in it. Set it only when
    /// Koers can be reached through that proxy alone, or clients can pick their own address.
    #[arg(long, env = "KOERS_CLIENT_IP_HEADER")]
    pub client_ip_header: Option<axum::http::HeaderName>,
}

/// Replaces the password in `scheme://user:password@host` by `***`.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => {
                    format!("{}://{user}:***@{}", &url[..scheme_end], &url[at + 1..])
                }
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://koers:geheim@db/koers"),
            "postgres://koers:***@db/koers"
        );
        assert_eq!(
            redact_url("postgres://koers@db/koers"),
            "postgres://koers@db/koers"
        );
        assert_eq!(redact_url("sqlite:koers.db"), "sqlite:koers.db");
        let args = DatabaseArgs {
            database_url: "postgres://a:b@c/d".into(),
        };
        assert!(!format!("{args:?}").contains(":b@"));
    }
}
