//! The house style (beheer › huisstijl, `/api/v1/huisstijl`) and the letter template (beheer ›
//! briefsjabloon, `/api/v1/briefsjabloon`): who may change them, what is refused, conflicts,
//! tenant isolation and the audit log.

use crate::api::{api_key, call};
use crate::helpers::{Reply, TestApp, each_database};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use koers_domain::Rol;
use koers_store::audit::AuditFilter;
use koers_store::house_style::LogoKind;
use serde_json::json;

const BOUNDARY: &str = "koers-test-grens";

/// A tiny valid PNG header: the signature and an IHDR chunk.
fn png(len: usize) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0".to_vec();
    bytes.resize(len.max(bytes.len()), 0);
    bytes
}

const SAFE_SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>"#;

/// A file in the field "logo": file name, content type, bytes.
type Upload<'a> = (&'a str, &'a str, &'a [u8]);

/// A multipart body with text fields and, optionally, a file in the field "logo".
fn multipart(fields: &[(&str, &str)], file: Option<Upload>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some((filename, content_type, bytes)) = file {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_style(
    app: &TestApp,
    session: &str,
    fields: &[(&str, &str)],
    file: Option<Upload<'_>>,
) -> Reply {
    let request = Request::post("/beheer/huisstijl")
        .header(header::COOKIE, session)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("sec-fetch-site", "same-origin")
        .body(Body::from(multipart(fields, file)))
        .unwrap();
    app.request(request).await
}

/// The form as the demo stored it, at `version`, with `changes` applied.
fn form<'a>(version: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("versie", version),
        ("team", "Team OOV"),
        ("colour_before", "#0b5e55"),
        ("colour", "#0b5e55"),
        ("colour_picker", "#0b5e55"),
        ("sender", "burgemeester en wethouders van Den Helder"),
        ("addressee", "Aan de leden van de gemeenteraad"),
        ("signatory_name_1", "J.A. (Jan) de Boer MSc."),
        ("signatory_function_1", "burgemeester"),
    ];
    for (name, value) in changes {
        match fields.iter_mut().find(|(k, _)| k == name) {
            Some(field) => field.1 = value,
            None => fields.push((name, value)),
        }
    }
    fields
}

async fn version(app: &TestApp) -> i64 {
    app.store()
        .house_style(app.org().await)
        .await
        .unwrap()
        .version
}

async fn audit_summaries(app: &TestApp, entity: &str) -> Vec<String> {
    app.store()
        .audit_entries(
            app.org().await,
            &AuditFilter {
                entity: Some(entity.into()),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.summary)
        .collect()
}

async fn only_beheerders_change_the_house_style(app: TestApp) {
    for role in ["beleidsadviseur", "teamlid", "lezer"] {
        let session = app.login(role).await;
        let page = app.get("/beheer/huisstijl", &session).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
        assert!(!page.body.contains("Huisstijl opslaan"), "{role}");
        let post = post_style(&app, &session, &form("1", &[("team", "Gekaapt")]), None).await;
        assert_eq!(post.status, StatusCode::FORBIDDEN, "{role}");
    }
    for role in ["teamlid", "lezer"] {
        let session = app.login(role).await;
        let page = app.get("/beheer/briefsjabloon", &session).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{role}");
        let post = app
            .post(
                "/beheer/briefsjabloon",
                &session,
                &[("versie", "0"), ("tekst", "x")],
            )
            .await;
        assert_eq!(post.status, StatusCode::FORBIDDEN, "{role}");
    }
    // The upload route has its own body limit but keeps the cross-site check of every form.
    let admin = app.login("beheerder").await;
    let cross_site = Request::post("/beheer/huisstijl")
        .header(header::COOKIE, &admin)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(multipart(
            &form("1", &[("team", "Gekaapt")]),
            None,
        )))
        .unwrap();
    assert_eq!(app.request(cross_site).await.status, StatusCode::FORBIDDEN);
    let adviser = app.login("beleidsadviseur").await;
    let page = app.get("/beheer/briefsjabloon", &adviser).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Voorbeeld bekijken"));
    let style = app.store().house_style(app.org().await).await.unwrap();
    assert_eq!(style.team, "Team OOV");
    assert_eq!(style.version, 1);
}

