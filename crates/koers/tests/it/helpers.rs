use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{DateTime, Utc};
use http_body_util::BodyExt;
use koers::app::{AppState, Clock};
use koers::demo::{self, DemoAccount};
use koers_store::Store;
use tower::ServiceExt;

pub fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-06-03T09:00:00Z")
        .unwrap()
        .to_utc()
}

/// The app with the demo organisation loaded, and its accounts.
pub struct TestApp {
    pub state: AppState,
    pub accounts: Vec<DemoAccount>,
    _dir: Option<tempfile::TempDir>,
}

pub struct Reply {
    pub status: StatusCode,
    pub location: String,
    pub cookies: Vec<String>,
    pub body: String,
    pub headers: axum::http::HeaderMap,
}

/// Declares, for each named `async fn(app: TestApp)`, one test per database: `name::sqlite` and
/// `name::postgres`, so that a failure on one database never hides the result on the other.
macro_rules! each_database {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name($crate::helpers::TestApp::sqlite().await).await;
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::TestApp::postgres().await {
                        super::$name(app).await;
                    }
                }
            }
        )+
    };
}
pub(crate) use each_database;

impl TestApp {
    /// The demo on a fresh SQLite file.
    pub async fn sqlite() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&format!("sqlite:{}", dir.path().join("koers.db").display()))
            .await
            .unwrap();
        store.migrate().await.unwrap();
        Self::with_demo(store, Some(dir)).await
    }

    /// The demo in a fresh PostgreSQL schema, or `None` (with a message) when no test database
    /// is configured; under `CI=true` that is a failure.
    pub async fn postgres() -> Option<TestApp> {
        let store = koers_store::testing::postgres_from_env().await.unwrap()?;
        Some(Self::with_demo(store, None).await)
    }

    async fn with_demo(store: Store, dir: Option<tempfile::TempDir>) -> TestApp {
        let accounts = demo::load(&store, now()).await.unwrap();
        let mut state = AppState::new(store, false);
        state.clock = Clock::fixed(now());
        TestApp {
            state,
            accounts,
            _dir: dir,
        }
    }
}

impl TestApp {
    pub fn store(&self) -> &Store {
        &self.state.store
    }

    pub fn account(&self, role: &str) -> &DemoAccount {
        self.accounts
            .iter()
            .find(|a| a.role.code() == role)
            .unwrap()
    }

    pub async fn request(&self, request: Request<Body>) -> Reply {
        let response = koers::app::router(self.state.clone())
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let location = response
            .headers()
            .get(header::LOCATION)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default();
        let cookies = response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
            .collect();
        let body =
            String::from_utf8_lossy(&response.into_body().collect().await.unwrap().to_bytes())
                .to_string();
        Reply {
            status,
            location,
            cookies,
            body,
            headers,
        }
    }

    pub async fn get(&self, path: &str, session: &str) -> Reply {
        let request = Request::get(path)
            .header(header::COOKIE, session)
            .body(Body::empty())
            .unwrap();
        self.request(request).await
    }

    pub async fn post(&self, path: &str, session: &str, form: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(form).unwrap();
        let request = Request::post(path)
            .header(header::COOKIE, session)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("sec-fetch-site", "same-origin")
            .body(Body::from(body))
            .unwrap();
        self.request(request).await
    }

    /// Logs in and returns the cookie header value for the session.
    pub async fn login_as(&self, email: &str, password: &str) -> String {
        let reply = self
            .post(
                "/inloggen",
                "",
                &[("email", email), ("wachtwoord", password)],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::SEE_OTHER,
            "login of {email} failed: {}",
            reply.body
        );
        reply
            .cookies
            .into_iter()
            .find(|c| c.starts_with("koers_sessie="))
            .unwrap()
    }

    pub async fn login(&self, role: &str) -> String {
        let account = self.account(role).clone();
        self.login_as(&account.email, &account.password).await
    }

    /// A second organisation with one account of `role`; returns its id and a logged-in session.
    pub async fn other_organisation(
        &self,
        code: &str,
        email: &str,
        role: koers_domain::Rol,
    ) -> (i64, String) {
        let org = self
            .store()
            .create_organisation(code, &format!("Gemeente {code}"), "Elders", false, now())
            .await
            .unwrap();
        let hash = koers::password::hash("een-lang-wachtwoord").unwrap();
        let actor = koers_store::Actor {
            organisation_id: org,
            user_id: None,
            user_name: "test".into(),
            now: now(),
        };
        let user = koers_store::accounts::NewUser {
            email,
            name: "Test",
            role,
            subteam_id: None,
            password_hash: &hash,
        };
        self.store().create_user(&actor, &user).await.unwrap();
        (org, self.login_as(email, "een-lang-wachtwoord").await)
    }

