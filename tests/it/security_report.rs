//! The security section of the monthly report and the home page's tiles: figures as of a
//! month's last instant for a history built through HTTP, the same in every format, within
//! scope, frozen when submitted.

use reqwest::StatusCode;
use serde_json::{Value, json};
use xiaoan::domain::month::Month;
use xiaoan::domain::role::Role;
use xiaoan::domain::school::SchoolInput;
use xiaoan::store::{self, Actor};

use crate::helpers::*;
use crate::report_helpers::*;

/// A guard form of the clock's day: full-time or not, hired that day.
fn guard(name: &str, licence: &str, full_time: bool, on: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", name.into()),
        ("licence_no", licence.into()),
        ("birth_year", "1980".into()),
        ("employer", "辰溪县保安服务公司".into()),
        ("full_time", if full_time { "1" } else { "0" }.into()),
        ("hired_on", on.into()),
        ("insured", "1".into()),
        ("trained_on", on.into()),
    ]
}

/// A profile form: the four provisions as given, verified that day.
fn profile([closed, alarm, video, post]: [u8; 4], on: &str) -> Vec<(&'static str, String)> {
    vec![
        ("closed_management", closed.to_string()),
        ("alarm_linked", alarm.to_string()),
        ("video_linked", video.to_string()),
        ("guard_post", post.to_string()),
        ("verified_on", on.into()),
    ]
}

fn alarm(result: &str, on: &str) -> Vec<(&'static str, String)> {
    vec![
        ("tested_on", on.into()),
        ("result", result.into()),
        ("response_seconds", "45".into()),
        ("note", String::new()),
    ]
}

/// The school pages a form posts to.
async fn post(c: &County<'_>, b: &Browser, when: &str, path: &str, f: &[(&str, String)]) {
    c.at(when);
    let fields: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let res = b.post(path, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path} at {when}");
}

/// February and March 2026 of R-1 and R-2 (both of 300 pupils and 20 boarders: two
/// full-time guards required each), through HTTP at the clock's times.
///
/// February ends with R-1 meeting all four (two guards, everything verified) and two alarm
/// tests, one failed; R-2 with one full-time and one part-time guard and no gate post. In March
/// one of R-1's guards leaves, R-2 gains its gate post, and R-1 passes one test.
async fn history(c: &County<'_>, r2: &Browser) {
    let (o, b) = (&c.officer, &c.bureau);
    let day = "2026-02-10";
    post(
        c,
        o,
        "2026-02-10 09:00",
        "/security/schools/R-1/profile",
        &profile([1, 1, 1, 1], day),
    )
    .await;
    post(
        c,
        o,
        "2026-02-10 09:05",
        "/security/schools/R-1/guards",
        &guard("向国庆", "XB-001", true, day),
    )
    .await;
    post(
        c,
        o,
        "2026-02-10 09:10",
        "/security/schools/R-1/guards",
        &guard("米建军", "XB-002", true, day),
    )
    .await;
    post(
        c,
        o,
        "2026-02-10 09:20",
        "/security/schools/R-1/alarm-tests",
        &alarm("pass", day),
    )
    .await;
    let day = "2026-02-20";
    post(
        c,
        b,
        "2026-02-20 09:00",
        "/security/schools/R-2/profile",
        &profile([1, 1, 1, 0], day),
    )
    .await;
    post(
        c,
        r2,
        "2026-02-20 09:05",
        "/security/schools/R-2/guards",
        &guard("舒长青", "XB-003", true, day),
    )
    .await;
    post(
        c,
        r2,
        "2026-02-20 09:10",
        "/security/schools/R-2/guards",
        &guard("张卫东", "XB-004", false, day),
    )
    .await;
    post(
        c,
        o,
        "2026-02-25 09:00",
        "/security/schools/R-1/alarm-tests",
        &alarm("fail", "2026-02-25"),
    )
    .await;
    let leaving = c.app.one("SELECT CAST(MIN(id) AS BIGINT) AS n FROM guards");
    let left = vec![("left_on", "2026-03-05".to_string())];
    post(
        c,
        o,
        "2026-03-05 09:00",
        &format!("/security/guards/{leaving}/leave"),
        &left,
    )
    .await;
    post(
        c,
        b,
        "2026-03-10 09:00",
        "/security/schools/R-2/profile",
        &profile([1, 1, 1, 1], "2026-03-10"),
    )
    .await;
    post(
        c,
        o,
        "2026-03-15 09:00",
        "/security/schools/R-1/alarm-tests",
        &alarm("pass", "2026-03-15"),
    )
    .await;
}

