//! Charts (status per theme, hours per subteam), trends across years and indicators.

use crate::helpers::{TestApp, each_database};
use axum::http::StatusCode;
use koers_domain::{Jaar, Status, Uitkomst};
use koers_store::actions::ActionFilter;

each_database!(
    the_overview_shows_status_per_theme_as_a_chart_with_its_table,
    the_hours_page_shows_planned_against_spent_per_subteam,
    the_trends_page_shows_every_year_with_outcomes_once_evaluated,
    the_demo_indicators_are_judged_against_their_targets,
    a_beleidsadviseur_creates_an_indicator_and_adds_measurements,
    bad_indicator_input_is_refused_next_to_the_field,
    a_concurrent_edit_of_an_indicator_is_a_conflict,
    readers_and_other_organisations_cannot_change_indicators,
    the_api_changes_indicators_with_if_match_and_reads_the_trends,
);

async fn actions_of(app: &TestApp, year: i64) -> Vec<koers_store::actions::ActionRow> {
    let org = app.org().await;
    let programme = app
        .store()
        .programme(org, Jaar::new(year).unwrap())
        .await
        .unwrap()
        .unwrap();
    app.store()
        .actions(org, programme.id, &ActionFilter::default())
        .await
        .unwrap()
}

fn svg_count(body: &str) -> usize {
    body.matches("<svg xmlns=\"http://www.w3.org/2000/svg\"")
        .count()
}

async fn the_overview_shows_status_per_theme_as_a_chart_with_its_table(app: TestApp) {
    let session = app.login("lezer").await;
    let reply = app.get("/overzicht?jaar=2024", &session).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(svg_count(&reply.body), 1, "{}", reply.body);
    assert!(reply.body.contains("role=\"img\""));
    assert!(reply.body.contains(
        "<title id=\"status-per-thema-titel\">Status van de acties per thema, 2024</title>"
    ));
    assert!(
        reply
            .body
            .contains("<caption>Aantal acties per thema en status, 2024</caption>")
    );
    // The table's total row holds the programme's count of actions and of each status.
    let actions = actions_of(&app, 2024).await;
    let mut total = format!(
        "<th class=\"utrecht-table__cell\" scope=\"row\">Totaal</th><td class=\"utrecht-table__cell koers-num\">{}</td>",
        actions.len()
    );
    for status in Status::ALL {
        let n = actions.iter().filter(|a| a.status == status).count();
        total.push_str(&format!(
            "<td class=\"utrecht-table__cell koers-num\">{n}</td>"
        ));
    }
    assert!(reply.body.contains(&total), "{total}\n{}", reply.body);
    // No inline style reaches the page (the CSP forbids it).
    assert!(!reply.body.contains("style="));
}

