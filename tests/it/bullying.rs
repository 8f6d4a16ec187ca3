//! Anti-bullying over HTTP on both databases: who reads a case, names masked everywhere but
//! the case page, the access log written on each view, the steps with their checks, and the
//! anonymous tip with its receipt and its limit.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::helpers::*;

const VICTIM: &str = "周晓雨";
const ALLEGED: &str = "吴大力";

struct County {
    app: TestApp,
    teacher: Browser,
    officer: Browser,
    other: Browser,
    bureau: Browser,
    viewer: Browser,
}

async fn county() -> County {
    let app = TestApp::spawn().await;
    app.school("BX-1");
    app.school("BX-2");
    let teacher = app.logged_in("x.teacher", Role::Staff, Some("BX-1")).await;
    let officer = app
        .logged_in("x.officer", Role::SchoolAdmin, Some("BX-1"))
        .await;
    let other = app
        .logged_in("x.other", Role::SchoolAdmin, Some("BX-2"))
        .await;
    let bureau = app.logged_in("x.bureau", Role::Bureau, None).await;
    let viewer = app.logged_in("x.viewer", Role::Viewer, None).await;
    County {
        app,
        teacher,
        officer,
        other,
        bureau,
        viewer,
    }
}

async fn report(b: &Browser) -> reqwest::Response {
    b.post(
        "/bullying",
        &[
            ("reported_on", &today().to_string()),
            ("reporter_kind", "teacher"),
            ("summary", "课间在走廊被推倒，书包被扔进垃圾桶"),
            ("place", "三楼走廊"),
        ],
    )
    .await
}

fn case_id(res: &reqwest::Response) -> i64 {
    location(res)
        .trim_start_matches("/bullying/")
        .parse()
        .unwrap_or(0)
}

async fn add_party(b: &Browser, id: i64, role: &str, name: &str, age: &str) -> reqwest::Response {
    b.post(
        &format!("/bullying/{id}/parties"),
        &[
            ("role", role),
            ("name", name),
            ("grade_class", "六年级1班"),
            ("age", age),
        ],
    )
    .await
}

