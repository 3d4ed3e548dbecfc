//! The risk analysis (`/risicoanalyse`, `/api/v1/risicomodel`, `/api/v1/risicoanalyses`) and
//! the LHS intervention matrix (`/beleidsplan/lhs`, `/api/v1/lhs-matrix`): filling in, versions
//! that keep old analyses, bad input, conflicts, roles, tenants and the audit log.

use crate::api::{api_key, call};
use crate::helpers::{TestApp, each_database};
use axum::http::StatusCode;
use koers_store::audit::AuditFilter;
use serde_json::json;

async fn field_id(app: &TestApp, code: &str) -> i64 {
    let org = app.org().await;
    app.store()
        .task_field_refs(org)
        .await
        .unwrap()
        .into_iter()
        .find(|f| f.code == code)
        .unwrap()
        .id
}

async fn analyses(app: &TestApp) -> Vec<koers_store::risk::RiskAnalysis> {
    app.store().risk_analyses(app.org().await).await.unwrap()
}

fn analysis_form<'a>(
    version: &'a str,
    kans: &'a str,
    effects: [&'a str; 4],
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("versie", version),
        ("model", "1"),
        ("kans", kans),
        ("effect_1", effects[0]),
        ("effect_2", effects[1]),
        ("effect_3", effects[2]),
        ("effect_4", effects[3]),
        ("toelichting", "Na de enquête van 2024 opnieuw gescoord."),
    ]
}

/// The default model as the form posts it, with `changes` applied.
fn model_form<'a>(version: &'a str, changes: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("versie", version),
        ("combinatie", "maximum"),
        ("criterium_naam_1", "Gebied"),
        ("criterium_gewicht_1", "1"),
        ("criterium_uitleg_1", ""),
        ("criterium_naam_2", "Fysieke veiligheid"),
        ("criterium_gewicht_2", "1"),
        ("criterium_uitleg_2", ""),
        ("criterium_naam_3", "Milieu en leefomgeving"),
        ("criterium_gewicht_3", "1"),
        ("criterium_uitleg_3", ""),
        ("criterium_naam_4", "Bestuurlijk imago"),
        ("criterium_gewicht_4", "1"),
        ("criterium_uitleg_4", ""),
        ("klasse_naam_1", "Laag"),
        ("klasse_van_1", "1"),
        ("klasse_tot_1", "5"),
        ("klasse_intensiteit_1", "Op melding"),
        ("klasse_naam_2", "Midden"),
        ("klasse_van_2", "6"),
        ("klasse_tot_2", "11"),
        ("klasse_intensiteit_2", "Steekproef"),
        ("klasse_naam_3", "Hoog"),
        ("klasse_van_3", "12"),
        ("klasse_tot_3", "19"),
        ("klasse_intensiteit_3", "Jaarlijks"),
        ("klasse_naam_4", "Zeer hoog"),
        ("klasse_van_4", "20"),
        ("klasse_tot_4", "25"),
        ("klasse_intensiteit_4", "Projectmatig"),
    ];
    for (name, value) in changes {
        match form.iter_mut().find(|(k, _)| k == name) {
            Some(pair) => pair.1 = value,
            None => form.push((name, value)),
        }
    }
    form
}