    pub async fn org(&self) -> i64 {
        self.store()
            .organisation_by_code("GM0400")
            .await
            .unwrap()
            .unwrap()
            .id
    }
}

/// The form fields of an action's edit page as stored, to post back with changes.
pub async fn action_form(app: &TestApp, year: i64, code: &str) -> Vec<(String, String)> {
    let org = app.org().await;
    let programme = app
        .store()
        .programme(org, koers_domain::Jaar::new(year).unwrap())
        .await
        .unwrap()
        .unwrap();
    let detail = app
        .store()
        .action_by_code(org, programme.id, code)
        .await
        .unwrap();
    let input = koers::ops::actions::input_of(&detail);
    let mut form = vec![
        ("versie".to_string(), detail.action.version.to_string()),
        ("code".into(), input.code),
        ("title".into(), input.title),
        ("description".into(), input.description),
        ("intended_result".into(), input.intended_result),
        ("theme_id".into(), input.theme_id),
        ("ambition_id".into(), input.ambition_id),
        ("lead_subteam_id".into(), input.lead_subteam_id),
        ("planned_hours".into(), input.planned_hours),
        ("priority".into(), input.priority),
        ("origin".into(), input.origin),
        ("predecessor_id".into(), input.predecessor_id),
    ];
    for (name, values) in [
        ("contributing_subteam_ids", input.contributing_subteam_ids),
        ("partner_ids", input.partner_ids),
        ("opgave_ids", input.opgave_ids),
        ("quarters", input.quarters),
    ] {
        form.extend(values.into_iter().map(|v| (name.to_string(), v)));
    }
    form.extend(
        input
            .contributing_shares
            .into_iter()
            .map(|(id, percent)| (format!("aandeel_{id}"), percent)),
    );
    form
}

/// The session with the flash cookie the reply set, to read the next page.
pub fn reply_cookie(session: &str, reply: &Reply) -> String {
    let mut cookies = vec![session.to_string()];
    cookies.extend(reply.cookies.iter().cloned());
    cookies.join("; ")
}

pub fn set(form: &mut [(String, String)], name: &str, value: &str) {
    form.iter_mut().find(|(k, _)| k == name).unwrap().1 = value.to_string();
}

pub fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

/// The URL of a new, empty schema of the test PostgreSQL, for tests that hand a URL to the
/// `koers` binary; `None` (with a message) when no test database is configured, and a failure
/// under `CI=true`.
pub async fn postgres_schema_url(prefix: &str) -> Option<String> {
    let Ok(base) = std::env::var("KOERS_TEST_DATABASE_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true requires KOERS_TEST_DATABASE_URL"
        );
        eprintln!("skipped: set KOERS_TEST_DATABASE_URL");
        return None;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let schema = format!("{prefix}_{}_{nanos}", std::process::id());
    let admin = Store::connect(&base).await.unwrap();
    admin
        .execute_raw(&format!("CREATE SCHEMA {schema}"))
        .await
        .unwrap();
    admin.close().await;
    let separator = if base.contains('?') { '&' } else { '?' };
    Some(format!(
        "{base}{separator}options=-c%20search_path%3D{schema}"
    ))
}

/// Whether an opt-in suite that needs outside tools runs: `variable=1`. Without it the test says
/// it was skipped, and under `CI=true` that is a failure, so CI never skips it unnoticed.
pub fn opted_in(variable: &str, needs: &str) -> bool {
    if std::env::var(variable).as_deref() == Ok("1") {
        return true;
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true requires {variable}=1"
    );
    eprintln!("skipped: set {variable}=1 (needs {needs})");
    false
}

/// The application served on a port of its own, for tools that speak HTTP (a browser,
/// schemathesis). It uses the real clock, since those tools date what they send today.
pub struct Served {
    pub url: String,
    stop: tokio::sync::oneshot::Sender<()>,
    server: tokio::task::JoinHandle<anyhow::Result<()>>,
}

impl Served {
    pub async fn start(app: &TestApp) -> Served {
        let mut state = app.state.clone();
        state.clock = Clock::system();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(koers::app::serve(listener, state, async {
            let _ = stopped.await;
        }));
        Served { url, stop, server }
    }

    pub async fn stop(self) {
        let _ = self.stop.send(());
        let _ = self.server.await;
    }
}
