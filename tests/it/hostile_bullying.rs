//! The corpus in the bullying forms: a report, a party, a measure, a step, a screening and an
//! anonymous tip, and the list's query and exports.

use xiaoan::domain::bullying::input::{
    CaseDraft, MeasureDraft, PartyDraft, ScreeningDraft, StepDraft, TipDraft,
};
use xiaoan::domain::role::Role;
use xiaoan::web::bullying::list::ListQuery;

use crate::helpers::*;
use crate::hostile::{Probe, corpus, escaped, fields_of, with};
use crate::hostile_lists::queries;

const SCHOOL: &str = "HB-1";
const OFFICER: &str = "hb.officer";

fn case_form() -> Vec<(&'static str, String)> {
    vec![
        ("reported_on", today().to_string()),
        ("reporter_kind", "teacher".into()),
        ("summary", "课间推搡".into()),
        ("place", "操场".into()),
    ]
}

#[tokio::test]
async fn hostile_bullying_forms_save_nothing_or_exactly_what_was_typed() {
    let app = TestApp::spawn().await;
    app.school(SCHOOL);
    let officer = app
        .logged_in(OFFICER, Role::SchoolAdmin, Some(SCHOOL))
        .await;
    let mut p = Probe::new(&app, &officer).await;
    for field in fields_of::<CaseDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post("/bullying", &with(&case_form(), field, &v), i % 2 == 0)
                .await;
        }
    }
    let id = app.one("SELECT CAST(MIN(id) AS BIGINT) AS n FROM bullying_cases");
    let party: Vec<(&'static str, String)> = vec![
        ("role", "victim".into()),
        ("name", "张三".into()),
        ("grade_class", "五年级".into()),
        ("age", "11".into()),
    ];
    for field in fields_of::<PartyDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            let a = p
                .post(
                    &format!("/bullying/{id}/parties"),
                    &with(&party, field, &v),
                    i % 2 == 1,
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
    let measure: Vec<(&'static str, String)> = vec![
        ("kind", "education".into()),
        ("taken_on", today().to_string()),
        ("note", "批评教育".into()),
    ];
    for field in fields_of::<MeasureDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post(
                &format!("/bullying/{id}/measures"),
                &with(&measure, field, &v),
                i % 2 == 0,
            )
            .await;
        }
    }
    // A follow-up needs a determined case; hostile words go to the comment of a referral,
    // which every open case takes (the first accepted one moves the case on).
    let step: Vec<(&'static str, String)> = vec![
        ("action", "refer_police".into()),
        ("comment", "移送".into()),
    ];
    for field in fields_of::<StepDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post(
                &format!("/bullying/{id}/transition"),
                &with(&step, field, &v),
                i % 2 == 1,
            )
            .await;
        }
    }
    let screening: Vec<(&'static str, String)> = vec![
        ("held_on", today().to_string()),
        ("classes", "全校".into()),
        ("pupils_covered", "300".into()),
        ("findings", "无".into()),
    ];
    for field in fields_of::<ScreeningDraft>() {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post(
                "/bullying/screenings",
                &with(&screening, field, &v),
                i % 2 == 0,
            )
            .await;
        }
    }
    crate::hostile::report("bullying forms", p.sent, p.accepted);
}

#[tokio::test]
async fn hostile_tips_and_queries_answer_without_writing_what_was_not_typed() {
    let app = TestApp::spawn().await;
    app.school(SCHOOL);
    let stranger = app.browser();
    let mut p = Probe::new(&app, &stranger).await;
    // A filed tip answers 200 with its receipt, not a redirect; past the school's limit an
    // hour, 429 with nothing filed.
    p.created_by_200(&["/tip"]);
    let tip: Vec<(&'static str, String)> = vec![
        ("school", SCHOOL.into()),
        ("summary", "有人被欺负".into()),
        ("place", String::new()),
        ("happened_on", String::new()),
    ];
    for field in fields_of::<TipDraft>()
        .into_iter()
        .filter(|f| *f != "school")
    {
        for (i, v) in corpus().into_iter().enumerate().take(8) {
            p.post("/tip", &with(&tip, field, &v), i % 2 == 0).await;
        }
    }
    let bureau = app.logged_in("hb.bureau", Role::Bureau, None).await;
    let mut p = Probe::new(&app, &bureau).await;
    let lists = ["/bullying", "/bullying.csv", "/bullying.xlsx"];
    p.get_all(queries(&lists, &fields_of::<ListQuery>())).await;
}
