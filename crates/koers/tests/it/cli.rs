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
