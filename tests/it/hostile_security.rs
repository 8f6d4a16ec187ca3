//! The corpus in the security forms: a guard, its leaving, the profile, an alarm test, a gap,
//! and the table's query and exports.

use xiaoan::domain::role::Role;
use xiaoan::domain::security::input::{AlarmTestDraft, GuardDraft, ProfileDraft};
use xiaoan::web::forms::DraftQuery;
use xiaoan::web::security::TableQuery;

use crate::helpers::*;
use crate::hostile::{Probe, corpus, escaped, fields_of, with};
use crate::hostile_lists::queries;
use crate::security_helpers::{guard_form, profile_form};

const SCHOOL: &str = "HS-1";
const OFFICER: &str = "hs.officer";

#[tokio::test]
async fn hostile_security_forms_save_nothing_or_exactly_what_was_typed() {
    let app = TestApp::spawn().await;
    let school = app.school(SCHOOL);
    let officer = app
        .logged_in(OFFICER, Role::SchoolAdmin, Some(SCHOOL))
        .await;
    let mut p = Probe::new(&app, &officer).await;
    let base = format!("/security/schools/{SCHOOL}");
    // A guard: every field; each accepted one is a new guard, so the licence is blanked to
    // keep later values from colliding with an earlier one's.
    let mut good = guard_form("刘建国", "");
    good.retain(|(k, _)| *k != "licence_no");
    for field in fields_of::<GuardDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            let a = p
                .post(
                    &format!("{base}/guards"),
                    &with(&good, field, &v),
                    i % 2 == 0,
                )
                .await;
            if let (true, "name", Some(text)) = (a.accepted, field, v.text()) {
                assert!(
                    a.page.contains(&escaped(text.trim())),
                    "the name shown escaped"
                );
            }
        }
    }
    for field in fields_of::<ProfileDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post(
                &format!("{base}/profile"),
                &with(&profile_form(1), field, &v),
                i % 2 == 1,
            )
            .await;
        }
    }
    let test: Vec<(&'static str, String)> = vec![
        ("tested_on", today().to_string()),
        ("result", "pass".into()),
        ("response_seconds", "30".into()),
        ("note", "正常".into()),
    ];
    for field in fields_of::<AlarmTestDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post(
                &format!("{base}/alarm-tests"),
                &with(&test, field, &v),
                i % 2 == 0,
            )
            .await;
        }
    }
    for (i, v) in corpus().into_iter().enumerate() {
        p.post(&format!("{base}/gaps"), &with(&[], "item", &v), i % 2 == 0)
            .await;
    }
    let guard = app.add_guard(OFFICER, school, "王军", "湘HS0001");
    for (i, v) in corpus().into_iter().enumerate() {
        p.post(
            &format!("/security/guards/{guard}/leave"),
            &with(&[], "left_on", &v),
            i % 2 == 0,
        )
        .await;
    }
    crate::hostile::report("security forms", p.sent, p.accepted);
}

#[tokio::test]
async fn hostile_security_queries_answer_without_writing() {
    let app = TestApp::spawn().await;
    let school = app.school(SCHOOL);
    app.user(OFFICER, Role::SchoolAdmin, Some(SCHOOL));
    app.add_guard(OFFICER, school, "<script>alert(1)</script>", "湘HS0002");
    let bureau = app.logged_in("hs.bureau", Role::Bureau, None).await;
    let mut p = Probe::new(&app, &bureau).await;
    let page = bureau.text(&format!("/security/schools/{SCHOOL}")).await;
    assert!(page.contains(&escaped("<script>alert(1)</script>")));
    let lists = ["/security", "/security.csv", "/security.xlsx"];
    p.get_all(queries(&lists, &fields_of::<TableQuery>())).await;
    let pages = [format!("/security/schools/{SCHOOL}")];
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    p.get_all(queries(&pages, &fields_of::<DraftQuery>())).await;
}
