//! The buildings' section of the monthly report and their lines on the home pages: figures as
//! of a month's last instant, the same in every format, within scope, frozen when submitted.

use reqwest::StatusCode;
use serde_json::{Value, json};
use xiaoan::domain::buildings::BuildingAction as A;
use xiaoan::domain::role::Role;

use crate::helpers::*;
use crate::report_helpers::*;

/// The school ids of R-1 and R-2 (the county's two schools, both in 辰阳镇).
fn ids(app: &TestApp) -> (i64, i64) {
    let id = |code: &str| {
        xiaoan::store::schools::find_by_code(&mut app.conn(), code)
            .ok()
            .flatten()
            .map(|s| s.id)
            .unwrap_or(0)
    };
    (id("R-1"), id("R-2"))
}

/// February and March 2026 of the county's buildings, through the store at the clock's times.
/// February ends with six buildings: an A whose reappraisal fell due on 1 February, a D being
/// demolished, a C restricted, R-2's B, a D being reinforced and one never appraised. In March
/// the first D is demolished, the second reinforced and then appraised A.
fn history(c: &County<'_>) {
    let app = c.app;
    let (r1, r2) = ids(app);
    let (o, b) = ("r.officer", "r.bureau");
    c.at("2026-02-10 09:00");
    let a = app.register_building(o, r1, "1号教学楼");
    let demolish = app.register_building(o, r1, "2号宿舍");
    let restricted = app.register_building(o, r1, "食堂");
    let other = app.register_building(b, r2, "R-2 教学楼");
    let reinforce = app.register_building(o, r1, "旧实验楼");
    app.register_building(o, r1, "体育馆");
    c.at("2026-02-12 09:00");
    app.appraise_building(o, a, "A", day("2021-02-01"));
    app.appraise_building(o, demolish, "D", day("2026-02-12"));
    c.at("2026-02-15 09:00");
    app.building_step(o, demolish, A::Plan, "demolish");
    c.at("2026-02-20 09:00");
    app.appraise_building(o, restricted, "C", day("2026-02-20"));
    app.appraise_building(b, other, "B", day("2026-02-20"));
    c.at("2026-02-25 09:00");
    app.appraise_building(o, reinforce, "D", day("2026-02-25"));
    c.at("2026-02-26 09:00");
    app.building_step(o, reinforce, A::Plan, "reinforce");
    c.at("2026-03-05 09:00");
    app.building_step(o, demolish, A::ReportDone, "demolish");
    c.at("2026-03-06 09:00");
    app.building_step(o, reinforce, A::ReportDone, "reinforce");
    c.at("2026-03-10 09:00");
    app.building_step(b, demolish, A::Accept, "demolish");
    c.at("2026-03-12 09:00");
    app.building_step(b, reinforce, A::Accept, "reinforce");
    c.at("2026-03-20 09:00");
    app.appraise_building(o, reinforce, "A", day("2026-03-20"));
    assert_eq!(app.building_status(demolish), "demolished");
    assert_eq!(app.building_status(reinforce), "in_use");
}

fn day(s: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
}

/// CONTRACT's object: total, by grade, dangerous open, demolished and reinforced in the month,
/// appraisals overdue.
fn figures(
    total: i64,
    [a, b, c, d, none]: [i64; 5],
    [dangerous, demolished, reinforced, overdue]: [i64; 4],
) -> Value {
    json!({
        "total": total,
        "by_grade": {"A": a, "B": b, "C": c, "D": d, "none": none},
        "dangerous_open": dangerous,
        "demolished_in_month": demolished,
        "reinforced_in_month": reinforced,
        "appraisals_overdue": overdue,
    })
}

