//! Campaign checklists over HTTP on both databases: the bureau defines a campaign (every
//! school's officers are told), schools mark items done (with evidence), the bureau returns
//! one (its school is told) and the school redoes it, until every item is done everywhere;
//! with the refusals on the way: another role, a step the item's state does not allow, and
//! bad fields.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::hazard_helpers::png;
use crate::helpers::*;

struct County {
    app: TestApp,
    officer: Browser,
    other: Browser,
    bureau: Browser,
    viewer: Browser,
}

async fn county() -> County {
    let app = TestApp::spawn().await;
    app.school("CA-1");
    app.school("CA-2");
    let officer = app
        .logged_in("c.officer", Role::SchoolAdmin, Some("CA-1"))
        .await;
    let other = app
        .logged_in("c.other", Role::SchoolAdmin, Some("CA-2"))
        .await;
    let bureau = app.logged_in("c.bureau", Role::Bureau, None).await;
    let viewer = app.logged_in("c.viewer", Role::Viewer, None).await;
    County {
        app,
        officer,
        other,
        bureau,
        viewer,
    }
}

async fn create(b: &Browser, items: &str) -> reqwest::Response {
    b.post(
        "/campaigns",
        &[
            ("name", "“九个一”专项行动"),
            ("starts_on", &today().to_string()),
            (
                "ends_on",
                &(today() + chrono::Duration::days(30)).to_string(),
            ),
            ("items", items),
        ],
    )
    .await
}

fn campaign_id(res: &reqwest::Response) -> i64 {
    location(res)
        .trim_start_matches("/campaigns/")
        .parse()
        .unwrap_or(0)
}

fn item_ids(app: &TestApp, campaign: i64) -> Vec<i64> {
    xiaoan::store::campaigns::items(&mut app.conn(), campaign)
        .expect("items")
        .into_iter()
        .map(|i| i.id)
        .collect()
}

async fn done(b: &Browser, campaign: i64, item: i64) -> reqwest::Response {
    b.post(
        &format!("/campaigns/{campaign}/items/{item}/done"),
        &[("done_on", &today().to_string()), ("note", "已完成")],
    )
    .await
}

async fn give_back(b: &Browser, campaign: i64, item: i64, school: &str) -> reqwest::Response {
    b.post(
        &format!("/campaigns/{campaign}/items/{item}/return"),
        &[("school", school), ("comment", "记录不全，请补充")],
    )
    .await
}