#[tokio::test]
async fn a_teacher_reports_and_sees_only_that_it_was_received() {
    let c = county().await;
    let res = report(&c.teacher).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/bullying/received");
    let page = c.teacher.text("/bullying/received").await;
    assert!(page.contains("报告已收到"), "{page}");
    assert!(!page.contains("走廊"), "nothing of the case: {page}");
    let id = c
        .app
        .one("SELECT CAST(MAX(id) AS BIGINT) AS n FROM bullying_cases");
    for path in [
        format!("/bullying/{id}"),
        "/bullying".into(),
        "/bullying/three-early".into(),
    ] {
        assert_eq!(
            c.teacher.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
        assert_eq!(
            c.viewer.get(&path).await.status(),
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    assert_eq!(
        c.other.get(&format!("/bullying/{id}")).await.status(),
        StatusCode::NOT_FOUND,
        "another school's case does not exist for its officer"
    );
    assert_eq!(
        c.app.count("notifications WHERE title LIKE 'BL-%'"),
        1,
        "the school's officer is told, by the reference"
    );
}

#[tokio::test]
async fn names_show_in_full_only_on_the_case_page_and_every_opening_is_logged() {
    let c = county().await;
    let res = report(&c.officer).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = case_id(&res);
    assert!(id > 0, "{}", location(&res));
    for (role, name, age) in [("victim", VICTIM, "12"), ("alleged", ALLEGED, "15")] {
        let res = add_party(&c.officer, id, role, name, age).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{name}");
    }
    let list = c.officer.text("/bullying").await;
    assert!(list.contains("周*") && list.contains("吴*"), "{list}");
    for name in [VICTIM, ALLEGED] {
        assert!(!list.contains(name), "{name} in the list");
        assert!(!c.bureau.text("/bullying").await.contains(name));
    }
    let page = c.officer.text(&format!("/bullying/{id}")).await;
    assert!(page.contains(VICTIM) && page.contains(ALLEGED), "{page}");
    assert!(
        page.contains("需监护人同意"),
        "the 12-year-old flagged: {page}"
    );
    let bureau_page = c.bureau.text(&format!("/bullying/{id}")).await;
    assert!(bureau_page.contains(VICTIM));
    assert_eq!(c.app.count("bullying_access"), 2, "each view logged");
    assert_eq!(
        c.officer
            .get(&format!("/bullying/{id}/access"))
            .await
            .status(),
        StatusCode::FORBIDDEN,
        "the log is the bureau's"
    );
    let log = c.bureau.text(&format!("/bullying/{id}/access")).await;
    assert!(
        log.contains("x.officer") && log.contains("x.bureau"),
        "{log}"
    );
    let home = c.officer.text("/").await;
    assert!(!home.contains(VICTIM), "not on the home page");
    let csv = c.bureau.text("/bullying.csv").await;
    assert!(csv.contains("BL-") && csv.contains("BX-1 学校"), "{csv}");
    let xlsx = c.bureau.get("/bullying.xlsx?school=BX-1").await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let bytes = xlsx.bytes().await.unwrap_or_default();
    let strings = crate::report_helpers::xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(strings.contains("BL-"), "{strings}");
    for name in [VICTIM, ALLEGED, "周*", "走廊"] {
        assert!(!csv.contains(name), "{name} in the CSV");
        assert!(!strings.contains(name), "{name} in the workbook");
    }
    assert_eq!(
        c.teacher.get("/bullying.csv").await.status(),
        StatusCode::FORBIDDEN
    );
    let theirs = c.other.text("/bullying.csv?school=BX-1").await;
    assert!(
        !theirs.contains("BL-"),
        "an officer's export is their own school's, whatever the query: {theirs}"
    );
}

async fn step(b: &Browser, id: i64, fields: &[(&str, &str)]) -> reqwest::Response {
    b.post(&format!("/bullying/{id}/transition"), fields).await
}

#[tokio::test]
async fn a_case_goes_through_its_steps_and_a_bad_form_says_what_is_wrong() {
    let c = county().await;
    let id = case_id(&report(&c.officer).await);
    let res = step(
        &c.officer,
        id,
        &[("action", "determine"), ("determination", "bullying")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "not accepted yet");
    let res = step(&c.officer, id, &[("action", "accept")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c.officer.text(&format!("/bullying/{id}")).await;
    assert!(
        page.contains("调查中") && page.contains("剩 10 天"),
        "{page}"
    );
    let res = step(&c.officer, id, &[("action", "determine")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap_or_default()
            .contains("请从列表中选择")
    );
    let res = step(
        &c.officer,
        id,
        &[("action", "determine"), ("determination", "horseplay")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = add_party(&c.officer, id, "witness", "某某", "30").await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an age out of range"
    );
    let res = step(&c.officer, id, &[("action", "appeal")]).await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an appeal says why"
    );
    let res = step(
        &c.officer,
        id,
        &[("action", "appeal"), ("comment", "家长不认可")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = step(
        &c.officer,
        id,
        &[("action", "reexamine"), ("outcome", "upheld")],
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "the county re-examines"
    );
    let res = step(
        &c.bureau,
        id,
        &[
            ("action", "reexamine"),
            ("outcome", "changed"),
            ("determination", "bullying"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = step(&c.officer, id, &[("action", "close")]).await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "bullying is followed up first"
    );
    let res = step(
        &c.officer,
        id,
        &[("action", "follow_up"), ("comment", "回访，情绪稳定")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = c
        .officer
        .post(
            &format!("/bullying/{id}/measures"),
            &[
                ("kind", "counselling"),
                ("taken_on", &today().to_string()),
                ("note", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = step(&c.officer, id, &[("action", "close")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c.officer.text(&format!("/bullying/{id}")).await;
    assert!(
        page.contains("已结案") && page.contains("心理辅导") && page.contains("回访，情绪稳定")
    );
    assert!(
        c.app.count("notifications WHERE event = 'appealed'") >= 1,
        "the appeal told the bureau"
    );
}

#[tokio::test]
async fn an_anonymous_tip_gives_a_receipt_that_shows_the_state_and_nothing_else() {
    let c = county().await;
    let stranger = c.app.browser();
    let form = stranger.text("/tip?school=BX-1").await;
    assert!(
        form.contains("value=\"BX-1\"") && form.contains("csrf_token"),
        "{form}"
    );
    let res = stranger
        .post(
            "/tip",
            &[
                ("school", "BX-1"),
                ("summary", "宿舍有人被逼交钱"),
                ("place", ""),
                ("happened_on", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let receipt = res.text().await.unwrap_or_default();
    let code = receipt
        .split("<strong>")
        .nth(1)
        .and_then(|s| s.split("</strong>").next())
        .unwrap_or("")
        .to_string();
    assert_eq!(code.len(), 14, "{receipt}");
    let status = stranger.text(&format!("/tip/status?code={code}")).await;
    assert!(status.contains("已报告"), "{status}");
    assert!(!status.contains("宿舍"), "only the state: {status}");
    let wrong = stranger.text("/tip/status?code=AAAA-BBBB-CCCC").await;
    assert!(
        wrong.contains("没有查到") && !wrong.contains("已报告"),
        "{wrong}"
    );
    assert_eq!(
        c.app
            .count("bullying_cases WHERE reported_by IS NULL AND reporter_kind = 'anonymous'"),
        1
    );
    let res = stranger
        .post("/tip", &[("school", "NOPE"), ("summary", "有人被打")])
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "an unknown school"
    );
    // Over the school's limit an hour: refused with 429, nothing filed.
    xiaoan::store::settings::set(&mut c.app.conn(), "bullying.tips_per_school_hour", "2")
        .expect("the limit");
    let again = stranger
        .post("/tip", &[("school", "BX-1"), ("summary", "又有人被打")])
        .await;
    assert_eq!(again.status(), StatusCode::OK, "the second of two");
    let over = stranger
        .post("/tip", &[("school", "BX-1"), ("summary", "第三次")])
        .await;
    assert_eq!(over.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(c.app.count("bullying_cases"), 2);
}

#[tokio::test]
async fn the_officer_records_screenings_and_sessions_and_the_three_early_status_follows() {
    let c = county().await;
    let page = c.officer.text("/bullying/three-early").await;
    assert!(
        page.contains("本学期未排查") && page.contains("本学期未开展教育"),
        "{page}"
    );
    let res = c
        .officer
        .post(
            "/bullying/screenings",
            &[
                ("held_on", &today().to_string()),
                ("classes", "三至六年级"),
                ("pupils_covered", "-3"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "negative pupils"
    );
    let res = c
        .officer
        .post(
            "/bullying/screenings",
            &[
                ("held_on", &today().to_string()),
                ("classes", "三至六年级"),
                ("pupils_covered", "240"),
                ("findings", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = c
        .officer
        .post(
            "/bullying/sessions",
            &[
                ("session_held_on", &today().to_string()),
                ("participants", "260"),
                ("session_note", "主题班会"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c.officer.text("/bullying/three-early").await;
    assert!(
        !page.contains("本学期未排查") && page.contains("覆盖 240 名学生"),
        "{page}"
    );
    let county = c.bureau.text("/bullying/three-early").await;
    assert!(
        county.contains("BX-1 学校") && county.contains("BX-2 学校"),
        "{county}"
    );
    assert_eq!(
        c.bureau
            .post("/bullying/screenings", &[("held_on", "2026-01-01")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn one_address_may_send_only_so_many_tips_an_hour_whatever_the_school() {
    let c = county().await;
    for code in ["BX-3", "BX-4"] {
        c.app.school(code);
    }
    let stranger = c.app.browser();
    // Ten from one address (four, three and three to schools each under their own limit of 5).
    for (n, code) in ["BX-1", "BX-2", "BX-3", "BX-4"]
        .iter()
        .cycle()
        .take(10)
        .enumerate()
    {
        let res = stranger
            .post("/tip", &[("school", code), ("summary", "有人被欺负")])
            .await;
        assert_eq!(res.status(), StatusCode::OK, "tip {n} to {code}");
    }
    let over = stranger
        .post("/tip", &[("school", "BX-4"), ("summary", "又一次")])
        .await;
    assert_eq!(over.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(c.app.count("bullying_cases"), 10);
    let keys = c.app.count("login_throttle WHERE key LIKE 'tip-ip:%'");
    assert_eq!(keys, 1);
    assert_eq!(
        c.app.count("login_throttle WHERE key LIKE '%127.0.0.1%'"),
        0,
        "the address is kept only hashed"
    );
}

#[tokio::test]
async fn a_submitted_month_keeps_its_bullying_counts_as_they_were_sent() {
    let app = crate::report_helpers::clocked().await;
    let c = crate::report_helpers::County::new(&app).await;
    c.at("2026-02-10 09:00");
    let res = c
        .officer
        .post(
            "/bullying",
            &[
                ("reported_on", "2026-02-10"),
                ("reporter_kind", "parent"),
                ("summary", "放学路上被拦下要钱"),
                ("place", "校门口"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    c.at("2026-03-02 09:00");
    let res = c
        .officer
        .post("/reports/monthly/submit", &[("month", "2026-02")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let list = c.bureau.text("/reports/submissions?month=2026-02").await;
    let id = crate::report_helpers::first_submission(&list);
    let sent =
        "<td>合计</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td>";
    let frozen = c.bureau.text(&format!("/reports/submissions/{id}")).await;
    assert!(
        frozen.contains("<caption>防欺凌</caption>") && frozen.contains(sent),
        "{frozen}"
    );
    // The trail is rewritten behind the app's back: the live month moves, the sent one not.
    app.exec("DELETE FROM events WHERE record_kind = 'bullying'");
    app.exec("DELETE FROM report_snapshots");
    let live: serde_json::Value = c
        .officer
        .get("/reports/monthly.json?month=2026-02")
        .await
        .json()
        .await
        .unwrap_or_default();
    assert_eq!(
        live["bullying"]["reported_in_month"], 0,
        "the live month moved"
    );
    let frozen = c.bureau.text(&format!("/reports/submissions/{id}")).await;
    assert!(frozen.contains(sent), "the sent month did not: {frozen}");
}

#[tokio::test]
async fn the_admin_sets_the_clock_and_the_tip_limit_on_the_settings_page() {
    let c = county().await;
    let admin = c.app.logged_in("x.admin", Role::Admin, None).await;
    let page = admin.text("/settings").await;
    assert!(
        page.contains("name=\"bullying_investigation_days\" value=\"10\"")
            && page.contains("name=\"bullying_tips_per_school_hour\" value=\"5\""),
        "the defaults shown: {page}"
    );
    let bad = admin
        .post("/settings", &[("bullying_investigation_days", "0")])
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap_or_default().contains("1–60"));
    let ok = admin
        .post(
            "/settings",
            &[
                ("bullying_investigation_days", "7"),
                ("bullying_tips_per_school_hour", "3"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let id = case_id(&report(&c.officer).await);
    let res = step(&c.officer, id, &[("action", "accept")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c.officer.text(&format!("/bullying/{id}")).await;
    assert!(page.contains("剩 7 天"), "the county's days: {page}");
    let visit = step(
        &c.officer,
        id,
        &[("action", "determine"), ("determination", "bullying")],
    )
    .await;
    assert_eq!(visit.status(), StatusCode::SEE_OTHER);
    let visit = step(&c.officer, id, &[("action", "follow_up")]).await;
    assert_eq!(
        visit.status(),
        StatusCode::SEE_OTHER,
        "a visit may go without words"
    );
}
