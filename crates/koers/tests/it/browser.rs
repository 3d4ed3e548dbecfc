//! Drives headless Chromium through the main pages (tests/browser/smoke.mjs) with axe-core.
//! Runs when KOERS_BROWSER_TESTS=1 (CI sets it); otherwise says it was skipped.

use crate::helpers::{Served, TestApp, each_database, opted_in};
use std::process::Command;

async fn main_pages_work_in_a_browser_and_pass_axe(app: TestApp) {
    if !opted_in("KOERS_BROWSER_TESTS", "`npm ci` and /usr/bin/chromium") {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
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

each_database!(main_pages_work_in_a_browser_and_pass_axe);
