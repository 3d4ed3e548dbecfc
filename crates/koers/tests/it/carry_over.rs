//! Carrying actions over into next year's programme, and the lineage of an action across years.

use crate::helpers::{TestApp, each_database};
use axum::http::StatusCode;
use koers_domain::{Herkomst, Jaar, Status};
use koers_store::actions::{ActionDetail, ActionFilter};
use koers_store::audit::AuditFilter;
use koers_store::catalog::Kind;

each_database!(
    carry_over_proposes_the_continuing_actions_and_creates_each_once,
    a_code_clash_shows_next_to_the_code_and_creates_nothing,
    the_lineage_of_an_action_shows_on_each_page_across_three_years,
    a_second_successor_and_an_unlinked_carry_over_are_refused,
    carry_over_is_for_plan_editors_of_the_organisation,
    bad_input_to_the_carry_over_page_is_never_a_server_error,
    the_api_refuses_a_second_successor_and_an_unlinked_carry_over,
);

fn year(y: i64) -> Jaar {
    Jaar::new(y).unwrap()
}

async fn programme_id(app: &TestApp, y: i64) -> Option<i64> {
    let org = app.org().await;
    app.store()
        .programme(org, year(y))
        .await
        .unwrap()
        .map(|p| p.id)
}

async fn action(app: &TestApp, y: i64, code: &str) -> ActionDetail {
    let org = app.org().await;
    let programme = programme_id(app, y).await.unwrap();
    app.store()
        .action_by_code(org, programme, code)
        .await
        .unwrap()
}

async fn codes(app: &TestApp, y: i64) -> Vec<String> {
    let org = app.org().await;
    match programme_id(app, y).await {
        Some(id) => app
            .store()
            .actions(org, id, &ActionFilter::default())
            .await
            .unwrap()
            .into_iter()
            .map(|a| a.code)
            .collect(),
        None => Vec::new(),
    }
}

/// Records how the year ended for an action, directly in the database: the evaluation pages
/// are not what these tests are about.
async fn evaluate(app: &TestApp, action_id: i64, outcome: &str, reason: &str) {
    let org = app.org().await;
    app.store()
        .execute_raw(&format!(
            "DELETE FROM action_evaluations WHERE action_id = {action_id}; \
             INSERT INTO action_evaluations (organisation_id, action_id, outcome, reason, evaluated_by, evaluated_at) \
             VALUES ({org}, {action_id}, '{outcome}', '{reason}', 'test', '2025-01-15 10:00:00')"
        ))
        .await
        .unwrap();
}

/// Forgets every evaluation of programme `y`, so a test starts from a known state.
async fn forget_evaluations(app: &TestApp, y: i64) {
    let programme = programme_id(app, y).await.unwrap();
    app.store()
        .execute_raw(&format!(
            "DELETE FROM action_evaluations WHERE action_id IN \
             (SELECT id FROM actions WHERE programme_id = {programme})"
        ))
        .await
        .unwrap();
    // A change behind Koers' back; raising the revision as every change through Koers does
    // makes the cached pages (ops::read_model) follow it.
    app.store()
        .execute_raw("UPDATE organisations SET revision = revision + 1")
        .await
        .unwrap();
}

/// The first `n` actions of 2024 by code (none of them continued yet: there is no 2025).
async fn first_actions_2024(app: &TestApp, n: usize) -> Vec<ActionDetail> {
    let mut found = Vec::new();
    for code in codes(app, 2024).await.into_iter().take(n) {
        found.push(action(app, 2024, &code).await);
    }
    found
}

/// The form of the carry-over page as proposed: every proposed action checked with its own code
/// and theme.
fn proposed_form(actions: &[&ActionDetail]) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for a in actions {
        let id = a.action.id;
        form.push(("actie".to_string(), id.to_string()));
        form.push((format!("code_{id}"), a.action.code.clone()));
        form.push((format!("thema_{id}"), a.action.theme_id.to_string()));
    }
    form
}

