//! The year-end summary over HTTP on both databases: a known year built through the app's own
//! forms at the times the test sets, then the summary's figures checked against the sum of the
//! monthly reports of its twelve months (flows) and December's (stocks), and against what was
//! done; its paragraph, its links, its workbook, and who may read it.

use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use crate::report_helpers::{County, clocked};

async fn json(b: &Browser, path: &str) -> Value {
    let res = b.get(path).await;
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    res.json().await.expect("json")
}

async fn periphery(c: &County<'_>, when: &str) -> i64 {
    c.at(when);
    let res = c
        .officer
        .post(
            "/hazards",
            &[
                ("source", "periphery"),
                ("category", "traffic"),
                ("title", "校门口无减速带"),
                ("level", "general"),
                ("found_on", &when[..10]),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    location(&res)
        .trim_start_matches("/hazards/")
        .parse()
        .unwrap_or(0)
}

async fn session(c: &County<'_>, kind: &str, topic: &str, when: &str, n: &str) {
    c.at(when);
    let res = c
        .officer
        .post(
            "/education",
            &[
                ("kind", kind),
                ("topic", topic),
                ("held_on", &when[..10]),
                ("participants", n),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{topic} at {when}");
}

/// 2025 at school R-1, in the order it happened: a legal vice-principal, two periphery leads
/// (one removed), a campus hazard, three sessions, and a two-item campaign done, one item
/// returned and redone.
async fn year_2025(c: &County<'_>) {
    c.at("2025-02-01 09:00");
    let res = c
        .bureau
        .post(
            "/legal-vps",
            &[
                ("name", "王建军"),
                ("unit_kind", "police"),
                ("unit_name", "城关派出所"),
                ("appointed_on", "2025-02-01"),
                ("schools", "R-1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let a = periphery(c, "2025-03-05 09:00").await;
    c.act(&c.officer, a, "register", "2025-03-05 10:00", &[])
        .await;
    c.assign(a, "2025-03-06 09:00", "2025-04-30").await;
    c.fix(a, "2025-03-20 09:00").await;
    c.accept(a, "2025-03-25 09:00").await;
    c.report("general", "2025-04-02 10:00").await;
    c.at("2025-06-01 09:00");
    let res = c
        .bureau
        .post(
            "/campaigns",
            &[
                ("name", "九个一"),
                ("starts_on", "2025-06-01"),
                ("ends_on", "2025-07-31"),
                ("items", "开会\n排查"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id: i64 = location(&res)
        .trim_start_matches("/campaigns/")
        .parse()
        .unwrap_or(0);
    let items: Vec<i64> = xiaoan::store::campaigns::items(&mut c.app.conn(), id)
        .expect("items")
        .iter()
        .map(|i| i.id)
        .collect();
    let done = |when: &'static str, item: i64| {
        let officer = &c.officer;
        async move {
            c.at(when);
            let res = officer
                .post(
                    &format!("/campaigns/{id}/items/{item}/done"),
                    &[("done_on", &when[..10])],
                )
                .await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER, "done at {when}");
        }
    };
    done("2025-06-05 09:00", items[0]).await;
    done("2025-06-06 09:00", items[1]).await;
    c.at("2025-06-10 09:00");
    let res = c
        .bureau
        .post(
            &format!("/campaigns/{id}/items/{}/return", items[1]),
            &[("school", "R-1"), ("comment", "缺记录")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    session(c, "education", "drowning", "2025-06-10 10:00", "500").await;
    done("2025-07-02 09:00", items[1]).await;
    session(c, "education", "traffic", "2025-09-01 10:00", "480").await;
    session(c, "drill", "fire", "2025-11-09 10:00", "520").await;
    periphery(c, "2025-11-20 09:00").await;
}

#[tokio::test]
async fn the_years_figures_are_its_months_reports_summed_and_decembers_stocks() {
    let app = clocked().await;
    app.config
        .clock
        .set(crate::report_helpers::local("2025-01-02 08:00"));
    let c = County::new(&app).await;
    year_2025(&c).await;
    c.at("2026-01-20 09:00");
    let y = json(&c.bureau, "/reports/annual.json?year=2025").await;
    assert_eq!(y["year"], 2025);
    let mut months = Vec::new();
    for m in 1..=12 {
        months.push(
            json(
                &c.bureau,
                &format!("/reports/monthly.json?month=2025-{m:02}"),
            )
            .await,
        );
    }
    let sum = |f: &dyn Fn(&Value) -> i64| months.iter().map(f).sum::<i64>();
    let n = |v: &Value| v.as_i64().unwrap_or(-1);
    let source = |m: &Value, s: &str, k: &str| {
        m["hazards"]["by_source"]
            .as_array()
            .and_then(|a| a.iter().find(|l| l["key"] == s))
            .map(|l| n(&l[k]))
            .unwrap_or(0)
    };
    assert_eq!(
        n(&y["hazards"]["found"]),
        sum(&|m| n(&m["hazards"]["found"]))
    );
    assert_eq!(
        n(&y["hazards"]["periphery_found"]),
        sum(&|m| source(m, "periphery", "found"))
    );
    assert_eq!(
        n(&y["education"]["sessions"]),
        sum(&|m| n(&m["education"]["sessions_in_month"]))
    );
    assert_eq!(
        n(&y["education"]["drills"]),
        sum(&|m| n(&m["education"]["drills_in_month"]))
    );
    assert_eq!(
        n(&y["education"]["participants"]),
        sum(&|m| n(&m["education"]["participants_in_month"]))
    );
    let december = &months[11];
    assert_eq!(
        y["legal_vps"]["in_office"],
        december["legal_vps"]["in_office"]
    );
    assert_eq!(
        y["security"]["guards_in_post"],
        december["security"]["guards_in_post"]
    );
    assert_eq!(
        y["hazards"]["open_at_year_end"],
        december["hazards"]["open_at_month_end"]
    );
    // And against what was done.
    assert_eq!(
        (
            n(&y["hazards"]["periphery_found"]),
            n(&y["hazards"]["periphery_closed"]),
            n(&y["hazards"]["campus_found"]),
            n(&y["hazards"]["open_at_year_end"]),
        ),
        (2, 1, 1, 2)
    );
    assert_eq!(
        (n(&y["education"]["sessions"]), n(&y["education"]["drills"])),
        (2, 1)
    );
    assert_eq!(y["education"]["by_topic"]["drowning"], 1);
    assert_eq!(y["legal_vps"]["in_office"], 1);
    let campaigns = y["campaigns"].as_array().cloned().unwrap_or_default();
    assert_eq!(campaigns.len(), 1);
    assert_eq!(campaigns[0]["name"], "九个一");
    assert_eq!(
        campaigns[0]["completion_rate"].as_f64(),
        Some(0.5),
        "July's: two schools, both items done at one"
    );
    assert_eq!(
        months[5]["campaigns"][0]["completion_rate"].as_f64(),
        Some(0.25),
        "June ended with an item returned"
    );
}

#[tokio::test]
async fn the_page_drafts_the_paragraph_with_each_figure_linked_and_prints_a_workbook() {
    let app = clocked().await;
    app.config
        .clock
        .set(crate::report_helpers::local("2025-01-02 08:00"));
    let c = County::new(&app).await;
    year_2025(&c).await;
    c.at("2026-01-20 09:00");
    let page = c.bureau.text("/reports/annual?year=2025").await;
    assert!(
        page.contains("全面排查、消除校园周边环境安全隐患线索<a href=\"/hazards?found=2025&#38;source=periphery\">2</a>条"),
        "{page}"
    );
    assert!(
        page.contains("contenteditable=\"true\""),
        "editable before printing"
    );
    assert!(page.contains("/legal-vps?in_office=1"), "{page}");
    let linked = c.bureau.text("/hazards?found=2025&source=periphery").await;
    assert!(
        linked.contains("校门口无减速带"),
        "the list behind the figure: {linked}"
    );
    let xlsx = c.bureau.get("/reports/annual.xlsx?year=2025").await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let bytes = xlsx.bytes().await.unwrap_or_default();
    assert!(bytes.starts_with(b"PK"), "a workbook");
    assert_eq!(
        c.bureau.get("/reports/annual?year=2027").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a year to come"
    );
    assert_eq!(
        c.officer.get("/reports/annual?year=2025").await.status(),
        StatusCode::FORBIDDEN,
        "the county's summary is the county's"
    );
}
