//! Drives headless Chromium through the main pages (tests/browser/smoke.mjs) with axe-core.
//! Runs when KOERS_BROWSER_TESTS=1 (CI sets it); otherwise says it was skipped.

use crate::helpers::{TestApp, each_database};
use std::process::Command;

async fn main_pages_work_in_a_browser_and_pass_axe(app: TestApp) {
    if std::env::var("KOERS_BROWSER_TESTS").as_deref() != Ok("1") {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true requires KOERS_BROWSER_TESTS=1"
        );
        eprintln!(
            "browser test skipped: set KOERS_BROWSER_TESTS=1 (needs `npm ci` and /usr/bin/chromium)"
        );
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    {
        let mut state = app.state.clone();
        // The browser reports progress "today"; use the real clock so its date is accepted.
        state.clock = koers::app::Clock::system();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(koers::app::serve(listener, state, async {
            let _ = stopped.await;
        }));
        let account = app.account("beleidsadviseur").clone();
        let admin = app.account("beheerder").clone();
        let mut command = Command::new("node");
        command
            .arg("tests/browser/smoke.mjs")
            .current_dir(&root)
            .env("KOERS_URL", format!("http://{address}"))
            .env("KOERS_EMAIL", &account.email)
            .env("KOERS_PASSWORD", &account.password)
            .env("KOERS_ADMIN_EMAIL", &admin.email)
            .env("KOERS_ADMIN_PASSWORD", &admin.password)
            .env("KOERS_YEAR", "2024");
        let output = tokio::task::spawn_blocking(move || command.output())
            .await
            .unwrap()
            .expect("node runs");
        let _ = stop.send(());
        let _ = server.await;
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