/// CONTRACT's object.
fn figures(
    [schools, required, in_post]: [i64; 3],
    [guards, closed, alarm_video, post, all]: [i64; 5],
    [tests, failed]: [i64; 2],
) -> Value {
    json!({
        "schools": schools, "guards_required": required, "guards_in_post": in_post,
        "meet_guards": guards, "meet_closed_management": closed,
        "meet_alarm_video": alarm_video, "meet_guard_post": post, "meet_all_four": all,
        "alarm_tests_in_month": tests, "alarm_tests_failed_in_month": failed,
    })
}

/// The section's CONTRACT keys alone (without its lines per unit).
fn contract(v: &Value) -> Value {
    let mut s = v["security"].clone();
    if let Some(o) = s.as_object_mut() {
        o.remove("by_unit");
    }
    s
}

async fn report(b: &Browser, q: &str) -> Value {
    b.get(&format!("/reports/monthly.json?{q}"))
        .await
        .json::<Value>()
        .await
        .unwrap_or_default()
}

async fn county(app: &TestApp) -> (County<'_>, Browser) {
    let c = County::new(app).await;
    let r2 = app
        .logged_in("r2.officer", Role::SchoolAdmin, Some("R-2"))
        .await;
    (c, r2)
}

#[tokio::test]
async fn a_past_month_counts_each_school_as_it_stood_at_its_end_and_reads_the_same_later() {
    let app = clocked().await;
    let (c, r2) = county(&app).await;
    history(&c, &r2).await;
    let february = figures([2, 4, 3], [1, 2, 2, 1, 1], [2, 1]);
    let march = figures([2, 4, 2], [0, 2, 2, 2, 0], [1, 0]);
    // Before March ends: the rows as they stand.
    c.at("2026-03-25 09:00");
    let viewer = app.logged_in("viewer.s", Role::Viewer, None).await;
    let now = report(&viewer, "month=2026-03").await;
    assert_eq!(contract(&now), march, "{now}");
    c.at("2026-04-05 09:00");
    assert_eq!(contract(&report(&viewer, "month=2026-02").await), february);
    let kept = report(&viewer, "month=2026-03").await;
    assert_eq!(kept["security"], now["security"], "replayed as it was read");
    assert_eq!(
        kept["security"]["by_unit"],
        json!([{"key": "辰阳镇", "schools": 2, "guards_required": 4, "guards_in_post": 2,
            "meet_guards": 0, "meet_closed_management": 2, "meet_alarm_video": 2,
            "meet_guard_post": 2, "meet_all_four": 0, "alarm_tests_in_month": 1,
            "alarm_tests_failed_in_month": 0}])
    );
    // In April R-1 hires again: March keeps its figures, from its snapshot and afresh alike.
    let day = "2026-04-06";
    post(
        &c,
        &c.officer,
        "2026-04-06 09:00",
        "/security/schools/R-1/guards",
        &guard("谭志刚", "XB-005", true, day),
    )
    .await;
    c.at("2026-05-02 09:00");
    assert!(
        app.count("report_snapshots WHERE module LIKE 'security/%'") > 0,
        "the county's settled months are kept"
    );
    assert_eq!(
        report(&viewer, "month=2026-03").await["security"],
        kept["security"]
    );
    app.exec("DELETE FROM report_snapshots");
    assert_eq!(
        report(&viewer, "month=2026-03").await["security"],
        kept["security"]
    );
    let april = report(&viewer, "month=2026-04").await;
    assert_eq!(
        contract(&april),
        figures([2, 4, 3], [1, 2, 2, 2, 1], [0, 0])
    );
    // The table of today agrees with the current month's figures.
    c.at("2026-05-02 09:00");
    let may = report(&viewer, "month=2026-05").await;
    assert_eq!(contract(&may), figures([2, 4, 3], [1, 2, 2, 2, 1], [0, 0]));
    let table = viewer.text("/security").await;
    assert!(
        table.contains("<td class=\"num\">1 · 50.0%</td>"),
        "{table}"
    );
}