async fn the_house_style_is_saved_shown_and_audited(app: TestApp) {
    let session = app.login("beheerder").await;
    let page = app.get("/beheer/huisstijl", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"Team OOV\""));
    // The demo's own logo is a safe SVG, served to the organisation's pages.
    let logo = app.get("/beheer/huisstijl/logo", &session).await;
    assert_eq!(logo.status, StatusCode::OK);
    assert_eq!(logo.headers[header::CONTENT_TYPE], "image/svg+xml");
    assert!(logo.body.contains("Gemeente Den Helder"));

    let picture = png(12 * 1024);
    let saved = post_style(
        &app,
        &session,
        &form(
            "1",
            &[
                ("team", "Team Veiligheid"),
                ("colour_picker", "#5a1e6e"),
                ("signatory_name_2", "M. (Mieke) Jansen"),
                ("signatory_function_2", "secretaris"),
            ],
        ),
        Some(("logo.png", "image/png", &picture)),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let style = app.store().house_style(app.org().await).await.unwrap();
    assert_eq!(style.team, "Team Veiligheid");
    // Only the picker changed, so its colour is the one meant.
    assert_eq!(style.colour, "#5a1e6e");
    assert_eq!(style.signatories.len(), 2);
    assert_eq!(style.logo, Some((LogoKind::Png, picture.clone())));
    assert_eq!(style.version, 2);
    // The council package uses it: team, sender and both signatories.
    let package = app.get("/programma/2024/raadspakket.html", &session).await;
    assert_eq!(package.status, StatusCode::OK);
    for text in [
        "Team Veiligheid",
        "burgemeester en wethouders van Den Helder",
        "M. (Mieke) Jansen",
        "secretaris",
    ] {
        assert!(package.body.contains(text), "{text}");
    }
    // The team is in every page's header.
    let overview = app.get("/overzicht", &session).await;
    assert!(
        overview
            .body
            .contains("koers-brand__team\">Team Veiligheid")
    );
    let logo = app.get("/beheer/huisstijl/logo", &session).await;
    assert_eq!(logo.headers[header::CONTENT_TYPE], "image/png");
    let summaries = audit_summaries(&app, "huisstijl").await;
    assert!(
        summaries[0].starts_with("Huisstijl gewijzigd; logo gewijzigd (PNG, 12 kB, sha256 "),
        "{summaries:?}"
    );
    let entry = &app
        .store()
        .audit_entries(app.org().await, &AuditFilter::default())
        .await
        .unwrap()[0];
    assert!(!entry.after_json.as_deref().unwrap().contains("PNG\\r"));

    // Removing the logo keeps the texts.
    let removed = post_style(
        &app,
        &session,
        &form("2", &[("team", "Team Veiligheid"), ("remove_logo", "1")]),
        None,
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    let style = app.store().house_style(app.org().await).await.unwrap();
    assert_eq!(style.logo, None);
    assert_eq!(style.team, "Team Veiligheid");
    assert!(audit_summaries(&app, "huisstijl").await[0].ends_with("logo verwijderd"));
    assert_eq!(
        app.get("/beheer/huisstijl/logo", &session).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn bad_input_is_named_at_its_field_and_changes_nothing(app: TestApp) {
    let session = app.login("beheerder").await;
    let before = app.store().house_style(app.org().await).await.unwrap();
    let too_large = png(1_468_006);
    let jpeg = b"\xff\xd8\xff\xe0\0\x10JFIF\0".to_vec();
    let script = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let handler = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
    let external = br#"<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/a.png"/></svg>"#;
    // One bad field each, and then one bad logo each with an otherwise valid form.
    let fields = [
        (
            ("colour", "#ffcc00"),
            "De kleur #ffcc00 heeft op wit een contrast van 1,5:1",
        ),
        (("colour", "blauw"), "zes hexadecimale tekens"),
        (("team", "Team\u{1}OOV"), "onzichtbaar teken"),
        (("sender", " "), "Vul de afzender in"),
        (
            ("signatory_name_2", "Iemand"),
            "Vul de functie van ondertekenaar 2 in",
        ),
    ];
    let logos: [(Upload, &str); 5] = [
        (
            ("groot.png", "image/png", &too_large),
            "Het logo is 1,4 MB; het mag hoogstens 1 MB zijn.",
        ),
        (
            ("logo.png", "image/png", &jpeg),
            "Het logo moet een PNG- of SVG-bestand zijn.",
        ),
        (
            ("logo.svg", "image/svg+xml", script),
            "Het SVG-bestand bevat een &#60;script&#62;-element.",
        ),
        (
            ("logo.svg", "image/svg+xml", handler),
            "gebeurtenisattribuut (onload)",
        ),
        (
            ("logo.svg", "image/svg+xml", external),
            "verwijzing naar buiten",
        ),
    ];
    let cases =
        fields
            .into_iter()
            .map(|(change, message)| (form("1", &[change]), None, message))
            .chain(logos.into_iter().map(|(file, message)| {
                (form("1", &[("team", "Nieuw team")]), Some(file), message)
            }));
    for (fields, file, message) in cases {
        let reply = post_style(&app, &session, &fields, file).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{message}: {}",
            reply.body
        );
        assert!(reply.body.contains(message), "{message}: {}", reply.body);
        // What the user typed is still in the form.
        let team = fields.iter().find(|(k, _)| *k == "team").unwrap().1;
        if !team.contains('\u{1}') {
            assert!(
                reply.body.contains(&format!("value=\"{team}\"")),
                "{message}"
            );
        }
    }
    assert_eq!(
        app.store().house_style(app.org().await).await.unwrap(),
        before
    );
    // An upload far over the limit gets the same kind of message, not a bare 413.
    let huge = png(20 * 1024 * 1024);
    let reply = post_style(
        &app,
        &session,
        &form("1", &[]),
        Some(("huge.png", "image/png", &huge)),
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("het mag hoogstens 1 MB zijn."));
    assert_eq!(version(&app).await, before.version);
    // Hostile values in any field are refused with a message or (a number as a team name)
    // saved, never a server error, on both databases.
    let long = "x".repeat(10_000);
    for name in [
        "versie",
        "team",
        "colour",
        "colour_picker",
        "sender",
        "addressee",
        "signatory_name_1",
        "signatory_function_4",
    ] {
        for value in [
            "a\0b",
            "\u{1}\u{1b}[0m",
            "-9223372036854775809",
            long.as_str(),
        ] {
            let reply = post_style(&app, &session, &form("1", &[(name, value)]), None).await;
            assert!(
                !reply.status.is_server_error(),
                "{name}={value:.20}: {}",
                reply.status
            );
        }
    }
}

async fn a_stale_version_is_a_conflict_that_keeps_the_input(app: TestApp) {
    let session = app.login("beheerder").await;
    let first = post_style(&app, &session, &form("1", &[("team", "Eerste")]), None).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = post_style(&app, &session, &form("1", &[("team", "Tweede")]), None).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(
        second
            .body
            .contains("Iemand anders heeft de huisstijl intussen gewijzigd")
    );
    assert!(second.body.contains("value=\"Tweede\""));
    assert!(second.body.contains("team \"Eerste\""));
    assert!(second.body.contains("name=\"versie\" value=\"2\""));
    assert_eq!(
        app.store().house_style(app.org().await).await.unwrap().team,
        "Eerste"
    );
}

async fn the_letter_template_is_checked_versioned_and_audited(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let org = app.org().await;
    let page = app.get("/beheer/briefsjabloon", &session).await;
    assert!(page.body.contains("standaardtekst van Koers"));
    // An unknown placeholder is named, nothing is saved and the text stays in the form.
    let unknown = app
        .post(
            "/beheer/briefsjabloon",
            &session,
            &[
                ("versie", "0"),
                ("tekst", "Geachte leden,\n\n{onbekend_veld}"),
            ],
        )
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    assert!(unknown.body.contains("onbekend_veld"));
    assert!(
        unknown
            .body
            .contains("Geachte leden,\n\n{onbekend_veld}</textarea>")
    );
    assert_eq!(app.store().letter_template(org).await.unwrap(), None);

    let text = "Geachte leden van de raad,\n\nHierbij het programma.";
    let saved = app
        .post(
            "/beheer/briefsjabloon",
            &session,
            &[("versie", "0"), ("tekst", text)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        app.store().letter_template(org).await.unwrap(),
        Some((text.to_string(), 1))
    );
    // Someone who started from the standard wording meanwhile gets a conflict, not a loss.
    let stale = app
        .post(
            "/beheer/briefsjabloon",
            &session,
            &[("versie", "0"), ("tekst", "Mijn eigen versie")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Mijn eigen versie</textarea>"));
    assert!(stale.body.contains("Hierbij het programma."));
    assert_eq!(
        app.store().letter_template(org).await.unwrap().unwrap().1,
        1
    );
    // Back to the standard wording, after asking.
    let confirm = app.get("/beheer/briefsjabloon/herstellen", &session).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("name=\"versie\" value=\"1\""));
    let reset = app
        .post(
            "/beheer/briefsjabloon/herstellen",
            &session,
            &[("versie", "1")],
        )
        .await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store().letter_template(org).await.unwrap(), None);
    let summaries = audit_summaries(&app, "briefsjabloon").await;
    assert_eq!(
        summaries,
        [
            "Briefsjabloon teruggezet op de standaardtekst",
            "Briefsjabloon gewijzigd"
        ]
    );
}

async fn the_preview_shows_the_letter_without_saving(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let text = "Geachte leden van de raad,\n\nDit is een proefbrief <b>met</b> opmaaktekens.";
    let reply = app
        .post(
            "/beheer/briefsjabloon",
            &session,
            &[("versie", "0"), ("tekst", text), ("handeling", "voorbeeld")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(reply.body.contains("Voorbeeld (niet opgeslagen)"));
    assert!(
        reply
            .body
            .contains("Dit is een proefbrief &#60;b&#62;met&#60;/b&#62; opmaaktekens.")
    );
    assert!(!reply.body.contains("<b>met</b>"));
    assert_eq!(
        app.store().letter_template(app.org().await).await.unwrap(),
        None
    );
}

async fn organisations_cannot_see_or_change_each_others_house_style(app: TestApp) {
    let (other, session) = app
        .other_organisation("GM9999", "beheer@elders.nl", Rol::Beheerder)
        .await;
    let den_helder = app.store().house_style(app.org().await).await.unwrap();
    // The other organisation sees its own defaults, never Den Helder's.
    let page = app.get("/beheer/huisstijl", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("value=\"Team OOV\""));
    assert!(
        page.body
            .contains("value=\"burgemeester en wethouders van Elders\"")
    );
    assert_eq!(
        app.get("/beheer/huisstijl/logo", &session).await.status,
        StatusCode::NOT_FOUND
    );
    let saved = post_style(
        &app,
        &session,
        &[
            ("versie", "0"),
            ("team", "Team Elders"),
            ("colour", "#222222"),
            ("sender", "college van Elders"),
            ("addressee", "Aan de raad"),
        ],
        Some(("logo.svg", "image/svg+xml", SAFE_SVG.as_bytes())),
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        app.store().house_style(other).await.unwrap().team,
        "Team Elders"
    );
    assert_eq!(
        app.store().house_style(app.org().await).await.unwrap(),
        den_helder
    );
    // Through the API too: a key of the other organisation reads and writes only its own.
    let key = api_key(&app, &session).await;
    let read = call(&app, "GET", "/api/v1/huisstijl", Some(&key), &[], None).await;
    assert_eq!(read.json["team"], "Team Elders");
    let logo = call(
        &app,
        "DELETE",
        "/api/v1/huisstijl/logo",
        Some(&key),
        &[("if-match", "\"1\"")],
        None,
    )
    .await;
    assert_eq!(logo.status, StatusCode::NO_CONTENT);
    assert!(app.store().house_style(other).await.unwrap().logo.is_none());
    assert_eq!(
        app.store().house_style(app.org().await).await.unwrap(),
        den_helder
    );
    let den_helder_session = app.login("beheerder").await;
    let page = app.get("/beheer/huisstijl", &den_helder_session).await;
    assert!(!page.body.contains("value=\"Team Elders\""));
}

/// Sends a logo through the API: the file as base64 in JSON.
async fn put_logo(app: &TestApp, key: &str, bytes: &[u8], version: &str) -> crate::api::ApiReply {
    call(
        app,
        "PUT",
        "/api/v1/huisstijl/logo",
        Some(key),
        &[("if-match", version)],
        Some(json!({ "inhoud": BASE64.encode(bytes) })),
    )
    .await
}

async fn the_api_reads_and_changes_the_house_style_and_template(app: TestApp) {
    let session = app.login("beheerder").await;
    let key = api_key(&app, &session).await;
    let read = call(&app, "GET", "/api/v1/huisstijl", Some(&key), &[], None).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.headers[header::ETAG], "\"1\"");
    assert_eq!(read.json["ondertekenaars"][0]["functie"], "burgemeester");
    assert_eq!(read.json["logo"]["soort"], "svg");
    let body = json!({
        "team": "Team OOV",
        "kleur": "#fafafa",
        "afzender": "burgemeester en wethouders van Den Helder",
        "geadresseerde": "Aan de leden van de gemeenteraad",
        "ondertekenaars": [{ "naam": "J.A. (Jan) de Boer MSc.", "functie": "burgemeester" }]
    });
    let missing = call(
        &app,
        "PUT",
        "/api/v1/huisstijl",
        Some(&key),
        &[],
        Some(body.clone()),
    )
    .await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    let light = call(
        &app,
        "PUT",
        "/api/v1/huisstijl",
        Some(&key),
        &[("if-match", "\"1\"")],
        Some(body.clone()),
    )
    .await;
    assert_eq!(light.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        light.headers[header::CONTENT_TYPE],
        "application/problem+json"
    );
    assert_eq!(light.json["invalidParams"][0]["name"], "kleur");
    let mut good = body.clone();
    good["kleur"] = json!("#123456");
    let changed = call(
        &app,
        "PUT",
        "/api/v1/huisstijl",
        Some(&key),
        &[("if-match", "\"1\"")],
        Some(good.clone()),
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.json);
    assert_eq!(changed.json["kleur"], "#123456");
    assert_eq!(changed.headers[header::ETAG], "\"2\"");
    let stale = call(
        &app,
        "PUT",
        "/api/v1/huisstijl",
        Some(&key),
        &[("if-match", "\"1\"")],
        Some(good),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);

    // The logo is its own resource, the file as base64 in JSON.
    let too_large = put_logo(&app, &key, &png(1_468_006), "\"2\"").await;
    assert_eq!(too_large.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        too_large.json["invalidParams"][0]["reason"],
        "Het logo is 1,4 MB; het mag hoogstens 1 MB zijn."
    );
    let script = put_logo(
        &app,
        &key,
        br#"<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>"#,
        "\"2\"",
    )
    .await;
    assert_eq!(script.status, StatusCode::BAD_REQUEST);
    assert!(
        script.json["invalidParams"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("script")
    );
    let text = put_logo(&app, &key, b"gewoon tekst", "\"2\"").await;
    assert_eq!(
        text.json["invalidParams"][0]["reason"],
        "Het logo moet een PNG- of SVG-bestand zijn."
    );
    let picture = png(2048);
    let stored = put_logo(&app, &key, &picture, "\"2\"").await;
    assert_eq!(stored.status, StatusCode::OK, "{}", stored.json);
    assert_eq!(stored.headers[header::ETAG], "\"3\"");
    assert_eq!(stored.json["logo"]["soort"], "png");
    assert_eq!(stored.json["logo"]["grootte"], 2048);
    let logo = call(&app, "GET", "/api/v1/huisstijl/logo", Some(&key), &[], None).await;
    assert_eq!(logo.status, StatusCode::OK);
    assert_eq!(
        BASE64
            .decode(logo.json["inhoud"].as_str().unwrap())
            .unwrap(),
        picture
    );
    assert_eq!(logo.headers["api-version"], "1.0.0");

    // A teamlid may read the house style but not change it.
    let member = app.login("teamlid").await;
    let member_key = api_key(&app, &member).await;
    let member_read = call(
        &app,
        "GET",
        "/api/v1/huisstijl",
        Some(&member_key),
        &[],
        None,
    )
    .await;
    assert_eq!(member_read.status, StatusCode::OK);
    let member_write = call(
        &app,
        "DELETE",
        "/api/v1/huisstijl/logo",
        Some(&member_key),
        &[("if-match", "\"3\"")],
        None,
    )
    .await;
    assert_eq!(member_write.status, StatusCode::FORBIDDEN);
    let member_template = call(
        &app,
        "GET",
        "/api/v1/briefsjabloon",
        Some(&member_key),
        &[],
        None,
    )
    .await;
    assert_eq!(member_template.status, StatusCode::FORBIDDEN);

    let template = call(&app, "GET", "/api/v1/briefsjabloon", Some(&key), &[], None).await;
    assert_eq!(template.status, StatusCode::OK);
    assert_eq!(template.json["standaard"], true);
    assert_eq!(template.headers[header::ETAG], "\"0\"");
    let unknown = call(
        &app,
        "PUT",
        "/api/v1/briefsjabloon",
        Some(&key),
        &[("if-match", "\"0\"")],
        Some(json!({ "tekst": "{bestaat_niet}" })),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json["invalidParams"][0]["name"], "tekst");
    assert!(
        unknown.json["invalidParams"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("bestaat_niet")
    );
    let saved = call(
        &app,
        "PUT",
        "/api/v1/briefsjabloon",
        Some(&key),
        &[("if-match", "\"0\"")],
        Some(json!({ "tekst": "Geachte leden," })),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    assert_eq!(saved.json["standaard"], false);
    assert_eq!(saved.headers[header::ETAG], "\"1\"");
}

each_database!(
    only_beheerders_change_the_house_style,
    the_house_style_is_saved_shown_and_audited,
    bad_input_is_named_at_its_field_and_changes_nothing,
    a_stale_version_is_a_conflict_that_keeps_the_input,
    the_letter_template_is_checked_versioned_and_audited,
    the_preview_shows_the_letter_without_saving,
    organisations_cannot_see_or_change_each_others_house_style,
    the_api_reads_and_changes_the_house_style_and_template,
);
