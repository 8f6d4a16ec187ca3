//! The corpus in the forms of education, legal vice-principals and campaigns, and in their
//! lists', exports', county view's and year-end summary's queries.

use xiaoan::domain::campaigns::input::{CampaignDraft, DoneDraft, ReturnDraft};
use xiaoan::domain::education::input::SessionDraft;
use xiaoan::domain::legal_vps::VpDraft;
use xiaoan::domain::role::Role;

use crate::helpers::*;
use crate::hostile::{Probe, corpus, fields_of, with};
use crate::hostile_lists::queries;

const SCHOOL: &str = "HE-1";

#[tokio::test]
async fn hostile_education_forms_save_nothing_or_exactly_what_was_typed() {
    let app = TestApp::spawn().await;
    app.school(SCHOOL);
    let officer = app
        .logged_in("he.officer", Role::SchoolAdmin, Some(SCHOOL))
        .await;
    let bureau = app.logged_in("he.bureau", Role::Bureau, None).await;
    let day = today().to_string();
    let session: Vec<(&'static str, String)> = vec![
        ("kind", "drill".into()),
        ("topic", "fire".into()),
        ("held_on", day.clone()),
        ("participants", "300".into()),
        ("note", "演练".into()),
    ];
    let mut p = Probe::new(&app, &officer).await;
    for field in fields_of::<SessionDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post("/education", &with(&session, field, &v), i % 2 == 0)
                .await;
        }
    }
    crate::hostile::report("education form", p.sent, p.accepted);

    let (campaign, items) = app.create_campaign("he.bureau", "九个一", &["开会"], today());
    let done: Vec<(&'static str, String)> =
        vec![("done_on", day.clone()), ("note", "已完成".into())];
    let mut p = Probe::new(&app, &officer).await;
    for field in fields_of::<DoneDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            // An accepted one marks the item done; the bureau returns it for the next.
            let a = p
                .post(
                    &format!("/campaigns/{campaign}/items/{}/done", items[0]),
                    &with(&done, field, &v),
                    i % 2 == 0,
                )
                .await;
            if a.accepted {
                let res = bureau
                    .post(
                        &format!("/campaigns/{campaign}/items/{}/return", items[0]),
                        &[("school", SCHOOL), ("comment", "重做")],
                    )
                    .await;
                assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
            }
        }
    }
    crate::hostile::report("campaign item form", p.sent, p.accepted);

    let vp: Vec<(&'static str, String)> = vec![
        ("name", "王警官".into()),
        ("unit_kind", "police".into()),
        ("unit_name", "城关派出所".into()),
        ("appointed_on", day.clone()),
        ("schools", SCHOOL.into()),
    ];
    let mut fields = fields_of::<VpDraft>();
    fields.push("schools");
    let mut p = Probe::new(&app, &bureau).await;
    for field in &fields {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post("/legal-vps", &with(&vp, field, &v), i % 2 == 0)
                .await;
        }
    }
    let campaign_form: Vec<(&'static str, String)> = vec![
        ("name", "专项".into()),
        ("starts_on", day.clone()),
        ("ends_on", day.clone()),
        ("items", "一项".into()),
    ];
    for field in fields_of::<CampaignDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post("/campaigns", &with(&campaign_form, field, &v), i % 2 == 0)
                .await;
        }
    }
    let give_back: Vec<(&'static str, String)> =
        vec![("school", SCHOOL.into()), ("comment", "重做".into())];
    for field in fields_of::<ReturnDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post(
                &format!("/campaigns/{campaign}/items/{}/return", items[0]),
                &with(&give_back, field, &v),
                i % 2 == 0,
            )
            .await;
        }
    }
    crate::hostile::report("bureau's education forms", p.sent, p.accepted);
}

#[tokio::test]
async fn hostile_education_queries_answer_without_writing() {
    let app = TestApp::spawn().await;
    let school = app.school(SCHOOL);
    app.user("he.officer", Role::SchoolAdmin, Some(SCHOOL));
    app.user("he.bureau", Role::Bureau, None);
    app.record_session("he.officer", school, ("drill", "fire"), today(), 10);
    let (campaign, _) = app.create_campaign("he.bureau", "九个一", &["开会"], today());
    let viewer = app.logged_in("he.viewer", Role::Viewer, None).await;
    let mut p = Probe::new(&app, &viewer).await;
    let lists = ["/education", "/education.csv", "/education.xlsx"];
    p.get_all(queries(
        &lists,
        &fields_of::<xiaoan::web::education::list::ListQuery>(),
    ))
    .await;
    let lists = ["/legal-vps", "/legal-vps.csv", "/legal-vps.xlsx"];
    p.get_all(queries(
        &lists,
        &fields_of::<xiaoan::web::legal_vps::list::ListQuery>(),
    ))
    .await;
    let campaign_page = format!("/campaigns/{campaign}");
    // The year-end summary reads each past month's report, which keeps them (as the monthly
    // report's own GET does).
    p.may_write(&["report_snapshots"]);
    let years = [
        "/education/overview",
        "/reports/annual",
        "/reports/annual.json",
        "/reports/annual.xlsx",
    ];
    p.get_all(queries(&years, &["year"])).await;
    p.get_all(queries(&[campaign_page.as_str()], &["page"]))
        .await;
}
