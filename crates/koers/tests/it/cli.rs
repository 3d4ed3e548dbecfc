use std::io::Write;
use std::process::{Command, Stdio};

fn koers(args: &[&str], stdin: Option<&str>) -> (bool, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_koers"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .env_remove("KOERS_DATABASE_URL")
        .spawn()
        .unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    let output = child.wait_with_output().unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).to_string(),
        String::from_utf8_lossy(&output.stderr).to_string(),
    )
}

#[test]
fn administration_commands_work_and_fail_with_one_clear_line() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("cli.db").display());
    let db = ["--database-url", url.as_str()];
    let (ok, out, _) = koers(&[&["migrate"][..], &db].concat(), None);
    assert!(ok && out.contains("bijgewerkt"));
    let (ok, out, _) = koers(
        &[
            &[
                "org",
                "add",
                "--code",
                "gm0001",
                "--name",
                "Gemeente Test",
                "--place",
                "Test",
            ][..],
            &db,
        ]
        .concat(),
        None,
    );
    assert!(ok && out.contains("GM0001"), "{out}");
    let (ok, _, err) = koers(
        &[
            &[
                "org", "add", "--code", "GM0001", "--name", "Nog een", "--place", "Test",
            ][..],
            &db,
        ]
        .concat(),
        None,
    );
    assert!(
        !ok && err.trim().lines().count() == 1 && err.contains("al een organisatie"),
        "{err}"
    );
    let (ok, out, _) = koers(
        &[
            &[
                "user",
                "add",
                "--org",
                "GM0001",
                "--email",
                "a@test.example",
                "--role",
                "beheerder",
            ][..],
            &db,
        ]
        .concat(),
        None,
    );
    assert!(ok && out.contains("Wachtwoord: "), "{out}");
    let (ok, out, _) = koers(
        &[
            &[
                "user",
                "add",
                "--org",
                "GM0001",
                "--email",
                "b@test.example",
                "--role",
                "lezer",
                "--password-stdin",
            ][..],
            &db,
        ]
        .concat(),
        Some("een-lang-genoeg-wachtwoord\n"),
    );
    assert!(ok && !out.contains("Wachtwoord:"), "{out}");
    let (ok, _, err) = koers(
        &[
            &[
                "user",
                "add",
                "--org",
                "GM0001",
                "--email",
                "c@test.example",
                "--role",
                "baas",
            ][..],
            &db,
        ]
        .concat(),
        None,
    );
    assert!(!ok && err.contains("onbekende rol"));
    let (ok, _, err) = koers(
        &[
            &[
                "user",
                "add",
                "--org",
                "GM9999",
                "--email",
                "c@test.example",
                "--role",
                "lezer",
            ][..],
            &db,
        ]
        .concat(),
        None,
    );
    assert!(!ok && err.contains("geen organisatie"));
    let (ok, _, err) = koers(&["migrate", "--database-url", "mysql://nee"], None);
    assert!(
        !ok && err.starts_with("koers: ") && err.trim().lines().count() == 1,
        "{err}"
    );
    let (ok, out, _) = koers(
        &[
            &[
                "user",
                "password",
                "--email",
                "B@test.example",
                "--password-stdin",
            ][..],
            &db,
        ]
        .concat(),
        Some("nog-een-lang-wachtwoord\n"),
    );
    assert!(
        ok && out.contains("vervangen") && !out.contains("Wachtwoord:"),
        "{out}"
    );
    let (ok, out, _) = koers(
        &[&["user", "password", "--email", "b@test.example"][..], &db].concat(),
        None,
    );
    assert!(ok && out.contains("Wachtwoord: "), "{out}");
    let (ok, _, err) = koers(
        &[&["user", "password", "--email", "x@test.example"][..], &db].concat(),
        None,
    );
    assert!(!ok && err.contains("geen account"), "{err}");
    let (ok, out, _) = koers(&[&["demo"][..], &db].concat(), None);
    assert!(
        ok && out.contains("ingrid.bakker@denhelder.example"),
        "{out}"
    );
    let (ok, _, err) = koers(&[&["demo"][..], &db].concat(), None);
    assert!(!ok && err.contains("bestaat al"));
}

