//! Security staffing in a real headless Chromium with a phone-sized window: a school's safety
//! officer verifies the profile, adds a guard and records an alarm test on the school's page;
//! the bureau finds the school's new figures in the county table, and the month's report
//! counts them.

use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::Value;
use xiaoan::domain::role::Role;

use crate::browser::phone;
use crate::building_journey::{set_date, type_into};
use crate::hazard_journey::{log_in, log_out, submit, wait_for_path};
use crate::helpers::*;

const OFFICER: &str = "li.anbao";
const BUREAU: &str = "zhou.anquangu";

type Res<T> = Result<T, CmdError>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn a_school_adds_a_guard_and_an_alarm_test_and_the_county_sees_them() {
    let app = TestApp::spawn().await;
    app.school("CX-0202");
    app.user(OFFICER, Role::SchoolAdmin, Some("CX-0202"));
    app.user(BUREAU, Role::Bureau, None);
    let (_driver, _profile, c) = phone().await;
    let outcome = tokio::spawn(run(c.clone(), app.base.clone(), today().to_string())).await;
    if !matches!(outcome, Ok(Ok(_))) {
        let shot = std::env::temp_dir().join("security_journey-failure.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&shot, png);
            eprintln!("the page at the failure: {}", shot.display());
        }
    }
    let _ = c.close().await;
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(e)) => panic!("webdriver: {e}"),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
    assert_eq!(app.count("guards WHERE left_on IS NULL"), 1);
    assert_eq!(app.count("alarm_tests"), 1);
}

/// Opens the folded form in this section of the page.
async fn unfold(c: &Client, section: &str) -> Res<()> {
    c.find(Locator::Css(&format!("#{section} details > summary")))
        .await?
        .click()
        .await
}

async fn choose(c: &Client, field: &str, value: &str) -> Res<()> {
    c.find(Locator::Css(&format!("#{field} input[value='{value}']")))
        .await?
        .click()
        .await
}

async fn text_of(c: &Client, css: &str) -> Res<String> {
    c.find(Locator::Css(css)).await?.text().await
}

async fn run(c: Client, base: String, today: String) -> Res<()> {
    let base = base.as_str();

    // 1. The officer is sent from the county table to the school's own page.
    log_in(&c, base, OFFICER).await?;
    c.goto(&format!("{base}/security")).await?;
    wait_for_path(&c, "the school's page", |p| {
        p == "/security/schools/CX-0202"
    })
    .await?;
    let words = text_of(&c, "#arithmetic").await?;
    assert!(
        words.contains("300") && words.contains('2'),
        "the rule in words: {words}"
    );

    // 2. The four provisions, verified today.
    unfold(&c, "items").await?;
    for f in [
        "closed_management",
        "alarm_linked",
        "video_linked",
        "guard_post",
    ] {
        choose(&c, &format!("form-profile-{f}"), "1").await?;
    }
    set_date(&c, "form-profile-verified_on", &today).await?;
    submit(&c, "form#form-profile button[type=submit]").await?;
    let items = text_of(&c, "#items").await?;
    assert_eq!(
        items.matches("达标").count(),
        3,
        "three items met, the guards not yet: {items}"
    );
    assert!(items.contains("专职保安不足"), "{items}");

    // 3. A guard, full-time, insured and trained.
    unfold(&c, "guards").await?;
    type_into(&c, "#form-guard-name", "龚德胜").await?;
    type_into(&c, "#form-guard-licence_no", "湘保2021000777").await?;
    type_into(&c, "#form-guard-birth_year", "1979").await?;
    type_into(&c, "#form-guard-employer", "辰溪县保安服务有限公司").await?;
    choose(&c, "form-guard-full_time", "1").await?;
    set_date(&c, "form-guard-hired_on", &today).await?;
    choose(&c, "form-guard-insured", "1").await?;
    set_date(&c, "form-guard-trained_on", &today).await?;
    submit(&c, "form#form-guard button[type=submit]").await?;
    let guards = text_of(&c, "#guards").await?;
    assert!(
        guards.contains("龚德胜") && guards.contains("湘保2021000777"),
        "the officer sees the licence in full: {guards}"
    );

    // 4. An alarm test that passed, answered in 38 seconds.
    unfold(&c, "alarm-tests").await?;
    set_date(&c, "form-alarm-tested_on", &today).await?;
    choose(&c, "form-alarm-result", "pass").await?;
    type_into(&c, "#form-alarm-response_seconds", "38").await?;
    submit(&c, "form#form-alarm button[type=submit]").await?;
    let tests = text_of(&c, "#alarm-tests").await?;
    assert!(tests.contains(&today) && tests.contains("38"), "{tests}");
    log_out(&c).await?;

    // 5. The bureau's county table shows the school's guard and today's test.
    log_in(&c, base, BUREAU).await?;
    c.goto(&format!("{base}/security")).await?;
    let row = text_of(&c, "#schools tbody tr").await?;
    assert!(row.contains(&today), "the last alarm test: {row}");
    let cells = c.find_all(Locator::Css("#schools tbody tr td.num")).await?;
    let mut numbers = Vec::new();
    for cell in cells {
        numbers.push(cell.text().await?);
    }
    assert_eq!(
        numbers.first().map(String::as_str),
        Some("2"),
        "required: {numbers:?}"
    );
    assert_eq!(numbers.get(1).map(String::as_str), Some("1"), "in post");

    // 6. The month's report counts them.
    let month = &today[..7];
    c.goto(&format!("{base}/reports/monthly.json?month={month}"))
        .await?;
    let body = text_of(&c, "body").await?;
    let report: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let s = &report["security"];
    assert_eq!(s["schools"], 1, "{body}");
    assert_eq!(s["guards_in_post"], 1);
    assert_eq!(s["meet_guards"], 0, "two are required");
    assert_eq!(s["meet_closed_management"], 1);
    assert_eq!(s["meet_all_four"], 0);
    assert_eq!(s["alarm_tests_in_month"], 1);
    assert_eq!(s["alarm_tests_failed_in_month"], 0);
    c.goto(&format!("{base}/reports/monthly?month={month}"))
        .await?;
    assert!(c.source().await?.contains("<caption>安保配备</caption>"));
    log_out(&c).await?;
    Ok(())
}
