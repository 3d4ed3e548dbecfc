use crate::helpers::{TestApp, each_database, now};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use koers_store::login_security::SecurityEventKind;
use tower::ServiceExt;

async fn cross_site_posts_are_refused_and_headers_are_set(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let request = Request::post("/onderdelen/partner")
        .header(header::COOKIE, &session)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from("name=Kwaadwillend"))
        .unwrap();
    assert_eq!(app.request(request).await.status, StatusCode::FORBIDDEN);
    let request = Request::post("/onderdelen/partner")
        .header(header::COOKIE, &session)
        .header(header::HOST, "koers.example")
        .header(header::ORIGIN, "https://kwaadwillend.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name=Kwaadwillend"))
        .unwrap();
    assert_eq!(app.request(request).await.status, StatusCode::FORBIDDEN);
    let login = app.get("/inloggen", "").await;
    let csp = login
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(
        login.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert!(
        !login.body.contains("style=\""),
        "inline styles would be blocked by the CSP"
    );
    assert!(
        login.headers.get("strict-transport-security").is_none(),
        "no HSTS on plain HTTP"
    );
    let mut https = app.state.clone();
    https.secure_cookies = true;
    let response = koers::app::router(https)
        .oneshot(Request::get("/inloggen").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        response.headers().get("strict-transport-security").unwrap(),
        "max-age=31536000"
    );
}

/// Posts the login form as if from `client` (the proxy header is configured in these tests).
fn login_request(email: &str, password: &str, client: &str) -> Request<Body> {
    let body = serde_urlencoded::to_string([("email", email), ("wachtwoord", password)]).unwrap();
    Request::post("/inloggen")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-forwarded-for", format!("10.9.9.9, {client}"))
        .body(Body::from(body))
        .unwrap()
}

async fn security_log(app: &TestApp, kind: SecurityEventKind, email: &str) -> usize {
    let org = app.org().await;
    app.store()
        .security_events(org, 10_000)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind == kind && e.email == email)
        .count()
}

