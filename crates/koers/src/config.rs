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
    /// The address users reach Koers on, for the links in mails, e.g.
    /// `https://koers.gemeente.nl`; defaults to `http://` and the bind address.
    #[arg(long, env = "KOERS_PUBLIC_URL")]
    pub public_url: Option<String>,
    #[command(flatten)]
    pub smtp: SmtpArgs,
}

/// The SMTP server for reminder mails. Without a host, reminders show in the application only.
#[derive(Args, Clone)]
pub struct SmtpArgs {
    /// The SMTP server's host name.
    #[arg(long, env = "KOERS_SMTP_HOST")]
    pub smtp_host: Option<String>,
    /// Its port; by default 25 (none), 587 (starttls) or 465 (tls).
    #[arg(long, env = "KOERS_SMTP_PORT")]
    pub smtp_port: Option<u16>,
    /// How the connection is encrypted.
    #[arg(long, env = "KOERS_SMTP_TLS", value_enum, default_value = "starttls")]
    pub smtp_tls: SmtpTls,
    /// The user name to log in with, if the server asks for one.
    #[arg(long, env = "KOERS_SMTP_USER")]
    pub smtp_user: Option<String>,
    /// The password of that user.
    #[arg(long, env = "KOERS_SMTP_PASSWORD", hide_env_values = true)]
    pub smtp_password: Option<String>,
    /// A PEM file with one or more CA certificates to trust besides the usual public ones, for
    /// a mail server whose certificate an internal CA issued.
    #[arg(long, env = "KOERS_SMTP_CA_FILE")]
    pub smtp_ca_file: Option<std::path::PathBuf>,
    /// The sender of the mails.
    #[arg(
        long,
        env = "KOERS_SMTP_FROM",
        default_value = "Koers <koers@localhost>"
    )]
    pub smtp_from: String,
}

impl fmt::Debug for SmtpArgs {
    /// Never print the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpArgs")
            .field("smtp_host", &self.smtp_host)
            .field("smtp_port", &self.smtp_port)
            .field("smtp_tls", &self.smtp_tls)
            .field("smtp_user", &self.smtp_user)
            .field("smtp_password", &self.smtp_password.as_ref().map(|_| "***"))
            .field("smtp_ca_file", &self.smtp_ca_file)
            .field("smtp_from", &self.smtp_from)
            .finish()
    }
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmtpTls {
    /// No encryption (a relay on the same machine or network only).
    None,
    /// Plain connection upgraded with STARTTLS; refused when the server cannot.
    Starttls,
    /// TLS from the first byte (SMTPS).
    Tls,
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