fn set(form: &mut [(String, String)], name: &str, value: &str) {
    for (k, v) in form.iter_mut() {
        if k == name {
            *v = value.to_string();
        }
    }
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn carry_over_proposes_the_continuing_actions_and_creates_each_once(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let org = app.org().await;
    forget_evaluations(&app, 2024).await;
    let actions = first_actions_2024(&app, 6).await;
    let [a, b, c, d, e, unevaluated] = &actions[..] else {
        panic!("the demo's 2024 programme has at least six actions")
    };
    evaluate(&app, a.action.id, "doorgeschoven", "Wachten op de partner").await;
    evaluate(&app, b.action.id, "doorlopend", "").await;
    evaluate(&app, c.action.id, "deels_gerealiseerd", "").await;
    evaluate(&app, d.action.id, "gerealiseerd", "").await;
    evaluate(&app, e.action.id, "niet_gerealiseerd", "Geen capaciteit").await;

    let programme_page = app.get("/programma/2024", &session).await.body;
    assert!(programme_page.contains("href=\"/programma/2024/doorschuiven\""));
    assert!(programme_page.contains("Programma 2025 voorbereiden"));

    let page = app.get("/programma/2024/doorschuiven", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Programma 2025 voorbereiden"));
    assert_eq!(
        page.body.matches("name=\"actie\"").count(),
        3,
        "exactly the doorgeschoven, doorlopend and deels gerealiseerde actions are proposed"
    );
    for proposed in [a, b, c] {
        assert!(page.body.contains(&format!(
            "name=\"actie\" value=\"{}\" checked",
            proposed.action.id
        )));
    }
    for not_proposed in [d, e, unevaluated] {
        assert!(!page.body.contains(&format!(
            "name=\"actie\" value=\"{}\"",
            not_proposed.action.id
        )));
    }
    assert!(page.body.contains("Wachten op de partner"));
    assert!(page.body.contains(&format!(
        "href=\"/programma/2024/evaluatie/acties/{}\"",
        unevaluated.action.code
    )));

    let capacity_before = app.store().capacity(org).await.unwrap();
    let participation_before = app.store().participation(org).await.unwrap();
    assert!(programme_id(&app, 2025).await.is_none());

    // A goes over under another code and theme, B as proposed, C stays behind.
    let other_theme = app
        .store()
        .items(org, Kind::Theme)
        .await
        .unwrap()
        .into_iter()
        .find(|t| !t.retired && t.id != a.action.theme_id)
        .unwrap();
    let mut form = proposed_form(&[a, b]);
    set(&mut form, &format!("code_{}", a.action.id), "iv9-01");
    set(
        &mut form,
        &format!("thema_{}", a.action.id),
        &other_theme.id.to_string(),
    );
    form.push((format!("code_{}", c.action.id), c.action.code.clone()));
    form.push((
        format!("thema_{}", c.action.id),
        c.action.theme_id.to_string(),
    ));
    let done = app
        .post("/programma/2024/doorschuiven", &session, &pairs(&form))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location, "/programma/2025");
    let programme_2025 = app
        .store()
        .programme(org, year(2025))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(programme_2025.status.code(), "concept");
    assert!(programme_2025.title.contains("2025"));
    let mut created = codes(&app, 2025).await;
    created.sort();
    let mut expected = vec!["IV9-01".to_string(), b.action.code.clone()];
    expected.sort();
    assert_eq!(created, expected);

    // The new actions continue the old ones with their fields as a starting point.
    let moved = action(&app, 2025, "IV9-01").await;
    assert_eq!(moved.action.predecessor_id, Some(a.action.id));
    assert_eq!(moved.action.origin, Herkomst::Doorgeschoven);
    assert_eq!(moved.action.status, Status::NietGestart);
    assert_eq!(moved.action.hours_spent, 0);
    assert_eq!(moved.action.theme_id, other_theme.id);
    assert_eq!(
        moved.action.ambition_id, None,
        "an ambition belongs to the old theme"
    );
    assert_eq!(moved.action.title, a.action.title);
    assert_eq!(moved.action.description, a.action.description);
    assert_eq!(moved.action.intended_result, a.action.intended_result);
    assert_eq!(moved.action.lead_subteam_id, a.action.lead_subteam_id);
    assert_eq!(moved.action.quarters, a.action.quarters);
    assert_eq!(moved.action.planned_hours, a.action.planned_hours);
    assert_eq!(moved.action.priority, a.action.priority);
    assert_eq!(moved.contributing_subteam_ids, a.contributing_subteam_ids);
    assert_eq!(moved.partner_ids, a.partner_ids);
    assert_eq!(moved.opgave_ids, a.opgave_ids);
    let same = action(&app, 2025, &b.action.code).await;
    assert_eq!(same.action.predecessor_id, Some(b.action.id));
    assert_eq!(same.action.theme_id, b.action.theme_id);
    assert_eq!(same.action.ambition_id, b.action.ambition_id);
    assert_eq!(same.opgave_ids, b.opgave_ids);
    assert!(
        action(&app, 2024, &c.action.code)
            .await
            .successors
            .is_empty(),
        "an unchecked action stays behind"
    );

    // FTE and participation of 2024 are the starting point of 2025.
    let capacity = app.store().capacity(org).await.unwrap();
    let fte_of = |rows: &[(i64, i64, koers_domain::Fte)], y: i64| {
        rows.iter()
            .filter(|(_, ry, _)| *ry == y)
            .map(|(s, _, f)| (*s, *f))
            .collect::<Vec<_>>()
    };
    assert!(!fte_of(&capacity_before, 2024).is_empty());
    assert_eq!(fte_of(&capacity, 2025), fte_of(&capacity_before, 2024));
    let taking_part = |rows: &[(i64, i64)], y: i64| {
        rows.iter()
            .filter(|(_, ry)| *ry == y)
            .map(|(o, _)| *o)
            .collect::<Vec<_>>()
    };
    assert!(!taking_part(&participation_before, 2024).is_empty());
    assert_eq!(
        taking_part(&app.store().participation(org).await.unwrap(), 2025),
        taking_part(&participation_before, 2024)
    );

    // The audit log says where each new action came from.
    let audit = app
        .store()
        .audit_entries(
            org,
            &AuditFilter {
                entity: Some("actie".into()),
                entity_id: Some(moved.action.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert!(audit.iter().any(|e| {
        e.summary
            .starts_with(&format!("Doorgeschoven uit 2024 ({})", a.action.code))
    }));

    // Running it again creates nothing twice and overwrites no FTE set since.
    let (subteam, _, _) = fte_of(&capacity, 2025)
        .first()
        .map(|(s, f)| (*s, 2025, *f))
        .unwrap();
    let subteam_item = app.store().item(org, Kind::Subteam, subteam).await.unwrap();
    let actor = koers_store::Actor {
        organisation_id: org,
        user_id: None,
        user_name: "test".into(),
        now: crate::helpers::now(),
    };
    let changed_fte = koers_domain::Fte::from_hundredths(950).unwrap();
    app.store()
        .save_capacity(
            &actor,
            &[koers_store::catalog::CapacityCell {
                subteam_id: subteam_item.id,
                year: 2025,
                fte: changed_fte,
                persons: None,
            }],
        )
        .await
        .unwrap();
    let again = app
        .post("/programma/2024/doorschuiven", &session, &pairs(&form))
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);
    assert_eq!(codes(&app, 2025).await.len(), 2);
    assert!(app.store().capacity(org).await.unwrap().contains(&(
        subteam_item.id,
        2025,
        changed_fte
    )));
    let page = app.get("/programma/2024/doorschuiven", &session).await.body;
    assert!(page.contains("al overgenomen als"));
    assert!(page.contains("href=\"/programma/2025/acties/IV9-01\""));
    assert_eq!(page.matches("name=\"actie\"").count(), 1, "only C is left");
}

async fn a_code_clash_shows_next_to_the_code_and_creates_nothing(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    forget_evaluations(&app, 2024).await;
    let actions = first_actions_2024(&app, 3).await;
    let [a, b, c] = &actions[..] else {
        panic!("three actions")
    };
    for x in [a, b, c] {
        evaluate(&app, x.action.id, "doorlopend", "").await;
    }
    // Two actions under one code: the second gets the message, and nothing is created.
    let mut form = proposed_form(&[a, b]);
    set(&mut form, &format!("code_{}", b.action.id), &a.action.code);
    let clash = app
        .post("/programma/2024/doorschuiven", &session, &pairs(&form))
        .await;
    assert_eq!(clash.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(clash.body.contains(&format!(
        "De code {} is hierboven al gekozen voor een andere actie.",
        a.action.code
    )));
    assert!(
        clash
            .body
            .contains(&format!("id=\"code_{}-error\"", b.action.id))
    );
    assert!(
        programme_id(&app, 2025).await.is_none(),
        "nothing was created"
    );

    // A retired theme or a retired lead subteam cannot start next year.
    let org = app.org().await;
    let actor = koers_store::Actor {
        organisation_id: org,
        user_id: None,
        user_name: "test".into(),
        now: crate::helpers::now(),
    };
    let retired_theme = app
        .store()
        .items(org, Kind::Theme)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.id != a.action.theme_id)
        .unwrap();
    app.store()
        .set_item_retired(&actor, Kind::Theme, retired_theme.id, true)
        .await
        .unwrap();
    app.store()
        .set_item_retired(&actor, Kind::Subteam, b.action.lead_subteam_id, true)
        .await
        .unwrap();
    let mut retired = proposed_form(&[a, b]);
    set(
        &mut retired,
        &format!("thema_{}", a.action.id),
        &retired_theme.id.to_string(),
    );
    let refused = app
        .post("/programma/2024/doorschuiven", &session, &pairs(&retired))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(&format!(
        "Kies een thema uit de lijst voor {}.",
        a.action.code
    )));
    assert!(refused.body.contains(&format!(
        "Het trekkende subteam van {} is niet meer in gebruik.",
        b.action.code
    )));
    assert!(programme_id(&app, 2025).await.is_none());
    app.store()
        .set_item_retired(&actor, Kind::Theme, retired_theme.id, false)
        .await
        .unwrap();
    app.store()
        .set_item_retired(&actor, Kind::Subteam, b.action.lead_subteam_id, false)
        .await
        .unwrap();

    // A code that cannot be a code is refused before the store sees it; the input stays.
    let mut bad = proposed_form(&[a]);
    set(&mut bad, &format!("code_{}", a.action.id), "1 fout\u{0}");
    let refused = app
        .post("/programma/2024/doorschuiven", &session, &pairs(&bad))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(programme_id(&app, 2025).await.is_none());

    // Once 2025 holds a code, carrying another action over under it is refused as well.
    let first = app
        .post(
            "/programma/2024/doorschuiven",
            &session,
            &pairs(&proposed_form(&[a])),
        )
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let mut taken = proposed_form(&[c]);
    set(&mut taken, &format!("code_{}", c.action.id), &a.action.code);
    let refused = app
        .post("/programma/2024/doorschuiven", &session, &pairs(&taken))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains(&format!(
        "De code {} is in programma 2025 al in gebruik.",
        a.action.code
    )));
    assert!(
        refused
            .body
            .contains(&format!("value=\"{}\"", a.action.code))
    );
    assert_eq!(codes(&app, 2025).await, vec![a.action.code.clone()]);
}

async fn the_lineage_of_an_action_shows_on_each_page_across_three_years(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    // In the demo, IV1-03 of 2024 continues IV1-03 of 2023.
    let middle = action(&app, 2024, "IV1-03").await;
    let first = middle.action.predecessor_id.unwrap();
    evaluate(&app, middle.action.id, "doorlopend", "").await;
    let mut form = proposed_form(&[&middle]);
    set(&mut form, &format!("code_{}", middle.action.id), "IV1-03");
    let done = app
        .post("/programma/2024/doorschuiven", &session, &pairs(&form))
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let last = action(&app, 2025, "IV1-03").await;
    assert_eq!(last.action.predecessor_id, Some(middle.action.id));
    let org = app.org().await;
    let chain = app
        .store()
        .action_lineage(org, middle.action.id)
        .await
        .unwrap();
    assert_eq!(
        chain.iter().map(|s| (s.year, s.id)).collect::<Vec<_>>(),
        vec![
            (2023, first),
            (2024, middle.action.id),
            (2025, last.action.id)
        ]
    );
    for y in [2023, 2024, 2025] {
        let page = app
            .get(&format!("/programma/{y}/acties/IV1-03"), &session)
            .await
            .body;
        assert!(page.contains("Verloop over de jaren"), "{y}");
        for other in [2023, 2024, 2025].into_iter().filter(|o| *o != y) {
            assert!(
                page.contains(&format!("href=\"/programma/{other}/acties/IV1-03\"")),
                "the page of {y} links to {other}"
            );
        }
        let current_row = page
            .split("<tr")
            .skip(1)
            .find(|row| row.contains("aria-current=\"page\""))
            .unwrap();
        assert!(
            current_row.contains(&format!(">{y}<")),
            "{y} is marked current"
        );
    }
    let evaluated = app
        .get("/programma/2024/acties/IV1-03", &session)
        .await
        .body;
    assert!(evaluated.contains("Eindstand 2024: Doorlopend"));
    // Continued without an evaluation (the demo's 2023): the end state is where it went, and
    // the last progress status is history.
    forget_evaluations(&app, 2023).await;
    let oldest = app
        .get("/programma/2023/acties/IV1-03", &session)
        .await
        .body;
    assert!(oldest.contains("koers-status--doorgeschoven\">Doorgeschoven naar 2024</span>"));
    assert!(oldest.contains("Laatste voortgangsmelding"));
    assert!(evaluated.contains("Doorgeschoven naar 2025 als"));
}

async fn a_second_successor_and_an_unlinked_carry_over_are_refused(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    forget_evaluations(&app, 2024).await;
    let actions = first_actions_2024(&app, 2).await;
    let [a, b] = &actions[..] else {
        panic!("two actions")
    };
    evaluate(&app, a.action.id, "doorgeschoven", "Later begonnen").await;
    evaluate(&app, b.action.id, "gerealiseerd", "").await;
    let done = app
        .post(
            "/programma/2024/doorschuiven",
            &session,
            &pairs(&proposed_form(&[a])),
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);

    // The predecessor list of 2025 offers what is not continued yet, with its end state,
    // the carry-over candidates first.
    let new_form = app.get("/programma/2025/acties/nieuw", &session).await.body;
    assert!(!new_form.contains(&format!("<option value=\"{}\"", a.action.id)));
    let option = new_form
        .split(&format!("<option value=\"{}\">", b.action.id))
        .nth(1)
        .and_then(|rest| rest.split("</option>").next())
        .unwrap();
    assert!(option.starts_with(&b.action.code) && option.ends_with(" — Gerealiseerd"));

    let mut form = crate::helpers::action_form(&app, 2024, &b.action.code).await;
    set(&mut form, "versie", "0");
    set(&mut form, "code", "NIEUW-1");
    set(&mut form, "origin", "doorgeschoven");
    set(&mut form, "predecessor_id", &a.action.id.to_string());
    let second = app
        .post("/programma/2025/acties", &session, &pairs(&form))
        .await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(second.body.contains(&format!(
        "Actie {} van 2024 wordt al voortgezet door {} in 2025.",
        a.action.code, a.action.code
    )));

    // The database itself refuses a second successor, behind the application's back too.
    let other = action(&app, 2024, &b.action.code).await;
    let raw = app
        .store()
        .execute_raw(&format!(
            "UPDATE actions SET predecessor_id = {} WHERE id = {}",
            a.action.id, other.action.id
        ))
        .await;
    assert!(
        raw.is_err(),
        "a second successor is refused by the database"
    );

    // Doorgeschoven without a predecessor: refused when last year is in Koers...
    set(&mut form, "predecessor_id", "");
    let unlinked = app
        .post("/programma/2025/acties", &session, &pairs(&form))
        .await;
    assert_eq!(unlinked.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unlinked
            .body
            .contains("Een doorgeschoven actie zet een actie uit 2024 voort.")
    );
    assert_eq!(codes(&app, 2025).await, vec![a.action.code.clone()]);
    // ...and allowed in the first year, which has nothing before it.
    let mut first_year = crate::helpers::action_form(&app, 2023, "IV1-01").await;
    set(&mut first_year, "code", "IV1-77");
    set(&mut first_year, "origin", "doorgeschoven");
    set(&mut first_year, "predecessor_id", "");
    let allowed = app
        .post("/programma/2023/acties", &session, &pairs(&first_year))
        .await;
    assert_eq!(allowed.status, StatusCode::SEE_OTHER, "{}", allowed.body);
    let hint = app.get("/programma/2023/acties/nieuw", &session).await.body;
    assert!(hint.contains("Er is geen programma 2022 in Koers."));
}

async fn carry_over_is_for_plan_editors_of_the_organisation(app: TestApp) {
    let reader = app.login("lezer").await;
    assert_eq!(
        app.get("/programma/2024/doorschuiven", &reader)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let refused = app.post("/programma/2024/doorschuiven", &reader, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(programme_id(&app, 2025).await.is_none());
    let (_, other) = app
        .other_organisation(
            "GM9999",
            "adviseur@elders.test",
            koers_domain::Rol::Beleidsadviseur,
        )
        .await;
    assert_eq!(
        app.get("/programma/2024/doorschuiven", &other).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post("/programma/2024/doorschuiven", &other, &[])
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert!(programme_id(&app, 2025).await.is_none());
}

async fn bad_input_to_the_carry_over_page_is_never_a_server_error(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    forget_evaluations(&app, 2024).await;
    let actions = first_actions_2024(&app, 1).await;
    let a = &actions[0];
    evaluate(&app, a.action.id, "doorlopend", "").await;
    let nasty = [
        "\u{0}",
        "a\u{7}b",
        "-1",
        "0",
        "99999999999999999999999",
        "-9223372036854775808",
        "' OR 1=1 --",
        "IV1-03\u{0}",
        "🙂",
    ]
    .into_iter()
    .map(str::to_string)
    .chain(["X".repeat(10_000)])
    .collect::<Vec<_>>();
    let base = proposed_form(&[a]);
    for value in &nasty {
        let segment: String = value.bytes().map(|b| format!("%{b:02X}")).collect();
        for path in [
            format!("/programma/{segment}/doorschuiven"),
            "/programma/2100/doorschuiven".to_string(),
        ] {
            let reply = app.get(&path, &session).await;
            assert!(
                reply.status.is_client_error(),
                "GET {path}: {}",
                reply.status
            );
            let reply = app.post(&path, &session, &[("actie", value)]).await;
            assert!(
                reply.status.is_client_error(),
                "POST {path}: {}",
                reply.status
            );
        }
        for field in 0..base.len() {
            let mut form = base.clone();
            form[field].1 = value.clone();
            let reply = app
                .post("/programma/2024/doorschuiven", &session, &pairs(&form))
                .await;
            assert!(
                reply.status.is_client_error(),
                "{} = {value:?}: {}",
                form[field].0,
                reply.status
            );
        }
    }
    assert!(
        programme_id(&app, 2025).await.is_none(),
        "nothing was created"
    );
}

async fn the_api_refuses_a_second_successor_and_an_unlinked_carry_over(app: TestApp) {
    use axum::body::Body;
    use axum::http::{Request, header};
    let session = app.login("beleidsadviseur").await;
    let made = app
        .post("/account/api-sleutels", &session, &[("name", "test")])
        .await;
    let start = made.body.find("koers_").unwrap();
    let key: String = made.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let continued = action(&app, 2024, "IV1-03").await;
    let body = |predecessor: serde_json::Value| {
        serde_json::json!({
            "code": "IV1-97",
            "titel": "Nog een voortzetting",
            "themaId": continued.action.theme_id,
            "trekkerId": continued.action.lead_subteam_id,
            "kwartalen": [1],
            "geplandeUren": 8,
            "prioriteit": "laag",
            "herkomst": "doorgeschoven",
            "voorgangerId": predecessor
        })
    };
    for (predecessor, message) in [
        (
            serde_json::json!(continued.action.predecessor_id.unwrap()),
            "Actie IV1-03 van 2023 wordt al voortgezet door IV1-03 in 2024.",
        ),
        (
            serde_json::Value::Null,
            "Een doorgeschoven actie zet een actie uit 2023 voort.",
        ),
    ] {
        let request = Request::post("/api/v1/programmas/2024/acties")
            .header(header::AUTHORIZATION, format!("Bearer {key}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body(predecessor).to_string()))
            .unwrap();
        let reply = app.request(request).await;
        assert!(reply.status.is_client_error(), "{}", reply.body);
        let json: serde_json::Value = serde_json::from_str(&reply.body).unwrap();
        assert_eq!(json["invalidParams"][0]["name"], "voorgangerId", "{json}");
        assert!(reply.body.contains(message), "{}", reply.body);
    }
    assert!(!codes(&app, 2024).await.contains(&"IV1-97".to_string()));
}
