//! A dangerous building's consequences over HTTP: a D grade closes it and raises its supervised
//! hazard in one transaction, the disposal runs to the bureau's acceptance (which closes the
//! hazard), illegal moves change nothing, and a C grade restricts use.

use reqwest::StatusCode;
use xiaoan::domain::buildings::BuildingAction;
use xiaoan::store::buildings as store;

use crate::building_helpers::{appraisal_form, five_items};
use crate::buildings::{County, post_owned};
use crate::hazard_helpers::png;
use crate::helpers::*;

async fn appraise(b: &Browser, id: i64, grade: &str) -> reqwest::Response {
    post_owned(
        b,
        &format!("/buildings/{id}/appraisals"),
        &appraisal_form(grade, today()),
    )
    .await
}

async fn step(b: &Browser, id: i64, action: &str, extra: &[(&str, &str)]) -> StatusCode {
    let mut fields = vec![("action", action)];
    fields.extend_from_slice(extra);
    b.post(&format!("/buildings/{id}/transition"), &fields)
        .await
        .status()
}

async fn after_photo(b: &Browser, id: i64) -> StatusCode {
    let token = b.csrf().await;
    let form = reqwest::multipart::Form::new().text("stage", "after").part(
        "file",
        reqwest::multipart::Part::bytes(png(5, 60, 40)).file_name("p.png"),
    );
    b.client
        .post(b.url(&format!("/buildings/{id}/photos?csrf_token={token}")))
        .multipart(form)
        .send()
        .await
        .map(|r| r.status())
        .unwrap_or(StatusCode::IM_A_TEAPOT)
}

fn plan(deadline: &str) -> Vec<(&'static str, String)> {
    vec![
        ("action", "plan".into()),
        ("method", "demolish".into()),
        ("deadline", deadline.into()),
        ("funding", "县财政 80 万元".into()),
    ]
}

/// The one hazard linked to a building: (id, level, category, supervised, state).
fn linked(app: &TestApp, building: i64) -> (i64, String, String, bool, String) {
    let mut hs =
        xiaoan::store::hazards::building::of_building(&mut app.conn(), building).expect("hazards");
    assert_eq!(hs.len(), 1, "exactly one hazard for the building");
    let h = hs.remove(0);
    (
        h.id,
        h.level.as_str().into(),
        h.category.as_str().into(),
        h.supervised,
        h.state.as_str().into(),
    )
}

