//! Security headers on every response, cookie flags, static caching.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::helpers::*;

fn assert_security_headers(res: &reqwest::Response, what: &str) {
    let h = res.headers();
    let csp = h
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(csp.contains("frame-ancestors 'none'"), "{what}: CSP {csp}");
    assert!(
        csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
        "{what}: CSP {csp}"
    );
    assert_eq!(
        h.get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff"),
        "{what}"
    );
    assert!(
        h.get("referrer-policy").is_some(),
        "{what}: Referrer-Policy"
    );
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    let anon = app.browser();
    for path in [
        "/login",
        "/healthz",
        "/",
        "/static/css/app.css",
        "/static/nope.css",
    ] {
        assert_security_headers(&anon.get(path).await, path);
    }
    let b = app.logged_in("h.admin", Role::Admin, None).await;
    for path in ["/", "/schools", "/users", "/no-such-page"] {
        assert_security_headers(&b.get(path).await, path);
    }
    assert_security_headers(&b.post_raw("/schools", &[]).await, "refused POST");
    // The module pages too: a ledger, a record, its photo, a report and its downloads, and
    // error pages of every kind.
    let school = app.school("H-1");
    let officer = app
        .logged_in("h.officer", Role::SchoolAdmin, Some("H-1"))
        .await;
    let id = app.report_hazard("h.officer", school, "general");
    let photo = app.photo(
        "h.officer",
        id,
        xiaoan::domain::attachments::Stage::Before,
        9,
    );
    for path in [
        "/hazards".to_string(),
        format!("/hazards/{id}"),
        format!("/attachments/{photo}"),
        format!("/attachments/{photo}/thumb"),
        "/hazards.csv".into(),
        "/hazards.xlsx".into(),
        "/reports/monthly".into(),
        "/reports/monthly.json".into(),
        "/reports/monthly.csv".into(),
        "/hazards/999999".into(),
        "/users".into(),
    ] {
        let res = officer.get(&path).await;
        assert!(
            res.status().is_success() || res.status().is_client_error(),
            "{path}: {}",
            res.status()
        );
        assert_security_headers(&res, &path);
    }
    let conflict = officer
        .post(
            &format!("/hazards/{id}/transition"),
            &[("action", "accept")],
        )
        .await;
    assert_eq!(conflict.status(), StatusCode::FORBIDDEN);
    assert_security_headers(&conflict, "a refused action");
    assert!(
        app.browser()
            .get("/")
            .await
            .headers()
            .get("strict-transport-security")
            .is_none()
    );
}

#[tokio::test]
async fn behind_tls_cookies_are_secure_and_hsts_is_sent() {
    let app = TestApp::spawn_with(|c| c.tls = true).await;
    let res = app.browser().get("/login").await;
    assert!(res.headers().get("strict-transport-security").is_some());
    let cookies: Vec<String> = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_string))
        .collect();
    assert!(!cookies.is_empty());
    assert!(cookies.iter().all(|c| c.contains("Secure")), "{cookies:?}");
}

/// The value a response sets for cookie `name`, and the whole Set-Cookie line.
fn set_cookie(res: &reqwest::Response, name: &str) -> Option<(String, String)> {
    res.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|line| {
            let value = line[name.len() + 1..].split(';').next().unwrap_or("");
            (value.to_string(), line.to_string())
        })
}

