//! Security staffing over HTTP: guards and their checks, the profile's verification, alarm
//! tests, the county table and its export, a gap raised as a hazard, scope and roles.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::helpers::*;
use crate::security_helpers::{guard_form, profile_form};

async fn post_owned(b: &Browser, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post(path, &borrowed).await
}

struct County {
    app: TestApp,
    officer: Browser,
    teacher: Browser,
    other: Browser,
    bureau: Browser,
    viewer: Browser,
}

async fn county() -> County {
    let app = TestApp::spawn().await;
    app.school("SC-1");
    app.school("SC-2");
    let officer = app
        .logged_in("c.officer", Role::SchoolAdmin, Some("SC-1"))
        .await;
    let teacher = app.logged_in("c.teacher", Role::Staff, Some("SC-1")).await;
    let other = app
        .logged_in("c.other", Role::SchoolAdmin, Some("SC-2"))
        .await;
    let bureau = app.logged_in("c.bureau", Role::Bureau, None).await;
    let viewer = app.logged_in("c.viewer", Role::Viewer, None).await;
    County {
        app,
        officer,
        teacher,
        other,
        bureau,
        viewer,
    }
}

/// An ID-shaped value built with its check character (none is written in the repository).
fn id_shaped() -> String {
    let first17 = "43122119750101001";
    let sum: u32 = first17
        .chars()
        .enumerate()
        .map(|(i, c)| c.to_digit(10).unwrap_or(0) * (2u32.pow(17 - i as u32) % 11))
        .sum();
    format!(
        "{first17}{}",
        "10X98765432"
            .chars()
            .nth((sum % 11) as usize)
            .unwrap_or('?')
    )
}

#[tokio::test]
async fn a_school_admin_adds_guards_and_the_page_shows_the_rule_in_words() {
    let c = county().await;
    let path = "/security/schools/SC-1/guards";
    let res = post_owned(&c.officer, path, &guard_form("刘建国", "湘SC0001")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c.officer.text("/security/schools/SC-1").await;
    assert!(page.contains("刘建国") && page.contains("湘SC0001"));
    assert!(
        page.contains("在校生 300 人（100–999人）→ 应配 2 名") && page.contains("在岗专职 1 名"),
        "the arithmetic in words"
    );
    assert!(
        page.contains("专职保安不足"),
        "one guard of two: the guards item is a gap"
    );
    for reader in [&c.teacher, &c.viewer] {
        let seen = reader.text("/security/schools/SC-1").await;
        assert!(
            seen.contains("刘建国") && !seen.contains("湘SC0001") && seen.contains("湘S***01"),
            "masked for readers"
        );
        assert!(!seen.contains("form-guard"), "no form for readers");
    }
    assert!(
        c.bureau
            .text("/security/schools/SC-1")
            .await
            .contains("湘SC0001"),
        "the bureau sees it whole"
    );
    assert_eq!(
        c.other.get("/security/schools/SC-1").await.status(),
        StatusCode::NOT_FOUND
    );
    for b in [&c.teacher, &c.bureau, &c.viewer] {
        assert_eq!(
            post_owned(b, path, &guard_form("王军", "湘SC0002"))
                .await
                .status(),
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(c.app.count("guards"), 1);
}

#[tokio::test]
async fn bad_guards_are_refused_with_their_messages_and_nothing_is_written() {
    let c = county().await;
    let path = "/security/schools/SC-1/guards";
    post_owned(&c.officer, path, &guard_form("刘建国", "湘SC0001")).await;
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "birth_year",
            (today()
                .format("%Y")
                .to_string()
                .parse::<i32>()
                .unwrap_or(2026)
                + 1)
            .to_string(),
            "请填写 1930–",
        ),
        ("licence_no", id_shaped(), "不得填写身份证号码"),
        ("name", id_shaped(), "不得填写身份证号码"),
        (
            "licence_no",
            "湘sc0001".into(),
            "该保安员证号已被在岗保安员使用",
        ),
    ];
    for (field, value, message) in cases {
        let mut f = guard_form("王军", "湘SC0002");
        f.retain(|(k, _)| *k != field);
        f.push((field, value.clone()));
        let res = post_owned(&c.officer, path, &f).await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}"
        );
        let page = res.text().await.unwrap_or_default();
        assert!(page.contains(message), "{field}: {message}");
    }
    assert_eq!(c.app.count("guards"), 1, "nothing but the first guard");
    let id = id_shaped();
    assert_eq!(
        c.app.one(&format!(
            "SELECT COUNT(*) AS n FROM guards WHERE name = '{id}' OR licence_no = '{id}'"
        )),
        0
    );
}

