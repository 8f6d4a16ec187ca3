//! The bullying section of the monthly report over HTTP: counts only, the same in every
//! format, within scope — and not one name the cases hold, in the page, the CSV, the workbook
//! or the JSON.

use reqwest::StatusCode;
use serde_json::{Value, json};
use xiaoan::domain::bullying::input::{PartyDraft, validate_party};
use xiaoan::domain::role::Role;
use xiaoan::store::bullying::details;

use crate::bullying_store::{ALLEGED, VICTIM, reported, spawn, take};
use crate::helpers::*;
use crate::report_helpers::xlsx_part;

#[tokio::test]
async fn the_month_counts_cases_in_every_format_and_names_no_one() {
    let c = spawn().await;
    let a = reported(&c, "b.teacher");
    let b = reported(&c, "b.officer");
    for (id, name) in [(a.id, VICTIM), (b.id, ALLEGED)] {
        let p = validate_party(&PartyDraft {
            role: "victim".into(),
            name: name.into(),
            age: "12".into(),
            ..Default::default()
        })
        .expect("valid");
        details::add_party(&mut c.app.conn(), &c.app.by_name("b.officer"), id, &p).expect("party");
    }
    take(&c, "b.officer", a.id, "accept", "", "").expect("accept");
    take(&c, "b.officer", a.id, "determine", "bullying", "").expect("determine");
    let bureau = c.app.logged_in("b.desk", Role::Bureau, None).await;
    let month = &today().to_string()[..7];
    let json: Value = bureau
        .get(&format!("/reports/monthly.json?month={month}"))
        .await
        .json()
        .await
        .unwrap_or_default();
    let mut section = json["bullying"].clone();
    let units = section.as_object_mut().and_then(|o| o.remove("by_unit"));
    assert_eq!(
        section,
        json!({"reported_in_month": 2, "determined_bullying_in_month": 1, "open": 2,
            "investigations_overdue": 0, "screenings_in_month": 0})
    );
    assert_eq!(units.map(|u| u[0]["key"].clone()), Some(json!("辰阳镇")));
    let html = bureau
        .text(&format!("/reports/monthly?month={month}"))
        .await;
    assert!(html.contains("<caption>防欺凌</caption>"), "{html}");
    assert!(html.contains(
        "<td>合计</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">2</td>"
    ));
    let csv = bureau
        .text(&format!("/reports/monthly.csv?month={month}"))
        .await;
    assert!(csv.contains("本月,合计,2,1,2,0,0"), "{csv}");
    let res = bureau
        .get(&format!("/reports/monthly.xlsx?month={month}"))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap_or_default();
    let strings = xlsx_part(&bytes, "xl/sharedStrings.xml");
    assert!(xlsx_part(&bytes, "xl/workbook.xml").contains("name=\"防欺凌\""));
    for name in [VICTIM, ALLEGED, &VICTIM[..3], &a.ref_no, &b.ref_no] {
        for (what, text) in [
            ("json", json.to_string()),
            ("html", html.clone()),
            ("csv", csv.clone()),
            ("xlsx", strings.clone()),
        ] {
            assert!(!text.contains(name), "{name} in the {what}");
        }
    }
    // A school's report holds its own counts; another school's holds none of them.
    let other = c
        .app
        .logged_in("b.other2", Role::SchoolAdmin, Some("BL-2"))
        .await;
    let theirs: Value = other
        .get(&format!("/reports/monthly.json?month={month}"))
        .await
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(theirs["bullying"]["reported_in_month"], 0);
    assert_eq!(theirs["bullying"]["open"], 0);
}
