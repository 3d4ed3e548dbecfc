//! Mail through SMTP, for the reminders of progress rounds. This is an edge: the settings come
//! from `config::SmtpArgs`, and `ops::rounds` hands over finished `ReminderMail`s.

use crate::config::{SmtpArgs, SmtpTls};
use crate::ops::rounds::{ReminderMail, SendMail};
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::future::Future;
use std::io::Read;
use std::path::Path;
use std::pin::Pin;
use std::time::Duration;

/// Sends mail through one SMTP server.
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// The mailer of `args`, or `None` when no SMTP host is set (reminders then show in the
    /// application only).
    pub fn from_args(args: &SmtpArgs) -> anyhow::Result<Option<Self>> {
        let Some(host) = args.smtp_host.as_deref().filter(|h| !h.is_empty()) else {
            return Ok(None);
        };
        let ca_file = args.smtp_ca_file.as_deref();
        let tls = match args.smtp_tls {
            SmtpTls::None => {
                if let Some(path) = ca_file {
                    anyhow::bail!(
                        "--smtp-ca-file {} heeft alleen zin met --smtp-tls starttls of tls; met none gaat de mail onversleuteld",
                        path.display()
                    );
                }
                Tls::None
            }
            SmtpTls::Starttls => Tls::Required(tls_parameters(host, ca_file)?),
            SmtpTls::Tls => Tls::Wrapper(tls_parameters(host, ca_file)?),
        };
        let port = args.smtp_port.unwrap_or(match args.smtp_tls {
            SmtpTls::None => 25,
            SmtpTls::Starttls => 587,
            SmtpTls::Tls => 465,
        });
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .tls(tls)
            .timeout(Some(Duration::from_secs(30)));
        if let Some(user) = args.smtp_user.as_deref().filter(|u| !u.is_empty()) {
            builder = builder.credentials(Credentials::new(
                user.to_string(),
                args.smtp_password.clone().unwrap_or_default(),
            ));
        }
        let from: Mailbox = args
            .smtp_from
            .parse()
            .map_err(|e| anyhow::anyhow!("--smtp-from '{}': {e}", args.smtp_from))?;
        Ok(Some(Self {
            transport: builder.build(),
            from,
        }))
    }

    async fn deliver(&self, mail: ReminderMail) -> Result<(), String> {
        let to = Mailbox::new(
            Some(mail.to_name),
            mail.to_email
                .parse()
                .map_err(|_| format!("het e-mailadres {} is ongeldig", mail.to_email))?,
        );
        // lettre encodes the subject and the names as headers (RFC 2047), so no text in them
        // can start a header of its own.
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body)
            .map_err(|e| format!("het bericht kon niet worden gemaakt ({e})"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| failure(&e))
    }
}

/// The largest CA file read: a bundle of every public root is about 200 KiB.
const CA_FILE_MAX_BYTES: u64 = 1024 * 1024;

/// TLS towards `host`, trusting the usual public roots and the certificates in `ca_file`.
/// Every way the file can be wrong is a Dutch error naming it, for the start-up to print.
fn tls_parameters(host: &str, ca_file: Option<&Path>) -> anyhow::Result<TlsParameters> {
    let mut builder = TlsParameters::builder(host.to_string());
    let Some(path) = ca_file else {
        return builder.build().map_err(|e| {
            anyhow::anyhow!("TLS naar de mailserver kan niet worden ingesteld ({e})")
        });
    };
    let shown = path.display();
    let mut pem = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(CA_FILE_MAX_BYTES + 1).read_to_end(&mut pem))
        .map_err(|e| anyhow::anyhow!("--smtp-ca-file {shown} kan niet worden gelezen ({e})"))?;
    if pem.len() as u64 > CA_FILE_MAX_BYTES {
        anyhow::bail!(
            "--smtp-ca-file {shown} is groter dan 1 MiB; geef een PEM-bestand met alleen de CA-certificaten"
        );
    }
    // lettre skips what is not a certificate, so a file without one would quietly trust
    // nothing extra.
    let marker = b"-----BEGIN CERTIFICATE-----";
    if !pem.windows(marker.len()).any(|w| w == marker) {
        anyhow::bail!(
            "--smtp-ca-file {shown} bevat geen certificaat; verwacht is een PEM-bestand met een of meer blokken '-----BEGIN CERTIFICATE-----'"
        );
    }
    let certificates = Certificate::from_pem(&pem).map_err(|_| {
        anyhow::anyhow!("--smtp-ca-file {shown}: een certificaat in dit PEM-bestand is onleesbaar")
    })?;
    builder = builder.add_root_certificate(certificates);
    // Building parses each certificate as a trust anchor, so a block that is valid base64
    // but no certificate is refused here.
    builder.build().map_err(|e| {
        anyhow::anyhow!("--smtp-ca-file {shown}: een certificaat in dit bestand is ongeldig ({e})")
    })
}

