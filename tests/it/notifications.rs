//! In-app notifications (CONTRACT "Notifications"): each step tells the people who must act
//! next, never the one who took it; the list, the header's count and marking read.

use reqwest::StatusCode;
use xiaoan::db::write_tx;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::hazards::notify::HazardNotice;
use xiaoan::domain::role::Role;
use xiaoan::store::notifications::{self, About};
use xiaoan::store::{StoreError, users};

use crate::helpers::*;
use crate::notification_helpers::*;

fn report_form(title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("source", "campus".into()),
        ("category", "electrical".into()),
        ("title", title.into()),
        ("description", "二楼走廊".into()),
        ("location", "教学楼".into()),
        ("level", "general".into()),
        ("found_on", today().to_string()),
    ]
}

async fn post_owned(b: &Browser, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post(path, &borrowed).await
}

#[tokio::test]
async fn reporting_a_hazard_tells_the_school_admins() {
    let app = TestApp::spawn().await;
    county(&app);
    let teacher = app.browser();
    teacher.login(TEACHER, PASSWORD).await;
    let res = post_owned(&teacher, "/hazards", &report_form("电线裸露")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.told_everyone(),
        vec![(ADMIN1, once("reported")), (ADMIN2, once("reported"))],
        "the school's officers, not the reporter, the bureau or another school"
    );
}

#[tokio::test]
async fn assigning_a_hazard_tells_the_school_admins() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let id = app.report_hazard(TEACHER, school, "general");
    app.act(ADMIN1, id, HazardAction::Register);
    app.forget_notifications();
    app.act(BUREAU, id, HazardAction::Assign);
    assert_eq!(
        app.told_everyone(),
        vec![(ADMIN1, once("assigned")), (ADMIN2, once("assigned"))]
    );
}

#[tokio::test]
async fn nobody_is_told_of_their_own_step() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    // An officer who reports and assigns tells only the other officer.
    let id = app.report_hazard(ADMIN1, school, "general");
    app.act(ADMIN1, id, HazardAction::Register);
    app.act(ADMIN1, id, HazardAction::Assign);
    assert_eq!(
        app.told_everyone(),
        vec![(ADMIN2, vec!["reported".to_string(), "assigned".into()])]
    );
    // A fix goes to both of the bureau's people; whoever accepts it is not told.
    app.forget_notifications();
    app.photo(ADMIN2, id, xiaoan::domain::attachments::Stage::After, 9);
    app.act(ADMIN2, id, HazardAction::Submit);
    assert_eq!(
        app.told_everyone(),
        vec![(BUREAU, once("submitted")), (BUREAU2, once("submitted"))]
    );
    app.forget_notifications();
    app.act(BUREAU, id, HazardAction::Accept);
    assert_eq!(
        app.told_everyone(),
        vec![(ADMIN1, once("accepted")), (ADMIN2, once("accepted"))],
        "the reporter is an officer here: told once"
    );
}

#[tokio::test]
async fn submitting_a_fix_tells_the_bureau() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let id = app.rectifying(school);
    app.forget_notifications();
    app.photo(ADMIN1, id, xiaoan::domain::attachments::Stage::After, 4);
    app.act(ADMIN1, id, HazardAction::Submit);
    assert_eq!(
        app.told_everyone(),
        vec![(BUREAU, once("submitted")), (BUREAU2, once("submitted"))]
    );
}

#[tokio::test]
async fn where_schools_accept_their_own_a_fix_also_tells_the_other_officers() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    xiaoan::store::settings::set(
        &mut app.conn(),
        xiaoan::domain::hazards::SETTING_SCHOOLS_ACCEPT_GENERAL,
        "true",
    )
    .expect("the county lets schools accept");
    let id = app.rectifying(school);
    app.forget_notifications();
    app.photo(ADMIN1, id, xiaoan::domain::attachments::Stage::After, 4);
    app.act(ADMIN1, id, HazardAction::Submit);
    assert_eq!(
        app.told_everyone(),
        vec![
            (ADMIN2, once("submitted")),
            (BUREAU, once("submitted")),
            (BUREAU2, once("submitted"))
        ],
        "the officer who may accept it is told; the one who submitted is not"
    );
    // And it is on that officer's today list, to accept.
    let officer = app.browser();
    officer.login(ADMIN2, PASSWORD).await;
    let home = officer.text("/").await;
    assert!(home.contains("待验收销号") && home.contains(&format!("href=\"/hazards/{id}\"")));
}

