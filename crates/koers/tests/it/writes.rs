//! Writes under load and grids that are saved as a whole.

use crate::helpers::{TestApp, action_form, each_database, pairs};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use koers_domain::Rol;
use koers_store::catalog::Kind;
use std::time::Duration;
use tower::ServiceExt;

fn form_post(path: &str, session: &str, form: &[(&str, &str)]) -> Request<Body> {
    Request::post(path)
        .header(header::COOKIE, session)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(serde_urlencoded::to_string(form).unwrap()))
        .unwrap()
}

/// 16 edits each of users, actions and catalogue items at once: every one is answered without
/// a server error (a conflict is a fair answer when two edit the same user), and meanwhile a
/// page of another organisation is served. On SQLite these once stalled for 10-30 s and ended
/// in "database is locked", because reads inside a write waited for a second connection.
async fn parallel_edits_get_no_server_error(app: TestApp) {
    let (_, other) = app
        .other_organisation("GM9001", "ander@voorbeeld.nl", Rol::Lezer)
        .await;
    let admin = app.login("beheerder").await;
    let adviser = app.login("beleidsadviseur").await;
    let org = app.org().await;
    let users = app.store().users(org).await.unwrap();
    let themes = app.store().items(org, Kind::Theme).await.unwrap();
    let programme = app
        .store()
        .programme(org, koers_domain::Jaar::new(2024).unwrap())
        .await
        .unwrap()
        .unwrap();
    let actions = app
        .store()
        .actions(org, programme.id, &Default::default())
        .await
        .unwrap();
    let mut requests = Vec::new();
    for i in 0..16 {
        let user = &users[i % users.len()];
        let version = user.version.to_string();
        let role = user.role.code();
        requests.push(form_post(
            &format!("/beheer/gebruikers/{}", user.id),
            &admin,
            &[("versie", &version), ("role", role), ("active", "1")],
        ));
        let theme = &themes[i % themes.len()];
        let version = theme.version.to_string();
        let name = format!("{} ({i})", theme.name);
        requests.push(form_post(
            &format!("/onderdelen/thema/{}/bewerken", theme.id),
            &adviser,
            &[("versie", &version), ("code", &theme.code), ("name", &name)],
        ));
        let code = &actions[i % actions.len()].code;
        let form = action_form(&app, 2024, code).await;
        requests.push(form_post(
            &format!("/programma/2024/acties/{code}/bewerken"),
            &adviser,
            &pairs(&form),
        ));
    }
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|request| {
            let router = koers::app::router(app.state.clone());
            tokio::spawn(async move { router.oneshot(request).await.unwrap().status() })
        })
        .collect();
    let elsewhere = tokio::time::timeout(Duration::from_secs(5), app.get("/overzicht", &other))
        .await
        .expect("another organisation's page is served while the edits run");
    assert_eq!(elsewhere.status, StatusCode::OK);
    let mut saved = 0;
    for task in tasks {
        let status = task.await.unwrap();
        assert!(!status.is_server_error(), "{status}");
        saved += usize::from(status == StatusCode::SEE_OTHER);
    }
    assert!(
        saved >= 16 * 2,
        "actions and themes are distinct records: {saved} saved"
    );
}

/// A grid is checked as a whole and saved in one transaction: a cell that is not in the grid,
/// or a repeated one, changes nothing at all.
async fn grids_are_saved_whole_or_not_at_all(app: TestApp) {
    let adviser = app.login("beleidsadviseur").await;
    let org = app.org().await;
    let subteam = app.store().items(org, Kind::Subteam).await.unwrap()[0].id;
    let opgave = app.store().items(org, Kind::Opgave).await.unwrap()[0].id;
    let audit_rows = || async {
        app.store()
            .audit_entries(org, &Default::default())
            .await
            .unwrap()
            .len()
    };
    let before = audit_rows().await;
    let capacity = app.store().capacity(org).await.unwrap();
    let good = format!("fte_{subteam}_2024");
    for form in [
        vec![
            (good.clone(), "7,5".to_string()),
            ("fte_999999_2024".into(), "1".into()),
        ],
        vec![
            (good.clone(), "7,5".to_string()),
            (good.clone(), "8".into()),
        ],
        vec![
            (good.clone(), "7,5".to_string()),
            ("fte_x".into(), "1".into()),
        ],
        vec![
            (good.clone(), "7,5".to_string()),
            (format!("fte_{subteam}_1990"), "1".into()),
        ],
    ] {
        let reply = app.post("/beheer/formatie", &adviser, &pairs(&form)).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{form:?}");
        assert!(reply.body.contains("niet in de tabel"), "{form:?}");
    }
    assert_eq!(app.store().capacity(org).await.unwrap(), capacity);
    let participation = app.store().participation(org).await.unwrap();
    for cells in [
        vec![format!("{opgave}:2024"), "999999:2024".to_string()],
        vec![format!("{opgave}:2024"), format!("{opgave}:2024")],
        vec![format!("{opgave}:2024"), "rommel".to_string()],
    ] {
        let form: Vec<(&str, &str)> = cells.iter().map(|c| ("deelname", c.as_str())).collect();
        let reply = app.post("/beleidsplan/deelname", &adviser, &form).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{cells:?}");
    }
    assert_eq!(app.store().participation(org).await.unwrap(), participation);
    assert_eq!(audit_rows().await, before, "nothing was written");
    // A good grid is saved.
    let reply = app
        .post("/beheer/formatie", &adviser, &[(good.as_str(), "7,5")])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(audit_rows().await, before + 1);
}

