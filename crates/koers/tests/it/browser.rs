//! Drives headless Chromium through the main pages (tests/browser/smoke.mjs) with axe-core.
//! Runs when KOERS_BROWSER_TESTS=1 (CI sets it); otherwise says it was skipped.

use crate::helpers::{Served, TestApp, action_form, each_database, opted_in, pairs, set};
use axum::http::StatusCode;
use std::process::Command;

async fn main_pages_work_in_a_browser_and_pass_axe(app: TestApp) {
    if !opted_in("KOERS_BROWSER_TESTS", "`npm ci` and /usr/bin/chromium") {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let long_email = long_values_in_the_audit_log(&app).await;
    {
        // The browser reports progress "today": the served app uses the real clock.
        let served = Served::start(&app).await;
        let account = app.account("beleidsadviseur").clone();
        let admin = app.account("beheerder").clone();
        let teamlid = app.account("teamlid").clone();
        let mut command = Command::new("node");
        command
            .arg("tests/browser/smoke.mjs")
            .current_dir(&root)
            .env("KOERS_URL", &served.url)
            .env("KOERS_EMAIL", &account.email)
            .env("KOERS_PASSWORD", &account.password)
            .env("KOERS_ADMIN_EMAIL", &admin.email)
            .env("KOERS_ADMIN_PASSWORD", &admin.password)
            .env("KOERS_ADMIN_NAME", &admin.name)
            .env("KOERS_AUDIT_LONG", &long_email)
            .env("KOERS_TEAMLID_EMAIL", &teamlid.email)
            .env("KOERS_TEAMLID_PASSWORD", &teamlid.password)
            .env("KOERS_YEAR", "2024");
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .unwrap()
            .expect("node runs");
        served.stop().await;
        let stdout = String::from_utf8_lossy(&output.stdout);
        println!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
        assert!(
            output.status.success(),
            "browser test failed on {:?}",
            app.store().dialect()
        );
    }
}

/// Long values in the audit log, which the walk checks at a phone's width (390 px): the
/// administrator edits an action to a title with a URL, a description with a 120-character
/// word and more hours, and back again (so the rest of the walk sees the demo as it was), and
/// makes an account with a long e-mail address without a hyphen. Returns that address.
async fn long_values_in_the_audit_log(app: &TestApp) -> String {
    let admin = app.login("beheerder").await;
    let path = "/programma/2024/acties/IV1-03/bewerken";
    let original = action_form(app, 2024, "IV1-03").await;
    let mut long = original.clone();
    set(
        &mut long,
        "title",
        "Toezicht https://www.denhelder.nl/veiligheid/brandveiligheidsvoorschriften/evenementenvergunningen/aanvraagformulieren en horeca",
    );
    let word = "brandveiligheid".repeat(8);
    set(
        &mut long,
        "description",
        &format!("Zie {word} voor de afspraken met de partners."),
    );
    set(&mut long, "intended_result", &format!("Een {word}."));
    set(&mut long, "planned_hours", "999");
    let saved = app.post(path, &admin, &pairs(&long)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let mut back = original;
    let version = action_form(app, 2024, "IV1-03").await[0].1.clone();
    set(&mut back, "versie", &version);
    let saved = app.post(path, &admin, &pairs(&back)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    let email = "wilhelminavanderzandvoortdegroot@veiligheidsregionoordhollandnoord.example";
    let made = app
        .post(
            "/beheer/gebruikers",
            &admin,
            &[
                ("email", email),
                ("name", "Wilhelmina van der Zandvoort-de Groot"),
                ("role", "lezer"),
                ("subteam_id", ""),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    email.to_string()
}

each_database!(main_pages_work_in_a_browser_and_pass_axe);
