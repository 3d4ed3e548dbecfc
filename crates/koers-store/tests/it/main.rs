//! Contract tests of the store, run on SQLite and, when KOERS_TEST_DATABASE_URL is set, on
//! PostgreSQL too (each test in its own schema).

use chrono::{DateTime, Utc};
use koers_domain::{ActieInvoer, Jaar};
use koers_store::catalog::{ItemInput, Kind};
use koers_store::plan::PlanInput;
use koers_store::{Actor, Store, StoreError};

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-03-01T10:00:00Z")
        .unwrap()
        .to_utc()
}

/// Declares, for each named `async fn(store: Store)`, one test per database (`name::sqlite`,
/// `name::postgres`), so that a failure on one database never hides the result on the other.
macro_rules! each_database {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    let (store, _dir) = super::sqlite().await;
                    super::$name(store).await;
                }

                #[tokio::test]
                async fn postgres() {
                    if let Some(store) = super::postgres().await {
                        super::$name(store).await;
                    }
                }
            }
        )+
    };
}

async fn sqlite() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = Store::connect(&format!("sqlite:{}", dir.path().join("test.db").display()))
        .await
        .unwrap();
    sqlite.migrate().await.unwrap();
    (sqlite, dir)
}

/// A fresh database per dialect: a temporary SQLite file, and a new schema on PostgreSQL.
async fn stores() -> Vec<(Store, Option<tempfile::TempDir>)> {
    let (sqlite, dir) = sqlite().await;
    let mut stores = vec![(sqlite, Some(dir))];
    if let Some(pg) = postgres().await {
        stores.push((pg, None));
    }
    stores
}

async fn postgres() -> Option<Store> {
    koers_store::testing::postgres_from_env().await.unwrap()
}

fn actor(org: i64) -> Actor {
    Actor {
        organisation_id: org,
        user_id: None,
        user_name: "Test".into(),
        now: now(),
    }
}

/// A cell of the formation grid with only the FTE filled in.
fn fte_cell(
    subteam_id: i64,
    year: i64,
    fte: koers_domain::Fte,
) -> koers_store::catalog::CapacityCell {
    koers_store::catalog::CapacityCell {
        subteam_id,
        year,
        fte,
        persons: None,
    }
}

fn item(name: &str) -> ItemInput {
    ItemInput {
        code: String::new(),
        name: name.into(),
        description: String::new(),
    }
}

/// An organisation with a plan, one domain, theme, ambition, subteam and a programme 2024.
struct Fixture {
    org: i64,
    plan: i64,
    domain: i64,
    theme: i64,
    ambition: i64,
    subteam: i64,
    programme: i64,
}

async fn fixture(store: &Store, code: &str) -> Fixture {
    let org = store
        .create_organisation(code, &format!("Gemeente {code}"), "Ergens", false, now())
        .await
        .unwrap();
    let a = actor(org);
    let plan = PlanInput {
        title: "Plan".into(),
        start_year: "2023".into(),
        end_year: "2026".into(),
        description: String::new(),
    };
    let plan_id = store
        .create_plan(&a, &plan.validate().unwrap())
        .await
        .unwrap();
    let domain = store
        .create_item(
            &a,
            Kind::Domain,
            Some(plan_id),
            &item("Integrale Veiligheid"),
            false,
        )
        .await
        .unwrap();
    let theme = store
        .create_item(&a, Kind::Theme, Some(domain), &item("Ondermijning"), false)
        .await
        .unwrap();
    let ambition = store
        .create_item(
            &a,
            Kind::Ambition,
            Some(theme),
            &item("Minder ondermijning"),
            false,
        )
        .await
        .unwrap();
    let subteam = store
        .create_item(&a, Kind::Subteam, None, &item("Ondermijning"), false)
        .await
        .unwrap();
    let programme = store
        .create_programme(&a, Jaar::new(2024).unwrap(), "UP 2024")
        .await
        .unwrap();
    Fixture {
        org,
        plan: plan_id,
        domain,
        theme,
        ambition,
        subteam,
        programme,
    }
}

fn action_input(f: &Fixture, code: &str) -> ActieInvoer {
    ActieInvoer {
        code: code.into(),
        title: "Bibob-toets horeca".into(),
        theme_id: f.theme.to_string(),
        ambition_id: f.ambition.to_string(),
        lead_subteam_id: f.subteam.to_string(),
        quarters: vec!["1".into()],
        planned_hours: "40".into(),
        priority: "hoog".into(),
        origin: "nieuw_trends".into(),
        ..Default::default()
    }
}

/// The two schemas agree on tables, columns (common type name and nullability), foreign keys and
/// guard triggers. Without PostgreSQL, the SQLite outline is still checked for the essentials.
#[tokio::test]
async fn both_dialects_have_the_same_tables_and_columns() {
    let stores = stores().await;
    let outlines: Vec<_> = futures_outlines(&stores).await;
    let sqlite = &outlines[0];
    let table = |name: &str| {
        sqlite
            .iter()
            .find(|(t, _)| t == name)
            .map(|(_, lines)| lines.clone())
            .unwrap_or_else(|| panic!("no table {name}"))
    };
    for guard in [
        "guard before insert",
        "guard before update",
        "guard before delete",
        "guard before truncate",
    ] {
        for name in ["audit_log", "progress_entries"] {
            assert!(table(name).contains(&guard.to_string()), "{name}: {guard}");
        }
    }
    assert!(table("actions").contains(
        &"foreign key (organisation_id, theme_id) -> themes(organisation_id, id)".to_string()
    ));
    assert!(table("users").contains(
        &"foreign key (organisation_id, subteam_id) -> subteams(organisation_id, id)".to_string()
    ));
    assert!(table("audit_log").contains(&"column occurred_at: timestamp not null".to_string()));
    for other in &outlines[1..] {
        let names =
            |o: &[(String, Vec<String>)]| o.iter().map(|(t, _)| t.clone()).collect::<Vec<_>>();
        assert_eq!(
            names(sqlite),
            names(other),
            "SQLite and PostgreSQL have different tables"
        );
        let mut differences = Vec::new();
        for ((table, sqlite_lines), (_, pg_lines)) in sqlite.iter().zip(other) {
            for line in sqlite_lines.iter().filter(|l| !pg_lines.contains(l)) {
                differences.push(format!("{table}: only SQLite has `{line}`"));
            }
            for line in pg_lines.iter().filter(|l| !sqlite_lines.contains(l)) {
                differences.push(format!("{table}: only PostgreSQL has `{line}`"));
            }
        }
        assert!(
            differences.is_empty(),
            "SQLite and PostgreSQL schemas differ:\n{}",
            differences.join("\n")
        );
    }
}

async fn futures_outlines(
    stores: &[(Store, Option<tempfile::TempDir>)],
) -> Vec<Vec<(String, Vec<String>)>> {
    let mut result = Vec::new();
    for (store, _) in stores {
        result.push(store.schema_outline().await.unwrap());
    }
    result
}

