use crate::helpers::{Served, TestApp, each_database, opted_in};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

/// Makes an API key through the page, as the user of `session`.
pub(crate) async fn api_key(app: &TestApp, session: &str) -> String {
    let reply = app
        .post("/account/api-sleutels", session, &[("name", "test")])
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let start = reply
        .body
        .find("koers_")
        .expect("the new key is shown once");
    reply.body[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

pub(crate) struct ApiReply {
    pub(crate) status: StatusCode,
    pub(crate) headers: axum::http::HeaderMap,
    pub(crate) json: Value,
}

pub(crate) async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    key: Option<&str>,
    extra: &[(&str, &str)],
    body: Option<Value>,
) -> ApiReply {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(key) = key {
        request = request.header(header::AUTHORIZATION, format!("Bearer {key}"));
    }
    for (name, value) in extra {
        request = request.header(*name, *value);
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .unwrap(),
        None => request.body(Body::empty()).unwrap(),
    };
    let reply = app.request(request).await;
    let json = serde_json::from_str(&reply.body).unwrap_or(Value::Null);
    ApiReply {
        status: reply.status,
        headers: reply.headers,
        json,
    }
}

async fn the_api_reads_and_changes_actions_with_an_api_key(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    // Without a key, and with only the session cookie, the API refuses.
    let anonymous = call(&app, "GET", "/api/v1/programmas", None, &[], None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        anonymous.headers.get(header::CONTENT_TYPE).unwrap(),
        "application/problem+json"
    );
    assert_eq!(anonymous.headers.get("api-version").unwrap(), "1.0.0");
    assert_eq!(anonymous.json["status"], 401);
    let cookie_only = call(
        &app,
        "GET",
        "/api/v1/programmas",
        None,
        &[("cookie", session.as_str())],
        None,
    )
    .await;
    assert_eq!(cookie_only.status, StatusCode::UNAUTHORIZED);

    let key = api_key(&app, &session).await;
    let programmes = call(&app, "GET", "/api/v1/programmas", Some(&key), &[], None).await;
    assert_eq!(programmes.status, StatusCode::OK);
    assert_eq!(programmes.json.as_array().unwrap().len(), 2);
    assert_eq!(programmes.json[0]["jaar"], 2023);

    let list = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/acties?status=vertraagd",
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.json
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["status"] == "vertraagd")
    );
    assert_eq!(
        call(
            &app,
            "GET",
            "/api/v1/programmas/2031/acties",
            Some(&key),
            &[],
            None
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    let one = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/acties/IV1-03",
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json["voorganger"]["jaar"], 2023);
    let etag = one
        .headers
        .get(header::ETAG)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    assert_eq!(etag, format!("\"{}\"", one.json["versie"]));

    let mut body = json!({
        "code": "IV1-03",
        "titel": "Via de API bijgewerkt",
        "beschrijving": one.json["beschrijving"],
        "themaId": one.json["thema"]["id"],
        "ambitieId": one.json["ambitie"]["id"],
        "trekkerId": one.json["trekker"]["id"],
        "kwartalen": [1, 2],
        "geplandeUren": 48,
        "prioriteit": "hoog",
        "herkomst": "nieuw_trends"
    });
    let path = "/api/v1/programmas/2024/acties/IV1-03";
    assert_eq!(
        call(&app, "PUT", path, Some(&key), &[], Some(body.clone()))
            .await
            .status,
        StatusCode::PRECONDITION_REQUIRED
    );
    let saved = call(
        &app,
        "PUT",
        path,
        Some(&key),
        &[("if-match", &etag)],
        Some(body.clone()),
    )
    .await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.json);
    assert_eq!(saved.json["titel"], "Via de API bijgewerkt");
    // The same stale version again: someone (we) changed it since.
    let stale = call(
        &app,
        "PUT",
        path,
        Some(&key),
        &[("if-match", &etag)],
        Some(body.clone()),
    )
    .await;
    assert_eq!(stale.status, StatusCode::PRECONDITION_FAILED);

    body["titel"] = json!("");
    body["geplandeUren"] = json!(-1);
    let invalid = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/acties",
        Some(&key),
        &[],
        Some(body.clone()),
    )
    .await;
    assert_eq!(invalid.status, StatusCode::BAD_REQUEST);
    let names: Vec<&str> = invalid.json["invalidParams"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"titel") && names.contains(&"geplandeUren"),
        "{names:?}"
    );
    let unknown = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/acties",
        Some(&key),
        &[],
        Some(json!({"titel": 1})),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);

    body["code"] = json!("IV1-77");
    body["titel"] = json!("Nieuw via de API");
    body["geplandeUren"] = json!(16);
    let created = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/acties",
        Some(&key),
        &[],
        Some(body),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json);
    assert_eq!(
        created.headers.get(header::LOCATION).unwrap(),
        "/api/v1/programmas/2024/acties/IV1-77"
    );

    let progress = json!({"status": "op_schema", "toelichting": "Gestart via de API", "bestedeUren": 4, "datum": "2024-06-01"});
    let reported = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/acties/IV1-77/voortgang",
        Some(&key),
        &[],
        Some(progress),
    )
    .await;
    assert_eq!(reported.status, StatusCode::CREATED, "{}", reported.json);
    let future = json!({"status": "op_schema", "bestedeUren": 0, "datum": "2030-01-01"});
    let refused = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/acties/IV1-77/voortgang",
        Some(&key),
        &[],
        Some(future),
    )
    .await;
    assert_eq!(refused.json["invalidParams"][0]["name"], "datum");
    let history = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/acties/IV1-77/voortgang",
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(history.json[0]["toelichting"], "Gestart via de API");
    // The API's changes are in the audit log like any other.
    let beheerder = app.login("beheerder").await;
    assert!(
        app.get("/beheer/audit.csv", &beheerder)
            .await
            .body
            .contains("Actie IV1-77 'Nieuw via de API' toegevoegd")
    );
}

