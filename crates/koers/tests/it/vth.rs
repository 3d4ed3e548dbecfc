//! VTH task fields, their figures per year and the capacity per subteam, through the router on
//! both databases: the catalogue with optimistic locking and retiring, the figures with their
//! bounds and role rules, the capacity warning as actions are added, and the API.

use crate::api::{api_key, call};
use crate::helpers::{TestApp, action_form, each_database, pairs, reply_cookie, set};
use axum::http::StatusCode;
use koers_store::audit::AuditFilter;
use koers_store::catalog::Kind;
use serde_json::json;

async fn subteam(app: &TestApp, code: &str) -> i64 {
    let org = app.org().await;
    app.store()
        .items(org, Kind::Subteam)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.code == code)
        .unwrap()
        .id
}

async fn audit_count(app: &TestApp) -> usize {
    let org = app.org().await;
    app.store()
        .audit_entries(org, &AuditFilter::default())
        .await
        .unwrap()
        .len()
}

fn field_form<'a>(code: &'a str, lead: &'a str, norm: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("versie", "0"),
        ("code", code),
        ("name", "Toezicht op kamerverhuur"),
        ("discipline", "T"),
        ("lead_subteam_id", lead),
        ("unit", "controle"),
        ("norm", norm),
        ("decision_term_weeks", ""),
        ("description", ""),
    ]
}

