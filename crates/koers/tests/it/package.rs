//! The council package (raadspakket): its input gathered from the demo, the package page with
//! the readability report, downloads per format, packages kept once per format and hash, the
//! API, the command line, and tenant isolation.
//!
//! Tests that download a rendered file need the renderers of koers-docs; the others use files
//! kept directly through the store, so they hold whatever the renderers do.

use crate::api::api_key;
use crate::helpers::{TestApp, action_form, each_database, now, pairs, set};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use koers::ops::package::{Gathered, Requester, gather};
use koers_docs::render::Formaat;
use koers_domain::Jaar;
use koers_store::adoption::sha256_hex;
use koers_store::council_packages::NewCouncilPackage;
use koers_store::{Actor, Store};
use tower::ServiceExt;

/// A reply with its body as bytes: a package is a binary file.
struct File {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    bytes: Vec<u8>,
}

impl File {
    fn header(&self, name: header::HeaderName) -> String {
        self.headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
            .unwrap_or_default()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).to_string()
    }
}

async fn fetch(app: &TestApp, path: &str, session: Option<&str>, key: Option<&str>) -> File {
    let mut request = Request::get(path);
    if let Some(session) = session {
        request = request.header(header::COOKIE, session);
    }
    if let Some(key) = key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    let response = koers::app::router(app.state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    File {
        status: response.status(),
        headers: response.headers().clone(),
        bytes: response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec(),
    }
}

fn actor(org: i64) -> Actor {
    Actor {
        organisation_id: org,
        user_id: None,
        user_name: "Test".into(),
        now: now(),
    }
}

async fn gathered(store: &Store, year: i64) -> Gathered {
    let organisation = store.organisation_by_code("GM0400").await.unwrap().unwrap();
    let requester = Requester {
        store,
        organisation: &organisation,
        actor: actor(organisation.id),
    };
    gather(&requester, Jaar::new(year).unwrap()).await.unwrap()
}

async fn programme_id(app: &TestApp, year: i64) -> i64 {
    app.store()
        .programme(app.org().await, Jaar::new(year).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

/// Keeps a file as a package of the 2024 programme, as rendering would; returns its id.
async fn keep(app: &TestApp, bytes: &[u8]) -> (i64, bool) {
    let org = app.org().await;
    let programme = programme_id(app, 2024).await;
    let mut tx = app.store().begin().await.unwrap();
    let (kept, added) = tx
        .keep_council_package(
            &actor(org),
            &NewCouncilPackage {
                programme_id: programme,
                format: "pdf",
                bytes,
                programme_version: 1,
                evaluation_version: Some(1),
            },
        )
        .await
        .unwrap();
    tx.commit().await.unwrap();
    (kept.id, added)
}

async fn the_input_carries_the_facts_of_the_demo(app: TestApp) {
    let g = gathered(app.store(), 2024).await;
    let invoer = &g.invoer;
    assert_eq!(invoer.organisatie.naam, "Gemeente Den Helder");
    assert_eq!(invoer.organisatie.plaats, "Den Helder");
    assert_eq!(invoer.brief.nummer, "2024-007143");
    assert_eq!(
        invoer.brief.datum,
        chrono::NaiveDate::from_ymd_opt(2024, 2, 27)
    );
    assert_eq!(
        invoer.brief.geadresseerde,
        "Aan de leden van de gemeenteraad"
    );
    assert_eq!(invoer.sjabloon, koers_docs::sjabloon::STANDAARD);
    assert_eq!((invoer.plan.van, invoer.plan.tot), (2023, 2026));
    let groups: Vec<(&str, Vec<&str>)> = invoer
        .plan
        .themagroepen
        .iter()
        .map(|g| {
            (
                g.naam.as_str(),
                g.themas.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            (
                "Integrale Veiligheid",
                vec![
                    "Aanpak Zorg & veiligheid",
                    "Ondermijning",
                    "Sociale, fysieke en digitale leefomgeving"
                ]
            ),
            (
                "VTH-taken",
                vec![
                    "Vertrouwen waar het kan, handhaven waar het moet",
                    "Projectmatige aanpak",
                    "Leesbaar voor iedereen"
                ]
            ),
        ]
    );
    assert_eq!(invoer.plan.opgaven.len(), 5);
    let joined: Vec<&str> = invoer
        .plan
        .opgaven
        .iter()
        .filter(|o| o.deelname)
        .map(|o| o.naam.as_str())
        .collect();
    assert_eq!(joined, vec!["Zorg op Maat", "Leefbare Stad"]);
    assert_eq!(invoer.doorgeschoven, 16);
    assert_eq!(invoer.programma.jaar, 2024);
    assert_eq!(invoer.programma.acties.len(), 47);
    // References in the frozen content become names the documents print.
    assert!(
        invoer
            .programma
            .acties
            .iter()
            .all(|a| !a.thema.is_empty() && !a.trekker.is_empty())
    );
    let evaluatie = invoer.evaluatie.as_ref().expect("the evaluation of 2023");
    assert_eq!(evaluatie.jaar, 2023);
    assert_eq!(evaluatie.acties.len(), 41);
    // Both come from what the college adopted.
    assert_eq!(g.sources.programme_version.as_ref().unwrap().number, 1);
    assert_eq!(g.sources.evaluation_version.as_ref().unwrap().number, 1);
    assert!(g.sources.has_evaluation);
    // The whole package can be built from it.
    let pakket = koers_docs::bouw::pakket(invoer).unwrap();
    assert_eq!(pakket.documenten.len(), 3);

    // 2023 has no programme before it: no evaluation, and nothing carried over.
    let first = gathered(app.store(), 2023).await;
    assert!(first.invoer.evaluatie.is_none() && !first.sources.has_evaluation);
    assert_eq!(first.invoer.doorgeschoven, 0);
}

async fn the_package_page_shows_what_the_package_holds(app: TestApp) {
    let lezer = app.login("lezer").await;
    let page = app.get("/programma/2024/raadspakket", &lezer).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body = &page.body;
    for expected in [
        "Raadspakket 2024",
        "nummer 2024-007143 van 27 februari 2024",
        "versie 1, vastgesteld op 13 februari 2024",
        "Bijlage 1",
        "Bijlage 2",
        "vastgestelde versie 1",
        "Flesch-Douma",
        "Moeilijkste zinnen",
        "Er is nog geen pakket vastgelegd.",
    ] {
        assert!(body.contains(expected), "{expected} missing:\n{body}");
    }
    assert!(
        !body.contains("koers-tag\">concept"),
        "adopted, not a concept"
    );
    for formaat in Formaat::ALL {
        assert!(body.contains(&format!(
            "href=\"/programma/2024/raadspakket.{}\"",
            formaat.code()
        )));
        assert!(body.contains(formaat.label()));
    }
    // One readability report per document of the package: the letter and two annexes.
    assert_eq!(body.matches("koers-readability__summary").count(), 3);

    // The programme and adoption pages lead here.
    for from in ["/programma/2024", "/programma/2024/vaststelling"] {
        let page = app.get(from, &lezer).await;
        assert!(
            page.body
                .contains("href=\"/programma/2024/raadspakket\">Raadspakket</a>"),
            "{from}"
        );
    }

    // A programme not yet adopted gives a concept, without a letter number yet.
    let adviser = app.login("beleidsadviseur").await;
    let made = app.post("/programma", &adviser, &[("jaar", "2025")]).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let concept = app.get("/programma/2025/raadspakket", &lezer).await;
    assert_eq!(concept.status, StatusCode::OK, "{}", concept.body);
    assert!(concept.body.contains("koers-tag\">concept"));
    assert!(concept.body.contains("Nummer en datum nog niet bekend"));
    assert!(
        concept
            .body
            .contains("href=\"/programma/2025/vaststelling#programma\"")
    );
    assert!(
        concept
            .body
            .contains("concept: zoals het nu in Koers staat")
    );
}

async fn a_year_without_a_programme_is_a_clear_404(app: TestApp) {
    let lezer = app.login("lezer").await;
    let message = "Er is geen programma voor 2031.";
    for path in [
        "/programma/2031/raadspakket",
        "/programma/2031/raadspakket.pdf",
        "/programma/2031/raadspakket.html",
    ] {
        let reply = app.get(path, &lezer).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.body.contains(message), "{path}: {}", reply.body);
    }
    // A year that cannot exist, an id that cannot exist, a format Koers does not make.
    for path in [
        "/programma/1800/raadspakket",
        "/programma/2024/raadspakket/abc",
        "/programma/2024/raadspakket/0",
        "/programma/2024/raadspakket/99999",
        "/programma/2024/raadspakket.exe",
    ] {
        assert_eq!(
            app.get(path, &lezer).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let key = api_key(&app, &lezer).await;
    for path in [
        "/api/v1/programmas/2031/raadspakket",
        "/api/v1/programmas/2031/raadspakketten",
    ] {
        let reply = fetch(&app, path, None, Some(&key)).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            reply.header(header::CONTENT_TYPE),
            "application/problem+json"
        );
        let problem: serde_json::Value = serde_json::from_slice(&reply.bytes).unwrap();
        assert_eq!(problem["detail"], message, "{path}");
        assert_eq!(problem["status"], 404);
    }
    // An unknown format in the API is a bad request that names the parameter.
    let reply = fetch(
        &app,
        "/api/v1/programmas/2024/raadspakket?formaat=exe",
        None,
        Some(&key),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let problem: serde_json::Value = serde_json::from_slice(&reply.bytes).unwrap();
    assert_eq!(problem["invalidParams"][0]["name"], "formaat");
    // Logged out, the page asks to log in first.
    let reply = app.get("/programma/2024/raadspakket.pdf", "").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(reply.location.starts_with("/inloggen"));
}

/// Kept packages: once per file, downloadable by any role of the organisation with the same
/// bytes and hash, listed on the page and in the API, and invisible to another organisation.
async fn kept_packages_are_listed_and_only_for_their_organisation(app: TestApp) {
    let bytes = b"%PDF-1.7 een vastgelegd raadspakket".to_vec();
    let (id, added) = keep(&app, &bytes).await;
    assert!(added);
    let (again, added) = keep(&app, &bytes).await;
    assert_eq!((again, added), (id, false), "the same file is kept once");
    let programme = programme_id(&app, 2024).await;
    let kept = app
        .store()
        .council_packages(app.org().await, programme)
        .await
        .unwrap();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].sha256, sha256_hex(&bytes));
    assert_eq!(kept[0].size, bytes.len() as i64);
    let audit = app
        .store()
        .audit_entries(app.org().await, &Default::default())
        .await
        .unwrap();
    assert_eq!(
        audit.iter().filter(|e| e.entity == "raadspakket").count(),
        1,
        "one audit row for one kept file"
    );

    let lezer = app.login("lezer").await;
    let file = fetch(
        &app,
        &format!("/programma/2024/raadspakket/{id}"),
        Some(&lezer),
        None,
    )
    .await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, bytes);
    assert_eq!(sha256_hex(&file.bytes), kept[0].sha256);
    assert_eq!(file.header(header::CONTENT_TYPE), "application/pdf");
    assert_eq!(
        file.header(header::CONTENT_DISPOSITION),
        format!(
            "attachment; filename=\"raadspakket-GM0400-2024-{}.pdf\"",
            &kept[0].sha256[..12]
        )
    );
    // Under another year it does not exist.
    assert_eq!(
        app.get(&format!("/programma/2023/raadspakket/{id}"), &lezer)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let page = app.get("/programma/2024/raadspakket", &lezer).await;
    assert!(page.body.contains(&kept[0].sha256));
    assert!(
        page.body
            .contains(&format!("href=\"/programma/2024/raadspakket/{id}\""))
    );

    let key = api_key(&app, &lezer).await;
    let list = fetch(
        &app,
        "/api/v1/programmas/2024/raadspakketten",
        None,
        Some(&key),
    )
    .await;
    assert_eq!(list.status, StatusCode::OK);
    let list: serde_json::Value = serde_json::from_slice(&list.bytes).unwrap();
    assert_eq!(list[0]["id"], id);
    assert_eq!(list[0]["formaat"], "pdf");
    assert_eq!(list[0]["sha256"], kept[0].sha256);
    assert_eq!(list[0]["grootte"], bytes.len());
    assert_eq!(list[0]["programmaversie"], 1);
    let link = list[0]["link"].as_str().unwrap();
    assert_eq!(link, format!("/api/v1/programmas/2024/raadspakketten/{id}"));
    let file = fetch(&app, link, None, Some(&key)).await;
    assert_eq!((file.status, file.bytes), (StatusCode::OK, bytes.clone()));

    // Another organisation knows nothing of it, by page or API.
    let (_, other) = app
        .other_organisation(
            "GM0009",
            "elders@elders.example",
            koers_domain::Rol::Beheerder,
        )
        .await;
    let reply = app
        .get(&format!("/programma/2024/raadspakket/{id}"), &other)
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert!(!reply.body.contains("PDF-1.7"));
    let other_key = api_key(&app, &other).await;
    assert_eq!(
        fetch(&app, link, None, Some(&other_key)).await.status,
        StatusCode::NOT_FOUND
    );
    // And it has no programme of its own for 2024.
    assert_eq!(
        app.get("/programma/2024/raadspakket", &other).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Needs the renderers: every format downloads as a file named after the code and the year,
/// rendering again keeps no second copy, and the kept hash is that of the downloaded bytes.
async fn rendering_an_adopted_year_twice_keeps_one_file_per_format(app: TestApp) {
    let lezer = app.login("lezer").await;
    for formaat in Formaat::ALL {
        let path = format!("/programma/2024/raadspakket.{}", formaat.code());
        let first = fetch(&app, &path, Some(&lezer), None).await;
        assert_eq!(first.status, StatusCode::OK, "{path}: {}", first.text());
        assert!(!first.bytes.is_empty(), "{path}");
        assert_eq!(first.header(header::CONTENT_TYPE), formaat.mime());
        assert_eq!(
            first.header(header::CONTENT_DISPOSITION),
            format!(
                "attachment; filename=\"raadspakket-GM0400-2024.{}\"",
                formaat.code()
            )
        );
        let second = fetch(&app, &path, Some(&lezer), None).await;
        assert_eq!(
            sha256_hex(&first.bytes),
            sha256_hex(&second.bytes),
            "{path}: the same adopted versions give the same file"
        );
    }
    let kept = app
        .store()
        .council_packages(app.org().await, programme_id(&app, 2024).await)
        .await
        .unwrap();
    let mut formats: Vec<&str> = kept.iter().map(|k| k.format.as_str()).collect();
    formats.sort_unstable();
    assert_eq!(formats, vec!["docx", "html", "odt", "pdf"]);
    let reader = app.account("lezer").name.clone();
    assert!(
        kept.iter().all(|k| k.created_by == reader),
        "kept under who asked"
    );
    for k in &kept {
        let file = fetch(
            &app,
            &format!("/programma/2024/raadspakket/{}", k.id),
            Some(&lezer),
            None,
        )
        .await;
        assert_eq!(sha256_hex(&file.bytes), k.sha256);
        assert_eq!(file.bytes.len() as i64, k.size);
    }

    // A concept is rendered but not kept.
    let adviser = app.login("beleidsadviseur").await;
    app.post("/programma", &adviser, &[("jaar", "2025")]).await;
    let concept = fetch(&app, "/programma/2025/raadspakket.html", Some(&lezer), None).await;
    assert_eq!(concept.status, StatusCode::OK);
    assert!(
        app.store()
            .council_packages(app.org().await, programme_id(&app, 2025).await)
            .await
            .unwrap()
            .is_empty()
    );

    // The API chooses by `formaat`, then by Accept, and defaults to PDF.
    let key = api_key(&app, &lezer).await;
    let by_query = fetch(
        &app,
        "/api/v1/programmas/2024/raadspakket?formaat=odt",
        None,
        Some(&key),
    )
    .await;
    assert_eq!(by_query.header(header::CONTENT_TYPE), Formaat::Odt.mime());
    let request = Request::get("/api/v1/programmas/2024/raadspakket")
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .header(header::ACCEPT, "text/html;q=0.9, application/xml");
    let response = koers::app::router(app.state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        response.headers()[header::CONTENT_TYPE],
        Formaat::Html.mime()
    );
    let default = fetch(
        &app,
        "/api/v1/programmas/2024/raadspakket",
        None,
        Some(&key),
    )
    .await;
    assert_eq!(default.header(header::CONTENT_TYPE), "application/pdf");
    assert_eq!(
        app.store()
            .council_packages(app.org().await, programme_id(&app, 2024).await)
            .await
            .unwrap()
            .len(),
        4,
        "the API's downloads were kept already"
    );
}

/// The package of an adopted year is built from the adopted version: a change to the living
/// programme afterwards changes neither its input nor (with the renderers) its file.
async fn the_adopted_package_does_not_follow_the_living_programme(app: TestApp) {
    let before = gathered(app.store(), 2024).await;
    let adviser = app.login("beleidsadviseur").await;
    let mut form = action_form(&app, 2024, "IV1-03").await;
    set(&mut form, "title", "Een titel van na de vaststelling");
    set(&mut form, "planned_hours", "999");
    let reply = app
        .post(
            "/programma/2024/acties/IV1-03/bewerken",
            &adviser,
            &pairs(&form),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let after = gathered(app.store(), 2024).await;
    let json = |g: &Gathered| serde_json::to_string(&g.invoer).unwrap();
    assert_eq!(json(&before), json(&after));
    assert!(!json(&after).contains("Een titel van na de vaststelling"));

    // The living programme did change, and a concept would show it: the page says the package
    // comes from the adopted version.
    let page = app.get("/programma/2024/raadspakket", &adviser).await;
    assert!(
        page.body
            .contains("Wat er sindsdien in het programma verandert")
    );

    let first = fetch(
        &app,
        "/programma/2024/raadspakket.html",
        Some(&adviser),
        None,
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    assert!(!first.text().contains("Een titel van na de vaststelling"));
}

each_database!(
    the_input_carries_the_facts_of_the_demo,
    the_package_page_shows_what_the_package_holds,
    a_year_without_a_programme_is_a_clear_404,
    kept_packages_are_listed_and_only_for_their_organisation,
    rendering_an_adopted_year_twice_keeps_one_file_per_format,
    the_adopted_package_does_not_follow_the_living_programme,
);

fn koers(args: &[&str]) -> (i32, Vec<u8>, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(args)
        .env_remove("KOERS_DATABASE_URL")
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// `koers render` on a database with the demo: the errors say what is wrong in Dutch and exit
/// non-zero before anything is written; a render writes the file, says where and its hash, and
/// keeps the adopted package once (needs the renderers).
async fn the_command_line_renders_a_package(url: &str) {
    let store = Store::connect(url).await.unwrap();
    store.migrate().await.unwrap();
    koers::demo::load(&store, now()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pakket.html");
    let out = out.to_str().unwrap();
    let render = |org: &str, year: &str, format: &str| {
        koers(&[
            "render",
            "--org",
            org,
            "--year",
            year,
            "--format",
            format,
            "--out",
            out,
            "--database-url",
            url,
        ])
    };
    for ((org, year, format), expected) in [
        (
            ("GM9999", "2024", "html"),
            "er is geen organisatie met code GM9999",
        ),
        (
            ("GM0400", "2031", "html"),
            "Er is geen programma voor 2031.",
        ),
        (
            ("GM0400", "2024", "rtf"),
            "onbekend formaat 'rtf'; kies pdf, odt, docx of html",
        ),
        (("GM0400", "twintig", "pdf"), "'twintig' is geen jaar"),
    ] {
        let (code, _, err) = render(org, year, format);
        assert_ne!(code, 0, "{org} {year} {format}");
        assert!(err.contains(expected), "{expected}: {err}");
        assert_eq!(err.lines().count(), 1, "one clear line: {err}");
    }
    assert!(!std::path::Path::new(out).exists(), "nothing written");

    let (code, stdout, err) = render("gm0400", "2024", "html");
    assert_eq!(code, 0, "{err}");
    let stdout = String::from_utf8_lossy(&stdout).to_string();
    let written = std::fs::read(out).unwrap();
    assert!(!written.is_empty());
    assert!(stdout.contains(out), "{stdout}");
    assert!(
        stdout.contains(&format!("{} bytes", written.len())),
        "{stdout}"
    );
    assert!(stdout.contains(&sha256_hex(&written)), "{stdout}");
    assert!(stdout.contains("Vastgelegd"), "{stdout}");

    // To standard output: the file there, the report on standard error.
    let (code, piped, err) = koers(&[
        "render",
        "--org",
        "GM0400",
        "--year",
        "2024",
        "--format",
        "html",
        "--out",
        "-",
        "--database-url",
        url,
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(piped, written);
    assert!(err.contains(&sha256_hex(&written)), "{err}");

    let organisation = store.organisation_by_code("GM0400").await.unwrap().unwrap();
    let programme = store
        .programme(organisation.id, Jaar::new(2024).unwrap())
        .await
        .unwrap()
        .unwrap();
    let kept = store
        .council_packages(organisation.id, programme.id)
        .await
        .unwrap();
    assert_eq!(kept.len(), 1, "rendered twice, kept once");
    assert_eq!(kept[0].created_by, "koers render");
    assert_eq!(kept[0].sha256, sha256_hex(&written));
    store.close().await;
}

mod the_command_line_renders_a_package {
    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("koers.db").display());
        super::the_command_line_renders_a_package(&url).await;
    }

    #[tokio::test]
    async fn postgres() {
        if let Some(url) = crate::helpers::postgres_schema_url("render").await {
            super::the_command_line_renders_a_package(&url).await;
        }
    }
}