async fn the_hours_page_shows_planned_against_spent_per_subteam(app: TestApp) {
    let session = app.login("teamlid").await;
    let programme = app.get("/programma/2024", &session).await;
    assert!(programme.body.contains("href=\"/programma/2024/uren\""));
    let reply = app.get("/programma/2024/uren", &session).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(svg_count(&reply.body), 1);
    let actions = actions_of(&app, 2024).await;
    let planned: i64 = actions.iter().map(|a| a.planned_hours).sum();
    let spent: i64 = actions.iter().map(|a| a.hours_spent).sum();
    let total = format!(
        "scope=\"row\">Totaal</th><td class=\"utrecht-table__cell koers-num\">{}</td><td class=\"utrecht-table__cell koers-num\">{}</td><td class=\"utrecht-table__cell koers-num\">{}</td>",
        actions.len(),
        koers_domain::nl::duizendtallen(planned),
        koers_domain::nl::duizendtallen(spent),
    );
    assert!(reply.body.contains(&total), "{total}\n{}", reply.body);
    assert_eq!(
        app.get("/programma/2031/uren", &session).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/programma/abc/uren", &session).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn the_trends_page_shows_every_year_with_outcomes_once_evaluated(app: TestApp) {
    let session = app.login("lezer").await;
    let reply = app.get("/trends", &session).await;
    assert_eq!(reply.status, StatusCode::OK);
    // Three charts per year in total and one per theme.
    assert_eq!(svg_count(&reply.body), 4);
    let org = app.org().await;
    for year in [2023, 2024] {
        let actions = actions_of(&app, year).await;
        let programme = app
            .store()
            .programme(org, Jaar::new(year).unwrap())
            .await
            .unwrap()
            .unwrap();
        let outcomes = app
            .store()
            .evaluation_record(org, programme.id)
            .await
            .unwrap()
            .actions;
        let realised = actions
            .iter()
            .filter(|a| match outcomes.iter().find(|o| o.action_id == a.id) {
                Some(o) => o.outcome == Uitkomst::Gerealiseerd,
                None => a.status == Status::Gerealiseerd,
            })
            .count();
        let percent = (realised * 200 + actions.len()) / (actions.len() * 2);
        let row = format!(
            "scope=\"row\">{year}</th><td class=\"utrecht-table__cell koers-num\">{}</td><td class=\"utrecht-table__cell koers-num\">{realised}</td><td class=\"utrecht-table__cell koers-num\">{percent}%</td>",
            actions.len()
        );
        assert!(reply.body.contains(&row), "{row}\n{}", reply.body);
    }
    // 2023 is evaluated: the outcomes, not the statuses, decide.
    assert!(
        !app.store()
            .evaluation_record(
                org,
                app.store()
                    .programme(org, Jaar::new(2023).unwrap())
                    .await
                    .unwrap()
                    .unwrap()
                    .id
            )
            .await
            .unwrap()
            .actions
            .is_empty()
    );
    assert!(
        reply
            .body
            .contains("Acties, realisatie en uren per thema en jaar")
    );
    assert!(reply.body.contains("href=\"/indicatoren/"));
}

async fn the_demo_indicators_are_judged_against_their_targets(app: TestApp) {
    let session = app.login("lezer").await;
    let list = app.get("/indicatoren", &session).await;
    assert_eq!(list.status, StatusCode::OK);
    let indicators = app.store().indicators(app.org().await).await.unwrap();
    assert_eq!(indicators.len(), 5);
    let burglaries = indicators
        .iter()
        .find(|i| i.indicator.name == "Woninginbraken")
        .unwrap();
    // Measurements after the demo's "now" (3 June 2024) are not there.
    assert!(
        indicators
            .iter()
            .flat_map(|i| &i.measurements)
            .all(|m| m.measured_on <= crate::helpers::now().date_naive())
    );
    let page = app
        .get(
            &format!("/indicatoren/{}", burglaries.indicator.id),
            &session,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(svg_count(&page.body), 1);
    // 2023: 109 against a target of 112, lower is better: on track; 2024: 113 against 105.
    assert!(page.body.contains("scope=\"row\">2023</th><td class=\"utrecht-table__cell koers-num\">112</td><td class=\"utrecht-table__cell koers-num\">109</td><td class=\"utrecht-table__cell\"><span class=\"koers-status koers-indicator--op_koers\">Op koers</span>"), "{}", page.body);
    assert!(
        page.body
            .contains("koers-indicator--niet_op_koers\">Niet op koers")
    );
    assert!(
        page.body.contains("Sociale, fysieke")
            || page.body.contains("Inwoners ervaren minder overlast")
    );
    // A lezer sees no forms.
    assert!(!page.body.contains("action=\"/indicatoren/"));
}

fn indicator_form<'a>(name: &'a str, extra: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut form = vec![
        ("versie", "0"),
        ("name", name),
        ("unit", "%"),
        ("direction", "hoger"),
        ("baseline_value", "51,5"),
        ("baseline_year", "2023"),
        ("description", ""),
        ("target_year", "2024"),
        ("target_value", "60"),
        ("target_year", "2025"),
        ("target_value", "70,25"),
        ("target_year", ""),
        ("target_value", ""),
    ];
    form.extend_from_slice(extra);
    form
}

async fn a_beleidsadviseur_creates_an_indicator_and_adds_measurements(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let org = app.org().await;
    let ambition = app
        .store()
        .items(org, koers_store::catalog::Kind::Ambition)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let form = indicator_form("Aangiftebereidheid", &[("ambitions", ambition.as_str())]);
    let created = app.post("/indicatoren", &session, &form).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let id: i64 = created
        .location
        .trim_start_matches("/indicatoren/")
        .parse()
        .unwrap();
    let stored = app.store().indicator(org, id).await.unwrap();
    assert_eq!(stored.indicator.baseline_milli, Some(51_500));
    assert_eq!(stored.targets, [(2024, 60_000), (2025, 70_250)]);
    assert_eq!(stored.ambitions.len(), 1);

    let before = app.get(&created.location, &session).await;
    assert!(before.body.contains("Nog niet gemeten"));
    let added = app
        .post(
            &format!("/indicatoren/{id}/metingen"),
            &session,
            &[
                ("measured_on", "2024-03-31"),
                ("value", "62,5"),
                ("source", "Veiligheidsmonitor"),
                ("note", "Eerste meting"),
            ],
        )
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let after = app.get(&created.location, &session).await;
    // The chart and the table now show the measurement, judged against 2024's target of 60.
    assert!(after.body.contains(">62,5</text>"), "{}", after.body);
    assert!(
        after
            .body
            .contains("2024: streefwaarde 60, gemeten 62,5, op koers.")
    );
    assert!(after.body.contains("Veiligheidsmonitor"));
    let audit = app
        .store()
        .audit_entries(org, &Default::default())
        .await
        .unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.entity == "indicator" && e.entity_id == id && e.operation == "aanmaken")
    );
    assert!(
        audit
            .iter()
            .any(|e| e.entity == "meting" && e.operation == "aanmaken")
    );

    // Edit: a new target row and no ambitions any more.
    let mut edit = indicator_form(
        "Aangiftebereidheid",
        &[("target_year", "2026"), ("target_value", "75")],
    );
    edit[0] = ("versie", "1");
    let saved = app
        .post(&format!("/indicatoren/{id}/bewerken"), &session, &edit)
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = app.store().indicator(org, id).await.unwrap();
    assert_eq!(stored.indicator.version, 2);
    assert_eq!(stored.targets.len(), 3);
    assert!(stored.ambitions.is_empty());

    // The measurement is removed, then the indicator.
    let measurement = stored.measurements[0].id;
    let removed = app
        .post(
            &format!("/indicatoren/{id}/metingen/{measurement}/verwijderen"),
            &session,
            &[],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(
        app.store()
            .indicator(org, id)
            .await
            .unwrap()
            .measurements
            .is_empty()
    );
    let confirm = app
        .get(&format!("/indicatoren/{id}/verwijderen"), &session)
        .await;
    assert_eq!(confirm.status, StatusCode::OK);
    let stale = app
        .post(
            &format!("/indicatoren/{id}/verwijderen"),
            &session,
            &[("versie", "1")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::SEE_OTHER);
    assert!(
        app.store().indicator(org, id).await.is_ok(),
        "an old version deletes nothing"
    );
    let deleted = app
        .post(
            &format!("/indicatoren/{id}/verwijderen"),
            &session,
            &[("versie", "2")],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    assert!(app.store().indicator(org, id).await.is_err());
}

async fn bad_indicator_input_is_refused_next_to_the_field(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let org = app.org().await;
    let count = app.store().indicators(org).await.unwrap().len();
    let reply = app
        .post(
            "/indicatoren",
            &session,
            &[
                ("versie", "0"),
                ("name", " "),
                ("unit", "aantal\u{0}"),
                ("direction", "hoger"),
                ("baseline_value", "veel"),
                ("baseline_year", "2023"),
                ("target_year", "1999"),
                ("target_value", "1"),
                ("target_year", "2024"),
                ("target_value", "tien"),
                ("ambitions", "abc"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Vul de naam van de indicator in.",
        "Vul een jaar in tussen 2000 en 2100.",
        "Vul een getal in, met een komma voor decimalen",
        "id=\"target_value_1-error\"",
        "id=\"target_year_0-error\"",
        "Kies een ambitie uit de lijst.",
    ] {
        assert!(reply.body.contains(message), "{message}\n{}", reply.body);
    }
    // The user's input is kept.
    assert!(reply.body.contains("value=\"tien\""));
    assert_eq!(app.store().indicators(org).await.unwrap().len(), count);

    let id = app.store().indicators(org).await.unwrap()[0].indicator.id;
    let measurements = app
        .store()
        .indicator(org, id)
        .await
        .unwrap()
        .measurements
        .len();
    for (date, value, field) in [
        ("2101-01-01", "1", "Vul een datum in tussen 2000 en 2100."),
        (
            "2024-06-04",
            "1",
            "Een meting kan niet in de toekomst liggen.",
        ),
        ("31-02-2024", "1", "Vul een geldige datum in"),
        ("2024-01-01", "12abc", "Vul een getal in"),
        ("2024-01-01", "99999999999", "Deze waarde is te groot"),
    ] {
        let reply = app
            .post(
                &format!("/indicatoren/{id}/metingen"),
                &session,
                &[
                    ("measured_on", date),
                    ("value", value),
                    ("source", ""),
                    ("note", ""),
                ],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{date} {value}"
        );
        assert!(reply.body.contains(field), "{field}\n{}", reply.body);
        assert!(reply.body.contains(&format!("value=\"{value}\"")));
    }
    assert_eq!(
        app.store()
            .indicator(org, id)
            .await
            .unwrap()
            .measurements
            .len(),
        measurements
    );
    // A name already in use.
    let taken = app
        .post(
            "/indicatoren",
            &session,
            &indicator_form("Woninginbraken", &[]),
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.body.contains("Er is al een indicator met deze naam."));
}

async fn a_concurrent_edit_of_an_indicator_is_a_conflict(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let org = app.org().await;
    let record = app.store().indicators(org).await.unwrap().remove(0);
    let id = record.indicator.id;
    let mut first = indicator_form("Eerste naam", &[]);
    first[0] = ("versie", "1");
    assert_eq!(
        app.post(&format!("/indicatoren/{id}/bewerken"), &session, &first)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let mut second = indicator_form("Tweede naam", &[]);
    second[0] = ("versie", "1");
    let reply = app
        .post(&format!("/indicatoren/{id}/bewerken"), &session, &second)
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert!(
        reply
            .body
            .contains("Iemand anders heeft deze indicator intussen gewijzigd")
    );
    assert!(reply.body.contains("Eerste naam"));
    assert!(reply.body.contains("value=\"Tweede naam\""));
    assert!(reply.body.contains("name=\"versie\" value=\"2\""));
    assert_eq!(
        app.store().indicator(org, id).await.unwrap().indicator.name,
        "Eerste naam"
    );
}

async fn readers_and_other_organisations_cannot_change_indicators(app: TestApp) {
    let org = app.org().await;
    let id = app.store().indicators(org).await.unwrap()[0].indicator.id;
    let reader = app.login("lezer").await;
    assert_eq!(
        app.post("/indicatoren", &reader, &indicator_form("X", &[]))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post(
            &format!("/indicatoren/{id}/metingen"),
            &reader,
            &[("measured_on", "2024-01-01"), ("value", "1")]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/indicatoren/nieuw", &reader).await.status,
        StatusCode::FORBIDDEN
    );
    let (_, other) = app
        .other_organisation(
            "GM9999",
            "ander@elders.example",
            koers_domain::Rol::Beleidsadviseur,
        )
        .await;
    assert_eq!(
        app.get(&format!("/indicatoren/{id}"), &other).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(
            &format!("/indicatoren/{id}/metingen"),
            &other,
            &[("measured_on", "2024-01-01"), ("value", "1")]
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    // An ambition of another organisation cannot be linked.
    let foreign = app
        .store()
        .items(org, koers_store::catalog::Kind::Ambition)
        .await
        .unwrap()[0]
        .id
        .to_string();
    let reply = app
        .post(
            "/indicatoren",
            &other,
            &indicator_form("Eigen", &[("ambitions", foreign.as_str())]),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Kies een waarde uit de lijst."));
}

async fn the_api_changes_indicators_with_if_match_and_reads_the_trends(app: TestApp) {
    use crate::api::{api_key, call};
    use serde_json::json;
    let session = app.login("beleidsadviseur").await;
    let key = api_key(&app, &session).await;
    let body = json!({
        "naam": "Aangiftebereidheid",
        "eenheid": "%",
        "richting": "hoger",
        "nulmeting": {"jaar": 2023, "waarde": 51.5},
        "streefwaarden": [{"jaar": 2024, "waarde": 60}, {"jaar": 2025, "waarde": 70.25}],
        "ambitieIds": []
    });
    let created = call(
        &app,
        "POST",
        "/api/v1/indicatoren",
        Some(&key),
        &[],
        Some(body.clone()),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    let location = created
        .headers
        .get("location")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(created.headers.get("etag").unwrap(), "\"1\"");
    assert_eq!(created.json["streefwaarden"][1]["waarde"], 70.25);
    assert_eq!(created.json["jaren"][0]["beoordeling"], "nog_niet_gemeten");

    // Every problem at once, with the API's field names; a duplicate name is 409.
    let bad = call(
        &app,
        "POST",
        "/api/v1/indicatoren",
        Some(&key),
        &[],
        Some(json!({
            "naam": " ",
            "eenheid": "%",
            "richting": "schuin",
            "streefwaarden": [{"jaar": 1999, "waarde": 1}, {"jaar": 2024, "waarde": 0.0001}]
        })),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let names: Vec<&str> = bad.json["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "naam",
        "richting",
        "streefwaarden[0].jaar",
        "streefwaarden[1].waarde",
    ] {
        assert!(names.contains(&name), "{name}: {}", bad.json);
    }
    let taken = call(
        &app,
        "POST",
        "/api/v1/indicatoren",
        Some(&key),
        &[],
        Some(body.clone()),
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);

    // A measurement, then the judgement of 2024.
    let measurement = call(
        &app,
        "POST",
        &format!("{location}/metingen"),
        Some(&key),
        &[],
        Some(json!({"datum": "2024-03-31", "waarde": 62.5, "bron": "Veiligheidsmonitor"})),
    )
    .await;
    assert_eq!(
        measurement.status,
        StatusCode::CREATED,
        "{}",
        measurement.json
    );
    let future = call(
        &app,
        "POST",
        &format!("{location}/metingen"),
        Some(&key),
        &[],
        Some(json!({"datum": "2024-06-04", "waarde": 1})),
    )
    .await;
    assert_eq!(future.status, StatusCode::BAD_REQUEST);
    assert_eq!(future.json["invalidParams"][0]["name"], "datum");
    let shown = call(&app, "GET", &location, Some(&key), &[], None).await;
    assert_eq!(shown.json["jaren"][0]["gemeten"], 62.5);
    assert_eq!(shown.json["jaren"][0]["beoordeling"], "op_koers");

    // Replacing needs If-Match; an old version is 412.
    let mut changed = body.clone();
    changed["naam"] = json!("Aangiftebereidheid (CBS)");
    let without = call(
        &app,
        "PUT",
        &location,
        Some(&key),
        &[],
        Some(changed.clone()),
    )
    .await;
    assert_eq!(without.status, StatusCode::PRECONDITION_REQUIRED);
    let saved = call(
        &app,
        "PUT",
        &location,
        Some(&key),
        &[("if-match", "\"1\"")],
        Some(changed.clone()),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    assert_eq!(saved.json["versie"], 2);
    let stale = call(
        &app,
        "PUT",
        &location,
        Some(&key),
        &[("if-match", "\"1\"")],
        Some(changed),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);
    let removed = call(
        &app,
        "DELETE",
        &location,
        Some(&key),
        &[("if-match", "\"2\"")],
        None,
    )
    .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(
        call(&app, "GET", &location, Some(&key), &[], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // The trends: one entry per programme year.
    let trends = call(&app, "GET", "/api/v1/trends", Some(&key), &[], None).await;
    assert_eq!(trends.status, StatusCode::OK);
    let years: Vec<i64> = trends
        .json
        .as_array()
        .unwrap()
        .iter()
        .map(|y| y["jaar"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2023, 2024]);
    let total = &trends.json[1]["totaal"];
    assert_eq!(
        total["acties"].as_u64().unwrap() as usize,
        actions_of(&app, 2024).await.len()
    );
}
