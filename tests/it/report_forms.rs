//! The monthly report as people sign it: one closure rate, the month's, the same in every
//! format with "—" where there is nothing to divide; the month that has ended by default and
//! only an ended month submitted; a scope picker; every unit listed; a signature block; a
//! workbook that holds numbers and prints on A4.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::helpers::*;
use crate::report_helpers::{County, clocked, march, xlsx_part};

/// March as `march` builds it, then April: nothing closed, one hazard reported and open.
async fn april(c: &County<'_>) {
    march(c).await;
    c.report("general", "2026-04-03 10:00").await;
    c.at("2026-05-02 09:00");
}

async fn json(b: &Browser, q: &str) -> serde_json::Value {
    b.get(&format!("/reports/monthly.json?{q}"))
        .await
        .json()
        .await
        .unwrap_or_default()
}

#[tokio::test]
async fn the_closure_rate_is_the_months_in_html_csv_xlsx_and_json() {
    let app = clocked().await;
    let c = County::new(&app).await;
    april(&c).await;
    let b = &c.bureau;
    // April: 1 found, 0 closed, 3 open at its end → 0%, not March's 1 of 3 carried over.
    let v = json(b, "month=2026-04").await;
    assert_eq!(v["hazards"]["closed"], 0);
    assert_eq!(v["hazards"]["open_at_month_end"], 3);
    assert_eq!(v["hazards"]["closure_rate"].as_f64(), Some(0.0));
    // The year: 1 closed, 3 open at April's end → 25%.
    assert_eq!(
        v["hazards"]["year_to_date"]["closure_rate"].as_f64(),
        Some(0.25)
    );
    // A line with nothing in it has nothing to divide: null, "—", a blank cell.
    let lines = v["hazards"]["by_category"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let empty = lines
        .iter()
        .find(|l| l["key"] == "canteen")
        .expect("every category is listed, zeros too");
    assert_eq!(empty["found"], 0);
    assert!(empty["closure_rate"].is_null());

    let html = b.text("/reports/monthly?month=2026-04").await;
    assert!(
        html.contains("<td>合计</td><td class=\"num\">1</td><td class=\"num\">0</td><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">0.0%</td>"),
        "{html}"
    );
    assert!(html.contains(">本年累计</th><td>合计</td><td class=\"num\">5</td><td class=\"num\">1</td><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">25.0%</td><td class=\"num\">—</td>"), "{html}");
    assert!(html.contains("<td>食堂与食品</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">0</td><td class=\"num\">—</td>"), "{html}");
    assert!(
        html.contains("整改销号率 = 期内销号数"),
        "the rate is defined on the page"
    );

    let csv = b.text("/reports/monthly.csv?month=2026-04").await;
    assert!(csv.contains("本月,合计,1,0,3,1,1,0.0%,"), "{csv}");
    assert!(csv.contains("本年累计,合计,5,1,3,1,1,25.0%,"), "{csv}");
    assert!(csv.contains(",食堂与食品,0,0,0,0,0,,"), "{csv}");

    let bytes = b
        .get("/reports/monthly.xlsx?month=2026-04")
        .await
        .bytes()
        .await
        .unwrap_or_default();
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains("<v>0.25</v>"),
        "the rate is a number: {sheet}"
    );
    let styles = xlsx_part(&bytes, "xl/styles.xml");
    assert!(
        styles.contains("formatCode=\"0.0%\""),
        "shown as a percentage"
    );
}

#[tokio::test]
async fn every_township_and_school_is_listed_with_its_zeros() {
    let app = clocked().await;
    let c = County::new(&app).await;
    xiaoan::store::townships::ensure(&mut app.conn(), "米村乡").expect("a township");
    app.exec(
        "UPDATE schools SET township_id = (SELECT id FROM townships WHERE name = '米村乡') \
         WHERE code = 'R-2'",
    );
    april(&c).await;
    let v = json(&c.bureau, "month=2026-04").await;
    let units: Vec<String> = v["hazards"]["by_unit"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|l| l["key"].as_str().unwrap_or("").to_string())
        .collect();
    assert!(units.contains(&"米村乡".to_string()), "{units:?}");
    let html = c.bureau.text("/reports/monthly?month=2026-04").await;
    assert!(
        html.contains("<td>米村乡</td><td class=\"num\">0</td>"),
        "{html}"
    );
}

#[tokio::test]
async fn a_report_opens_on_the_last_ended_month_and_only_an_ended_month_is_submitted() {
    let app = clocked().await;
    let c = County::new(&app).await;
    march(&c).await;
    c.at("2026-04-02 09:00");
    let page = c.officer.text("/reports/monthly").await;
    assert!(
        page.contains("value=\"2026-03\""),
        "March, not April's two days"
    );
    assert!(
        page.contains("报送 2026-03 月报"),
        "the button names the month"
    );
    assert!(page.contains("data-confirm=\"报送后 2026-03 的月报数据将被冻结"));
    let this_month = c.officer.text("/reports/monthly?month=2026-04").await;
    assert!(!this_month.contains("action=\"/reports/monthly/submit\""));
    assert!(this_month.contains("2026-04 还没有结束"));
    let res = c
        .officer
        .post("/reports/monthly/submit", &[("month", "2026-04")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap_or_default()
            .contains("这个月还没有结束")
    );
    assert_eq!(app.count("report_submissions"), 0);
    let res = c
        .officer
        .post("/reports/monthly/submit", &[("month", "2026-03")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("report_submissions"), 1);
}

#[tokio::test]
async fn county_roles_pick_a_township_or_a_school_and_a_school_wins_over_its_township() {
    let app = clocked().await;
    let c = County::new(&app).await;
    march(&c).await;
    c.at("2026-04-02 09:00");
    let page = c.bureau.text("/reports/monthly").await;
    assert!(page.contains("<select id=\"township\" name=\"township\" data-clears=\"school\">"));
    assert!(
        page.contains("<option value=\"辰阳镇\">辰阳镇</option>"),
        "{page}"
    );
    let township = c.bureau.text("/reports/monthly?township=辰阳镇").await;
    assert!(township.contains("<option value=\"辰阳镇\" selected>"));
    let v = json(&c.bureau, "month=2026-03&township=辰阳镇&school=R-2").await;
    assert_eq!(v["scope"]["kind"], "school");
    assert_eq!(v["scope"]["code"], "R-2");
    let officer = c.officer.text("/reports/monthly").await;
    assert!(
        !officer.contains("name=\"township\""),
        "a school has no scope to pick"
    );
}

#[tokio::test]
async fn the_report_prints_with_a_signature_block_and_names_the_bureau_as_its_unit() {
    let app = clocked().await;
    let c = County::new(&app).await;
    march(&c).await;
    c.at("2026-04-02 09:00");
    let admin = app.logged_in("r.admin", Role::Admin, None).await;
    let res = admin
        .post(
            "/settings",
            &[("bureau_name", "辰溪县教育局"), ("county_name", "辰溪县")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c.bureau.text("/reports/monthly?month=2026-03").await;
    assert!(page.contains("填报单位：辰溪县教育局"), "{page}");
    for line in ["填报人：", "审核人：", "联系电话：", "日期："] {
        assert!(page.contains(line), "{line}");
    }
    let css = c.bureau.text("/static/css/app.css").await;
    assert!(css.contains("counter(page)"), "printed pages are numbered");
    let bytes = c
        .bureau
        .get("/reports/monthly.xlsx?month=2026-03")
        .await
        .bytes()
        .await
        .unwrap_or_default();
    let strings = xlsx_part(&bytes, "xl/sharedStrings.xml");
    assert!(strings.contains("填报单位：辰溪县教育局"), "{strings}");
    assert!(strings.contains("审核人："));
    assert!(!strings.contains("填报单位：全县"));
    let sheet = xlsx_part(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("paperSize=\"9\""), "A4: {sheet}");
    assert!(sheet.contains("fitToWidth=\"1\"") || sheet.contains("fitToPage=\"1\""));
    let book = xlsx_part(&bytes, "xl/workbook.xml");
    assert!(
        book.contains("_xlnm.Print_Titles"),
        "the header row repeats: {book}"
    );
    let long = "局".repeat(61);
    let res = admin
        .post("/settings", &[("bureau_name", long.as_str())])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