/// Every reference between tables with organisation data is a foreign key that includes the
/// organisation: no table refers to another by id alone.
#[tokio::test]
async fn every_reference_includes_the_organisation() {
    let (store, _dir) = sqlite().await;
    let outline = store.schema_outline().await.unwrap();
    for (table, lines) in &outline {
        for key in lines.iter().filter(|l| l.starts_with("foreign key")) {
            assert!(
                key == "foreign key (organisation_id) -> organisations(id)"
                    || (key.starts_with("foreign key (organisation_id, ")
                        && key.ends_with("(organisation_id, id)")),
                "{table}: {key}"
            );
        }
    }
}

async fn audit_rows_cannot_be_changed_or_deleted(store: Store) {
    let f = fixture(&store, "GM0001").await;
    let entries = store
        .audit_entries(f.org, &Default::default())
        .await
        .unwrap();
    // Each of the fixture's seven writes wrote exactly one row, in the order of the writes
    // (the log is newest first); a missing or a doubled row fails here.
    let written: Vec<(String, i64, String)> = entries
        .iter()
        .rev()
        .map(|e| (e.entity.clone(), e.entity_id, e.operation.clone()))
        .collect();
    let expected: Vec<(String, i64, String)> = [
        ("organisatie", f.org),
        ("beleidsplan", f.plan),
        ("domein", f.domain),
        ("thema", f.theme),
        ("ambitie", f.ambition),
        ("subteam", f.subteam),
        ("programma", f.programme),
    ]
    .into_iter()
    .map(|(entity, id)| (entity.to_string(), id, "aanmaken".to_string()))
    .collect();
    assert_eq!(written, expected, "{:?}", store.dialect());
    assert_eq!(entries.len(), 7);
    let outcomes = store.try_tamper_with_audit(f.org).await;
    assert!(
        outcomes.iter().all(|o| o.starts_with("refused")),
        "{:?}: {outcomes:?}",
        store.dialect()
    );
    assert_eq!(
        store
            .audit_entries(f.org, &Default::default())
            .await
            .unwrap()
            .len(),
        entries.len()
    );
}

async fn organisations_cannot_reach_each_others_data(store: Store) {
    let a = fixture(&store, "GM0001").await;
    let b = fixture(&store, "GM0002").await;
    // B cannot read, edit, retire or delete A's theme.
    assert!(matches!(
        store.item(b.org, Kind::Theme, a.theme).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .update_item(&actor(b.org), Kind::Theme, a.theme, 1, &item("x"))
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .set_item_retired(&actor(b.org), Kind::Theme, a.theme, true)
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.delete_item(&actor(b.org), Kind::Theme, a.theme).await,
        Err(StoreError::NotFound)
    ));
    // B cannot build an action on A's theme and subteam.
    let mut input = action_input(&b, "IV2-01");
    input.theme_id = a.theme.to_string();
    input.ambition_id = String::new();
    input.lead_subteam_id = a.subteam.to_string();
    let data = input.validate().unwrap();
    match store.create_action(&actor(b.org), b.programme, &data).await {
        Err(StoreError::Invalid(errors)) => {
            assert!(errors.get("theme_id").is_some());
            assert!(errors.get("lead_subteam_id").is_some());
        }
        other => panic!("expected invalid, got {other:?}"),
    }
    // Nor into A's programme.
    let data = action_input(&b, "IV2-01").validate().unwrap();
    assert!(
        store
            .create_action(&actor(b.org), a.programme, &data)
            .await
            .is_err()
    );
    // A's action is invisible to B.
    let id = store
        .create_action(
            &actor(a.org),
            a.programme,
            &action_input(&a, "IV2-01").validate().unwrap(),
        )
        .await
        .unwrap();
    assert!(matches!(
        store.action(b.org, id).await,
        Err(StoreError::NotFound)
    ));
    assert!(
        store
            .audit_entries(b.org, &Default::default())
            .await
            .unwrap()
            .iter()
            .all(|e| e.summary != "Actie IV2-01 'Bibob-toets horeca' toegevoegd")
    );
}

async fn a_stale_edit_is_refused_as_a_conflict(store: Store) {
    let f = fixture(&store, "GM0001").await;
    let data = action_input(&f, "IV2-01").validate().unwrap();
    let id = store
        .create_action(&actor(f.org), f.programme, &data)
        .await
        .unwrap();
    let mut first = action_input(&f, "IV2-01");
    first.title = "Eerste versie".into();
    store
        .update_action(&actor(f.org), id, 1, &first.validate().unwrap())
        .await
        .unwrap();
    let mut second = action_input(&f, "IV2-01");
    second.title = "Tweede versie".into();
    let result = store
        .update_action(&actor(f.org), id, 1, &second.validate().unwrap())
        .await;
    assert!(
        matches!(result, Err(StoreError::Conflict { current: 2 })),
        "{result:?}"
    );
    assert_eq!(
        store.action(f.org, id).await.unwrap().action.title,
        "Eerste versie"
    );
}

async fn codes_are_unique_within_a_programme(store: Store) {
    let f = fixture(&store, "GM0001").await;
    let data = action_input(&f, "IV2-01").validate().unwrap();
    store
        .create_action(&actor(f.org), f.programme, &data)
        .await
        .unwrap();
    match store.create_action(&actor(f.org), f.programme, &data).await {
        Err(StoreError::Invalid(errors)) => {
            assert!(errors.get("code").unwrap().contains("al in gebruik"))
        }
        other => panic!("expected invalid code, got {other:?}"),
    }
}

async fn used_items_are_retired_not_deleted(store: Store) {
    let f = fixture(&store, "GM0001").await;
    let data = action_input(&f, "IV2-01").validate().unwrap();
    store
        .create_action(&actor(f.org), f.programme, &data)
        .await
        .unwrap();
    let refused = store
        .delete_item(&actor(f.org), Kind::Subteam, f.subteam)
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Refused(m)) if m.contains("in gebruik")),
        "{refused:?}"
    );
    store
        .set_item_retired(&actor(f.org), Kind::Subteam, f.subteam, true)
        .await
        .unwrap();
    assert!(
        store
            .item(f.org, Kind::Subteam, f.subteam)
            .await
            .unwrap()
            .retired
    );
    // A retired subteam cannot be chosen for a new action, but existing ones keep it.
    let new = action_input(&f, "IV2-02").validate().unwrap();
    assert!(matches!(
        store.create_action(&actor(f.org), f.programme, &new).await,
        Err(StoreError::Invalid(_))
    ));
    // An unused item can be deleted.
    let partner = store
        .create_item(&actor(f.org), Kind::Partner, None, &item("Politie"), false)
        .await
        .unwrap();
    store
        .delete_item(&actor(f.org), Kind::Partner, partner)
        .await
        .unwrap();
    assert!(matches!(
        store.item(f.org, Kind::Partner, partner).await,
        Err(StoreError::NotFound)
    ));
}

