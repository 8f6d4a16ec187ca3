//! The county's webhook (CONTRACT "Notifications"): the admin sets an address, each notice is
//! POSTed there once as JSON from a durable queue, retried with backoff, never in a request;
//! and the daily deadline reminder, sent once a day by housekeeping.

use std::collections::BTreeSet;

use chrono::Duration;
use reqwest::StatusCode;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::time;
use xiaoan::housekeeping::run_once;
use xiaoan::store::notifications::outbox;
use xiaoan::webhook::{Delivery, deliver_due};

use crate::helpers::*;
use crate::notification_helpers::*;

/// Signs the admin in and sets the webhook address; the settings form's other fields stay.
async fn set_webhook(app: &TestApp, url: &str) -> reqwest::Response {
    let admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    admin.post("/settings", &[("webhook_url", url)]).await
}

async fn deliver(app: &TestApp, now: chrono::NaiveDateTime) -> Delivery {
    deliver_due(&app.pool, &app.config, now)
        .await
        .expect("a delivery round")
}

fn run_housekeeping(app: &TestApp) -> xiaoan::housekeeping::Round {
    run_once(&app.pool, &app.config).expect("a housekeeping round")
}

#[tokio::test]
async fn each_notice_is_posted_once_with_the_contract_keys() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let receiver = Receiver::start(&[]);
    assert_eq!(
        set_webhook(&app, &receiver.url).await.status(),
        StatusCode::SEE_OTHER
    );
    let id = app.rectifying(school);
    assert_eq!(receiver.count(), 0, "nothing is sent while the steps run");
    let done = deliver(&app, time::now()).await;
    assert_eq!(
        done,
        Delivery {
            delivered: 2,
            ..Delivery::default()
        }
    );
    let bodies = receiver.bodies();
    assert_eq!(bodies.len(), 2, "one POST per notice, not per officer told");
    let ref_no = xiaoan::store::hazards::get(&mut app.conn(), id)
        .expect("hazard")
        .hazard
        .ref_no;
    let keys: BTreeSet<&str> = ["event", "record", "school", "title", "url", "at"].into();
    let mut events = Vec::new();
    for b in &bodies {
        let got: BTreeSet<&str> = b
            .as_object()
            .expect("an object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(got, keys, "exactly the contract's keys");
        assert_eq!(b["record"], ref_no.as_str());
        assert_eq!(b["school"], SCHOOL);
        assert_eq!(b["title"], "灭火器过期");
        assert_eq!(b["url"], format!("/hazards/{id}"));
        let at = b["at"].as_str().expect("at");
        assert!(chrono::DateTime::parse_from_rfc3339(at).is_ok(), "{at}");
        events.push(b["event"].as_str().unwrap_or_default().to_string());
    }
    events.sort();
    assert_eq!(events, ["hazard.assigned", "hazard.reported"]);
    // Delivered rows are done: a later round sends nothing again.
    assert_eq!(
        deliver(&app, time::now() + Duration::days(1)).await,
        Delivery::default()
    );
    assert_eq!(receiver.count(), 2);
}

#[tokio::test]
async fn a_failed_delivery_is_tried_again_later() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let receiver = Receiver::start(&[500]);
    set_webhook(&app, &receiver.url).await;
    app.report_hazard(TEACHER, school, "general");
    let now = time::now();
    let first = deliver(&app, now).await;
    assert_eq!(first.retrying, 1);
    assert_eq!(receiver.count(), 1);
    let row = &outbox::all(&mut app.conn()).expect("rows")[0];
    assert_eq!(row.attempts, 1);
    assert_eq!(row.last_error.as_deref(), Some("HTTP 500"));
    assert!(row.delivered_at.is_none());
    assert_eq!(
        deliver(&app, now + Duration::seconds(30)).await,
        Delivery::default(),
        "not before its minute is up"
    );
    assert_eq!(receiver.count(), 1);
    let later = deliver(&app, now + Duration::seconds(61)).await;
    assert_eq!(later.delivered, 1);
    assert_eq!(receiver.count(), 2, "the same notice, once more");
    assert_eq!(receiver.bodies()[0], receiver.bodies()[1]);
    let row = &outbox::all(&mut app.conn()).expect("rows")[0];
    assert_eq!(row.attempts, 2);
    assert!(row.delivered_at.is_some() && row.next_attempt_at.is_none());
    assert!(row.last_error.is_none());
}

