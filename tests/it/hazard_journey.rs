//! One hazard's whole loop in a real headless Chromium with a phone-sized window, in one
//! browser session: a teacher reports it with a photo, the school's safety officer registers,
//! assigns, adds an "after" photo and submits the fix, and the bureau accepts it. Users log in
//! and out through the real forms; files go up through the real file inputs.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use fantoccini::error::CmdError;
use fantoccini::{Client, Locator};
use serde_json::Value;
use xiaoan::domain::role::Role;
use xiaoan::store::events::{self, Verdict};

use crate::browser::phone;
use crate::hazard_helpers::png;
use crate::helpers::*;

/// How long any one page may take to arrive (or an image to load).
const WAIT: Duration = Duration::from_secs(15);

const TEACHER: &str = "li.laoshi";
const OFFICER: &str = "wang.anquan";
const BUREAU: &str = "zhao.jiaoyuju";

type Res<T> = Result<T, CmdError>;

/// What the journey needs, owned, so it can run on its own task.
struct Journey {
    base: String,
    before_png: PathBuf,
    after_png: PathBuf,
    deadline: String,
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn a_hazard_goes_from_a_teachers_phone_photo_to_the_bureaus_acceptance() {
    let app = TestApp::spawn().await;
    app.school("CX-0101");
    app.user(TEACHER, Role::Staff, Some("CX-0101"));
    app.user(OFFICER, Role::SchoolAdmin, Some("CX-0101"));
    app.user(BUREAU, Role::Bureau, None);

    let files = tempfile::tempdir().expect("photo dir");
    let before_png = files.path().join("before.png");
    let after_png = files.path().join("after.png");
    std::fs::write(&before_png, png(40, 320, 240)).expect("write before.png");
    std::fs::write(&after_png, png(200, 320, 240)).expect("write after.png");
    let deadline = (today() + chrono::Duration::days(7)).to_string();

    let (_driver, _profile, c) = phone().await;
    let journey = Journey {
        base: app.base.clone(),
        before_png,
        after_png,
        deadline,
    };
    // On its own task, so a failed assertion still lets us photograph the page and close
    // the browser before the test fails.
    let outcome = tokio::spawn(run(c.clone(), journey)).await;
    if !matches!(outcome, Ok(Ok(_))) {
        let shot = std::env::temp_dir().join("hazard_journey-failure.png");
        if let Ok(png) = c.screenshot().await {
            let _ = std::fs::write(&shot, png);
            eprintln!("the page at the failure: {}", shot.display());
        }
    }
    let _ = c.close().await;
    let id = match outcome {
        Ok(Ok(id)) => id,
        Ok(Err(e)) => panic!("webdriver: {e}"),
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    };

    assert_eq!(app.hazard_state(id), "closed");
    let verdict = events::verify(&mut app.conn()).expect("verify the event chains");
    assert!(
        matches!(verdict, Verdict::Intact { .. }),
        "the event chains are intact"
    );
}

async fn run(c: Client, j: Journey) -> Res<i64> {
    let base = j.base.as_str();

    // 1. The teacher reports from a phone, with a photo.
    log_in(&c, base, TEACHER).await?;
    c.goto(&format!("{base}/hazards/new")).await?;
    c.find(Locator::Css("#report-category"))
        .await?
        .select_by_value("fire")
        .await?;
    c.find(Locator::Css("#report-title"))
        .await?
        .send_keys("实验楼灭火器过期")
        .await?;
    c.find(Locator::Css("#report-location"))
        .await?
        .send_keys("实验楼二楼走廊")
        .await?;
    c.find(Locator::Css("#report-description"))
        .await?
        .send_keys("两具灭火器压力表指针在红区，已过检验期。")
        .await?;
    c.find(Locator::Css("#report-photo"))
        .await?
        .send_keys(&absolute(&j.before_png))
        .await?;
    submit(&c, "form#form-report button[type=submit]").await?;
    let path = wait_for_path(&c, "the new hazard's page", |p| {
        p.strip_prefix("/hazards/")
            .is_some_and(|id| id.parse::<i64>().is_ok())
    })
    .await?;
    let id: i64 = path["/hazards/".len()..].parse().expect("a hazard id");
    let heading = c.find(Locator::Css("main h1")).await?.text().await?;
    assert!(
        heading.starts_with("YH-"),
        "the record shows its reference number: {heading:?}"
    );
    assert!(heading.contains("实验楼灭火器过期"), "and its title");
    assert_eq!(state_badge(&c).await?, "已上报");
    assert_eq!(
        c.find_all(Locator::Css(".photo-compare > div:nth-child(1) img"))
            .await?
            .len(),
        1,
        "one before photo"
    );
    assert!(
        c.find_all(Locator::Css(".photo-compare > div:nth-child(2) img"))
            .await?
            .is_empty(),
        "no after photo yet"
    );
    image_loads(
        &c,
        ".photo-compare > div:nth-child(1) img",
        "the before photo",
    )
    .await?;
    log_out(&c).await?;

    // 2. The school's safety officer registers, assigns, documents and submits the fix.
    log_in(&c, base, OFFICER).await?;
    let record = format!("{base}/hazards/{id}");
    c.goto(&record).await?;
    assert_eq!(state_badge(&c).await?, "已上报");
    submit(&c, &action_button("register")).await?;
    assert_eq!(state_badge(&c).await?, "已核实", "registered");

    let set = c
        .execute(
            "const d = document.getElementById('form-assign-deadline'); d.value = arguments[0]; return d.value;",
            vec![Value::String(j.deadline.clone())],
        )
        .await?;
    assert_eq!(
        set.as_str(),
        Some(j.deadline.as_str()),
        "the date input took the deadline"
    );
    c.find(Locator::Css("#form-assign-responsible_unit"))
        .await?
        .send_keys("总务处")
        .await?;
    c.find(Locator::Css("#form-assign-responsible_person"))
        .await?
        .send_keys("王强")
        .await?;
    submit(&c, &action_button("assign")).await?;
    assert_eq!(state_badge(&c).await?, "整改中", "assigned");
    let page = c.source().await?;
    assert!(page.contains(&j.deadline), "the record shows the deadline");
    assert!(
        page.contains("总务处") && page.contains("王强"),
        "and who fixes it"
    );

    c.find(Locator::Css("#form-photos-stage"))
        .await?
        .select_by_value("after")
        .await?;
    c.find(Locator::Css("#form-photos-file"))
        .await?
        .send_keys(&absolute(&j.after_png))
        .await?;
    submit(
        &c,
        &format!("form[action^='/hazards/{id}/photos'] button[type=submit]"),
    )
    .await?;
    assert_eq!(
        c.current_url().await?.path(),
        format!("/hazards/{id}"),
        "back on the record after the upload"
    );
    assert_eq!(
        c.find_all(Locator::Css(".photo-compare > div:nth-child(2) img"))
            .await?
            .len(),
        1,
        "one after photo"
    );
    image_loads(
        &c,
        ".photo-compare > div:nth-child(2) img",
        "the after photo",
    )
    .await?;

    c.find(Locator::Css("#form-submit-measures"))
        .await?
        .send_keys("更换两具灭火器，张贴检验标签。")
        .await?;
    submit(&c, &action_button("submit")).await?;
    assert_eq!(state_badge(&c).await?, "待验收", "submitted for acceptance");
    log_out(&c).await?;

    // 3. The bureau finds it in the review queue, with the after photo, and accepts it.
    log_in(&c, base, BUREAU).await?;
    c.goto(&format!("{base}/hazards/review")).await?;
    let card = format!("section.card:has(a[href='/hazards/{id}'])");
    let text = c.find(Locator::Css(&card)).await?.text().await?;
    assert!(
        text.contains("实验楼灭火器过期"),
        "the queue lists it: {text:?}"
    );
    assert!(text.contains("更换两具灭火器"), "with the measures taken");
    assert_eq!(
        c.find_all(Locator::Css(&format!("{card} .photos img")))
            .await?
            .len(),
        1,
        "and its after photo"
    );
    image_loads(
        &c,
        &format!("{card} .photos img"),
        "the after photo in the queue",
    )
    .await?;
    mark_page(&c).await?;
    c.find(Locator::Css(&format!(
        "{card} a.btn[href='/hazards/{id}#actions']"
    )))
    .await?
    .click()
    .await?;
    wait_for_new_page(&c).await?;
    wait_for_path(&c, "the record from the queue", |p| {
        p == format!("/hazards/{id}")
    })
    .await?;
    submit(&c, &action_button("accept")).await?;
    assert_eq!(state_badge(&c).await?, "已销号", "accepted and closed");
    let mut steps = Vec::new();
    for e in c.find_all(Locator::Css(".timeline .what")).await? {
        steps.push(e.text().await?);
    }
    let expected = ["上报", "核实登记", "交办整改", "提交验收", "验收销号"];
    let mut rest = steps.iter();
    for want in expected {
        assert!(
            rest.any(|s| s == want),
            "the timeline lists {expected:?} in order: {steps:?}"
        );
    }
    log_out(&c).await?;
    Ok(id)
}

pub(crate) fn absolute(p: &Path) -> String {
    std::fs::canonicalize(p)
        .expect("the photo file exists")
        .display()
        .to_string()
}

/// The submit button of the record's form for one action.
pub(crate) fn action_button(action: &str) -> String {
    format!("form:has(input[name=action][value={action}]) button[type=submit]")
}

/// The record's state, the first badge under the heading.
async fn state_badge(c: &Client) -> Res<String> {
    c.find(Locator::Css("main .page-head + p .badge"))
        .await?
        .text()
        .await
}

pub(crate) async fn log_in(c: &Client, base: &str, username: &str) -> Res<()> {
    // The county's language, whatever Chromium asks for.
    c.goto(&format!("{base}/login?lang=zh-CN")).await?;
    c.find(Locator::Css("#username"))
        .await?
        .send_keys(username)
        .await?;
    c.find(Locator::Css("#password"))
        .await?
        .send_keys(PASSWORD)
        .await?;
    submit(c, "form[action='/login'] button[type=submit]").await?;
    wait_for_path(c, &format!("the home page of {username}"), |p| p == "/").await?;
    Ok(())
}

pub(crate) async fn log_out(c: &Client) -> Res<()> {
    submit(c, "header form[action='/logout'] button[type=submit]").await?;
    wait_for_path(c, "the login page", |p| p == "/login").await?;
    Ok(())
}

/// Clicks a submit button and waits until the page it leads to has loaded. The answer may be
/// the very same URL (each step of the record redirects back to it), so the old page is
/// marked and the wait is for a document without the mark.
pub(crate) async fn submit(c: &Client, button: &str) -> Res<()> {
    mark_page(c).await?;
    c.find(Locator::Css(button)).await?.click().await?;
    wait_for_new_page(c).await
}

async fn mark_page(c: &Client) -> Res<()> {
    c.execute("document.documentElement.dataset.left = '1';", vec![])
        .await?;
    Ok(())
}

async fn wait_for_new_page(c: &Client) -> Res<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        // Mid-navigation a script may fail; that only means "not yet".
        let arrived = c
            .execute(
                "return document.readyState === 'complete' \
                 && document.documentElement.dataset.left === undefined;",
                vec![],
            )
            .await;
        if matches!(arrived, Ok(Value::Bool(true))) {
            return Ok(());
        }
        assert!(
            Instant::now() < deadline,
            "no new page arrived in {WAIT:?} (still at {})",
            c.current_url().await?
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

pub(crate) async fn wait_for_path(
    c: &Client,
    what: &str,
    want: impl Fn(&str) -> bool,
) -> Res<String> {
    let deadline = Instant::now() + WAIT;
    loop {
        let url = c.current_url().await?;
        if want(url.path()) {
            return Ok(url.path().to_string());
        }
        assert!(
            Instant::now() < deadline,
            "did not reach {what} in {WAIT:?} (at {url})"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Scrolls the (lazy) image into view and waits until it has really loaded.
async fn image_loads(c: &Client, css: &str, what: &str) -> Res<()> {
    let deadline = Instant::now() + WAIT;
    loop {
        let width = c
            .execute(
                "const img = document.querySelector(arguments[0]); \
                 if (!img) return -1; \
                 img.scrollIntoView(); \
                 return img.complete ? img.naturalWidth : 0;",
                vec![Value::String(css.to_string())],
            )
            .await?;
        let width = width.as_i64().unwrap_or(0);
        assert!(width >= 0, "{what} is on the page ({css})");
        if width > 0 {
            return Ok(());
        }
        assert!(Instant::now() < deadline, "{what} did not load in {WAIT:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