async fn progress_sets_status_from_the_newest_entry(store: Store) {
    use koers_domain::{Status, Uren, Voortgang};
    let f = fixture(&store, "GM0001").await;
    let id = store
        .create_action(
            &actor(f.org),
            f.programme,
            &action_input(&f, "IV2-01").validate().unwrap(),
        )
        .await
        .unwrap();
    let entry = |status, day| Voortgang {
        status,
        note: "n".into(),
        hours_spent: Uren::new(5).unwrap(),
        entry_date: chrono::NaiveDate::from_ymd_opt(2024, 3, day).unwrap(),
    };
    store
        .add_progress(&actor(f.org), id, &entry(Status::Vertraagd, 20))
        .await
        .unwrap();
    // A late report about an earlier date does not override the newer status.
    store
        .add_progress(&actor(f.org), id, &entry(Status::OpSchema, 10))
        .await
        .unwrap();
    let action = store.action(f.org, id).await.unwrap().action;
    assert_eq!(action.status, Status::Vertraagd);
    assert_eq!(action.hours_spent, 10);
    assert_eq!(store.progress(f.org, id).await.unwrap().len(), 2);
}

async fn concurrent_writers_all_succeed(store: Store) {
    use koers_domain::{Status, Uren, Voortgang};
    let f = fixture(&store, "GM0001").await;
    let id = store
        .create_action(
            &actor(f.org),
            f.programme,
            &action_input(&f, "IV2-01").validate().unwrap(),
        )
        .await
        .unwrap();
    let mut tasks = Vec::new();
    for day in 1..=16 {
        let store = store.clone();
        let org = f.org;
        tasks.push(tokio::spawn(async move {
            let entry = Voortgang {
                status: Status::OpSchema,
                note: format!("melding {day}"),
                hours_spent: Uren::new(1).unwrap(),
                entry_date: chrono::NaiveDate::from_ymd_opt(2024, 3, day).unwrap(),
            };
            store.add_progress(&actor(org), id, &entry).await
        }));
    }
    for task in tasks {
        task.await
            .unwrap()
            .expect("every concurrent write is stored");
    }
    assert_eq!(store.progress(f.org, id).await.unwrap().len(), 16);
    assert_eq!(
        store.action(f.org, id).await.unwrap().action.hours_spent,
        16
    );
}

/// The guards of the append-only tables hold against every way SQL has to change a row: UPDATE,
/// DELETE, SQLite's REPLACE and INSERT OR REPLACE (which delete the old row without firing DELETE
/// triggers), upserts, PostgreSQL's TRUNCATE and MERGE. Each is refused by the guard itself, not
/// by some other error, and the rows read back the same.
async fn append_only_tables_refuse_every_change(store: Store) {
    use koers_domain::{Status, Uren, Voortgang};
    let f = fixture(&store, "GM0001").await;
    let action = store
        .create_action(
            &actor(f.org),
            f.programme,
            &action_input(&f, "IV2-01").validate().unwrap(),
        )
        .await
        .unwrap();
    let entry = Voortgang {
        status: Status::OpSchema,
        note: "Eerste melding".into(),
        hours_spent: Uren::new(5).unwrap(),
        entry_date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    };
    store
        .add_progress(&actor(f.org), action, &entry)
        .await
        .unwrap();
    let audit = store
        .audit_entries(f.org, &Default::default())
        .await
        .unwrap();
    let progress = store.progress(f.org, action).await.unwrap();
    let snapshot = || async {
        format!(
            "{:?}\n{:?}",
            store
                .audit_entries(f.org, &Default::default())
                .await
                .unwrap(),
            store.progress(f.org, action).await.unwrap()
        )
    };
    let package = {
        let mut tx = store.begin().await.unwrap();
        let (kept, _) = tx
            .keep_council_package(
                &actor(f.org),
                &koers_store::council_packages::NewCouncilPackage {
                    programme_id: f.programme,
                    format: "pdf",
                    bytes: b"%PDF",
                    programme_version: 1,
                    evaluation_version: None,
                },
            )
            .await
            .unwrap();
        tx.commit().await.unwrap();
        kept.id
    };
    let snapshot = || async {
        format!(
            "{}\n{:?}",
            snapshot().await,
            store.council_package(f.org, package).await.unwrap()
        )
    };
    let before = snapshot().await;

    let org = f.org;
    let programme = f.programme;
    let tables = [
        (
            "audit_log",
            audit[0].id,
            "summary",
            "(id, organisation_id, occurred_at, user_id, user_name, entity, entity_id, operation, \
             summary, before_json, after_json)"
                .to_string(),
            format!(
                "({}, {org}, '2024-03-01 10:00:00+00:00', NULL, 'Vervalser', 'actie', {action}, \
                 'wijzigen', 'vervalst', NULL, NULL)",
                audit[0].id
            ),
        ),
        (
            "progress_entries",
            progress[0].id,
            "note",
            "(id, organisation_id, action_id, status, note, hours_spent, entry_date, author_id, \
             author_name, recorded_at)"
                .to_string(),
            format!(
                "({}, {org}, {action}, 'gereed', 'vervalst', 999, '2024-03-02', NULL, 'Vervalser', \
                 '2024-03-02 10:00:00+00:00')",
                progress[0].id
            ),
        ),
        (
            "council_packages",
            package,
            "created_by",
            "(id, organisation_id, programme_id, format, sha256, size, bytes, programme_version, \
             evaluation_version, created_at, created_by)"
                .to_string(),
            format!(
                "({package}, {org}, {programme}, 'pdf', 'vervalst', 4, 'vals', 1, NULL, \
                 '2024-03-02 10:00:00+00:00', 'Vervalser')"
            ),
        ),
    ];
    refuses_every_change(&store, &tables).await;
    assert_eq!(before, snapshot().await, "{:?}", store.dialect());
    // Appending still works.
    store
        .add_progress(&actor(f.org), action, &entry)
        .await
        .unwrap();
    assert_eq!(store.progress(f.org, action).await.unwrap().len(), 2);
}

/// An append-only table to attack: its name, the id of a row in it, a text column, its column
/// list and a row with that id as SQL values.
type Guarded = (&'static str, i64, &'static str, String, String);

