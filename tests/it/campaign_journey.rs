//! A campaign in a real headless Chromium with a phone-sized window: the bureau creates a
//! two-item campaign, two schools' officers mark their items done, the bureau returns one
//! item with a comment, its school sees the comment and redoes it, and the year-end summary
//! shows the campaign complete.

use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use xiaoan::domain::role::Role;

use crate::browser::phone;
use crate::building_journey::{set_date, type_into};
use crate::hazard_journey::{log_in, log_out, submit, wait_for_path};
use crate::helpers::*;

const BUREAU: &str = "zhou.anquangu";
const FIRST: (&str, &str) = ("li.yucai", "JC-01");
const SECOND: (&str, &str) = ("wu.erzhong", "JC-02");

type Res<T> = Result<T, CmdError>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn the_bureau_runs_a_campaign_two_schools_complete_it_one_item_is_returned_and_redone() {
    let app = TestApp::spawn().await;
    for (user, school) in [FIRST, SECOND] {
        app.school(school);
        app.user(user, Role::SchoolAdmin, Some(school));
    }
    app.user(BUREAU, Role::Bureau, None);
    let (_driver, _profile, c) = phone().await;
    let outcome = tokio::spawn(run(c.clone(), app.base.clone(), today().to_string())).await;
    if !matches!(outcome, Ok(Ok(_))) {
        let shot = std::env::temp_dir().join("campaign_journey-failure.png");
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
    assert_eq!(app.count("campaign_marks WHERE state = 'done'"), 4);
    assert_eq!(
        app.count("events WHERE record_kind = 'campaign_mark' AND action = 'returned'"),
        1
    );
}

/// Marks the school's first item still to do as done (today), from its row on the page.
async fn mark_next(c: &Client, code: &str) -> Res<()> {
    c.find(Locator::Css(&format!(
        "#school-{code} td.mark details > summary"
    )))
    .await?
    .click()
    .await?;
    submit(
        c,
        &format!("#school-{code} td.mark details[open] button[type=submit]"),
    )
    .await
}

async fn text_of(c: &Client, css: &str) -> Res<String> {
    c.find(Locator::Css(css)).await?.text().await
}

async fn run(c: Client, base: String, today: String) -> Res<()> {
    let base = base.as_str();

    // 1. The bureau defines the campaign; its items are the bureau's lines.
    log_in(&c, base, BUREAU).await?;
    c.goto(&format!("{base}/campaigns")).await?;
    type_into(&c, "#campaign-name", "“九个一”专项行动").await?;
    set_date(&c, "campaign-starts_on", &today).await?;
    let end = (chrono::NaiveDate::parse_from_str(&today, "%Y-%m-%d").unwrap_or_default()
        + chrono::Duration::days(30))
    .to_string();
    set_date(&c, "campaign-ends_on", &end).await?;
    type_into(&c, "#campaign-items", "召开一次专题会议\n开展一次隐患排查").await?;
    submit(&c, "form#form-campaign button[type=submit]").await?;
    let path = wait_for_path(&c, "the campaign's page", |p| p.starts_with("/campaigns/")).await?;
    let items = text_of(&c, "ol.items").await?;
    assert!(
        items.contains("召开一次专题会议") && items.contains("开展一次隐患排查"),
        "{items}"
    );
    log_out(&c).await?;

    // 2. The first school does both items, the second its first.
    for (user, code, n) in [(FIRST.0, FIRST.1, 2), (SECOND.0, SECOND.1, 1)] {
        log_in(&c, base, user).await?;
        c.goto(&format!("{base}{path}")).await?;
        for _ in 0..n {
            mark_next(&c, code).await?;
        }
        let row = text_of(&c, &format!("#school-{code}")).await?;
        assert!(row.contains(&format!("{n} / 2")), "{row}");
        log_out(&c).await?;
    }

    // 3. The bureau returns the first school's second item with a comment.
    log_in(&c, base, BUREAU).await?;
    c.goto(&format!("{base}{path}")).await?;
    assert_eq!(text_of(&c, "#completion-rate").await?, "75.0%");
    let second = format!("#school-{} td.mark:nth-of-type(2)", FIRST.1);
    c.find(Locator::Css(&format!("{second} details > summary")))
        .await?
        .click()
        .await?;
    type_into(
        &c,
        &format!("{second} textarea[name=comment]"),
        "会议记录不完整，请补充签到表",
    )
    .await?;
    submit(&c, &format!("{second} button[type=submit]")).await?;
    assert!(text_of(&c, &second).await?.contains("已退回"));
    log_out(&c).await?;

    // 4. The first school sees why and redoes it; the second finishes.
    for (user, code) in [FIRST, SECOND] {
        log_in(&c, base, user).await?;
        c.goto(&format!("{base}{path}")).await?;
        if code == FIRST.1 {
            let row = text_of(&c, &format!("#school-{code}")).await?;
            assert!(
                row.contains("会议记录不完整"),
                "the comment is shown: {row}"
            );
        }
        mark_next(&c, code).await?;
        log_out(&c).await?;
    }

    // 5. The year-end summary shows the campaign complete.
    log_in(&c, base, BUREAU).await?;
    c.goto(&format!("{base}/reports/annual")).await?;
    let table = text_of(&c, "#annual-campaigns").await?;
    assert!(
        table.contains("九个一") && table.contains("100.0%"),
        "{table}"
    );
    let draft = text_of(&c, "#draft").await?;
    assert!(draft.contains("完成率100.0%"), "{draft}");
    log_out(&c).await?;
    Ok(())
}