#[tokio::test]
async fn a_past_month_counts_the_schools_and_pupils_the_registry_had_then() {
    let app = TestApp::spawn().await;
    let r1 = app.school("R-1");
    let r2 = app.school("R-2");
    // Both registered long ago; today R-1 grows to 1,200 pupils and R-2 is closed.
    app.exec("UPDATE schools SET created_at = '2020-01-01 00:00:00'");
    let bureau = app.logged_in("s.bureau", Role::Bureau, None).await;
    let before = Month::of(today()).prev();
    let asked = format!("month={}", before.label());
    let past = report(&bureau, &asked).await;
    assert_eq!(contract(&past), figures([2, 4, 0], [0, 0, 0, 0, 0], [0, 0]));
    let grown = SchoolInput {
        code: "R-1".into(),
        name: "R-1 学校".into(),
        township: Some("辰阳镇".into()),
        kind: xiaoan::domain::school::SchoolKind::Primary,
        pupils: 1200,
        boarders: 20,
        staff: 25,
        principal: "校长".into(),
        phone: "0745-1234567".into(),
    };
    store::schools::update(&mut app.conn(), &Actor::cli(), r1, &grown).expect("edit the school");
    store::schools::set_active(&mut app.conn(), &Actor::cli(), r2, false).expect("close it");
    app.exec("DELETE FROM report_snapshots");
    assert_eq!(
        report(&bureau, &asked).await["security"],
        past["security"],
        "as it was"
    );
    let current = report(&bureau, &format!("month={}", Month::of(today()).label())).await;
    assert_eq!(
        contract(&current),
        figures([1, 3, 0], [0, 0, 0, 0, 0], [0, 0]),
        "R-1 alone now, needing three"
    );
}

#[tokio::test]
async fn html_csv_xlsx_and_json_show_the_same_security_figures() {
    let app = clocked().await;
    let (c, r2) = county(&app).await;
    history(&c, &r2).await;
    c.at("2026-04-05 09:00");
    let b = &c.bureau;
    let json = report(b, "month=2026-02").await;
    assert_eq!(contract(&json), figures([2, 4, 3], [1, 2, 2, 1, 1], [2, 1]));
    let numbers = [2, 4, 3, 1, 2, 2, 1, 1, 2, 1];
    let cells: String = numbers
        .iter()
        .map(|n| format!("<td class=\"num\">{n}</td>"))
        .collect();
    let html = b.text("/reports/monthly?month=2026-02").await;
    assert!(html.contains("<caption>安保配备</caption>"), "{html}");
    assert!(html.contains("<caption>四个100%达标率</caption>"));
    assert!(html.contains(&format!(
        "<tr class=\"total\"><th scope=\"rowgroup\" rowspan=\"1\" class=\"group\">本月</th><td>合计</td>{cells}</tr>"
    )), "{html}");
    let rates = "<td>合计</td><td class=\"num\">2</td><td class=\"num\">50.0%</td><td class=\"num\">100.0%</td><td class=\"num\">100.0%</td><td class=\"num\">50.0%</td><td class=\"num\">50.0%</td>";
    assert!(html.contains(rates), "{html}");
    assert!(html.contains("href=\"/security?gap=any\""));
    let csv = b.text("/reports/monthly.csv?month=2026-02").await;
    assert!(csv.contains("本月,合计,2,4,3,1,2,2,1,1,2,1"), "{csv}");
    assert!(
        csv.contains("按乡镇/学校,辰阳镇,2,4,3,1,2,2,1,1,2,1"),
        "{csv}"
    );
    assert!(
        csv.contains("本月,合计,2,50.0%,100.0%,100.0%,50.0%,50.0%"),
        "{csv}"
    );
    let res = b.get("/reports/monthly.xlsx?month=2026-02").await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap_or_default();
    let workbook = xlsx_part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("name=\"安保配备\"") && workbook.contains("name=\"四个100%达标率\""));
    // After the hazards' two sheets and the buildings' one.
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet4.xml");
    let want: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
    assert!((1..12).any(|r| sheet_row(&sheet, r) == want), "{sheet}");
    // Counts only: no guard, licence or person is named anywhere in the section.
    let section = json["security"].to_string();
    for name in ["向国庆", "XB-001", "r.officer", "保安服务公司"] {
        assert!(!section.contains(name), "{name} in {section}");
    }
}