/// Tries every way SQL has to change or remove the row of each table, and asserts that the
/// append-only guard itself refuses each attempt.
async fn refuses_every_change(store: &Store, tables: &[Guarded]) {
    use koers_store::Dialect;
    let mut attempts = Vec::new();
    for (table, id, text, columns, row) in tables {
        attempts.push(format!(
            "UPDATE {table} SET {text} = 'vervalst' WHERE id = {id}"
        ));
        attempts.push(format!("DELETE FROM {table} WHERE id = {id}"));
        attempts.push(format!("DELETE FROM {table}"));
        match store.dialect() {
            Dialect::Sqlite => {
                attempts.push(format!("REPLACE INTO {table} {columns} VALUES {row}"));
                attempts.push(format!(
                    "INSERT OR REPLACE INTO {table} {columns} VALUES {row}"
                ));
                attempts.push(format!(
                    "INSERT INTO {table} {columns} VALUES {row} \
                     ON CONFLICT (id) DO UPDATE SET {text} = excluded.{text}"
                ));
                attempts.push(format!(
                    "UPDATE OR REPLACE {table} SET {text} = 'vervalst' WHERE id = {id}"
                ));
            }
            Dialect::Postgres => {
                attempts.push(format!(
                    "INSERT INTO {table} {columns} OVERRIDING SYSTEM VALUE VALUES {row} \
                     ON CONFLICT (id) DO UPDATE SET {text} = excluded.{text}"
                ));
                attempts.push(format!(
                    "INSERT INTO {table} {columns} OVERRIDING SYSTEM VALUE VALUES {row} \
                     ON CONFLICT (id) DO NOTHING"
                ));
                attempts.push(format!("TRUNCATE {table}"));
                attempts.push(format!("TRUNCATE {table} CASCADE"));
                attempts.push(format!(
                    "MERGE INTO {table} t USING (SELECT {id} AS id) s ON t.id = s.id \
                     WHEN MATCHED THEN UPDATE SET {text} = 'vervalst'"
                ));
                attempts.push(format!(
                    "MERGE INTO {table} t USING (SELECT {id} AS id) s ON t.id = s.id \
                     WHEN MATCHED THEN DELETE"
                ));
            }
        }
    }
    for sql in &attempts {
        match store.execute_raw(sql).await {
            Err(e) if e.to_string().contains("is append-only") => {}
            // PostgreSQL refuses a TRUNCATE of a table that another table refers to before any
            // trigger runs (risk_models, which the analyses name); refused all the same.
            Err(e)
                if sql.starts_with("TRUNCATE")
                    && e.to_string()
                        .contains("cannot truncate a table referenced in a foreign key") => {}
            other => panic!(
                "{:?}: `{sql}` was not refused by the append-only guard: {other:?}",
                store.dialect()
            ),
        }
    }
}

/// The versions of the risk model, the risk analyses and the LHS matrix are kept by the database
/// as they were saved: an analysis keeps pointing at the model it was scored with, whatever SQL
/// runs behind Koers' back.
async fn versioned_risk_configuration_refuses_every_change(store: Store) {
    use koers_domain::lhs::LhsInvoer;
    use koers_domain::risk::{AnalyseInvoer, Risicomodel};
    use koers_domain::vth::TaakveldInvoer;
    use koers_store::risk::AnalysisBase;
    let f = fixture(&store, "GM0001").await;
    let a = actor(f.org);
    let field = TaakveldInvoer {
        code: "T-BRAND".into(),
        name: "Toezicht brandveilig gebruik".into(),
        discipline: "T".into(),
        lead_subteam_id: f.subteam.to_string(),
        unit: "controle".into(),
        norm: "6".into(),
        ..Default::default()
    };
    let field = store
        .create_task_field(&a, &field.validate().unwrap())
        .await
        .unwrap();
    let model = Risicomodel::standaard();
    let analyse = AnalyseInvoer {
        kans: "3".into(),
        effecten: vec!["4".into(); model.criteria.len()],
        toelichting: "Kamerverhuur".into(),
    };
    let base = AnalysisBase {
        analysis_number: 0,
        model_number: 0,
        model: &model,
    };
    store
        .add_risk_analysis(&a, field, base, &analyse.validate(&model).unwrap())
        .await
        .unwrap();
    let matrix = LhsInvoer {
        cellen: [("A1".to_string(), "Waarschuwing".to_string())].into(),
        toelichting: String::new(),
    };
    store
        .add_lhs_matrix(&a, 0, &matrix.validate().unwrap())
        .await
        .unwrap();
    let snapshot = || async {
        format!(
            "{:?}\n{:?}\n{:?}",
            store.risk_models(f.org).await.unwrap(),
            store.risk_analyses(f.org).await.unwrap(),
            store.lhs_versions(f.org).await.unwrap()
        )
    };
    let before = snapshot().await;
    let model_id = store.risk_models(f.org).await.unwrap()[0].id;
    let analysis_id = store.risk_analyses(f.org).await.unwrap()[0].id;
    let matrix_id = store.lhs_versions(f.org).await.unwrap()[0].id;
    let org = f.org;
    let at = "'2024-03-02 10:00:00+00:00'";
    let tables: [Guarded; 3] = [
        (
            "risk_models",
            model_id,
            "created_by",
            "(id, organisation_id, number, model, created_at, created_by)".to_string(),
            format!("({model_id}, {org}, 1, '{{}}', {at}, 'Vervalser')"),
        ),
        (
            "risk_analyses",
            analysis_id,
            "note",
            "(id, organisation_id, task_field_id, number, risk_model_id, kans, effects, note, \
             created_at, created_by)"
                .to_string(),
            format!(
                "({analysis_id}, {org}, {field}, 1, {model_id}, 1, '[]', 'vervalst', {at}, 'Vervalser')"
            ),
        ),
        (
            "lhs_matrices",
            matrix_id,
            "note",
            "(id, organisation_id, number, cells, note, created_at, created_by)".to_string(),
            format!("({matrix_id}, {org}, 1, '{{}}', 'vervalst', {at}, 'Vervalser')"),
        ),
    ];
    refuses_every_change(&store, &tables).await;
    assert_eq!(before, snapshot().await, "{:?}", store.dialect());
}