/// The scenario: a beleidsadviseur plans next year's volumes and sees a subteam's
/// capacity balance turn into a warning as actions are added beyond its capacity.
async fn planning_next_year_turns_a_subteam_short_as_actions_are_added(app: TestApp) {
    let org = app.org().await;
    let th = subteam(&app, "TH").await;
    let th_text = th.to_string();
    // The beheerder sets the capacity: 1,300 productive hours per FTE, no overhead.
    let beheerder = app.login("beheerder").await;
    let version = app.store().capacity_settings(org).await.unwrap().version;
    let reply = app
        .post(
            "/beheer/capaciteit",
            &beheerder,
            &[
                ("versie", &version.to_string()),
                ("productive_hours_per_fte", "1300"),
                ("overhead_percent", "0"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);

    let session = app.login("beleidsadviseur").await;
    // Next year: a programme and one FTE for Toezicht & Handhaving (1,300 hours).
    let reply = app.post("/programma", &session, &[("jaar", "2025")]).await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let reply = app
        .post(
            "/beheer/formatie",
            &session,
            &[(&format!("fte_{th}_2025"), "1")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    // A task field of 2 hours per unit, planned at 600 units: 1,200 hours.
    let reply = app
        .post(
            "/taakvelden",
            &session,
            &field_form("T-KAMER", &th_text, "2"),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let field = app
        .store()
        .task_fields(org)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.code == "T-KAMER")
        .unwrap();
    let reply = app
        .post(
            &format!("/programma/2025/taakvelden/{}", field.id),
            &session,
            &[("versie", "0"), ("planned_volume", "600")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let page = app.get("/programma/2025/taakvelden", &session).await;
    assert!(page.body.contains("Toezicht op kamerverhuur"));
    assert!(page.body.contains("1.200"), "planned hours = 600 × 2");
    let capacity = app.get("/programma/2025/capaciteit", &session).await;
    assert_eq!(capacity.status, StatusCode::OK);
    assert!(capacity.body.contains("Toezicht &#38; Handhaving"));
    assert!(!capacity.body.contains("Te weinig capaciteit"));

    // An action of 60 hours still fits; one of 100 more does not.
    let mut action = action_form(&app, 2024, "IV1-03").await;
    set(&mut action, "code", "VTH9-01");
    set(&mut action, "versie", "0");
    set(&mut action, "lead_subteam_id", &th_text);
    set(&mut action, "predecessor_id", "");
    set(&mut action, "origin", "nieuw_trends");
    set(&mut action, "planned_hours", "60");
    action.retain(|(k, _)| k != "contributing_subteam_ids");
    let reply = app
        .post("/programma/2025/acties", &session, &pairs(&action))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let next = app
        .get(&reply.location, &reply_cookie(&session, &reply))
        .await;
    assert!(!next.body.contains("tekort"), "60 hours fit");
    let programme = app.get("/programma/2025", &session).await;
    assert!(!programme.body.contains("Te weinig capaciteit"));

    set(&mut action, "code", "VTH9-02");
    set(&mut action, "planned_hours", "100");
    let reply = app
        .post("/programma/2025/acties", &session, &pairs(&action))
        .await;
    // Saved all the same: a warning, not a refusal.
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let next = app
        .get(&reply.location, &reply_cookie(&session, &reply))
        .await;
    // The confirmation and the warning each in their own box: green for the save, the warning
    // in a warning box.
    let ok_box = alert_box(&next.body, "utrecht-alert--ok");
    let warning_box = alert_box(&next.body, "utrecht-alert--warning");
    assert!(
        ok_box.contains("Actie VTH9-02 is toegevoegd."),
        "{}",
        next.body
    );
    assert!(!ok_box.contains("tekort"), "{ok_box}");
    assert!(
        warning_box.contains("Toezicht &#38; Handhaving komt hiermee 60 uur tekort"),
        "{}",
        next.body
    );
    let programme = app.get("/programma/2025", &session).await;
    assert!(programme.body.contains("Te weinig capaciteit"));
    assert!(
        programme
            .body
            .contains("Toezicht &#38; Handhaving komt in 2025 60 uur tekort")
    );
    let capacity = app.get("/programma/2025/capaciteit", &session).await;
    assert!(capacity.body.contains("Tekort"));
    assert!(capacity.body.contains("-60"));
    // The action form says so too, before the next save.
    let form = app.get("/programma/2025/acties/nieuw", &session).await;
    assert!(form.body.contains("Let op: te weinig capaciteit in 2025"));

    // The API gives the same balance.
    let key = api_key(&app, &session).await;
    let api = call(
        &app,
        "GET",
        "/api/v1/programmas/2025/capaciteit",
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(api.status, StatusCode::OK);
    let line = api.json["subteams"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["subteamId"] == th)
        .unwrap()
        .clone();
    assert_eq!(line["beschikbaar"], 1300);
    assert_eq!(line["taakvelden"], 1200);
    assert_eq!(line["acties"], 160);
    assert_eq!(line["saldo"], -60);
    assert_eq!(line["oordeel"], "tekort");

    // Vergunningen & Evenementen takes on 60% of VTH9-02: Toezicht & Handhaving fits again, and
    // the warning now names the subteam that is short (it has no FTE in 2025).
    let ve = subteam(&app, "VE").await.to_string();
    let mut edit = action_form(&app, 2025, "VTH9-02").await;
    edit.push(("contributing_subteam_ids".into(), ve.clone()));
    edit.push((format!("aandeel_{ve}"), "60".into()));
    let reply = app
        .post(
            "/programma/2025/acties/VTH9-02/bewerken",
            &session,
            &pairs(&edit),
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let next = app
        .get(&reply.location, &reply_cookie(&session, &reply))
        .await;
    assert!(
        next.body
            .contains("Vergunningen &#38; Evenementen (60% van de uren)")
    );
    let warning_box = alert_box(&next.body, "utrecht-alert--warning");
    assert!(
        warning_box.contains("Vergunningen &#38; Evenementen komt hiermee 60 uur tekort"),
        "{warning_box}"
    );
    assert!(!warning_box.contains("Toezicht"), "{warning_box}");
    let api = call(
        &app,
        "GET",
        "/api/v1/programmas/2025/capaciteit",
        Some(&key),
        &[],
        None,
    )
    .await;
    let saldo = |id: &str| {
        api.json["subteams"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["subteamId"].as_i64().map(|s| s.to_string()).as_deref() == Some(id))
            .map(|l| l["saldo"].as_i64().unwrap())
    };
    assert_eq!(saldo(&th_text), Some(0), "1,200 + 60 + 40% of 100");
    assert_eq!(saldo(&ve), Some(-60));
    let action = call(
        &app,
        "GET",
        "/api/v1/programmas/2025/acties/VTH9-02",
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(
        action.json["aandelen"],
        json!([{"subteamId": ve.parse::<i64>().unwrap(), "procent": 60}])
    );

    // A share for a subteam that is not ticked, or shares above 100%, are refused next to the
    // field with everything typed kept; nothing changes.
    let mut wrong = action_form(&app, 2025, "VTH9-02").await;
    set(&mut wrong, &format!("aandeel_{ve}"), "200");
    let reply = app
        .post(
            "/programma/2025/acties/VTH9-02/bewerken",
            &session,
            &pairs(&wrong),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains("hoogstens 100 procent"),
        "{}",
        reply.body
    );
    assert!(
        reply
            .body
            .contains(&format!("name=\"aandeel_{ve}\" value=\"200\""))
    );
    let mut wrong = action_form(&app, 2025, "VTH9-02").await;
    wrong.retain(|(k, _)| k != "contributing_subteam_ids");
    let reply = app
        .post(
            "/programma/2025/acties/VTH9-02/bewerken",
            &session,
            &pairs(&wrong),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply
            .body
            .contains("vink het subteam aan of maak het aandeel leeg"),
        "{}",
        reply.body
    );
    let unchanged = action_form(&app, 2025, "VTH9-02").await;
    assert!(unchanged.contains(&(format!("aandeel_{ve}"), "60".to_string())));
}

/// The HTML of the first alert box with `class`, or "" when there is none.
fn alert_box<'a>(body: &'a str, class: &str) -> &'a str {
    body.find(class)
        .map(|start| {
            let rest = &body[start..];
            &rest[..rest.find("</div></div>").unwrap_or(rest.len())]
        })
        .unwrap_or("")
}

async fn task_fields_are_checked_versioned_retired_and_audited(app: TestApp) {
    let org = app.org().await;
    let ve = subteam(&app, "VE").await.to_string();
    let session = app.login("beleidsadviseur").await;
    let before = audit_count(&app).await;
    // Every error at once, the input kept, nothing saved.
    let reply = app
        .post(
            "/taakvelden",
            &session,
            &[
                ("code", ""),
                ("name", "Naam\0"),
                ("discipline", "X"),
                ("lead_subteam_id", "abc"),
                ("unit", "aanvraag"),
                ("norm", "0"),
                ("decision_term_weeks", "veel"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "code",
        "name",
        "discipline",
        "lead_subteam_id",
        "norm",
        "decision_term_weeks",
    ] {
        assert!(
            reply.body.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
    }
    assert!(reply.body.contains("Een norm van 0 uur kan niet"));
    assert_eq!(audit_count(&app).await, before);
    // A code in use is named at its field.
    let reply = app
        .post("/taakvelden", &session, &field_form("V-BOUW", &ve, "1,5"))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("is al in gebruik"));

    let reply = app
        .post("/taakvelden", &session, &field_form("T-NIEUW", &ve, "1,5"))
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let field = app
        .store()
        .task_fields(org)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.code == "T-NIEUW")
        .unwrap();
    assert_eq!(field.norm_hundredths, 150);
    // Two people edit the same version: the second gets a conflict with both versions.
    let path = format!("/taakvelden/{}/bewerken", field.id);
    let mut first = field_form("T-NIEUW", &ve, "2");
    first[0].1 = "1";
    assert_eq!(
        app.post(&path, &session, &first).await.status,
        StatusCode::SEE_OTHER
    );
    let mut second = field_form("T-NIEUW", &ve, "3,25");
    second[0].1 = "1";
    let reply = app.post(&path, &session, &second).await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(
        reply
            .body
            .contains("Iemand anders heeft dit taakveld intussen gewijzigd")
    );
    assert!(
        reply.body.contains("value=\"3,25\""),
        "the user's input is kept"
    );
    let stored = app.store().task_field(org, field.id).await.unwrap();
    assert_eq!(stored.norm_hundredths, 200);
    // Retiring keeps it; a lezer can read the catalogue but not change it.
    let reply = app
        .post(
            &format!("/taakvelden/{}/intrekken", field.id),
            &session,
            &[],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert!(app.store().task_field(org, field.id).await.unwrap().retired);
    let lezer = app.login("lezer").await;
    assert_eq!(app.get("/taakvelden", &lezer).await.status, StatusCode::OK);
    assert_eq!(
        app.post(&format!("/taakvelden/{}/herstellen", field.id), &lezer, &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let entries = app
        .store()
        .audit_entries(
            org,
            &AuditFilter {
                entity: Some("taakveld".into()),
                entity_id: Some(field.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(entries.len(), 3, "created, changed, retired");
}

async fn year_figures_have_bounds_and_teamleden_enter_only_their_realisation(app: TestApp) {
    let org = app.org().await;
    let field = app
        .store()
        .task_fields(org)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.code == "H-MELD")
        .unwrap();
    let stored = || async {
        app.store()
            .task_field_years(org, 2024)
            .await
            .unwrap()
            .into_iter()
            .find(|y| y.task_field_id == field.id)
            .unwrap()
    };
    let before = stored().await;
    let path = format!("/programma/2024/taakvelden/{}", field.id);
    let session = app.login("beleidsadviseur").await;
    let version = before.version.to_string();
    let reply = app
        .post(
            &path,
            &session,
            &[
                ("versie", &version),
                ("planned_volume", "veel"),
                ("realised_volume_q1", "-1"),
                ("realised_hours_q2", "200000"),
                ("decided", "10"),
                ("decided_in_term", "11"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "planned_volume",
        "realised_volume_q1",
        "realised_hours_q2",
        "decided_in_term",
    ] {
        assert!(
            reply.body.contains(&format!("id=\"{field}-error\"")),
            "{field}"
        );
    }
    assert!(reply.body.contains("value=\"veel\""));
    assert_eq!(stored().await.version, before.version, "nothing changed");

    // Ruud is a teamlid of Toezicht & Handhaving, which leads this task field: he may enter
    // the realisation, not change the plan.
    let teamlid = app.login("teamlid").await;
    let reply = app
        .post(
            &path,
            &teamlid,
            &[
                ("versie", &version),
                ("planned_volume", "1"),
                ("realised_volume_q2", "498"),
                ("realised_hours_q2", "760"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let after = stored().await;
    assert_eq!(after.planned_volume, before.planned_volume);
    assert_eq!(after.realised_volume_q2, Some(498));
    // Not a task field of another subteam, and a lezer changes nothing.
    let other = app
        .store()
        .task_fields(org)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.code == "V-BOUW")
        .unwrap();
    let reply = app
        .post(
            &format!("/programma/2024/taakvelden/{}", other.id),
            &teamlid,
            &[("versie", "1"), ("realised_volume_q2", "1")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let lezer = app.login("lezer").await;
    assert_eq!(
        app.post(&path, &lezer, &[("versie", "2")]).await.status,
        StatusCode::FORBIDDEN
    );
    let page = app.get("/programma/2024/taakvelden", &lezer).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Klachten en meldingen"));
    // A stale version is a conflict that shows the stored figures and keeps the input.
    let reply = app
        .post(
            &path,
            &session,
            &[("versie", &version), ("planned_volume", "2100")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(reply.body.contains("value=\"2100\""));
    // The capacity settings refuse nonsense, at their fields.
    let beheerder = app.login("beheerder").await;
    let reply = app
        .post(
            "/beheer/capaciteit",
            &beheerder,
            &[
                ("versie", "1"),
                ("productive_hours_per_fte", "-5"),
                ("overhead_percent", "95"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"productive_hours_per_fte-error\""));
    assert!(reply.body.contains("id=\"overhead_percent-error\""));
    assert_eq!(
        app.get("/beheer/capaciteit", &session).await.status,
        StatusCode::FORBIDDEN
    );
}

async fn the_demo_has_one_subteam_close_to_its_capacity(app: TestApp) {
    let session = app.login("lezer").await;
    let page = app.get("/programma/2024/capaciteit", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Krap"), "{}", page.body);
    assert!(!page.body.contains("Te weinig capaciteit"));
    assert!(page.body.contains("Gepland en gerealiseerd"));
    let key = api_key(&app, &app.login("beleidsadviseur").await).await;
    let api = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/capaciteit",
        Some(&key),
        &[],
        None,
    )
    .await;
    let th = subteam(&app, "TH").await;
    let lines = api.json["subteams"].as_array().unwrap();
    let line = lines.iter().find(|l| l["subteamId"] == th).unwrap();
    let saldo = line["saldo"].as_i64().unwrap();
    assert!(
        (0..100).contains(&saldo),
        "an action of 100 hours tips Toezicht & Handhaving over: {saldo}"
    );
    let others_fit = lines
        .iter()
        .filter(|l| l["subteamId"] != th)
        .all(|l| l["oordeel"] == "ruim");
    assert!(others_fit, "{lines:?}");
}

async fn the_api_reads_and_changes_task_fields_and_their_figures(app: TestApp) {
    let org = app.org().await;
    let session = app.login("beleidsadviseur").await;
    let key = api_key(&app, &session).await;
    let ve = subteam(&app, "VE").await;
    let list = call(&app, "GET", "/api/v1/taakvelden", Some(&key), &[], None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.json.as_array().unwrap().len() >= 8);
    let body = json!({
        "code": "V-STAND", "naam": "Standplaatsvergunning", "taak": "V", "trekkerId": ve,
        "eenheid": "aanvraag", "norm": 1.5, "wettelijkeTermijnWeken": 8
    });
    let created = call(
        &app,
        "POST",
        "/api/v1/taakvelden",
        Some(&key),
        &[],
        Some(body.clone()),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    assert_eq!(created.json["norm"], 1.5);
    let id = created.json["id"].as_i64().unwrap();
    // Bad input is problem+json naming every field.
    let mut bad = body.clone();
    bad["norm"] = json!(0);
    bad["taak"] = json!("Q");
    let reply = call(
        &app,
        "PUT",
        &format!("/api/v1/taakvelden/{id}"),
        Some(&key),
        &[("if-match", "\"1\"")],
        Some(bad),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.json);
    let names: Vec<&str> = reply.json["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"norm") && names.contains(&"taak"),
        "{names:?}"
    );
    // Figures: first with If-Match "0", then a stale version is 412.
    let path = format!("/api/v1/programmas/2025/taakvelden/{id}");
    let figures = json!({ "geplandAantal": 200, "beslist": 5, "beslistBinnenTermijn": 4 });
    let saved = call(
        &app,
        "PUT",
        &path,
        Some(&key),
        &[("if-match", "\"0\"")],
        Some(figures.clone()),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    assert_eq!(saved.json["geplandeUren"], 300);
    assert_eq!(saved.json["aandeelBinnenTermijn"], 80);
    let stale = call(
        &app,
        "PUT",
        &path,
        Some(&key),
        &[("if-match", "\"0\"")],
        Some(figures),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let shown = call(&app, "GET", &path, Some(&key), &[], None).await;
    assert_eq!(shown.headers.get("etag").unwrap(), "\"1\"");
    let year = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/taakvelden",
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(year.status, StatusCode::OK);
    let entries = app
        .store()
        .audit_entries(
            org,
            &AuditFilter {
                entity: Some("taakveld".into()),
                entity_id: Some(id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(entries.len(), 2, "created and figures saved");
}

/// The capacity settings as an API resource: read by everyone, changed by a beheerder with
/// If-Match, bounds named per field, and every balance follows at once.
async fn the_api_reads_and_changes_the_capacity_settings(app: TestApp) {
    let adviser = api_key(&app, &app.login("beleidsadviseur").await).await;
    let admin = api_key(&app, &app.login("beheerder").await).await;
    let read = call(
        &app,
        "GET",
        "/api/v1/capaciteitsinstellingen",
        Some(&adviser),
        &[],
        None,
    )
    .await;
    assert_eq!(read.status, StatusCode::OK);
    let etag = read.headers["etag"].to_str().unwrap().to_string();
    let hours = read.json["productieveUrenPerFte"].as_i64().unwrap();
    assert!(read.json["overheadProcent"].is_i64(), "{}", read.json);
    let available =
        |json: &serde_json::Value| -> i64 { json["totaal"]["beschikbaar"].as_i64().unwrap() };
    let before = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/capaciteit",
        Some(&adviser),
        &[],
        None,
    )
    .await;

    let body = json!({"productieveUrenPerFte": 1200, "overheadProcent": 10});
    let refused = call(
        &app,
        "PUT",
        "/api/v1/capaciteitsinstellingen",
        Some(&adviser),
        &[("if-match", &etag)],
        Some(body.clone()),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let missing = call(
        &app,
        "PUT",
        "/api/v1/capaciteitsinstellingen",
        Some(&admin),
        &[],
        Some(body.clone()),
    )
    .await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    let invalid = call(
        &app,
        "PUT",
        "/api/v1/capaciteitsinstellingen",
        Some(&admin),
        &[("if-match", &etag)],
        Some(json!({"productieveUrenPerFte": 5000, "overheadProcent": -1})),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    let names: Vec<&str> = invalid.json["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["productieveUrenPerFte", "overheadProcent"]);
    let unchanged = call(
        &app,
        "GET",
        "/api/v1/capaciteitsinstellingen",
        Some(&admin),
        &[],
        None,
    )
    .await;
    assert_eq!(unchanged.json["productieveUrenPerFte"], hours);

    let saved = call(
        &app,
        "PUT",
        "/api/v1/capaciteitsinstellingen",
        Some(&admin),
        &[("if-match", &etag)],
        Some(body.clone()),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    assert_eq!(saved.json, body);
    assert_ne!(saved.headers["etag"].to_str().unwrap(), etag);
    let stale = call(
        &app,
        "PUT",
        "/api/v1/capaciteitsinstellingen",
        Some(&admin),
        &[("if-match", &etag)],
        Some(body),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let after = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/capaciteit",
        Some(&adviser),
        &[],
        None,
    )
    .await;
    assert_eq!(after.json["productieveUrenPerFte"], 1200);
    assert!(
        available(&after.json) < available(&before.json),
        "{} → {}",
        before.json["totaal"],
        after.json["totaal"]
    );
    let log = app
        .store()
        .audit_entries(
            app.org().await,
            &AuditFilter {
                entity: Some("capaciteit".into()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(
        log.iter().any(|e| e
            .summary
            .contains("1200 productieve uren per fte, 10% overhead")),
        "{log:?}"
    );
}

async fn an_action_form_reports_a_code_in_use_with_the_other_errors(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let mut action = action_form(&app, 2024, "IV1-03").await;
    set(&mut action, "code", "IV1-03");
    set(&mut action, "versie", "0");
    set(&mut action, "planned_hours", "-5");
    set(&mut action, "title", "");
    let reply = app
        .post("/programma/2024/acties", &session, &pairs(&action))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["planned_hours", "title", "code"] {
        assert!(
            reply.body.contains(&format!("id=\"{field}-error\"")),
            "{field} is reported in the same answer"
        );
    }
    assert!(reply.body.contains("is in dit programma al in gebruik"));
    assert!(reply.body.contains("Trekker (subteam)"));
}

each_database!(
    the_api_reads_and_changes_the_capacity_settings,
    planning_next_year_turns_a_subteam_short_as_actions_are_added,
    task_fields_are_checked_versioned_retired_and_audited,
    year_figures_have_bounds_and_teamleden_enter_only_their_realisation,
    the_demo_has_one_subteam_close_to_its_capacity,
    the_api_reads_and_changes_task_fields_and_their_figures,
    an_action_form_reports_a_code_in_use_with_the_other_errors,
);
