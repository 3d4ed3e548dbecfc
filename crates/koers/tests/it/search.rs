//! Search across all years (`/zoeken`, `GET /api/v1/zoeken`): the database's full-text index,
//! scoped to the organisation, kept in step with edits and progress, and safe for any input.

use crate::api::{api_key, call};
use crate::helpers::{TestApp, action_form, each_database, pairs, set};
use axum::http::StatusCode;
use koers_domain::Rol;
use koers_store::actions::ActionFilter;

fn search_path(words: &str) -> String {
    format!(
        "/zoeken?{}",
        serde_urlencoded::to_string([("zoek", words)]).unwrap()
    )
}

/// Whether a word of `text` starts with `prefix` (what the search promises).
fn has_word_starting(text: &str, prefix: &str) -> bool {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.starts_with(prefix))
}

/// The actions of every year whose code, title, description, intended result or progress has
/// a word that starts with `prefix`, as (year, code), counted without the index.
async fn expected(app: &TestApp, org: i64, prefix: &str) -> Vec<(i64, String)> {
    let store = app.store();
    let mut found = Vec::new();
    for programme in store.programmes(org).await.unwrap() {
        for a in store
            .actions(org, programme.id, &ActionFilter::default())
            .await
            .unwrap()
        {
            let notes: Vec<String> = store
                .progress(org, a.id)
                .await
                .unwrap()
                .into_iter()
                .map(|p| p.note)
                .collect();
            let text = format!(
                "{} {} {} {} {}",
                a.code,
                a.title,
                a.description,
                a.intended_result,
                notes.join(" ")
            );
            if has_word_starting(&text, prefix) {
                found.push((programme.year, a.code.clone()));
            }
        }
    }
    found.sort();
    found
}

