//! The monthly report: figures as of a month's last instant, in every format, within scope.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::helpers::*;
use crate::report_helpers::*;

#[tokio::test]
async fn a_past_month_is_computed_as_of_its_last_instant_and_reads_the_same_later() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let h2 = march(&c).await;
    c.at("2026-04-05 09:00");
    let bureau = app.logged_in("viewer.r", Role::Viewer, None).await;
    let get = |q: &'static str| {
        let b = &bureau;
        async move {
            b.get(&format!("/reports/monthly.json?{q}"))
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap_or_default()
        }
    };
    let before = get("month=2026-03").await;
    assert_eq!(before["month"], "2026-03");
    assert_eq!(before["scope"]["kind"], "county");
    assert_eq!(
        before["as_of"], "2026-03-31 23:59",
        "the last minute the figures cover"
    );
    assert_eq!(hazards_json(&before), (3, 1, 2, 1, 1));
    assert_eq!(before["hazards"]["closure_rate"].as_f64(), Some(0.333));
    assert_eq!(
        before["hazards"]["median_days_to_close"].as_f64(),
        Some(18.0)
    );
    assert_eq!(before["hazards"]["year_to_date"]["found"], 4);
    let feb = get("month=2026-02").await;
    assert_eq!(hazards_json(&feb), (1, 0, 1, 0, 0));
    // Later, the overdue hazard is fixed and closed; March still reads the same.
    c.fix(h2, "2026-04-06 10:00").await;
    c.accept(h2, "2026-04-08 10:00").await;
    c.at("2026-05-02 09:00");
    // Replayed afresh, not read from the snapshot kept at 5 April.
    app.exec("DELETE FROM report_snapshots");
    let after = get("month=2026-03").await;
    assert_eq!(after["hazards"], before["hazards"]);
    let april = get("month=2026-04").await;
    assert_eq!(hazards_json(&april), (0, 1, 1, 0, 1));
    assert_eq!(
        april["hazards"]["median_days_to_close"].as_f64(),
        Some(34.0)
    );
    assert_eq!(april["hazards"]["year_to_date"]["closed"], 2);
    let school = get("month=2026-03&school=R-1").await;
    assert_eq!(school["scope"]["kind"], "school");
    assert_eq!(hazards_json(&school), (3, 1, 2, 1, 1));
    let other = get("month=2026-03&school=R-2").await;
    assert_eq!(hazards_json(&other), (0, 0, 0, 0, 0));
    let township = get("month=2026-03&township=辰阳镇").await;
    assert_eq!(hazards_json(&township), (3, 1, 2, 1, 1));
    assert_eq!(township["hazards"]["by_unit"][0]["key"], "R-1 学校");
}

#[tokio::test]
async fn html_csv_and_xlsx_show_the_same_figures() {
    let app = clocked().await;
    let c = County::new(&app).await;
    march(&c).await;
    c.at("2026-04-05 09:00");
    let b = &c.bureau;
    let html = b.text("/reports/monthly?month=2026-03").await;
    assert!(html.contains("2026-03 学校安全工作月报"));
    assert!(html.contains("<tr class=\"total\"><th scope=\"rowgroup\" rowspan=\"1\" class=\"group\">本月</th><td>合计</td><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">33.3%</td><td class=\"num\">18.0</td></tr>"), "{html}");
    assert!(html.contains("<svg class=\"chart\""));
    let csv = b.text("/reports/monthly.csv?month=2026-03").await;
    assert!(csv.starts_with('\u{FEFF}'));
    assert!(csv.contains("本月,合计,3,1,2,1,1,33.3%,18.0"), "{csv}");
    let res = b.get("/reports/monthly.xlsx?month=2026-03").await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap_or_default();
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    for n in ["<v>3</v>", "<v>1</v>", "<v>2</v>"] {
        assert!(sheet.contains(n), "{n} in the sheet");
    }
    let strings = xlsx_part(&bytes, "xl/sharedStrings.xml");
    assert!(sheet.contains("<v>0.333</v>"), "the rate is a number");
    assert!(strings.contains("学校安全工作月报"));
}

