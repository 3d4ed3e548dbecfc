//! Adoption: the road to the college and the council, frozen versions that nobody can change,
//! the comparison with the adopted version, `koers verify` and the versions API.

use crate::helpers::{TestApp, action_form, each_database, now, pairs, set};
use axum::http::StatusCode;
use koers::ops::adoption::{StapInvoer, canonical_json, take_step_in};
use koers_domain::{BesluitInvoer, Jaar, Stap};
use koers_store::adoption::{AdoptionState, Document, FrozenVersion, sha256_hex};
use koers_store::{Actor, Store};
use serde_json::Value;

const PAGE: &str = "/programma/2025/vaststelling";

/// A programme 2025 with one action, T-01, made through the pages.
async fn programme_2025(app: &TestApp, session: &str) {
    let reply = app.post("/programma", session, &[("jaar", "2025")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    add_action(app, session, "T-01", "Toezicht op kamerverhuur").await;
}

async fn add_action(app: &TestApp, session: &str, code: &str, title: &str) {
    let mut form = action_form(app, 2024, "IV1-03").await;
    set(&mut form, "code", code);
    set(&mut form, "title", title);
    set(&mut form, "predecessor_id", "");
    set(&mut form, "origin", "nieuw_evaluatie");
    let reply = app
        .post("/programma/2025/acties", session, &pairs(&form))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
}

async fn programme_id(app: &TestApp, year: i64) -> i64 {
    app.store()
        .programme(app.org().await, Jaar::new(year).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn state(app: &TestApp, document: Document) -> AdoptionState {
    let id = programme_id(app, 2025).await;
    app.store()
        .adoption_state(app.org().await, id, document)
        .await
        .unwrap()
}

async fn versions(app: &TestApp) -> Vec<FrozenVersion> {
    let id = programme_id(app, 2025).await;
    app.store()
        .frozen_versions(app.org().await, id)
        .await
        .unwrap()
}

/// Posts a step with the version now stored.
async fn step(
    app: &TestApp,
    session: &str,
    document: Document,
    stap: &str,
    fields: &[(&str, &str)],
) -> crate::helpers::Reply {
    let version = state(app, document).await.version.to_string();
    let mut form = vec![("versie", version.as_str()), ("stap", stap)];
    form.extend_from_slice(fields);
    app.post(&format!("{PAGE}/{}", document.code()), session, &form)
        .await
}

const DECISION: [(&str, &str); 2] = [
    ("decided_on", "2024-05-20"),
    ("decision_reference", "B&W 2024/0520"),
];

async fn the_road_to_the_council(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    programme_2025(&app, &session).await;
    let page = app.get(PAGE, &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Aanbieden ter vaststelling"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Er is nog niets vastgesteld voor 2025"));

    let p = Document::Programma;
    let reply = step(&app, &session, p, "aanbieden", &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(state(&app, p).await.status.code(), "ter_vaststelling");
    let reply = step(&app, &session, p, "terug_naar_concept", &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(state(&app, p).await.status.code(), "concept");
    step(&app, &session, p, "aanbieden", &[]).await;

    // A step that does not follow from the status is refused next to the form.
    let before = state(&app, p).await;
    let reply = step(
        &app,
        &session,
        p,
        "aan_de_raad",
        &[("letter_number", "2024-1"), ("letter_date", "2024-05-01")],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("Deze stap kan nu niet"),
        "{}",
        reply.body
    );
    assert_eq!(state(&app, p).await, before);

    // A decision in the future: a message next to the date, the input kept, nothing changed.
    let reply = step(
        &app,
        &session,
        p,
        "vaststellen",
        &[
            ("decided_on", "2024-07-01"),
            ("decision_reference", "B&W 2024/0701"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("kan niet in de toekomst liggen"));
    assert!(reply.body.contains("id=\"programma-decided_on-error\""));
    assert!(
        reply.body.contains("value=\"B&#38;W 2024/0701\""),
        "{}",
        reply.body
    );
    assert_eq!(state(&app, p).await, before);
    assert!(versions(&app).await.is_empty());

    // A stale version is a conflict, not a silent step.
    let stale = app
        .post(
            &format!("{PAGE}/programma"),
            &session,
            &[
                ("versie", "1"),
                ("stap", "vaststellen"),
                DECISION[0],
                DECISION[1],
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert!(stale.body.contains("Iemand anders"));

    let reply = step(&app, &session, p, "vaststellen", &DECISION).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let adopted = state(&app, p).await;
    assert_eq!(adopted.status.code(), "vastgesteld");
    assert_eq!(adopted.decision_reference, "B&W 2024/0520");
    let frozen = versions(&app).await;
    assert_eq!(frozen.len(), 1);
    let v1 = &frozen[0];
    assert_eq!((v1.kind, v1.number), (Document::Programma, 1));
    assert_eq!(v1.sha256, sha256_hex(&v1.content));
    let content: Value = serde_json::from_str(&v1.content).unwrap();
    assert_eq!(canonical_json(&content), v1.content, "stored canonically");
    assert_eq!(content["jaar"], 2025);
    assert_eq!(content["acties"][0]["code"], "T-01");
    assert!(
        content["acties"][0]["trekker"]["naam"]
            .as_str()
            .unwrap()
            .len()
            > 1
    );
    assert_eq!(content["kengetallen"]["acties"], 1);

    // The letter cannot predate the decision.
    let reply = step(
        &app,
        &session,
        p,
        "aan_de_raad",
        &[
            ("letter_number", "2024-009999"),
            ("letter_date", "2024-05-19"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("collegebesluit"));
    assert_eq!(state(&app, p).await, adopted);
    let reply = step(
        &app,
        &session,
        p,
        "aan_de_raad",
        &[
            ("letter_number", "2024-009999"),
            ("letter_date", "2024-05-27"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let sent = state(&app, p).await;
    assert_eq!(sent.status.code(), "ter_kennisname");
    assert_eq!(sent.council_letter_number, "2024-009999");

    let page = app.get(PAGE, &session).await;
    assert!(
        page.body
            .contains("Besluit van 20 mei 2024 (B&#38;W 2024/0520)")
    );
    assert!(
        page.body
            .contains("Raadsinformatiebrief 2024-009999 van 27 mei 2024")
    );
    assert!(page.body.contains(&v1.sha256));
    let log = app
        .store()
        .audit_entries(app.org().await, &Default::default())
        .await
        .unwrap();
    let summaries: Vec<&str> = log.iter().map(|e| e.summary.as_str()).collect();
    for expected in [
        "Programma 2025 aangeboden ter vaststelling",
        "Programma 2025 teruggezet naar concept",
        "Programma 2025 vastgesteld door het college (B&W 2024/0520, 20-05-2024); vastgelegd als versie 1",
        "Programma 2025 ter kennisname aan de raad gestuurd (raadsinformatiebrief 2024-009999, 27-05-2024)",
    ] {
        assert!(summaries.contains(&expected), "{expected}: {summaries:?}");
    }

    // The download is the stored bytes, as an attachment with a safe name.
    let file = app.get(&format!("{PAGE}/programma/1.json"), &session).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.headers["content-disposition"],
        "attachment; filename=\"programma-2025-versie-1.json\""
    );
    assert_eq!(sha256_hex(&file.body), v1.sha256);
    for missing in [
        "programma/2.json",
        "programma/1",
        "raad/1.json",
        "programma/0.json",
    ] {
        let reply = app.get(&format!("{PAGE}/{missing}"), &session).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

async fn only_advisers_and_administrators_take_steps(app: TestApp) {
    let adviser = app.login("beleidsadviseur").await;
    programme_2025(&app, &adviser).await;
    for role in ["teamlid", "lezer"] {
        let session = app.login(role).await;
        let page = app.get(PAGE, &session).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(!page.body.contains("name=\"stap\""), "{role} sees no forms");
        let reply = step(&app, &session, Document::Programma, "aanbieden", &[]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{role}");
    }
    assert_eq!(
        state(&app, Document::Programma).await.status.code(),
        "concept"
    );
    let admin = app.login("beheerder").await;
    let reply = step(&app, &admin, Document::Programma, "aanbieden", &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
}

async fn an_evaluation_is_adopted_only_when_every_action_has_an_outcome(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    programme_2025(&app, &session).await;
    add_action(&app, &session, "T-02", "Tweede actie").await;
    let e = Document::Evaluatie;
    assert_eq!(state(&app, e).await.version, 0, "no row yet: a concept");
    let page = app.get(PAGE, &session).await;
    assert!(page.body.contains("Nog niet geëvalueerd: T-01, T-02"));
    let reply = step(&app, &session, e, "aanbieden", &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("Nog niet geëvalueerd: T-01, T-02"),
        "{}",
        reply.body
    );
    assert_eq!(state(&app, e).await.version, 0);

    // The evaluation pages are another helper's; the outcomes are written directly here.
    let org = app.org().await;
    let programme = programme_id(&app, 2025).await;
    app.store()
        .execute_raw(&format!(
            "INSERT INTO action_evaluations (organisation_id, action_id, outcome, reason, achieved, \
             lesson, evaluated_by, evaluated_at) SELECT organisation_id, id, 'gerealiseerd', '', \
             'Alles gedaan', 'Vroeg beginnen', 'Test', '2024-06-01 10:00:00' FROM actions \
             WHERE organisation_id = {org} AND programme_id = {programme} AND code = 'T-01'"
        ))
        .await
        .unwrap();
    let reply = step(&app, &session, e, "aanbieden", &[]).await;
    assert!(
        reply.body.contains("Nog niet geëvalueerd: T-02"),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("T-01, T-02"));
    app.store()
        .execute_raw(&format!(
            "INSERT INTO action_evaluations (organisation_id, action_id, outcome, reason, achieved, \
             lesson, evaluated_by, evaluated_at) SELECT organisation_id, id, 'doorgeschoven', \
             'Geen capaciteit', '', '', 'Test', '2024-06-01 10:00:00' FROM actions \
             WHERE organisation_id = {org} AND programme_id = {programme} AND code = 'T-02'"
        ))
        .await
        .unwrap();
    let reply = step(&app, &session, e, "aanbieden", &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    assert_eq!(state(&app, e).await.status.code(), "ter_vaststelling");
    let reply = step(&app, &session, e, "vaststellen", &DECISION).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let frozen = versions(&app).await;
    assert_eq!(frozen.len(), 1);
    assert_eq!((frozen[0].kind, frozen[0].number), (Document::Evaluatie, 1));
    assert_eq!(frozen[0].sha256, sha256_hex(&frozen[0].content));
    let content: Value = serde_json::from_str(&frozen[0].content).unwrap();
    assert_eq!(content["soort"], "evaluatie");
    assert_eq!(content["acties"][0]["uitkomst"], "gerealiseerd");
    assert_eq!(content["acties"][0]["bereikt"], "Alles gedaan");
    assert_eq!(content["acties"][1]["reden"], "Geen capaciteit");
    let total = &content["kengetallen"]["totaal"];
    assert_eq!(total["acties"], 2);
    assert_eq!(total["perUitkomst"]["gerealiseerd"], 1);
    assert_eq!(total["procentGerealiseerd"], 50);
    assert_eq!(total["nietGeevalueerd"], 0);
    // The programme itself was not touched.
    assert_eq!(
        state(&app, Document::Programma).await.status.code(),
        "concept"
    );
}

async fn changes_since_adoption_and_a_second_version(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    programme_2025(&app, &session).await;
    let p = Document::Programma;
    step(&app, &session, p, "aanbieden", &[]).await;
    step(&app, &session, p, "vaststellen", &DECISION).await;
    let v1 = versions(&app).await.remove(0);
    let programme = app.get("/programma/2025", &session).await;
    assert!(
        programme
            .body
            .contains("Ongewijzigd sinds de vaststelling op 20 mei 2024."),
        "{}",
        programme.body
    );

    // The programme stays editable: one action added, one field changed.
    add_action(&app, &session, "T-02", "Nieuw na de vaststelling").await;
    let mut form = action_form(&app, 2025, "T-01").await;
    set(&mut form, "planned_hours", "321");
    let reply = app
        .post(
            "/programma/2025/acties/T-01/bewerken",
            &session,
            &pairs(&form),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let programme = app.get("/programma/2025", &session).await;
    assert!(
        programme.body.contains(
            "Gewijzigd sinds de vaststelling op 20 mei 2024: 1 actie toegevoegd, 1 gewijzigd."
        ),
        "{}",
        programme.body
    );
    assert!(
        programme
            .body
            .contains("href=\"/programma/2025/vaststelling#wijzigingen\"")
    );
    let page = app.get(PAGE, &session).await;
    let added = page
        .body
        .split("<h4 class=\"utrecht-heading-4\">Toegevoegd</h4>")
        .nth(1)
        .unwrap();
    assert!(added.contains("T-02"));
    assert!(
        page.body
            .contains("<th class=\"utrecht-table__cell\" scope=\"row\">Geplande uren</th>")
    );
    assert!(
        page.body
            .contains("<td class=\"utrecht-table__cell\">321</td>")
    );

    // Offered again and adopted: version 2 with its own hash; version 1 is as it was.
    let reply = step(&app, &session, p, "aanbieden", &[]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let reply = step(
        &app,
        &session,
        p,
        "vaststellen",
        &[
            ("decided_on", "2024-06-01"),
            ("decision_reference", "B&W 2024/0601"),
        ],
    )
    .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let all = versions(&app).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].content, v1.content);
    assert_eq!(all[0].sha256, v1.sha256);
    assert_eq!(all[1].number, 2);
    assert_ne!(all[1].sha256, v1.sha256);
    assert_eq!(all[1].sha256, sha256_hex(&all[1].content));
    let content: Value = serde_json::from_str(&all[1].content).unwrap();
    assert_eq!(content["acties"].as_array().unwrap().len(), 2);
    let programme = app.get("/programma/2025", &session).await;
    assert!(
        programme
            .body
            .contains("Ongewijzigd sinds de vaststelling op 1 juni 2024.")
    );
}

async fn the_database_refuses_to_change_a_frozen_version(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    programme_2025(&app, &session).await;
    step(&app, &session, Document::Programma, "aanbieden", &[]).await;
    step(
        &app,
        &session,
        Document::Programma,
        "vaststellen",
        &DECISION,
    )
    .await;
    let before = versions(&app).await;
    let id = before[0].id;
    for sql in [
        format!("UPDATE frozen_versions SET content = '{{}}' WHERE id = {id}"),
        format!("UPDATE frozen_versions SET sha256 = 'x' WHERE id = {id}"),
        format!("DELETE FROM frozen_versions WHERE id = {id}"),
    ] {
        let result = app.store().execute_raw(&sql).await;
        assert!(result.is_err(), "{sql} must be refused");
    }
    assert_eq!(versions(&app).await[0].content, before[0].content);
}

async fn the_api_serves_versions_read_only(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    programme_2025(&app, &session).await;
    step(&app, &session, Document::Programma, "aanbieden", &[]).await;
    step(
        &app,
        &session,
        Document::Programma,
        "vaststellen",
        &DECISION,
    )
    .await;
    let reply = app
        .post("/account/api-sleutels", &session, &[("name", "versies")])
        .await;
    let start = reply.body.find("koers_").unwrap();
    let key: String = reply.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let get = |path: String| {
        let key = key.clone();
        let app = &app;
        async move {
            let request = axum::http::Request::get(path)
                .header("authorization", format!("Bearer {key}"))
                .body(axum::body::Body::empty())
                .unwrap();
            app.request(request).await
        }
    };
    let list = get("/api/v1/programmas/2025/versies".into()).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let list: Value = serde_json::from_str(&list.body).unwrap();
    assert_eq!(list[0]["soort"], "programma");
    assert_eq!(list[0]["nummer"], 1);
    assert_eq!(list[0]["besluitdatum"], "2024-05-20");
    assert_eq!(list[0]["besluitkenmerk"], "B&W 2024/0520");
    assert!(list[0].get("inhoud").is_none());
    let one = get("/api/v1/programmas/2025/versies/programma/1".into()).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.headers["api-version"], "1.0.0");
    let one: Value = serde_json::from_str(&one.body).unwrap();
    assert_eq!(one["sha256"], list[0]["sha256"]);
    assert_eq!(
        sha256_hex(canonical_json(&one["inhoud"])),
        one["sha256"].as_str().unwrap(),
        "the hash is the hash of the content"
    );
    for missing in [
        "/api/v1/programmas/2025/versies/programma/2",
        "/api/v1/programmas/2025/versies/raad/1",
        "/api/v1/programmas/2025/versies/programma/-1",
        "/api/v1/programmas/2025/versies/programma/a%00b",
        "/api/v1/programmas/2031/versies",
    ] {
        assert_eq!(
            get(missing.into()).await.status,
            StatusCode::NOT_FOUND,
            "{missing}"
        );
    }
    let write = axum::http::Request::post("/api/v1/programmas/2025/versies")
        .header("authorization", format!("Bearer {key}"))
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{}"))
        .unwrap();
    assert_eq!(
        app.request(write).await.status,
        StatusCode::METHOD_NOT_ALLOWED
    );
}

/// Hostile values in every field and path segment of the adoption routes: never a 5xx, and a
/// message next to the field for the form.
async fn hostile_input_gets_a_clear_answer(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    programme_2025(&app, &session).await;
    step(&app, &session, Document::Programma, "aanbieden", &[]).await;
    let long = "x".repeat(10_000);
    let values = [
        "a\0b",
        "\u{1}\u{1b}[0m",
        "-4800-01-01",
        "275760-01-01",
        "99999999999999999999999",
        long.as_str(),
    ];
    for value in values {
        for field in ["decided_on", "decision_reference", "versie", "stap"] {
            let plain_text = !value.chars().any(char::is_control) && value.len() <= 50;
            if field == "decision_reference" && plain_text {
                // A valid reference; the step would simply be taken.
                continue;
            }
            let mut form = [
                ("versie", "2".to_string()),
                ("stap", "vaststellen".to_string()),
                ("decided_on", "2024-05-20".to_string()),
                ("decision_reference", "B&W 1".to_string()),
            ];
            if let Some(entry) = form.iter_mut().find(|(k, _)| *k == field) {
                entry.1 = value.to_string();
            }
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let reply = app
                .post(&format!("{PAGE}/programma"), &session, &form)
                .await;
            assert!(
                !reply.status.is_server_error() && reply.status != StatusCode::SEE_OTHER,
                "{field}={:?}: {}",
                value.chars().take(20).collect::<String>(),
                reply.status
            );
        }
        let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
        for path in [
            format!("/programma/{encoded}/vaststelling"),
            format!("/programma/2025/vaststelling/{encoded}/1.json"),
            format!("/programma/2025/vaststelling/programma/{encoded}"),
            format!("/programma/2025/vaststelling/programma/{encoded}.json"),
        ] {
            let reply = app.get(&path, &session).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        }
        let reply = app
            .post(
                &format!("/programma/2025/vaststelling/{encoded}"),
                &session,
                &[("stap", "aanbieden")],
            )
            .await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND);
    }
    let reply = app
        .post(
            &format!("{PAGE}/programma"),
            &session,
            &[
                ("versie", "2"),
                ("stap", "vaststellen"),
                ("decided_on", "-4800-01-01"),
                ("decision_reference", "a\0b"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"programma-decided_on-error\""));
    assert!(
        reply
            .body
            .contains("id=\"programma-decision_reference-error\"")
    );
    assert_eq!(
        state(&app, Document::Programma).await.status.code(),
        "ter_vaststelling"
    );
}

each_database!(
    the_road_to_the_council,
    only_advisers_and_administrators_take_steps,
    an_evaluation_is_adopted_only_when_every_action_has_an_outcome,
    changes_since_adoption_and_a_second_version,
    the_database_refuses_to_change_a_frozen_version,
    the_api_serves_versions_read_only,
    hostile_input_gets_a_clear_answer,
);

/// Adopts the programme of `year` if it has no frozen version yet, so that tests of paths under
/// `/versies` have one to show whatever the demo holds.
pub async fn ensure_adopted(store: &Store, year: i64) {
    let org = store
        .organisation_by_code("GM0400")
        .await
        .unwrap()
        .unwrap()
        .id;
    let programme = store
        .programme(org, Jaar::new(year).unwrap())
        .await
        .unwrap()
        .unwrap();
    if !store
        .frozen_versions(org, programme.id)
        .await
        .unwrap()
        .is_empty()
    {
        return;
    }
    let actor = Actor {
        organisation_id: org,
        user_id: None,
        user_name: "Test".into(),
        now: now(),
    };
    let today = now().date_naive();
    let input = StapInvoer {
        besluit: BesluitInvoer {
            decided_on: format!("{year}-02-13").min(today.to_string()),
            decision_reference: "B&W test".into(),
        },
        ..Default::default()
    };
    let mut tx = store.begin().await.unwrap();
    for step in [Stap::AanbiedenTerVaststelling, Stap::Vaststellen] {
        let status = tx
            .adoption_state(org, programme.id, Document::Programma)
            .await
            .unwrap()
            .status;
        if status.after(step).is_some() {
            take_step_in(
                &mut tx,
                &actor,
                today,
                Jaar::new(year).unwrap(),
                Document::Programma,
                None,
                step,
                &input,
            )
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

fn koers(args: &[&str]) -> (bool, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(args)
        .env_remove("KOERS_DATABASE_URL")
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

/// `koers verify` on a database with the demo and an adopted 2024 programme: all is well, then
/// someone changes the frozen content behind Koers' back (after removing the guard), and verify
/// names the version and fails.
async fn verify_catches_tampering(url: &str, disarm: &str) {
    let store = Store::connect(url).await.unwrap();
    store.migrate().await.unwrap();
    koers::demo::load(&store, now()).await.unwrap();
    ensure_adopted(&store, 2024).await;
    let (ok, out, err) = koers(&["verify", "--database-url", url]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("versie klopt") || out.contains("versies kloppen"),
        "{out}"
    );

    store.execute_raw(disarm).await.unwrap();
    store
        .execute_raw(
            "UPDATE frozen_versions SET content = REPLACE(content, '\"jaar\":2024', '\"jaar\":2042') \
             WHERE kind = 'programma' AND number = 1",
        )
        .await
        .unwrap();
    store.close().await;
    let (ok, out, err) = koers(&["verify", "--database-url", url]);
    assert!(!ok, "tampering must fail verify: {out}");
    assert!(
        out.contains("KLOPT NIET: GM0400 2024 programma versie 1"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|l| l.starts_with("KLOPT NIET")).count(),
        1
    );
    assert!(
        err.contains("1 van de") && err.contains("klopt niet"),
        "{err}"
    );
}

mod verify_catches_tampering {
    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("koers.db").display());
        super::verify_catches_tampering(&url, "DROP TRIGGER frozen_versions_no_update").await;
    }

    #[tokio::test]
    async fn postgres() {
        if let Some(url) = crate::helpers::postgres_schema_url("verify").await {
            super::verify_catches_tampering(
                &url,
                "ALTER TABLE frozen_versions DISABLE TRIGGER frozen_versions_append_only",
            )
            .await;
        }
    }
}
