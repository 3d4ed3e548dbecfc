use crate::helpers::{TestApp, each_database};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;

async fn cross_site_posts_are_refused_and_headers_are_set(app: TestApp) {
    let session = app.login("beleidsadviseur").await;
    let request = Request::post("/onderdelen/partner")
        .header(header::COOKIE, &session)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from("name=Kwaadwillend"))
        .unwrap();
    assert_eq!(app.request(request).await.status, StatusCode::FORBIDDEN);
    let request = Request::post("/onderdelen/partner")
        .header(header::COOKIE, &session)
        .header(header::HOST, "koers.example")
        .header(header::ORIGIN, "https://kwaadwillend.example")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("name=Kwaadwillend"))
        .unwrap();
    assert_eq!(app.request(request).await.status, StatusCode::FORBIDDEN);
    let login = app.get("/inloggen", "").await;
    let csp = login
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(
        login.headers.get("x-content-type-options").unwrap(),
        "nosniff"
    );
    assert!(
        !login.body.contains("style=\""),
        "inline styles would be blocked by the CSP"
    );
    assert!(
        login.headers.get("strict-transport-security").is_none(),
        "no HSTS on plain HTTP"
    );
    let mut https = app.state.clone();
    https.secure_cookies = true;
    let response = koers::app::router(https)
        .oneshot(Request::get("/inloggen").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(
        response.headers().get("strict-transport-security").unwrap(),
        "max-age=31536000"
    );
}

each_database!(cross_site_posts_are_refused_and_headers_are_set,);