async fn parallel_logins_cannot_pass_the_rate_limit(mut app: TestApp) {
    app.state.client_ip_header = Some(header::HeaderName::from_static("x-forwarded-for"));
    let account = app.account("teamlid").clone();
    let tasks: Vec<_> = (0..40)
        .map(|_| {
            let state = app.state.clone();
            // Upper case and spaces are the same address.
            let request = login_request(
                &format!("  {} ", account.email.to_uppercase()),
                "fout-wachtwoord-1",
                "192.0.2.1",
            );
            tokio::spawn(async move { koers::app::router(state).oneshot(request).await })
        })
        .collect();
    for task in tasks {
        assert_eq!(
            task.await.unwrap().unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    }
    // Only a checked password counts as a failed login in the security log.
    assert_eq!(
        security_log(&app, SecurityEventKind::Failed, &account.email).await,
        5
    );
    // Two limits were crossed, each logged once: per address and client, and per client.
    assert_eq!(
        security_log(&app, SecurityEventKind::Locked, &account.email).await,
        2
    );
    // The attacker's client stays refused, even with the right password ...
    let refused = app
        .request(login_request(
            &account.email,
            &account.password,
            "192.0.2.1",
        ))
        .await;
    assert!(
        refused.body.contains("Te veel mislukte pogingen"),
        "{}",
        refused.body
    );
    // ... but the real user, elsewhere, is not locked out.
    let real = app
        .request(login_request(
            &account.email,
            &account.password,
            "198.51.100.7",
        ))
        .await;
    assert_eq!(real.status, StatusCode::SEE_OTHER, "{}", real.body);
    assert_eq!(
        security_log(&app, SecurityEventKind::Login, &account.email).await,
        1
    );

    // Spraying many addresses from one client stops after the per-client limit.
    let mut refused = 0;
    for n in 0..30 {
        let reply = app
            .request(login_request(
                &format!("gok{n}@voorbeeld.nl"),
                "fout-wachtwoord-1",
                "203.0.113.5",
            ))
            .await;
        refused += usize::from(reply.body.contains("Te veel mislukte pogingen"));
    }
    assert_eq!(refused, 10, "20 failures per client, then refused");

    // A megabyte of e-mail address is neither checked nor stored at full length.
    let huge = "a".repeat(1_000_000);
    let reply = app.request(login_request(&huge, "x", "192.0.2.99")).await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    assert!(
        reply.body.len() < 100_000,
        "the page does not echo the megabyte"
    );

    // Counters of ended windows go, whether or not anyone logs in.
    let throttle_rows = || async {
        let counts = app.store().row_counts().await.unwrap();
        counts
            .iter()
            .find(|(t, _)| t == "login_throttle")
            .unwrap()
            .1
    };
    assert!(throttle_rows().await > 0);
    let later = koers::app::Clock::fixed(now() + chrono::Duration::minutes(16));
    koers::ops::auth::prune(app.store(), later.now().timestamp())
        .await
        .unwrap();
    assert_eq!(throttle_rows().await, 0);
}

async fn the_return_path_after_login_stays_on_this_site(app: TestApp) {
    let account = app.account("lezer").clone();
    for (terug, expected) in [
        ("/programma/2024", "/programma/2024"),
        ("/\t/evil.example", "/overzicht"),
        ("//evil.example", "/overzicht"),
        ("/\\evil.example", "/overzicht"),
        ("https://evil.example", "/overzicht"),
        ("/a\r\nSet-Cookie: x=1", "/overzicht"),
        ("/a\u{0}b", "/overzicht"),
    ] {
        let reply = app
            .post(
                "/inloggen",
                "",
                &[
                    ("email", &account.email),
                    ("wachtwoord", &account.password),
                    ("terug", terug),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::SEE_OTHER, "{terug:?}");
        assert_eq!(reply.location, expected, "{terug:?}");
    }
    let reply = app.get("/inloggen?terug=%2F%09%2Fevil.example", "").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(!reply.body.contains("evil.example"));
}

async fn sessions_end_when_idle_and_a_new_password_ends_api_keys(mut app: TestApp) {
    let session = app.login("teamlid").await;
    let key_reply = app
        .post("/account/api-sleutels", &session, &[("name", "script")])
        .await;
    let start = key_reply.body.find("koers_").unwrap();
    let key: String = key_reply.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let api = |key: &str| {
        Request::get("/api/v1/programmas")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(app.request(api(&key)).await.status, StatusCode::OK);

    // 29 minutes later the session still works and moves on; 31 minutes after that it ended.
    app.state.clock = koers::app::Clock::fixed(now() + chrono::Duration::minutes(29));
    assert_eq!(app.get("/overzicht", &session).await.status, StatusCode::OK);
    app.state.clock = koers::app::Clock::fixed(now() + chrono::Duration::minutes(29 + 31));
    assert_eq!(
        app.get("/overzicht", &session).await.status,
        StatusCode::SEE_OTHER
    );

    let admin = app.login("beheerder").await;
    let teamlid = app.account("teamlid").clone();
    let org = app.org().await;
    let id = app
        .store()
        .users(org)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == teamlid.email)
        .unwrap()
        .id;
    let reset = app
        .post(&format!("/beheer/gebruikers/{id}/wachtwoord"), &admin, &[])
        .await;
    assert!(
        reset.body.contains("API-sleutels"),
        "the page says the keys stopped working"
    );
    assert_eq!(
        app.request(api(&key)).await.status,
        StatusCode::UNAUTHORIZED
    );

    // The beheerder reads the logins in the security log.
    let log = app.get("/beheer/beveiliging", &admin).await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(log.body.contains("Ingelogd") && log.body.contains(&teamlid.email));
    let lezer = app.login("lezer").await;
    assert_eq!(
        app.get("/beheer/beveiliging", &lezer).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn https_makes_every_cookie_secure_and_checks_the_origin_scheme(mut app: TestApp) {
    app.state.secure_cookies = true;
    let session = app.login("beleidsadviseur").await;
    let reply = app
        .post("/onderdelen/partner", &session, &[("name", "Brandweer")])
        .await;
    let cookies: Vec<_> = reply.headers.get_all(header::SET_COOKIE).iter().collect();
    assert!(!cookies.is_empty(), "a flash message is set");
    for cookie in cookies {
        assert!(cookie.to_str().unwrap().contains("; Secure"), "{cookie:?}");
    }
    let from = |origin: &str| {
        Request::post("/onderdelen/partner")
            .header(header::COOKIE, &session)
            .header(header::HOST, "koers.example")
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from("name=Politie"))
            .unwrap()
    };
    assert_eq!(
        app.request(from("http://koers.example")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_ne!(
        app.request(from("https://koers.example")).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn the_audit_csv_neutralises_formulas(app: TestApp) {
    let admin = app.login("beheerder").await;
    let reply = app
        .post(
            "/beheer/gebruikers",
            &admin,
            &[
                ("email", "formule@voorbeeld.nl"),
                ("name", "=1+1"),
                ("role", "beleidsadviseur"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let start = reply.body.find("koers-code\">").unwrap() + "koers-code\">".len();
    let password: String = reply.body[start..]
        .chars()
        .take_while(|c| *c != '<')
        .collect();
    // The user named "=1+1" changes something, so the name lands in the "gebruiker" column.
    let session = app.login_as("formule@voorbeeld.nl", &password).await;
    let added = app
        .post("/onderdelen/partner", &session, &[("name", "@Partner")])
        .await;
    assert!(added.status.is_redirection(), "{}", added.body);
    let csv = app.get("/beheer/audit.csv", &admin).await.body;
    let cells: Vec<&str> = csv.lines().flat_map(|line| line.split(';')).collect();
    assert!(cells.contains(&"'=1+1"), "the name is neutralised: {csv}");
    assert!(
        !cells
            .iter()
            .any(|cell| cell.starts_with(['=', '+', '-', '@'])),
        "no cell starts a formula: {csv}"
    );
}

each_database!(
    cross_site_posts_are_refused_and_headers_are_set,
    parallel_logins_cannot_pass_the_rate_limit,
    the_return_path_after_login_stays_on_this_site,
    sessions_end_when_idle_and_a_new_password_ends_api_keys,
    https_makes_every_cookie_secure_and_checks_the_origin_scheme,
    the_audit_csv_neutralises_formulas,
);