/// Sends `body` with the given Content-Type (or none), as the raw text it is.
async fn send_raw(
    app: &TestApp,
    method: &str,
    path: &str,
    key: &str,
    content_type: Option<&str>,
    body: &str,
) -> ApiReply {
    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {key}"));
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    let reply = app
        .request(request.body(Body::from(body.to_string())).unwrap())
        .await;
    ApiReply {
        status: reply.status,
        headers: reply.headers,
        json: serde_json::from_str(&reply.body).unwrap_or(Value::Null),
    }
}

fn param_names(reply: &ApiReply) -> Vec<String> {
    reply.json["invalidParams"]
        .as_array()
        .map(|params| {
            params
                .iter()
                .map(|p| p["name"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

async fn bodies_that_are_not_json_get_415_and_nothing_changes(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let key = api_key(&app, &session).await;
    let path = "/api/v1/programmas/2024/acties/IV1-03/voortgang";
    let progress =
        json!({"status": "op_schema", "bestedeUren": 0, "datum": "2024-06-01"}).to_string();
    let before = call(&app, "GET", path, Some(&key), &[], None).await.json;
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/xml"),
        Some("text/json"),
        None,
    ] {
        let reply = send_raw(&app, "POST", path, &key, content_type, &progress).await;
        assert_eq!(
            reply.status,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "{content_type:?}"
        );
        assert_eq!(
            reply.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/problem+json"
        );
        assert_eq!(reply.json["status"], 415);
        assert_eq!(reply.json["title"], "Niet-ondersteund mediatype");
        assert!(
            reply.json["detail"]
                .as_str()
                .unwrap()
                .contains("application/json")
        );
    }
    let put = send_raw(
        &app,
        "PUT",
        "/api/v1/programmas/2024/acties/IV1-03",
        &key,
        Some("text/plain"),
        "{}",
    )
    .await;
    assert_eq!(put.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let create = send_raw(
        &app,
        "POST",
        "/api/v1/programmas/2024/acties",
        &key,
        Some("application/xml"),
        "<actie/>",
    )
    .await;
    assert_eq!(create.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        call(&app, "GET", path, Some(&key), &[], None).await.json,
        before,
        "nothing was reported"
    );
    // JSON with a charset, or a +json type, is JSON.
    for content_type in [
        "application/json; charset=utf-8",
        "application/vnd.koers+json",
    ] {
        let reply = send_raw(&app, "POST", path, &key, Some(content_type), &progress).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{content_type}");
    }
    // Without a key the answer is still 401, whatever the body.
    let anonymous = Request::builder()
        .method("POST")
        .uri(path)
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(progress))
        .unwrap();
    assert_eq!(
        app.request(anonymous).await.status,
        StatusCode::UNAUTHORIZED
    );
}

async fn an_unknown_filter_value_is_a_bad_request(app: TestApp) {
    let session = app.login("lezer").await;
    let key = api_key(&app, &session).await;
    let list = "/api/v1/programmas/2024/acties";
    for (query, name) in [
        ("status=klaar", "status"),
        ("status=", "status"),
        ("herkomst=elders", "herkomst"),
        ("thema=abc", "thema"),
        ("thema=0", "thema"),
        ("subteam=-2", "subteam"),
        ("opgave=99999999999999999999", "opgave"),
        ("zoek=%20", "zoek"),
        ("status=vertraagd&status=op_schema", "status"),
    ] {
        let reply = call(
            &app,
            "GET",
            &format!("{list}?{query}"),
            Some(&key),
            &[],
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(
            reply.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/problem+json"
        );
        assert_eq!(param_names(&reply), [name], "{query}");
    }
    let two = call(
        &app,
        "GET",
        &format!("{list}?status=klaar&thema=x"),
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(param_names(&two), ["status", "thema"]);
    // Known values still filter, and unknown parameters are ignored.
    let delayed = call(
        &app,
        "GET",
        &format!("{list}?status=vertraagd&pagina=2"),
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(delayed.status, StatusCode::OK);
    assert!(!delayed.json.as_array().unwrap().is_empty());
}

async fn reporting_progress_answers_with_the_entry_it_made(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let key = api_key(&app, &session).await;
    let path = "/api/v1/programmas/2024/acties/IV1-03/voortgang";
    let history = call(&app, "GET", path, Some(&key), &[], None).await.json;
    let newest = history[0]["datum"].as_str().unwrap().to_string();
    assert_eq!(newest, "2024-05-16", "the demo's newest entry");
    // A late report about an earlier date than the newest entry.
    let late = json!({"status": "vertraagd", "toelichting": "Achteraf gemeld", "bestedeUren": 3, "datum": "2024-04-02"});
    let reported = call(&app, "POST", path, Some(&key), &[], Some(late)).await;
    assert_eq!(reported.status, StatusCode::CREATED, "{}", reported.json);
    assert_eq!(reported.json["datum"], "2024-04-02");
    assert_eq!(reported.json["status"], "vertraagd");
    assert_eq!(reported.json["toelichting"], "Achteraf gemeld");
    assert_eq!(reported.json["bestedeUren"], 3);
    let after = call(&app, "GET", path, Some(&key), &[], None).await.json;
    assert_eq!(after[0]["datum"], newest.as_str(), "the newest stays first");
    assert!(
        after
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["toelichting"] == "Achteraf gemeld")
    );
    // The API takes dates only as yyyy-mm-dd, as its document says.
    let dutch = json!({"status": "op_schema", "bestedeUren": 1, "datum": "02-04-2024"});
    let refused = call(&app, "POST", path, Some(&key), &[], Some(dutch)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(param_names(&refused), ["datum"]);
    let nul = json!({"status": "op_schema", "bestedeUren": 1, "datum": "2024-04-02", "toelichting": "a\u{0}b"});
    let refused = call(&app, "POST", path, Some(&key), &[], Some(nul)).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(param_names(&refused), ["toelichting"]);
}

async fn progress_without_hours_is_refused_and_nothing_is_stored(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let key = api_key(&app, &session).await;
    let path = "/api/v1/programmas/2024/acties/IV1-03/voortgang";
    let before = call(&app, "GET", path, Some(&key), &[], None).await.json;
    // Omitted and null alike: neither says how many hours were spent.
    for body in [
        json!({"status": "op_schema", "toelichting": "Zonder uren", "datum": "2024-05-20"}),
        json!({"status": "op_schema", "toelichting": "Zonder uren", "bestedeUren": null, "datum": "2024-05-20"}),
    ] {
        let refused = call(&app, "POST", path, Some(&key), &[], Some(body.clone())).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(
            refused.headers.get(header::CONTENT_TYPE).unwrap(),
            "application/problem+json"
        );
        assert_eq!(param_names(&refused), ["bestedeUren"], "{}", refused.json);
        let reason = refused.json["invalidParams"][0]["reason"].as_str().unwrap();
        assert!(reason.contains("0 als u er geen"), "{reason}");
    }
    assert_eq!(
        call(&app, "GET", path, Some(&key), &[], None).await.json,
        before,
        "a refused report changes nothing"
    );
    // Zero is an answer and is kept as such.
    let zero = json!({"status": "op_schema", "toelichting": "Geen uren", "bestedeUren": 0, "datum": "2024-05-20"});
    let reported = call(&app, "POST", path, Some(&key), &[], Some(zero)).await;
    assert_eq!(reported.status, StatusCode::CREATED, "{}", reported.json);
    assert_eq!(reported.json["bestedeUren"], 0);
    assert_eq!(reported.json["toelichting"], "Geen uren");
}

async fn a_code_in_use_is_a_conflict_and_if_match_takes_one_strong_tag(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let key = api_key(&app, &session).await;
    let path = "/api/v1/programmas/2024/acties/IV1-03";
    let one = call(&app, "GET", path, Some(&key), &[], None).await;
    let body = json!({
        "code": "iv1-03",
        "titel": "Dubbel",
        "themaId": one.json["thema"]["id"],
        "trekkerId": one.json["trekker"]["id"],
        "kwartalen": [3],
        "geplandeUren": 8,
        "prioriteit": "laag",
        "herkomst": "nieuw_trends"
    });
    let taken = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/acties",
        Some(&key),
        &[],
        Some(body.clone()),
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.json);
    assert_eq!(param_names(&taken), ["code"]);
    // A code that is not well formed is still a bad request.
    let mut bad = body.clone();
    bad["code"] = json!("-1");
    let bad = call(
        &app,
        "POST",
        "/api/v1/programmas/2024/acties",
        Some(&key),
        &[],
        Some(bad),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(param_names(&bad), ["code"]);

    let etag = one.headers.get(header::ETAG).unwrap().to_str().unwrap();
    let version = etag.trim_matches('"');
    for if_match in [version.to_string(), format!("W/{etag}"), "*".into()] {
        let reply = call(
            &app,
            "PUT",
            path,
            Some(&key),
            &[("if-match", &if_match)],
            Some(body.clone()),
        )
        .await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{if_match}");
    }
}

async fn api_keys_carry_their_owners_role_and_organisation_and_can_be_revoked(app: TestApp) {
    let lezer = app.login("lezer").await;
    let key = api_key(&app, &lezer).await;
    let path = "/api/v1/programmas/2024/acties/IV1-03";
    assert_eq!(
        call(&app, "GET", path, Some(&key), &[], None).await.status,
        StatusCode::OK
    );
    let progress = json!({"status": "op_schema", "bestedeUren": 0, "datum": "2024-06-01"});
    let forbidden = call(
        &app,
        "POST",
        &format!("{path}/voortgang"),
        Some(&key),
        &[],
        Some(progress),
    )
    .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let (_, other) = app
        .other_organisation(
            "GM0009",
            "elders@elders.example",
            koers_domain::Rol::Beheerder,
        )
        .await;
    let other_key = api_key(&app, &other).await;
    assert_eq!(
        call(&app, "GET", path, Some(&other_key), &[], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        call(
            &app,
            "GET",
            "/api/v1/programmas",
            Some(&other_key),
            &[],
            None
        )
        .await
        .json,
        json!([])
    );

    let page = app.get("/account/api-sleutels", &lezer).await.body;
    let start = page.find("/account/api-sleutels/").unwrap() + "/account/api-sleutels/".len();
    let id: String = page[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    // Another user cannot revoke it; its owner can.
    let adviseur = app.login("beleidsadviseur").await;
    let revoke = format!("/account/api-sleutels/{id}/intrekken");
    assert_eq!(
        app.post(&revoke, &adviseur, &[]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.post(&revoke, &lezer, &[]).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        call(&app, "GET", path, Some(&key), &[], None).await.status,
        StatusCode::UNAUTHORIZED
    );
    let empty = app
        .post("/account/api-sleutels", &lezer, &[("name", " ")])
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_openapi_document_is_public(app: TestApp) {
    let doc = call(&app, "GET", "/api/v1/openapi.json", None, &[], None).await;
    assert_eq!(doc.status, StatusCode::OK);
    assert_eq!(
        doc.headers
            .get(header::ACCESS_CONTROL_ALLOW_ORIGIN)
            .unwrap(),
        "*"
    );
    assert_eq!(doc.json["openapi"], "3.0.3");
    assert!(doc.json["paths"]["/programmas/{jaar}/acties/{code}"]["put"].is_object());
    assert_eq!(
        call(&app, "GET", "/api/v1/bestaat-niet", None, &[], None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// Follows a local `$ref` ("#/components/…") to what it names.
fn resolve<'a>(doc: &'a Value, value: &'a Value) -> &'a Value {
    match value.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let pointer = reference.strip_prefix('#').expect("local $ref");
            resolve(
                doc,
                doc.pointer(pointer)
                    .unwrap_or_else(|| panic!("{reference} exists")),
            )
        }
        None => value,
    }
}

/// Every `format` of a schema property, with where it is, searched through the whole document.
fn property_formats<'a>(value: &'a Value, at: String, found: &mut Vec<(String, &'a Value)>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(properties)) = map.get("properties") {
                for (name, property) in properties {
                    if let Some(format) = property.get("format") {
                        found.push((format!("{at}.{name}"), format));
                    }
                }
            }
            for (key, child) in map {
                property_formats(child, format!("{at}.{key}"), found);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                property_formats(child, format!("{at}[{i}]"), found);
            }
        }
        _ => {}
    }
}

/// The OpenAPI document and the router agree, and the document keeps to the design rules that
/// can be checked mechanically. These are the rules of the Spectral ruleset of the API Design
/// Rules (tests/api/adr-ruleset.yaml, run it with tests/api/spectral.sh), so that a regression
/// fails `cargo test` without a network: an OpenAPI 3 document with a semver version and a
/// contact (name, url, e-mail), the major version in the server URL, lower-case kebab-case paths
/// without a trailing slash, unique operationIds, only standard methods, camelCase query keys and
/// properties, PascalCase schema names, an API-Version header on every 2xx/3xx answer, 4xx/5xx
/// answers as problem+json with status, title and detail, a 400 on every operation that takes
/// input, full dates for date fields and no local date-times or times. It also checks what the
/// ruleset cannot: that every route answers, that a POST or PUT documents 415, and that the
/// answers this API gives are all listed.
#[tokio::test]
async fn the_openapi_document_matches_the_api_and_the_design_rules() {
    let app = TestApp::sqlite().await;
    let session = app.login("beheerder").await;
    let key = api_key(&app, &session).await;
    let doc = call(&app, "GET", "/api/v1/openapi.json", None, &[], None)
        .await
        .json;

    let version = doc["openapi"].as_str().expect("openapi");
    assert!(
        version.starts_with("3.") && version.split('.').count() == 3,
        "OpenAPI 3: {version}"
    );
    let info_version = doc["info"]["version"].as_str().unwrap();
    assert!(
        info_version.split('.').count() == 3
            && info_version
                .split('.')
                .all(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())),
        "info.version is semver: {info_version}"
    );
    let contact = &doc["info"]["contact"];
    for field in ["name", "url", "email"] {
        assert!(
            contact[field].as_str().is_some_and(|v| !v.is_empty()),
            "info.contact.{field}"
        );
    }
    assert!(contact["email"].as_str().unwrap().contains('@'));
    for server in doc["servers"].as_array().unwrap() {
        let url = server["url"].as_str().unwrap();
        assert!(url.contains("/v1"), "{url}: major version in the URI");
        assert!(!url.starts_with("http://"), "{url}: https");
    }

    crate::adoption::ensure_adopted(app.store(), 2024).await;
    // A kept council package, for the path that serves one by id.
    let rendered = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/raadspakket?formaat=html",
        Some(&key),
        &[],
        None,
    )
    .await;
    assert_eq!(rendered.status, StatusCode::OK);
    let kept = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/raadspakketten",
        Some(&key),
        &[],
        None,
    )
    .await;
    let package_id = kept.json[0]["id"].to_string();
    let org = app.org().await;
    let task_field_id = app.store().task_fields(org).await.unwrap()[0]
        .id
        .to_string();
    // The demo's open progress round of 2024.
    let rounds = call(
        &app,
        "GET",
        "/api/v1/programmas/2024/rondes",
        Some(&key),
        &[],
        None,
    )
    .await;
    let round_id = rounds.json[0]["id"].to_string();
    // A demo indicator with a measurement, for the paths of indicators and measurements.
    let indicator = app
        .store()
        .indicators(app.org().await)
        .await
        .unwrap()
        .remove(0);
    let (indicator_id, measurement_id) = (
        indicator.indicator.id.to_string(),
        indicator.measurements[0].id.to_string(),
    );
    let paths = doc["paths"].as_object().unwrap();
    let mut operation_ids = Vec::new();
    for (path, item) in paths {
        assert!(!path.ends_with('/'), "{path}: no trailing slash");
        for segment in path.split('/').skip(1) {
            let variable = segment.starts_with('{') && segment.ends_with('}');
            let kebab = !segment.is_empty()
                && segment
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
            assert!(variable || kebab, "{path}: lower-case kebab-case segments");
        }
        let concrete = path
            .replace("{jaar}", "2024")
            .replace("{code}", "IV1-03")
            .replace("{soort}", "programma")
            .replace("{nummer}", "1")
            .replace("{id}", &package_id)
            .replace("{taakveld}", &task_field_id)
            .replace("{ronde}", &round_id)
            .replace("{indicator}", &indicator_id)
            .replace("{meting}", &measurement_id);
        for (method, operation) in item.as_object().unwrap() {
            if ["parameters", "summary", "description"].contains(&method.as_str()) {
                continue;
            }
            assert!(
                ["get", "put", "post", "delete", "patch"].contains(&method.as_str()),
                "{method} {path}: a standard HTTP method"
            );
            let id = operation["operationId"].as_str().expect("operationId");
            assert!(!operation_ids.contains(&id), "operationId {id} is unique");
            operation_ids.push(id);

            let parameters: Vec<&Value> = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| resolve(&doc, p))
                .collect();
            for parameter in parameters.iter().filter(|p| p["in"] == "query") {
                let name = parameter["name"].as_str().unwrap();
                let camel = name.starts_with(|c: char| c.is_ascii_lowercase())
                    && name.chars().all(|c| c.is_ascii_alphanumeric());
                assert!(camel, "{method} {path}: query key {name} is camelCase");
            }

            let responses = operation["responses"].as_object().unwrap();
            for (status, response) in responses {
                let response = resolve(&doc, response);
                if status.starts_with('2') || status.starts_with('3') {
                    assert!(
                        response["headers"].get("API-Version").is_some(),
                        "{method} {path} {status}: API-Version header"
                    );
                }
                if status.starts_with('4') || status.starts_with('5') {
                    let schema = resolve(
                        &doc,
                        &response["content"]["application/problem+json"]["schema"],
                    );
                    for member in ["status", "title", "detail"] {
                        assert!(
                            schema["properties"].get(member).is_some(),
                            "{method} {path} {status}: problem+json with {member}"
                        );
                    }
                }
            }
            assert!(
                responses.contains_key("401"),
                "{method} {path}: documents 401"
            );
            let takes_input = match method.as_str() {
                "get" | "delete" => !parameters.is_empty(),
                _ => true,
            };
            if takes_input {
                assert!(
                    responses.contains_key("400"),
                    "{method} {path}: documents 400 for invalid input"
                );
            }
            if method == "post" || method == "put" {
                assert!(
                    responses.contains_key("415"),
                    "{method} {path}: documents 415 for a body that is not JSON"
                );
                let body = &operation["requestBody"]["content"];
                assert!(
                    body.as_object()
                        .unwrap()
                        .keys()
                        .all(|t| t == "application/json"),
                    "{method} {path}: takes JSON only"
                );
            }

            // The route exists with this method: without a key it answers 401, not 404 or 405.
            let reply = call(
                &app,
                &method.to_uppercase(),
                &format!("/api/v1{concrete}"),
                None,
                &[],
                None,
            )
            .await;
            assert_eq!(
                reply.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} is routed"
            );
            if method == "get" {
                let ok = call(
                    &app,
                    "GET",
                    &format!("/api/v1{concrete}"),
                    Some(&key),
                    &[],
                    None,
                )
                .await;
                assert_eq!(ok.status, StatusCode::OK, "GET {path} with a key");
            }
        }
    }

    for (name, schema) in doc["components"]["schemas"].as_object().unwrap() {
        assert!(
            name.starts_with(|c: char| c.is_ascii_uppercase())
                && name.chars().all(|c| c.is_ascii_alphanumeric()),
            "schema name {name} is PascalCase"
        );
        for property in schema["properties"]
            .as_object()
            .into_iter()
            .flat_map(|p| p.keys())
        {
            let camel = property.chars().next().unwrap().is_ascii_lowercase()
                && !property.contains('_')
                && !property.contains('-');
            assert!(camel, "{name}.{property} is camelCase");
        }
    }
    let mut formats = Vec::new();
    property_formats(&doc, String::new(), &mut formats);
    for (at, format) in &formats {
        assert!(
            *format != "date-time-local" && *format != "time",
            "{at}: a date-time with a time zone, a time without one"
        );
        let field = at.rsplit('.').next().unwrap();
        let date_field = ["datum", "date"].contains(&field)
            || field.ends_with("Datum")
            || field.ends_with("Date");
        if date_field {
            assert_eq!(*format, "date", "{at}: a date field has format date");
        }
    }
}

/// Runs schemathesis (PyPI) with all its checks against the served OpenAPI document, on a server
/// on port 0, and fails on any failure. Runs when KOERS_SCHEMATHESIS=1 (CI sets it); otherwise
/// says it was skipped, and under CI=true that is a failure. The number of cases per operation is
/// bounded so that both databases together stay within a few minutes.
async fn schemathesis_finds_no_difference_between_the_document_and_the_server(app: TestApp) {
    if !opted_in(
        "KOERS_SCHEMATHESIS",
        "`schemathesis` on PATH, from `pip install schemathesis`",
    ) {
        return;
    }
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let session = app.login("beleidsadviseur").await;
    let key = api_key(&app, &session).await;
    let (year, code) = ("2024", "IV1-03");
    let action = call(
        &app,
        "GET",
        &format!("/api/v1/programmas/{year}/acties/{code}"),
        Some(&key),
        &[],
        None,
    )
    .await
    .json;

    // Progress may not be dated in the future; the hooks send yesterday's date at the latest.
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).date_naive();
    // A progress round opens today, so the hooks open one in the programme of this year.
    let this_year = chrono::Datelike::year(&chrono::Utc::now().date_naive()).to_string();
    let made = app
        .post("/programma", &session, &[("jaar", this_year.as_str())])
        .await;
    assert!(
        made.status.is_redirection(),
        "programme {this_year}: {}",
        made.status
    );
    let served = Served::start(&app).await;
    let url = served.url.clone();
    let examples = std::env::var("KOERS_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| "30".into());
    // Schemathesis keeps a cache in its working directory; keep it out of the work tree.
    let scratch = tempfile::tempdir().unwrap();
    let tests_api = root.join("tests/api");
    let mut command = std::process::Command::new("schemathesis");
    command
        .current_dir(scratch.path())
        .env(
            "SCHEMATHESIS_HOOKS",
            tests_api.join("schemathesis_hooks.py"),
        )
        .env("KOERS_ST_URL", &url)
        .env("KOERS_ST_KEY", &key)
        .env("KOERS_ST_YEAR", year)
        .env("KOERS_ST_CODE", code)
        .env("KOERS_ST_THEMA", action["thema"]["id"].to_string())
        .env("KOERS_ST_TREKKER", action["trekker"]["id"].to_string())
        .env("KOERS_ST_TODAY", yesterday.to_string())
        .env("KOERS_ST_ROUND_YEAR", &this_year)
        .arg("--config-file")
        .arg(tests_api.join("schemathesis.toml"))
        .arg("run")
        .arg(format!("{url}/api/v1/openapi.json"))
        .args([
            "--checks",
            "all",
            "--max-examples",
            &examples,
            "--seed",
            "20240603",
        ])
        // The examples and stateful phases fill in values after the hooks ran (the document's
        // examples, values from earlier answers), so a positive case there can point at data the
        // hooks would have replaced. The coverage phase uses the examples too, through the hooks.
        .args(["--phases", "coverage,fuzzing"])
        .args([
            "--workers",
            "1",
            "--no-color",
            "--suppress-health-check",
            "all",
        ])
        // No example database in the work tree: every run starts from the seed alone.
        .args(["--generation-database", "none"])
        .args(["--header", &format!("Authorization: Bearer {key}")]);
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .expect("schemathesis runs (pip install schemathesis)");
    served.stop().await;
    println!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "schemathesis found failures on {:?}",
        app.store().dialect()
    );
}

each_database!(
    the_api_reads_and_changes_actions_with_an_api_key,
    api_keys_carry_their_owners_role_and_organisation_and_can_be_revoked,
    the_openapi_document_is_public,
    bodies_that_are_not_json_get_415_and_nothing_changes,
    an_unknown_filter_value_is_a_bad_request,
    reporting_progress_answers_with_the_entry_it_made,
    progress_without_hours_is_refused_and_nothing_is_stored,
    a_code_in_use_is_a_conflict_and_if_match_takes_one_strong_tag,
    schemathesis_finds_no_difference_between_the_document_and_the_server,
);
