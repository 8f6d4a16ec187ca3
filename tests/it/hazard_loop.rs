//! The hazard loop as its users live it: the "after" photos go with the fix in one step, a
//! deadline that has already passed is refused, and a form never pre-fills an expired one.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::hazard_helpers::png;
use crate::helpers::*;
use crate::report_helpers::{County, clocked};

/// A hazard of R-1 registered and assigned (deadline 2026-03-10) on 1 March.
async fn assigned(c: &County<'_>) -> i64 {
    let id = c.report("general", "2026-03-01 09:00").await;
    c.act(&c.officer, id, "register", "2026-03-01 09:10", &[])
        .await;
    c.assign(id, "2026-03-01 09:20", "2026-03-10").await;
    id
}

async fn submit_with(b: &Browser, id: i64, file: (&str, Vec<u8>)) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", b.csrf().await)
        .text("action", "submit")
        .text("measures", "已更换灭火器")
        .part(
            "file",
            reqwest::multipart::Part::bytes(file.1).file_name(file.0.to_string()),
        );
    b.client
        .post(b.url(&format!("/hazards/{id}/transition")))
        .header("Sec-Fetch-Mode", "navigate")
        .multipart(form)
        .send()
        .await
        .expect("submit")
}

#[tokio::test]
async fn the_fix_page_defaults_photos_to_after_and_takes_them_in_the_submit_form() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let id = assigned(&c).await;
    let page = c.officer.text(&format!("/hazards/{id}")).await;
    assert!(
        page.contains("<option value=\"after\" selected"),
        "while being fixed, a photo is an after photo by default"
    );
    let submit = &page[page.find("id=\"form-submit\"").expect("submit form")..];
    let submit = &submit[..submit.find("</form>").unwrap_or(submit.len())];
    assert!(submit.contains("enctype=\"multipart/form-data\"") && submit.contains("type=\"file\""));
    c.at("2026-03-05 10:00");
    let res = submit_with(&c.officer, id, ("after.png", png(4, 16, 16))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.hazard_state(id), "awaiting_acceptance");
}

#[tokio::test]
async fn a_non_image_in_the_submit_form_comes_back_to_the_form_with_a_message() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let id = assigned(&c).await;
    c.at("2026-03-05 10:00");
    let res = submit_with(
        &c.officer,
        id,
        ("notes.pdf", b"%PDF-1.4 not a photo".to_vec()),
    )
    .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "back to the form, not a bare 422"
    );
    let back = location(&res);
    assert!(back.contains("#form-submit"), "{back}");
    let page = c.officer.text(&back).await;
    assert!(page.contains("form-errors"), "the error is at the top");
    assert!(page.contains("已更换灭火器"), "the measures typed are kept");
    assert!(
        page.contains("只能上传 JPG、PNG 或 WebP 照片"),
        "the message says what a photo is"
    );
    assert_eq!(app.hazard_state(id), "rectifying");
    assert_eq!(app.count("attachments"), 0);
}

#[tokio::test]
async fn a_deadline_already_past_is_refused_at_assign_reopen_and_supervision() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let id = c.report("major", "2026-03-01 09:00").await;
    c.act(&c.officer, id, "register", "2026-03-01 09:10", &[])
        .await;
    c.at("2026-03-04 10:00");
    let assign = |deadline: &'static str| {
        vec![
            ("action", "assign"),
            ("deadline", deadline),
            ("responsible_unit", "总务处"),
            ("responsible_person", "王强"),
        ]
    };
    let res = c
        .officer
        .post(&format!("/hazards/{id}/transition"), &assign("2026-03-03"))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap_or_default()
            .contains("整改时限已过")
    );
    let supervise = [
        ("on", "1"),
        ("measures", "停用"),
        ("responsible_person", "校长"),
        ("funding", "县财政"),
        ("deadline", "2026-03-02"),
        ("contingency_plan", "疏散预案"),
    ];
    let res = c
        .bureau
        .post(&format!("/hazards/{id}/supervise"), &supervise)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.hazard_state(id), "registered");
    // Today itself is a deadline one can still meet.
    c.assign(id, "2026-03-04 10:05", "2026-03-04").await;
    c.fix(id, "2026-03-04 11:00").await;
    c.accept(id, "2026-03-04 12:00").await;
    c.at("2026-03-20 09:00");
    let reopen = [
        ("action", "reopen"),
        ("deadline", "2026-03-19"),
        ("comment", "复发"),
    ];
    let res = c
        .bureau
        .post(&format!("/hazards/{id}/transition"), &reopen)
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.hazard_state(id), "closed");
}