/// Why a send failed, in words a reader of the round page can act on.
fn failure(error: &lettre::transport::smtp::Error) -> String {
    if let Some(reason) = untrusted_certificate(error) {
        return format!(
            "het certificaat van de mailserver wordt niet vertrouwd ({reason}); is het door een eigen CA uitgegeven, geef die CA dan op met --smtp-ca-file"
        );
    }
    if error.is_response() || error.is_transient() || error.is_permanent() {
        format!("de mailserver nam het bericht niet aan ({error})")
    } else {
        format!("de mailserver was niet te bereiken ({error})")
    }
}

/// The certificate error of a failed TLS handshake: lettre passes on the I/O error of the TLS
/// stream, which carries rustls' own error.
fn untrusted_certificate(error: &lettre::transport::smtp::Error) -> Option<String> {
    let mut source = std::error::Error::source(error);
    while let Some(current) = source {
        let tls = current
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<rustls::Error>());
        if let Some(rustls::Error::InvalidCertificate(reason)) = tls {
            return Some(format!("{reason:?}"));
        }
        source = current.source();
    }
    None
}

impl SendMail for SmtpMailer {
    fn send(
        &self,
        mail: ReminderMail,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + '_>> {
        Box::pin(self.deliver(mail))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(tls: SmtpTls, ca_file: &Path) -> SmtpArgs {
        SmtpArgs {
            smtp_host: Some("mail.gemeente.example".into()),
            smtp_port: None,
            smtp_tls: tls,
            smtp_user: None,
            smtp_password: None,
            smtp_ca_file: Some(ca_file.to_path_buf()),
            smtp_from: "Koers <koers@gemeente.example>".into(),
        }
    }

    fn start_up_error(args: &SmtpArgs) -> String {
        match SmtpMailer::from_args(args) {
            Ok(_) => panic!("{args:?} was accepted"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn a_ca_file_that_cannot_be_used_stops_the_start_with_a_dutch_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("ontbreekt.pem");
        let error = start_up_error(&args(SmtpTls::Starttls, &missing));
        assert!(error.contains("kan niet worden gelezen"), "{error}");
        assert!(error.contains("ontbreekt.pem"), "{error}");

        let cases = [
            ("leeg.pem", String::new(), "bevat geen certificaat"),
            (
                "sleutel.pem",
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".into(),
                "bevat geen certificaat",
            ),
            (
                "kapot.pem",
                "-----BEGIN CERTIFICATE-----\n%%% geen base64 %%%\n-----END CERTIFICATE-----\n"
                    .into(),
                "onleesbaar",
            ),
            (
                "geen-certificaat.pem",
                "-----BEGIN CERTIFICATE-----\naGFsbG8gd2VyZWxk\n-----END CERTIFICATE-----\n".into(),
                "ongeldig",
            ),
            (
                "te-groot.pem",
                "x".repeat(usize::try_from(CA_FILE_MAX_BYTES).unwrap() + 1),
                "groter dan 1 MiB",
            ),
        ];
        for (name, content, expected) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, content).unwrap();
            for tls in [SmtpTls::Starttls, SmtpTls::Tls] {
                let error = start_up_error(&args(tls, &path));
                assert!(error.contains(expected), "{name}: {error}");
                assert!(error.contains(name), "{name}: {error}");
            }
        }

        // Without encryption a CA file is a mistake in the settings, not something to ignore.
        let error = start_up_error(&args(SmtpTls::None, &dir.path().join("leeg.pem")));
        assert!(error.contains("heeft alleen zin met"), "{error}");
    }
}
