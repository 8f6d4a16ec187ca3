//! The corpus in the account forms: login, password change, the county's settings.

use xiaoan::domain::role::Role;
use xiaoan::web::account::login::LoginForm;
use xiaoan::web::account::password::PasswordForm;
use xiaoan::web::settings::SettingsForm;

use crate::helpers::*;
use crate::hostile::{Probe, V, corpus, escaped, fields_of, with};

#[tokio::test]
async fn hostile_logins_are_refused_cleanly_and_write_only_the_failure() {
    let app = TestApp::spawn().await;
    app.user("h.staff", Role::Viewer, None);
    let b = app.browser();
    let mut p = Probe::new(&app, &b).await;
    // A failed login joins the trail by design; everything else must stay as it was.
    p.may_write(&["events"]);
    let good = [
        ("username", "h.staff".to_string()),
        ("password", "wrong".to_string()),
    ];
    for field in fields_of::<LoginForm>() {
        for v in corpus() {
            // Each try reaches the password check, not the lockout.
            app.exec("DELETE FROM login_throttle");
            let a = p.post("/login", &with(&good, field, &v), false).await;
            assert!(
                a.status.is_client_error() || a.status == 200,
                "{field}: {}",
                a.status
            );
            assert!(!a.accepted, "{field} logged in with {v:?}");
        }
    }
    crate::hostile::report("login", p.sent, 0);
}

#[tokio::test]
async fn hostile_new_passwords_are_refused_or_work_as_typed() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("h.pw", Role::Viewer, None).await;
    let mut p = Probe::new(&app, &b).await;
    let mut current = PASSWORD.to_string();
    let fields = fields_of::<PasswordForm>();
    for field in &fields {
        for v in corpus() {
            app.exec("DELETE FROM login_throttle");
            let new = "another good password".to_string();
            let base = [
                ("current_password", current.clone()),
                ("new_password", new.clone()),
                ("confirm_password", new.clone()),
            ];
            let mut typed = with(&base, field, &v);
            if *field == "new_password" {
                // The confirmation repeats it, so the value itself is what is judged.
                typed = with(&base, "new_password", &v);
                typed.retain(|(k, _)| *k != "confirm_password");
                typed.push(("confirm_password", v.clone()));
            }
            let a = p.post("/account/password", &typed, false).await;
            if a.accepted {
                // The new password is the one typed, exactly: the next login takes it.
                let set = match (&v, *field) {
                    (V::Text(s), "new_password") => s.clone(),
                    _ => new.clone(),
                };
                let fresh = app.browser();
                let res = fresh.login("h.pw", &set).await;
                assert_eq!(res.status(), 303, "{field}: the changed password works");
                current = set;
                p.renew_token().await;
            }
        }
    }
    crate::hostile::report("password", p.sent, p.accepted);
}

#[tokio::test]
async fn hostile_settings_are_refused_or_kept_exactly_and_shown_escaped() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("h.root", Role::Admin, None).await;
    let mut p = Probe::new(&app, &b).await;
    let good = [
        ("county_name", "辰溪县".to_string()),
        ("bureau_name", "辰溪县教育局".to_string()),
        ("webhook_url", String::new()),
        ("schools_accept_general", "1".to_string()),
    ];
    for field in fields_of::<SettingsForm>() {
        for (i, v) in corpus().into_iter().enumerate() {
            // Every other value as a person's browser posts it: a refusal is kept as a draft.
            let a = p
                .post("/settings", &with(&good, field, &v), i % 2 == 0)
                .await;
            let Some(text) = v.text().filter(|_| a.accepted) else {
                continue;
            };
            if field == "county_name" || field == "bureau_name" {
                let key = field;
                let stored = app.text_of(&format!(
                    "SELECT value AS v FROM settings WHERE key = '{key}'"
                ));
                assert_eq!(stored, text, "{field} stored as typed");
                if !text.is_empty() {
                    let page = &a.page;
                    assert!(
                        page.contains(&escaped(text)),
                        "{field} shown escaped: {}",
                        crate::hostile::short(text)
                    );
                }
            }
        }
    }
    crate::hostile::report("settings", p.sent, p.accepted);
}
