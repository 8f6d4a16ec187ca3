//! The monthly report: figures as of a month's last instant, in every format, within scope.

use chrono::{Duration, NaiveDateTime};
use reqwest::StatusCode;
use xiaoan::domain::hazard::{HazardAction as A, PhotoStage};
use xiaoan::domain::hazard_input::{
    ReportDraft, SuperviseDraft, TransitionDraft, validate_report, validate_supervision,
    validate_transition,
};
use xiaoan::domain::role::Role;
use xiaoan::store::hazards::{self, By, photos::NewPhoto};
use xiaoan::store::{Actor, files, users};

use crate::hazard_helpers::png;
use crate::helpers::*;

/// A Shanghai wall-clock time, as stored (UTC).
fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default() - Duration::hours(8)
}

struct Past<'a> {
    app: &'a TestApp,
}

impl Past<'_> {
    fn by(&self, username: &str) -> (Actor, xiaoan::domain::access::Actor) {
        let u = users::find_by_username(&mut self.app.conn(), username)
            .expect("q")
            .expect("user");
        (
            Actor {
                id: Some(u.id),
                name: u.username.clone(),
            },
            u.actor(),
        )
    }

    fn report(&self, who: &str, school: i64, level: &str, when: &str) -> i64 {
        let at = local(when);
        let day = xiaoan::domain::time::local_date(at);
        let d = ReportDraft {
            source: "campus".into(),
            category: "fire".into(),
            title: "灭火器".into(),
            level: level.into(),
            found_on: day.to_string(),
            ..Default::default()
        };
        let r = validate_report(&d, day).expect("report");
        let (actor, a) = self.by(who);
        hazards::report(
            &mut self.app.conn(),
            &By {
                actor: &actor,
                who: &a,
                at,
            },
            school,
            &r,
            None,
        )
        .expect("report")
        .0
    }

    fn act(&self, who: &str, id: i64, action: A, when: &str, deadline: Option<&str>) {
        let d = TransitionDraft {
            deadline: deadline.unwrap_or("").into(),
            responsible_unit: "总务处".into(),
            responsible_person: "王强".into(),
            measures: "已整改".into(),
            comment: "理由".into(),
            ..Default::default()
        };
        let found = hazards::get(&mut self.app.conn(), id)
            .expect("h")
            .hazard
            .found_on;
        let t = validate_transition(action, &d, found).expect("fields");
        let (actor, a) = self.by(who);
        hazards::transition(
            &mut self.app.conn(),
            &By {
                actor: &actor,
                who: &a,
                at: local(when),
            },
            id,
            action,
            &t,
            None,
        )
        .expect("transition");
    }

    fn after_photo(&self, who: &str, id: i64, when: &str) {
        let saved = files::save_photo(&self.app.config.uploads_dir(), &png(3, 20, 20))
            .expect("disk")
            .expect("img");
        let school = hazards::get(&mut self.app.conn(), id)
            .expect("h")
            .hazard
            .school_id;
        let (actor, a) = self.by(who);
        let p = NewPhoto {
            stage: PhotoStage::After,
            sha256: &saved.sha256,
            bytes: saved.bytes,
            width: saved.width,
            height: saved.height,
        };
        hazards::photos::add(
            &mut self.app.conn(),
            &By {
                actor: &actor,
                who: &a,
                at: local(when),
            },
            id,
            school,
            &p,
        )
        .expect("photo");
    }

    fn supervise(&self, id: i64, when: &str, deadline: &str) {
        let found = hazards::get(&mut self.app.conn(), id)
            .expect("h")
            .hazard
            .found_on;
        let s = SuperviseDraft {
            measures: "m".into(),
            responsible_person: "p".into(),
            funding: "f".into(),
            deadline: deadline.into(),
            contingency_plan: "c".into(),
        };
        let s = validate_supervision(&s, found).expect("five items");
        let (actor, a) = self.by("r.bureau");
        hazards::supervise(
            &mut self.app.conn(),
            &By {
                actor: &actor,
                who: &a,
                at: local(when),
            },
            id,
            Some(&s),
            None,
        )
        .expect("supervise");
    }
}

/// March 2026 of school R-1: one hazard closed (18 days), one overdue, one supervised, and one
/// found in February and dismissed in March. Returns the overdue one.
fn march(app: &TestApp) -> i64 {
    let s = app.school("R-1");
    app.school("R-2");
    app.user("r.officer", Role::SchoolAdmin, Some("R-1"));
    app.user("r.bureau", Role::Bureau, None);
    let p = Past { app };
    let h1 = p.report("r.officer", s, "general", "2026-03-02 10:00");
    p.act("r.officer", h1, A::Register, "2026-03-02 11:00", None);
    p.act(
        "r.officer",
        h1,
        A::Assign,
        "2026-03-02 12:00",
        Some("2026-03-10"),
    );
    p.after_photo("r.officer", h1, "2026-03-09 09:00");
    p.act("r.officer", h1, A::Submit, "2026-03-09 10:00", None);
    p.act("r.bureau", h1, A::Accept, "2026-03-20 10:00", None);
    let h2 = p.report("r.officer", s, "general", "2026-03-05 10:00");
    p.act("r.officer", h2, A::Register, "2026-03-05 11:00", None);
    p.act(
        "r.officer",
        h2,
        A::Assign,
        "2026-03-05 12:00",
        Some("2026-03-15"),
    );
    let h3 = p.report("r.officer", s, "general", "2026-02-20 10:00");
    p.act("r.officer", h3, A::Dismiss, "2026-03-01 10:00", None);
    let h4 = p.report("r.officer", s, "major", "2026-03-25 10:00");
    p.supervise(h4, "2026-03-26 10:00", "2026-04-30");
    h2
}

