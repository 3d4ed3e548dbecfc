//! Hostile input on every route of the router: NUL bytes, control characters, very long text,
//! huge and negative numbers, years and dates far outside any calendar the databases know. None
//! of it may give a 5xx, on either database; forms answer with a message next to the field.

use crate::helpers::{TestApp, action_form, each_database, pairs, set};
use axum::http::StatusCode;
use koers_store::audit::AuditFilter;
use koers_store::catalog::Kind;

/// Values that have made databases or parsers stumble: NUL (PostgreSQL refuses it in text),
/// other control characters, numbers beyond 64 bits, years and dates outside what PostgreSQL
/// (4714 BC) or chrono (262143) can hold, and long text.
fn nasty() -> Vec<String> {
    [
        "a\0b@voorbeeld.nl",
        "\u{1}\u{1b}[0m\u{7f}\u{85}",
        "regel\r\nregel\ttab",
        "-5000",
        "99999",
        "-9223372036854775808",
        "99999999999999999999999",
        "-4800-01-01",
        "275760-01-01",
    ]
    .into_iter()
    .map(str::to_string)
    .chain(["x".repeat(10_000)])
    .collect()
}

/// The few that found most: for the second role, to keep the test fast.
fn fewer() -> Vec<String> {
    [
        "a\0b@voorbeeld.nl",
        "-4800-01-01",
        "99999999999999999999999",
    ]
    .into_iter()
    .map(str::to_string)
    .collect()
}

/// A path segment with every byte outside [A-Za-z0-9-] percent-encoded.
fn segment(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b == b'-' {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn query(name: &str, value: &str) -> String {
    serde_urlencoded::to_string([(name, value)]).unwrap()
}

struct Probe<'a> {
    app: &'a TestApp,
    session: String,
    failures: Vec<String>,
    requests: usize,
    values: Vec<String>,
}

impl Probe<'_> {
    fn record(&mut self, what: String, status: StatusCode, body: &str) {
        self.requests += 1;
        if status.is_server_error() {
            let shown: String = what.chars().take(200).collect();
            let body: String = body.chars().take(300).collect();
            self.failures.push(format!("{shown} → {status}: {body}"));
        }
    }

    async fn get(&mut self, path: &str) {
        let reply = self.app.get(path, &self.session).await;
        self.record(format!("GET {path:?}"), reply.status, &reply.body);
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) {
        let reply = self.app.post(path, &self.session, form).await;
        self.record(format!("POST {path:?} {form:?}"), reply.status, &reply.body);
    }

    /// Posts `base` once per field and nasty value, with only that field replaced.
    async fn post_each_field(&mut self, path: &str, base: &[(String, String)]) {
        let mut names: Vec<&str> = base.iter().map(|(k, _)| k.as_str()).collect();
        names.dedup();
        self.post_fields(path, base, &names).await;
    }

    /// Like [`Self::post_each_field`], for the fields in `names` only.
    async fn post_fields(&mut self, path: &str, base: &[(String, String)], names: &[&str]) {
        for name in names {
            for value in self.values.clone() {
                let mut form = base.to_vec();
                for pair in form.iter_mut().filter(|(k, _)| k == name) {
                    pair.1 = value.clone();
                }
                self.post(path, &pairs(&form)).await;
            }
        }
    }

    /// Gets `path` once per query parameter and nasty value.
    async fn get_each_param(&mut self, path: &str, params: &[&str]) {
        for param in params {
            for value in self.values.clone() {
                self.get(&format!("{path}?{}", query(param, &value))).await;
            }
        }
    }
}

