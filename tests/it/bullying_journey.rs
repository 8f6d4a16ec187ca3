//! Anti-bullying in a real headless Chromium with a phone-sized window: an anonymous tip
//! becomes a case; the school's safety officer accepts it, records the parties, determines it
//! inside the clock and follows it up; the tipster's receipt shows how far it has got; the
//! bureau sees the month's count and no name anywhere but the case page.

use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::Value;
use xiaoan::domain::role::Role;

use crate::browser::phone;
use crate::building_journey::type_into;
use crate::hazard_journey::{action_button, log_in, log_out, submit, wait_for_path};
use crate::helpers::*;

const OFFICER: &str = "tang.anquan";
const BUREAU: &str = "he.jiaoyuju";
const VICTIM: &str = "向小蕾";
const ALLEGED: &str = "滕大志";

type Res<T> = Result<T, CmdError>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn an_anonymous_tip_becomes_a_case_the_school_handles_in_time() {
    let app = TestApp::spawn().await;
    app.school("CX-0402");
    app.user(OFFICER, Role::SchoolAdmin, Some("CX-0402"));
    app.user(BUREAU, Role::Bureau, None);
    let (_driver, _profile, c) = phone().await;
    let outcome = tokio::spawn(run(c.clone(), app.base.clone(), today().to_string())).await;
    if !matches!(outcome, Ok(Ok(_))) {
        let shot = std::env::temp_dir().join("bullying_journey-failure.png");
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
    assert_eq!(app.count("bullying_cases WHERE state = 'follow_up'"), 1);
    assert!(app.count("bullying_access") >= 3, "every opening logged");
}

async fn text_of(c: &Client, css: &str) -> Res<String> {
    c.find(Locator::Css(css)).await?.text().await
}

async fn unfold(c: &Client, form: &str) -> Res<()> {
    c.find(Locator::Css(&format!("details:has(form#{form}) > summary")))
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

async fn run(c: Client, base: String, today: String) -> Res<()> {
    let base = base.as_str();

    // 1. A pupil sends a tip without an account and keeps the receipt code.
    c.goto(&format!("{base}/tip?school=CX-0402&lang=zh-CN"))
        .await?;
    type_into(
        &c,
        "#tip-summary",
        "晚自习后有同学被高年级的人堵在厕所里打。",
    )
    .await?;
    type_into(&c, "#tip-place", "教学楼一楼厕所").await?;
    submit(&c, "form#form-tip button[type=submit]").await?;
    let code = text_of(&c, "#receipt strong").await?;
    assert_eq!(code.len(), 14, "a receipt code: {code}");

    // 2. The school's officer finds it in the list and takes it in.
    log_in(&c, base, OFFICER).await?;
    c.goto(&format!("{base}/bullying")).await?;
    c.find(Locator::Css("#cases a[href^='/bullying/']"))
        .await?
        .click()
        .await?;
    let path = wait_for_path(&c, "the case page", |p| {
        p.strip_prefix("/bullying/")
            .is_some_and(|id| id.parse::<i64>().is_ok())
    })
    .await?;
    let id: i64 = path["/bullying/".len()..].parse().unwrap_or(0);
    unfold(&c, "form-step-accept").await?;
    submit(&c, &action_button("accept")).await?;
    let page = c.source().await?;
    assert!(
        page.contains("调查中") && page.contains("剩 10 天"),
        "the clock runs"
    );

    // 3. The parties, one under fourteen.
    for (role, name, age) in [("victim", VICTIM, "13"), ("alleged", ALLEGED, "15")] {
        unfold(&c, "form-party").await?;
        choose(&c, "form-party-role", role).await?;
        type_into(&c, "#form-party-name", name).await?;
        type_into(&c, "#form-party-grade_class", "初一(2)班").await?;
        type_into(&c, "#form-party-age", age).await?;
        submit(&c, "form#form-party button[type=submit]").await?;
    }
    let parties = text_of(&c, "#parties").await?;
    assert!(
        parties.contains(VICTIM) && parties.contains(ALLEGED),
        "{parties}"
    );
    assert!(parties.contains("需监护人同意"), "{parties}");

    // 4. The committee determines it inside the clock; a visit follows.
    unfold(&c, "form-step-determine").await?;
    choose(&c, "form-step-determine-determination", "bullying").await?;
    submit(&c, &action_button("determine")).await?;
    unfold(&c, "form-step-follow_up").await?;
    type_into(
        &c,
        "#form-step-follow_up-comment",
        "回访：已与双方家长沟通，未再发生。",
    )
    .await?;
    submit(&c, &action_button("follow_up")).await?;
    let page = c.source().await?;
    assert!(page.contains("跟踪回访中") && page.contains("构成欺凌"));
    c.goto(&format!("{base}/bullying")).await?;
    let list = text_of(&c, "#cases").await?;
    assert!(
        list.contains("向*") && !list.contains(VICTIM),
        "masked in the list: {list}"
    );
    log_out(&c).await?;

    // 5. The receipt shows how far it has got, and nothing else.
    c.goto(&format!("{base}/tip/status?code={code}")).await?;
    let state = text_of(&c, "#tip-state").await?;
    assert!(state.contains("跟踪回访中"), "{state}");

    // 6. The bureau counts it this month, without a name.
    log_in(&c, base, BUREAU).await?;
    let month = &today[..7];
    c.goto(&format!("{base}/reports/monthly.json?month={month}"))
        .await?;
    let body = text_of(&c, "body").await?;
    let report: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    assert_eq!(report["bullying"]["reported_in_month"], 1, "{body}");
    assert_eq!(report["bullying"]["determined_bullying_in_month"], 1);
    assert_eq!(report["bullying"]["open"], 1);
    assert!(!body.contains(VICTIM) && !body.contains(ALLEGED));
    c.goto(&format!("{base}/reports/monthly?month={month}"))
        .await?;
    let page = c.source().await?;
    assert!(page.contains("<caption>防欺凌</caption>") && !page.contains(VICTIM));
    c.goto(&format!("{base}/bullying/{id}/access")).await?;
    let log = text_of(&c, "#access").await?;
    assert!(
        log.contains(OFFICER),
        "the officer's openings logged: {log}"
    );
    log_out(&c).await?;
    Ok(())
}
