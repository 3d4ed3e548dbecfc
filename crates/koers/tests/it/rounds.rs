//! Progress rounds (`/programma/{jaar}/rondes`, `/api/v1/programmas/{jaar}/rondes`), "Mijn
//! acties" (`/mijn-acties`, `/api/v1/mijn-acties`) and the reminder mails, which go to a real
//! SMTP server (aiosmtpd) started by the test on loopback.

use crate::api::{api_key, call};
use crate::helpers::{TestApp, each_database, now};
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use koers::config::{SmtpArgs, SmtpTls};
use koers::mail::SmtpMailer;
use koers::ops::rounds::run_reminders;
use koers_store::audit::AuditFilter;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The demo's open round of 2024 as the API shows it, with its completeness.
async fn open_round(app: &TestApp, key: &str) -> Value {
    let list = call(
        app,
        "GET",
        "/api/v1/programmas/2024/rondes",
        Some(key),
        &[],
        None,
    )
    .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.json);
    let open = list
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["geslotenOp"].is_null())
        .expect("the demo has an open round in 2024")
        .clone();
    let id = open["id"].as_i64().unwrap();
    let round = call(
        app,
        "GET",
        &format!("/api/v1/programmas/2024/rondes/{id}"),
        Some(key),
        &[],
        None,
    )
    .await;
    assert_eq!(round.status, StatusCode::OK, "{}", round.json);
    round.json
}

