//! The corpus in the building forms: the register, the appraisal (with its five items and its
//! report file), every disposal step, photos, and the register's lists and exports.

use xiaoan::domain::buildings::BuildingAction;
use xiaoan::domain::buildings::input::AppraisalDraft;
use xiaoan::domain::role::Role;
use xiaoan::web::buildings::ListQuery;
use xiaoan::web::buildings::actions::field_names;
use xiaoan::web::buildings::new::BuildingForm;
use xiaoan::web::forms::DraftQuery;

use crate::building_helpers::{appraisal_form, building_form};
use crate::hazard_helpers::png;
use crate::helpers::*;
use crate::hostile::{Probe, corpus, escaped, fields_of, with};
use crate::hostile_lists::queries;

const SCHOOL: &str = "HB-1";
const OFFICER: &str = "hb.officer";
const BUREAU: &str = "hb.bureau";

/// The names a flattened form struct posts (serde's flatten hides them from `fields_of`).
fn keys_of<T: serde::Serialize + Default>() -> Vec<String> {
    match serde_json::to_value(T::default()) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

#[tokio::test]
async fn hostile_registrations_and_appraisals_save_nothing_or_exactly_what_was_typed() {
    let app = TestApp::spawn().await;
    let school = app.school(SCHOOL);
    let officer = app
        .logged_in(OFFICER, Role::SchoolAdmin, Some(SCHOOL))
        .await;
    let mut p = Probe::new(&app, &officer).await;
    let mut good = building_form("教学楼", 1998);
    good.push(("school", SCHOOL.into()));
    let fields = keys_of::<BuildingForm>();
    assert!(fields.iter().any(|k| k == "use") && fields.iter().any(|k| k == "school"));
    for field in fields.iter().map(String::as_str) {
        for (i, v) in corpus().into_iter().enumerate() {
            let a = p
                .post("/buildings", &with(&good, field, &v), i % 2 == 0)
                .await;
            if let (true, "name", Some(text)) = (a.accepted, field, v.text()) {
                let id = a.location.trim_start_matches("/buildings/");
                let kept = app.text_of(&format!("SELECT name AS v FROM buildings WHERE id = {id}"));
                assert_eq!(kept, text.trim(), "the name stored as typed");
                assert!(a.page.contains(&escaped(text.trim())), "and shown escaped");
            }
        }
    }
    // Corrections: every field of the same form, on one building.
    let edited = app.register_building(OFFICER, school, "待修改楼");
    for field in keys_of::<BuildingForm>()
        .iter()
        .map(String::as_str)
        .chain(["version"])
    {
        for (i, v) in corpus().into_iter().enumerate() {
            p.post(
                &format!("/buildings/{edited}"),
                &with(&good, field, &v),
                i % 2 == 1,
            )
            .await;
        }
    }
    // Appraisals: every field, a D grade's five items included, on a fresh building each
    // time one is taken (a taken D closes it).
    let fields = keys_of::<AppraisalDraft>();
    for f in [
        "measures",
        "deadline",
        "contingency_plan",
        "grade",
        "appraised_on",
    ] {
        assert!(fields.iter().any(|k| k == f), "the appraisal posts {f}");
    }
    let mut fields: Vec<String> = fields;
    fields.push("version".into());
    let good = appraisal_form("D", today());
    let mut target = app.register_building(OFFICER, school, "待鉴定楼");
    for field in fields.iter().map(String::as_str) {
        for (i, v) in corpus().into_iter().enumerate() {
            let path = format!("/buildings/{target}/appraisals");
            let a = p.post(&path, &with(&good, field, &v), i % 3 == 0).await;
            if a.accepted {
                if let (Some(text), true) =
                    (v.text(), ["agency", "report_no", "notes"].contains(&field))
                {
                    let kept = app.text_of(&format!(
                        "SELECT {field} AS v FROM appraisals WHERE building_id = {target}"
                    ));
                    assert_eq!(kept, text.trim(), "{field} stored as typed");
                }
                target = app.register_building(OFFICER, school, "待鉴定楼");
            }
        }
    }
    // The report file: hostile bodies and names; a refused one writes nothing.
    // (body, taken?): only a plain PDF and a real image are.
    let bodies: Vec<(Vec<u8>, bool)> = vec![
        (b"<script>alert(1)</script>".to_vec(), false),
        (b"%PDF-1.4 /JavaScript (app.alert(1)) %%EOF".to_vec(), false),
        (
            b"%PDF-1.4 /J#61vaScript (app.alert(1)) %%EOF".to_vec(),
            false,
        ),
        (b"%PDF-1.7 truncated".to_vec(), false),
        (
            b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
            false,
        ),
        (vec![0u8; 2048], false),
        (png(4, 8, 8), true),
        (
            b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".to_vec(),
            true,
        ),
    ];
    let mut good_parts: Vec<(&str, String)> = appraisal_form("B", today());
    good_parts.retain(|(k, _)| *k != "grade");
    good_parts.push(("grade", "B".into()));
    for (i, (body, taken)) in bodies.into_iter().enumerate() {
        let mut parts: Vec<(&str, Option<String>, Vec<u8>)> = good_parts
            .iter()
            .map(|(k, v)| (*k, None, v.as_bytes().to_vec()))
            .collect();
        let name = if i % 2 == 0 {
            "报告\"<b>.pdf"
        } else {
            "../../etc/passwd"
        };
        parts.push(("file", Some(name.to_string()), body));
        let target = app.register_building(OFFICER, school, "有报告的楼");
        let a = p
            .multipart(&format!("/buildings/{target}/appraisals"), parts)
            .await;
        assert_eq!(a.accepted, taken, "report body {i}: {}", a.status);
    }
    crate::hostile::report("building registrations and appraisals", p.sent, p.accepted);
}

#[tokio::test]
async fn hostile_disposal_steps_and_photos_save_nothing_or_exactly_what_was_typed() {
    let app = TestApp::spawn().await;
    let school = app.school(SCHOOL);
    let officer = app
        .logged_in(OFFICER, Role::SchoolAdmin, Some(SCHOOL))
        .await;
    let bureau = app.logged_in(BUREAU, Role::Bureau, None).await;
    let mut po = Probe::new(&app, &officer).await;
    let mut pb = Probe::new(&app, &bureau).await;
    let far = (today() + chrono::Duration::days(30)).to_string();
    for &action in BuildingAction::ALL {
        let good: Vec<(&'static str, String)> = vec![
            ("action", action.as_str().into()),
            ("method", "demolish".into()),
            ("deadline", far.clone()),
            ("funding", "县财政".into()),
            ("measures", "已拆除".into()),
            ("comment", "理由".into()),
        ];
        let mut fields: Vec<&str> = vec!["action", "version"];
        fields.extend(field_names(action).into_iter().filter(|f| *f != "file"));
        let ready = || {
            let id = app.register_building(OFFICER, school, "危楼");
            app.appraise_building(OFFICER, id, "D", today());
            if action != BuildingAction::Plan {
                app.building_step(OFFICER, id, BuildingAction::Plan, "demolish");
            }
            if matches!(action, BuildingAction::Accept | BuildingAction::Return) {
                app.building_step(OFFICER, id, BuildingAction::ReportDone, "");
            }
            id
        };
        let mut id = ready();
        for field in fields {
            for (i, v) in corpus().into_iter().enumerate() {
                let p = if matches!(action, BuildingAction::Accept | BuildingAction::Return) {
                    &mut pb
                } else {
                    &mut po
                };
                let a = p
                    .post(
                        &format!("/buildings/{id}/transition"),
                        &with(&good, field, &v),
                        i % 2 == 0,
                    )
                    .await;
                if a.accepted {
                    if let (Some(text), "funding") = (v.text(), field) {
                        let kept = app.text_of(&format!(
                            "SELECT disposal_funding AS v FROM buildings WHERE id = {id}"
                        ));
                        assert_eq!(kept, text.trim(), "funding stored as typed");
                        assert!(a.page.contains(&escaped(text.trim())));
                    }
                    id = ready();
                }
            }
        }
    }
    // Photos: hostile stages and bodies on a building being disposed of.
    let id = app.register_building(OFFICER, school, "危楼");
    app.appraise_building(OFFICER, id, "D", today());
    app.building_step(OFFICER, id, BuildingAction::Plan, "demolish");
    for v in corpus() {
        po.multipart(
            &format!("/buildings/{id}/photos"),
            vec![
                ("stage", None, v.bytes()),
                ("file", Some("a.png".into()), png(1, 8, 8)),
            ],
        )
        .await;
    }
    for body in [
        b"<script>alert(1)</script>".to_vec(),
        b"%PDF-1.4 %%EOF".to_vec(),
        vec![0u8; 512],
    ] {
        po.multipart(
            &format!("/buildings/{id}/photos"),
            vec![
                ("stage", None, b"after".to_vec()),
                ("file", Some("x.png".into()), body),
            ],
        )
        .await;
    }
    crate::hostile::report(
        "building steps and photos",
        po.sent + pb.sent,
        po.accepted + pb.accepted,
    );
}

#[tokio::test]
async fn hostile_register_queries_and_exports_answer_without_writing() {
    let app = TestApp::spawn().await;
    let school = app.school(SCHOOL);
    app.user(OFFICER, Role::SchoolAdmin, Some(SCHOOL));
    let id = app.register_building(OFFICER, school, "<script>alert(1)</script>楼");
    app.appraise_building(OFFICER, id, "C", today());
    let bureau = app.logged_in(BUREAU, Role::Bureau, None).await;
    let mut p = Probe::new(&app, &bureau).await;
    let page = bureau.text("/buildings").await;
    assert!(
        page.contains(&escaped("<script>alert(1)</script>楼")),
        "names shown escaped"
    );
    let lists = [
        "/buildings",
        "/buildings.csv",
        "/buildings.xlsx",
        "/buildings/dangerous",
    ];
    p.get_all(queries(&lists, &fields_of::<ListQuery>())).await;
    let pages = ["/buildings/new".to_string(), format!("/buildings/{id}")];
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    p.get_all(queries(&pages, &fields_of::<DraftQuery>())).await;
}