fn hazards_json(v: &serde_json::Value) -> (i64, i64, i64, i64, i64) {
    let h = &v["hazards"];
    let n = |k: &str| h[k].as_i64().unwrap_or(-1);
    (
        n("found"),
        n("closed"),
        n("open_at_month_end"),
        n("overdue_at_month_end"),
        n("supervised_open"),
    )
}

#[tokio::test]
async fn a_past_month_is_computed_as_of_its_last_instant_and_reads_the_same_later() {
    let app = TestApp::spawn().await;
    let h2 = march(&app);
    let bureau = app.logged_in("viewer.r", Role::Viewer, None).await;
    let get = |q: &'static str| {
        let b = &bureau;
        async move {
            b.get(&format!("/reports/monthly.json?{q}"))
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap_or_default()
        }
    };
    let before = get("month=2026-03").await;
    assert_eq!(before["month"], "2026-03");
    assert_eq!(before["scope"]["kind"], "county");
    assert_eq!(
        before["as_of"], "2026-03-31 23:59",
        "the last minute the figures cover"
    );
    assert_eq!(hazards_json(&before), (3, 1, 2, 1, 1));
    assert_eq!(before["hazards"]["closure_rate"].as_f64(), Some(0.333));
    assert_eq!(
        before["hazards"]["median_days_to_close"].as_f64(),
        Some(18.0)
    );
    assert_eq!(before["hazards"]["year_to_date"]["found"], 4);
    let feb = get("month=2026-02").await;
    assert_eq!(hazards_json(&feb), (1, 0, 1, 0, 0));
    // Later, the overdue hazard is fixed and closed; March still reads the same.
    app.photo("r.officer", h2, PhotoStage::After, 8);
    app.act("r.officer", h2, A::Submit);
    app.act("r.bureau", h2, A::Accept);
    let after = get("month=2026-03").await;
    assert_eq!(after["hazards"], before["hazards"]);
    let school = get("month=2026-03&school=R-1").await;
    assert_eq!(school["scope"]["kind"], "school");
    assert_eq!(hazards_json(&school), (3, 1, 2, 1, 1));
    let other = get("month=2026-03&school=R-2").await;
    assert_eq!(hazards_json(&other), (0, 0, 0, 0, 0));
    let township = get("month=2026-03&township=辰阳镇").await;
    assert_eq!(hazards_json(&township), (3, 1, 2, 1, 1));
    assert_eq!(township["hazards"]["by_unit"][0]["key"], "R-1 学校");
}

#[tokio::test]
async fn html_csv_and_xlsx_show_the_same_figures() {
    let app = TestApp::spawn().await;
    march(&app);
    let b = app.logged_in("b.r", Role::Bureau, None).await;
    let html = b.text("/reports/monthly?month=2026-03").await;
    assert!(html.contains("2026-03 学校安全工作月报"));
    assert!(html.contains("<tr class=\"total\"><th>合计</th><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">1</td><td class=\"num\">33.3%</td><td class=\"num\">18.0</td></tr>"), "{html}");
    assert!(html.contains("<svg class=\"chart\""));
    let csv = b.text("/reports/monthly.csv?month=2026-03").await;
    assert!(csv.starts_with('\u{FEFF}'));
    assert!(csv.contains("隐患合计,合计,3,1,2,1,1,33.3%,18.0"), "{csv}");
    let res = b.get("/reports/monthly.xlsx?month=2026-03").await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap_or_default();
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx is a zip");
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").expect("sheet"),
        &mut sheet,
    )
    .expect("read");
    for n in ["<v>3</v>", "<v>1</v>", "<v>2</v>"] {
        assert!(sheet.contains(n), "{n} in the sheet");
    }
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").expect("strings"),
        &mut strings,
    )
    .expect("read");
    assert!(strings.contains("33.3%") && strings.contains("学校安全工作月报"));
}

