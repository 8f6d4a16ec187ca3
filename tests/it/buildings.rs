//! The building register over HTTP: who keeps it and who reads it, scope, the fields and
//! their messages, appraisals and what the latest sets, the filters and the exports.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::building_helpers::{appraisal_form, building_form};
use crate::helpers::*;

pub async fn post_owned(b: &Browser, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post(path, &borrowed).await
}

pub fn id_from(res: &reqwest::Response) -> i64 {
    location(res)
        .trim_start_matches("/buildings/")
        .parse()
        .unwrap_or(0)
}

/// Two schools, a school admin and a teacher of the first, the other's admin, the bureau, a
/// viewer and the admin, all logged in.
pub struct County {
    pub app: TestApp,
    pub a: i64,
    pub b: i64,
    pub officer: Browser,
    pub teacher: Browser,
    pub other: Browser,
    pub bureau: Browser,
    pub viewer: Browser,
    pub admin: Browser,
}

impl County {
    pub async fn new() -> County {
        let app = TestApp::spawn().await;
        let (a, b) = (app.school("BD-1"), app.school("BD-2"));
        let officer = app
            .logged_in("b.officer", Role::SchoolAdmin, Some("BD-1"))
            .await;
        let teacher = app.logged_in("b.teacher", Role::Staff, Some("BD-1")).await;
        let other = app
            .logged_in("b.other", Role::SchoolAdmin, Some("BD-2"))
            .await;
        let bureau = app.logged_in("b.bureau", Role::Bureau, None).await;
        let viewer = app.logged_in("b.viewer", Role::Viewer, None).await;
        let admin = app.logged_in("b.admin", Role::Admin, None).await;
        County {
            app,
            a,
            b,
            officer,
            teacher,
            other,
            bureau,
            viewer,
            admin,
        }
    }

    /// A building registered through the form by the first school's officer.
    pub async fn building(&self, name: &str) -> i64 {
        let res = post_owned(&self.officer, "/buildings", &building_form(name, 1998)).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "registered");
        id_from(&res)
    }

    pub fn school_of(&self, id: i64) -> i64 {
        self.app.one(&format!(
            "SELECT school_id AS n FROM buildings WHERE id = {id}"
        ))
    }
}