#[tokio::test]
async fn the_supervision_form_does_not_prefill_an_expired_deadline() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let id = assigned(&c).await;
    let field = "name=\"deadline\"";
    let prefilled = |page: &str| {
        let form = &page[page.find("id=\"form-supervise\"").expect("supervise form")..];
        let input = &form[form.find(field).expect("deadline field")..];
        input[..input.find('>').unwrap_or(input.len())].contains("value=\"2026-03-10\"")
    };
    c.at("2026-03-09 09:00");
    assert!(prefilled(&c.bureau.text(&format!("/hazards/{id}")).await));
    c.at("2026-03-11 09:00");
    let page = c.bureau.text(&format!("/hazards/{id}")).await;
    assert!(
        !prefilled(&page),
        "an expired deadline is not offered again"
    );
    assert!(
        page.contains("min=\"2026-03-11\""),
        "the date picker starts today"
    );
}

#[tokio::test]
async fn the_today_list_puts_overdue_first_then_due_soon_returned_and_new_work() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let late = assigned(&c).await; // deadline 2026-03-10
    let soon = c.report("general", "2026-03-02 09:00").await;
    c.act(&c.officer, soon, "register", "2026-03-02 09:10", &[])
        .await;
    c.assign(soon, "2026-03-02 09:20", "2026-03-14").await;
    let back = c.report("general", "2026-03-03 09:00").await;
    c.act(&c.officer, back, "register", "2026-03-03 09:10", &[])
        .await;
    c.assign(back, "2026-03-03 09:20", "2026-04-30").await;
    c.fix(back, "2026-03-05 10:00").await;
    let reason = [("comment", "照片看不清灭火器压力表")];
    c.act(&c.bureau, back, "return", "2026-03-06 10:00", &reason)
        .await;
    let new = c.report("general", "2026-03-12 08:00").await;
    c.at("2026-03-12 09:00");
    let home = c.officer.text("/").await;
    let list = &home[home.find("id=\"today\"").expect("a today list")..];
    let list = &list[..list.find("</section>").unwrap_or(list.len())];
    let at = |id: i64| {
        list.find(&format!("href=\"/hazards/{id}\""))
            .unwrap_or(usize::MAX)
    };
    assert!(
        at(late) < at(soon) && at(soon) < at(back) && at(back) < at(new),
        "{list}"
    );
    assert!(list.contains("逾期 2 天"), "{list}");
    assert!(list.contains("2 天内到期"), "{list}");
    assert!(list.contains("退回原因：照片看不清灭火器压力表"), "{list}");
    assert!(list.contains("新上报，待登记"));
    // The returned hazard says why at the top of its page.
    let page = c.officer.text(&format!("/hazards/{back}")).await;
    let banner = page.find("局安全股退回了整改").unwrap_or(usize::MAX);
    assert!(
        banner < page.find("id=\"photos\"").unwrap_or(0),
        "the reason comes first"
    );
    assert!(page.contains("照片看不清灭火器压力表"));
    // The ledger counts the days overdue.
    let ledger = c.officer.text("/hazards").await;
    assert!(
        ledger.contains("逾期天数") && ledger.contains("<span class=\"badge badge-warn\">2</span>")
    );
    // The bureau's list: what awaits its acceptance and what is overdue, not the school's work.
    c.fix(soon, "2026-03-12 10:00").await;
    let bureau = c.bureau.text("/").await;
    let list = &bureau[bureau
        .find("id=\"today\"")
        .expect("the bureau's today list")..];
    let list = &list[..list.find("</section>").unwrap_or(list.len())];
    assert!(list.contains(&format!("href=\"/hazards/{soon}\"")) && list.contains("待验收销号"));
    assert!(list.contains(&format!("href=\"/hazards/{late}\"")));
    assert!(
        !list.contains(&format!("href=\"/hazards/{new}\"")),
        "not the bureau's to take in"
    );
}