fn json_campaigns(v: &serde_json::Value) -> Vec<(String, i64, i64, Option<f64>)> {
    v["campaigns"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    (
                        c["name"].as_str().unwrap_or_default().to_string(),
                        c["items"].as_i64().unwrap_or(-1),
                        c["schools"].as_i64().unwrap_or(-1),
                        c["completion_rate"].as_f64(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn a_campaign_runs_from_creation_to_full_completion_with_a_returned_item_redone() {
    let c = county().await;
    let res = create(&c.bureau, "召开一次专题会议\n开展一次隐患排查\n").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = campaign_id(&res);
    let items = item_ids(&c.app, id);
    assert_eq!(items.len(), 2, "one item per non-blank line");
    assert_eq!(
        c.app.count("notifications WHERE event = 'created'"),
        2,
        "each school's officer is told of the new campaign"
    );
    let page = c.officer.text(&format!("/campaigns/{id}")).await;
    assert!(page.contains("召开一次专题会议"), "{page}");
    assert!(
        !page.contains("CA-2"),
        "an officer sees the own school only"
    );

    // The first school does both items, the first with evidence.
    let mut form = reqwest::multipart::Form::new()
        .text("done_on", today().to_string())
        .text("note", "会议纪要已上传")
        .text("csrf_token", c.officer.csrf().await);
    form = form.part(
        "file",
        reqwest::multipart::Part::bytes(png(7, 64, 48)).file_name("minutes.png"),
    );
    let res = c
        .officer
        .client
        .post(
            c.officer
                .url(&format!("/campaigns/{id}/items/{}/done", items[0])),
        )
        .multipart(form)
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        c.app
            .count("attachments WHERE record_kind = 'campaign_mark'"),
        1
    );
    assert_eq!(
        done(&c.officer, id, items[1]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        done(&c.officer, id, items[1]).await.status(),
        StatusCode::CONFLICT,
        "an item done is not done twice"
    );
    let report: serde_json::Value = c
        .bureau
        .get(&format!(
            "/reports/monthly.json?month={}",
            &today().to_string()[..7]
        ))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        json_campaigns(&report),
        vec![("“九个一”专项行动".to_string(), 2, 2, Some(0.5))]
    );

    // The bureau returns the second item of the first school; it is undone and its school told.
    assert_eq!(
        give_back(&c.bureau, id, items[1], "CA-1").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.app.count("notifications WHERE event = 'returned'"), 1);
    let told: i64 = c.app.one(
        "SELECT COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.event = 'returned' AND u.username = 'c.officer'",
    );
    assert_eq!(told, 1, "the returned item's school is told");
    assert_eq!(
        give_back(&c.bureau, id, items[1], "CA-1").await.status(),
        StatusCode::CONFLICT,
        "a returned item is not returned again"
    );
    let page = c.officer.text(&format!("/campaigns/{id}")).await;
    assert!(
        page.contains("记录不全，请补充"),
        "the comment is shown: {page}"
    );

    // Redone (the bureau is told), and the other school does both: everything is done.
    assert_eq!(
        done(&c.officer, id, items[1]).await.status(),
        StatusCode::SEE_OTHER
    );
    let redone: i64 = c.app.one(
        "SELECT COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.event = 'redone' AND u.username = 'c.bureau'",
    );
    assert_eq!(redone, 1, "the bureau that returned it is told of the redo");
    for item in &items {
        assert_eq!(
            done(&c.other, id, *item).await.status(),
            StatusCode::SEE_OTHER
        );
    }
    let report: serde_json::Value = c
        .viewer
        .get(&format!(
            "/reports/monthly.json?month={}",
            &today().to_string()[..7]
        ))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        json_campaigns(&report),
        vec![("“九个一”专项行动".to_string(), 2, 2, Some(1.0))]
    );
    let csv = c
        .viewer
        .text(&format!("/campaigns/{id}/completion.csv"))
        .await;
    assert!(csv.starts_with('\u{feff}'), "{csv}");
    assert_eq!(
        csv.lines().count(),
        3,
        "the header and a line per school: {csv}"
    );
    assert!(
        csv.contains("召开一次专题会议") && csv.contains("2 / 2"),
        "{csv}"
    );
    let own = c
        .officer
        .text(&format!("/campaigns/{id}/completion.csv"))
        .await;
    assert_eq!(
        own.lines().count(),
        2,
        "an officer's own school only: {own}"
    );
    let list = c.viewer.text("/campaigns").await;
    assert!(list.contains("100.0%"), "{list}");
    let home = c.bureau.text("/").await;
    assert!(
        home.contains("campaign-tiles") && home.contains("100.0%"),
        "{home}"
    );
    let trail = c.app.count("events WHERE record_kind = 'campaign_mark'");
    assert_eq!(
        trail,
        2 + 1 + 1 + 2 + 1,
        "done ×2, return, redo, the other's ×2, evidence"
    );
}

#[tokio::test]
async fn only_the_bureau_defines_and_returns_and_only_an_officer_marks_done() {
    let c = county().await;
    for b in [&c.officer, &c.viewer] {
        assert_eq!(create(b, "一项").await.status(), StatusCode::FORBIDDEN);
    }
    let id = campaign_id(&create(&c.bureau, "一项").await);
    let item = item_ids(&c.app, id)[0];
    for b in [&c.bureau, &c.viewer] {
        assert_eq!(done(b, id, item).await.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(
        done(&c.officer, id, item).await.status(),
        StatusCode::SEE_OTHER
    );
    for b in [&c.officer, &c.viewer] {
        assert_eq!(
            give_back(b, id, item, "CA-1").await.status(),
            StatusCode::FORBIDDEN
        );
    }
    assert_eq!(
        give_back(&c.bureau, id, item, "CA-2").await.status(),
        StatusCode::CONFLICT,
        "the other school has not done it: nothing to return"
    );
    assert_eq!(
        give_back(&c.bureau, id, item, "NOPE").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        done(&c.officer, id, 999_999).await.status(),
        StatusCode::NOT_FOUND,
        "an item of no campaign"
    );
}

#[tokio::test]
async fn bad_campaign_fields_are_refused_and_nothing_is_written() {
    let c = county().await;
    let before = c.app.count("campaigns");
    let res = c
        .bureau
        .post(
            "/campaigns",
            &[
                ("name", ""),
                ("starts_on", "2026-05-01"),
                ("ends_on", "2026-04-01"),
                ("items", "  \n "),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap_or_default();
    assert!(page.contains("结束日期不能早于开始日期"), "{page}");
    assert_eq!(c.app.count("campaigns"), before);
    assert_eq!(c.app.count("notifications"), 0);
    let id = campaign_id(&create(&c.bureau, "一项").await);
    let item = item_ids(&c.app, id)[0];
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    let res = c
        .officer
        .post(
            &format!("/campaigns/{id}/items/{item}/done"),
            &[("done_on", &tomorrow)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(c.app.count("campaign_marks"), 0);
    let res = c
        .bureau
        .post(
            &format!("/campaigns/{id}/items/{item}/return"),
            &[("school", "CA-1"), ("comment", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
