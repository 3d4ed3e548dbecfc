use crate::helpers::{TestApp, action_form, each_database, pairs, set};
use axum::http::StatusCode;
use koers_store::catalog::Kind;

async fn every_page_renders_for_the_roles_that_may_see_it(app: TestApp) {
    let org = app.org().await;
    let domain = app.store().items(org, Kind::Domain).await.unwrap()[0].id;
    let theme = app.store().items(org, Kind::Theme).await.unwrap()[0].id;
    let beheerder = app.login("beheerder").await;
    let pages = [
        "/overzicht".to_string(),
        "/overzicht?jaar=2023".into(),
        "/beleidsplan".into(),
        "/beleidsplan/bewerken".into(),
        "/programma/2024".into(),
        "/programma/2023?thema=&status=gerealiseerd&zoek=toezicht".into(),
        "/programma/2025".into(),
        "/programma/2024/acties/IV1-03".into(),
        "/programma/2024/acties/IV1-03/bewerken".into(),
        "/programma/2024/acties/nieuw".into(),
        format!("/onderdelen/thema/nieuw?ouder={domain}"),
        format!("/onderdelen/thema/{theme}/bewerken"),
        "/onderdelen/subteam/nieuw".into(),
        "/beheer".into(),
        "/beheer/gebruikers".into(),
        "/beheer/organisatie".into(),
        "/beheer/audit".into(),
        "/beheer/audit?onderdeel=actie&van=2024-01-01&tot=2024-12-31".into(),
        "/static/koers.css".into(),
    ];
    for page in &pages {
        let reply = app.get(page, &beheerder).await;
        assert_eq!(reply.status, StatusCode::OK, "{page}: {}", reply.body);
    }
    let first = app.get("/beheer/audit", &beheerder).await.body;
    let second = app.get("/beheer/audit?pagina=2", &beheerder).await.body;
    assert!(first.contains("Oudere wijzigingen") && !first.contains("Nieuwere wijzigingen"));
    assert!(second.contains("Nieuwere wijzigingen") && second != first);
    let csv = app.get("/beheer/audit.csv", &beheerder).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}') && csv.body.contains("tijdstip;gebruiker"));
    let programme = app.get("/programma/2024", &beheerder).await.body;
    assert!(programme.contains("Aanpak Zorg") && programme.contains("Leesbaar voor iedereen"));
    assert!(
        app.get("/programma", &beheerder)
            .await
            .location
            .starts_with("/programma/")
    );
    assert_eq!(
        app.get("/bestaat-niet", &beheerder).await.status,
        StatusCode::NOT_FOUND
    );
}

