//! The readability check: `koers leesbaarheid` on the command line, and POST /leesbaarheid
//! behind the "Leesbaarheid controleren" button and its htmx enhancement.

use crate::helpers::{TestApp, each_database};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use std::io::Write;
use std::process::{Command, Stdio};

const TEXT: &str = "Teneinde de overlast te beperken, dient de gemeente middels extra controles \
                    o.a. in de binnenstad en bij evenementen ten behoeve van de bewoners reeds \
                    in het voorjaar meer toezicht te houden dan in voorgaande jaren gebruikelijk \
                    was. Het plan wordt door de raad vastgesteld. We gaan in mei van start.";

fn koers(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn the_command_reads_a_file_or_stdin_and_prints_text_or_json() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("brief.txt");
    std::fs::write(&file, TEXT).unwrap();
    let (ok, out, err) = koers(&["leesbaarheid", file.to_str().unwrap()], None);
    assert!(ok, "{err}");
    for expected in [
        "indicatie",
        "Zinnen:                3",
        "Woorden:               ",
        "Lettergrepen:          ",
        "Flesch-Douma:          ",
        "Gemiddelde zinslengte:",
        "Lange zinnen (meer dan 20 woorden): 1",
        "wordt … vastgesteld",
        "teneinde → om",
        "middels → met, via",
        "dient te → moeten",
    ] {
        assert!(out.contains(expected), "{expected} missing from:\n{out}");
    }
    let (ok, from_stdin, _) = koers(&["leesbaarheid", "-"], Some(TEXT));
    assert!(ok);
    assert_eq!(from_stdin, out);

    let (ok, json, err) = koers(&["leesbaarheid", "--json", "-"], Some(TEXT));
    assert!(ok, "{err}");
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["sentences"], 3);
    assert!(value["score"].as_f64().unwrap().is_finite());
    assert!(value["band"].is_string());
    assert_eq!(value["long_sentences"].as_array().unwrap().len(), 1);
    assert_eq!(value["passive"][0]["words"], "wordt … vastgesteld");
    assert!(
        value["officialese"]
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["found"] == "reeds" && o["plain"] == "al")
    );

    let (ok, json, _) = koers(&["leesbaarheid", "--json", "-"], Some(""));
    assert!(ok);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(value["score"].is_null() && value["band"].is_null());
}

#[test]
fn a_missing_file_is_one_dutch_line_and_a_failure() {
    let (ok, out, err) = koers(&["leesbaarheid", "/bestaat/niet.txt"], None);
    assert!(!ok);
    assert!(out.is_empty());
    assert_eq!(
        err.trim(),
        "koers: het bestand /bestaat/niet.txt bestaat niet"
    );
    let dir = tempfile::tempdir().unwrap();
    let (ok, _, err) = koers(&["leesbaarheid", dir.path().to_str().unwrap()], None);
    assert!(!ok && err.contains("is een map"), "{err}");
    let binary = dir.path().join("plaatje.png");
    std::fs::write(&binary, [0xff, 0xd8, 0x00, 0x9f]).unwrap();
    let (ok, _, err) = koers(&["leesbaarheid", binary.to_str().unwrap()], None);
    assert!(!ok && err.contains("geen tekst in UTF-8"), "{err}");
}

async fn htmx(app: &TestApp, session: &str, form: &[(&str, &str)]) -> crate::helpers::Reply {
    let request = Request::post("/leesbaarheid")
        .header(header::COOKIE, session)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "same-origin")
        .header("hx-request", "true")
        .body(Body::from(serde_urlencoded::to_string(form).unwrap()))
        .unwrap();
    app.request(request).await
}

