//! The programme as a spreadsheet (XLSX and CSV for Dutch Excel), its sortable tables and the
//! sentence that says what is shown.

use crate::api::api_key;
use crate::helpers::{TestApp, action_form, each_database, pairs, set};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use koers_store::actions::{ActionFilter, ActionRow};
use std::path::Path;
use std::process::Command;
use tower::ServiceExt;

/// A GET whose body is kept as bytes.
async fn download(
    app: &TestApp,
    path: &str,
    auth: (&str, &str),
    accept: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let mut request = Request::get(path).header(auth.0, auth.1);
    if let Some(accept) = accept {
        request = request.header(header::ACCEPT, accept);
    }
    let response = koers::app::router(app.state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = http_body_util::BodyExt::collect(response.into_body())
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

/// The rows of a CSV with `;`, without its byte order mark.
fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF][..]).unwrap_or(bytes);
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

async fn actions_of(app: &TestApp, year: i64, filter: &ActionFilter) -> Vec<ActionRow> {
    let org = app.org().await;
    let programme = app
        .store()
        .programme(org, koers_domain::Jaar::new(year).unwrap())
        .await
        .unwrap()
        .unwrap();
    app.store()
        .actions(org, programme.id, filter)
        .await
        .unwrap()
}

async fn the_programme_exports_as_csv_with_every_field(app: TestApp) {
    let reader = app.login("lezer").await;
    let cookie = (header::COOKIE.as_str(), reader.as_str());
    let (status, headers, csv) = download(&app, "/programma/2024/export.csv", cookie, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"uitvoeringsprogramma-GM0400-2024.csv\""
    );
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF], "UTF-8 with BOM");
    let rows = csv_rows(&csv);
    let header_row = &rows[0];
    for column in [
        "Code",
        "Titel",
        "Thema",
        "Ambitie",
        "Trekker (subteam)",
        "Bijdragende subteams",
        "Partners",
        "Opgaven",
        "Kwartalen",
        "Geplande uren",
        "Bestede uren",
        "Prioriteit",
        "Herkomst",
        "Status",
        "Laatste melding",
        "Beschrijving",
        "Beoogd resultaat",
        "Voorganger",
    ] {
        assert!(header_row.contains(&column.to_string()), "{column}");
    }
    let col = |name: &str| header_row.iter().position(|c| c == name).unwrap();
    let actions = actions_of(&app, 2024, &ActionFilter::default()).await;
    assert_eq!(rows.len(), actions.len() + 1, "one row per action");
    // Every row has the stored values of its action.
    let org = app.org().await;
    for a in &actions {
        let row = rows.iter().find(|r| r[0] == a.code).unwrap();
        assert_eq!(row[col("Titel")], a.title);
        assert_eq!(row[col("Geplande uren")], a.planned_hours.to_string());
        assert_eq!(row[col("Bestede uren")], a.hours_spent.to_string());
        assert_eq!(row[col("Status")], a.status.label());
        assert_eq!(row[col("Beschrijving")], a.description);
        let detail = app.store().action(org, a.id).await.unwrap();
        let partners = row[col("Partners")]
            .split("; ")
            .filter(|p| !p.is_empty())
            .count();
        assert_eq!(partners, detail.partner_ids.len(), "{}", a.code);
        let predecessor = detail.predecessor.map(|(_, code)| code).unwrap_or_default();
        assert_eq!(row[col("Voorganger")], predecessor, "{}", a.code);
    }
    assert!(
        rows.iter().any(|r| !r[col("Voorganger")].is_empty()),
        "2024 has carried-over actions"
    );

    // The filter of the page applies, and the file name says so.
    let (_, headers, filtered) = download(
        &app,
        "/programma/2024/export.csv?status=vertraagd",
        cookie,
        None,
    )
    .await;
    assert!(
        headers[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .contains("gefilterd")
    );
    let filtered = csv_rows(&filtered);
    let delayed = actions_of(
        &app,
        2024,
        &ActionFilter {
            status: Some(koers_domain::Status::Vertraagd),
            ..Default::default()
        },
    )
    .await;
    assert!(!delayed.is_empty());
    assert_eq!(filtered.len(), delayed.len() + 1);
    assert!(
        filtered[1..]
            .iter()
            .all(|r| r[col("Status")] == "Vertraagd")
    );

    // The API gives the same file for Accept: text/csv.
    let key = api_key(&app, &reader).await;
    let bearer = format!("Bearer {key}");
    let (status, _, api_csv) = download(
        &app,
        "/api/v1/programmas/2024/acties",
        (header::AUTHORIZATION.as_str(), &bearer),
        Some("text/csv"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(api_csv, csv);
    let (_, headers, json) = download(
        &app,
        "/api/v1/programmas/2024/acties",
        (header::AUTHORIZATION.as_str(), &bearer),
        Some("application/json"),
    )
    .await;
    assert!(
        headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .contains("json")
    );
    assert_eq!(json[0], b'[');
    // No programme: 404, not an empty file.
    let (status, _, _) = download(&app, "/programma/2031/export.csv", cookie, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// The workbook opens in LibreOffice with the same cells as the CSV, and a title that looks
/// like a formula stays text there (and gets an apostrophe in the CSV).
async fn libreoffice_reads_the_workbook(app: TestApp) {
    let adviser = app.login("beleidsadviseur").await;
    let mut form = action_form(&app, 2024, "IV1-03").await;
    set(&mut form, "title", "=1+1 HYPERLINK");
    let saved = app
        .post(
            "/programma/2024/acties/IV1-03/bewerken",
            &adviser,
            &pairs(&form),
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let cookie = (header::COOKIE.as_str(), adviser.as_str());
    let (status, headers, xlsx) = download(&app, "/programma/2024/export.xlsx", cookie, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(&xlsx[..2], b"PK");
    let (_, _, csv) = download(&app, "/programma/2024/export.csv", cookie, None).await;
    let csv = csv_rows(&csv);
    let injected = csv.iter().find(|r| r[0] == "IV1-03").unwrap();
    assert_eq!(injected[1], "'=1+1 HYPERLINK");

    let Some(cells) = libreoffice_csv(&xlsx) else {
        return;
    };
    assert_eq!(cells.len(), csv.len(), "one row per action and a header");
    for (from_xlsx, from_csv) in cells.iter().zip(&csv) {
        let from_csv: Vec<String> = from_csv
            .iter()
            .map(|c| c.strip_prefix('\'').unwrap_or(c).to_string())
            .collect();
        assert_eq!(from_xlsx, &from_csv);
    }
    let row = cells.iter().find(|r| r[0] == "IV1-03").unwrap();
    assert_eq!(
        row[1], "=1+1 HYPERLINK",
        "a formula-like title is text, not evaluated"
    );
}

/// The workbook converted by LibreOffice to CSV (`;`, UTF-8), or `None` (skipped) when
/// LibreOffice or its spreadsheet part is missing and CI is unset.
fn libreoffice_csv(xlsx: &[u8]) -> Option<Vec<Vec<String>>> {
    let skip = |why: &str| {
        assert!(std::env::var_os("CI").is_none(), "{why}");
        eprintln!("skipped: {why} and CI is unset");
        None
    };
    let Some(soffice) = program("soffice") else {
        return skip("soffice is missing (apt-get install libreoffice-calc-nogui)");
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("programma.xlsx");
    std::fs::write(&file, xlsx).unwrap();
    let output = Command::new(soffice)
        .arg(format!(
            "-env:UserInstallation=file://{}",
            dir.path().join("profiel").display()
        ))
        .args([
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):59,34,76,1",
            "--outdir",
        ])
        .arg(dir.path())
        .arg(&file)
        .output()
        .unwrap();
    let converted = dir.path().join("programma.csv");
    if !converted.exists() {
        return skip(&format!(
            "LibreOffice did not convert the workbook; is its spreadsheet part installed \
             (apt-get install libreoffice-calc-nogui)? {}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Some(csv_rows(&std::fs::read(&converted).unwrap()))
}

fn program(name: &str) -> Option<std::path::PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| Path::new(p).is_file())
}

/// The codes of each table of the programme page, in the order shown.
fn codes_per_table(body: &str) -> Vec<Vec<String>> {
    body.split("<table")
        .skip(1)
        .map(|table| {
            table
                .split("koers-code\">")
                .skip(1)
                .map(|rest| rest.split('<').next().unwrap().to_string())
                .collect::<Vec<_>>()
        })
        .filter(|codes| !codes.is_empty())
        .collect()
}

async fn programme_tables_sort_by_column(app: TestApp) {
    let reader = app.login("lezer").await;
    let actions = actions_of(&app, 2024, &ActionFilter::default()).await;
    let hours = |code: &str| {
        actions
            .iter()
            .find(|a| a.code == code)
            .unwrap()
            .planned_hours
    };
    let page = app
        .get("/programma/2024?sorteer=uren&richting=aflopend", &reader)
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let tables = codes_per_table(&page.body);
    assert!(tables.len() > 3);
    let mut reordered = false;
    for codes in &tables {
        let h: Vec<i64> = codes.iter().map(|c| hours(c)).collect();
        assert!(h.windows(2).all(|w| w[0] >= w[1]), "{codes:?} {h:?}");
        let mut by_code = codes.clone();
        by_code.sort();
        reordered |= &by_code != codes;
    }
    assert!(reordered, "sorting by hours changes the order somewhere");
    assert!(page.body.contains(r#"aria-sort="descending"><a class="utrecht-link koers-sort" href="?sorteer=uren&#38;richting=oplopend#acties">Uren"#), "{}", page.body);
    // Ascending is the reverse order of the hours; the default is by code.
    let up = app
        .get("/programma/2024?sorteer=uren&richting=oplopend", &reader)
        .await;
    for codes in codes_per_table(&up.body) {
        let h: Vec<i64> = codes.iter().map(|c| hours(c)).collect();
        assert!(h.windows(2).all(|w| w[0] <= w[1]));
    }
    let plain = app.get("/programma/2024", &reader).await;
    for codes in codes_per_table(&plain.body) {
        let mut sorted = codes.clone();
        sorted.sort();
        assert_eq!(codes, sorted);
    }
    assert!(plain.body.contains(r#"aria-sort="ascending"><a class="utrecht-link koers-sort" href="?sorteer=code&#38;richting=aflopend#acties">Code"#));
    // The filter stays in the sort links, and a filtered view says what it shows.
    let filtered = app
        .get("/programma/2024?status=vertraagd&sorteer=status", &reader)
        .await;
    assert!(
        filtered
            .body
            .contains("href=\"?status=vertraagd&#38;sorteer=uren&#38;richting=oplopend#acties\"")
    );
    let delayed = actions
        .iter()
        .filter(|a| a.status == koers_domain::Status::Vertraagd)
        .collect::<Vec<_>>();
    let all_hours: i64 = actions.iter().map(|a| a.planned_hours).sum();
    let shown_hours: i64 = delayed.iter().map(|a| a.planned_hours).sum();
    let sentence = format!(
        "{} van {} acties getoond (filter actief), samen {} van {} uur gepland.",
        delayed.len(),
        actions.len(),
        koers_domain::nl::duizendtallen(shown_hours),
        koers_domain::nl::duizendtallen(all_hours)
    );
    assert!(filtered.body.contains(&sentence), "{sentence}");
    assert!(
        filtered
            .body
            .contains("/programma/2024/export.csv?status=vertraagd")
    );
    assert!(filtered.body.contains(&format!(
        "Exporteren ({} acties, met het filter)",
        delayed.len()
    )));
    // Unknown values are refused like other filters.
    for bad in [
        "sorteer=prijs",
        "sorteer=uren&richting=omhoog",
        "sorteer=%00",
    ] {
        let reply = app.get(&format!("/programma/2024?{bad}"), &reader).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}

each_database!(
    the_programme_exports_as_csv_with_every_field,
    libreoffice_reads_the_workbook,
    programme_tables_sort_by_column,
);