/// GET `path` on the instance `state` with the cookies `session`: status and body.
async fn get_on(state: koers::app::AppState, path: &str, session: &str) -> (StatusCode, String) {
    let request = Request::get(path)
        .header(header::COOKIE, session)
        .body(Body::empty())
        .unwrap();
    let response = koers::app::router(state).oneshot(request).await.unwrap();
    let status = response.status();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes();
    (status, String::from_utf8_lossy(&body).to_string())
}

/// Two instances on one database, each with its own cached read models: a change made through
/// one shows on the other's next page, and an organisation never sees another's cached model.
async fn cached_pages_are_never_stale_or_foreign(app: TestApp) {
    let adviser = app.login("beleidsadviseur").await;
    let mut other_instance = app.state.clone();
    other_instance.read_models = Default::default();
    let code = "IV1-03".to_string();
    let page = app.get("/programma/2024", &adviser).await.body;
    assert!(page.contains(&code));
    assert!(
        !app.state.read_models.is_empty(),
        "the first page built a model"
    );
    // The other instance caches the page too, then this instance changes the title.
    let (_, before) = get_on(other_instance.clone(), "/programma/2024", &adviser).await;
    assert!(!before.contains("Titel na de wijziging"));
    let mut form = action_form(&app, 2024, &code).await;
    crate::helpers::set(&mut form, "title", "Titel na de wijziging");
    let saved = app
        .post(
            &format!("/programma/2024/acties/{code}/bewerken"),
            &adviser,
            &pairs(&form),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    for state in [app.state.clone(), other_instance.clone()] {
        let (_, page) = get_on(state, "/programma/2024", &adviser).await;
        assert!(
            page.contains("Titel na de wijziging"),
            "no stale cached page"
        );
        let (_, overview) = get_on(other_instance.clone(), "/overzicht?jaar=2024", &adviser).await;
        assert!(!overview.is_empty());
    }
    // Another organisation, served by the same instance with the first one's model in memory.
    let (_, other) = app
        .other_organisation("GM9002", "elders@voorbeeld.nl", Rol::Beleidsadviseur)
        .await;
    let foreign = app.get("/programma/2024", &other).await.body;
    assert!(!foreign.contains("Titel na de wijziging") && !foreign.contains(&code));
    let foreign = app.get("/beleidsplan", &other).await.body;
    assert!(!foreign.contains("Gemeente Den Helder"));
}

/// The action page and the programme's comparison with its adopted version come from the read
/// model too: a progress report and an edit made through one instance show on the other's next
/// page, and another organisation never gets a cached action page.
async fn cached_action_pages_are_never_stale_or_foreign(app: TestApp) {
    let adviser = app.login("beleidsadviseur").await;
    let mut other_instance = app.state.clone();
    other_instance.read_models = Default::default();
    let code = "IV1-03";
    let page = format!("/programma/2024/acties/{code}");
    let instances = [app.state.clone(), other_instance.clone()];
    // Both instances cache the action page and the programme page.
    for state in instances.clone() {
        let (status, body) = get_on(state.clone(), &page, &adviser).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!body.contains("Melding na het cachen"));
        let (_, programme) = get_on(state, "/programma/2024", &adviser).await;
        assert!(programme.contains("Ongewijzigd sinds de vaststelling"));
    }
    // A progress report through this instance.
    let report = app
        .post(
            &format!("{page}/voortgang"),
            &adviser,
            &[
                ("status", "vertraagd"),
                ("note", "Melding na het cachen"),
                ("hours_spent", "3"),
                ("entry_date", "2024-06-01"),
            ],
        )
        .await;
    assert_eq!(report.status, StatusCode::SEE_OTHER, "{}", report.body);
    for state in instances.clone() {
        let (_, body) = get_on(state, &page, &adviser).await;
        assert!(
            body.contains("Melding na het cachen"),
            "no stale action page"
        );
    }
    // An edit of the action: its page and the comparison with the adopted programme follow.
    let mut form = action_form(&app, 2024, code).await;
    crate::helpers::set(&mut form, "title", "Titel na het cachen");
    let saved = app
        .post(&format!("{page}/bewerken"), &adviser, &pairs(&form))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    for state in instances.clone() {
        let (_, body) = get_on(state.clone(), &page, &adviser).await;
        assert!(body.contains("Titel na het cachen"), "no stale action page");
        let (_, programme) = get_on(state, "/programma/2024", &adviser).await;
        assert!(
            programme.contains("Gewijzigd sinds de vaststelling"),
            "no stale comparison with the adopted version"
        );
    }
    // Another organisation, on the instance that holds the first one's action page.
    let (_, other) = app
        .other_organisation("GM9003", "nergens@voorbeeld.nl", Rol::Beleidsadviseur)
        .await;
    for state in instances {
        let (status, body) = get_on(state, &page, &other).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(!body.contains("Titel na het cachen") && !body.contains("Melding na het cachen"));
    }
}

