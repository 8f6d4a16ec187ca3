//! The education, legal vice-principals and campaigns sections of the monthly report over
//! HTTP: the same figures in the page, the CSV, the workbook and the JSON, and a school's
//! report holding its own only.

use reqwest::StatusCode;
use serde_json::{Value, json};
use xiaoan::domain::role::Role;

use crate::helpers::*;
use crate::report_helpers::xlsx_part;

#[tokio::test]
async fn the_three_sections_agree_in_every_format_and_a_school_sees_its_own() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.school("ER-1"), app.school("ER-2"));
    let officer = app
        .logged_in("er.officer", Role::SchoolAdmin, Some("ER-1"))
        .await;
    app.user("er.other", Role::SchoolAdmin, Some("ER-2"));
    app.user("er.bureau", Role::Bureau, None);
    app.record_session("er.officer", a, ("education", "drowning"), today(), 300);
    app.record_session("er.officer", a, ("drill", "fire"), today(), 320);
    app.record_session("er.other", b, ("education", "traffic"), today(), 100);
    app.appoint_vp("er.bureau", "王警官", &["ER-1"], today());
    let (campaign, items) = app.create_campaign("er.bureau", "九个一", &["开会", "排查"], today());
    let res = officer
        .post(
            &format!("/campaigns/{campaign}/items/{}/done", items[0]),
            &[("done_on", &today().to_string())],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let bureau = app.logged_in("er.desk", Role::Bureau, None).await;
    let month = &today().to_string()[..7];
    let json: Value = bureau
        .get(&format!("/reports/monthly.json?month={month}"))
        .await
        .json()
        .await
        .unwrap_or_default();
    let e = &json["education"];
    assert_eq!(
        (
            e["sessions_in_month"].clone(),
            e["drills_in_month"].clone(),
            e["participants_in_month"].clone()
        ),
        (json!(2), json!(1), json!(720))
    );
    assert_eq!(e["by_topic"]["drowning"], 1);
    assert_eq!(e["by_topic"]["food"], 0, "every topic listed");
    assert_eq!(json["legal_vps"]["in_office"], 1);
    assert_eq!(json["legal_vps"]["schools_covered"], 1);
    assert_eq!(json["legal_vps"]["schools_without"], 1);
    assert_eq!(json["campaigns"][0]["completion_rate"].as_f64(), Some(0.25));
    let html = bureau
        .text(&format!("/reports/monthly?month={month}"))
        .await;
    for caption in ["安全教育与演练", "法治副校长", "专项行动"] {
        assert!(
            html.contains(&format!("<caption>{caption}</caption>")),
            "{caption}: {html}"
        );
    }
    assert!(html.contains("25.0%"), "{html}");
    let csv = bureau
        .text(&format!("/reports/monthly.csv?month={month}"))
        .await;
    assert!(csv.contains("本月,合计,2,1,720"), "{csv}");
    assert!(csv.contains("本月,合计,1,1,1"), "{csv}");
    assert!(csv.contains("九个一"), "{csv}");
    let res = bureau
        .get(&format!("/reports/monthly.xlsx?month={month}"))
        .await;
    let bytes = res.bytes().await.unwrap_or_default();
    let workbook = xlsx_part(&bytes, "xl/workbook.xml");
    for sheet in ["安全教育与演练", "法治副校长", "专项行动"] {
        assert!(
            workbook.contains(&format!("name=\"{sheet}\"")),
            "{sheet}: {workbook}"
        );
    }
    let other = app
        .logged_in("er.other2", Role::SchoolAdmin, Some("ER-2"))
        .await;
    let theirs: Value = other
        .get(&format!("/reports/monthly.json?month={month}"))
        .await
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(theirs["education"]["sessions_in_month"], 1);
    assert_eq!(theirs["education"]["participants_in_month"], 100);
    assert_eq!(theirs["legal_vps"]["in_office"], 0);
    assert_eq!(
        theirs["campaigns"][0]["completion_rate"].as_f64(),
        Some(0.0)
    );
}
