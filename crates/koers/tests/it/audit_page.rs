//! The audit page in words: names instead of ids, Dutch field labels, before and after side
//! by side in a table per change.

use crate::helpers::{TestApp, action_form, each_database, pairs, set};
use axum::http::StatusCode;

async fn the_audit_page_shows_a_change_in_words(app: TestApp) {
    let adviser = app.login("beleidsadviseur").await;
    let mut form = action_form(&app, 2024, "IV1-03").await;
    let old_title = form.iter().find(|(k, _)| k == "title").unwrap().1.clone();
    let old_hours = form
        .iter()
        .find(|(k, _)| k == "planned_hours")
        .unwrap()
        .1
        .clone();
    set(
        &mut form,
        "title",
        "Bibob-toets bij alle horecavergunningen",
    );
    set(&mut form, "planned_hours", "123");
    let saved = app
        .post(
            "/programma/2024/acties/IV1-03/bewerken",
            &adviser,
            &pairs(&form),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let admin = app.login("beheerder").await;
    let page = app.get("/beheer/audit?onderdeel=actie", &admin).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;
    let start = body
        .find("Actie IV1-03 Bibob-toets bij alle horecavergunningen")
        .expect("the action is named by code and title");
    let change = &body[start..body[start..].find("</section>").unwrap() + start];
    assert!(change.contains(r#"<th class="utrecht-table__header-cell" scope="col">Voor</th>"#));
    assert!(change.contains(r#"<th class="utrecht-table__header-cell" scope="col">Na</th>"#));
    let row = |label: &str| {
        let at = change
            .find(&format!(r#"scope="row">{label}</th>"#))
            .unwrap_or_else(|| panic!("{label}: {change}"));
        change[at..at + change[at..].find("</tr>").unwrap()].to_string()
    };
    let title = row("Titel");
    assert!(
        title.contains(&old_title) && title.contains("Bibob-toets bij alle horecavergunningen")
    );
    let hours = row("Geplande uren");
    assert!(
        hours.contains(&format!(">{old_hours}<")) && hours.contains(">123<"),
        "{hours}"
    );
    // Only what changed, and the rest counted; no raw keys, JSON or bare ids.
    assert!(!change.contains(r#"scope="row">Trekker</th>"#));
    assert!(change.contains("andere velden bleven gelijk"));
    let main = &body[body.find("<main").unwrap()..];
    for raw in [
        "planned_hours",
        "plannedHours",
        "lead_subteam_id",
        "{\"",
        "actie 8",
    ] {
        if let Some(at) = main.find(raw) {
            panic!(
                "{raw} on the page: {}",
                &main[at.saturating_sub(300)..(at + 200).min(main.len())]
            );
        }
    }
    // A new action shows its values with names, such as the lead subteam.
    let subteams = app
        .get("/programma/2024/acties/IV1-03", &adviser)
        .await
        .body;
    assert!(subteams.contains("Trekker"));
    let everything = app.get("/beheer/audit", &admin).await.body;
    assert!(
        everything.contains(r#"scope="col">Waarde</th>"#),
        "a creation shows its values"
    );

    // An API key names its user by name; an id is never matched against catalogue items.
    crate::api::api_key(&app, &adviser).await;
    let page = app
        .get("/beheer/audit?onderdeel=api-sleutel", &admin)
        .await
        .body;
    let row = &page[page.find("API-sleutel ").expect("the key's row")..];
    let row = &row[..row.find("</table>").unwrap_or(row.len())];
    let adviser_name = &app.account("beleidsadviseur").name;
    assert!(
        row.contains("Gebruiker") && row.contains(adviser_name.as_str()),
        "{row}"
    );
}

each_database!(the_audit_page_shows_a_change_in_words);