fn owned(form: &[(&str, &str)]) -> Vec<(String, String)> {
    form.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Every route, with nasty values in each path segment, query parameter and form field.
async fn every_route(probe: &mut Probe<'_>, ids: &Ids) {
    let values = probe.values.clone();
    // Paths with one nasty segment each.
    for value in &values {
        let v = segment(value);
        for path in [
            format!("/onderdelen/{v}/nieuw"),
            format!("/onderdelen/thema/{v}/bewerken"),
            format!("/onderdelen/thema/{v}/verwijderen"),
            format!("/onderdelen/thema/{}/{v}", ids.theme),
            format!("/programma/{v}"),
            format!("/programma/{v}/export.xlsx"),
            format!("/programma/{v}/export.csv"),
            format!("/programma/{v}/acties/nieuw"),
            format!("/programma/{v}/acties/IV1-03"),
            format!("/programma/2024/acties/{v}"),
            format!("/programma/2024/acties/{v}/bewerken"),
            format!("/programma/{v}/acties/IV1-03/bewerken"),
            format!("/programma/{v}/raadspakket"),
            format!("/programma/{v}/raadspakket.html"),
            format!("/programma/{v}/raadspakket/1"),
            format!("/programma/2024/raadspakket/{v}"),
            format!("/static/{v}"),
        ] {
            probe.get(&path).await;
        }
        for path in [
            format!("/onderdelen/{v}"),
            format!("/onderdelen/thema/{v}/bewerken"),
            format!("/onderdelen/thema/{}/{v}", ids.theme),
            format!("/programma/{v}/acties"),
            format!("/programma/2024/acties/{v}/bewerken"),
            format!("/programma/2024/acties/{v}/voortgang"),
            format!("/programma/{v}/acties/IV1-03/voortgang"),
            format!("/beheer/gebruikers/{v}"),
            format!("/beheer/gebruikers/{v}/wachtwoord"),
            format!("/account/api-sleutels/{v}/intrekken"),
        ] {
            probe.post(&path, &[("naam", value)]).await;
        }
    }
    // Pages without parameters.
    for path in [
        "/",
        "/overzicht",
        "/beleidsplan",
        "/beleidsplan/bewerken",
        "/programma",
        "/beheer",
        "/beheer/organisatie",
        "/beheer/huisstijl",
        "/beheer/huisstijl/logo",
        "/beheer/briefsjabloon",
        "/beheer/briefsjabloon/herstellen",
        "/beheer/gebruikers",
        "/beheer/beveiliging",
        "/account/api-sleutels",
        "/programma/2024/acties/nieuw",
        "/programma/2024/acties/IV1-03/bewerken",
    ] {
        probe.get(path).await;
    }
    // Query strings.
    probe.get_each_param("/overzicht", &["jaar"]).await;
    probe
        .get_each_param("/programma/2024", &["thema", "status", "herkomst", "zoek"])
        .await;
    probe
        .get_each_param(
            "/beheer/audit",
            &["onderdeel", "gebruiker", "van", "tot", "pagina"],
        )
        .await;
    // The export reads the same filters.
    probe
        .get_each_param("/beheer/audit.csv", &["gebruiker", "tot"])
        .await;
    probe
        .get_each_param("/onderdelen/thema/nieuw", &["ouder"])
        .await;
    // Search, sorting and the programme's export (issue 10).
    probe
        .get_each_param("/programma/2024", &["sorteer", "richting"])
        .await;
    probe
        .get_each_param("/programma/2024/export.csv", &["status", "zoek"])
        .await;
    probe
        .get_each_param("/programma/2024/export.xlsx", &["thema"])
        .await;
    probe.get_each_param("/zoeken", &["zoek", "pagina"]).await;
    probe
        .get_each_param("/programma/2024/acties/IV1-03", &["jaar"])
        .await;

    // Forms, one field at a time.
    let plan = owned(&[
        ("versie", "1"),
        ("title", "Beleidsplan"),
        ("start_year", "2023"),
        ("end_year", "2026"),
        ("description", "Toelichting"),
    ]);
    probe.post_each_field("/beleidsplan/bewerken", &plan).await;
    let participation = owned(&[("deelname", &format!("{}:2024", ids.opgave))]);
    probe
        .post_each_field("/beleidsplan/deelname", &participation)
        .await;
    let item = owned(&[
        ("code", "X"),
        ("name", "Naam"),
        ("description", "Toelichting"),
        ("parent_id", &ids.domain.to_string()),
    ]);
    probe.post_each_field("/onderdelen/thema", &item).await;
    let mut edit = item.clone();
    edit.push(("versie".into(), "1".into()));
    probe
        .post_fields(
            &format!("/onderdelen/thema/{}/bewerken", ids.theme),
            &edit,
            &["versie", "name"],
        )
        .await;
    probe
        .post_each_field("/programma", &owned(&[("jaar", "2027")]))
        .await;
    // The fields of one kind share their parsing; one of each kind is enough on the slow form.
    let mut action = action_form(probe.app, 2024, "IV1-03").await;
    let fields = [
        "versie",
        "code",
        "title",
        "description",
        "ambition_id",
        "contributing_subteam_ids",
        "planned_hours",
    ];
    probe
        .post_fields("/programma/2024/acties/IV1-03/bewerken", &action, &fields)
        .await;
    set(&mut action, "code", "NIEUW-01");
    probe
        .post_fields(
            "/programma/2024/acties",
            &action,
            &["code", "intended_result", "lead_subteam_id"],
        )
        .await;
    let progress = owned(&[
        ("status", "op_schema"),
        ("note", "Toelichting"),
        ("hours_spent", "3"),
        ("entry_date", "2024-05-31"),
    ]);
    probe
        .post_each_field("/programma/2024/acties/IV1-03/voortgang", &progress)
        .await;
    let capacity = owned(&[(&format!("fte_{}_2024", ids.subteam), "4,5")]);
    probe.post_each_field("/beheer/formatie", &capacity).await;
    for value in &values {
        for name in [
            format!("fte_{value}_2024"),
            format!("fte_{}_{value}", ids.subteam),
        ] {
            probe.post("/beheer/formatie", &[(&name, "1")]).await;
        }
    }
    let organisation = owned(&[
        ("versie", "1"),
        ("name", "Gemeente Den Helder"),
        ("place", "Den Helder"),
    ]);
    probe
        .post_each_field("/beheer/organisatie", &organisation)
        .await;
    // The letter template (its preview too); the house style form is multipart, which
    // house_style.rs probes.
    for handeling in ["opslaan", "voorbeeld"] {
        let template = owned(&[
            ("versie", "0"),
            ("tekst", "Geachte leden van de raad,"),
            ("handeling", handeling),
        ]);
        probe
            .post_each_field("/beheer/briefsjabloon", &template)
            .await;
    }
    probe
        .post_each_field(
            "/beheer/briefsjabloon/herstellen",
            &owned(&[("versie", "1")]),
        )
        .await;
    probe
        .post("/beheer/huisstijl", &[("team", "geen multipart")])
        .await;
    // The address is not valid, so no account (and no password hash, which is slow) is made.
    let user = owned(&[
        ("email", "nieuw"),
        ("name", "Nieuw"),
        ("role", "lezer"),
        ("subteam_id", &ids.subteam.to_string()),
        ("active", "on"),
    ]);
    probe.post_each_field("/beheer/gebruikers", &user).await;
    let mut update = user.clone();
    update.push(("versie".into(), "1".into()));
    probe
        .post_fields(
            &format!("/beheer/gebruikers/{}", ids.reader),
            &update,
            &["versie", "role", "subteam_id"],
        )
        .await;
    probe
        .post_each_field("/account/api-sleutels", &owned(&[("name", "Koppeling")]))
        .await;
    probe
        .post_each_field(
            "/leesbaarheid",
            &owned(&[("veld", "description"), ("description", "Een zin.")]),
        )
        .await;
    // Trends, hours per subteam and indicators.
    let indicator = probe
        .app
        .store()
        .indicators(probe.app.org().await)
        .await
        .unwrap()[0]
        .indicator
        .id;
    for path in ["/trends", "/indicatoren", "/indicatoren/nieuw"] {
        probe.get(path).await;
    }
    for value in &values {
        let v = segment(value);
        for path in [
            format!("/programma/{v}/uren"),
            format!("/indicatoren/{v}"),
            format!("/indicatoren/{v}/bewerken"),
            format!("/indicatoren/{v}/verwijderen"),
        ] {
            probe.get(&path).await;
        }
        for path in [
            format!("/indicatoren/{v}/bewerken"),
            format!("/indicatoren/{v}/metingen"),
            format!("/indicatoren/{indicator}/metingen/{v}/verwijderen"),
        ] {
            probe.post(&path, &[("naam", value)]).await;
        }
    }
    let indicator_form = owned(&[
        ("versie", "1"),
        ("name", "Naam"),
        ("unit", "%"),
        ("direction", "hoger"),
        ("baseline_value", "1,5"),
        ("baseline_year", "2023"),
        ("description", "Toelichting"),
        ("target_year", "2024"),
        ("target_value", "2"),
        ("ambitions", "1"),
    ]);
    probe.post_each_field("/indicatoren", &indicator_form).await;
    probe
        .post_fields(
            &format!("/indicatoren/{indicator}/bewerken"),
            &indicator_form,
            &["versie", "target_year", "target_value"],
        )
        .await;
    let measurement = owned(&[
        ("measured_on", "2024-01-31"),
        ("value", "3,25"),
        ("source", "Bron"),
        ("note", "Toelichting"),
    ]);
    probe
        .post_each_field(&format!("/indicatoren/{indicator}/metingen"), &measurement)
        .await;
    // Progress rounds, "Mijn acties" and the confirmation of a new password.
    for value in &values {
        let v = segment(value);
        probe.get(&format!("/programma/{v}/rondes")).await;
        probe.get(&format!("/programma/2024/rondes/{v}")).await;
        probe
            .get(&format!("/beheer/gebruikers/{v}/wachtwoord"))
            .await;
        probe
            .post(
                &format!("/programma/2024/rondes/{v}/sluiten"),
                &[("version", value)],
            )
            .await;
    }
    probe.get_each_param("/mijn-acties", &["jaar"]).await;
    let round = owned(&[
        ("name", "Derde kwartaal 2024"),
        ("deadline", "2024-09-30"),
        ("days_before", "7, 1"),
        ("days_after", "3"),
    ]);
    probe
        .post_each_field("/programma/2024/rondes", &round)
        .await;
    risk_routes(probe).await;
    // VTH task fields and capacity.
    for value in &values {
        let v = segment(value);
        for path in [
            format!("/taakvelden/{v}/bewerken"),
            format!("/programma/{v}/taakvelden"),
            format!("/programma/2024/taakvelden/{v}"),
            format!("/programma/{v}/taakvelden/{}", ids.task_field),
            format!("/programma/{v}/capaciteit"),
        ] {
            probe.get(&path).await;
        }
        for path in [
            format!("/taakvelden/{v}/bewerken"),
            format!("/taakvelden/{v}/intrekken"),
            format!("/taakvelden/{}/{v}", ids.task_field),
            format!("/programma/{v}/taakvelden/{}", ids.task_field),
            format!("/programma/2024/taakvelden/{v}"),
        ] {
            probe.post(&path, &[("naam", value)]).await;
        }
    }
    for path in [
        "/taakvelden",
        "/taakvelden/nieuw",
        "/programma/2024/taakvelden",
        "/programma/2024/capaciteit",
        "/beheer/capaciteit",
    ] {
        probe.get(path).await;
    }
    let subteam = ids.subteam.to_string();
    let task_field = owned(&[
        ("versie", "1"),
        ("code", "X-1"),
        ("name", "Naam"),
        ("discipline", "T"),
        ("lead_subteam_id", &subteam),
        ("unit", "controle"),
        ("norm", "1,5"),
        ("decision_term_weeks", "8"),
        ("description", "Toelichting"),
    ]);
    probe.post_each_field("/taakvelden", &task_field).await;
    probe
        .post_fields(
            &format!("/taakvelden/{}/bewerken", ids.task_field),
            &task_field,
            &["versie", "norm", "lead_subteam_id", "decision_term_weeks"],
        )
        .await;
    let figures = owned(&[
        ("versie", "1"),
        ("planned_volume", "400"),
        ("realised_volume_q1", "90"),
        ("realised_hours_q1", "500"),
        ("decided", "80"),
        ("decided_in_term", "70"),
    ]);
    probe
        .post_each_field(
            &format!("/programma/2024/taakvelden/{}", ids.task_field),
            &figures,
        )
        .await;
    let settings = owned(&[
        ("versie", "1"),
        ("productive_hours_per_fte", "1300"),
        ("overhead_percent", "15"),
    ]);
    probe.post_each_field("/beheer/capaciteit", &settings).await;
    // A megabyte on a few routes; the body limit is a little above it.
    let megabyte = "x".repeat(1_000_000);
    for (path, field) in [
        ("/programma/2024/acties/IV1-03/voortgang", "note"),
        ("/onderdelen/thema", "name"),
        ("/beheer/organisatie", "place"),
        ("/account/api-sleutels", "name"),
        ("/leesbaarheid", "tekst"),
    ] {
        probe.post(path, &[(field, &megabyte)]).await;
    }
}

/// The risk analysis, the risk model and the LHS matrix: path segments and every form field.
async fn risk_routes(probe: &mut Probe<'_>) {
    let org = probe.app.org().await;
    let field = probe.app.store().task_field_refs(org).await.unwrap()[0].id;
    for value in probe.values.clone() {
        let v = segment(&value);
        probe.get(&format!("/risicoanalyse/taakvelden/{v}")).await;
        probe.get(&format!("/beleidsplan/lhs/versies/{v}")).await;
        probe
            .post(&format!("/risicoanalyse/taakvelden/{v}"), &[("kans", "3")])
            .await;
    }
    for path in [
        "/risicoanalyse",
        "/risicoanalyse/model",
        "/beleidsplan/lhs",
        "/beleidsplan/lhs/bewerken",
    ] {
        probe.get(path).await;
    }
    let analysis = owned(&[
        ("versie", "99"),
        ("model", "1"),
        ("kans", "3"),
        ("effect_1", "2"),
        ("effect_2", "3"),
        ("effect_3", "4"),
        ("effect_4", "5"),
        ("toelichting", "Toelichting"),
    ]);
    probe
        .post_each_field(&format!("/risicoanalyse/taakvelden/{field}"), &analysis)
        .await;
    let model = owned(&[
        ("versie", "99"),
        ("combinatie", "maximum"),
        ("criterium_naam_1", "Gebied"),
        ("criterium_gewicht_1", "1"),
        ("criterium_uitleg_1", "Uitleg"),
        ("klasse_naam_1", "Alles"),
        ("klasse_van_1", "1"),
        ("klasse_tot_1", "25"),
        ("klasse_intensiteit_1", "Elk jaar"),
    ]);
    probe.post_each_field("/risicoanalyse/model", &model).await;
    let matrix = owned(&[
        ("versie", "99"),
        ("cel_A1", "Informeren"),
        ("toelichting", "Eigen keuze"),
    ]);
    probe.post_each_field("/beleidsplan/lhs", &matrix).await;
}

struct Ids {
    domain: i64,
    theme: i64,
    opgave: i64,
    subteam: i64,
    reader: i64,
    task_field: i64,
}

async fn hostile_input_never_gives_a_server_error(app: TestApp) {
    let org = app.org().await;
    let first = |items: Vec<koers_store::catalog::Item>| items[0].id;
    let ids = Ids {
        domain: first(app.store().items(org, Kind::Domain).await.unwrap()),
        theme: first(app.store().items(org, Kind::Theme).await.unwrap()),
        opgave: first(app.store().items(org, Kind::Opgave).await.unwrap()),
        subteam: first(app.store().items(org, Kind::Subteam).await.unwrap()),
        task_field: app.store().task_fields(org).await.unwrap()[0].id,
        reader: app
            .store()
            .users(org)
            .await
            .unwrap()
            .into_iter()
            .find(|u| u.role == koers_domain::Rol::Lezer)
            .unwrap()
            .id,
    };
    let started = std::time::Instant::now();
    let mut failures = Vec::new();
    let mut requests = 0;
    // The adviser first: the administrator's turn changes accounts.
    for (role, values) in [("beleidsadviseur", fewer()), ("beheerder", nasty())] {
        let mut probe = Probe {
            app: &app,
            session: app.login(role).await,
            failures: Vec::new(),
            requests: 0,
            values,
        };
        every_route(&mut probe, &ids).await;
        probe.post("/uitloggen", &[("x", "\0")]).await;
        failures.extend(probe.failures.into_iter().map(|f| format!("{role}: {f}")));
        requests += probe.requests;
    }
    // Not logged in: the login form and its query string. Last, because the failed logins count
    // against this client.
    let mut probe = Probe {
        app: &app,
        session: String::new(),
        failures: Vec::new(),
        requests: 0,
        values: nasty(),
    };
    probe.get_each_param("/inloggen", &["terug"]).await;
    let login = owned(&[
        ("email", "iemand@denhelder.example"),
        ("wachtwoord", "een wachtwoord"),
        ("terug", "/overzicht"),
    ]);
    probe.post_each_field("/inloggen", &login).await;
    probe.get("/overzicht?jaar=%00").await;
    failures.extend(probe.failures);
    requests += probe.requests;
    assert!(
        failures.is_empty(),
        "{} of {requests} requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{requests} requests in {:?}", started.elapsed());
}

async fn a_megabyte_of_plan_description_is_refused_and_nothing_is_saved(app: TestApp) {
    let org = app.org().await;
    let session = app.login("beleidsadviseur").await;
    let audit = || async {
        app.store()
            .audit_entries(org, &AuditFilter::default())
            .await
            .unwrap()
            .len()
    };
    let before = audit().await;
    let plan = app.store().plan(org).await.unwrap().unwrap();
    let version = plan.version.to_string();
    let megabyte = "x".repeat(1_000_000);
    for description in [megabyte.as_str(), "Een plan\0met een NUL"] {
        let reply = app
            .post(
                "/beleidsplan/bewerken",
                &session,
                &[
                    ("versie", &version),
                    ("title", "Nieuwe titel"),
                    ("start_year", "2023"),
                    ("end_year", "2026"),
                    ("description", description),
                ],
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            reply.body.contains("id=\"description-error\""),
            "no message next to the field"
        );
        // What the user typed is kept.
        assert!(reply.body.contains("Nieuwe titel"));
    }
    let reply = app
        .post(
            "/programma/2024/acties/IV1-03/voortgang",
            &session,
            &[
                ("status", "op_schema"),
                ("note", "Oud"),
                ("hours_spent", "1"),
                ("entry_date", "-4800-01-01"),
            ],
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("id=\"entry_date-error\""));
    assert_eq!(audit().await, before, "something was saved");
    assert_eq!(
        app.store().plan(org).await.unwrap().unwrap().title,
        plan.title
    );
    let beheerder = app.login("beheerder").await;
    for (path, message) in [
        ("/beheer/audit?van=-4800-01-01", "Vul een datum in tussen"),
        ("/beheer/audit?tot=275760-01-01", "Vul een datum in tussen"),
        (
            "/beheer/audit.csv?van=1999-12-31",
            "Vul een datum in tussen",
        ),
        ("/beheer/audit?pagina=99999999999999999999", "bestaat niet"),
        ("/beheer/audit?pagina=0", "bestaat niet"),
        ("/beheer/audit?gebruiker=a%00b", "onzichtbaar"),
        ("/programma/2024?zoek=a%00b", "onzichtbaar"),
        ("/programma/2024?sorteer=prijs", "Onbekende sortering"),
        ("/zoeken?zoek=a&pagina=0", "bestaat niet"),
    ] {
        let reply = app.get(path, &beheerder).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(reply.body.contains(message), "{path}: {}", reply.body);
    }
    for path in [
        "/programma/99999",
        "/programma/-5000/acties/IV1-03",
        "/programma/2024/acties/IV1%0003",
        "/onderdelen/thema/99999999999999999999/bewerken",
        "/onderdelen/thema/nieuw?ouder=-1",
    ] {
        let reply = app.get(path, &beheerder).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        assert!(reply.body.contains("Pagina niet gevonden"), "{path}");
    }
}

each_database!(
    hostile_input_never_gives_a_server_error,
    a_megabyte_of_plan_description_is_refused_and_nothing_is_saved
);