/// `koers serve --demo` on an empty database loads the demo, prints the accounts and the address,
/// serves pages, and stops cleanly on SIGTERM.
#[test]
fn serve_with_demo_starts_serves_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader, Read};
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("serve.db").display());
    let mut child = Command::new(env!("CARGO_BIN_EXE_koers"))
        .args([
            "serve",
            "--demo",
            "--bind",
            "127.0.0.1:0",
            "--database-url",
            &url,
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut printed = String::new();
    let address = loop {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "serve stopped early: {printed}"
        );
        printed.push_str(&line);
        if let Some(rest) = line.strip_prefix("Koers draait op http://") {
            break rest.split_whitespace().next().unwrap().to_string();
        }
    };
    assert!(
        printed.contains("wachtwoord:") && printed.contains("GM0400"),
        "{printed}"
    );
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    std::io::Write::write_all(
        &mut stream,
        b"GET /inloggen HTTP/1.0\r\nHost: koers\r\n\r\n",
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(
        response.starts_with("HTTP/1.0 200") && response.contains("Inloggen"),
        "{response}"
    );
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    assert!(
        child.wait().unwrap().success(),
        "serve exits cleanly on SIGTERM"
    );
}

/// `koers generate` writes organisations GM9000 and on, each with its users, plan, programmes,
/// actions and progress, and refuses to write them twice.
#[test]
fn generate_writes_organisations_with_programmes_actions_and_progress() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite:{}", dir.path().join("generate.db").display());
    let db = ["--database-url", url.as_str()];
    let args = ["generate", "--organisations", "2", "--years", "2"];
    let (ok, out, err) = koers(&[&args[..], &db].concat(), None);
    assert!(ok, "{err}");
    assert!(
        out.contains("2 organisaties gegenereerd (GM9000–GM9001)") && out.contains("wachtwoord"),
        "{out}"
    );
    // The summary's own count of progress entries, e.g. "… acties, 212 voortgangsmeldingen".
    let printed = |word: &str| -> i64 {
        let before = &out[..out.find(word).unwrap()];
        before.split_whitespace().last().unwrap().parse().unwrap()
    };
    let counts: std::collections::HashMap<String, i64> =
        tokio::runtime::Runtime::new().unwrap().block_on(async {
            let store = koers_store::Store::connect(&url).await.unwrap();
            store.row_counts().await.unwrap().into_iter().collect()
        });
    assert_eq!(counts["organisations"], 2);
    assert_eq!(counts["programmes"], 2 * 2);
    assert_eq!(counts["actions"], 2 * 2 * 45);
    assert_eq!(printed("acties"), 2 * 2 * 45);
    assert_eq!(counts["plans"], 2);
    assert_eq!(counts["users"], 2 * 5);
    assert!(counts["progress_entries"] > counts["actions"], "{counts:?}");
    assert_eq!(counts["progress_entries"], printed("voortgangsmeldingen"));
    assert!(
        counts["audit_log"]
            >= counts["organisations"]
                + counts["users"]
                + counts["actions"]
                + counts["progress_entries"],
        "{counts:?}"
    );
    assert!(
        counts["action_partners"] > 0 && counts["action_opgaven"] > 0,
        "{counts:?}"
    );

    let (ok, _, err) = koers(&[&args[..], &db].concat(), None);
    assert!(
        !ok && err.trim().lines().count() == 1
            && err.contains("al een organisatie met code GM9000"),
        "{err}"
    );
    let (ok, _, err) = koers(
        &[
            &["generate", "--organisations", "2", "--years", "11"][..],
            &db,
        ]
        .concat(),
        None,
    );
    assert!(
        !ok && err.trim().lines().count() == 1 && err.contains("--years"),
        "{err}"
    );
}