/// The section's CONTRACT keys alone (without its lines per unit).
fn contract(v: &Value) -> Value {
    let mut s = v["buildings"].clone();
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

#[tokio::test]
async fn a_past_month_counts_the_buildings_as_they_stood_at_its_end_and_reads_the_same_later() {
    let app = clocked().await;
    let c = County::new(&app).await;
    history(&c);
    let march = figures(5, [2, 1, 1, 0, 1], [1, 1, 1, 1]);
    // Before March ends: the rows as they stand, overdue judged today.
    c.at("2026-03-25 09:00");
    let viewer = app.logged_in("viewer.b", Role::Viewer, None).await;
    let now = report(&viewer, "month=2026-03").await;
    assert_eq!(contract(&now), march, "{now}");
    c.at("2026-04-05 09:00");
    let feb = report(&viewer, "month=2026-02").await;
    assert_eq!(contract(&feb), figures(6, [1, 1, 1, 2, 1], [3, 0, 0, 1]));
    let kept = report(&viewer, "month=2026-03").await;
    assert_eq!(
        kept["buildings"], now["buildings"],
        "replayed as it was read"
    );
    assert_eq!(
        kept["buildings"]["by_unit"],
        json!([{"key": "辰阳镇", "total": 5, "by_grade": {"A": 2, "B": 1, "C": 1, "D": 0, "none": 1},
            "dangerous_open": 1, "demolished_in_month": 1, "reinforced_in_month": 1,
            "appraisals_overdue": 1}])
    );
    // In April the overdue building is appraised again and one more is registered: March
    // keeps its figures, read from its snapshot and replayed afresh alike.
    let (r1, _) = ids(&app);
    let a = buildings_named(&app, "1号教学楼");
    c.at("2026-04-06 09:00");
    app.appraise_building("r.officer", a, "B", day("2026-04-06"));
    app.register_building("r.officer", r1, "新教学楼");
    c.at("2026-05-02 09:00");
    assert!(
        app.count("report_snapshots WHERE module LIKE 'buildings/%'") > 0,
        "the county's settled months are kept"
    );
    assert_eq!(
        report(&viewer, "month=2026-03").await["buildings"],
        kept["buildings"]
    );
    app.exec("DELETE FROM report_snapshots");
    assert_eq!(
        report(&viewer, "month=2026-03").await["buildings"],
        kept["buildings"]
    );
    let april = report(&viewer, "month=2026-04").await;
    assert_eq!(contract(&april), figures(6, [1, 2, 1, 0, 2], [1, 0, 0, 0]));
    let township = report(&viewer, "month=2026-03&township=辰阳镇").await;
    assert_eq!(contract(&township), march);
    let units: Vec<(Value, Value)> = township["buildings"]["by_unit"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|l| (l["key"].clone(), l["total"].clone()))
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(
        units,
        vec![(json!("R-1 学校"), json!(4)), (json!("R-2 学校"), json!(1))],
        "every school of the township"
    );
}

/// The id of the building of this name.
fn buildings_named(app: &TestApp, name: &str) -> i64 {
    let f = xiaoan::store::buildings::list::Filter {
        text: Some(name.to_string()),
        ..Default::default()
    };
    xiaoan::store::buildings::list::ids(&mut app.conn(), &f)
        .ok()
        .and_then(|ids| ids.first().copied())
        .unwrap_or(0)
}

#[tokio::test]
async fn html_csv_xlsx_and_json_show_the_same_building_figures_every_grade_listed() {
    let app = clocked().await;
    let c = County::new(&app).await;
    history(&c);
    c.at("2026-04-05 09:00");
    let b = &c.bureau;
    let json = report(b, "month=2026-03").await;
    assert_eq!(contract(&json), figures(5, [2, 1, 1, 0, 1], [1, 1, 1, 1]));
    let html = b.text("/reports/monthly?month=2026-03").await;
    let cells = |ns: &[i64]| -> String {
        ns.iter()
            .map(|n| format!("<td class=\"num\">{n}</td>"))
            .collect()
    };
    let numbers = [5, 2, 1, 1, 0, 1, 1, 1, 1, 1];
    assert!(html.contains("<caption>校舍安全</caption>"), "{html}");
    assert!(
        html.contains("<th scope=\"col\" class=\"num\">A级</th><th scope=\"col\" class=\"num\">B级</th><th scope=\"col\" class=\"num\">C级</th><th scope=\"col\" class=\"num\">D级</th><th scope=\"col\" class=\"num\">未鉴定</th>"),
        "every grade a column, D with its zero: {html}"
    );
    let total = format!(
        "<tr class=\"total\"><th scope=\"rowgroup\" rowspan=\"1\" class=\"group\">本月</th><td>合计</td>{}</tr>",
        cells(&numbers)
    );
    assert!(html.contains(&total), "{html}");
    assert!(html.contains(&format!(
        "class=\"group\">按乡镇/学校</th><td>辰阳镇</td>{}</tr>",
        cells(&numbers)
    )));
    assert!(html.contains("href=\"/buildings?dangerous=1\""));
    let csv = b.text("/reports/monthly.csv?month=2026-03").await;
    assert!(csv.contains("本月,合计,5,2,1,1,0,1,1,1,1,1"), "{csv}");
    assert!(
        csv.contains("按乡镇/学校,辰阳镇,5,2,1,1,0,1,1,1,1,1"),
        "{csv}"
    );
    let res = b.get("/reports/monthly.xlsx?month=2026-03").await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap_or_default();
    let strings = xlsx_part(&bytes, "xl/sharedStrings.xml");
    let workbook = xlsx_part(&bytes, "xl/workbook.xml");
    assert!(strings.contains("校舍（栋）") && workbook.contains("name=\"校舍安全\""));
    // The hazards' two sheets come first.
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet3.xml");
    let want: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
    assert!(
        (1..12).any(|r| sheet_row(&sheet, r) == want),
        "the totals row holds numbers: {sheet}"
    );
    // Counts only: no person and no building is named anywhere in the section.
    let section = json["buildings"].to_string();
    for name in ["王强", "r.officer", "1号教学楼", "县房屋安全鉴定站"] {
        assert!(!section.contains(name), "{name} in {section}");
    }
}

#[tokio::test]
async fn a_schools_report_counts_only_its_own_buildings() {
    let app = clocked().await;
    let c = County::new(&app).await;
    history(&c);
    c.at("2026-04-05 09:00");
    let own = report(&c.officer, "month=2026-03").await;
    assert_eq!(own["scope"]["code"], "R-1");
    assert_eq!(contract(&own), figures(4, [2, 0, 1, 0, 1], [1, 1, 1, 1]));
    assert_eq!(
        own["buildings"]["by_unit"],
        json!([]),
        "a school has no units"
    );
    let r2 = app
        .logged_in("r2.officer", Role::SchoolAdmin, Some("R-2"))
        .await;
    let theirs = report(&r2, "month=2026-03").await;
    assert_eq!(contract(&theirs), figures(1, [0, 1, 0, 0, 0], [0, 0, 0, 0]));
    let current = report(&r2, "month=2026-04").await;
    assert_eq!(
        contract(&current),
        contract(&theirs),
        "nothing moved in April"
    );
}

#[tokio::test]
async fn a_submitted_month_carries_the_buildings_as_they_were_sent() {
    let app = clocked().await;
    let c = County::new(&app).await;
    history(&c);
    c.at("2026-04-01 09:00");
    let res = c
        .officer
        .post("/reports/monthly/submit", &[("month", "2026-03")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let list = c.bureau.text("/reports/submissions?month=2026-03").await;
    let id = first_submission(&list);
    let sent = "<td>合计</td><td class=\"num\">4</td><td class=\"num\">2</td><td class=\"num\">0</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">1</td>";
    let frozen = c.bureau.text(&format!("/reports/submissions/{id}")).await;
    assert!(
        frozen.contains("<caption>校舍安全</caption>") && frozen.contains(sent),
        "{frozen}"
    );
    assert!(
        !frozen.contains("href=\"/buildings?dangerous=1"),
        "a frozen month links to no live list"
    );
    // The live month changes (a grade corrected in the database); the sent one does not.
    app.exec("UPDATE buildings SET grade = 'B' WHERE grade = 'A'");
    app.exec("UPDATE events SET changes = REPLACE(changes, '\"grade\":\"A\"', '\"grade\":\"B\"')");
    app.exec("DELETE FROM report_snapshots");
    let live = report(&c.officer, "month=2026-03").await;
    assert_eq!(
        live["buildings"]["by_grade"]["A"], 0,
        "the live month moved"
    );
    let frozen = c.bureau.text(&format!("/reports/submissions/{id}")).await;
    assert!(frozen.contains(sent), "the sent month did not: {frozen}");
}

#[tokio::test]
async fn the_homes_show_dangerous_buildings_open_and_the_disposals_each_user_must_act_on() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let (r1, r2) = ids(&app);
    let o = "r.officer";
    c.at("2026-03-10 09:00");
    let closed = app.register_building(o, r1, "2号宿舍");
    let restricted = app.register_building(o, r1, "食堂");
    let soon = app.register_building(o, r1, "旧实验楼");
    let late = app.register_building(o, r1, "老礼堂");
    let done = app.register_building(o, r1, "危墙");
    let fine = app.register_building(o, r1, "1号教学楼");
    let elsewhere = app.register_building("r.bureau", r2, "R-2 宿舍");
    for id in [closed, soon, late, done] {
        app.appraise_building(o, id, "D", day("2026-03-10"));
    }
    app.appraise_building("r.bureau", elsewhere, "D", day("2026-03-10"));
    app.appraise_building(o, restricted, "C", day("2026-03-10"));
    app.appraise_building(o, fine, "A", day("2026-03-10"));
    let plan = |id: i64, deadline: &'static str| {
        let officer = &c.officer;
        async move {
            let res = officer
                .post(
                    &format!("/buildings/{id}/transition"),
                    &[
                        ("action", "plan"),
                        ("method", "demolish"),
                        ("deadline", deadline),
                        ("funding", "县财政"),
                    ],
                )
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "plan {id}");
        }
    };
    plan(soon, "2026-03-16").await;
    plan(late, "2026-03-11").await;
    // A photo of the work under way is no step: the deadline still stands.
    app.building_photo(o, late, xiaoan::domain::attachments::Stage::After, 4);
    app.building_step(o, done, A::Plan, "demolish");
    app.building_step(o, done, A::ReportDone, "demolish");
    c.at("2026-03-14 09:00");

    let home = c.bureau.text("/").await;
    let stat = |n: i64| {
        format!(
            "<a class=\"card stat\" href=\"/buildings/dangerous\"><span class=\"stat-value\">{n}</span> <span class=\"stat-label\">危房未处置</span>"
        )
    };
    assert!(
        home.contains(&stat(6)),
        "the county's five D and one C open: {home}"
    );
    assert!(home.contains("<h2>校舍安全</h2>"), "the module's card");
    let line = |reason: &str, id: i64, name: &str| {
        format!("{reason}</span>\n      <a href=\"/buildings/{id}\">JZ-{id} {name}</a>")
    };
    assert!(
        home.contains(&line("待验收销号", done, "危墙")),
        "the bureau accepts: {home}"
    );
    for id in [closed, restricted, soon, late] {
        assert!(!home.contains(&format!("href=\"/buildings/{id}\"")), "{id}");
    }

    let home = c.officer.text("/").await;
    assert!(home.contains(&stat(5)), "the school's own: {home}");
    let order = [
        line("逾期 3 天", late, "老礼堂"),
        line("2 天内到期", soon, "旧实验楼"),
        line("危房，待制定处置方案", closed, "2号宿舍"),
        line("危房，待制定处置方案", restricted, "食堂"),
    ];
    let at: Vec<Option<usize>> = order.iter().map(|l| home.find(l.as_str())).collect();
    assert!(at.iter().all(Option::is_some), "{at:?}: {home}");
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "in the list's order: {at:?}"
    );
    for id in [done, fine, elsewhere] {
        assert!(
            !home.contains(&format!("<a href=\"/buildings/{id}\">")),
            "{id}"
        );
    }

    let other = app
        .logged_in("r2.officer", Role::SchoolAdmin, Some("R-2"))
        .await;
    let home = other.text("/").await;
    assert!(home.contains(&stat(1)), "{home}");
    assert!(home.contains(&line("危房，待制定处置方案", elsewhere, "R-2 宿舍")));
    let viewer = app.logged_in("r.viewer", Role::Viewer, None).await;
    let home = viewer.text("/").await;
    assert!(home.contains(&stat(6)) && !home.contains("id=\"today\""));
}