#[tokio::test]
async fn a_d_grade_closes_the_building_and_raises_one_supervised_major_hazard_linked_to_it() {
    let c = County::new().await;
    c.app
        .user("b.bureau2", xiaoan::domain::role::Role::Bureau, None);
    let id = c.building("老宿舍楼").await;
    let res = appraise(&c.officer, id, "D").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(c.app.building_status(id), "closed");
    let (hazard, level, category, supervised, state) = linked(&c.app, id);
    assert_eq!(
        (level.as_str(), category.as_str(), supervised),
        ("major", "building", true)
    );
    assert_eq!(
        state, "rectifying",
        "being dealt with under supervision from the start"
    );
    let row = xiaoan::store::hazards::get(&mut c.app.conn(), hazard)
        .expect("hazard")
        .hazard;
    let items = five_items();
    assert_eq!(row.building_id, Some(id));
    assert_eq!(row.measures.as_deref(), Some(items[0].1.as_str()));
    assert_eq!(row.responsible_person.as_deref(), Some("王强"));
    assert_eq!(
        row.deadline.map(|d| d.to_string()),
        Some(items[3].1.clone())
    );
    assert_eq!(row.contingency_plan.as_deref(), Some("学生转入2号楼上课"));
    assert!(row.title.contains("老宿舍楼") && row.title.contains("D级"));
    // Both pages point at each other.
    let b_page = c.officer.text(&format!("/buildings/{id}")).await;
    assert!(b_page.contains(&format!("/hazards/{hazard}")) && b_page.contains("整幢危房"));
    let h_page = c.bureau.text(&format!("/hazards/{hazard}")).await;
    assert!(
        h_page.contains(&format!("/buildings/{id}")),
        "the hazard shows its building"
    );
    // The bureau is told; whoever recorded it is not.
    assert_eq!(c.app.told("b.bureau"), ["graded_d"]);
    assert_eq!(c.app.told("b.bureau2"), ["graded_d"]);
    assert!(c.app.told("b.officer").is_empty());
    // Its fix is the building's disposal: the loop's own submit is not offered, and refused.
    let officers_view = c.officer.text(&format!("/hazards/{hazard}")).await;
    assert!(
        officers_view.contains("校舍处置经教育局验收后") && !officers_view.contains("form-submit")
    );
    let res = c
        .officer
        .post(
            &format!("/hazards/{hazard}/transition"),
            &[("action", "submit"), ("measures", "x")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // And it stays under supervision.
    let res = c
        .bureau
        .post(&format!("/hazards/{hazard}/supervise"), &[("on", "0")])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        xiaoan::store::hazards::get(&mut c.app.conn(), hazard)
            .expect("hazard")
            .hazard
            .supervised
    );
    // Nothing else to appraise while it is closed.
    assert_eq!(
        appraise(&c.officer, id, "A").await.status(),
        StatusCode::CONFLICT
    );
}

#[tokio::test]
async fn a_d_grade_without_the_five_items_is_refused_and_changes_nothing() {
    let c = County::new().await;
    let id = c.building("老宿舍楼").await;
    let mut form = appraisal_form("D", today());
    form.retain(|(k, _)| !["funding", "contingency_plan"].contains(k));
    let res = post_owned(&c.officer, &format!("/buildings/{id}/appraisals"), &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap_or_default();
    assert!(
        page.contains("资金") && page.contains("应急预案"),
        "the missing items are named"
    );
    assert!(page.contains("立即停止使用"), "what was typed is kept");
    assert_eq!(c.app.building_status(id), "in_use");
    assert_eq!((c.app.count("appraisals"), c.app.count("hazards")), (0, 0));
}

#[tokio::test]
async fn a_failure_in_the_hazard_write_leaves_neither_the_appraisal_nor_the_hazard() {
    let c = County::new().await;
    let id = c.building("老宿舍楼").await;
    // The hazard insert fails inside the appraisal's transaction.
    if c.app.is_postgres() {
        c.app.exec(
            "CREATE FUNCTION refuse_hazard() RETURNS trigger AS $$ BEGIN \
             RAISE EXCEPTION 'test: no hazards today'; END $$ LANGUAGE plpgsql",
        );
        c.app.exec(
            "CREATE TRIGGER no_hazards BEFORE INSERT ON hazards \
             FOR EACH ROW EXECUTE FUNCTION refuse_hazard()",
        );
    } else {
        c.app.exec(
            "CREATE TRIGGER no_hazards BEFORE INSERT ON hazards \
             BEGIN SELECT RAISE(ABORT, 'test: no hazards today'); END",
        );
    }
    let events = c.app.count("events");
    let res = appraise(&c.officer, id, "D").await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        c.app.building_status(id),
        "in_use",
        "the building is not closed"
    );
    assert_eq!(c.app.count("appraisals"), 0, "the appraisal is not kept");
    assert_eq!(c.app.count("hazards"), 0);
    assert_eq!(c.app.count("events"), events, "no event of either");
    assert_eq!(
        c.app.count("notifications"),
        0,
        "nobody told of what did not happen"
    );
    c.app.exec(if c.app.is_postgres() {
        "DROP TRIGGER no_hazards ON hazards"
    } else {
        "DROP TRIGGER no_hazards"
    });
    assert_eq!(
        appraise(&c.officer, id, "D").await.status(),
        StatusCode::SEE_OTHER,
        "and works once it can"
    );
    assert_eq!(c.app.count("hazards"), 1);
}

#[tokio::test]
async fn a_failure_in_the_last_write_takes_the_hazard_back_with_it() {
    let c = County::new().await;
    let id = c.building("老宿舍楼").await;
    // The building's own update, after the appraisal and the hazard are written, fails.
    if c.app.is_postgres() {
        c.app.exec(
            "CREATE FUNCTION refuse_update() RETURNS trigger AS $$ BEGIN \
             RAISE EXCEPTION 'test: the building stays'; END $$ LANGUAGE plpgsql",
        );
        c.app.exec(
            "CREATE TRIGGER keep_building BEFORE UPDATE OF status ON buildings \
             FOR EACH ROW EXECUTE FUNCTION refuse_update()",
        );
    } else {
        c.app.exec(
            "CREATE TRIGGER keep_building BEFORE UPDATE OF status ON buildings \
             BEGIN SELECT RAISE(ABORT, 'test: the building stays'); END",
        );
    }
    let events = c.app.count("events");
    let res = appraise(&c.officer, id, "D").await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(c.app.building_status(id), "in_use");
    assert_eq!(
        (c.app.count("appraisals"), c.app.count("hazards")),
        (0, 0),
        "the hazard went back too"
    );
    assert_eq!(c.app.count("events"), events);
    assert_eq!(c.app.count("notifications"), 0);
}

#[tokio::test]
async fn a_c_building_under_reinforcement_found_d_closes_and_raises_its_hazard() {
    let c = County::new().await;
    let id = c.building("食堂").await;
    appraise(&c.officer, id, "C").await;
    c.app
        .building_step("b.officer", id, BuildingAction::Plan, "reinforce");
    assert_eq!(
        appraise(&c.officer, id, "B").await.status(),
        StatusCode::CONFLICT,
        "the plan runs first"
    );
    assert_eq!(
        appraise(&c.officer, id, "D").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.app.building_status(id), "closed");
    assert_eq!(c.app.count("hazards"), 1);
    // Its old plan is gone: the D needs its own.
    let page = c.officer.text(&format!("/buildings/{id}")).await;
    assert!(page.contains("form-plan") && page.contains("待定处置方案"));
}

#[tokio::test]
async fn a_reinforced_building_needs_new_evidence_for_each_disposal() {
    let c = County::new().await;
    let id = c.building("老教学楼").await;
    c.app
        .appraise_building("b.officer", id, "D", today() - chrono::Duration::days(10));
    c.app
        .building_step("b.officer", id, BuildingAction::Plan, "reinforce");
    c.app
        .building_step("b.officer", id, BuildingAction::ReportDone, "");
    c.app
        .building_step("b.bureau", id, BuildingAction::Accept, "");
    // An appraisal dated before the reinforcement was accepted cannot return it to use.
    let before = today() - chrono::Duration::days(5);
    let res = post_owned(
        &c.officer,
        &format!("/buildings/{id}/appraisals"),
        &appraisal_form("A", before),
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap_or_default()
            .contains("不能早于加固验收日期")
    );
    // Found D again: the first run's "after" photo does not count for the second.
    assert_eq!(
        appraise(&c.officer, id, "D").await.status(),
        StatusCode::SEE_OTHER
    );
    let deadline = (today() + chrono::Duration::days(30)).to_string();
    post_owned(
        &c.officer,
        &format!("/buildings/{id}/transition"),
        &plan(&deadline),
    )
    .await;
    assert_eq!(
        step(&c.officer, id, "report_done", &[("measures", "已拆除")]).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(after_photo(&c.officer, id).await, StatusCode::SEE_OTHER);
    assert_eq!(
        step(&c.officer, id, "report_done", &[("measures", "已拆除")]).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_disposal_runs_to_the_bureaus_acceptance_which_closes_the_hazard() {
    let c = County::new().await;
    let id = c.building("老宿舍楼").await;
    appraise(&c.officer, id, "D").await;
    let (hazard, ..) = linked(&c.app, id);
    let deadline = (today() + chrono::Duration::days(60)).to_string();
    assert_eq!(
        post_owned(
            &c.officer,
            &format!("/buildings/{id}/transition"),
            &plan(&deadline)
        )
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.app.building_status(id), "disposal_planned");
    // Done needs an "after" photo first.
    assert_eq!(
        step(&c.officer, id, "report_done", &[("measures", "已拆除")]).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(c.app.building_status(id), "disposal_planned");
    assert_eq!(after_photo(&c.officer, id).await, StatusCode::SEE_OTHER);
    c.app.forget_notifications();
    assert_eq!(
        step(
            &c.officer,
            id,
            "report_done",
            &[("measures", "已整体拆除并清运")]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.app.building_status(id), "awaiting_acceptance");
    assert_eq!(c.app.told("b.bureau"), ["done"]);
    // Only the bureau accepts.
    assert_eq!(
        step(&c.officer, id, "accept", &[]).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        step(&c.bureau, id, "accept", &[]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.app.building_status(id), "demolished");
    assert_eq!(
        c.app.hazard_state(hazard),
        "closed",
        "the linked hazard is closed with it"
    );
    assert!(c.app.told("b.officer").contains(&"accepted".to_string()));
    // Every step on the timeline, by name.
    let page = c.officer.text(&format!("/buildings/{id}")).await;
    for word in [
        "登记校舍",
        "录入鉴定",
        "制定处置方案",
        "报告处置完成",
        "验收通过",
        "已拆除",
    ] {
        assert!(page.contains(word), "{word} on the timeline");
    }
    let trail = c.app.one(&format!(
        "SELECT COUNT(*) AS n FROM events WHERE record_kind = 'building' AND record_id = {id} \
         AND action IN ('appraise', 'plan', 'report_done', 'accept') AND to_state IS NOT NULL"
    ));
    assert_eq!(trail, 4);
    // Nothing moves a demolished building.
    assert_eq!(
        appraise(&c.officer, id, "A").await.status(),
        StatusCode::CONFLICT
    );
    assert_eq!(after_photo(&c.officer, id).await, StatusCode::CONFLICT);
}

#[tokio::test]
async fn whoever_reported_the_disposal_done_does_not_accept_it_and_a_return_sends_it_back() {
    let c = County::new().await;
    let second = c
        .app
        .logged_in("b.bureau2", xiaoan::domain::role::Role::Bureau, None)
        .await;
    let id = c.building("老宿舍楼").await;
    appraise(&c.bureau, id, "D").await;
    c.app
        .building_step("b.bureau", id, BuildingAction::Plan, "demolish");
    c.app
        .building_step("b.bureau", id, BuildingAction::ReportDone, "");
    let res = c
        .bureau
        .post(
            &format!("/buildings/{id}/transition"),
            &[("action", "accept")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(c.app.building_status(id), "awaiting_acceptance");
    assert_eq!(
        step(&second, id, "return", &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a return says why"
    );
    c.app.forget_notifications();
    assert_eq!(
        step(&second, id, "return", &[("comment", "照片不清楚")]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.app.building_status(id), "disposal_planned");
    assert_eq!(c.app.told("b.officer"), ["returned"]);
    c.app
        .building_step("b.officer", id, BuildingAction::ReportDone, "");
    assert_eq!(
        step(&c.bureau, id, "accept", &[]).await,
        StatusCode::SEE_OTHER,
        "now someone else reported it"
    );
    assert_eq!(c.app.building_status(id), "demolished");
}

#[tokio::test]
async fn illegal_moves_are_409_naming_the_status_and_change_nothing() {
    let c = County::new().await;
    let in_use = c.building("教学楼").await;
    let closed = c.building("老宿舍楼").await;
    appraise(&c.officer, closed, "D").await;
    let deadline = (today() + chrono::Duration::days(30)).to_string();
    let before = c.app.count("events");
    let res = post_owned(
        &c.officer,
        &format!("/buildings/{in_use}/transition"),
        &plan(&deadline),
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(
        res.text().await.unwrap_or_default().contains("正常使用"),
        "the status it is in is named"
    );
    assert_eq!(
        step(&c.bureau, closed, "accept", &[]).await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        step(&c.officer, closed, "report_done", &[("measures", "x")]).await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        step(&c.bureau, closed, "return", &[("comment", "x")]).await,
        StatusCode::CONFLICT
    );
    assert_eq!(
        step(&c.officer, closed, "teleport", &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        after_photo(&c.officer, closed).await,
        StatusCode::CONFLICT,
        "no after photo before a plan"
    );
    assert_eq!(c.app.count("events"), before);
    assert_eq!(
        (c.app.building_status(in_use), c.app.building_status(closed)),
        ("in_use".into(), "closed".into())
    );
    // A stale form: drawn before someone else's plan.
    let version = c.app.one(&format!(
        "SELECT CAST(version AS BIGINT) AS n FROM buildings WHERE id = {closed}"
    ));
    c.app
        .building_step("b.bureau", closed, BuildingAction::Plan, "reinforce");
    let mut stale = plan(&deadline);
    stale.push(("version", version.to_string()));
    let res = post_owned(
        &c.officer,
        &format!("/buildings/{closed}/transition"),
        &stale,
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
}

#[tokio::test]
async fn a_reinforced_building_returns_to_use_only_with_an_a_or_b_appraisal() {
    let c = County::new().await;
    let id = c.building("老教学楼").await;
    appraise(&c.officer, id, "D").await;
    c.app
        .building_step("b.officer", id, BuildingAction::Plan, "reinforce");
    c.app
        .building_step("b.officer", id, BuildingAction::ReportDone, "");
    c.app
        .building_step("b.bureau", id, BuildingAction::Accept, "");
    assert_eq!(c.app.building_status(id), "reinforced");
    let page = c.bureau.text("/buildings/dangerous").await;
    assert!(
        !page.contains("老教学楼"),
        "reinforced: no longer an open danger"
    );
    assert_eq!(
        appraise(&c.officer, id, "C").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        c.app.building_status(id),
        "restricted",
        "a C after reinforcement restricts it"
    );
    let res = c.officer.text(&format!("/buildings/{id}")).await;
    assert!(
        res.contains("form-plan"),
        "a C building is planned for reinforcement"
    );
    c.app
        .building_step("b.officer", id, BuildingAction::Plan, "reinforce");
    c.app
        .building_step("b.officer", id, BuildingAction::ReportDone, "");
    c.app
        .building_step("b.bureau", id, BuildingAction::Accept, "");
    assert_eq!(c.app.building_status(id), "reinforced");
    assert_eq!(
        appraise(&c.officer, id, "B").await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.app.building_status(id), "in_use");
    assert_eq!(
        c.app.count("hazards"),
        1,
        "only the D grade raised a hazard"
    );
}

#[tokio::test]
async fn two_bureau_users_accepting_at_once_exactly_one_wins() {
    let c = County::new().await;
    let second = c
        .app
        .logged_in("b.bureau2", xiaoan::domain::role::Role::Bureau, None)
        .await;
    let id = c.building("老宿舍楼").await;
    appraise(&c.officer, id, "D").await;
    c.app
        .building_step("b.officer", id, BuildingAction::Plan, "demolish");
    c.app
        .building_step("b.officer", id, BuildingAction::ReportDone, "");
    let (a, b) = tokio::join!(
        step(&c.bureau, id, "accept", &[]),
        step(&second, id, "accept", &[])
    );
    let mut got = [a, b];
    got.sort();
    assert_eq!(got, [StatusCode::SEE_OTHER, StatusCode::CONFLICT]);
    let accepts = c.app.one(&format!(
        "SELECT COUNT(*) AS n FROM events WHERE record_kind = 'building' AND record_id = {id} AND action = 'accept'"
    ));
    assert_eq!(accepts, 1);
}

#[tokio::test]
async fn the_disposal_deadline_reminds_the_school_once_a_day() {
    let c = County::new().await;
    let id = c.building("老宿舍楼").await;
    appraise(&c.officer, id, "D").await;
    let soon = (today() + chrono::Duration::days(2)).to_string();
    post_owned(
        &c.officer,
        &format!("/buildings/{id}/transition"),
        &plan(&soon),
    )
    .await;
    c.app.forget_notifications();
    let now = xiaoan::domain::time::now();
    assert_eq!(
        store::remind::remind(&mut c.app.conn(), now).expect("remind"),
        1
    );
    assert_eq!(
        store::remind::remind(&mut c.app.conn(), now).expect("remind"),
        0,
        "once a day"
    );
    assert_eq!(c.app.told("b.officer"), ["deadline_due"]);
    assert!(c.app.told("b.bureau").is_empty() && c.app.told("b.other").is_empty());
}

#[tokio::test]
async fn the_dangerous_view_lists_c_and_d_with_their_disposal_and_counts_per_township() {
    let c = County::new().await;
    let d = c.building("危险宿舍").await;
    appraise(&c.officer, d, "D").await;
    let past = today() - chrono::Duration::days(1);
    let c_grade = c.app.register_building("b.other", c.b, "局部危房食堂");
    c.app.appraise_building("b.other", c_grade, "C", past);
    let a = c.building("好教学楼").await;
    appraise(&c.officer, a, "A").await;
    let page = c.bureau.text("/buildings/dangerous").await;
    assert!(
        page.contains("危险宿舍") && page.contains("局部危房食堂") && !page.contains("好教学楼")
    );
    assert!(page.contains("待定处置方案"), "neither has a plan yet");
    assert!(
        page.contains("href=\"/buildings?township=%E8%BE%B0%E9%98%B3%E9%95%87")
            && page.contains("grade=D&amp;standing=1\">1</a>")
            || page.contains("grade=D&#38;standing=1\">1</a>"),
        "counts link to the register"
    );
    assert!(page.contains("鉴定逾期 0 栋"));
    let old = c.app.register_building("b.officer", c.a, "久未复鉴楼");
    c.app.appraise_building(
        "b.officer",
        old,
        "A",
        today() - chrono::Duration::days(6 * 366),
    );
    let page = c.bureau.text("/buildings/dangerous").await;
    assert!(page.contains("鉴定逾期 1 栋") && page.contains("/buildings?appraisal_overdue=1"));
    let own = c.officer.text("/buildings/dangerous").await;
    assert!(
        own.contains("危险宿舍") && !own.contains("局部危房食堂"),
        "a school sees its own"
    );
    assert_eq!(
        c.admin.get("/buildings/dangerous").await.status(),
        StatusCode::FORBIDDEN
    );
}
