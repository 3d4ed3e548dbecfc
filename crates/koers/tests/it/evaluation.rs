//! The evaluation of a programme year through its pages and the API, on both databases: the
//! outcome per action (prefilled, reasons required), the figures and the filters behind them,
//! the texts, attention points and last year's follow-up, hours corrections, optimistic
//! locking, roles, tenants, and an adopted evaluation that refuses changes.

use crate::helpers::{TestApp, each_database};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use koers_domain::{Jaar, Uitkomst};
use koers_store::actions::{ActionFilter, ActionRow};
use koers_store::evaluation::EvaluationRecord;
use std::collections::BTreeSet;

async fn programme_id(app: &TestApp, year: i64) -> i64 {
    let org = app.org().await;
    app.store()
        .programme(org, Jaar::new(year).unwrap())
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn actions(app: &TestApp, year: i64) -> Vec<ActionRow> {
    let org = app.org().await;
    app.store()
        .actions(org, programme_id(app, year).await, &ActionFilter::default())
        .await
        .unwrap()
}

async fn record(app: &TestApp, year: i64) -> EvaluationRecord {
    let org = app.org().await;
    app.store()
        .evaluation_record(org, programme_id(app, year).await)
        .await
        .unwrap()
}

/// The action codes listed in the actions table of the evaluation page.
fn listed_codes(body: &str) -> BTreeSet<String> {
    body.split("<td class=\"utrecht-table__cell koers-code\">")
        .skip(1)
        .map(|rest| rest.split('<').next().unwrap().to_string())
        .collect()
}

async fn evaluate(
    app: &TestApp,
    session: &str,
    code: &str,
    outcome: &str,
    reason: &str,
    version: &str,
) -> crate::helpers::Reply {
    app.post(
        &format!("/programma/2023/evaluatie/acties/{code}"),
        session,
        &[
            ("versie", version),
            ("outcome", outcome),
            ("reason", reason),
            ("achieved", "Acht van de tien controles gedaan."),
            ("lesson", "Eerder plannen met de partners."),
        ],
    )
    .await
}

async fn api_get(app: &TestApp, session: &str, path: &str) -> (StatusCode, serde_json::Value) {
    let reply = app
        .post("/account/api-sleutels", session, &[("name", "evaluatie")])
        .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let start = reply.body.find("koers_").unwrap();
    let key: String = reply.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let request = Request::get(path)
        .header(header::AUTHORIZATION, format!("Bearer {key}"))
        .body(Body::empty())
        .unwrap();
    let reply = app.request(request).await;
    let json = serde_json::from_str(&reply.body).unwrap_or(serde_json::Value::Null);
    (reply.status, json)
}

/// The demo's evaluation of 2023 is complete and adopted. These tests evaluate 2023 from the
/// start, so they remove what the demo wrote (evaluation rows are not append-only; the frozen
/// versions stay, as they would).
async fn without_the_demo_evaluation(app: &TestApp) {
    let programme = programme_id(app, 2023).await;
    for sql in [
        format!(
            "DELETE FROM action_evaluations WHERE action_id IN \
             (SELECT id FROM actions WHERE programme_id = {programme})"
        ),
        format!(
            "DELETE FROM theme_conclusions WHERE evaluation_id IN \
             (SELECT id FROM evaluations WHERE programme_id = {programme})"
        ),
        format!(
            "DELETE FROM attention_points WHERE evaluation_id IN \
             (SELECT id FROM evaluations WHERE programme_id = {programme})"
        ),
        format!("DELETE FROM evaluations WHERE programme_id = {programme}"),
    ] {
        app.store().execute_raw(&sql).await.unwrap();
    }
    assert!(record(app, 2023).await.evaluation.is_none());
}

async fn a_beleidsadviseur_evaluates_actions_and_the_figures_follow(app: TestApp) {
    without_the_demo_evaluation(&app).await;
    let session = app.login("beleidsadviseur").await;
    let all = actions(&app, 2023).await;
    let before = record(&app, 2023).await;
    let evaluated_before = before.actions.len();
    let page = app.get("/programma/2023/evaluatie", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Evaluatie 2023"));
    assert!(
        page.body.contains(&format!(
            "{evaluated_before} van {} acties geëvalueerd",
            all.len()
        )),
        "{}",
        page.body
    );
    assert!(page.body.contains("href=\"/programma/2023/vaststelling\""));
    assert!(
        page.body
            .contains("href=\"/programma/2023/evaluatie?uitkomst=gerealiseerd#acties\"")
    );

    // Two actions nobody has evaluated yet.
    let open: Vec<&ActionRow> = all
        .iter()
        .filter(|a| !before.actions.iter().any(|e| e.action_id == a.id))
        .collect();
    assert!(open.len() >= 3, "the demo leaves actions to evaluate");
    let (first, second) = (open[0], open[1]);

    // The form is prefilled with the outcome the last progress suggests, labelled as such.
    let suggestion = Uitkomst::suggested_by(first.status);
    let form = app
        .get(
            &format!("/programma/2023/evaluatie/acties/{}", first.code),
            &session,
        )
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(
        form.body
            .contains(&format!("value=\"{}\" checked", suggestion.code())),
        "prefilled with {suggestion:?}"
    );
    assert!(
        form.body
            .contains("Voorstel op basis van de laatste voortgangsmelding")
    );

    // A reason is required where planned work did not happen; nothing is saved without it.
    for outcome in ["doorgeschoven", "niet_gerealiseerd", "geannuleerd"] {
        let reply = evaluate(&app, &session, &first.code, outcome, "  ", "0").await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{outcome}");
        assert!(reply.body.contains("id=\"reason-error\""), "{outcome}");
        assert!(reply.body.contains("Geef een reden"));
        assert!(
            reply.body.contains("Acht van de tien controles gedaan."),
            "input kept"
        );
    }
    let control = app
        .post(
            &format!("/programma/2023/evaluatie/acties/{}", first.code),
            &session,
            &[
                ("versie", "0"),
                ("outcome", "gerealiseerd"),
                ("lesson", "a\u{1}b"),
            ],
        )
        .await;
    assert_eq!(control.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(control.body.contains("id=\"lesson-error\""));
    let nul = evaluate(&app, &session, &first.code, "gerealiseerd", "a\0b", "0").await;
    assert_eq!(nul.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(record(&app, 2023).await.actions.len(), evaluated_before);

    // Saved: on to the next action without an evaluation.
    let saved = evaluate(&app, &session, &first.code, "gerealiseerd", "", "0").await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(
        saved
            .location
            .starts_with("/programma/2023/evaluatie/acties/"),
        "{}",
        saved.location
    );
    assert_ne!(
        saved.location,
        format!("/programma/2023/evaluatie/acties/{}", first.code)
    );
    let saved = evaluate(
        &app,
        &session,
        &second.code,
        "doorgeschoven",
        "Geen capaciteit",
        "0",
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);

    let after = record(&app, 2023).await;
    assert_eq!(after.actions.len(), evaluated_before + 2);
    let stored = after
        .actions
        .iter()
        .find(|e| e.action_id == second.id)
        .unwrap();
    assert_eq!(stored.outcome, Uitkomst::Doorgeschoven);
    assert_eq!(stored.reason, "Geen capaciteit");
    assert_eq!(stored.version, 1);

    // A stale version is a conflict that shows the other save and keeps the input.
    let stale = evaluate(&app, &session, &second.code, "gerealiseerd", "", "0").await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("intussen"));
    let changed = evaluate(
        &app,
        &session,
        &second.code,
        "niet_gerealiseerd",
        "Vervallen",
        "1",
    )
    .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let stale = evaluate(&app, &session, &second.code, "gerealiseerd", "", "1").await;
    assert_eq!(stale.status, StatusCode::CONFLICT);

    // The figures count the outcomes, and each filter lists exactly the actions behind it.
    let after = record(&app, 2023).await;
    let outcome_of = |a: &ActionRow| {
        after
            .actions
            .iter()
            .find(|e| e.action_id == a.id)
            .map(|e| e.outcome)
    };
    let page = app.get("/programma/2023/evaluatie", &session).await;
    assert!(page.body.contains(&format!(
        "{} van {} acties geëvalueerd",
        evaluated_before + 2,
        all.len()
    )));
    for outcome in Uitkomst::ALL {
        let expected: BTreeSet<String> = all
            .iter()
            .filter(|a| outcome_of(a) == Some(outcome))
            .map(|a| a.code.clone())
            .collect();
        let list = app
            .get(
                &format!("/programma/2023/evaluatie?uitkomst={}", outcome.code()),
                &session,
            )
            .await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(listed_codes(&list.body), expected, "{outcome:?}");
    }
    let theme = first.theme_id;
    let expected: BTreeSet<String> = all
        .iter()
        .filter(|a| a.theme_id == theme && outcome_of(a).is_none())
        .map(|a| a.code.clone())
        .collect();
    let list = app
        .get(
            &format!("/programma/2023/evaluatie?thema={theme}&uitkomst=open"),
            &session,
        )
        .await;
    assert_eq!(listed_codes(&list.body), expected);
    let unescaped = page.body.replace("&#38;", "&").replace("&amp;", "&");
    assert!(unescaped.contains(&format!(
        "href=\"/programma/2023/evaluatie?thema={theme}&uitkomst=open#acties\""
    )));
    let subteam = second.lead_subteam_id;
    let expected: BTreeSet<String> = all
        .iter()
        .filter(|a| a.lead_subteam_id == subteam)
        .map(|a| a.code.clone())
        .collect();
    let list = app
        .get(
            &format!("/programma/2023/evaluatie?subteam={subteam}"),
            &session,
        )
        .await;
    assert_eq!(listed_codes(&list.body), expected);
    assert_eq!(
        listed_codes(&app.get("/programma/2023/evaluatie", &session).await.body).len(),
        all.len()
    );
    for bad in [
        "uitkomst=misschien",
        "thema=abc",
        "subteam=-1",
        "uitkomst=%00",
    ] {
        let reply = app
            .get(&format!("/programma/2023/evaluatie?{bad}"), &session)
            .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
    }

    // The API serves the same figures.
    let (status, json) = api_get(&app, &session, "/api/v1/programmas/2023/evaluatie").await;
    assert_eq!(status, StatusCode::OK, "{json}");
    let total = &json["kengetallen"]["totaal"];
    assert_eq!(total["acties"], all.len());
    assert_eq!(total["nietGeevalueerd"], all.len() - evaluated_before - 2);
    for outcome in Uitkomst::ALL {
        let n = all
            .iter()
            .filter(|a| outcome_of(a) == Some(outcome))
            .count();
        let key = match outcome {
            Uitkomst::DeelsGerealiseerd => "deelsGerealiseerd",
            Uitkomst::NietGerealiseerd => "nietGerealiseerd",
            other => other.code(),
        };
        assert_eq!(total["perUitkomst"][key], n, "{outcome:?}");
    }
    let listed = json["acties"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["code"] == second.code.as_str())
        .unwrap()
        .clone();
    assert_eq!(listed["evaluatie"]["uitkomst"], "niet_gerealiseerd");
    assert_eq!(listed["evaluatie"]["reden"], "Vervallen");
    let (status, _) = api_get(&app, &session, "/api/v1/programmas/2031/evaluatie").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn texts_conclusions_and_attention_points_carry_into_next_year(app: TestApp) {
    without_the_demo_evaluation(&app).await;
    let session = app.login("beleidsadviseur").await;
    let form = app.get("/programma/2023/evaluatie/teksten", &session).await;
    assert_eq!(form.status, StatusCode::OK);
    let version = |body: &str| {
        let start = body.find("name=\"versie\" value=\"").unwrap() + 21;
        body[start..].split('"').next().unwrap().to_string()
    };
    let v = version(&form.body);
    let texts = |conclusions: &'static str, v: String| {
        let session = session.clone();
        let app = &app;
        async move {
            app.post(
                "/programma/2023/evaluatie/teksten",
                &session,
                &[
                    ("versie", v.as_str()),
                    ("conclusions", conclusions),
                    ("trends", "Meer meldingen over woonoverlast."),
                ],
            )
            .await
        }
    };
    let saved = texts("De meeste acties zijn uitgevoerd.", v.clone()).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stale = texts("Een andere conclusie.", v.clone()).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.body.contains("De meeste acties zijn uitgevoerd."),
        "theirs shown"
    );
    assert!(stale.body.contains("Een andere conclusie."), "yours kept");
    let nul = texts("a\0b", version(&stale.body)).await;
    assert_eq!(nul.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nul.body.contains("id=\"conclusions-error\""));
    let page = app.get("/programma/2023/evaluatie", &session).await;
    assert!(page.body.contains("De meeste acties zijn uitgevoerd."));
    assert!(page.body.contains("Meer meldingen over woonoverlast."));

    // A conclusion per theme: new at version 0, then versioned.
    let theme = actions(&app, 2023).await[0].theme_id;
    let path = format!("/programma/2023/evaluatie/thema/{theme}");
    assert_eq!(app.get(&path, &session).await.status, StatusCode::OK);
    let conclude = |v: &'static str, text: &'static str| {
        let (app, session, path) = (&app, session.clone(), path.clone());
        async move {
            app.post(&path, &session, &[("versie", v), ("conclusion", text)])
                .await
        }
    };
    assert_eq!(
        conclude("0", "Goed op stoom.").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(conclude("0", "Dubbel.").await.status, StatusCode::CONFLICT);
    assert_eq!(
        conclude("1", "Goed op stoom gebleven.").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.get("/programma/2023/evaluatie/thema/999999", &session)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let rec = record(&app, 2023).await;
    assert_eq!(rec.themes.len(), 1);
    assert_eq!(rec.themes[0].conclusion, "Goed op stoom gebleven.");
    assert_eq!(rec.themes[0].version, 2);

    // Attention points for next year: added, refused empty, reordered, edited, removed.
    let add = |text: &'static str| {
        let (app, session) = (&app, session.clone());
        async move {
            app.post(
                "/programma/2023/evaluatie/aandachtspunten",
                &session,
                &[("text", text)],
            )
            .await
        }
    };
    let empty = add("   ").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("id=\"text-error\""));
    for text in [
        "Capaciteit beter afstemmen",
        "Partners eerder betrekken",
        "Weg ermee",
    ] {
        assert_eq!(add(text).await.status, StatusCode::SEE_OTHER);
    }
    let points = record(&app, 2023).await.attention_points;
    assert_eq!(points.len(), 3);
    let moved = app
        .post(
            &format!(
                "/programma/2023/evaluatie/aandachtspunten/{}/omhoog",
                points[1].id
            ),
            &session,
            &[],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let removed = app
        .post(
            &format!(
                "/programma/2023/evaluatie/aandachtspunten/{}/verwijderen",
                points[2].id
            ),
            &session,
            &[],
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let points = record(&app, 2023).await.attention_points;
    let texts: Vec<&str> = points.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Partners eerder betrekken", "Capaciteit beter afstemmen"]
    );
    let edit = format!("/programma/2023/evaluatie/aandachtspunten/{}", points[0].id);
    assert_eq!(app.get(&edit, &session).await.status, StatusCode::OK);
    let edited = app
        .post(
            &edit,
            &session,
            &[
                ("versie", "1"),
                ("text", "Partners al in januari betrekken"),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER);
    let stale = app
        .post(&edit, &session, &[("versie", "1"), ("text", "Iets anders")])
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Partners al in januari betrekken"));

    // Next year's evaluation asks how each point went.
    let next = app.get("/programma/2024/evaluatie", &session).await;
    assert_eq!(next.status, StatusCode::OK);
    assert!(
        next.body
            .contains("Aandachtspunten uit de evaluatie van 2023")
    );
    assert!(next.body.contains("Capaciteit beter afstemmen"));
    assert!(next.body.contains("Hoe is het gegaan?"));
    let point = points
        .iter()
        .find(|p| p.text == "Capaciteit beter afstemmen")
        .unwrap();
    let follow = format!("/programma/2024/evaluatie/vorig-jaar/{}", point.id);
    let bad = app
        .post(&follow, &session, &[("versie", "1"), ("follow_up", "x\0")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains(&format!("id=\"follow_up-{}-error\"", point.id))
    );
    let answered = app
        .post(
            &follow,
            &session,
            &[
                ("versie", "1"),
                (
                    "follow_up",
                    "Gelukt: de planning sluit nu aan op de formatie.",
                ),
            ],
        )
        .await;
    assert_eq!(answered.status, StatusCode::SEE_OTHER, "{}", answered.body);
    let stale = app
        .post(
            &follow,
            &session,
            &[("versie", "1"), ("follow_up", "Niet gelukt.")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Niet gelukt."), "input kept");
    let stored = record(&app, 2023)
        .await
        .attention_points
        .into_iter()
        .find(|p| p.id == point.id)
        .unwrap();
    assert_eq!(
        stored.follow_up,
        "Gelukt: de planning sluit nu aan op de formatie."
    );
    // Only last year's points are answered from this year's evaluation.
    let wrong_year = app
        .post(
            &format!("/programma/2023/evaluatie/vorig-jaar/{}", point.id),
            &session,
            &[("versie", "2"), ("follow_up", "x")],
        )
        .await;
    assert_eq!(wrong_year.status, StatusCode::NOT_FOUND);
    // An answered point stays.
    let refused = app
        .post(
            &format!(
                "/programma/2023/evaluatie/aandachtspunten/{}/verwijderen",
                point.id
            ),
            &session,
            &[],
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let (_, json) = api_get(&app, &session, "/api/v1/programmas/2024/evaluatie").await;
    let previous = json["aandachtspuntenVorigJaar"].as_array().unwrap();
    assert_eq!(previous.len(), 2);
    assert!(
        previous
            .iter()
            .any(|p| p["vervolg"] == "Gelukt: de planning sluit nu aan op de formatie.")
    );
    let (_, json) = api_get(&app, &session, "/api/v1/programmas/2023/evaluatie").await;
    assert_eq!(json["conclusies"], "De meeste acties zijn uitgevoerd.");
    assert_eq!(
        json["themaConclusies"][0]["conclusie"],
        "Goed op stoom gebleven."
    );

    // Every change is in the audit log, in Dutch.
    let org = app.org().await;
    let entries = app
        .store()
        .audit_entries(org, &koers_store::audit::AuditFilter::default())
        .await
        .unwrap();
    for entity in ["evaluatie", "aandachtspunt"] {
        assert!(entries.iter().any(|e| e.entity == entity), "{entity}");
    }
}

async fn only_planners_write_and_other_organisations_see_nothing(app: TestApp) {
    without_the_demo_evaluation(&app).await;
    let code = actions(&app, 2023).await[0].code.clone();
    for role in ["lezer", "teamlid"] {
        let session = app.login(role).await;
        let page = app.get("/programma/2023/evaluatie", &session).await;
        assert_eq!(page.status, StatusCode::OK, "{role} reads");
        assert!(
            !page.body.contains(">Evalueren<"),
            "{role} gets no edit links"
        );
        assert!(
            app.get(
                &format!("/programma/2023/evaluatie/acties/{code}"),
                &session
            )
            .await
            .status
                == StatusCode::OK
        );
        let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
            (
                format!("/programma/2023/evaluatie/acties/{code}"),
                vec![("versie", "0"), ("outcome", "gerealiseerd")],
            ),
            (
                format!("/programma/2023/evaluatie/acties/{code}/uren"),
                vec![("correctie_uren", "4"), ("correctie_reden", "vergeten")],
            ),
            (
                "/programma/2023/evaluatie/teksten".into(),
                vec![("versie", "1"), ("conclusions", "x")],
            ),
            (
                "/programma/2023/evaluatie/aandachtspunten".into(),
                vec![("text", "x")],
            ),
        ];
        for (path, form) in posts {
            let reply = app.post(&path, &session, &form).await;
            assert_eq!(reply.status, StatusCode::FORBIDDEN, "{role} {path}");
        }
        assert_eq!(
            app.get("/programma/2023/evaluatie/teksten", &session)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
    assert!(record(&app, 2023).await.evaluation.is_none());

    let (_, other) = app
        .other_organisation(
            "GM9990",
            "elders@voorbeeld.nl",
            koers_domain::Rol::Beheerder,
        )
        .await;
    for path in [
        "/programma/2023/evaluatie".to_string(),
        format!("/programma/2023/evaluatie/acties/{code}"),
    ] {
        assert_eq!(
            app.get(&path, &other).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let reply = app
        .post(
            &format!("/programma/2023/evaluatie/acties/{code}"),
            &other,
            &[("versie", "0"), ("outcome", "gerealiseerd")],
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let (status, _) = api_get(&app, &other, "/api/v1/programmas/2023/evaluatie").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(
        record(&app, 2023)
            .await
            .actions
            .iter()
            .all(|e| e.evaluated_by != "Test")
    );
}

async fn an_adopted_evaluation_refuses_changes(app: TestApp) {
    without_the_demo_evaluation(&app).await;
    let session = app.login("beleidsadviseur").await;
    let all = actions(&app, 2023).await;
    let code = all[0].code.clone();
    let saved = app
        .post(
            "/programma/2023/evaluatie/aandachtspunten",
            &session,
            &[("text", "Eerder beginnen")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let programme = programme_id(&app, 2023).await;
    app.store()
        .execute_raw(&format!(
            "UPDATE evaluations SET status = 'vastgesteld', decided_on = '2024-02-13', \
             decision_reference = 'B&W 2024/0213' WHERE programme_id = {programme}"
        ))
        .await
        .unwrap();
    let before = record(&app, 2023).await;
    let point = before.attention_points[0].id;
    let attempts: Vec<(String, Vec<(&str, &str)>)> = vec![
        (
            format!("/programma/2023/evaluatie/acties/{code}"),
            vec![("versie", "0"), ("outcome", "gerealiseerd")],
        ),
        (
            format!("/programma/2023/evaluatie/acties/{code}/uren"),
            vec![("correctie_uren", "4"), ("correctie_reden", "vergeten")],
        ),
        (
            "/programma/2023/evaluatie/teksten".into(),
            vec![("versie", "1"), ("conclusions", "Later toegevoegd")],
        ),
        (
            "/programma/2023/evaluatie/aandachtspunten".into(),
            vec![("text", "Nog een")],
        ),
        (
            format!("/programma/2023/evaluatie/aandachtspunten/{point}/verwijderen"),
            vec![],
        ),
    ];
    for (path, form) in attempts {
        let reply = app.post(&path, &session, &form).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(reply.body.contains("vastgesteld"), "{path}: {}", reply.body);
    }
    let after = record(&app, 2023).await;
    assert_eq!(after.actions.len(), before.actions.len());
    assert_eq!(after.attention_points.len(), 1);
    assert_eq!(after.evaluation.unwrap().conclusions, "");
    let hours = actions(&app, 2023).await[0].hours_spent;
    assert_eq!(hours, all[0].hours_spent);
    let page = app.get("/programma/2023/evaluatie", &session).await;
    assert!(page.body.contains("Vastgesteld door het college"));
    assert!(!page.body.contains(">Evalueren<"));
    assert!(!page.body.contains("Aandachtspunt toevoegen"));
}

async fn hours_are_corrected_with_a_reason_and_never_below_zero(app: TestApp) {
    without_the_demo_evaluation(&app).await;
    let session = app.login("beleidsadviseur").await;
    let all = actions(&app, 2023).await;
    let action = all
        .iter()
        .find(|a| a.hours_spent > 0)
        .expect("an action with hours")
        .clone();
    let path = format!("/programma/2023/evaluatie/acties/{}/uren", action.code);
    let spent = action.hours_spent;
    let too_many = (-(spent + 1)).to_string();
    let reply = app
        .post(
            &path,
            &session,
            &[
                ("correctie_uren", too_many.as_str()),
                ("correctie_reden", "dubbel"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        reply.body.contains(&format!("hoogstens {spent}")),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("id=\"correctie_uren-error\""));
    for (hours, reason, field) in [
        ("5", " ", "correctie_reden"),
        ("0", "niets", "correctie_uren"),
        ("acht", "x", "correctie_uren"),
        ("5", "a\0b", "correctie_reden"),
        ("99999999999999999999999", "x", "correctie_uren"),
    ] {
        let reply = app
            .post(
                &path,
                &session,
                &[("correctie_uren", hours), ("correctie_reden", reason)],
            )
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{hours} {reason:?}"
        );
        assert!(
            reply.body.contains(&format!("id=\"{field}-error\"")),
            "{hours}"
        );
    }
    let minus = (-spent).to_string();
    let reply = app
        .post(
            &path,
            &session,
            &[
                ("correctie_uren", minus.as_str()),
                ("correctie_reden", "Op de verkeerde actie geboekt"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER, "{}", reply.body);
    let reply = app
        .post(
            &path,
            &session,
            &[
                ("correctie_uren", "12"),
                ("correctie_reden", "Overleg vergeten"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    let now = actions(&app, 2023)
        .await
        .into_iter()
        .find(|a| a.id == action.id)
        .unwrap();
    assert_eq!(now.hours_spent, 12);
    assert_eq!(now.status, action.status, "a correction keeps the status");
    let org = app.org().await;
    let entries = app.store().progress(org, action.id).await.unwrap();
    assert_eq!(entries.iter().map(|e| e.hours_spent).sum::<i64>(), 12);
    let correction = entries
        .iter()
        .find(|e| e.note == "Correctie uren: Op de verkeerde actie geboekt")
        .expect("the correction is a progress entry");
    assert_eq!(correction.hours_spent, -spent);
    assert_eq!(correction.status, action.status);
    let page = app
        .get(
            &format!("/programma/2023/evaluatie/acties/{}", action.code),
            &session,
        )
        .await;
    assert!(page.body.contains("Correctie uren: Overleg vergeten"));
    // The figures follow the corrected hours.
    let (_, json) = api_get(&app, &session, "/api/v1/programmas/2023/evaluatie").await;
    let total: i64 = all.iter().map(|a| a.hours_spent).sum::<i64>() - spent + 12;
    assert_eq!(json["kengetallen"]["totaal"]["bestedeUren"], total);
}

/// Two first evaluations of one action at the same moment: one is saved, the other is a
/// conflict, never a server error or a second row.
async fn two_first_saves_at_once_give_one_conflict(app: TestApp) {
    without_the_demo_evaluation(&app).await;
    let org = app.org().await;
    let action = actions(&app, 2023).await[0].id;
    let actor = |name: &str| koers_store::Actor {
        organisation_id: org,
        user_id: None,
        user_name: name.into(),
        now: crate::helpers::now(),
    };
    let data = |outcome| koers_domain::ActieEvaluatie {
        outcome,
        reason: "Reden".into(),
        achieved: String::new(),
        lesson: String::new(),
    };
    let (a, b) = (actor("Een"), actor("Twee"));
    let (da, db) = (data(Uitkomst::Gerealiseerd), data(Uitkomst::Doorgeschoven));
    let (first, second) = tokio::join!(
        app.store().save_action_evaluation(&a, action, 0, &da),
        app.store().save_action_evaluation(&b, action, 0, &db),
    );
    let results = [first, second];
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        1,
        "{results:?}"
    );
    assert!(
        results
            .iter()
            .any(|r| matches!(r, Err(koers_store::StoreError::Conflict { .. }))),
        "{results:?}"
    );
    let stored = record(&app, 2023).await;
    assert_eq!(
        stored
            .actions
            .iter()
            .filter(|e| e.action_id == action)
            .count(),
        1
    );
    assert!(
        stored.evaluation.is_some(),
        "the first save made the evaluation"
    );

    // Two first saves of different actions of a programme without an evaluation row both
    // succeed: they share the row that the first one makes.
    assert!(record(&app, 2024).await.evaluation.is_none());
    let next = actions(&app, 2024).await;
    let (first, second) = tokio::join!(
        app.store().save_action_evaluation(&a, next[0].id, 0, &da),
        app.store().save_action_evaluation(&b, next[1].id, 0, &db),
    );
    assert!(first.is_ok() && second.is_ok(), "{first:?} {second:?}");
    assert_eq!(record(&app, 2024).await.actions.len(), 2);
}

/// A programme without actions has an evaluation page and API answer without figures.
async fn an_empty_programme_has_nothing_to_evaluate(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let created = app.post("/programma", &session, &[("jaar", "2030")]).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let page = app.get("/programma/2030/evaluatie", &session).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("niets te evalueren"));
    assert!(!page.body.contains("<progress"));
    let (status, json) = api_get(&app, &session, "/api/v1/programmas/2030/evaluatie").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["kengetallen"]["totaal"]["acties"], 0);
    assert!(json["kengetallen"]["totaal"]["percentageGerealiseerd"].is_null());
    assert_eq!(
        app.get("/programma/2099/evaluatie", &session).await.status,
        StatusCode::NOT_FOUND
    );
}

/// Hostile values in every field, query and path segment of the evaluation's routes: never a
/// server error, and nothing stored that a user would not have typed.
async fn hostile_input_never_gives_a_server_error(app: TestApp) {
    without_the_demo_evaluation(&app).await;
    let session = app.login("beleidsadviseur").await;
    let code = actions(&app, 2023).await[0].code.clone();
    let saved = app
        .post(
            "/programma/2023/evaluatie/aandachtspunten",
            &session,
            &[("text", "Een punt")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let point = record(&app, 2023).await.attention_points[0].id.to_string();
    let long = "x".repeat(20_000);
    let values = [
        "a\0b",
        "\u{1}\u{1b}[0m\u{7f}\u{85}",
        "-9223372036854775808",
        "99999999999999999999999",
        "-4800-01-01",
        long.as_str(),
    ];
    let encoded = |v: &str| -> String { form_urlencoded::byte_serialize(v.as_bytes()).collect() };
    let mut failures = Vec::new();
    for value in values {
        let e = encoded(value);
        let gets = [
            format!("/programma/2023/evaluatie?thema={e}"),
            format!("/programma/2023/evaluatie?subteam={e}&uitkomst={e}"),
            format!("/programma/2023/evaluatie/acties/{e}"),
            format!("/programma/{e}/evaluatie"),
            format!("/programma/2023/evaluatie/thema/{e}"),
            format!("/programma/2023/evaluatie/aandachtspunten/{e}"),
        ];
        for path in gets {
            let reply = app.get(&path, &session).await;
            if reply.status.is_server_error() {
                failures.push(format!(
                    "GET {} → {}",
                    &path[..path.len().min(80)],
                    reply.status
                ));
            }
        }
        let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
            (
                format!("/programma/2023/evaluatie/acties/{code}"),
                vec![
                    ("versie", value),
                    ("outcome", value),
                    ("reason", value),
                    ("achieved", value),
                    ("lesson", value),
                ],
            ),
            (
                format!("/programma/2023/evaluatie/acties/{code}"),
                vec![
                    ("versie", "0"),
                    ("outcome", "doorgeschoven"),
                    ("reason", value),
                ],
            ),
            (
                format!("/programma/2023/evaluatie/acties/{code}/uren"),
                vec![("correctie_uren", value), ("correctie_reden", value)],
            ),
            (
                "/programma/2023/evaluatie/teksten".into(),
                vec![("versie", value), ("conclusions", value), ("trends", value)],
            ),
            (
                "/programma/2023/evaluatie/thema/1".into(),
                vec![("versie", value), ("conclusion", value)],
            ),
            (
                "/programma/2023/evaluatie/aandachtspunten".into(),
                vec![("text", value)],
            ),
            (
                format!("/programma/2023/evaluatie/aandachtspunten/{point}"),
                vec![("versie", value), ("text", value)],
            ),
            (
                format!("/programma/2023/evaluatie/aandachtspunten/{e}/omhoog"),
                vec![],
            ),
            (
                format!("/programma/2024/evaluatie/vorig-jaar/{point}"),
                vec![("versie", value), ("follow_up", value)],
            ),
        ];
        for (path, form) in posts {
            let reply = app.post(&path, &session, &form).await;
            if reply.status.is_server_error() {
                failures.push(format!(
                    "POST {} → {}",
                    &path[..path.len().min(80)],
                    reply.status
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let rec = record(&app, 2023).await;
    assert!(rec.actions.is_empty() || rec.actions.iter().all(|e| !e.reason.contains('\0')));
    for p in &rec.attention_points {
        assert!(
            !p.text.chars().any(char::is_control) && p.text.chars().count() <= 2_000,
            "only plain text within bounds is stored: {:?}",
            &p.text[..p.text.len().min(40)]
        );
    }
}

each_database!(
    hostile_input_never_gives_a_server_error,
    two_first_saves_at_once_give_one_conflict,
    an_empty_programme_has_nothing_to_evaluate,
    a_beleidsadviseur_evaluates_actions_and_the_figures_follow,
    texts_conclusions_and_attention_points_carry_into_next_year,
    only_planners_write_and_other_organisations_see_nothing,
    an_adopted_evaluation_refuses_changes,
    hours_are_corrected_with_a_reason_and_never_below_zero,
);