#[tokio::test]
async fn accepting_tells_the_reporter_and_the_school_admins() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let id = app.awaiting_acceptance(school);
    app.forget_notifications();
    app.act(BUREAU, id, HazardAction::Accept);
    assert_eq!(
        app.told_everyone(),
        vec![
            (TEACHER, once("accepted")),
            (ADMIN1, once("accepted")),
            (ADMIN2, once("accepted")),
        ]
    );
}

#[tokio::test]
async fn returning_a_fix_tells_the_school_admins() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let id = app.awaiting_acceptance(school);
    app.forget_notifications();
    app.act(BUREAU, id, HazardAction::Return);
    assert_eq!(
        app.told_everyone(),
        vec![(ADMIN1, once("returned")), (ADMIN2, once("returned"))]
    );
}

#[tokio::test]
async fn reopening_a_closed_hazard_tells_the_school_admins() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let id = app.awaiting_acceptance(school);
    app.act(BUREAU, id, HazardAction::Accept);
    app.forget_notifications();
    app.act(BUREAU2, id, HazardAction::Reopen);
    assert_eq!(
        app.told_everyone(),
        vec![(ADMIN1, once("reopened")), (ADMIN2, once("reopened"))]
    );
}

#[tokio::test]
async fn supervising_a_hazard_tells_the_school_admins() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let id = app.report_hazard(TEACHER, school, "major");
    app.forget_notifications();
    let bureau = app.browser();
    bureau.login(BUREAU, PASSWORD).await;
    let deadline = (today() + chrono::Duration::days(20)).to_string();
    let fields = vec![
        ("on", "1".to_string()),
        ("measures", "设置隔离".into()),
        ("responsible_person", "王强".into()),
        ("funding", "5 万元".into()),
        ("deadline", deadline),
        ("contingency_plan", "封闭区域".into()),
    ];
    let res = post_owned(&bureau, &format!("/hazards/{id}/supervise"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.told_everyone(),
        vec![(ADMIN1, once("supervised")), (ADMIN2, once("supervised"))]
    );
    // Lifting supervision needs nobody's action.
    app.forget_notifications();
    let path = format!("/hazards/{id}/supervise");
    let res = post_owned(&bureau, &path, &[("on", "0".into())]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(app.told_everyone().is_empty());
}

#[tokio::test]
async fn a_deactivated_user_is_not_told() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let admin2 = users::find_by_username(&mut app.conn(), ADMIN2)
        .expect("query")
        .expect("user");
    users::set_active(
        &mut app.conn(),
        &xiaoan::store::Actor::cli(),
        admin2.id,
        false,
    )
    .expect("deactivate");
    app.report_hazard(TEACHER, school, "general");
    assert_eq!(app.told_everyone(), vec![(ADMIN1, once("reported"))]);
}

#[tokio::test]
async fn a_refused_step_tells_nobody() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let id = app.report_hazard(TEACHER, school, "general");
    app.act(ADMIN1, id, HazardAction::Register);
    app.forget_notifications();
    let bureau = app.browser();
    bureau.login(BUREAU, PASSWORD).await;
    let mut assign = vec![("action", "assign".to_string()), ("version", "1".into())];
    assign.extend(crate::hazard_helpers::fields_for(HazardAction::Assign));
    let res = post_owned(&bureau, &format!("/hazards/{id}/transition"), &assign).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "a stale form");
    let teacher = app.browser();
    teacher.login(TEACHER, PASSWORD).await;
    assign[1].1 = "2".into();
    let res = post_owned(&teacher, &format!("/hazards/{id}/transition"), &assign).await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "not the teacher's step"
    );
    assert!(app.told_everyone().is_empty());
}

