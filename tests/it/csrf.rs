//! What the CSRF matrix (`matrix_csrf`) does not: that the right token, in a field, a header
//! or an upload, from our own origin, gets through.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::helpers::*;

const SCHOOL: [(&str, &str); 3] = [("code", "NEW-1"), ("name", "新学校"), ("kind", "primary")];

#[tokio::test]
async fn a_post_from_another_origin_is_refused_even_with_the_token() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin, None).await;
    let token = admin.csrf().await;
    let mut fields = SCHOOL.to_vec();
    fields.push(("csrf_token", &token));
    let res = admin
        .client
        .post(admin.url("/schools"))
        .header("Origin", "http://evil.example")
        .form(&fields)
        .send()
        .await
        .map(|r| r.status());
    assert_eq!(res.ok(), Some(StatusCode::FORBIDDEN));
    assert_eq!(app.count("schools"), 0);
    // The same request from our own origin goes through.
    let res = admin
        .client
        .post(admin.url("/schools"))
        .header("Origin", app.base.clone())
        .form(&fields)
        .send()
        .await;
    assert_eq!(res.map(|r| r.status()).ok(), Some(StatusCode::SEE_OTHER));
    assert_eq!(app.count("schools"), 1);
}

#[tokio::test]
async fn the_token_may_come_in_the_header() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin, None).await;
    let token = admin.csrf().await;
    let res = admin
        .client
        .post(admin.url("/schools"))
        .header("X-CSRF-Token", token)
        .form(&SCHOOL)
        .send()
        .await;
    assert_eq!(res.map(|r| r.status()).ok(), Some(StatusCode::SEE_OTHER));
}

#[tokio::test]
async fn login_and_logout_need_the_token_too() {
    let app = TestApp::spawn().await;
    app.user("li", Role::Viewer, None);
    let b = app.browser();
    b.get("/login").await;
    let res = b
        .post_raw("/login", &[("username", "li"), ("password", PASSWORD)])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(b.cookie("xiaoan_session").is_none());
    b.login("li", PASSWORD).await;
    assert_eq!(
        b.post_raw("/logout", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(b.get("/").await.status(), StatusCode::OK, "still signed in");
}

#[tokio::test]
async fn an_upload_may_carry_the_token_as_a_form_field() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin, None).await;
    let csv = b"code,name,kind\nFIELD-1,X,primary\n".to_vec();
    let send = |token: String| {
        let part = reqwest::multipart::Part::bytes(csv.clone()).file_name("s.csv");
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", token)
            .part("file", part);
        admin
            .client
            .post(admin.url("/schools/import"))
            .multipart(form)
            .send()
    };
    let wrong = send("not-the-token-not-the-token-not-the-token-1".into()).await;
    assert_eq!(wrong.map(|r| r.status()).ok(), Some(StatusCode::FORBIDDEN));
    assert_eq!(app.count("schools"), 0);
    let right = send(admin.csrf().await).await;
    assert_eq!(right.map(|r| r.status()).ok(), Some(StatusCode::SEE_OTHER));
    assert_eq!(
        app.count("schools"),
        1,
        "the body reached the handler intact"
    );
}

#[tokio::test]
async fn marking_notifications_read_needs_the_token() {
    let app = TestApp::spawn().await;
    let school = app.school("S-N");
    app.user("n.officer", Role::SchoolAdmin, Some("S-N"));
    app.user("n.reporter", Role::Staff, Some("S-N"));
    app.report_hazard("n.reporter", school, "general");
    let b = app.browser();
    b.login("n.officer", PASSWORD).await;
    assert_eq!(
        b.post_raw("/notifications/read", &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.count("notifications WHERE read_at IS NULL"), 1);
    assert_eq!(
        b.post("/notifications/read", &[]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.count("notifications WHERE read_at IS NULL"), 0);
}