#[tokio::test]
async fn a_school_sees_only_its_own_report() {
    let app = clocked().await;
    let c = County::new(&app).await;
    march(&c).await;
    c.at("2026-04-05 09:00");
    let officer = &c.officer;
    let own = officer
        .get("/reports/monthly.json?month=2026-03")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap_or_default();
    assert_eq!(own["scope"]["code"], "R-1");
    assert_eq!(hazards_json(&own), (3, 1, 2, 1, 1));
    assert_eq!(
        officer
            .get("/reports/monthly.json?month=2026-03&school=R-2")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        officer
            .get("/reports/monthly?township=辰阳镇")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let admin = app.logged_in("root", Role::Admin, None).await;
    assert_eq!(
        admin.get("/reports/monthly").await.status(),
        StatusCode::FORBIDDEN
    );
    let b = app.logged_in("b.r", Role::Bureau, None).await;
    for q in [
        "month=2026-13",
        "month=march",
        "month=2999-01",
        "school=NOPE",
    ] {
        let status = b.get(&format!("/reports/monthly?{q}")).await.status();
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::NOT_FOUND,
            "{q}: {status}"
        );
    }
}

#[tokio::test]
async fn a_submitted_month_is_frozen_returned_by_the_bureau_and_resubmitted() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let h2 = march(&c).await;
    // Before March ends it is not submitted: its figures may still change.
    c.at("2026-03-28 09:00");
    let officer = &c.officer;
    let page = officer.text("/reports/monthly?month=2026-03").await;
    assert!(!page.contains("action=\"/reports/monthly/submit\""));
    assert_eq!(
        officer
            .post("/reports/monthly/submit", &[("month", "2026-03")])
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // Later in March the overdue hazard is fixed and closed; on 1 April the month is sent.
    c.fix(h2, "2026-03-30 10:00").await;
    c.accept(h2, "2026-03-31 10:00").await;
    c.at("2026-04-01 09:00");
    let page = officer.text("/reports/monthly?month=2026-03").await;
    assert!(
        page.contains("action=\"/reports/monthly/submit\""),
        "the officer is offered the submit form"
    );
    assert_eq!(
        officer
            .post("/reports/monthly/submit", &[("month", "2026-03")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        officer
            .post("/reports/monthly/submit", &[("month", "2026-03")])
            .await
            .status(),
        StatusCode::CONFLICT,
        "once until returned"
    );
    let staff = app.logged_in("r.staff", Role::Staff, Some("R-1")).await;
    assert_eq!(
        staff
            .post("/reports/monthly/submit", &[("month", "2026-03")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    c.at("2026-04-02 09:00");
    let live = officer
        .get("/reports/monthly.json?month=2026-03")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap_or_default();
    assert_eq!(hazards_json(&live), (3, 2, 1, 0, 1));
    let bureau = &c.bureau;
    let list = bureau.text("/reports/submissions?month=2026-03").await;
    assert!(
        list.contains("已报送 1 所学校") && list.contains("未报送"),
        "{list}"
    );
    let id = first_submission(&list);
    let frozen = bureau.text(&format!("/reports/submissions/{id}")).await;
    let figures = "<tr class=\"total\"><th scope=\"rowgroup\" rowspan=\"1\" class=\"group\">本月</th><td>合计</td><td class=\"num\">3</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td>";
    assert!(frozen.contains(figures), "{frozen}");
    // Whatever changes the live month later (here a category corrected in the database) leaves
    // the figures as they were sent.
    app.exec("UPDATE hazards SET category = 'traffic'");
    app.exec("DELETE FROM report_snapshots");
    let relive = officer
        .get("/reports/monthly.json?month=2026-03")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap_or_default();
    let fire = |v: &serde_json::Value| {
        v["hazards"]["by_category"]
            .as_array()
            .and_then(|l| l.iter().find(|l| l["key"] == "fire").cloned())
            .map(|l| l["found"].clone())
    };
    assert_eq!(
        fire(&relive),
        Some(serde_json::json!(0)),
        "the live month moved"
    );
    let frozen = bureau.text(&format!("/reports/submissions/{id}")).await;
    assert!(
        frozen.contains("<td>消防</td><td class=\"num\">3</td>"),
        "the sent month did not: {frozen}"
    );
    let elsewhere = app
        .logged_in("r.other", Role::SchoolAdmin, Some("R-2"))
        .await;
    assert_eq!(
        elsewhere
            .get(&format!("/reports/submissions/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    let viewer = app.logged_in("r.viewer", Role::Viewer, None).await;
    async fn give_back(b: &Browser, id: &str, comment: &str) -> StatusCode {
        b.post(
            &format!("/reports/submissions/{id}/return"),
            &[("comment", comment)],
        )
        .await
        .status()
    }
    assert_eq!(give_back(&viewer, &id, "x").await, StatusCode::FORBIDDEN);
    assert_eq!(
        give_back(bureau, &id, " ").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    // In a browser the refused return comes back to the submission, the comment kept.
    let token = bureau.csrf().await;
    let res = bureau
        .client
        .post(bureau.url(&format!("/reports/submissions/{id}/return")))
        .header("Sec-Fetch-Mode", "navigate")
        .form(&[("comment", "字".repeat(2001)), ("csrf_token", token)])
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(
        to.starts_with(&format!("/reports/submissions/{id}?draft=")),
        "{to}"
    );
    let again = bureau.text(to.split('#').next().unwrap_or("")).await;
    assert!(again.contains("最多 2000 个字") && again.contains(&"字".repeat(2001)));
    assert_eq!(
        give_back(bureau, &id, "数据有误，请核对").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(give_back(bureau, &id, "again").await, StatusCode::CONFLICT);
    let page = officer.text("/reports/monthly?month=2026-03").await;
    assert!(page.contains("数据有误，请核对") && page.contains("已退回"));
    assert_eq!(
        officer
            .post("/reports/monthly/submit", &[("month", "2026-03")])
            .await
            .status(),
        StatusCode::SEE_OTHER,
        "resubmitted"
    );
    assert_eq!(app.count("report_submissions"), 2, "the history is kept");
    let list = bureau.text("/reports/submissions?month=2026-03").await;
    let latest = first_submission(&list);
    assert_ne!(latest, id, "the list links the resubmission");
    let resubmitted = bureau.text(&format!("/reports/submissions/{latest}")).await;
    assert!(resubmitted.contains(figures), "{resubmitted}");
    let first = bureau.text(&format!("/reports/submissions/{id}")).await;
    assert!(
        first.contains(figures),
        "the returned submission keeps its figures"
    );
    let verdict = xiaoan::store::events::verify(&mut app.conn()).expect("verify");
    assert!(matches!(
        verdict,
        xiaoan::store::events::Verdict::Intact { .. }
    ));
}

#[tokio::test]
async fn the_home_page_shows_this_months_figures_and_the_trend_for_the_users_scope() {
    let app = TestApp::spawn().await;
    let s = app.school("H-1");
    app.school("H-2");
    app.user("h.officer", Role::SchoolAdmin, Some("H-1"));
    app.user("h.other", Role::SchoolAdmin, Some("H-2"));
    app.report_hazard("h.officer", s, "general");
    let bureau = app.logged_in("h.bureau", Role::Bureau, None).await;
    let home = bureau.text("/").await;
    assert!(
        home.contains("<svg class=\"chart\"") && home.contains("href=\"/reports/monthly?month=")
    );
    assert!(
        home.contains("<span class=\"stat-value\">1</span> <span class=\"stat-label\">本月发现"),
        "{home}"
    );
    assert!(home.contains("未销号隐患（按乡镇）"), "{home}");
    assert!(
        home.contains("/hazards?open=1&#38;township=%E8%BE%B0%E9%98%B3%E9%95%87\"><text x=\"0\" y=\"15\" font-size=\"15\" fill=\"#1d2733\">辰阳镇</text>"),
        "the township's bar opens its open hazards: {home}"
    );
    let officer = app.browser();
    officer.login("h.officer", PASSWORD).await;
    let home = officer.text("/").await;
    assert!(
        home.contains("未销号隐患（按类别）") && home.contains(">消防</text>"),
        "{home}"
    );
    assert!(home.contains("<title>消防: 1</title>"));
    let other = app.browser();
    other.login("h.other", PASSWORD).await;
    let home = other.text("/").await;
    assert!(
        home.contains("<span class=\"stat-value\">0</span> <span class=\"stat-label\">本月发现"),
        "another school's hazard is not counted"
    );
}