async fn the_check_answers_htmx_with_a_fragment_and_a_form_with_a_page(app: TestApp) {
    let session = app.login("lezer").await;
    let audit = || async {
        app.store()
            .audit_entries(app.org().await, &Default::default())
            .await
            .unwrap()
            .len()
    };
    let before = audit().await;
    // The whole action form is posted; only the field named by `veld` is checked.
    let form = [
        ("versie", "3"),
        ("title", "Toezicht"),
        ("veld", "description"),
        ("description", TEXT),
        ("intended_result", "Minder overlast."),
    ];
    let fragment = htmx(&app, &session, &form).await;
    assert_eq!(fragment.status, StatusCode::OK, "{}", fragment.body);
    assert!(!fragment.body.contains("<html"));
    for expected in [
        "Leesbaarheid (indicatie)",
        "Flesch-Douma",
        "3 zinnen",
        "1 zin heeft meer dan 20 woorden",
        "<q>wordt … vastgesteld</q>",
        "<q>middels</q> → met, via",
        "Een indicatie, geen oordeel",
    ] {
        assert!(
            fragment.body.contains(expected),
            "{expected}: {}",
            fragment.body
        );
    }
    let other = htmx(
        &app,
        &session,
        &[
            ("veld", "intended_result"),
            ("intended_result", "Minder overlast in de wijk."),
        ],
    )
    .await;
    assert!(
        other.body.contains("1 zin,") && other.body.contains("Geen zinnen van meer dan"),
        "{}",
        other.body
    );
    let empty = htmx(&app, &session, &[("veld", "lesson"), ("lesson", "  ")]).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Nog geen tekst om te controleren"));

    let page = app
        .request(
            Request::post("/leesbaarheid")
                .header(header::COOKIE, &session)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .header(header::HOST, "koers.test")
                .header(
                    header::REFERER,
                    "http://koers.test/programma/2024/acties/IV1-03/bewerken",
                )
                .body(Body::from(serde_urlencoded::to_string(form).unwrap()))
                .unwrap(),
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<html") && page.body.contains("Leesbaarheid van uw tekst"));
    assert!(page.body.contains("aria-live=\"polite\""));
    assert!(page.body.contains("Zinnen van meer dan 20 woorden"));
    assert!(
        page.body
            .contains("href=\"/programma/2024/acties/IV1-03/bewerken\"")
    );
    assert!(page.body.contains("Er is niets opgeslagen"));
    // A referrer on another site is not a way back.
    let elsewhere = app
        .request(
            Request::post("/leesbaarheid")
                .header(header::COOKIE, &session)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "same-origin")
                .header(header::HOST, "koers.test")
                .header(header::REFERER, "http://elders.example/koers.test/x")
                .body(Body::from("tekst=Hallo."))
                .unwrap(),
        )
        .await;
    assert!(elsewhere.body.contains("href=\"/overzicht\""));
    // Nothing was written.
    assert_eq!(audit().await, before);
}

async fn the_check_refuses_bad_text_with_a_dutch_message(app: TestApp) {
    let session = app.login("teamlid").await;
    let long = "woord ".repeat(2_000);
    for (form, message) in [
        (
            vec![("veld", "description"), ("description", long.as_str())],
            "te lang (hoogstens 10000 tekens)",
        ),
        (
            vec![("veld", "description"), ("description", "a\0b")],
            "stuurteken",
        ),
        (
            vec![("veld", "x\0"), ("x\0", "tekst")],
            "Onbekend tekstveld",
        ),
        (
            vec![("veld", "Description"), ("Description", "tekst")],
            "Onbekend tekstveld",
        ),
    ] {
        let fragment = htmx(&app, &session, &form).await;
        assert_eq!(fragment.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            fragment.body.contains(message),
            "{message}: {}",
            fragment.body
        );
        let page = app.post("/leesbaarheid", &session, &form).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(page.body.contains(message) && page.body.contains("<html"));
    }
    // 10,000 characters is still fine.
    let most = "a".repeat(10_000);
    let reply = htmx(&app, &session, &[("veld", "tekst"), ("tekst", &most)]).await;
    assert_eq!(reply.status, StatusCode::OK);
}

async fn the_check_needs_a_login_and_a_same_origin_post(app: TestApp) {
    let reply = app
        .post("/leesbaarheid", "", &[("tekst", "Een zin.")])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(
        reply.location.starts_with("/inloggen"),
        "{}",
        reply.location
    );
    // htmx gets a message next to the field instead of the login page.
    let expired = htmx(&app, "koers_sessie=verlopen", &[("tekst", "Een zin.")]).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(expired.body.contains("niet meer ingelogd") && !expired.body.contains("<html"));
    let session = app.login("lezer").await;
    let cross = app
        .request(
            Request::post("/leesbaarheid")
                .header(header::COOKIE, &session)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from("tekst=Een+zin."))
                .unwrap(),
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/leesbaarheid", &session).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

async fn the_long_text_fields_offer_the_check(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    for (path, fields) in [
        (
            "/programma/2024/acties/IV1-03/bewerken",
            &["description", "intended_result"][..],
        ),
        ("/beleidsplan/bewerken", &["description"][..]),
        ("/onderdelen/subteam/nieuw", &["description"][..]),
        ("/programma/2024/evaluatie/teksten", &[][..]),
        (
            "/programma/2024/evaluatie/acties/IV1-03",
            &["reason", "achieved", "lesson"][..],
        ),
    ] {
        let body = app.get(path, &session).await.body;
        assert!(body.contains("Leesbaarheid controleren"), "{path}");
        assert!(body.contains("formaction=\"/leesbaarheid\""), "{path}");
        assert!(body.contains("class=\"koers-default-submit\""), "{path}");
        for field in fields {
            assert!(
                body.contains(&format!("id=\"{field}-leesbaarheid\"")),
                "{path}: {field}"
            );
            assert!(body.contains(&format!(
                "hx-trigger=\"input changed delay:800ms from:#{field}\""
            )));
        }
    }
}

each_database!(
    the_check_answers_htmx_with_a_fragment_and_a_form_with_a_page,
    the_check_refuses_bad_text_with_a_dutch_message,
    the_check_needs_a_login_and_a_same_origin_post,
    the_long_text_fields_offer_the_check,
);