#[tokio::test]
async fn a_step_that_rolls_back_tells_nobody() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let by = app.by_name(BUREAU);
    let about = About {
        kind: xiaoan::domain::hazards::KIND,
        record_id: 1,
        school_id: Some(school),
        reference: "YH-2026-9999",
        title: "回滚",
        path: "/hazards/1".into(),
    };
    let result: Result<(), StoreError> = write_tx(&mut app.conn(), |conn| {
        let told =
            notifications::notify(conn, &by, &about, &HazardNotice::Assigned.notice(1, false))?;
        assert_eq!(told, 2, "told inside the transaction");
        Err(StoreError::NotFound)
    });
    assert!(result.is_err());
    assert_eq!(app.count("notifications"), 0);
}

#[tokio::test]
async fn the_header_of_every_page_shows_the_unread_count() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    app.rectifying(school);
    let officer = app.browser();
    officer.login(ADMIN2, PASSWORD).await;
    for path in ["/", "/hazards", "/notifications", "/account/password"] {
        let page = officer.text(path).await;
        assert!(page.contains("data-unread=\"2\""), "{path}");
        assert!(
            page.contains("class=\"notif-count\">2<"),
            "{path} shows the number"
        );
    }
    let teacher = app.browser();
    teacher.login(TEACHER, PASSWORD).await;
    let page = teacher.text("/").await;
    assert!(page.contains("data-unread=\"0\"") && !page.contains("notif-count"));
}

#[tokio::test]
async fn the_list_is_newest_first_with_the_unread_marked() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let id = app.rectifying(school);
    let officer = app.browser();
    officer.login(ADMIN2, PASSWORD).await;
    let page = officer.text("/notifications").await;
    let assigned = page.find("隐患已交办").expect("the assignment");
    let reported = page.find("新报告了一条隐患").expect("the report");
    assert!(assigned < reported, "newest first");
    assert_eq!(page.matches("class=\"notice notice-unread\"").count(), 2);
    assert!(page.contains(&format!("href=\"/hazards/{id}\"")));
    assert!(page.contains("YH-") && page.contains("灭火器过期"));
    assert!(page.contains("NT-1 学校"), "the school is named");
    let en = officer.text("/notifications?lang=en").await;
    assert!(en.contains("A hazard was assigned"));
}

#[tokio::test]
async fn marking_one_read_leaves_the_others_and_can_open_the_record() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    let id = app.rectifying(school);
    let officer = app.browser();
    officer.login(ADMIN2, PASSWORD).await;
    let ids = own_ids(&app, ADMIN2);
    let first = ids[0].to_string();
    let res = officer.post("/notifications/read", &[("id", &first)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/notifications");
    assert!(officer.text("/").await.contains("data-unread=\"1\""));
    let second = ids[1].to_string();
    let res = officer
        .post("/notifications/read", &[("id", &second), ("open", "1")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), format!("/hazards/{id}"), "on to the record");
    assert!(officer.text("/").await.contains("data-unread=\"0\""));
    let again = officer.post("/notifications/read", &[("id", &first)]).await;
    assert_eq!(
        again.status(),
        StatusCode::SEE_OTHER,
        "read again is harmless"
    );
}

#[tokio::test]
async fn marking_all_read_clears_the_count() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    app.rectifying(school);
    let officer = app.browser();
    officer.login(ADMIN1, PASSWORD).await;
    assert!(officer.text("/").await.contains("data-unread=\"2\""));
    let res = officer.post("/notifications/read", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/notifications");
    let page = officer.text("/notifications").await;
    assert!(page.contains("data-unread=\"0\""));
    assert!(!page.contains("notice-unread"));
    assert!(page.contains("已全部标为已读"));
    // The other officer's stay unread.
    assert_eq!(unread(&app, ADMIN2), 2);
}

#[tokio::test]
async fn another_users_notification_cannot_be_marked_read() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    app.rectifying(school);
    let theirs = own_ids(&app, ADMIN2)[0].to_string();
    let officer = app.browser();
    officer.login(ADMIN1, PASSWORD).await;
    let res = officer
        .post("/notifications/read", &[("id", &theirs)])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    for bad in ["999999", "not-a-number"] {
        let res = officer.post("/notifications/read", &[("id", bad)]).await;
        assert_eq!(res.status(), StatusCode::NOT_FOUND, "{bad}");
    }
    assert_eq!(unread(&app, ADMIN2), 2, "theirs stay unread");
    assert_eq!(unread(&app, ADMIN1), 2, "and so do one's own");
}