#[tokio::test]
async fn a_school_sees_only_its_own_report() {
    let app = TestApp::spawn().await;
    march(&app);
    let officer = app.browser();
    officer.login("r.officer", PASSWORD).await;
    let own = officer
        .get("/reports/monthly.json?month=2026-03")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap_or_default();
    assert_eq!(own["scope"]["code"], "R-1");
    assert_eq!(hazards_json(&own), (3, 1, 2, 1, 1));
    assert_eq!(
        officer
            .get("/reports/monthly.json?month=2026-03&school=R-2")
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        officer
            .get("/reports/monthly?township=辰阳镇")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let admin = app.logged_in("root", Role::Admin, None).await;
    assert_eq!(
        admin.get("/reports/monthly").await.status(),
        StatusCode::FORBIDDEN
    );
    let b = app.logged_in("b.r", Role::Bureau, None).await;
    for q in [
        "month=2026-13",
        "month=march",
        "month=2999-01",
        "school=NOPE",
    ] {
        let status = b.get(&format!("/reports/monthly?{q}")).await.status();
        assert!(
            status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::NOT_FOUND,
            "{q}: {status}"
        );
    }
}

#[tokio::test]
async fn a_submitted_month_is_frozen_returned_by_the_bureau_and_resubmitted() {
    let app = TestApp::spawn().await;
    let h2 = march(&app);
    let officer = app.browser();
    officer.login("r.officer", PASSWORD).await;
    let page = officer.text("/reports/monthly?month=2026-03").await;
    assert!(
        page.contains("action=\"/reports/monthly/submit\""),
        "the officer is offered the submit form"
    );
    assert_eq!(
        officer
            .post("/reports/monthly/submit", &[("month", "2026-03")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        officer
            .post("/reports/monthly/submit", &[("month", "2026-03")])
            .await
            .status(),
        StatusCode::CONFLICT,
        "once until returned"
    );
    let staff = app.logged_in("r.staff", Role::Staff, Some("R-1")).await;
    assert_eq!(
        staff
            .post("/reports/monthly/submit", &[("month", "2026-03")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // A later change moves a March hazard to another school: the live figures change, the
    // submitted ones do not.
    let r2 = xiaoan::store::schools::find_by_code(&mut app.conn(), "R-2")
        .expect("q")
        .expect("school")
        .id;
    app.exec(&format!(
        "UPDATE hazards SET school_id = {r2} WHERE id = {h2}"
    ));
    let live = officer
        .get("/reports/monthly.json?month=2026-03")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap_or_default();
    assert_eq!(live["hazards"]["found"], 2);
    let bureau = app.logged_in("r.bureau2", Role::Bureau, None).await;
    let list = bureau.text("/reports/submissions?month=2026-03").await;
    assert!(
        list.contains("已报送 1 所学校") && list.contains("未报送"),
        "{list}"
    );
    let id = list
        .split("/reports/submissions/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("0")
        .to_string();
    let frozen = bureau.text(&format!("/reports/submissions/{id}")).await;
    assert!(frozen.contains("<tr class=\"total\"><td class=\"num\">3</td><td class=\"num\">1</td><td class=\"num\">2</td><td class=\"num\">1</td><td class=\"num\">1</td></tr>"), "{frozen}");
    let elsewhere = app
        .logged_in("r.other", Role::SchoolAdmin, Some("R-2"))
        .await;
    assert_eq!(
        elsewhere
            .get(&format!("/reports/submissions/{id}"))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );

    let viewer = app.logged_in("r.viewer", Role::Viewer, None).await;
    async fn give_back(b: &Browser, id: &str, comment: &str) -> StatusCode {
        b.post(
            &format!("/reports/submissions/{id}/return"),
            &[("comment", comment)],
        )
        .await
        .status()
    }
    assert_eq!(give_back(&viewer, &id, "x").await, StatusCode::FORBIDDEN);
    assert_eq!(
        give_back(&bureau, &id, " ").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        give_back(&bureau, &id, "数据有误，请核对").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(give_back(&bureau, &id, "again").await, StatusCode::CONFLICT);
    let page = officer.text("/reports/monthly?month=2026-03").await;
    assert!(page.contains("数据有误，请核对") && page.contains("已退回"));
    assert_eq!(
        officer
            .post("/reports/monthly/submit", &[("month", "2026-03")])
            .await
            .status(),
        StatusCode::SEE_OTHER,
        "resubmitted"
    );
    assert_eq!(app.count("report_submissions"), 2, "the history is kept");
    let verdict = xiaoan::store::events::verify(&mut app.conn()).expect("verify");
    assert!(matches!(
        verdict,
        xiaoan::store::events::Verdict::Intact { .. }
    ));
}

#[tokio::test]
async fn the_home_page_shows_this_months_figures_and_the_trend_for_the_users_scope() {
    let app = TestApp::spawn().await;
    let s = app.school("H-1");
    app.school("H-2");
    app.user("h.officer", Role::SchoolAdmin, Some("H-1"));
    app.user("h.other", Role::SchoolAdmin, Some("H-2"));
    app.report_hazard("h.officer", s, "general");
    let bureau = app.logged_in("h.bureau", Role::Bureau, None).await;
    let home = bureau.text("/").await;
    assert!(home.contains("<svg class=\"chart\"") && home.contains("href=\"/reports/monthly\""));
    assert!(
        home.contains("<span class=\"stat-value\">1</span> <span class=\"stat-label\">本月发现"),
        "{home}"
    );
    let other = app.browser();
    other.login("h.other", PASSWORD).await;
    let home = other.text("/").await;
    assert!(
        home.contains("<span class=\"stat-value\">0</span> <span class=\"stat-label\">本月发现"),
        "another school's hazard is not counted"
    );
}