#[tokio::test]
async fn a_teachers_home_leads_with_the_report_button_and_shows_no_register_it_cannot_open() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let teacher = app.logged_in("r.teacher", Role::Staff, Some("R-1")).await;
    let home = teacher.text("/").await;
    let button = home
        .find("href=\"/hazards/new\"")
        .expect("the report button");
    assert!(home.contains("btn-big") && button < home.find("<dl class=\"kv\">").unwrap_or(0));
    assert!(
        !home.contains("id=\"today\""),
        "a teacher has no work queue of their own"
    );
    for closed in ["安全教育", "法治副校长", "专项行动"] {
        assert!(
            !home.contains(closed),
            "no card of a register a teacher does not open ({closed}): {home}"
        );
    }
    assert!(
        !home.contains("badge badge-warn\">待处理"),
        "nothing for a teacher to act on"
    );
    let form = teacher.text("/hazards/new").await;
    let photo = form.find("type=\"file\"").expect("a photo field");
    assert!(
        photo < form.find("name=\"source\"").unwrap_or(0),
        "the photo comes first"
    );
    assert!(
        form.contains("capture=\"environment\""),
        "the camera opens from it"
    );
    let officer_home = c.officer.text("/").await;
    assert!(
        officer_home.contains("id=\"today\"") && officer_home.contains("今天没有需要您处理的事项")
    );
}

#[tokio::test]
async fn the_rectification_notice_prints_once_assigned_for_those_who_may_see_it() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let id = c.report("general", "2026-03-01 09:00").await;
    let path = format!("/hazards/{id}/notice");
    assert_eq!(
        c.officer.get(&path).await.status(),
        StatusCode::CONFLICT,
        "nothing assigned yet"
    );
    c.act(&c.officer, id, "register", "2026-03-01 09:10", &[])
        .await;
    c.assign(id, "2026-03-01 09:20", "2026-03-10").await;
    let notice = c.officer.text(&path).await;
    for part in [
        "安全隐患整改通知书",
        "2026-03-10",
        "总务处",
        "王强",
        "签收人（签字）及日期",
    ] {
        assert!(notice.contains(part), "{part}: {notice}");
    }
    assert!(
        c.officer
            .text(&format!("/hazards/{id}"))
            .await
            .contains(&format!("href=\"{path}\""))
    );
    assert_eq!(c.bureau.get(&path).await.status(), StatusCode::OK);
    let other = app
        .logged_in("r2.officer", Role::SchoolAdmin, Some("R-2"))
        .await;
    assert_eq!(other.get(&path).await.status(), StatusCode::NOT_FOUND);
    let admin = app.logged_in("r.root", Role::Admin, None).await;
    assert_eq!(admin.get(&path).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn past_ten_lines_the_today_list_folds_the_rest_below_and_still_lists_them() {
    let app = clocked().await;
    let c = County::new(&app).await;
    let mut ids = Vec::new();
    for hour in 0..12 {
        ids.push(
            c.report("general", &format!("2026-03-02 {:02}:00", hour + 8))
                .await,
        );
    }
    let home = c.officer.text("/").await;
    let list = &home[home.find("id=\"today\"").expect("a today list")..];
    let list = &list[..list.find("</section>").unwrap_or(list.len())];
    let folded = list.find("<details>").expect("the rest folded");
    assert!(list[folded..].contains("还有 2 项"), "{list}");
    assert_eq!(list[..folded].matches("<li").count(), 10);
    for id in &ids {
        assert!(
            list.contains(&format!("href=\"/hazards/{id}\"")),
            "every line is there"
        );
    }
}