async fn a_beleidsadviseur_fills_in_an_analysis_and_sees_it_in_the_matrix(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let page = app.get("/risicoanalyse", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Risicomatrix"), "{}", page.body);
    assert!(page.body.contains("Toezicht brandveilig gebruik"));
    assert!(page.body.contains("<caption"));
    assert!(page.body.contains("scope=\"row\">Kans 5"));

    let id = field_id(&app, "H-MELD").await;
    let form = app
        .get(&format!("/risicoanalyse/taakvelden/{id}"), &session)
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("Effect: Fysieke veiligheid"));
    assert!(form.body.contains("name=\"versie\" value=\"1\""));

    let before = analyses(&app).await.len();
    let saved = app
        .post(
            &format!("/risicoanalyse/taakvelden/{id}"),
            &session,
            &analysis_form("1", "2", ["1", "1", "4", "1"]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = analyses(&app).await;
    assert_eq!(after.len(), before + 1);
    let newest = after.iter().rfind(|a| a.task_field_id == id).unwrap();
    assert_eq!((newest.number, newest.analyse.kans.get()), (2, 2));

    // Kans 2 × effect 4 (the highest criterion) = 8: Midden, in the cell kans 2, effect 4.
    let page = app.get("/risicoanalyse", &session).await;
    let row = page.body.split("H-MELD</span> Klachten").nth(1).unwrap();
    let cells: String = row.chars().take(600).collect();
    assert!(cells.contains(">8<") && cells.contains("Midden"), "{cells}");
    let log = app
        .store()
        .audit_entries(
            app.org().await,
            &AuditFilter {
                entity: Some("risicoanalyse".into()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(
        log.iter()
            .any(|e| e.summary.contains("Klachten en meldingen") && e.user_name != "Koers demo")
    );
}

/// A retired task field keeps its analyses but gets no new one, through the page or the API;
/// brought back into use, it can be analysed again.
async fn a_retired_task_field_gets_no_new_analysis(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let id = field_id(&app, "H-MELD").await;
    let before = analyses(&app).await;
    let reply = app
        .post(&format!("/taakvelden/{id}/intrekken"), &session, &[])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let refused = app
        .post(
            &format!("/risicoanalyse/taakvelden/{id}"),
            &session,
            &analysis_form("1", "2", ["1", "1", "4", "1"]),
        )
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.status);
    assert!(refused.body.contains("is vervallen"), "{}", refused.body);
    let key = api_key(&app, &session).await;
    let path = format!("/api/v1/risicoanalyses/{id}");
    let api = call(
        &app,
        "PUT",
        &path,
        Some(&key),
        &[("if-match", "\"1\"")],
        Some(json!({"kans": 2, "effecten": [1, 1, 4, 1]})),
    )
    .await;
    assert_eq!(api.status, StatusCode::CONFLICT, "{}", api.json);
    assert!(
        api.json["detail"]
            .as_str()
            .unwrap()
            .contains("is vervallen")
    );
    assert_eq!(analyses(&app).await.len(), before.len(), "nothing added");
    // Its earlier analysis is still shown.
    let page = app
        .get(&format!("/risicoanalyse/taakvelden/{id}"), &session)
        .await;
    assert_eq!(page.status, StatusCode::OK);

    let reply = app
        .post(&format!("/taakvelden/{id}/herstellen"), &session, &[])
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let saved = app
        .post(
            &format!("/risicoanalyse/taakvelden/{id}"),
            &session,
            &analysis_form("1", "2", ["1", "1", "4", "1"]),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
}

async fn a_new_model_version_never_changes_an_old_analysis(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let id = field_id(&app, "T-BRAND").await;
    let old = app
        .get(&format!("/risicoanalyse/taakvelden/{id}"), &session)
        .await;
    // Kans 2 × effect 5 (fysieke veiligheid) = 10, Midden, under version 1.
    assert!(old.body.contains("Midden"), "{}", old.body);

    // Version 2: the weighted mean, and Laag up to 10.
    let saved = app
        .post(
            "/risicoanalyse/model",
            &session,
            &model_form(
                "1",
                &[
                    ("combinatie", "gewogen-gemiddelde"),
                    ("criterium_gewicht_2", "3"),
                    ("klasse_tot_1", "10"),
                    ("klasse_van_2", "11"),
                ],
            ),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let versions = app.store().risk_models(app.org().await).await.unwrap();
    assert_eq!(versions.len(), 2);

    let page = app
        .get(&format!("/risicoanalyse/taakvelden/{id}"), &session)
        .await;
    let history = page.body.split("Analyses, nieuwste eerst").nth(1).unwrap();
    assert!(history.contains("versie 1"));
    assert!(
        history.contains(">10<") && history.contains("Midden"),
        "{history}"
    );
    let overview = app.get("/risicoanalyse", &session).await;
    assert!(overview.body.contains("eerdere versie van het risicomodel"));
    assert!(overview.body.contains("Gewogen gemiddelde") || overview.body.contains("gewogen"));

    // A new analysis of the same scores under version 2: mean (3 + 3×5 + 2 + 4) / 6 = 4, × 2 = 8,
    // which version 2 calls Laag.
    let form = vec![
        ("versie", "1"),
        ("model", "2"),
        ("kans", "2"),
        ("effect_1", "3"),
        ("effect_2", "5"),
        ("effect_3", "2"),
        ("effect_4", "4"),
    ];
    let saved = app
        .post(&format!("/risicoanalyse/taakvelden/{id}"), &session, &form)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app
        .get(&format!("/risicoanalyse/taakvelden/{id}"), &session)
        .await;
    let history = page.body.split("Analyses, nieuwste eerst").nth(1).unwrap();
    let newest = history.split("</tr>").nth(1).unwrap();
    assert!(
        newest.contains("versie 2") && newest.contains(">8<") && newest.contains("Laag"),
        "{newest}"
    );
    let oldest = history.split("</tr>").nth(2).unwrap();
    assert!(
        oldest.contains("versie 1") && oldest.contains(">10<") && oldest.contains("Midden"),
        "{oldest}"
    );

    // A form filled in against version 1 after version 2 came is refused, not scored wrongly.
    let stale = app
        .post(
            &format!("/risicoanalyse/taakvelden/{id}"),
            &session,
            &analysis_form("2", "3", ["1", "1", "1", "1"]),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("risicomodel is intussen gewijzigd"));
}

async fn bad_input_is_named_at_its_field_and_changes_nothing(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let id = field_id(&app, "T-APV").await;
    let before = analyses(&app).await;
    let reply = app
        .post(
            &format!("/risicoanalyse/taakvelden/{id}"),
            &session,
            &analysis_form("1", "7", ["0", "drie", "", "5"]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["kans", "effect_1", "effect_2", "effect_3"] {
        assert!(
            reply.body.contains(&format!("id=\"{field}-error\"")),
            "{field}: {}",
            reply.body
        );
    }
    assert!(
        reply
            .body
            .contains("aria-describedby=\"kans-hint kans-error\"")
    );
    assert!(
        reply.body.contains("Na de enquête van 2024"),
        "the input is kept"
    );
    assert_eq!(analyses(&app).await, before);

    let models = app.store().risk_models(app.org().await).await.unwrap();
    for (changes, field, words) in [
        (
            vec![("criterium_gewicht_1", "-1")],
            "criterium_gewicht_1",
            "gewicht",
        ),
        (
            vec![("criterium_gewicht_2", "veel")],
            "criterium_gewicht_2",
            "gewicht",
        ),
        (
            vec![
                ("criterium_gewicht_1", "0"),
                ("criterium_gewicht_2", "0"),
                ("criterium_gewicht_3", "0"),
                ("criterium_gewicht_4", "0"),
            ],
            "criteria",
            "groter dan 0",
        ),
        (
            vec![("klasse_van_2", "8")],
            "klasse_van_2",
            "in geen enkele klasse",
        ),
        (vec![("klasse_van_3", "10")], "klasse_van_3", "overlapt"),
        (vec![("klasse_tot_4", "24")], "klasse_tot_4", "25"),
        (
            vec![("combinatie", "gemiddeld")],
            "combinatie",
            "hoogste score",
        ),
    ] {
        let reply = app
            .post("/risicoanalyse/model", &session, &model_form("1", &changes))
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(
            reply.body.contains(&format!("href=\"#{field}\"")),
            "{field}: {}",
            reply.body
        );
        assert!(reply.body.contains(words), "{field}: {words}");
    }
    assert_eq!(
        app.store().risk_models(app.org().await).await.unwrap(),
        models
    );
}

async fn readers_read_and_only_editors_write(app: TestApp) {
    let reader = app.login("lezer").await;
    let id = field_id(&app, "V-EVEN").await;
    for path in [
        "/risicoanalyse".to_string(),
        "/risicoanalyse/model".to_string(),
        format!("/risicoanalyse/taakvelden/{id}"),
        "/beleidsplan/lhs".to_string(),
    ] {
        let page = app.get(&path, &reader).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(
            !page
                .body
                .contains("<form method=\"post\" action=\"/risicoanalyse"),
            "{path}"
        );
    }
    let before = analyses(&app).await;
    let reply = app
        .post(
            &format!("/risicoanalyse/taakvelden/{id}"),
            &reader,
            &analysis_form("1", "1", ["1", "1", "1", "1"]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .post("/risicoanalyse/model", &reader, &model_form("1", &[]))
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    let reply = app
        .post(
            "/beleidsplan/lhs",
            &reader,
            &[("versie", "1"), ("cel_A1", "x")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/beleidsplan/lhs/bewerken", &reader).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(analyses(&app).await, before);

    // Another organisation's task field does not exist for this one.
    let (_, other) = app
        .other_organisation(
            "GM0009",
            "elders@elders.example",
            koers_domain::Rol::Beheerder,
        )
        .await;
    assert_eq!(
        app.get(&format!("/risicoanalyse/taakvelden/{id}"), &other)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let reply = app
        .post(
            &format!("/risicoanalyse/taakvelden/{id}"),
            &other,
            &analysis_form("1", "1", ["1", "1", "1", "1"]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let page = app.get("/beleidsplan/lhs", &other).await;
    assert!(page.body.contains("nog niet ingevuld"));
    assert!(!page.body.contains("Informeren en aanspreken"));
    assert_eq!(analyses(&app).await, before);
}

async fn concurrent_saves_show_the_other_version(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let id = field_id(&app, "V-APV").await;
    let path = format!("/risicoanalyse/taakvelden/{id}");
    let first = app
        .post(
            &path,
            &session,
            &analysis_form("1", "4", ["2", "2", "2", "2"]),
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let second = app
        .post(
            &path,
            &session,
            &analysis_form("1", "1", ["5", "5", "5", "5"]),
        )
        .await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(
        second
            .body
            .contains("Iemand anders heeft intussen een analyse opgeslagen")
    );
    assert!(
        second.body.contains("kans 4, effect 2, score 8"),
        "{}",
        second.body
    );
    assert!(second.body.contains("name=\"versie\" value=\"2\""));
    assert_eq!(
        analyses(&app)
            .await
            .iter()
            .filter(|a| a.task_field_id == id)
            .count(),
        2
    );

    let model = app
        .post("/risicoanalyse/model", &session, &model_form("0", &[]))
        .await;
    assert_eq!(model.status, StatusCode::CONFLICT);
    assert!(model.body.contains("Versie 1 van"));

    let lhs = app
        .post(
            "/beleidsplan/lhs",
            &session,
            &[("versie", "0"), ("cel_B1", "Mijn tekst")],
        )
        .await;
    assert_eq!(lhs.status, StatusCode::CONFLICT);
    assert!(lhs.body.contains("Mijn tekst") && lhs.body.contains("Informeren en aanspreken"));
}

async fn the_lhs_matrix_is_kept_in_versions(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let page = app.get("/beleidsplan/lhs", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Informeren en aanspreken"));
    assert!(page.body.contains("Nog in te vullen door de organisatie"));
    assert!(page.body.contains("scope=\"col\">Gedrag A"));
    assert!(page.body.contains("scope=\"row\">Gevolgen 4"));
    assert!(page.body.contains("Versie 1 van"));
    let plan = app.get("/beleidsplan", &session).await;
    assert!(plan.body.contains("href=\"/beleidsplan/lhs\""));
    assert!(plan.body.contains("href=\"/risicoanalyse\""));

    let form = app.get("/beleidsplan/lhs/bewerken", &session).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("id=\"cel_D4\""));

    let bad = app
        .post(
            "/beleidsplan/lhs",
            &session,
            &[
                ("versie", "1"),
                ("cel_A1", "a\u{0}b"),
                ("cel_B3", "Waarschuwen"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"cel_A1-error\""));
    assert!(bad.body.contains("Waarschuwen"));

    let saved = app
        .post(
            "/beleidsplan/lhs",
            &session,
            &[
                ("versie", "1"),
                ("cel_A1", "Informeren"),
                ("cel_B3", "Dwangsom na één waarschuwing"),
                ("toelichting", "Tweede versie"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get("/beleidsplan/lhs", &session).await;
    assert!(
        page.body.contains("Versie 2 van") && page.body.contains("Dwangsom na één waarschuwing")
    );
    assert!(!page.body.contains("Informeren en aanspreken"));
    assert!(page.body.contains("href=\"/beleidsplan/lhs/versies/1\""));
    let old = app.get("/beleidsplan/lhs/versies/1", &session).await;
    assert_eq!(old.status, StatusCode::OK);
    assert!(
        old.body.contains("Informeren en aanspreken")
            && !old.body.contains("Dwangsom na één waarschuwing")
    );
    assert!(old.body.contains("U bekijkt een eerdere versie"));
    assert_eq!(
        app.get("/beleidsplan/lhs/versies/9", &session).await.status,
        StatusCode::NOT_FOUND
    );
    let log = app
        .store()
        .audit_entries(
            app.org().await,
            &AuditFilter {
                entity: Some("lhs-matrix".into()),
                ..AuditFilter::default()
            },
        )
        .await
        .unwrap();
    assert!(log.iter().any(|e| e.summary.contains("versie 2")));
}

async fn the_api_covers_the_model_the_analyses_and_the_matrix(app: TestApp) {
    let adviser = app.login("beleidsadviseur").await;
    let key = api_key(&app, &adviser).await;
    let key = Some(key.as_str());

    let model = call(&app, "GET", "/api/v1/risicomodel", key, &[], None).await;
    assert_eq!(model.status, StatusCode::OK);
    assert_eq!(model.headers["etag"], "\"1\"");
    assert_eq!(model.json["combinatie"], "maximum");
    assert_eq!(model.json["klassen"][3]["tot"], 25);

    let body = json!({
        "combinatie": "gewogen-gemiddelde",
        "criteria": [{"naam": "Veiligheid", "gewicht": 2}, {"naam": "Imago", "gewicht": 1}],
        "klassen": [{"naam": "Laag", "van": 1, "tot": 9}, {"naam": "Hoog", "van": 10, "tot": 25}]
    });
    let missing = call(
        &app,
        "PUT",
        "/api/v1/risicomodel",
        key,
        &[],
        Some(body.clone()),
    )
    .await;
    assert_eq!(missing.status, StatusCode::PRECONDITION_REQUIRED);
    let mut bad = body.clone();
    bad["criteria"][0]["gewicht"] = json!(-1);
    bad["klassen"][1]["van"] = json!(12);
    let invalid = call(
        &app,
        "PUT",
        "/api/v1/risicomodel",
        key,
        &[("if-match", "\"1\"")],
        Some(bad),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    let names: Vec<&str> = invalid.json["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"criteria") && names.contains(&"klassen"),
        "{names:?}"
    );
    let saved = call(
        &app,
        "PUT",
        "/api/v1/risicomodel",
        key,
        &[("if-match", "\"1\"")],
        Some(body.clone()),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    assert_eq!(saved.json["versie"], 2);
    let stale = call(
        &app,
        "PUT",
        "/api/v1/risicomodel",
        key,
        &[("if-match", "\"1\"")],
        Some(body),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let versions = call(&app, "GET", "/api/v1/risicomodel/versies", key, &[], None).await;
    assert_eq!(versions.json.as_array().unwrap().len(), 2);

    let list = call(&app, "GET", "/api/v1/risicoanalyses", key, &[], None).await;
    assert_eq!(list.status, StatusCode::OK);
    let brand = list
        .json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["taakveld"]["code"] == "T-BRAND")
        .unwrap();
    // Still scored with version 1, which it was made with.
    assert_eq!(brand["analyse"]["risicomodelVersie"], 1);
    assert_eq!(brand["analyse"]["score"], 10);
    assert_eq!(brand["analyse"]["prioriteit"], "Midden");

    let id = field_id(&app, "T-BRAND").await;
    let path = format!("/api/v1/risicoanalyses/{id}");
    let one = call(&app, "GET", &path, key, &[], None).await;
    assert_eq!(one.headers["etag"], "\"1\"");
    let wrong = json!({"kans": 7, "effecten": [0, 3]});
    let invalid = call(
        &app,
        "PUT",
        &path,
        key,
        &[("if-match", "\"1\"")],
        Some(wrong),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    assert_eq!(invalid.headers["content-type"], "application/problem+json");
    let text = call(
        &app,
        "PUT",
        &path,
        key,
        &[("if-match", "\"1\"")],
        Some(json!({"kans": "drie", "effecten": [1, 1]})),
    )
    .await;
    assert!(text.status.is_client_error());
    let good = json!({"kans": 3, "effecten": [4, 2], "toelichting": "Via de API"});
    let saved = call(
        &app,
        "PUT",
        &path,
        key,
        &[("if-match", "\"1\"")],
        Some(good),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    assert_eq!(saved.headers["etag"], "\"2\"");
    // (2×4 + 2) / 3 = 3.3 → 3; 3 × 3 = 9: Laag under version 2.
    assert_eq!(saved.json["analyses"][0]["score"], 9);
    assert_eq!(saved.json["analyses"][0]["prioriteit"], "Laag");
    assert_eq!(saved.json["analyses"][1]["score"], 10);
    assert_eq!(
        call(&app, "GET", "/api/v1/risicoanalyses/999999", key, &[], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let lhs = call(&app, "GET", "/api/v1/lhs-matrix", key, &[], None).await;
    assert_eq!(lhs.headers["etag"], "\"1\"");
    assert!(
        lhs.json["cellen"]["A1"]
            .as_str()
            .unwrap()
            .starts_with("Informeren")
    );
    assert!(lhs.json["cellen"].get("B3").is_none());
    let bad = json!({"cellen": {"E9": "x"}});
    let invalid = call(
        &app,
        "PUT",
        "/api/v1/lhs-matrix",
        key,
        &[("if-match", "\"1\"")],
        Some(bad),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    let saved = call(
        &app,
        "PUT",
        "/api/v1/lhs-matrix",
        key,
        &[("if-match", "\"1\"")],
        Some(json!({"cellen": {"B3": "Last onder dwangsom"}})),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK);
    assert_eq!(saved.json["versie"], 2);
    let versions = call(&app, "GET", "/api/v1/lhs-matrix/versies", key, &[], None).await;
    assert_eq!(versions.json.as_array().unwrap().len(), 2);

    let reader = app.login("lezer").await;
    let reader_key = api_key(&app, &reader).await;
    let forbidden = call(
        &app,
        "PUT",
        "/api/v1/lhs-matrix",
        Some(&reader_key),
        &[("if-match", "\"2\"")],
        Some(json!({"cellen": {}})),
    )
    .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

async fn the_plan_page_reads_as_a_document(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let plan = app.get("/beleidsplan", &session).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert!(
        !plan.body.contains("/omhoog"),
        "no maintenance buttons on the document"
    );
    assert!(!plan.body.contains("/intrekken"));
    assert!(plan.body.contains("/bewerken\">Bewerken"));
    // The title holds the period already; it is not repeated with an en dash.
    assert!(plan.body.contains("2023-2026"));
    assert!(!plan.body.contains("2023–2026"));

    let org = app.org().await;
    let theme = app
        .store()
        .items(org, koers_store::catalog::Kind::Theme)
        .await
        .unwrap()[0]
        .id;
    let edit = app
        .get(&format!("/onderdelen/thema/{theme}/bewerken"), &session)
        .await;
    assert!(edit.body.contains("Volgorde en status"));
    assert!(
        edit.body
            .contains(&format!("/onderdelen/thema/{theme}/omhoog"))
    );
    assert!(
        edit.body
            .contains(&format!("/onderdelen/thema/{theme}/intrekken"))
    );

    let admin = app.login("beheerder").await;
    let subteam = app.get("/onderdelen/subteam/nieuw", &admin).await;
    assert!(!subteam.body.contains("IV of VTH"));
    let partner = app.get("/onderdelen/partner/nieuw", &admin).await;
    assert!(partner.body.contains("OM of GGD"));
}

each_database!(
    a_beleidsadviseur_fills_in_an_analysis_and_sees_it_in_the_matrix,
    a_retired_task_field_gets_no_new_analysis,
    a_new_model_version_never_changes_an_old_analysis,
    bad_input_is_named_at_its_field_and_changes_nothing,
    readers_read_and_only_editors_write,
    concurrent_saves_show_the_other_version,
    the_lhs_matrix_is_kept_in_versions,
    the_api_covers_the_model_the_analyses_and_the_matrix,
    the_plan_page_reads_as_a_document,
);