/// The database itself refuses a row that refers to another organisation's row, even when the
/// application's checks are bypassed; the same row within one organisation is accepted.
async fn the_database_refuses_references_across_organisations(store: Store) {
    let a = fixture(&store, "GM0001").await;
    let b = fixture(&store, "GM0002").await;
    let a_action = store
        .create_action(
            &actor(a.org),
            a.programme,
            &action_input(&a, "IV2-01").validate().unwrap(),
        )
        .await
        .unwrap();
    let b_action = store
        .create_action(
            &actor(b.org),
            b.programme,
            &action_input(&b, "IV2-01").validate().unwrap(),
        )
        .await
        .unwrap();
    let b_second = store
        .create_item(&actor(b.org), Kind::Subteam, None, &item("Toezicht"), false)
        .await
        .unwrap();
    let b_third = store
        .create_item(
            &actor(b.org),
            Kind::Subteam,
            None,
            &item("Handhaving"),
            false,
        )
        .await
        .unwrap();
    let org = b.org;
    let action = |code: &str, programme: i64, theme: i64, subteam: i64, predecessor: &str| {
        format!(
            "INSERT INTO actions (organisation_id, programme_id, code, title, theme_id, \
             lead_subteam_id, quarters, planned_hours, priority, origin, predecessor_id) \
             VALUES ({org}, {programme}, '{code}', 'Rauw', {theme}, {subteam}, '1', 1, 'hoog', \
             'nieuw_trends', {predecessor})"
        )
    };
    let user = |email: &str, subteam: i64| {
        format!(
            "INSERT INTO users (organisation_id, email, name, role, subteam_id, password_hash, \
             created_at) VALUES ({org}, '{email}', 'Rauw', 'teamlid', {subteam}, 'x', \
             '2024-03-01 10:00:00+00:00')"
        )
    };
    let progress = |action: i64| {
        format!(
            "INSERT INTO progress_entries (organisation_id, action_id, status, note, hours_spent, \
             entry_date, author_name, recorded_at) VALUES ({org}, {action}, 'op_schema', 'n', 1, \
             '2024-03-01', 'Rauw', '2024-03-01 10:00:00+00:00')"
        )
    };
    let theme = |parent: i64| {
        format!(
            "INSERT INTO themes (organisation_id, parent_id, name, position) \
             VALUES ({org}, {parent}, 'Rauw', 9)"
        )
    };
    let domain = |parent: i64| {
        format!(
            "INSERT INTO domains (organisation_id, parent_id, name, position) \
             VALUES ({org}, {parent}, 'Rauw', 9)"
        )
    };
    let contributor = |action: i64, subteam: i64| {
        format!(
            "INSERT INTO action_subteams (organisation_id, action_id, subteam_id) \
             VALUES ({org}, {action}, {subteam})"
        )
    };
    let capacity = |subteam: i64| {
        format!(
            "INSERT INTO subteam_capacity (organisation_id, subteam_id, year, fte_hundredths) \
             VALUES ({org}, {subteam}, 2024, 100)"
        )
    };
    // (refused: refers to organisation A, accepted: the same within B)
    let pairs = [
        (
            action("X-01", b.programme, a.theme, b.subteam, "NULL"),
            action("X-01", b.programme, b.theme, b.subteam, "NULL"),
        ),
        (
            action("X-02", a.programme, b.theme, b.subteam, "NULL"),
            action("X-02", b.programme, b.theme, b.subteam, "NULL"),
        ),
        (
            action("X-03", b.programme, b.theme, a.subteam, "NULL"),
            action("X-03", b.programme, b.theme, b.subteam, "NULL"),
        ),
        (
            action(
                "X-04",
                b.programme,
                b.theme,
                b.subteam,
                &a_action.to_string(),
            ),
            action(
                "X-04",
                b.programme,
                b.theme,
                b.subteam,
                &b_action.to_string(),
            ),
        ),
        (
            user("a@example.org", a.subteam),
            user("b@example.org", b.subteam),
        ),
        (progress(a_action), progress(b_action)),
        (theme(a.domain), theme(b.domain)),
        (domain(a.plan), domain(b.plan)),
        (
            contributor(a_action, b.subteam),
            contributor(b_action, b_second),
        ),
        (
            contributor(b_action, a.subteam),
            contributor(b_action, b_third),
        ),
        (capacity(a.subteam), capacity(b.subteam)),
        (
            format!(
                "UPDATE actions SET theme_id = {} WHERE id = {b_action}",
                a.theme
            ),
            format!(
                "UPDATE actions SET theme_id = {} WHERE id = {b_action}",
                b.theme
            ),
        ),
    ];
    for (refused, accepted) in &pairs {
        match store.execute_raw(refused).await {
            Err(e) if e.to_string().to_lowercase().contains("foreign key") => {}
            other => panic!(
                "{:?}: `{refused}` was not refused by a foreign key: {other:?}",
                store.dialect()
            ),
        }
        store
            .execute_raw(accepted)
            .await
            .unwrap_or_else(|e| panic!("{:?}: `{accepted}`: {e}", store.dialect()));
    }
    assert!(store.foreign_key_violations().await.unwrap().is_empty());
}

/// The records of one organisation that the fixture lacks: a second subteam, an opgave, a
/// partner, an unused partner, a user with an API key and a session, a programme 2023 with an
/// action, and an action of 2024 that continues it, with every link, progress, participation
/// and capacity.
struct Records {
    second_subteam: i64,
    opgave: i64,
    partner: i64,
    unused_partner: i64,
    user: i64,
    token: i64,
    session: String,
    earlier_programme: i64,
    previous_action: i64,
    action: i64,
}

async fn records(store: &Store, f: &Fixture, code: &str) -> Records {
    use koers_domain::{Fte, Rol, Status, Uren, Voortgang};
    use koers_store::accounts::NewUser;
    let a = actor(f.org);
    let new_item = |kind, name: &'static str| {
        let a = a.clone();
        async move {
            store
                .create_item(&a, kind, None, &item(name), false)
                .await
                .unwrap()
        }
    };
    let second_subteam = new_item(Kind::Subteam, "Toezicht").await;
    let opgave = new_item(Kind::Opgave, "Ondermijning").await;
    let partner = new_item(Kind::Partner, "Politie").await;
    let unused_partner = new_item(Kind::Partner, "Brandweer").await;
    let email = format!("teamlid@{code}.example.org").to_lowercase();
    let user = store
        .create_user(
            &a,
            &NewUser {
                email: &email,
                name: "Teamlid",
                role: Rol::Teamlid,
                subteam_id: Some(f.subteam),
                password_hash: "x",
            },
        )
        .await
        .unwrap();
    let as_user = Actor {
        user_id: Some(user),
        ..a.clone()
    };
    let token = store
        .create_api_token(&as_user, user, "script", &format!("sleutel-{code}"))
        .await
        .unwrap();
    let session = format!("sessie-{code}");
    store
        .create_session(&session, f.org, user, 1, 1_000)
        .await
        .unwrap();
    let earlier_programme = store
        .create_programme(&a, Jaar::new(2023).unwrap(), "UP 2023")
        .await
        .unwrap();
    let previous_action = store
        .create_action(
            &a,
            earlier_programme,
            &action_input(f, "IV1-01").validate().unwrap(),
        )
        .await
        .unwrap();
    let mut input = action_input(f, "IV2-01");
    input.predecessor_id = previous_action.to_string();
    input.origin = "doorgeschoven".into();
    input.contributing_subteam_ids = vec![second_subteam.to_string()];
    input.partner_ids = vec![partner.to_string()];
    input.opgave_ids = vec![opgave.to_string()];
    let action = store
        .create_action(&a, f.programme, &input.validate().unwrap())
        .await
        .unwrap();
    let entry = Voortgang {
        status: Status::OpSchema,
        note: "Loopt".into(),
        hours_spent: Uren::new(5).unwrap(),
        entry_date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    };
    store.add_progress(&as_user, action, &entry).await.unwrap();
    store
        .save_participation(&a, &[(opgave, 2024, true)])
        .await
        .unwrap();
    store
        .save_capacity(
            &a,
            &[fte_cell(
                f.subteam,
                2024,
                Fte::from_hundredths(150).unwrap(),
            )],
        )
        .await
        .unwrap();
    Records {
        second_subteam,
        opgave,
        partner,
        unused_partner,
        user,
        token,
        session,
        earlier_programme,
        previous_action,
        action,
    }
}