#[tokio::test]
async fn a_school_admin_registers_a_building_and_staff_and_viewers_only_read() {
    let c = County::new().await;
    let id = c.building("1号教学楼").await;
    assert_eq!(c.school_of(id), c.a);
    let page = c.officer.text(&format!("/buildings/{id}")).await;
    assert!(page.contains("1号教学楼") && page.contains("正常使用") && page.contains("未鉴定"));
    assert!(
        page.contains("登记校舍"),
        "the registration is on the timeline"
    );
    for b in [&c.teacher, &c.viewer, &c.bureau] {
        assert_eq!(
            b.get(&format!("/buildings/{id}")).await.status(),
            StatusCode::OK
        );
    }
    assert_eq!(
        c.other.get(&format!("/buildings/{id}")).await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.admin.get(&format!("/buildings/{id}")).await.status(),
        StatusCode::FORBIDDEN
    );
    let before = c.app.count("buildings");
    for b in [&c.teacher, &c.viewer, &c.admin] {
        let res = post_owned(b, "/buildings", &building_form("偷偷加的楼", 2000)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(
        c.app.count("buildings"),
        before,
        "nothing written by those who only read"
    );
    let staff_page = c.teacher.text(&format!("/buildings/{id}")).await;
    assert!(
        !staff_page.contains("form-appraise"),
        "no appraisal form for staff"
    );
}

#[tokio::test]
async fn the_bureau_adds_for_any_school_and_school_users_always_for_their_own() {
    let c = County::new().await;
    let mut form = building_form("食堂", 2005);
    form.push(("school", "BD-2".into()));
    let res = post_owned(&c.bureau, "/buildings", &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(c.school_of(id_from(&res)), c.b);
    // A school admin naming another school still adds to their own.
    let res = post_owned(&c.officer, "/buildings", &form).await;
    assert_eq!(c.school_of(id_from(&res)), c.a);
    // The bureau must name a school that exists.
    let mut bad = building_form("食堂", 2005);
    bad.push(("school", "NOPE".into()));
    let res = post_owned(&c.bureau, "/buildings", &bad).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap_or_default().contains("学校"));
}

#[tokio::test]
async fn bad_building_fields_are_refused_with_their_messages_and_nothing_is_written() {
    let c = County::new().await;
    let mut form = building_form("", 2099);
    form.retain(|(k, _)| *k != "floors" && *k != "floor_area");
    form.push(("floors", "0".into()));
    form.push(("floor_area", "12.345".into()));
    form.push(("use", "castle".into()));
    let res = post_owned(&c.officer, "/buildings", &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap_or_default();
    for message in ["必填", "请填写 1–100 之间的整数", "最多两位小数", "1800–"]
    {
        assert!(page.contains(message), "{message} in {page}");
    }
    assert!(page.contains("value=\"0\""), "what was typed is kept");
    assert_eq!(c.app.count("buildings"), 0);
    assert_eq!(c.app.count("events WHERE record_kind = 'building'"), 0);
}

#[tokio::test]
async fn an_appraisal_in_the_future_before_the_building_or_before_the_latest_is_refused() {
    let c = County::new().await;
    let res = post_owned(&c.officer, "/buildings", &building_form("实验楼", 2010)).await;
    let id = id_from(&res);
    let path = format!("/buildings/{id}/appraisals");
    let future = appraisal_form("A", today() + chrono::Duration::days(1));
    let res = post_owned(&c.officer, &path, &future).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap_or_default()
            .contains("鉴定日期不能晚于今天")
    );
    assert_eq!(c.app.count("appraisals"), 0);
    let before_built = appraisal_form(
        "A",
        chrono::NaiveDate::from_ymd_opt(2009, 6, 1).unwrap_or_default(),
    );
    let res = post_owned(&c.officer, &path, &before_built).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap_or_default()
            .contains("不能早于建成年份（2010）")
    );
    let latest = today() - chrono::Duration::days(10);
    let res = post_owned(&c.officer, &path, &appraisal_form("B", latest)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let older = post_owned(
        &c.officer,
        &path,
        &appraisal_form("A", latest - chrono::Duration::days(1)),
    )
    .await;
    assert_eq!(older.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        older
            .text()
            .await
            .unwrap_or_default()
            .contains(&format!("最近一次鉴定（{latest}）"))
    );
    assert_eq!(c.app.count("appraisals"), 1, "only the valid one was kept");
}

#[tokio::test]
async fn the_latest_appraisal_sets_grade_status_and_the_next_due_date_from_the_settings() {
    let c = County::new().await;
    let id = c.building("宿舍楼").await;
    let path = format!("/buildings/{id}/appraisals");
    let on = today() - chrono::Duration::days(30);
    assert_eq!(
        post_owned(&c.officer, &path, &appraisal_form("B", on))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let page = c.officer.text(&format!("/buildings/{id}")).await;
    let five_years = on
        .checked_add_months(chrono::Months::new(60))
        .unwrap_or_default();
    assert!(
        page.contains(&five_years.to_string()),
        "B: due in five years"
    );
    assert!(
        page.contains("基本能满足安全使用要求"),
        "the grade's JGJ 125-2016 meaning is shown"
    );
    // The county shortens the C period; a C appraisal now restricts use, due in that period.
    let res = c
        .admin
        .post(
            "/settings",
            &[("reappraise_ab_years", "4"), ("reappraise_c_years", "2")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let bad = c
        .admin
        .post("/settings", &[("reappraise_c_years", "0")])
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let later = today() - chrono::Duration::days(5);
    assert_eq!(
        post_owned(&c.officer, &path, &appraisal_form("C", later))
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(c.app.building_status(id), "restricted");
    let page = c.officer.text(&format!("/buildings/{id}")).await;
    let two_years = later
        .checked_add_months(chrono::Months::new(24))
        .unwrap_or_default();
    assert!(
        page.contains(&two_years.to_string()),
        "C: due in the county's two years"
    );
    assert!(page.contains("局部危房") && page.contains("限制使用"));
    assert!(
        page.contains("待定处置方案"),
        "a C building needs its reinforcement plan"
    );
}

#[tokio::test]
async fn the_register_filters_by_grade_status_use_township_overdue_and_text() {
    let c = County::new().await;
    let old = today() - chrono::Duration::days(6 * 366);
    let a = c.app.register_building("b.officer", c.a, "老教学楼");
    c.app.appraise_building("b.officer", a, "A", old);
    let d = c.app.register_building("b.officer", c.a, "危险宿舍");
    c.app.appraise_building("b.officer", d, "D", today());
    let none = c.app.register_building("b.officer", c.a, "新体育馆");
    let elsewhere = c.app.register_building("b.other", c.b, "别校食堂");
    let names = ["老教学楼", "危险宿舍", "新体育馆", "别校食堂"];
    let shown = |page: &str| {
        names
            .iter()
            .filter(|n| page.contains(*n))
            .copied()
            .collect::<Vec<_>>()
    };
    assert_eq!(shown(&c.bureau.text("/buildings?").await), names);
    assert_eq!(
        shown(&c.officer.text("/buildings?").await),
        ["老教学楼", "危险宿舍", "新体育馆"],
        "a school sees its own"
    );
    assert_eq!(
        shown(&c.bureau.text("/buildings?grade=D").await),
        ["危险宿舍"]
    );
    assert_eq!(
        shown(&c.bureau.text("/buildings?grade=none").await),
        ["新体育馆", "别校食堂"]
    );
    assert_eq!(
        shown(&c.bureau.text("/buildings?status=closed").await),
        ["危险宿舍"]
    );
    assert_eq!(
        shown(&c.bureau.text("/buildings?appraisal_overdue=1").await),
        ["老教学楼"]
    );
    let found = c.bureau.text("/buildings?q=宿舍").await;
    assert!(
        found.contains("危险<mark>宿舍</mark>"),
        "the words are marked"
    );
    assert_eq!(
        shown(&found.replace("<mark>", "").replace("</mark>", "")),
        ["危险宿舍"]
    );
    assert_eq!(
        shown(&c.bureau.text("/buildings?school=BD-2").await),
        ["别校食堂"]
    );
    assert_eq!(
        shown(
            &c.bureau
                .text("/buildings?township=辰阳镇&use=teaching")
                .await
        ),
        names
    );
    assert_eq!(
        shown(&c.bureau.text("/buildings?use=gym").await),
        Vec::<&str>::new()
    );
    for bad in [
        "grade=E",
        "status=gone",
        "use=castle",
        "appraisal_overdue=yes",
        "township=火星",
    ] {
        let res = c.bureau.get(&format!("/buildings?{bad}")).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let res = c.officer.get("/buildings?school=BD-2").await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "another school's code does not exist for a school"
    );
    let _ = (a, d, none, elsewhere);
}

#[tokio::test]
async fn the_register_exports_csv_and_xlsx_with_its_filters() {
    let c = County::new().await;
    let a = c
        .app
        .register_building("b.officer", c.a, "=HYPERLINK(\"x\")楼");
    c.app.appraise_building("b.officer", a, "B", today());
    c.app.register_building("b.other", c.b, "别校食堂");
    let res = c.bureau.get("/buildings.csv?school=BD-1").await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap_or_default();
    assert!(
        body.starts_with('\u{feff}'),
        "a BOM for spreadsheet programs"
    );
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "the header and the one building of BD-1: {body}"
    );
    assert!(lines[0].contains("校舍名称") && lines[0].contains("鉴定等级"));
    assert!(
        lines[1].contains("'=HYPERLINK"),
        "a formula is neutralised: {}",
        lines[1]
    );
    assert!(lines[1].contains(&format!("JZ-{a}")) && lines[1].contains(",B,"));
    let other = c.officer.text("/buildings.csv").await;
    assert!(!other.contains("别校食堂"), "a school exports its own");
    let res = c.bureau.get("/buildings.xlsx").await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap_or_default();
    assert!(bytes.starts_with(b"PK"), "a workbook");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut sheet = String::new();
    use std::io::Read;
    zip.by_name("xl/worksheets/sheet1.xml")
        .expect("a sheet")
        .read_to_string(&mut sheet)
        .expect("xml");
    assert_eq!(
        sheet.matches("<row ").count(),
        3,
        "header and two buildings"
    );
    assert!(!sheet.contains("<f>"), "no formulas, only strings");
}

#[tokio::test]
async fn the_keepers_correct_a_buildings_details_and_each_change_is_on_the_timeline() {
    let c = County::new().await;
    let id = c.building("1号教学楼").await;
    c.app
        .appraise_building("b.officer", id, "B", today() - chrono::Duration::days(400));
    let form = c.officer.text(&format!("/buildings/{id}/edit")).await;
    assert!(form.contains("value=\"1号教学楼\"") && form.contains("value=\"1260.5\""));
    let version = c.app.one(&format!(
        "SELECT CAST(version AS BIGINT) AS n FROM buildings WHERE id = {id}"
    ));
    let mut fields = building_form("一号教学楼", 1998);
    fields.push(("version", version.to_string()));
    let res = post_owned(&c.officer, &format!("/buildings/{id}"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = c.bureau.text(&format!("/buildings/{id}")).await;
    assert!(page.contains("一号教学楼") && page.contains("修改校舍信息"));
    // The form drawn before that change is stale now.
    let res = post_owned(&c.bureau, &format!("/buildings/{id}"), &fields).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    // A year built after an appraisal on record cannot be.
    let mut later = building_form(
        "一号教学楼",
        today().format("%Y").to_string().parse().unwrap_or(2026),
    );
    later.push(("version", (version + 1).to_string()));
    let res = post_owned(&c.officer, &format!("/buildings/{id}"), &later).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap_or_default()
            .contains("建成年份不能晚于已有鉴定")
    );
    assert_eq!(
        c.teacher
            .get(&format!("/buildings/{id}/edit"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.other.get(&format!("/buildings/{id}/edit")).await.status(),
        StatusCode::NOT_FOUND
    );
    let edits = c.app.one(&format!(
        "SELECT COUNT(*) AS n FROM events WHERE record_kind = 'building' AND record_id = {id} AND action = 'edit'"
    ));
    assert_eq!(edits, 1, "one change, one event");
}
