//! Mail through SMTP, for the reminders of progress rounds. This is an edge: the settings come
//! from `config::SmtpArgs`, and `ops::rounds` hands over finished `ReminderMail`s.

use crate::config::{SmtpArgs, SmtpTls};
use crate::ops::rounds::{ReminderMail, SendMail};
use lettre::message::{Mailbox, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::future::Future;
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
        let tls = match args.smtp_tls {
            SmtpTls::None => Tls::None,
            SmtpTls::Starttls => Tls::Required(TlsParameters::new(host.into())?),
            SmtpTls::Tls => Tls::Wrapper(TlsParameters::new(host.into())?),
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
            .map_err(|e| format!("de mailserver nam het bericht niet aan ({e})"))
    }
}

impl SendMail for SmtpMailer {
    fn send(
        &self,
        mail: ReminderMail,
    ) -> Pin<Box<dyn Future<Output = Result<(), String>> + Send + '_>> {
        Box::pin(self.deliver(mail))
    }
}
