//! The house style and the letter template: defaults without a row, a first save that inserts,
//! conflicts on a stale version, the logo's bytes unchanged on both databases, and one
//! organisation's row out of reach of another.

use super::{now, postgres, sqlite};
use koers_store::house_style::{
    DEFAULT_ADDRESSEE, DEFAULT_COLOUR, HouseStyleData, LogoChange, LogoKind,
};
use koers_store::{Actor, Store, StoreError};

fn actor(organisation_id: i64) -> Actor {
    Actor {
        organisation_id,
        user_id: None,
        user_name: "test".into(),
        now: now(),
    }
}

fn data(team: &str) -> HouseStyleData {
    HouseStyleData {
        team: team.into(),
        colour: "#123456".into(),
        sender: "het college".into(),
        addressee: "Aan de raad".into(),
        signatories: vec![("A. Jansen".into(), "burgemeester".into())],
    }
}

async fn organisations(store: &Store) -> (i64, i64) {
    let a = store
        .create_organisation("GM0001", "Gemeente A", "Aadorp", false, now())
        .await
        .unwrap();
    let b = store
        .create_organisation("GM0002", "Gemeente B", "Bedorp", false, now())
        .await
        .unwrap();
    (a, b)
}

async fn house_styles_have_defaults_versions_and_owners(store: Store) {
    let (a, b) = organisations(&store).await;
    let defaults = store.house_style(a).await.unwrap();
    assert_eq!(defaults.version, 0);
    assert_eq!(defaults.colour, DEFAULT_COLOUR);
    assert_eq!(defaults.sender, "burgemeester en wethouders van Aadorp");
    assert_eq!(defaults.addressee, DEFAULT_ADDRESSEE);
    assert!(defaults.team.is_empty() && defaults.logo.is_none());

    // Every byte value survives the round trip through BLOB and BYTEA.
    let logo: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let version = store
        .save_house_style(
            &actor(a),
            0,
            Some(&data("Team A")),
            LogoChange::Set(LogoKind::Png, logo.clone()),
        )
        .await
        .unwrap();
    assert_eq!(version, 1);
    let saved = store.house_style(a).await.unwrap();
    assert_eq!(saved.logo, Some((LogoKind::Png, logo)));
    assert_eq!(saved.signatories, data("Team A").signatories);
    // A second "first save" and a stale version are conflicts that name the stored version.
    for stale in [0, 7] {
        assert!(matches!(
            store
                .save_house_style(&actor(a), stale, Some(&data("Te laat")), LogoChange::Keep)
                .await,
            Err(StoreError::Conflict { current: 1 })
        ));
    }
    // Only the logo: the texts stay.
    store
        .save_house_style(&actor(a), 1, None, LogoChange::Remove)
        .await
        .unwrap();
    let without = store.house_style(a).await.unwrap();
    assert_eq!(
        (without.team.as_str(), without.logo, without.version),
        ("Team A", None, 2)
    );
    // B's version 2 does not reach A's row, and B still has its defaults.
    assert!(matches!(
        store
            .save_house_style(&actor(b), 2, Some(&data("Team B")), LogoChange::Keep)
            .await,
        Err(StoreError::Conflict { current: 0 })
    ));
    assert_eq!(store.house_style(b).await.unwrap().version, 0);
    assert_eq!(store.house_style(a).await.unwrap().team, "Team A");
    let audit = store.audit_entries(a, &Default::default()).await.unwrap();
    assert_eq!(audit[0].summary, "Huisstijl gewijzigd; logo verwijderd");
    assert!(
        audit[1]
            .summary
            .starts_with("Huisstijl gewijzigd; logo gewijzigd (PNG, 3 kB, sha256 ")
    );
    // B's log holds its own creation only.
    let b_audit = store.audit_entries(b, &Default::default()).await.unwrap();
    assert!(
        b_audit.iter().all(|e| e.entity != "huisstijl"),
        "{b_audit:?}"
    );
}

async fn letter_templates_are_versioned_and_reset(store: Store) {
    let (a, b) = organisations(&store).await;
    assert_eq!(store.letter_template(a).await.unwrap(), None);
    // Restoring the standard wording when it is already in force changes nothing.
    store.reset_letter_template(&actor(a), 0).await.unwrap();
    assert_eq!(
        store
            .save_letter_template(&actor(a), 0, "Eerste")
            .await
            .unwrap(),
        1
    );
    assert!(matches!(
        store.save_letter_template(&actor(a), 0, "Tweede").await,
        Err(StoreError::Conflict { current: 1 })
    ));
    assert_eq!(
        store
            .save_letter_template(&actor(a), 1, "Tweede")
            .await
            .unwrap(),
        2
    );
    assert!(matches!(
        store.reset_letter_template(&actor(a), 1).await,
        Err(StoreError::Conflict { current: 2 })
    ));
    assert_eq!(store.letter_template(b).await.unwrap(), None);
    assert!(matches!(
        store.save_letter_template(&actor(b), 2, "Van B").await,
        Err(StoreError::Conflict { current: 0 })
    ));
    store.reset_letter_template(&actor(a), 2).await.unwrap();
    assert_eq!(store.letter_template(a).await.unwrap(), None);
    let summaries: Vec<String> = store
        .audit_entries(a, &Default::default())
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.summary)
        .collect();
    assert_eq!(
        summaries[..3],
        [
            "Briefsjabloon teruggezet op de standaardtekst",
            "Briefsjabloon gewijzigd",
            "Briefsjabloon gewijzigd"
        ]
    );
}

each_database!(
    house_styles_have_defaults_versions_and_owners,
    letter_templates_are_versioned_and_reset,
);
