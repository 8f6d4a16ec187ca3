//! Logging in and out, sessions and their ends, throttling.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::helpers::*;

#[tokio::test]
async fn healthz_answers_ok_without_a_session() {
    let app = TestApp::spawn().await;
    let res = app.browser().get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap_or_default(), "ok");
}

#[tokio::test]
async fn pages_redirect_to_login_without_a_session() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    for path in [
        "/",
        "/schools",
        "/users",
        "/account/password",
        "/schools/1",
        "/notifications",
        "/no/such/page",
    ] {
        let res = b.get(path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&res), "/login", "{path}");
    }
}

#[tokio::test]
async fn the_login_form_has_the_contract_fields() {
    let app = TestApp::spawn().await;
    let page = app.browser().text("/login").await;
    for field in [
        "name=\"username\"",
        "name=\"password\"",
        "name=\"csrf_token\"",
    ] {
        assert!(page.contains(field), "{field} missing");
    }
}

#[tokio::test]
async fn the_right_password_opens_a_session_and_lands_on_home() {
    let app = TestApp::spawn().await;
    app.school("S1");
    app.user("li.na", Role::SchoolAdmin, Some("S1"));
    let b = app.browser();
    let res = b.login("li.na", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    let home = b.text("/").await;
    assert!(home.contains("li.na 名"), "home shows the user's name");
    assert!(home.contains("S1 学校"), "home shows the user's school");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_get_the_same_message() {
    let app = TestApp::spawn().await;
    app.user("wang", Role::Bureau, None);
    let b = app.browser();
    let wrong = b.login("wang", "not the password").await;
    assert_eq!(wrong.status(), StatusCode::OK);
    let wrong = wrong.text().await.unwrap_or_default();
    let unknown = b
        .login("nobody", "not the password")
        .await
        .text()
        .await
        .unwrap_or_default();
    assert!(wrong.contains("用户名或密码不正确"));
    assert!(unknown.contains("用户名或密码不正确"));
    assert!(
        b.cookie("xiaoan_session").is_none(),
        "no session after failures"
    );
}

#[tokio::test]
async fn a_disabled_user_cannot_log_in() {
    let app = TestApp::spawn().await;
    let id = app.user("gone", Role::Viewer, None);
    app.exec(&format!("UPDATE users SET active = false WHERE id = {id}"));
    let res = app.browser().login("gone", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn logout_kills_the_old_session_cookie_everywhere() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("zhou", Role::Bureau, None).await;
    let token = b.cookie("xiaoan_session").unwrap_or_default();
    assert!(!token.is_empty());
    let res = b.logout().await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/login");
    // Another client presenting the old cookie gets nothing.
    let thief = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_default();
    let res = thief
        .get(format!("{}/", app.base))
        .header("Cookie", format!("xiaoan_session={token}"))
        .send()
        .await
        .map(|r| (r.status(), location(&r)));
    assert_eq!(
        res.ok(),
        Some((StatusCode::SEE_OTHER, "/login".to_string()))
    );
    assert_eq!(app.count("sessions"), 0);
}

#[tokio::test]
async fn each_login_gets_a_new_session_token() {
    let app = TestApp::spawn().await;
    app.user("chen", Role::Viewer, None);
    let b = app.browser();
    b.login("chen", PASSWORD).await;
    let first = b.cookie("xiaoan_session");
    b.login("chen", PASSWORD).await;
    let second = b.cookie("xiaoan_session");
    assert!(first.is_some() && second.is_some());
    assert_ne!(first, second);
    assert_eq!(app.count("sessions"), 1, "the replaced session is gone");
}

#[tokio::test]
async fn the_database_keeps_only_a_hash_of_the_session_token() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("hash.check", Role::Viewer, None).await;
    let token = b.cookie("xiaoan_session").unwrap_or_default();
    let found = app.exec(&format!(
        "UPDATE sessions SET ip = ip WHERE token_hash = '{token}'"
    ));
    assert_eq!(found, 0, "the raw token is not stored");
}

#[tokio::test]
async fn fifteen_failed_logins_lock_the_account_even_for_the_right_password() {
    let app = TestApp::spawn().await;
    app.user("target", Role::Bureau, None);
    let b = app.browser();
    for _ in 0..15 {
        b.login("target", "guess guess guess").await;
    }
    let res = b.login("target", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    let page = res.text().await.unwrap_or_default();
    assert!(page.contains("15 分钟"), "the wait is shown: {page}");
    assert!(b.cookie("xiaoan_session").is_none());
    // Another account from the same address is not locked yet.
    app.user("other", Role::Bureau, None);
    assert_eq!(
        b.login("other", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_throttle_holds_across_app_instances() {
    let app = TestApp::spawn().await;
    app.user("shared", Role::Bureau, None);
    let sibling = Browser::new(&app.sibling().await);
    let b = app.browser();
    for i in 0..10 {
        let browser = if i % 2 == 0 { &b } else { &sibling };
        browser.login("shared", "wrong wrong wrong").await;
    }
    assert_eq!(
        sibling.login("shared", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        b.login("shared", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_successful_login_clears_earlier_failures() {
    let app = TestApp::spawn().await;
    app.user("forgetful", Role::Viewer, None);
    let b = app.browser();
    for _ in 0..9 {
        b.login("forgetful", "wrong wrong wrong").await;
    }
    assert_eq!(
        b.login("forgetful", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    b.logout().await;
    for _ in 0..9 {
        b.login("forgetful", "wrong wrong wrong").await;
    }
    assert_eq!(
        b.login("forgetful", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session() {
    let app = TestApp::spawn().await;
    let phone = app.logged_in("mover", Role::Bureau, None).await;
    let pc = app.browser();
    pc.login("mover", PASSWORD).await;
    let res = pc
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new sentence"),
                ("confirm_password", "a brand new sentence"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        pc.get("/").await.status(),
        StatusCode::OK,
        "this browser stays signed in"
    );
    assert_eq!(
        location(&phone.get("/").await),
        "/login",
        "the other session ended"
    );
    let fresh = app.browser();
    assert_eq!(
        fresh.login("mover", PASSWORD).await.status(),
        StatusCode::OK,
        "old password refused"
    );
    assert_eq!(
        fresh.login("mover", "a brand new sentence").await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_bad_new_password_is_refused_with_a_reason_and_nothing_changes() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("careful", Role::Viewer, None).await;
    let cases = [
        (PASSWORD, "short", "short"),
        (PASSWORD, "a long enough one", "a different one!"),
        ("wrong current pw", "a long enough one", "a long enough one"),
        (PASSWORD, "careful-careful-1", "careful-careful-1"),
    ];
    for (current, new, confirm) in cases {
        let res = b
            .post(
                "/account/password",
                &[
                    ("current_password", current),
                    ("new_password", new),
                    ("confirm_password", confirm),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{new}");
    }
    assert_eq!(
        app.browser().login("careful", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn an_idle_session_expires() {
    let app = TestApp::spawn_with(|c| c.session.idle = chrono::Duration::seconds(1)).await;
    let b = app.logged_in("sleepy", Role::Viewer, None).await;
    assert_eq!(b.get("/").await.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(location(&b.get("/").await), "/login");
}

#[tokio::test]
async fn a_session_ends_at_its_absolute_lifetime_even_when_used() {
    // Idle far longer than the lifetime, so only the absolute limit can end it.
    let app = TestApp::spawn_with(|c| c.session.absolute = chrono::Duration::seconds(3)).await;
    let b = app.logged_in("busy", Role::Viewer, None).await;
    let start = std::time::Instant::now();
    for _ in 0..2 {
        assert_eq!(b.get("/").await.status(), StatusCode::OK);
        tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    }
    let rest = std::time::Duration::from_millis(3300).saturating_sub(start.elapsed());
    tokio::time::sleep(rest).await;
    assert_eq!(location(&b.get("/").await), "/login");
}

#[tokio::test]
async fn guessing_the_current_password_from_an_open_session_is_throttled() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("open.pc", Role::Bureau, None).await;
    for _ in 0..10 {
        let res = b
            .post(
                "/account/password",
                &[
                    ("current_password", "a wrong guess"),
                    ("new_password", "a brand new sentence"),
                    ("confirm_password", "a brand new sentence"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = b
        .post(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "a brand new sentence"),
                ("confirm_password", "a brand new sentence"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "locked even with the right password"
    );
    assert!(res.text().await.unwrap_or_default().contains("15 分钟"));
    assert_eq!(
        app.browser().login("open.pc", PASSWORD).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_forwarded_address_is_throttled() {
    let app = TestApp::spawn_with(|c| c.trust_proxy = true).await;
    for i in 0..6 {
        app.user(&format!("acct{i}"), Role::Viewer, None);
    }
    app.user("innocent", Role::Viewer, None);
    let login_from = |ip: &'static str, user: String, password: &'static str| {
        let b = app.browser();
        async move {
            b.get("/login").await;
            let token = b.csrf().await;
            b.client
                .post(b.url("/login"))
                .header("X-Forwarded-For", ip)
                .form(&[
                    ("username", user.as_str()),
                    ("password", password),
                    ("csrf_token", token.as_str()),
                ])
                .send()
                .await
                .map(|r| r.status())
                .unwrap_or(StatusCode::IM_A_TEAPOT)
        }
    };
    // 54 failures from one address, never 10 on one account.
    for i in 0..6 {
        for _ in 0..9 {
            login_from("10.0.0.1", format!("acct{i}"), "wrong wrong wrong").await;
        }
    }
    assert_eq!(
        login_from("10.0.0.1", "innocent".into(), PASSWORD).await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        login_from("10.0.0.2", "innocent".into(), PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}