#[tokio::test]
async fn a_delivery_is_given_up_after_its_last_try() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let receiver = Receiver::start(&[500; 10]);
    set_webhook(&app, &receiver.url).await;
    app.report_hazard(TEACHER, school, "general");
    let mut now = time::now();
    let mut gave_up = 0;
    for _ in 0..8 {
        gave_up += deliver(&app, now).await.gave_up;
        now += Duration::hours(13);
    }
    assert_eq!(gave_up, 1);
    assert_eq!(receiver.count(), 6, "the first try and five more");
    let row = &outbox::all(&mut app.conn()).expect("rows")[0];
    assert!(row.next_attempt_at.is_none() && row.delivered_at.is_none());
    assert_eq!(row.attempts, 6);
}

#[tokio::test]
async fn a_receiver_that_is_down_never_fails_a_step() {
    let app =
        TestApp::spawn_with(|c| c.webhook_timeout = std::time::Duration::from_millis(300)).await;
    let school = county(&app);
    // Nothing listens here: the report still succeeds, the delivery fails later.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!("http://{}/hook", closed.local_addr().expect("addr"));
    drop(closed);
    set_webhook(&app, &url).await;
    app.report_hazard(TEACHER, school, "general");
    assert_eq!(app.told(ADMIN1), once("reported"));
    let done = deliver(&app, time::now()).await;
    assert_eq!(done.retrying, 1);
    let row = &outbox::all(&mut app.conn()).expect("rows")[0];
    let error = row.last_error.clone().unwrap_or_default();
    assert!(!error.is_empty() && !error.contains("/hook"), "{error}");
}

#[tokio::test]
async fn the_courier_sends_by_itself_when_serving() {
    let app =
        TestApp::spawn_with(|c| c.webhook_every = std::time::Duration::from_millis(100)).await;
    let school = county(&app);
    let receiver = Receiver::start(&[]);
    set_webhook(&app, &receiver.url).await;
    xiaoan::webhook::spawn(app.pool.clone(), app.config.clone());
    app.report_hazard(TEACHER, school, "general");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while receiver.count() == 0 {
        assert!(std::time::Instant::now() < deadline, "the courier sent it");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(receiver.bodies()[0]["event"], "hazard.reported");
}

#[tokio::test]
async fn an_empty_address_turns_the_webhook_off() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let receiver = Receiver::start(&[]);
    set_webhook(&app, &receiver.url).await;
    app.report_hazard(TEACHER, school, "general");
    assert_eq!(app.count("webhook_outbox"), 1);
    assert_eq!(set_webhook(&app, "").await.status(), StatusCode::SEE_OTHER);
    app.report_hazard(TEACHER, school, "general");
    assert_eq!(app.count("webhook_outbox"), 1, "nothing more is queued");
    assert_eq!(app.told(ADMIN1).len(), 2, "the app still tells");
}