/// Everything one organisation holds, as text: its organisation row, users, API keys, session,
/// plan, catalogue, programmes, actions with links, progress, participation, capacity and audit
/// log. Versions are included, so an update that changed nothing else still shows.
async fn organisation_snapshot(store: &Store, org: i64, session: &str) -> String {
    let mut text = format!(
        "{:?}\n{:?}\n{:?}\n",
        store.organisation(org).await.unwrap(),
        store.plan(org).await.unwrap(),
        store.session_user(session, 2).await.unwrap(),
    );
    for user in store.users(org).await.unwrap() {
        text += &format!(
            "{user:?}\n{:?}\n",
            store.api_tokens(org, user.id).await.unwrap()
        );
    }
    for kind in Kind::ALL {
        text += &format!("{kind:?}: {:?}\n", store.items(org, kind).await.unwrap());
    }
    for programme in store.programmes(org).await.unwrap() {
        text += &format!("{programme:?}\n");
        for action in store
            .actions(org, programme.id, &Default::default())
            .await
            .unwrap()
        {
            text += &format!(
                "{:?}\n{:?}\n",
                store.action(org, action.id).await.unwrap(),
                store.progress(org, action.id).await.unwrap()
            );
        }
    }
    text += &format!(
        "{:?}\n{:?}\n{:?}\n",
        store.participation(org).await.unwrap(),
        store.capacity(org).await.unwrap(),
        store.audit_entries(org, &Default::default()).await.unwrap()
    );
    text
}

