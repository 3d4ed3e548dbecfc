//! Adoption steps and frozen versions at the level of the store, on both databases.

use super::{action_input, actor, fixture, postgres, sqlite};
use koers_domain::{Besluit, Stap, Vaststelling};
use koers_store::adoption::{Document, StepData, sha256_hex};
use koers_store::{Dialect, Store, StoreError};

const SHA_OF_JAAR_2024: &str = "dba3563616ff50e636a7482e5c1785c3d63c2198a1436e4e0318250075547cfd";

fn besluit(day: u32) -> Besluit {
    Besluit {
        decided_on: chrono::NaiveDate::from_ymd_opt(2024, 2, day).unwrap(),
        decision_reference: format!("B&W 2024/02{day:02}"),
    }
}

/// Offers and adopts `document` of the fixture's programme with `content`.
async fn adopt(store: &Store, org: i64, document: Document, content: &str, day: u32) {
    let mut tx = store.begin().await.unwrap();
    let programme = tx.programme_of_year(org, 2024).await.unwrap().unwrap();
    let decision = besluit(day);
    for (step, data) in [
        (Stap::AanbiedenTerVaststelling, StepData::Nothing),
        (
            Stap::Vaststellen,
            StepData::Besluit {
                besluit: &decision,
                content,
            },
        ),
    ] {
        let version = tx
            .adoption_state(org, programme.id, document)
            .await
            .unwrap()
            .version;
        tx.take_adoption_step(&actor(org), &programme, document, version, step, data)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();
}

async fn frozen_versions_refuse_every_change(store: Store) {
    let f = fixture(&store, "GM0001").await;
    store
        .create_action(
            &actor(f.org),
            f.programme,
            &action_input(&f, "IV2-01").validate().unwrap(),
        )
        .await
        .unwrap();
    adopt(&store, f.org, Document::Programma, r#"{"jaar":2024}"#, 13).await;
    let before = store.frozen_versions(f.org, f.programme).await.unwrap();
    assert_eq!(before.len(), 1);
    let v = &before[0];
    assert_eq!(v.sha256, sha256_hex(r#"{"jaar":2024}"#));
    // The SHA-256 of these bytes, as any tool computes it (`printf '{"jaar":2024}' | sha256sum`).
    assert_eq!(v.sha256, SHA_OF_JAAR_2024);
    let (id, org, programme) = (v.id, f.org, f.programme);
    let columns = "(id, organisation_id, programme_id, kind, number, decided_on, decision_reference, \
                   content, sha256, frozen_at, frozen_by)";
    let row = format!(
        "({id}, {org}, {programme}, 'programma', 1, '2024-02-13', 'x', '{{}}', 'x', \
         '2024-03-01 10:00:00+00:00', 'Vervalser')"
    );
    let mut attempts = vec![
        format!("UPDATE frozen_versions SET content = '{{}}' WHERE id = {id}"),
        format!("UPDATE frozen_versions SET sha256 = 'x' WHERE id = {id}"),
        format!("DELETE FROM frozen_versions WHERE id = {id}"),
        "DELETE FROM frozen_versions".to_string(),
    ];
    match store.dialect() {
        Dialect::Sqlite => {
            attempts.push(format!(
                "REPLACE INTO frozen_versions {columns} VALUES {row}"
            ));
            attempts.push(format!(
                "INSERT OR REPLACE INTO frozen_versions {columns} VALUES {row}"
            ));
            attempts.push(format!(
                "UPDATE OR REPLACE frozen_versions SET content = '{{}}' WHERE id = {id}"
            ));
        }
        Dialect::Postgres => {
            attempts.push("TRUNCATE frozen_versions".to_string());
            attempts.push("TRUNCATE frozen_versions CASCADE".to_string());
            attempts.push(format!(
                "INSERT INTO frozen_versions {columns} OVERRIDING SYSTEM VALUE VALUES {row} \
                 ON CONFLICT (id) DO UPDATE SET content = excluded.content"
            ));
        }
    }
    for sql in &attempts {
        match store.execute_raw(sql).await {
            Err(e)
                if e.to_string().contains("cannot be changed")
                    || e.to_string().contains("is append-only") => {}
            other => panic!("{:?}: `{sql}` was not refused: {other:?}", store.dialect()),
        }
    }
    let after = store.frozen_versions(f.org, f.programme).await.unwrap();
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].content, v.content);
    assert_eq!(after[0].sha256, v.sha256);
}

async fn adoption_steps_check_status_and_version(store: Store) {
    let f = fixture(&store, "GM0001").await;
    let org = f.org;
    let mut tx = store.begin().await.unwrap();
    let programme = tx.programme_of_year(org, 2024).await.unwrap().unwrap();
    let state = tx
        .adoption_state(org, programme.id, Document::Programma)
        .await
        .unwrap();
    assert_eq!(state.status, Vaststelling::Concept);
    // Adoption straight from concept is not a step.
    let decision = besluit(13);
    let result = tx
        .take_adoption_step(
            &actor(org),
            &programme,
            Document::Programma,
            state.version,
            Stap::Vaststellen,
            StepData::Besluit {
                besluit: &decision,
                content: "{}",
            },
        )
        .await;
    assert!(matches!(result, Err(StoreError::Refused(_))), "{result:?}");
    // A stale version is a conflict with the version now stored.
    let result = tx
        .take_adoption_step(
            &actor(org),
            &programme,
            Document::Programma,
            state.version + 7,
            Stap::AanbiedenTerVaststelling,
            StepData::Nothing,
        )
        .await;
    assert!(
        matches!(result, Err(StoreError::Conflict { current }) if current == state.version),
        "{result:?}"
    );
    // An evaluation without a row is a concept at version 0; the first step makes the row.
    let evaluation = tx
        .adoption_state(org, programme.id, Document::Evaluatie)
        .await
        .unwrap();
    assert_eq!(
        (evaluation.status, evaluation.version),
        (Vaststelling::Concept, 0)
    );
    tx.take_adoption_step(
        &actor(org),
        &programme,
        Document::Evaluatie,
        0,
        Stap::AanbiedenTerVaststelling,
        StepData::Nothing,
    )
    .await
    .unwrap();
    let evaluation = tx
        .adoption_state(org, programme.id, Document::Evaluatie)
        .await
        .unwrap();
    assert_eq!(
        (evaluation.status, evaluation.version),
        (Vaststelling::TerVaststelling, 1)
    );
    tx.commit().await.unwrap();
    // Each adoption of a document is the next number, with its own hash.
    adopt(&store, org, Document::Programma, "{\"v\":1}", 13).await;
    adopt(&store, org, Document::Programma, "{\"v\":2}", 20).await;
    let all = store.frozen_versions(org, f.programme).await.unwrap();
    let numbers: Vec<(Document, i64)> = all.iter().map(|v| (v.kind, v.number)).collect();
    assert_eq!(
        numbers,
        vec![(Document::Programma, 1), (Document::Programma, 2)]
    );
    assert_ne!(all[0].sha256, all[1].sha256);
    assert_eq!(store.all_frozen_versions().await.unwrap().len(), 2);
    let entries = store.audit_entries(org, &Default::default()).await.unwrap();
    assert!(
        entries.iter().any(|e| e.entity == "evaluatie"
            && e.summary == "Evaluatie 2024 aangeboden ter vaststelling")
    );
    assert!(entries.iter().any(|e| e.summary
        == "Programma 2024 vastgesteld door het college (B&W 2024/0220, 20-02-2024); vastgelegd als versie 2"));
}

each_database!(
    frozen_versions_refuse_every_change,
    adoption_steps_check_status_and_version,
);
