//! Session lookups: many requests at once each get their own session, and on SQLite a kept
//! answer never outlives a commit, whether this store or another process made it.

use super::{actor, fixture, postgres, sqlite};
use koers_domain::Rol;
use koers_store::Store;
use koers_store::accounts::NewUser;
use std::sync::Arc;

/// Makes `n` accounts with one session each: `sessie-{i}`, ending at 1,000 for even `i` and
/// at 10 for odd `i`.
async fn sessions(store: &Store, org: i64, n: usize) -> Vec<i64> {
    let mut users = Vec::new();
    for i in 0..n {
        let email = format!("gebruiker{i}@example.org");
        let user = store
            .create_user(
                &actor(org),
                &NewUser {
                    email: &email,
                    name: &format!("Gebruiker {i}"),
                    role: Rol::Lezer,
                    subteam_id: None,
                    password_hash: "x",
                },
            )
            .await
            .unwrap();
        let ends = if i % 2 == 0 { 1_000 } else { 10 };
        store
            .create_session(&format!("sessie-{i}"), org, user, 1, ends)
            .await
            .unwrap();
        users.push(user);
    }
    users
}

/// More requests at once than one gathered lookup takes, with valid, ended and unknown
/// sessions mixed: each request gets the user of its own session, or nothing.
async fn simultaneous_lookups_each_get_their_own_session(store: Store) {
    let org = fixture(&store, "GM0001").await.org;
    let users = Arc::new(sessions(&store, org, 40).await);
    let mut lookups = tokio::task::JoinSet::new();
    for round in 0..3 {
        for i in 0..50usize {
            let store = store.clone();
            let users = users.clone();
            lookups.spawn(async move {
                let now = if round == 2 { 20 } else { 5 };
                let found = store
                    .session_user(&format!("sessie-{i}"), now)
                    .await
                    .unwrap();
                let expected = (i < 40 && (i % 2 == 0 || now < 10)).then(|| users[i]);
                assert_eq!(found.map(|s| s.user.id), expected, "session {i} at {now}");
            });
        }
    }
    while let Some(done) = lookups.join_next().await {
        done.unwrap();
    }
}

each_database!(simultaneous_lookups_each_get_their_own_session);

/// Two stores on one SQLite file stand for two processes. What the first keeps of a session
/// goes as soon as the second commits anything: a logout, an account switched off, or a change
/// that has nothing to do with sessions (the kept organisation revision must not go stale).
#[tokio::test]
async fn a_kept_session_goes_with_any_commit_of_another_process() {
    let (first, dir) = sqlite().await;
    let url = format!("sqlite:{}", dir.path().join("test.db").display());
    let second = Store::connect(&url).await.unwrap();
    let org = fixture(&first, "GM0001").await.org;
    let users = sessions(&first, org, 2).await;
    let look = |hash: &'static str| {
        let first = first.clone();
        async move { first.session_user(hash, 5).await.unwrap() }
    };

    // Asked twice without a change in between: the same answer.
    let kept = look("sessie-0").await.expect("a valid session");
    assert_eq!(look("sessie-0").await.unwrap().user.id, kept.user.id);

    // A change to the organisation's data by the other process: the revision that decides
    // whether cached pages may be used is read again.
    let revision = kept.organisation().revision;
    second
        .create_item(
            &actor(org),
            koers_store::catalog::Kind::Partner,
            None,
            &super::item("Waterschap"),
            false,
        )
        .await
        .unwrap();
    let after = look("sessie-0").await.unwrap();
    assert!(
        after.organisation().revision > revision,
        "the revision after another process's change is read again"
    );

    // The other process ends the session.
    second.delete_session("sessie-0").await.unwrap();
    assert!(
        look("sessie-0").await.is_none(),
        "a logout elsewhere ends it here"
    );

    // The other process switches the account off.
    assert!(look("sessie-2").await.is_none(), "unknown session");
    first
        .create_session("sessie-2", org, users[1], 1, 1_000)
        .await
        .unwrap();
    let user = look("sessie-2").await.expect("a valid session").user;
    second
        .update_user(&actor(org), user.id, user.version, Rol::Lezer, None, false)
        .await
        .unwrap();
    assert!(
        look("sessie-2").await.is_none(),
        "an account switched off elsewhere"
    );
}
