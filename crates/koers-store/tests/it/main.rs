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

#[tokio::test]
async fn both_dialects_have_the_same_tables_and_columns() {
    let stores = stores().await;
    let outlines: Vec<_> = futures_outlines(&stores).await;
    assert!(outlines[0].iter().any(|(t, _)| t == "audit_log"));
    for other in &outlines[1..] {
        assert_eq!(&outlines[0], other, "SQLite and PostgreSQL schemas differ");
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

async fn audit_rows_cannot_be_changed_or_deleted(store: Store) {
    let f = fixture(&store, "GM0001").await;
    let entries = store
        .audit_entries(f.org, &Default::default())
        .await
        .unwrap();
    assert!(entries.len() >= 6, "every change is audited");
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

each_database!(
    audit_rows_cannot_be_changed_or_deleted,
    organisations_cannot_reach_each_others_data,
    a_stale_edit_is_refused_as_a_conflict,
    codes_are_unique_within_a_programme,
    used_items_are_retired_not_deleted,
    progress_sets_status_from_the_newest_entry,
    concurrent_writers_all_succeed,
);