async fn login_is_required_and_checks_the_password(app: TestApp) {
    let reply = app.get("/programma/2024", "").await;
    assert_eq!(reply.status, StatusCode::SEE_OTHER);
    assert_eq!(reply.location, "/inloggen?terug=%2Fprogramma%2F2024");
    let email = app.account("lezer").email.clone();
    let wrong = app
        .post(
            "/inloggen",
            "",
            &[("email", &email), ("wachtwoord", "fout-wachtwoord")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("onjuist") && wrong.body.contains(&email));
    let earlier = app.login("lezer").await;
    // Logging in again from the same browser renews the session id and ends the old one.
    let account = app.account("lezer").clone();
    let credentials = [
        ("email", account.email.as_str()),
        ("wachtwoord", account.password.as_str()),
    ];
    let again = app.post("/inloggen", &earlier, &credentials).await;
    let session = again
        .cookies
        .into_iter()
        .find(|c| c.starts_with("koers_sessie="))
        .unwrap();
    assert_ne!(session, earlier);
    assert_eq!(
        app.get("/programma/2024", &earlier).await.status,
        StatusCode::SEE_OTHER
    );
    let unknown = [("email", "niemand@denhelder.example"), ("wachtwoord", "x")];
    let unknown = app.post("/inloggen", "", &unknown).await;
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert!(
        unknown.body.contains("onjuist"),
        "the same message as for a wrong password"
    );
    assert_eq!(
        app.get("/programma/2024", &session).await.status,
        StatusCode::OK
    );
    let out = app.post("/uitloggen", &session, &[]).await;
    assert_eq!(out.location, "/inloggen?uitgelogd=1");
    assert_eq!(
        app.get("/programma/2024", &session).await.status,
        StatusCode::SEE_OTHER,
        "the session ended"
    );
}

async fn repeated_failed_logins_are_refused_for_a_while(app: TestApp) {
    let account = app.account("teamlid").clone();
    for _ in 0..5 {
        app.post(
            "/inloggen",
            "",
            &[("email", &account.email), ("wachtwoord", "fout")],
        )
        .await;
    }
    let blocked = app
        .post(
            "/inloggen",
            "",
            &[("email", &account.email), ("wachtwoord", &account.password)],
        )
        .await;
    assert_eq!(blocked.status, StatusCode::UNAUTHORIZED);
    assert!(blocked.body.contains("Te veel mislukte pogingen"));
}

async fn roles_are_enforced_on_the_server(app: TestApp) {
    let lezer = app.login("lezer").await;
    let form = action_form(&app, 2024, "IV1-03").await;
    assert_eq!(
        app.post(
            "/programma/2024/acties/IV1-03/bewerken",
            &lezer,
            &pairs(&form)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    let progress = [
        ("status", "op_schema"),
        ("note", "x"),
        ("hours_spent", "1"),
        ("entry_date", "2024-06-01"),
    ];
    assert_eq!(
        app.post("/programma/2024/acties/IV1-03/voortgang", &lezer, &progress)
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/beheer", &lezer).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.post("/onderdelen/partner", &lezer, &[("name", "X")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    let adviseur = app.login("beleidsadviseur").await;
    assert_eq!(
        app.get("/beheer/gebruikers", &adviseur).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/beheer/audit", &adviseur).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/beheer/audit.csv", &adviseur).await.status,
        StatusCode::FORBIDDEN
    );

    // The team member may report on actions of their own subteam only.
    let org = app.org().await;
    let programme = app
        .store()
        .programme(org, koers_domain::Jaar::new(2024).unwrap())
        .await
        .unwrap()
        .unwrap();
    let teamlid_user = app
        .store()
        .users(org)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == koers_domain::Rol::Teamlid)
        .unwrap();
    let subteam = teamlid_user.subteam_id.unwrap();
    let actions = app
        .store()
        .actions(org, programme.id, &Default::default())
        .await
        .unwrap();
    let contributors = app
        .store()
        .programme_contributors(org, programme.id)
        .await
        .unwrap();
    let own = actions
        .iter()
        .find(|a| a.lead_subteam_id == subteam)
        .unwrap();
    let other = actions
        .iter()
        .find(|a| a.lead_subteam_id != subteam && !contributors.contains(&(a.id, subteam)))
        .unwrap();
    let teamlid = app.login("teamlid").await;
    let ok = app
        .post(
            &format!("/programma/2024/acties/{}/voortgang", own.code),
            &teamlid,
            &progress,
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let refused = app
        .post(
            &format!("/programma/2024/acties/{}/voortgang", other.code),
            &teamlid,
            &progress,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let edit = action_form(&app, 2024, &own.code).await;
    assert_eq!(
        app.post(
            &format!("/programma/2024/acties/{}/bewerken", own.code),
            &teamlid,
            &pairs(&edit)
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
}

async fn another_organisation_sees_and_changes_nothing(app: TestApp) {
    let org = app.org().await;
    let theme = app.store().items(org, Kind::Theme).await.unwrap()[0].clone();
    // A second organisation with its own administrator.
    let (_, session) = app
        .other_organisation(
            "GM0002",
            "beheer@elders.example",
            koers_domain::Rol::Beheerder,
        )
        .await;

    assert_eq!(
        app.get("/programma/2024/acties/IV1-03", &session)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(
            &format!("/onderdelen/thema/{}/bewerken", theme.id),
            &session
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let edit = [("versie", "1"), ("name", "Overgenomen")];
    assert_eq!(
        app.post(
            &format!("/onderdelen/thema/{}/bewerken", theme.id),
            &session,
            &edit
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    for change in ["intrekken", "herstellen", "omhoog", "verwijderen"] {
        let path = format!("/onderdelen/thema/{}/{change}", theme.id);
        assert_eq!(
            app.post(&path, &session, &[]).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let progress = [
        ("status", "op_schema"),
        ("note", "x"),
        ("hours_spent", "1"),
        ("entry_date", "2024-06-01"),
    ];
    assert_eq!(
        app.post(
            "/programma/2024/acties/IV1-03/voortgang",
            &session,
            &progress
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    let page = app.get("/beleidsplan", &session).await.body;
    let visible_part = theme.name.split(" &").next().unwrap();
    assert!(
        !page.contains(visible_part),
        "another organisation's theme leaked"
    );
    assert!(
        !app.get("/beheer/audit.csv", &session)
            .await
            .body
            .contains("Den Helder")
    );
    // Nothing of GM0400 changed.
    let after = app.store().item(org, Kind::Theme, theme.id).await.unwrap();
    assert_eq!(
        (after.name, after.retired, after.version),
        (theme.name, theme.retired, theme.version)
    );
}

async fn invalid_action_input_is_shown_next_to_the_field_and_kept(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let mut form = action_form(&app, 2024, "IV1-03").await;
    let before = form.clone();
    set(&mut form, "title", "");
    set(
        &mut form,
        "description",
        "Mijn nieuwe tekst <script>alert(1)</script>",
    );
    set(&mut form, "planned_hours", "veel");
    let reply = app
        .post(
            "/programma/2024/acties/IV1-03/bewerken",
            &session,
            &pairs(&form),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Vul een titel in."));
    assert!(reply.body.contains("href=\"#title\""));
    assert!(
        reply.body.contains("Mijn nieuwe tekst &#60;script&#62;")
            || reply.body.contains("Mijn nieuwe tekst &lt;script&gt;")
    );
    assert!(!reply.body.contains("<script>alert(1)"));
    assert!(reply.body.contains("Vul het aantal uren in als heel getal"));
    assert_eq!(
        action_form(&app, 2024, "IV1-03").await,
        before,
        "nothing was stored"
    );
}

async fn the_second_of_two_concurrent_edits_gets_a_conflict(app: TestApp) {
    let first = app.login("beleidsadviseur").await;
    let second = app.login("beheerder").await;
    let mut a = action_form(&app, 2024, "IV1-03").await;
    let mut b = a.clone();
    set(&mut a, "title", "Titel van de eerste");
    set(&mut b, "title", "Titel van de tweede");
    let saved = app
        .post("/programma/2024/acties/IV1-03/bewerken", &first, &pairs(&a))
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    // A progress report after the edit is not the change the banner names.
    let report = [
        ("status", "op_schema"),
        ("note", "Tussenstand"),
        ("hours_spent", "1"),
        ("entry_date", "2024-06-01"),
    ];
    let reported = app
        .post("/programma/2024/acties/IV1-03/voortgang", &second, &report)
        .await;
    assert_eq!(reported.status, StatusCode::SEE_OTHER, "{}", reported.body);
    let conflict = app
        .post(
            "/programma/2024/acties/IV1-03/bewerken",
            &second,
            &pairs(&b),
        )
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert!(conflict.body.contains("intussen gewijzigd"));
    let org = app.org().await;
    let users = app.store().users(org).await.unwrap();
    let name_of = |role: &str| {
        let email = &app.account(role).email;
        users
            .iter()
            .find(|u| &u.email == email)
            .unwrap()
            .name
            .clone()
    };
    assert!(
        conflict.body.contains(&format!(
            "Laatste wijziging door {}",
            name_of("beleidsadviseur")
        )) && !conflict
            .body
            .contains(&format!("Laatste wijziging door {}", name_of("beheerder"))),
        "the banner names who changed the fields"
    );
    assert!(
        conflict.body.contains("Titel van de eerste")
            && conflict.body.contains("Titel van de tweede")
    );
    let page = app.get("/programma/2024/acties/IV1-03", &second).await.body;
    assert!(page.contains("Titel van de eerste"));
}

async fn a_new_action_and_its_progress_end_up_in_the_programme_and_the_audit_log(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let mut form = action_form(&app, 2024, "IV1-03").await;
    set(&mut form, "code", "iv1-99");
    set(&mut form, "title", "Nieuwe actie uit de test");
    // IV1-03 of 2024 continues IV1-03 of 2023; a copy of its form cannot continue it too.
    let second = app
        .post("/programma/2024/acties", &session, &pairs(&form))
        .await;
    assert_eq!(second.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        second
            .body
            .contains("Actie IV1-03 van 2023 wordt al voortgezet door IV1-03 in 2024."),
        "{}",
        second.body
    );
    set(&mut form, "predecessor_id", "");
    set(&mut form, "origin", "nieuw_evaluatie");
    let created = app
        .post("/programma/2024/acties", &session, &pairs(&form))
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(created.location, "/programma/2024/acties/IV1-99");
    // Continuing an action of last year links the two; an action of the same year cannot be
    // continued.
    let org = app.org().await;
    let year = |y| koers_domain::Jaar::new(y).unwrap();
    let programme_2023 = app
        .store()
        .programme(org, year(2023))
        .await
        .unwrap()
        .unwrap();
    let programme_2024 = app
        .store()
        .programme(org, year(2024))
        .await
        .unwrap()
        .unwrap();
    // An action of 2023 that nothing continues yet.
    let free = app
        .store()
        .predecessor_choices(org, programme_2024.id, None)
        .await
        .unwrap();
    let earlier = app
        .store()
        .action_by_code(org, programme_2023.id, &free[0].code)
        .await
        .unwrap();
    let same_year = app
        .store()
        .action_by_code(org, programme_2024.id, "IV1-03")
        .await
        .unwrap();
    let mut continued = form.clone();
    set(&mut continued, "code", "IV1-98");
    set(&mut continued, "origin", "doorgeschoven");
    set(
        &mut continued,
        "predecessor_id",
        &same_year.action.id.to_string(),
    );
    let wrong = app
        .post("/programma/2024/acties", &session, &pairs(&continued))
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .body
            .contains("Kies een actie uit het programma van vorig jaar.")
    );
    set(
        &mut continued,
        "predecessor_id",
        &earlier.action.id.to_string(),
    );
    let linked = app
        .post("/programma/2024/acties", &session, &pairs(&continued))
        .await;
    assert_eq!(linked.status, StatusCode::SEE_OTHER, "{}", linked.body);
    let lineage = app
        .get(
            &format!("/programma/2023/acties/{}", earlier.action.code),
            &session,
        )
        .await
        .body;
    assert!(
        lineage.contains("href=\"/programma/2024/acties/IV1-98\""),
        "the 2023 action links to its successor"
    );
    let duplicate = app
        .post("/programma/2024/acties", &session, &pairs(&form))
        .await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(duplicate.body.contains("al in gebruik"));

    let bad = [
        ("status", "vertraagd"),
        ("note", "Wacht op partner"),
        ("hours_spent", "-5"),
        ("entry_date", "2024-06-01"),
    ];
    let rejected = app
        .post("/programma/2024/acties/IV1-99/voortgang", &session, &bad)
        .await;
    assert_eq!(rejected.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(rejected.body.contains("negatief") && rejected.body.contains("Wacht op partner"));
    let good = [
        ("status", "vertraagd"),
        ("note", "Wacht op partner"),
        ("hours_spent", "5"),
        ("entry_date", "2024-06-01"),
    ];
    assert_eq!(
        app.post("/programma/2024/acties/IV1-99/voortgang", &session, &good)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let page = app
        .get("/programma/2024/acties/IV1-99", &session)
        .await
        .body;
    assert!(page.contains("Wacht op partner") && page.contains("Vertraagd"));
    let filtered = app
        .get("/programma/2024?status=vertraagd", &session)
        .await
        .body;
    assert!(filtered.contains("IV1-99"));
    let beheerder = app.login("beheerder").await;
    let audit = app
        .get("/beheer/audit.csv?onderdeel=actie", &beheerder)
        .await
        .body;
    assert!(audit.contains("Actie IV1-99 'Nieuwe actie uit de test' toegevoegd"));
    assert!(audit.contains("Voortgang gemeld: Vertraagd"));
}

async fn catalogue_items_are_created_ordered_retired_and_only_deleted_when_unused(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let org = app.org().await;
    let empty = app
        .post("/onderdelen/partner", &session, &[("name", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Vul een naam in."));
    assert_eq!(
        app.post("/onderdelen/partner", &session, &[("name", "Brandweer")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let partners = app.store().items(org, Kind::Partner).await.unwrap();
    let new = partners.iter().find(|p| p.name == "Brandweer").unwrap();
    app.post(
        &format!("/onderdelen/partner/{}/omhoog", new.id),
        &session,
        &[],
    )
    .await;
    let reordered = app.store().items(org, Kind::Partner).await.unwrap();
    let position = reordered.iter().position(|p| p.id == new.id).unwrap();
    assert_eq!(position, partners.len() - 2, "moved up one place");
    let confirm = app
        .get(
            &format!("/onderdelen/partner/{}/verwijderen", new.id),
            &session,
        )
        .await;
    assert!(
        confirm.body.contains("Definitief verwijderen"),
        "deleting asks first"
    );
    assert!(
        app.store().item(org, Kind::Partner, new.id).await.is_ok(),
        "asking deletes nothing"
    );
    assert_eq!(
        app.post(
            &format!("/onderdelen/partner/{}/verwijderen", new.id),
            &session,
            &[]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert!(app.store().item(org, Kind::Partner, new.id).await.is_err());

    let theme = app.store().items(org, Kind::Theme).await.unwrap()[0].clone();
    let ask = app
        .get(
            &format!("/onderdelen/thema/{}/verwijderen", theme.id),
            &session,
        )
        .await;
    assert!(ask.body.contains("in gebruik") && !ask.body.contains("Definitief verwijderen"));
    let lezer = app.login("lezer").await;
    let forbidden = app
        .get(
            &format!("/onderdelen/thema/{}/verwijderen", theme.id),
            &lezer,
        )
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    let refused = app
        .post(
            &format!("/onderdelen/thema/{}/verwijderen", theme.id),
            &session,
            &[],
        )
        .await;
    assert!(
        refused
            .cookies
            .iter()
            .any(|c| c.contains("in%20gebruik") || c.contains("in+gebruik"))
    );
    assert!(app.store().item(org, Kind::Theme, theme.id).await.is_ok());
    app.post(
        &format!("/onderdelen/thema/{}/intrekken", theme.id),
        &session,
        &[],
    )
    .await;
    assert!(
        app.store()
            .item(org, Kind::Theme, theme.id)
            .await
            .unwrap()
            .retired
    );
    let plan = app.get("/beleidsplan", &session).await.body;
    assert!(plan.contains("ingetrokken"));
}

async fn participation_and_formation_are_saved_and_checked(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let org = app.org().await;
    let opgave = app.store().items(org, Kind::Opgave).await.unwrap()[2].id;
    let value = format!("{opgave}:2025");
    assert_eq!(
        app.post("/beleidsplan/deelname", &session, &[("deelname", &value)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.store().participation(org).await.unwrap(),
        vec![(opgave, 2025)]
    );

    let subteam = app.store().items(org, Kind::Subteam).await.unwrap()[0].id;
    let field = format!("fte_{subteam}_2025");
    let bad = app
        .post("/beheer/formatie", &session, &[(&field, "vier")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("Vul de formatie in als getal") && bad.body.contains("value=\"vier\"")
    );
    assert_eq!(
        app.post("/beheer/formatie", &session, &[(&field, "4,5")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let capacity = app.store().capacity(org).await.unwrap();
    assert!(
        capacity
            .iter()
            .any(|(s, y, f)| *s == subteam && *y == 2025 && f.to_string() == "4,5")
    );

    // 100 FTE in a subteam of five people is refused at the FTE field, with both values kept;
    // nothing changes.
    let people = format!("personen_{subteam}_2025");
    let bad = app
        .post(
            "/beheer/formatie",
            &session,
            &[(&field, "100"), (&people, "5")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body
            .contains("Met 5 personen is de formatie hoogstens 5 fte"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("value=\"100\"") && bad.body.contains("value=\"5\""));
    let bad = app
        .post(
            "/beheer/formatie",
            &session,
            &[(&field, "4"), (&people, "vijf")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("aantal personen in als heel getal"));
    assert_eq!(app.store().capacity(org).await.unwrap(), capacity);
    assert!(
        app.store()
            .headcounts(org)
            .await
            .unwrap()
            .iter()
            .all(|(s, y, _)| (*s, *y) != (subteam, 2025))
    );
    let saved = app
        .post(
            "/beheer/formatie",
            &session,
            &[(&field, "4,5"), (&people, "5")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let headcounts = app.store().headcounts(org).await.unwrap();
    assert!(
        headcounts
            .iter()
            .any(|(s, y, p)| (*s, *y, p.get()) == (subteam, 2025, 5))
    );
    let page = app.get("/beheer", &session).await;
    assert!(
        page.body
            .contains(&format!("name=\"{people}\" value=\"5\""))
    );
}

async fn the_administrator_manages_accounts(app: TestApp) {
    let session = app.login("beheerder").await;
    let bad = app
        .post(
            "/beheer/gebruikers",
            &session,
            &[
                ("email", "geen-adres"),
                ("name", "Nieuw"),
                ("role", "lezer"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("geldig e-mailadres"));
    let created = app
        .post(
            "/beheer/gebruikers",
            &session,
            &[
                ("email", "nieuw@denhelder.example"),
                ("name", "Nieuw"),
                ("role", "lezer"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert!(created.body.contains("wordt niet opnieuw getoond"));
    // A new password replaces the old one and ends the account's sessions.
    let lezer = app.login("lezer").await;
    let org = app.org().await;
    let reader = app
        .store()
        .users(org)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == koers_domain::Rol::Lezer)
        .unwrap();
    let reset = app
        .post(
            &format!("/beheer/gebruikers/{}/wachtwoord", reader.id),
            &session,
            &[],
        )
        .await;
    assert_eq!(reset.status, StatusCode::OK);
    let marker =
        "Het wachtwoord van joost.vandijk@denhelder.example is <strong class=\"koers-code\">";
    let start = reset
        .body
        .find(marker)
        .expect("the new password is shown once")
        + marker.len();
    let new_password = &reset.body[start..start + 23];
    assert_eq!(
        app.get("/overzicht", &lezer).await.status,
        StatusCode::SEE_OTHER,
        "old session ended"
    );
    app.login_as(&reader.email, new_password).await;
    let old = app.account("lezer").password.clone();
    let refused = app
        .post(
            "/inloggen",
            "",
            &[
                ("email", reader.email.as_str()),
                ("wachtwoord", old.as_str()),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let adviseur = app.login("beleidsadviseur").await;
    assert_eq!(
        app.post(
            &format!("/beheer/gebruikers/{}/wachtwoord", reader.id),
            &adviseur,
            &[]
        )
        .await
        .status,
        StatusCode::FORBIDDEN
    );
    // The organisation's own details, with the same conflict rule as everything else.
    let version = app
        .store()
        .organisation(org)
        .await
        .unwrap()
        .version
        .to_string();
    let empty = app
        .post(
            "/beheer/organisatie",
            &session,
            &[("versie", &version), ("name", ""), ("place", "Den Helder")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Vul de naam van de organisatie in."));
    let renamed = [
        ("versie", version.as_str()),
        ("name", "Gemeente Den Helder (test)"),
        ("place", "Den Helder"),
    ];
    assert_eq!(
        app.post("/beheer/organisatie", &session, &renamed)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let stale = app.post("/beheer/organisatie", &session, &renamed).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        app.get("/overzicht", &session)
            .await
            .body
            .contains("Gemeente Den Helder (test)")
    );
    assert_eq!(
        app.get("/beheer/organisatie", &adviseur).await.status,
        StatusCode::FORBIDDEN
    );
    // The administrator cannot lock themselves out.
    let me = app
        .store()
        .users(org)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.role == koers_domain::Rol::Beheerder)
        .unwrap();
    let version = me.version.to_string();
    let demote = app
        .post(
            &format!("/beheer/gebruikers/{}", me.id),
            &session,
            &[("versie", &version), ("role", "lezer"), ("active", "1")],
        )
        .await;
    assert_eq!(demote.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.store().user(org, me.id).await.unwrap().role,
        koers_domain::Rol::Beheerder
    );
}

async fn a_new_organisation_builds_its_plan_and_first_programme_from_scratch(app: TestApp) {
    let (org, s) = app
        .other_organisation(
            "GM0003",
            "advies@nieuw.example",
            koers_domain::Rol::Beleidsadviseur,
        )
        .await;

    assert!(
        app.get("/beleidsplan", &s)
            .await
            .body
            .contains("Beleidsplan vastleggen")
    );
    let bad = [
        ("versie", "0"),
        ("title", "Plan"),
        ("start_year", "2026"),
        ("end_year", "2025"),
    ];
    let refused = app.post("/beleidsplan/bewerken", &s, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .body
            .contains("Het laatste jaar ligt vóór het eerste jaar.")
    );
    let plan = [
        ("versie", "0"),
        ("title", "Veiligheidsplan 2025-2028"),
        ("start_year", "2025"),
        ("end_year", "2028"),
    ];
    assert_eq!(
        app.post("/beleidsplan/bewerken", &s, &plan).await.status,
        StatusCode::SEE_OTHER
    );

    assert_eq!(
        app.post(
            "/onderdelen/domein",
            &s,
            &[("name", "Integrale Veiligheid"), ("code", "IV")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let domain = app.store().items(org, Kind::Domain).await.unwrap()[0]
        .id
        .to_string();
    assert_eq!(
        app.post(
            "/onderdelen/thema",
            &s,
            &[("parent_id", domain.as_str()), ("name", "Ondermijning")]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    let theme = app.store().items(org, Kind::Theme).await.unwrap()[0]
        .id
        .to_string();
    assert_eq!(
        app.post(
            "/onderdelen/ambitie",
            &s,
            &[
                ("parent_id", theme.as_str()),
                ("name", "Minder ondermijning")
            ]
        )
        .await
        .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.post("/onderdelen/subteam", &s, &[("name", "Toezicht")])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let subteam = app.store().items(org, Kind::Subteam).await.unwrap()[0]
        .id
        .to_string();

    assert!(
        app.get("/programma/2025", &s)
            .await
            .body
            .contains("Programma 2025 aanmaken")
    );
    let created = app.post("/programma", &s, &[("jaar", "2025")]).await;
    assert_eq!(created.location, "/programma/2025");
    let again = app.post("/programma", &s, &[("jaar", "2025")]).await;
    assert!(
        again
            .cookies
            .iter()
            .any(|c| c.contains("al%20een") || c.contains("al+een")),
        "a second programme for a year is refused"
    );
    let action = [
        ("versie", "0"),
        ("code", "IV1-01"),
        ("title", "Bibob-beleid herzien"),
        ("theme_id", theme.as_str()),
        ("lead_subteam_id", subteam.as_str()),
        ("quarters", "2"),
        ("quarters", "3"),
        ("planned_hours", "80"),
        ("priority", "hoog"),
        ("origin", "nieuw_trends"),
    ];
    assert_eq!(
        app.post("/programma/2025/acties", &s, &action)
            .await
            .location,
        "/programma/2025/acties/IV1-01"
    );
    let programme = app.get("/programma/2025", &s).await.body;
    assert!(programme.contains("Bibob-beleid herzien") && programme.contains("Q2–Q3"));
    // The demo organisation's data is nowhere in sight.
    assert!(!programme.contains("Den Helder"));
}

each_database!(
    every_page_renders_for_the_roles_that_may_see_it,
    login_is_required_and_checks_the_password,
    repeated_failed_logins_are_refused_for_a_while,
    roles_are_enforced_on_the_server,
    another_organisation_sees_and_changes_nothing,
    invalid_action_input_is_shown_next_to_the_field_and_kept,
    the_second_of_two_concurrent_edits_gets_a_conflict,
    a_new_action_and_its_progress_end_up_in_the_programme_and_the_audit_log,
    catalogue_items_are_created_ordered_retired_and_only_deleted_when_unused,
    participation_and_formation_are_saved_and_checked,
    the_administrator_manages_accounts,
    a_new_organisation_builds_its_plan_and_first_programme_from_scratch,
);