#[tokio::test]
async fn the_county_table_shows_ticks_rates_and_filters_and_exports_them() {
    let c = county().await;
    c.app.add_guard(
        "c.officer",
        c.app.one("SELECT id AS n FROM schools WHERE code = 'SC-1'"),
        "刘建国",
        "湘SC0001",
    );
    c.app.add_guard(
        "c.officer",
        c.app.one("SELECT id AS n FROM schools WHERE code = 'SC-1'"),
        "王军",
        "湘SC0002",
    );
    let res = post_owned(
        &c.bureau,
        "/security/schools/SC-1/profile",
        &profile_form(5),
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let table = c.bureau.text("/security").await;
    assert!(table.contains("SC-1 学校") && table.contains("SC-2 学校"));
    assert!(
        table.contains("1 · 50.0%"),
        "one school of two meets each item"
    );
    let gaps = c.viewer.text("/security?gap=any").await;
    assert!(
        gaps.contains("SC-2 学校") && !gaps.contains("SC-1 学校"),
        "only the school with a gap"
    );
    assert_eq!(
        c.bureau.get("/security?gap=teleport").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let page = c.officer.text("/security/schools/SC-1").await;
    assert!(
        !page.contains("form-gap-"),
        "nothing to raise: all four met"
    );
    assert!(page.contains("c.bureau 名"), "who verified it");
    let csv = c.bureau.text("/security.csv").await;
    assert!(
        csv.starts_with('\u{feff}') && csv.lines().count() == 3,
        "{csv}"
    );
    assert!(
        csv.contains("SC-1,SC-1 学校,辰阳镇,2,2,达标,达标,达标,达标"),
        "{csv}"
    );
    // A school user is sent to their own page; its export is the county's.
    let res = c.officer.get("/security").await;
    assert_eq!(
        (res.status(), location(&res)),
        (StatusCode::SEE_OTHER, "/security/schools/SC-1".to_string())
    );
    assert_eq!(
        c.officer.get("/security.csv").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn a_gap_is_raised_as_a_hazard_once_linked_both_ways() {
    let c = county().await;
    let res = c
        .officer
        .post("/security/schools/SC-1/gaps", &[("item", "post")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/hazards/"), "{to}");
    let hazard = c.officer.text(&to).await;
    assert!(
        hazard.contains("护学岗") && hazard.contains("/security/schools/SC-1"),
        "the hazard links back"
    );
    let again = c
        .bureau
        .post("/security/schools/SC-1/gaps", &[("item", "post")])
        .await;
    assert_eq!(
        again.status(),
        StatusCode::CONFLICT,
        "not twice while it is open"
    );
    assert_eq!(
        c.teacher
            .post("/security/schools/SC-1/gaps", &[("item", "closed")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(c.app.count("hazards"), 1);
}

#[tokio::test]
async fn alarm_tests_and_leaving_are_recorded_and_checked() {
    let c = county().await;
    let school = c.app.one("SELECT id AS n FROM schools WHERE code = 'SC-1'");
    let fields = [
        (
            "tested_on",
            (today() - chrono::Duration::days(2)).to_string(),
        ),
        ("result", "fail".to_string()),
        ("response_seconds", "95".to_string()),
        ("note", "报警主机离线".to_string()),
    ];
    let res = post_owned(&c.officer, "/security/schools/SC-1/alarm-tests", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c.teacher.text("/security/schools/SC-1").await;
    assert!(page.contains("报警主机离线") && page.contains("异常"));
    assert!(c.app.told("c.bureau").contains(&"alarm_failed".to_string()));
    let bad = [
        ("tested_on", "2099-01-01".to_string()),
        ("result", "maybe".to_string()),
    ];
    assert_eq!(
        post_owned(&c.officer, "/security/schools/SC-1/alarm-tests", &bad)
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let guard = c.app.add_guard("c.officer", school, "刘建国", "湘SC0001");
    let early = c
        .officer
        .post(
            &format!("/security/guards/{guard}/leave"),
            &[("left_on", "2001-01-01")],
        )
        .await;
    assert_eq!(early.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = c
        .officer
        .post(
            &format!("/security/guards/{guard}/leave"),
            &[("left_on", &today().to_string())],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert!(
        !c.officer
            .text("/security/schools/SC-1")
            .await
            .contains("刘建国"),
        "no longer in post"
    );
    assert_eq!(
        c.other
            .post(
                &format!("/security/guards/{guard}/leave"),
                &[("left_on", &today().to_string())]
            )
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_admin_chooses_the_rule_and_periods_and_the_pages_follow() {
    let c = county().await;
    let admin = c.app.logged_in("c.admin", Role::Admin, None).await;
    assert!(admin.text("/settings").await.contains("GB/T 29315-2022"));
    let bad = admin
        .post(
            "/settings",
            &[
                ("security_rule", "made_up"),
                ("guard_age_min", "50"),
                ("guard_age_max", "40"),
            ],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = bad.text().await.unwrap_or_default();
    assert!(page.contains("最高年龄不能低于最低年龄"));
    let ok = admin
        .post(
            "/settings",
            &[
                ("security_rule", "gbt29315_boarders"),
                ("alarm_test_days", "14"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    // 300 pupils and 20 boarders: still two, now said with the boarders counted.
    let school = c.officer.text("/security/schools/SC-1").await;
    assert!(
        school.contains("寄宿生 20 人，增配 0 名"),
        "the boarders option is in the words"
    );
    assert!(
        school.contains("超过 14 天未做一键报警测试"),
        "the county's own period"
    );
}