#[tokio::test]
async fn everyone_has_a_list_and_nobody_else_sees_it() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    app.rectifying(school);
    for (user, role) in [
        (ADMIN, Role::Admin),
        (BUREAU, Role::Bureau),
        (TEACHER, Role::Staff),
    ] {
        let b = app.browser();
        b.login(user, PASSWORD).await;
        let res = b.get("/notifications").await;
        assert_eq!(res.status(), StatusCode::OK, "{role}");
        let page = res.text().await.unwrap_or_default();
        assert!(
            !page.contains("隐患已交办"),
            "{role} sees no officer's notices"
        );
    }
    let page = app.browser().get("/notifications").await;
    assert_eq!(location(&page), "/login");
}

#[tokio::test]
async fn a_long_list_comes_a_page_at_a_time() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    for _ in 0..21 {
        app.report_hazard(TEACHER, school, "general");
    }
    let officer = app.browser();
    officer.login(ADMIN1, PASSWORD).await;
    let first = officer.text("/notifications").await;
    assert_eq!(first.matches("class=\"notice ").count(), 20);
    assert!(first.contains("href=\"/notifications?page=2\""));
    let second = officer.text("/notifications?page=2").await;
    assert_eq!(second.matches("class=\"notice ").count(), 1);
    let past = officer.text("/notifications?page=5").await;
    assert!(past.contains("没有第 5 页"));
}

fn own_ids(app: &TestApp, username: &str) -> Vec<i64> {
    let user = users::find_by_username(&mut app.conn(), username)
        .expect("query")
        .expect("user");
    notifications::page(&mut app.conn(), user.id, 1)
        .expect("page")
        .0
        .into_iter()
        .map(|(n, _)| n.id)
        .collect()
}

fn unread(app: &TestApp, username: &str) -> i64 {
    let user = users::find_by_username(&mut app.conn(), username)
        .expect("query")
        .expect("user");
    notifications::unread_count(&mut app.conn(), user.id).expect("count")
}

#[tokio::test]
#[ignore = "needs chromium and chromium-driver; .ci/run runs it"]
async fn on_a_phone_the_count_sits_in_the_one_line_header_and_notices_are_cards() {
    let app = TestApp::spawn().await;
    let school = county(&app);
    for _ in 0..3 {
        app.rectifying(school);
    }
    let (_driver, _profile, c) = crate::browser::phone().await;
    let base = app.base.clone();
    let result = async {
        crate::hazard_journey::log_in(&c, &base, ADMIN2).await?;
        c.goto(&format!("{base}/notifications")).await?;
        let layout = c
            .execute(
                r#"
                const vw = document.documentElement.clientWidth;
                const top = el => document.querySelector(el).getBoundingClientRect();
                const rows = new Set(['.brand', '.userbox', '.lang-switch'].map(s => Math.round(top(s).top / 10)));
                const count = document.querySelector('.notif-count');
                const cards = [...document.querySelectorAll('.notice')];
                const wide = cards.filter(n => n.getBoundingClientRect().right > vw + 1).length;
                return { header_rows: rows.size, count: count && count.textContent,
                         count_shown: !!count && count.getBoundingClientRect().width > 0,
                         cards: cards.length, wide, scroll: document.documentElement.scrollWidth <= vw };
                "#,
                vec![],
            )
            .await?;
        let shot = c.screenshot().await?;
        let _ = std::fs::write(std::env::temp_dir().join("xiaoan-phone-notifications.png"), shot);
        Ok::<_, fantoccini::error::CmdError>(layout)
    }
    .await;
    let _ = c.close().await;
    let layout = result.expect("browser");
    assert_eq!(layout["header_rows"], 1, "{layout}");
    assert_eq!(
        layout["count"], "6 条未读",
        "the number, and words for a screen reader: {layout}"
    );
    assert_eq!(layout["count_shown"], true, "{layout}");
    assert_eq!(layout["cards"], 6, "{layout}");
    assert_eq!(layout["wide"], 0, "no card runs off the screen: {layout}");
    assert_eq!(layout["scroll"], true, "no sideways scrolling: {layout}");
}