#[tokio::test]
async fn a_schools_report_counts_only_itself_and_a_submission_keeps_it_as_sent() {
    let app = clocked().await;
    let (c, r2) = county(&app).await;
    history(&c, &r2).await;
    c.at("2026-04-01 09:00");
    let own = report(&c.officer, "month=2026-03").await;
    assert_eq!(contract(&own), figures([1, 2, 1], [0, 1, 1, 1, 0], [1, 0]));
    assert_eq!(
        own["security"]["by_unit"],
        json!([]),
        "a school has no units"
    );
    let theirs = report(&r2, "month=2026-02").await;
    assert_eq!(
        contract(&theirs),
        figures([1, 2, 1], [0, 1, 1, 0, 0], [0, 0])
    );
    let res = c
        .officer
        .post("/reports/monthly/submit", &[("month", "2026-03")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let list = c.bureau.text("/reports/submissions?month=2026-03").await;
    let id = first_submission(&list);
    let sent = "<td>合计</td><td class=\"num\">1</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td>";
    let frozen = c.bureau.text(&format!("/reports/submissions/{id}")).await;
    assert!(
        frozen.contains("<caption>安保配备</caption>") && frozen.contains(sent),
        "{frozen}"
    );
    assert!(
        !frozen.contains("href=\"/security/schools/R-1\""),
        "no live link in a frozen month"
    );
    // The trail is rewritten behind the app's back: the live month moves, the sent one not.
    app.exec(
        "UPDATE events SET changes = REPLACE(changes, '\"full_time\":true', '\"full_time\":false')",
    );
    app.exec("DELETE FROM report_snapshots");
    let live = report(&c.officer, "month=2026-03").await;
    assert_eq!(
        live["security"]["guards_in_post"], 0,
        "the live month moved"
    );
    let frozen = c.bureau.text(&format!("/reports/submissions/{id}")).await;
    assert!(frozen.contains(sent), "the sent month did not: {frozen}");
}

#[tokio::test]
async fn the_homes_show_the_countys_four_rates_and_a_schools_own_ticks() {
    let app = clocked().await;
    let (c, r2) = county(&app).await;
    history(&c, &r2).await;
    c.at("2026-03-20 09:00");
    let tile = |href: &str, value: &str, label: &str| {
        format!(
            "href=\"{href}\"><span class=\"stat-value\">{value}</span> <span class=\"stat-label\">{label}</span>"
        )
    };
    let home = c.bureau.text("/").await;
    assert!(home.contains("安保配备“四个100%”"), "{home}");
    assert!(
        home.contains(&tile("/security?gap=guards", "0.0%", "专职保安配备")),
        "{home}"
    );
    assert!(home.contains(&tile("/security?gap=closed", "100.0%", "封闭化管理")));
    assert!(home.contains(&tile("/security?gap=post", "100.0%", "护学岗")));
    assert!(home.contains(&tile("/security?gap=any", "0.0%", "四个100%全部达标")));
    assert!(home.contains("<h2>人防物防技防</h2>"), "the module's card");
    let words = |value: &str, label: &str| {
        format!(
            "href=\"/security/schools/R-1\"><span class=\"stat-value stat-words\">{value}</span> <span class=\"stat-label\">{label}</span>"
        )
    };
    let home = c.officer.text("/").await;
    assert!(
        home.contains(&words("专职保安不足", "专职保安配备")),
        "{home}"
    );
    assert!(home.contains(&words("达标", "封闭化管理")));
    assert!(
        !home.contains("/security?gap="),
        "a school sees its own ticks only"
    );
    let teacher = app.logged_in("r.teacher2", Role::Staff, Some("R-1")).await;
    assert!(
        !teacher.text("/").await.contains("stat-words"),
        "a teacher's home has no dashboard"
    );
}