/// How a write across organisations must be refused.
#[derive(Debug, Clone, Copy)]
enum Refusal {
    /// The record of the other organisation does not exist for the caller.
    NotFound,
    /// The one field that refers to the other organisation is invalid; nothing else is.
    Invalid(&'static str),
}

#[track_caller]
fn assert_refused<T: std::fmt::Debug>(
    store: &Store,
    what: &str,
    result: Result<T, StoreError>,
    expected: Refusal,
) {
    match (expected, &result) {
        (Refusal::NotFound, Err(StoreError::NotFound)) => {}
        (Refusal::Invalid(field), Err(StoreError::Invalid(errors)))
            if errors.len() == 1 && errors.get(field).is_some() => {}
        _ => panic!(
            "{:?}: {what}: expected {expected:?}, got {result:?}",
            store.dialect()
        ),
    }
}

/// Organisation B calls every public write of `Store` with records of organisation A (or, for
/// writes on its own records, with references to A's). Each is refused, and afterwards neither
/// organisation's data nor audit log has changed; no table has a row more or less.
async fn every_write_is_refused_across_organisations(store: Store) {
    use Refusal::{Invalid, NotFound};
    use koers_domain::{Fte, Rol, Status, Uren, Voortgang};
    use koers_store::accounts::NewUser;
    use koers_store::catalog::Direction;
    let a = fixture(&store, "GM0001").await;
    let b = fixture(&store, "GM0002").await;
    let ra = records(&store, &a, "GM0001").await;
    let rb = records(&store, &b, "GM0002").await;
    let by_b = actor(b.org);
    let as_b_user = Actor {
        user_id: Some(rb.user),
        ..by_b.clone()
    };
    let snapshots = || async {
        (
            organisation_snapshot(&store, a.org, &ra.session).await,
            organisation_snapshot(&store, b.org, &rb.session).await,
            store.row_counts().await.unwrap(),
        )
    };
    let before = snapshots().await;
    let b_audit = store
        .audit_entries(b.org, &Default::default())
        .await
        .unwrap()
        .len();
    let check = |what: &str, result, expected| assert_refused(&store, what, result, expected);

    // accounts.rs
    let user_of_a_subteam = NewUser {
        email: "nieuw@gm0002.example.org",
        name: "Nieuw",
        role: Rol::Teamlid,
        subteam_id: Some(a.subteam),
        password_hash: "x",
    };
    check(
        "create_user with A's subteam",
        store
            .create_user(&by_b, &user_of_a_subteam)
            .await
            .map(|_| ()),
        Invalid("subteam_id"),
    );
    check(
        "update_user of A's user",
        store
            .update_user(&by_b, ra.user, 1, Rol::Beheerder, None, true)
            .await,
        NotFound,
    );
    check(
        "update_user of A's user, deactivating it",
        store
            .update_user(&by_b, ra.user, 1, Rol::Teamlid, Some(a.subteam), false)
            .await,
        NotFound,
    );
    check(
        "update_user of B's user with A's subteam",
        store
            .update_user(&by_b, rb.user, 1, Rol::Teamlid, Some(a.subteam), true)
            .await,
        Invalid("subteam_id"),
    );
    check(
        "set_password of A's user",
        store.set_password(&by_b, ra.user, "overgenomen").await,
        NotFound,
    );
    // Sessions carry no actor: the caller names organisation and user, and the tenant foreign
    // key refuses a pair that does not belong together.
    let session = store
        .create_session("sessie-kruislings", b.org, ra.user, 1, 1_000)
        .await;
    assert!(
        matches!(&session, Err(StoreError::Database(e)) if e.to_string().to_lowercase().contains("foreign key")),
        "{:?}: create_session for A's user under B: {session:?}",
        store.dialect()
    );

    // api_tokens.rs
    check(
        "create_api_token for A's user",
        store
            .create_api_token(&as_b_user, ra.user, "overname", "sleutel-kruislings")
            .await
            .map(|_| ()),
        Invalid("user_id"),
    );
    check(
        "revoke_api_token of A's user",
        store.revoke_api_token(&as_b_user, ra.user, ra.token).await,
        NotFound,
    );
    check(
        "revoke_api_token of A's key as B's user",
        store.revoke_api_token(&as_b_user, rb.user, ra.token).await,
        NotFound,
    );

    // catalog.rs
    for (kind, parent) in [
        (Kind::Domain, a.plan),
        (Kind::Theme, a.domain),
        (Kind::Ambition, a.theme),
    ] {
        check(
            &format!("create_item {kind:?} under A's parent"),
            store
                .create_item(&by_b, kind, Some(parent), &item("Kruislings"), false)
                .await
                .map(|_| ()),
            Invalid("parent_id"),
        );
    }
    let items_of_a = [
        (Kind::Domain, a.domain),
        (Kind::Theme, a.theme),
        (Kind::Ambition, a.ambition),
        (Kind::Opgave, ra.opgave),
        (Kind::Subteam, a.subteam),
        (Kind::Subteam, ra.second_subteam),
        (Kind::Partner, ra.partner),
        (Kind::Partner, ra.unused_partner),
    ];
    for (kind, id) in items_of_a {
        check(
            &format!("update_item of A's {kind:?} {id}"),
            store
                .update_item(&by_b, kind, id, 1, &item("Overgenomen"))
                .await,
            NotFound,
        );
        for retired in [true, false] {
            check(
                &format!("set_item_retired({retired}) of A's {kind:?} {id}"),
                store.set_item_retired(&by_b, kind, id, retired).await,
                NotFound,
            );
        }
        check(
            &format!("delete_item of A's {kind:?} {id}"),
            store.delete_item(&by_b, kind, id).await,
            NotFound,
        );
        for direction in [Direction::Up, Direction::Down] {
            check(
                &format!("move_item {direction:?} of A's {kind:?} {id}"),
                store.move_item(&by_b, kind, id, direction).await,
                NotFound,
            );
        }
    }
    for cells in [
        vec![(ra.opgave, 2025, true)],
        vec![(ra.opgave, 2024, false)],
        // The whole grid fails, B's own cell included.
        vec![(rb.opgave, 2025, true), (ra.opgave, 2025, true)],
    ] {
        check(
            &format!("save_participation {cells:?}"),
            store.save_participation(&by_b, &cells).await,
            NotFound,
        );
    }
    let fte = Fte::from_hundredths(900).unwrap();
    for cells in [
        vec![fte_cell(a.subteam, 2024, fte)],
        vec![fte_cell(ra.second_subteam, 2025, fte)],
        vec![
            fte_cell(b.subteam, 2025, fte),
            fte_cell(a.subteam, 2024, fte),
        ],
    ] {
        check(
            &format!("save_capacity {cells:?}"),
            store.save_capacity(&by_b, &cells).await,
            NotFound,
        );
    }

    // plan.rs
    let plan = PlanInput {
        title: "Overgenomen plan".into(),
        start_year: "2023".into(),
        end_year: "2026".into(),
        description: String::new(),
    }
    .validate()
    .unwrap();
    check(
        "update_plan of A's plan",
        store.update_plan(&by_b, a.plan, 1, &plan).await,
        NotFound,
    );

    // actions.rs: B's action data, with one reference at a time pointing into A.
    // A new action of B's own; B's previous action is already continued (an action has at
    // most one successor), so this one is new rather than carried over.
    let own = || {
        let mut input = action_input(&b, "IV2-02");
        input.contributing_subteam_ids = vec![rb.second_subteam.to_string()];
        input.partner_ids = vec![rb.partner.to_string()];
        input.opgave_ids = vec![rb.opgave.to_string()];
        input
    };
    type Edit = fn(&mut ActieInvoer, &Fixture, &Records);
    let foreign_references: [(&str, Edit); 9] = [
        ("theme_id", |i, a, _| {
            i.theme_id = a.theme.to_string();
            i.ambition_id = String::new();
        }),
        ("ambition_id", |i, a, _| {
            i.ambition_id = a.ambition.to_string()
        }),
        ("lead_subteam_id", |i, a, _| {
            i.lead_subteam_id = a.subteam.to_string()
        }),
        ("contributing_subteam_ids", |i, _, ra| {
            i.contributing_subteam_ids = vec![ra.second_subteam.to_string()]
        }),
        ("contributing_subteam_ids", |i, a, _| {
            i.contributing_subteam_ids.push(a.subteam.to_string())
        }),
        ("partner_ids", |i, _, ra| {
            i.partner_ids = vec![ra.partner.to_string()]
        }),
        ("partner_ids", |i, _, ra| {
            i.partner_ids.push(ra.unused_partner.to_string())
        }),
        ("opgave_ids", |i, _, ra| {
            i.opgave_ids = vec![ra.opgave.to_string()]
        }),
        ("predecessor_id", |i, _, ra| {
            i.predecessor_id = ra.previous_action.to_string();
            i.origin = "doorgeschoven".into();
        }),
    ];
    check(
        "create_action in A's programme",
        store
            .create_action(&by_b, a.programme, &own().validate().unwrap())
            .await
            .map(|_| ()),
        Invalid("programme_id"),
    );
    check(
        "create_action in A's earlier programme",
        store
            .create_action(&by_b, ra.earlier_programme, &own().validate().unwrap())
            .await
            .map(|_| ()),
        Invalid("programme_id"),
    );
    for (field, edit) in foreign_references {
        let mut input = own();
        edit(&mut input, &a, &ra);
        let data = input.validate().unwrap();
        check(
            &format!("create_action with A's {field}"),
            store
                .create_action(&by_b, b.programme, &data)
                .await
                .map(|_| ()),
            Invalid(field),
        );
        let mut input = action_input(&b, "IV2-01");
        input.predecessor_id = rb.previous_action.to_string();
        input.origin = "doorgeschoven".into();
        input.contributing_subteam_ids = vec![rb.second_subteam.to_string()];
        input.partner_ids = vec![rb.partner.to_string()];
        input.opgave_ids = vec![rb.opgave.to_string()];
        edit(&mut input, &a, &ra);
        check(
            &format!("update_action of B's action with A's {field}"),
            store
                .update_action(&by_b, rb.action, 1, &input.validate().unwrap())
                .await,
            Invalid(field),
        );
    }
    // A's action, edited by B with B's references and with A's own.
    let mut with_a_references = action_input(&a, "IV2-01");
    with_a_references.title = "Overgenomen".into();
    for (what, data) in [
        ("B's", own().validate().unwrap()),
        ("A's", with_a_references.validate().unwrap()),
    ] {
        check(
            &format!("update_action of A's action with {what} references"),
            store.update_action(&by_b, ra.action, 1, &data).await,
            NotFound,
        );
    }
    let entry = Voortgang {
        status: Status::Gerealiseerd,
        note: "Overgenomen".into(),
        hours_spent: Uren::new(99).unwrap(),
        entry_date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    };
    for action in [ra.action, ra.previous_action] {
        check(
            &format!("add_progress on A's action {action}"),
            store
                .add_progress(&as_b_user, action, &entry)
                .await
                .map(|_| ()),
            NotFound,
        );
    }

    let after = snapshots().await;
    assert_eq!(before.0, after.0, "{:?}: A's data changed", store.dialect());
    assert_eq!(before.1, after.1, "{:?}: B's data changed", store.dialect());
    assert_eq!(
        before.2,
        after.2,
        "{:?}: row counts changed",
        store.dialect()
    );
    assert_eq!(
        store
            .audit_entries(b.org, &Default::default())
            .await
            .unwrap()
            .len(),
        b_audit,
        "a refused write left an audit row"
    );

    // The writes that take no record id reach only the caller's own organisation: B's own
    // organisation, plan, programme and session change, A's data does not.
    let a_before = after.0;
    store
        .update_organisation(&by_b, 1, "Gemeente B", "Elders")
        .await
        .unwrap();
    store.create_plan(&by_b, &plan).await.unwrap();
    store
        .create_programme(&by_b, Jaar::new(2025).unwrap(), "UP 2025")
        .await
        .unwrap();
    store
        .create_session("sessie-b-2", b.org, rb.user, 1, 1_000)
        .await
        .unwrap();
    store.extend_session("sessie-b-2", 2, 2_000).await.unwrap();
    store.delete_session("sessie-b-2").await.unwrap();
    assert_eq!(
        a_before,
        organisation_snapshot(&store, a.org, &ra.session).await,
        "{:?}: B's own writes changed A's data",
        store.dialect()
    );
    let b_entries = store
        .audit_entries(b.org, &Default::default())
        .await
        .unwrap();
    assert_eq!(b_entries.len(), b_audit + 3);
    assert_eq!(
        store.organisation(a.org).await.unwrap().name,
        "Gemeente GM0001"
    );
}

each_database!(
    append_only_tables_refuse_every_change,
    versioned_risk_configuration_refuses_every_change,
    the_database_refuses_references_across_organisations,
    audit_rows_cannot_be_changed_or_deleted,
    organisations_cannot_reach_each_others_data,
    every_write_is_refused_across_organisations,
    a_stale_edit_is_refused_as_a_conflict,
    codes_are_unique_within_a_programme,
    used_items_are_retired_not_deleted,
    progress_sets_status_from_the_newest_entry,
    concurrent_writers_all_succeed,
);

/// A database that an older release filled (schema version 2) keeps all its rows through the
/// migration to tenant foreign keys, and works afterwards.
async fn existing_data_survives_the_tenant_keys_migration(store: Store) {
    use koers_domain::{Rol, Status, Uren, Voortgang};
    use koers_store::accounts::NewUser;
    // Schema 3: before the tenant keys (0004), with the columns today's store code reads.
    store.migrate_to(3).await.unwrap();
    let a = fixture(&store, "GM0001").await;
    let b = fixture(&store, "GM0002").await;
    let actor_a = actor(a.org);
    let earlier = store
        .create_programme(&actor_a, Jaar::new(2023).unwrap(), "UP 2023")
        .await
        .unwrap();
    let previous = store
        .create_action(
            &actor_a,
            earlier,
            &action_input(&a, "IV1-01").validate().unwrap(),
        )
        .await
        .unwrap();
    let partner = store
        .create_item(&actor_a, Kind::Partner, None, &item("Politie"), false)
        .await
        .unwrap();
    let opgave = store
        .create_item(&actor_a, Kind::Opgave, None, &item("Ondermijning"), false)
        .await
        .unwrap();
    let other_subteam = store
        .create_item(&actor_a, Kind::Subteam, None, &item("Toezicht"), false)
        .await
        .unwrap();
    let mut input = action_input(&a, "IV2-01");
    input.predecessor_id = previous.to_string();
    input.origin = "doorgeschoven".into();
    input.partner_ids = vec![partner.to_string()];
    input.opgave_ids = vec![opgave.to_string()];
    input.contributing_subteam_ids = vec![other_subteam.to_string()];
    let action = store
        .create_action(&actor_a, a.programme, &input.validate().unwrap())
        .await
        .unwrap();
    store
        .save_participation(&actor_a, &[(opgave, 2024, true)])
        .await
        .unwrap();
    // Today's formation write also sets the number of people (migration 0015), a column that
    // schema 3 does not have: this row is written as the store of that time wrote it.
    store
        .execute_raw(&format!(
            "INSERT INTO subteam_capacity (organisation_id, subteam_id, year, fte_hundredths) \
             VALUES ({}, {}, 2024, 150)",
            a.org, a.subteam
        ))
        .await
        .unwrap();
    let user = store
        .create_user(
            &actor_a,
            &NewUser {
                email: "teamlid@example.org",
                name: "Teamlid",
                role: Rol::Teamlid,
                subteam_id: Some(a.subteam),
                password_hash: "x",
            },
        )
        .await
        .unwrap();
    let as_user = Actor {
        user_id: Some(user),
        ..actor_a.clone()
    };
    store
        .create_session("sessiehash", a.org, user, 1, 2)
        .await
        .unwrap();
    store
        .create_api_token(&as_user, user, "script", "sleutelhash")
        .await
        .unwrap();
    let entry = Voortgang {
        status: Status::OpSchema,
        note: "Loopt".into(),
        hours_spent: Uren::new(5).unwrap(),
        entry_date: chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap(),
    };
    store.add_progress(&as_user, action, &entry).await.unwrap();
    let snapshot = || async {
        let mut text = String::new();
        for org in [a.org, b.org] {
            text += &format!(
                "{:?}\n{:?}\n",
                store.audit_entries(org, &Default::default()).await.unwrap(),
                store.users(org).await.unwrap()
            );
        }
        // The action as a row with its contributors: the full detail also reads the shares of
        // migration 0009, which schema 3 does not have yet.
        let row = store
            .actions(a.org, a.programme, &Default::default())
            .await
            .unwrap()
            .into_iter()
            .find(|r| r.id == action);
        text += &format!(
            "{:?}\n{:?}\n{:?}\n{:?}\n",
            row,
            store
                .programme_contributors(a.org, a.programme)
                .await
                .unwrap(),
            store.progress(a.org, action).await.unwrap(),
            store.capacity(a.org).await.unwrap()
        );
        text
    };
    let counts = store.row_counts().await.unwrap();
    let before = snapshot().await;
    assert!(
        counts
            .iter()
            .all(|(t, n)| *n > 0 || t == "login_throttle" || t == "security_events"),
        "{counts:?}"
    );

    store.migrate().await.unwrap();
    // Later migrations add tables; every table that was there keeps its rows.
    let after: Vec<_> = store
        .row_counts()
        .await
        .unwrap()
        .into_iter()
        .filter(|(table, _)| counts.iter().any(|(t, _)| t == table))
        .collect();
    assert_eq!(counts, after);
    assert_eq!(before, snapshot().await);
    assert_eq!(
        store.foreign_key_violations().await.unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        store
            .session_user("sessiehash", 1)
            .await
            .unwrap()
            .map(|u| u.user.id),
        Some(user)
    );
    // The migrated database works, and guards.
    store.add_progress(&as_user, action, &entry).await.unwrap();
    assert!(
        store
            .try_tamper_with_audit(a.org)
            .await
            .iter()
            .all(|o| o.starts_with("refused"))
    );
}

mod existing_data_survives_the_tenant_keys_migration {
    #[tokio::test]
    async fn sqlite() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite:{}", dir.path().join("test.db").display());
        let store = koers_store::Store::connect(&url).await.unwrap();
        super::existing_data_survives_the_tenant_keys_migration(store).await;
    }

    #[tokio::test]
    async fn postgres() {
        if let Some(store) = koers_store::testing::empty_postgres_from_env()
            .await
            .unwrap()
        {
            super::existing_data_survives_the_tenant_keys_migration(store).await;
        }
    }
}

mod adoption;

mod house_style;

mod sessions;