#[tokio::test]
async fn behind_tls_the_flash_cookie_is_secure_too() {
    let app = TestApp::spawn_with(|c| c.tls = true).await;
    app.user("tls.admin", Role::Admin, None);
    // Secure cookies do not travel over the test's plain HTTP by themselves: carry them by hand.
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    let url = |p: &str| format!("{}{p}", app.base);
    let page = client.get(url("/login")).send().await.expect("GET /login");
    let (anon, _) = set_cookie(&page, "xiaoan_csrf").expect("an anonymous CSRF cookie");
    let token = extract_csrf(&page.text().await.unwrap_or_default()).expect("token");
    let login = client
        .post(url("/login"))
        .header("cookie", format!("xiaoan_csrf={anon}"))
        .form(&[
            ("username", "tls.admin"),
            ("password", PASSWORD),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("POST /login");
    let (session, _) = set_cookie(&login, "xiaoan_session").expect("signed in");
    let jar = format!("xiaoan_session={session}");
    let form = client
        .get(url("/settings"))
        .header("cookie", &jar)
        .send()
        .await
        .expect("GET /settings");
    let token = extract_csrf(&form.text().await.unwrap_or_default()).expect("token");
    let saved = client
        .post(url("/settings"))
        .header("cookie", &jar)
        .form(&[("county_name", "辰溪县"), ("csrf_token", &token)])
        .send()
        .await
        .expect("POST /settings");
    assert_eq!(saved.status(), StatusCode::SEE_OTHER);
    let (_, line) = set_cookie(&saved, "xiaoan_flash").expect("a flash message");
    assert!(
        line.contains("Secure") && line.contains("HttpOnly"),
        "{line}"
    );
}

#[tokio::test]
async fn the_session_cookie_is_httponly_and_samesite_lax() {
    let app = TestApp::spawn().await;
    app.user("cookie", Role::Viewer, None);
    let res = app.browser().login("cookie", PASSWORD).await;
    let set = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("xiaoan_session="))
        .unwrap_or("")
        .to_string();
    assert!(set.contains("HttpOnly"), "{set}");
    assert!(set.contains("SameSite=Lax"), "{set}");
    assert!(!set.contains("Secure"), "no Secure without TLS: {set}");
}

#[tokio::test]
async fn static_files_are_embedded_with_versioned_long_lived_urls() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let page = b.text("/login").await;
    let start = page.find("/static/css/app.css?v=").unwrap_or(0);
    let url: String = page[start..].chars().take_while(|c| *c != '"').collect();
    assert!(url.starts_with("/static/css/app.css?v="), "{url}");
    let res = b.get(&url).await;
    assert_eq!(res.status(), StatusCode::OK);
    let cache = res
        .headers()
        .get("cache-control")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert!(
        cache.contains("immutable") && cache.contains("max-age=31536000"),
        "{cache}"
    );
    assert!(
        res.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .starts_with("text/css")
    );
    let stale = b.get("/static/css/app.css?v=old").await;
    assert_eq!(
        stale
            .headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-cache")
    );
}

#[tokio::test]
async fn pages_hold_no_inline_script_or_style() {
    let app = TestApp::spawn().await;
    app.school("S1");
    let b = app.logged_in("csp", Role::Admin, None).await;
    for path in [
        "/login",
        "/",
        "/schools",
        "/schools/1",
        "/schools/new",
        "/users",
        "/users/new",
        "/schools/import",
    ] {
        let page = b.text(path).await;
        assert!(!page.contains("<style"), "{path}");
        assert!(!page.contains(" style="), "{path}");
        assert!(!page.contains(" onclick="), "{path}");
        for chunk in page.split("<script").skip(1) {
            assert!(
                chunk.trim_start().starts_with("src="),
                "{path}: inline script"
            );
        }
    }
}

#[tokio::test]
async fn error_pages_are_drawn_in_the_layout_with_their_status() {
    let app = TestApp::spawn().await;
    app.school("S1");
    let staff = app.logged_in("err.staff", Role::Staff, Some("S1")).await;
    let res = staff.get("/users").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let page = res.text().await.unwrap_or_default();
    assert!(
        page.contains("class=\"topbar\"") && page.contains("403"),
        "403 in the layout"
    );
    let res = staff.get("/nothing-here").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(res.text().await.unwrap_or_default().contains("找不到"));
    let admin = app.logged_in("err.admin", Role::Admin, None).await;
    let me = app.count("users");
    let res = admin
        .post(&format!("/users/{me}/active"), &[("active", "0")])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "deactivating oneself");
    assert!(
        res.text()
            .await
            .unwrap_or_default()
            .contains("class=\"error-page\"")
    );
}