async fn my_actions_put_the_missing_ones_first_and_a_report_counts(app: TestApp) {
    let teamlid = app.login("teamlid").await;
    let key = api_key(&app, &teamlid).await;
    let before = open_round(&app, &key).await;
    let (reported, needed) = (
        before["gemeld"].as_i64().unwrap(),
        before["nodig"].as_i64().unwrap(),
    );
    assert!(reported > 0 && reported < needed, "{before}");

    // The list of the teamlid's subteam (Toezicht en handhaving), waiting ones first.
    let mine = call(&app, "GET", "/api/v1/mijn-acties", Some(&key), &[], None).await;
    assert_eq!(mine.status, StatusCode::OK, "{}", mine.json);
    assert_eq!(mine.json["jaar"], 2024);
    assert_eq!(mine.json["openRonde"]["id"], before["id"]);
    let actions = mine.json["acties"].as_array().unwrap();
    assert!(!actions.is_empty());
    let waiting: Vec<bool> = actions
        .iter()
        .map(|a| a["wachtOpMelding"].as_bool().unwrap())
        .collect();
    assert!(waiting[0], "the first action waits for a report");
    assert!(
        waiting.windows(2).all(|w| w[0] || !w[1]),
        "waiting actions come first: {waiting:?}"
    );
    let first = actions
        .iter()
        .find(|a| a["gemeldInRonde"] == json!(false))
        .expect("an action of the subteam misses its report")
        .clone();
    let code = first["code"].as_str().unwrap();

    // The page shows the same, with the round and a link to report.
    let page = app.get("/mijn-acties", &teamlid).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Mijn acties 2024"), "{}", page.body);
    assert!(page.body.contains("Tweede kwartaal 2024"));
    assert!(page.body.contains("aria-current=\"page\">Mijn acties</a>"));
    let link = format!("/programma/2024/acties/{code}#voortgang-melden");
    assert!(page.body.contains(&link), "{}", page.body);
    assert!(page.body.find(&link).unwrap() < page.body.find("Overige acties").unwrap());

    // Reporting on it raises the round's completeness by one.
    let reply = app
        .post(
            &format!("/programma/2024/acties/{code}/voortgang"),
            &teamlid,
            &[
                ("status", "op_schema"),
                ("note", "Controles van deze maand gedaan."),
                ("hours_spent", "6"),
                ("entry_date", "2024-06-03"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let after = open_round(&app, &key).await;
    assert_eq!(after["gemeld"].as_i64().unwrap(), reported + 1);
    assert_eq!(after["nodig"].as_i64().unwrap(), needed);
    assert!(
        !after["zonderMelding"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["code"] == code)
    );
    let mine = call(&app, "GET", "/api/v1/mijn-acties", Some(&key), &[], None).await;
    let now_reported = mine.json["acties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == code)
        .unwrap();
    assert_eq!(now_reported["gemeldInRonde"], true);

    // The round page counts it too, and names the subteams.
    let adviser = app.login("beleidsadviseur").await;
    let id = after["id"].as_i64().unwrap();
    let page = app
        .get(&format!("/programma/2024/rondes/{id}"), &adviser)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body
            .contains(&format!("<strong>{} van {needed}</strong>", reported + 1)),
        "{}",
        page.body
    );
    assert!(page.body.contains("<svg"));
    assert!(
        page.body
            .contains("<caption class=\"utrecht-table__caption\">Meldingen per trekkend subteam")
    );
    assert!(page.body.contains("Toezicht"));
}

async fn an_action_of_another_subteam_says_why_there_is_no_form(app: TestApp) {
    let teamlid = app.login("teamlid").await;
    let key = api_key(&app, &teamlid).await;
    let mine = call(&app, "GET", "/api/v1/mijn-acties", Some(&key), &[], None).await;
    let own: Vec<String> = mine.json["acties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["code"].as_str().unwrap().to_string())
        .collect();
    let all = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/acties",
        Some(&key),
        &[],
        None,
    )
    .await;
    let other = all
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|a| !own.contains(&a["code"].as_str().unwrap().to_string()))
        .unwrap();
    let page = app
        .get(
            &format!("/programma/2024/acties/{}", other["code"].as_str().unwrap()),
            &teamlid,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Voortgang opslaan"));
    assert!(
        page.body
            .contains("U kunt hier geen voortgang melden: deze actie hoort bij"),
        "{}",
        page.body
    );
    let lead = other["trekker"]["naam"]
        .as_str()
        .unwrap()
        .replace('&', "&#38;");
    assert!(
        page.body.contains(&format!("hoort bij {lead}")),
        "{}",
        page.body
    );
    assert!(
        page.body
            .contains("aria-labelledby=\"voortgang-historie\" id=\"voortgang\"")
    );
    // The overview puts the subteam's actions first and says where it only contributes: the
    // demo's IV1-08 is led by Veiligheid & Zorg, with Toezicht & Handhaving (the teamlid's).
    let overview = app.get("/overzicht", &teamlid).await.body;
    assert!(
        overview.contains(
            "· trekker: Veiligheid &#38; Zorg · Toezicht &#38; Handhaving werkt mee</span>"
        ),
        "{overview}"
    );
    // A user without a subteam has no "Mijn acties" in the menu, and the page says why.
    let reader = app.login("lezer").await;
    let overview = app.get("/overzicht", &reader).await;
    assert!(!overview.body.contains("href=\"/mijn-acties"));
    let page = app.get("/mijn-acties", &reader).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("hoort nog bij geen subteam"));
}

async fn rounds_are_opened_and_closed_by_advisers_with_locking_and_audit(app: TestApp) {
    let teamlid = app.login("teamlid").await;
    let refused = app
        .post(
            "/programma/2024/rondes",
            &teamlid,
            &[("name", "R"), ("deadline", "2024-06-30")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let adviser = app.login("beleidsadviseur").await;
    let key = api_key(&app, &adviser).await;
    let open = open_round(&app, &key).await;
    let id = open["id"].as_i64().unwrap();

    // A second open round of the same programme is refused.
    let second = app
        .post(
            "/programma/2024/rondes",
            &adviser,
            &[
                ("name", "Derde kwartaal 2024"),
                ("deadline", "2024-09-30"),
                ("days_before", "7"),
                ("days_after", ""),
            ],
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.body);
    assert!(second.body.contains("Er loopt al een ronde"));
    assert!(second.body.contains("value=\"Derde kwartaal 2024\""));

    // Closing with an old version is a conflict page; with the current one it closes.
    let stale = app
        .post(
            &format!("/programma/2024/rondes/{id}/sluiten"),
            &adviser,
            &[("version", "99")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale
            .body
            .contains("Iemand anders heeft deze ronde intussen gewijzigd")
    );
    let version = open["versie"].as_i64().unwrap().to_string();
    let closed = app
        .post(
            &format!("/programma/2024/rondes/{id}/sluiten"),
            &adviser,
            &[("version", &version)],
        )
        .await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let again = app
        .post(
            &format!("/programma/2024/rondes/{id}/sluiten"),
            &adviser,
            &[("version", &version)],
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // Every problem of the form at once, the input kept.
    let invalid = app
        .post(
            "/programma/2024/rondes",
            &adviser,
            &[
                ("name", ""),
                ("deadline", "2024-05-01"),
                ("days_before", "7, x"),
                ("days_after", "61"),
            ],
        )
        .await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Geef de ronde een naam.",
        "De deadline kan niet in het verleden liggen.",
        "Vul de dagen in als hele getallen",
        "Een herinnering ligt 0 tot 60 dagen van de deadline.",
    ] {
        assert!(
            invalid.body.contains(message),
            "{message}: {}",
            invalid.body
        );
    }
    assert!(invalid.body.contains("value=\"7, x\""));

    // Through the API: open, the If-Match rules on closing, and the answer of each.
    let created = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/rondes",
        Some(&key),
        &[],
        Some(json!({"naam": "Derde kwartaal 2024", "deadline": "2024-09-30", "dagenVoor": [7, 1], "dagenNa": [3]})),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    assert_eq!(created.json["herinneringen"], json!([-7, -1, 3]));
    assert_eq!(created.json["geopendOp"], "2024-06-03");
    let new_id = created.json["id"].as_i64().unwrap();
    let twice = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/rondes",
        Some(&key),
        &[],
        Some(json!({"naam": "Nog een", "deadline": "2024-09-30"})),
    )
    .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let bad = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/rondes",
        Some(&key),
        &[],
        Some(json!({"naam": "a\nb", "deadline": "2031-01-01", "dagenVoor": [99]})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let names: Vec<&str> = bad.json["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["naam", "deadline", "dagenVoor"]);
    let close = format!("/api/v1/programmas/2024/rondes/{new_id}/sluiten");
    let without = call(&app, "POST", &close, Some(&key), &[], Some(json!({}))).await;
    assert_eq!(without.status, StatusCode::PRECONDITION_REQUIRED);
    let old = call(
        &app,
        "POST",
        &close,
        Some(&key),
        &[("if-match", "\"7\"")],
        Some(json!({})),
    )
    .await;
    assert_eq!(old.status, StatusCode::PRECONDITION_FAILED);
    let done = call(
        &app,
        "POST",
        &close,
        Some(&key),
        &[("if-match", "\"1\"")],
        Some(json!({})),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.json);
    assert_eq!(done.json["geslotenOp"], "2024-06-03");
    assert_eq!(done.headers["etag"], "\"2\"");
    let teamlid_key = api_key(&app, &teamlid).await;
    let forbidden = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/rondes",
        Some(&teamlid_key),
        &[],
        Some(json!({"naam": "R", "deadline": "2024-09-30"})),
    )
    .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    // Opening and closing are in the audit log.
    let org = app.org().await;
    let entries = app
        .store()
        .audit_entries(
            org,
            &AuditFilter {
                entity: Some("voortgangsronde".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let summaries: Vec<&str> = entries.iter().map(|e| e.summary.as_str()).collect();
    assert!(summaries.contains(&"Voortgangsronde 'Derde kwartaal 2024' geopend"));
    assert!(summaries.contains(&"Voortgangsronde 'Tweede kwartaal 2024' gesloten"));
}

/// A Python that can run aiosmtpd: `KOERS_AIOSMTPD_PYTHON`, the venv of .ci/run, or `python3`.
fn aiosmtpd_python() -> Option<String> {
    let candidates = [
        std::env::var("KOERS_AIOSMTPD_PYTHON").ok(),
        Some("/opt/koers-schemathesis/bin/python".to_string()),
        Some("python3".to_string()),
    ];
    candidates.into_iter().flatten().find(|python| {
        std::process::Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// The SMTP server the tests start: aiosmtpd on loopback, keeping every message in a maildir,
/// with STARTTLS required (`starttls`) or TLS from the first byte (`smtps`) with the given
/// certificate, and with a required login when a user is given (allowed only after STARTTLS).
const SMTP_SERVER_PY: &str = r#"
import asyncio, ssl, sys
from aiosmtpd.handlers import Mailbox
from aiosmtpd.smtp import SMTP, AuthResult

port, maildir, mode, cert, key, user, password = sys.argv[1:8]
context = None
if mode != "none":
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)

def authenticate(server, session, envelope, mechanism, data):
    ok = data.login == user.encode() and data.password == password.encode()
    # Not handled here, so that aiosmtpd answers a refusal with its own 535.
    return AuthResult(success=ok, handled=False)

def session():
    options = {}
    if mode == "starttls":
        options.update(tls_context=context, require_starttls=True)
    if user:
        options.update(authenticator=authenticate, auth_required=True)
    return SMTP(Mailbox(maildir), hostname="localhost", **options)

loop = asyncio.new_event_loop()
tls = context if mode == "smtps" else None
loop.run_until_complete(loop.create_server(session, "127.0.0.1", int(port), ssl=tls))
loop.run_forever()
"#;

/// How the test's SMTP server is reached.
#[derive(Clone, Copy, PartialEq)]
enum Encryption {
    None,
    Starttls,
    Smtps,
}

/// A test CA and a server certificate it issued for `localhost` and 127.0.0.1, as an
/// internal CA of a municipality would; made with the `openssl` command.
struct Certificates {
    _dir: tempfile::TempDir,
    /// The CA's certificate, after another CA's: a CA file may hold several.
    ca_file: PathBuf,
    server_cert: PathBuf,
    server_key: PathBuf,
}

impl Certificates {
    fn make() -> Option<Certificates> {
        if std::process::Command::new("openssl")
            .arg("version")
            .output()
            .is_err()
        {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true requires the openssl command (see .ci/run)"
            );
            eprintln!("skipped: needs the openssl command");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = |name: &str| dir.path().join(name);
        let openssl = |args: &[&str]| {
            let out = std::process::Command::new("openssl")
                .args(args)
                .current_dir(dir.path())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "openssl {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        };
        let new_key = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];
        for (name, subject) in [("ander", "/CN=Andere CA"), ("ca", "/CN=Koers test-CA")] {
            let (key, cert) = (format!("{name}.key"), format!("{name}.pem"));
            let x509 = [
                "req", "-x509", "-days", "2", "-subj", subject, "-keyout", &key,
            ];
            openssl(&[&x509[..], &new_key[..], &["-out", &cert][..]].concat());
        }
        let csr = ["req", "-subj", "/CN=localhost", "-keyout", "server.key"];
        openssl(&[&csr[..], &new_key[..], &["-out", "server.csr"][..]].concat());
        std::fs::write(
            path("server.ext"),
            "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
             keyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
        )
        .unwrap();
        openssl(&[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "server.ext",
            "-out",
            "server.pem",
        ]);
        let cas = [
            std::fs::read_to_string(path("ander.pem")).unwrap(),
            std::fs::read_to_string(path("ca.pem")).unwrap(),
        ]
        .concat();
        std::fs::write(path("cas.pem"), cas).unwrap();
        Some(Certificates {
            ca_file: path("cas.pem"),
            server_cert: path("server.pem"),
            server_key: path("server.key"),
            _dir: dir,
        })
    }
}

/// An SMTP server on loopback that keeps every message in a maildir.
struct SmtpServer {
    child: std::process::Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    async fn start() -> Option<SmtpServer> {
        Self::start_with(Encryption::None, None, None).await
    }

    /// A server with `encryption` (with the server certificate of `certificates`) and, when
    /// `login` is given, a required login.
    async fn start_with(
        encryption: Encryption,
        certificates: Option<&Certificates>,
        login: Option<(&str, &str)>,
    ) -> Option<SmtpServer> {
        let Some(python) = aiosmtpd_python() else {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true requires aiosmtpd (pip install aiosmtpd, see .ci/run)"
            );
            eprintln!("skipped: needs Python with aiosmtpd (pip install aiosmtpd)");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let dir = tempfile::tempdir().unwrap();
        let mode = match encryption {
            Encryption::None => "none",
            Encryption::Starttls => "starttls",
            Encryption::Smtps => "smtps",
        };
        let (cert, key) = certificates
            .map(|c| (c.server_cert.clone(), c.server_key.clone()))
            .unwrap_or_default();
        let (user, password) = login.unwrap_or_default();
        // Kept in the server at once, so that its `Drop` stops the process on every path.
        let server = SmtpServer {
            child: std::process::Command::new(python)
                .args(["-c", SMTP_SERVER_PY])
                .arg(port.to_string())
                .arg(dir.path().join("mail"))
                .arg(mode)
                .args([&cert, &key])
                .args([user, password])
                .spawn()
                .unwrap(),
            port,
            dir,
        };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .is_ok()
            {
                return Some(server);
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not start on port {port}");
    }

    /// Koers' settings for this server without encryption, for a test to change.
    fn args(&self) -> SmtpArgs {
        SmtpArgs {
            smtp_host: Some("127.0.0.1".into()),
            smtp_port: Some(self.port),
            smtp_tls: SmtpTls::None,
            smtp_user: None,
            smtp_password: None,
            smtp_ca_file: None,
            smtp_from: "Koers <koers@denhelder.example>".into(),
        }
    }

    fn mailer(&self) -> SmtpMailer {
        SmtpMailer::from_args(&self.args()).unwrap().unwrap()
    }

    /// The messages that arrived, as text.
    fn messages(&self) -> Vec<String> {
        let new: PathBuf = self.dir.path().join("mail").join("new");
        let mut files: Vec<PathBuf> = std::fs::read_dir(&new)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        files.sort();
        files.iter().map(|f: &PathBuf| read(f)).collect()
    }
}

/// A message as text, its quoted-printable body decoded (soft line breaks joined, `=XX` read).
fn read(path: &Path) -> String {
    let raw = std::fs::read(path).unwrap();
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'=' if raw.get(i + 1) == Some(&b'\n') => i += 2,
            b'=' if raw.get(i + 1..i + 3) == Some(b"\r\n") => i += 3,
            b'=' if i + 2 < raw.len() => {
                match u8::from_str_radix(&String::from_utf8_lossy(&raw[i + 1..i + 3]), 16) {
                    Ok(byte) => {
                        bytes.push(byte);
                        i += 3;
                    }
                    Err(_) => {
                        bytes.push(b'=');
                        i += 1;
                    }
                }
            }
            byte => {
                bytes.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&bytes).to_string()
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text).unwrap().to_utc()
}

async fn reminders_arrive_at_a_real_smtp_server_exactly_once(app: TestApp) {
    let Some(server) = SmtpServer::start().await else {
        return;
    };
    let mailer = server.mailer();
    let store = app.store();
    let base = "https://koers.denhelder.example";

    // On 3 June the moment "7 days before the deadline of 7 June" has come: the only member of
    // a subteam with missing reports, the teamlid of Toezicht en handhaving, gets one mail.
    let first = run_reminders(store, now(), &mailer, base).await.unwrap();
    assert_eq!((first.sent, first.failed), (1, 0));
    let messages = server.messages();
    assert_eq!(messages.len(), 1, "{messages:?}");
    let mail = &messages[0];
    let teamlid = app.account("teamlid").email.clone();
    assert!(
        mail.contains(&format!("To: \"Ruud Smit\" <{teamlid}>")),
        "{mail}"
    );
    assert!(
        mail.contains("Subject: Herinnering: voortgang melden voor Tweede kwartaal 2024"),
        "{mail}"
    );
    assert!(
        mail.contains("https://koers.denhelder.example/mijn-acties?jaar=2024"),
        "{mail}"
    );
    assert!(
        mail.contains("X-MailFrom: koers@denhelder.example"),
        "{mail}"
    );
    assert!(
        mail.contains("mist nog een voortgangsmelding bij 8 acties van uw subteam"),
        "{mail}"
    );

    // The same moment again, as after a restart: nothing is sent.
    let again = run_reminders(store, now(), &mailer, base).await.unwrap();
    assert_eq!((again.sent, again.failed), (0, 0));
    assert_eq!(server.messages().len(), 1);

    // The next moment, run by two instances at once: one mail.
    let later = at("2024-06-06T08:00:00Z");
    let (a, b) = tokio::join!(
        run_reminders(store, later, &mailer, base),
        run_reminders(store, later, &mailer, base)
    );
    assert_eq!(a.unwrap().sent + b.unwrap().sent, 1);
    let messages = server.messages();
    assert_eq!(messages.len(), 2);
    assert!(messages.iter().all(|m| m.contains(&teamlid)));

    // Each reminder is in the audit log and on the round page.
    let org = app.org().await;
    let entries = store
        .audit_entries(
            org,
            &AuditFilter {
                entity: Some("herinnering".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.summary == "Herinnering per e-mail verstuurd")
            .count(),
        2
    );
    assert!(entries.iter().any(|e| e.summary.contains("aan Ruud Smit")));
    let adviser = app.login("beleidsadviseur").await;
    let key = api_key(&app, &adviser).await;
    let round = open_round(&app, &key).await;
    let page = app
        .get(&format!("/programma/2024/rondes/{}", round["id"]), &adviser)
        .await;
    assert!(
        page.body.contains("7 dagen voor de deadline"),
        "{}",
        page.body
    );
    assert!(page.body.contains("1 dag voor de deadline"));
    assert!(page.body.contains("Verstuurd"));

    // A closed round sends nothing more.
    let version = round["versie"].to_string();
    let closed = call(
        &app,
        "POST",
        &format!("/api/v1/programmas/2024/rondes/{}/sluiten", round["id"]),
        Some(&key),
        &[("if-match", &format!("\"{version}\""))],
        Some(json!({})),
    )
    .await;
    assert_eq!(closed.status, StatusCode::OK);
    let after = run_reminders(store, at("2024-06-10T08:00:00Z"), &mailer, base)
        .await
        .unwrap();
    assert_eq!(after.sent, 0);
    assert_eq!(server.messages().len(), 2);
}

/// The reminders of the demo's open round, as recorded.
async fn recorded_reminders(app: &TestApp) -> Vec<koers_store::rounds::Reminder> {
    let org = app.org().await;
    let round = app
        .store()
        .all_open_rounds()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.organisation_id == org)
        .expect("the demo has an open round");
    app.store().reminders(org, round.id).await.unwrap()
}

/// Runs the reminders at `when` through `mailer`: the teamlid's one reminder goes out, arrives
/// as the `arrived`-th message and is recorded as sent.
async fn the_reminder_arrives(
    app: &TestApp,
    server: &SmtpServer,
    mailer: &SmtpMailer,
    when: DateTime<Utc>,
    arrived: usize,
) {
    let report = run_reminders(app.store(), when, mailer, "https://koers.denhelder.example")
        .await
        .unwrap();
    assert_eq!((report.sent, report.failed), (1, 0));
    let messages = server.messages();
    assert_eq!(messages.len(), arrived, "{messages:?}");
    let mail = &messages[arrived - 1];
    let teamlid = app.account("teamlid").email.clone();
    assert!(
        mail.contains(&format!("To: \"Ruud Smit\" <{teamlid}>")),
        "{mail}"
    );
    assert!(
        mail.contains("Subject: Herinnering: voortgang melden voor Tweede kwartaal 2024"),
        "{mail}"
    );
    let newest = recorded_reminders(app).await.pop().unwrap();
    assert!(newest.sent_at.is_some(), "{:?}", newest.failure);
    assert_eq!(newest.failure, "");
}

async fn reminders_go_out_over_starttls_with_a_login_and_an_internal_ca(app: TestApp) {
    let Some(certificates) = Certificates::make() else {
        return;
    };
    let login = ("koers-relay", "een lang wachtwoord");
    let Some(server) =
        SmtpServer::start_with(Encryption::Starttls, Some(&certificates), Some(login)).await
    else {
        return;
    };
    let mut args = server.args();
    // The name the certificate was issued to, as a municipal relay is reached by name.
    args.smtp_host = Some("localhost".into());
    args.smtp_tls = SmtpTls::Starttls;
    args.smtp_ca_file = Some(certificates.ca_file.clone());
    args.smtp_user = Some(login.0.into());

    // A wrong password: the server refuses the login, nothing arrives, and the reminder is
    // recorded as not sent with the server's answer.
    args.smtp_password = Some("fout".into());
    let wrong = SmtpMailer::from_args(&args).unwrap().unwrap();
    let report = run_reminders(
        app.store(),
        now(),
        &wrong,
        "https://koers.denhelder.example",
    )
    .await
    .unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    assert!(server.messages().is_empty());
    let refused = recorded_reminders(&app).await.pop().unwrap();
    assert!(refused.sent_at.is_none());
    assert!(
        refused.failure.contains("nam het bericht niet aan") && refused.failure.contains("535"),
        "{}",
        refused.failure
    );

    // The right password, at the next moment: over STARTTLS, trusting the internal CA from
    // the CA file, the mail arrives.
    args.smtp_password = Some(login.1.into());
    let mailer = SmtpMailer::from_args(&args).unwrap().unwrap();
    the_reminder_arrives(&app, &server, &mailer, at("2024-06-06T08:00:00Z"), 1).await;
}

async fn reminders_go_out_over_implicit_tls(app: TestApp) {
    let Some(certificates) = Certificates::make() else {
        return;
    };
    let Some(server) = SmtpServer::start_with(Encryption::Smtps, Some(&certificates), None).await
    else {
        return;
    };
    let mut args = server.args();
    args.smtp_tls = SmtpTls::Tls;
    args.smtp_ca_file = Some(certificates.ca_file.clone());
    let mailer = SmtpMailer::from_args(&args).unwrap().unwrap();
    the_reminder_arrives(&app, &server, &mailer, now(), 1).await;
}

async fn an_untrusted_certificate_fails_the_send_and_the_reminder_stays_unsent(app: TestApp) {
    let Some(certificates) = Certificates::make() else {
        return;
    };
    // Without --smtp-ca-file Koers trusts only the public roots, which did not issue the
    // server's certificate: over STARTTLS (3 June) and over implicit TLS (6 June) alike.
    for (encryption, tls, when) in [
        (Encryption::Starttls, SmtpTls::Starttls, now()),
        (Encryption::Smtps, SmtpTls::Tls, at("2024-06-06T08:00:00Z")),
    ] {
        let Some(server) = SmtpServer::start_with(encryption, Some(&certificates), None).await
        else {
            return;
        };
        let mut args = server.args();
        args.smtp_tls = tls;
        let mailer = SmtpMailer::from_args(&args).unwrap().unwrap();
        let report = run_reminders(
            app.store(),
            when,
            &mailer,
            "https://koers.denhelder.example",
        )
        .await
        .unwrap();
        assert_eq!((report.sent, report.failed), (0, 1), "{tls:?}");
        assert!(server.messages().is_empty());
        let failed = recorded_reminders(&app).await.pop().unwrap();
        assert!(failed.sent_at.is_none(), "{tls:?}");
        assert!(
            failed
                .failure
                .contains("het certificaat van de mailserver wordt niet vertrouwd")
                && failed.failure.contains("--smtp-ca-file"),
            "{tls:?}: {}",
            failed.failure
        );
    }
    // The round page tells the adviser, and the audit log has it.
    let adviser = app.login("beleidsadviseur").await;
    let key = api_key(&app, &adviser).await;
    let round = open_round(&app, &key).await;
    let page = app
        .get(&format!("/programma/2024/rondes/{}", round["id"]), &adviser)
        .await;
    assert_eq!(
        page.body
            .matches("Niet verstuurd: het certificaat van de mailserver wordt niet vertrouwd")
            .count(),
        2,
        "{}",
        page.body
    );
    let entries = app
        .store()
        .audit_entries(
            app.org().await,
            &AuditFilter {
                entity: Some("herinnering".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e
                .summary
                .starts_with("Herinnering niet verstuurd: het certificaat"))
            .count(),
        2
    );
}

each_database!(
    my_actions_put_the_missing_ones_first_and_a_report_counts,
    an_action_of_another_subteam_says_why_there_is_no_form,
    rounds_are_opened_and_closed_by_advisers_with_locking_and_audit,
    reminders_arrive_at_a_real_smtp_server_exactly_once,
    reminders_go_out_over_starttls_with_a_login_and_an_internal_ca,
    reminders_go_out_over_implicit_tls,
    an_untrusted_certificate_fails_the_send_and_the_reminder_stays_unsent,
);