async fn a_search_finds_actions_of_every_year(app: TestApp) {
    let org = app.org().await;
    let reader = app.login("lezer").await;
    let want = expected(&app, org, "brandveilig").await;
    let years: std::collections::BTreeSet<i64> = want.iter().map(|(y, _)| *y).collect();
    assert!(
        years.len() >= 2,
        "the demo has fire safety in several years: {want:?}"
    );
    let reply = app.get(&search_path("Brandveilig"), &reader).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert!(
        reply
            .body
            .contains(&format!("{} acties gevonden", want.len())),
        "{want:?}\n{}",
        reply.body
    );
    for (year, code) in &want {
        assert!(
            reply
                .body
                .contains(&format!("href=\"/programma/{year}/acties/{code}\"")),
            "{year} {code} missing"
        );
    }
    assert!(reply.body.contains("koers-status--"), "the status is shown");
    assert!(reply.body.contains(r#"aria-current="page">Zoeken"#));

    // The API gives the same, with year, status and lead subteam.
    let key = api_key(&app, &reader).await;
    let api = call(
        &app,
        "GET",
        "/api/v1/zoeken?zoek=brandveilig",
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.json);
    assert_eq!(api.json["totaal"], want.len() as i64);
    let mut got: Vec<(i64, String)> = api.json["resultaten"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            assert!(h["status"].is_string() && !h["trekker"].as_str().unwrap().is_empty());
            (
                h["jaar"].as_i64().unwrap(),
                h["code"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    got.sort();
    assert_eq!(got, want);

    // Every word must occur: a second word narrows the search.
    let both = expected(&app, org, "brandveilig")
        .await
        .into_iter()
        .filter(|hit| want.contains(hit))
        .count();
    let narrowed = app
        .get(&search_path("brandveilig zzzgeenwoord"), &reader)
        .await;
    assert!(narrowed.body.contains("Geen acties gevonden"), "{both}");
}

async fn results_are_only_of_the_own_organisation(app: TestApp) {
    let (_, other) = app
        .other_organisation("GM9999", "lezer@elders.example", Rol::Lezer)
        .await;
    let reply = app.get(&search_path("brandveilig"), &other).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert!(
        reply.body.contains("Geen acties gevonden"),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("/acties/"));
    let key = api_key(&app, &other).await;
    let api = call(
        &app,
        "GET",
        "/api/v1/zoeken?zoek=brandveilig",
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(api.json["totaal"], 0);
    // And the demo organisation does find them.
    let reader = app.login("lezer").await;
    let own = app.get(&search_path("brandveilig"), &reader).await;
    assert!(own.body.contains("acties gevonden"));
}

async fn the_index_follows_edits_and_progress(app: TestApp) {
    let adviser = app.login("beleidsadviseur").await;
    let code = "IV1-03";
    assert!(
        app.get(&search_path("Kwartiermaker"), &adviser)
            .await
            .body
            .contains("Geen acties gevonden")
    );
    let mut form = action_form(&app, 2024, code).await;
    set(&mut form, "title", "Kwartiermaker wijkaanpak");
    let saved = app
        .post(
            &format!("/programma/2024/acties/{code}/bewerken"),
            &adviser,
            &pairs(&form),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let found = app.get(&search_path("kwartiermaker"), &adviser).await;
    assert!(found.body.contains("1 actie gevonden"), "{}", found.body);
    assert!(
        found
            .body
            .contains(&format!("/programma/2024/acties/{code}"))
    );
    // The old title is no longer found by a word only it had.
    let report = app
        .post(
            &format!("/programma/2024/acties/{code}/voortgang"),
            &adviser,
            &[
                ("status", "op_schema"),
                (
                    "note",
                    "Gesprek met de woningcorporatie Zeeuwenhof gevoerd.",
                ),
                ("hours_spent", "2"),
                ("entry_date", "2024-06-01"),
            ],
        )
        .await;
    assert_eq!(report.status, StatusCode::SEE_OTHER, "{}", report.body);
    let by_progress = app.get(&search_path("zeeuwenhof"), &adviser).await;
    assert!(
        by_progress.body.contains("1 actie gevonden"),
        "{}",
        by_progress.body
    );
    // Both words, from the title and from the progress, together.
    let both = app
        .get(&search_path("kwartiermaker zeeuwenhof"), &adviser)
        .await;
    assert!(both.body.contains("1 actie gevonden"));
}

async fn search_input_never_breaks_the_query(app: TestApp) {
    let reader = app.login("lezer").await;
    let key = api_key(&app, &reader).await;
    for nasty in [
        "\"",
        "\"brand",
        "brand*",
        "*",
        "-brand",
        "brand -veilig",
        "code:VTH1-03",
        "NEAR(brand veilig)",
        "brand OR veilig AND NOT x",
        ")(",
        "{code}: x",
        "'; DROP TABLE actions; --",
        "brand:* & !veilig | <->",
        "^x",
        "\\",
        "ëüé 東京",
        "de het een",
        "ß",
    ] {
        let reply = app.get(&search_path(nasty), &reader).await;
        assert_eq!(reply.status, StatusCode::OK, "{nasty}: {}", reply.body);
        let path = format!(
            "/api/v1/zoeken?{}",
            serde_urlencoded::to_string([("zoek", nasty)]).unwrap()
        );
        let api = call(&app, "GET", &path, Some(&key), &[], None).await;
        assert!(
            api.status == StatusCode::OK || api.status == StatusCode::BAD_REQUEST,
            "{nasty}: {} {}",
            api.status,
            api.json
        );
    }
    // A code is found by its parts.
    let by_code = app.get(&search_path("VTH1-03"), &reader).await;
    assert!(
        by_code.body.contains("/acties/VTH1-03\""),
        "{}",
        by_code.body
    );
    // Control characters and an overlong text: 422 with the message at the field, input kept.
    for bad in ["brand\0veilig", "brand\tveilig", &"a".repeat(201)] {
        let reply = app.get(&search_path(bad), &reader).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert!(reply.body.contains("id=\"zoek-error\""), "{}", reply.body);
        assert!(reply.body.contains("aria-invalid=\"true\""));
        let path = format!(
            "/api/v1/zoeken?{}",
            serde_urlencoded::to_string([("zoek", bad)]).unwrap()
        );
        let api = call(&app, "GET", &path, Some(&key), &[], None).await;
        assert_eq!(api.status, StatusCode::BAD_REQUEST);
        assert_eq!(api.json["invalidParams"][0]["name"], "zoek");
    }
    for page in ["0", "-1", "abc", "1001", "1.5", "99999999999999999999"] {
        let reply = app
            .get(&format!("/zoeken?zoek=brand&pagina={page}"), &reader)
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{page}");
        let api = call(
            &app,
            "GET",
            &format!("/api/v1/zoeken?zoek=brand&pagina={page}"),
            Some(&key),
            &[],
            None,
        )
        .await;
        assert_eq!(api.status, StatusCode::BAD_REQUEST, "{page}");
    }
    // A search without a word shows the form only, and finds nothing in the API.
    let empty = app.get("/zoeken", &reader).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(!empty.body.contains("gevonden"));
    for path in ["/api/v1/zoeken", "/api/v1/zoeken?zoek=%22%22"] {
        let api = call(&app, "GET", path, Some(&key), &[], None).await;
        assert_eq!(api.status, StatusCode::OK);
        assert_eq!(api.json["totaal"], 0);
    }
}

async fn many_results_are_paged(app: TestApp) {
    let reader = app.login("lezer").await;
    // Words that nearly every action has somewhere.
    let first = app.get(&search_path("we"), &reader).await;
    assert_eq!(first.status, StatusCode::OK);
    let key = api_key(&app, &reader).await;
    let api = call(&app, "GET", "/api/v1/zoeken?zoek=we", Some(&key), &[], None).await;
    let total = api.json["totaal"].as_i64().unwrap();
    assert!(total > 25, "{total}");
    assert_eq!(api.json["resultaten"].as_array().unwrap().len(), 25);
    assert!(first.body.contains("Volgende resultaten"));
    let last_page = (total + 24) / 25;
    let last = call(
        &app,
        "GET",
        &format!("/api/v1/zoeken?zoek=we&pagina={last_page}"),
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(
        last.json["resultaten"].as_array().unwrap().len() as i64,
        total - (last_page - 1) * 25
    );
}

each_database!(
    a_search_finds_actions_of_every_year,
    results_are_only_of_the_own_organisation,
    the_index_follows_edits_and_progress,
    search_input_never_breaks_the_query,
    many_results_are_paged,
);