#[tokio::test]
async fn the_webhook_address_is_the_admins_to_set_and_is_checked() {
    let app = TestApp::spawn().await;
    county(&app);
    let bureau = app.browser();
    bureau.login(BUREAU, PASSWORD).await;
    let res = bureau
        .post("/settings", &[("webhook_url", "http://10.0.0.9/hook")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let admin = app.browser();
    admin.login(ADMIN, PASSWORD).await;
    for bad in [
        "ftp://10.0.0.9/hook",
        "qyapi.weixin.qq.com/send",
        "javascript:alert(1)",
    ] {
        let res = admin.post("/settings", &[("webhook_url", bad)]).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        let page = res.text().await.unwrap_or_default();
        assert!(
            page.contains("请填写以 http:// 或 https:// 开头的完整网址"),
            "{bad}"
        );
    }
    let long = format!("https://example.org/{}", "a".repeat(500));
    let res = admin.post("/settings", &[("webhook_url", &long)]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap_or_default().contains("500"));
    assert_eq!(
        app.count("settings WHERE key = 'notifications.webhook_url'"),
        0
    );

    let url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=very-secret";
    let res = admin.post("/settings", &[("webhook_url", url)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = admin.text("/settings").await;
    assert!(page.contains("name=\"webhook_url\"") && page.contains("key=very-secret"));
    assert_eq!(
        app.count("events WHERE record_kind = 'setting' AND changes LIKE '%very-secret%'"),
        0,
        "the trail keeps the address without its key"
    );
    // Saving the other settings leaves the address as it is.
    let res = admin.post("/settings", &[("county_name", "辰溪县")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(admin.text("/settings").await.contains("key=very-secret"));
}

#[tokio::test]
async fn the_daily_check_reminds_the_school_of_deadlines_once_a_day() {
    let app = TestApp::spawn_with(|c| c.clock = time::Clock::manual(time::now())).await;
    let school = county(&app);
    let receiver = Receiver::start(&[]);
    set_webhook(&app, &receiver.url).await;
    let today = app.config.clock.today();
    let due = app.rectifying(school);
    let overdue = app.rectifying(school);
    let far = app.rectifying(school);
    let reviewed = app.awaiting_acceptance(school);
    let set = |id: i64, d: chrono::NaiveDate| {
        app.exec(&format!(
            "UPDATE hazards SET deadline = '{d}' WHERE id = {id}"
        ));
    };
    set(due, today + Duration::days(3));
    set(overdue, today - Duration::days(1));
    set(far, today + Duration::days(4));
    set(reviewed, today - Duration::days(2));
    app.forget_notifications();
    app.exec("DELETE FROM webhook_outbox");

    assert_eq!(run_housekeeping(&app).reminders_sent, 2);
    assert_eq!(run_housekeeping(&app).reminders_sent, 0, "once a day");
    let words = vec!["deadline_due".to_string(), "overdue".into()];
    assert_eq!(
        app.told_everyone(),
        vec![(ADMIN1, words.clone()), (ADMIN2, words.clone())]
    );
    deliver(&app, app.config.clock.now()).await;
    let mut events: Vec<String> = receiver
        .bodies()
        .iter()
        .map(|b| b["event"].as_str().unwrap_or_default().to_string())
        .collect();
    events.sort();
    assert_eq!(events, ["hazard.deadline_due", "hazard.overdue"]);

    // The next day they are reminded again (and the nearer one is now due in two).
    app.config
        .clock
        .set(app.config.clock.now() + Duration::days(1));
    assert_eq!(
        run_housekeeping(&app).reminders_sent,
        3,
        "the four-day one is near now"
    );
    assert_eq!(app.told(ADMIN1).len(), 5);
    // A hazard fixed and accepted is reminded of no more.
    app.act(BUREAU, reviewed, HazardAction::Accept);
    app.config
        .clock
        .set(app.config.clock.now() + Duration::days(1));
    assert_eq!(run_housekeeping(&app).reminders_sent, 3);
}

#[tokio::test]
async fn old_deliveries_are_forgotten_by_housekeeping() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let receiver = Receiver::start(&[]);
    set_webhook(&app, &receiver.url).await;
    app.report_hazard(TEACHER, school, "general");
    app.report_hazard(TEACHER, school, "general");
    deliver(&app, time::now()).await;
    app.exec("UPDATE webhook_outbox SET created_at = '2000-01-01 00:00:00' WHERE id = (SELECT MIN(id) FROM webhook_outbox)");
    app.report_hazard(TEACHER, school, "general");
    assert_eq!(run_housekeeping(&app).webhook_rows_purged, 1);
    assert_eq!(
        app.count("webhook_outbox"),
        2,
        "recent and pending rows stay"
    );
}

#[tokio::test]
async fn a_changed_address_stops_what_was_queued_for_the_old_one() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let old = Receiver::start(&[]);
    let new = Receiver::start(&[]);
    set_webhook(&app, &old.url).await;
    app.report_hazard(TEACHER, school, "general");
    // The old address held a leaked key: the admin replaces it before the courier runs.
    set_webhook(&app, &new.url).await;
    let done = deliver(
        &app,
        xiaoan::domain::time::now() + chrono::Duration::minutes(1),
    )
    .await;
    assert_eq!(done.delivered, 0, "{done:?}");
    assert_eq!(old.count(), 0, "nothing goes to the old address");
    app.report_hazard(TEACHER, school, "general");
    let done = deliver(
        &app,
        xiaoan::domain::time::now() + chrono::Duration::minutes(1),
    )
    .await;
    assert_eq!(done.delivered, 1, "the new address gets what comes after");
    assert_eq!(new.count(), 1);
}