/// A whole page kept in memory depends on more than the model: one user never gets the page
/// kept for another of the same organisation (their name and role are in its header), a page
/// kept yesterday is made again today (the action page proposes today as the report date),
/// and a message from the previous request shows once, on a page that was kept before.
async fn kept_pages_are_per_user_and_day_and_show_messages(mut app: TestApp) {
    // A session for tomorrow, made now, so that nothing is written between today's pages and
    // tomorrow's.
    let tomorrow = crate::helpers::now() + chrono::Duration::days(1);
    app.state.clock = koers::app::Clock::fixed(tomorrow);
    let tomorrows_session = app.login("beleidsadviseur").await;
    app.state.clock = koers::app::Clock::fixed(crate::helpers::now());
    let adviser = app.login("beleidsadviseur").await;
    let reader = app.login("lezer").await;
    // Who is logged in, as the page header shows it.
    let header_of = |role: &str| format!("{} <span class=\"koers-muted\">", app.account(role).name);
    let (adviser_name, reader_name) = (header_of("beleidsadviseur"), header_of("lezer"));
    let action = "/programma/2024/acties/IV1-03";
    for path in ["/overzicht", "/beleidsplan", "/programma/2024", action] {
        for _ in 0..2 {
            let page = app.get(path, &adviser).await;
            assert_eq!(page.status, StatusCode::OK, "{path}");
            assert!(page.body.contains(&adviser_name) && !page.body.contains(&reader_name));
            let page = app.get(path, &reader).await;
            assert!(page.body.contains(&reader_name) && !page.body.contains(&adviser_name));
        }
    }
    let today = app.get(action, &adviser).await.body;
    assert!(
        today.contains("value=\"2024-06-03\""),
        "today's date proposed"
    );
    // The same instance, with its kept pages, a day later.
    app.state.clock = koers::app::Clock::fixed(tomorrow);
    let next_day = app.get(action, &tomorrows_session).await.body;
    assert!(
        next_day.contains("value=\"2024-06-04\""),
        "the next day, the page kept the day before is made again"
    );
    // A report, then the page with its message, once.
    let adviser = tomorrows_session;
    let report = app
        .post(
            &format!("{action}/voortgang"),
            &adviser,
            &[
                ("status", "op_schema"),
                ("note", "Loopt volgens plan"),
                ("hours_spent", "2"),
                ("entry_date", "2024-06-04"),
            ],
        )
        .await;
    assert_eq!(report.status, StatusCode::SEE_OTHER, "{}", report.body);
    let programme = app.get("/programma/2024", &adviser).await;
    let with_message = app
        .get(action, &crate::helpers::reply_cookie(&adviser, &report))
        .await;
    let message = "De voortgang is opgeslagen.";
    assert!(
        with_message.body.contains(message),
        "the report's message shows"
    );
    assert!(!app.get(action, &adviser).await.body.contains(message));
    assert_eq!(
        programme.body,
        app.get("/programma/2024", &adviser).await.body
    );
}

each_database!(
    parallel_edits_get_no_server_error,
    grids_are_saved_whole_or_not_at_all,
    cached_pages_are_never_stale_or_foreign,
    cached_action_pages_are_never_stale_or_foreign,
    kept_pages_are_per_user_and_day_and_show_messages,
);
