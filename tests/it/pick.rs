//! The school picker at province size: pages stay small whatever the number of schools, the
//! choices are a township's and the chosen one, a school is found by its name too, and the
//! lookup answers townships first, then schools.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;
use xiaoan::domain::school::{SchoolInput, SchoolKind};
use xiaoan::store::{self, Actor};

use crate::helpers::TestApp;

/// `n` schools in up to 20 townships (东山镇, 西水镇, …), more than a picker lists when
/// `n` > 300 (`store::pick::MAX_OPTIONS`).
fn province(app: &TestApp, n: usize) {
    let mut conn = app.conn();
    for k in 0..n {
        let s = SchoolInput {
            code: format!("PV-{k:04}"),
            name: format!("第{k}号学校"),
            township: Some(format!(
                "{}{}镇",
                ["东", "西", "南", "北", "中"][k % 5],
                ["山", "水", "林", "田"][k % 4]
            )),
            kind: SchoolKind::Primary,
            pupils: 100,
            boarders: 0,
            staff: 10,
            principal: "校长".into(),
            phone: "0745-1234567".into(),
        };
        store::schools::create(&mut conn, &Actor::cli(), &s).expect("create school");
    }
}

fn options(page: &str, list: &str) -> usize {
    let Some(start) = page.find(&format!("<datalist id=\"{list}\">")) else {
        return 0;
    };
    let end = page[start..]
        .find("</datalist>")
        .map_or(page.len(), |e| start + e);
    page[start..end].matches("<option").count()
}

#[tokio::test]
async fn a_province_sized_ledger_page_stays_small_and_lists_a_townships_schools() {
    let app = TestApp::spawn().await;
    province(&app, 320);
    let bureau = app.logged_in("p.bureau", Role::Bureau, None).await;
    let page = bureau.text("/hazards").await;
    assert!(page.len() < 60_000, "{} bytes", page.len());
    assert_eq!(options(&page, "f-school-list"), 0, "no township: typed");
    let page = bureau.text("/hazards?township=东山镇").await;
    let n = options(&page, "f-school-list");
    assert!((1..=300).contains(&n), "the township's schools: {n}");
    assert!(page.contains("PV-0000"));
    let page = bureau.text("/hazards?school=PV-0007").await;
    assert!(
        page.contains(r#"value="PV-0007""#),
        "the chosen school stays in the box"
    );
    assert_eq!(options(&page, "f-school-list"), 1);
    let form = bureau.text("/hazards/new").await;
    assert!(
        form.len() < 60_000,
        "the new report's form: {} bytes",
        form.len()
    );
    assert!(form.contains(r#"data-lookup="school""#));
}

#[tokio::test]
async fn a_county_lists_every_school_as_a_suggestion() {
    let app = TestApp::spawn().await;
    province(&app, 12);
    let bureau = app.logged_in("c.bureau", Role::Bureau, None).await;
    let page = bureau.text("/hazards").await;
    assert_eq!(options(&page, "f-school-list"), 12);
    assert_eq!(options(&page, "f-township-list"), 12);
}

#[tokio::test]
async fn a_school_is_picked_by_its_exact_name_too() {
    let app = TestApp::spawn().await;
    province(&app, 3);
    let id = app.school("CX-1");
    app.user("searcher", Role::Bureau, None);
    app.report_hazard("searcher", id, "general");
    let bureau = app.logged_in("n.bureau", Role::Bureau, None).await;
    assert!(
        bureau
            .text("/hazards?school=CX-1")
            .await
            .contains("共 1 条")
    );
    let by_name = bureau.text("/hazards?school=CX-1 学校").await;
    assert!(by_name.contains("共 1 条"), "CX-1 学校");
    let res = bureau.get("/hazards?school=无此校").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_lookup_answers_townships_first_then_schools_to_county_roles_only() {
    let app = TestApp::spawn().await;
    province(&app, 40);
    let bureau = app.logged_in("l.bureau", Role::Bureau, None).await;
    let res = bureau.get("/schools/lookup?q=西水").await;
    assert_eq!(res.status(), StatusCode::OK);
    let found: serde_json::Value = res.json().await.expect("json");
    assert_eq!(found["townships"], serde_json::json!(["西水镇"]));
    let schools = found["schools"].as_array().expect("schools");
    assert!(!schools.is_empty() && schools.len() <= 20);
    assert!(
        schools.iter().all(|s| s["township"] == "西水镇"),
        "{schools:?}"
    );
    let by_name: serde_json::Value = bureau
        .get("/schools/lookup?q=第17号")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(by_name["schools"][0]["code"], "PV-0017", "{by_name}");
    let nothing: serde_json::Value = bureau
        .get("/schools/lookup?q=%25")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(nothing["schools"], serde_json::json!([]));
    app.school("OWN-1");
    let staff = app.logged_in("l.staff", Role::Staff, Some("OWN-1")).await;
    assert_eq!(
        staff.get("/schools/lookup?q=x").await.status(),
        StatusCode::FORBIDDEN
    );
}
