//! Safety education and drills over HTTP on both databases: recording (the officer for the own
//! school, the bureau naming one), the checks, the list's scope, filters and exports, the
//! county view with the schools owing a drowning-prevention session, and its reminder.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::hazard_helpers::png;
use crate::helpers::*;

struct County {
    app: TestApp,
    officer: Browser,
    other: Browser,
    teacher: Browser,
    bureau: Browser,
    viewer: Browser,
}

async fn county() -> County {
    let app = TestApp::spawn().await;
    app.school("ED-1");
    app.school("ED-2");
    let officer = app
        .logged_in("e.officer", Role::SchoolAdmin, Some("ED-1"))
        .await;
    let other = app
        .logged_in("e.other", Role::SchoolAdmin, Some("ED-2"))
        .await;
    let teacher = app.logged_in("e.teacher", Role::Staff, Some("ED-1")).await;
    let bureau = app.logged_in("e.bureau", Role::Bureau, None).await;
    let viewer = app.logged_in("e.viewer", Role::Viewer, None).await;
    County {
        app,
        officer,
        other,
        teacher,
        bureau,
        viewer,
    }
}

async fn record(b: &Browser, fields: &[(&str, &str)]) -> reqwest::Response {
    let day = today().to_string();
    let mut all = vec![
        ("kind", "drill"),
        ("topic", "fire"),
        ("held_on", day.as_str()),
        ("participants", "420"),
        ("note", "全校疏散演练"),
    ];
    for (k, v) in fields {
        all.retain(|(x, _)| x != k);
        all.push((k, v));
    }
    b.post("/education", &all).await
}

fn id_of(res: &reqwest::Response) -> i64 {
    location(res)
        .trim_start_matches("/education/")
        .parse()
        .unwrap_or(0)
}

#[tokio::test]
async fn an_officer_records_a_drill_for_the_own_school_whatever_the_form_says() {
    let c = county().await;
    let res = record(&c.officer, &[("school", "ED-2")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = id_of(&res);
    let page = c.officer.text(&format!("/education/{id}")).await;
    assert!(
        page.contains("全校疏散演练") && page.contains("420"),
        "{page}"
    );
    let found = c.bureau.text("/education?q=%E7%96%8F%E6%95%A3").await;
    assert!(
        found.contains(&format!("/education/{id}\"")),
        "the note's words find it: {found}"
    );
    let none = c.bureau.text("/education?q=%E6%BA%BA%E6%B0%B4").await;
    assert!(!none.contains(&format!("/education/{id}\"")), "{none}");
    let school = c.app.one(&format!(
        "SELECT CAST(school_id AS BIGINT) AS n FROM education_sessions WHERE id = {id}"
    ));
    assert_eq!(
        school,
        c.app
            .one("SELECT CAST(id AS BIGINT) AS n FROM schools WHERE code = 'ED-1'")
    );
    assert_eq!(
        c.other.get(&format!("/education/{id}")).await.status(),
        StatusCode::NOT_FOUND,
        "another school's session does not exist for its officer"
    );
    assert_eq!(
        c.bureau.get(&format!("/education/{id}")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        c.viewer.get(&format!("/education/{id}")).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        c.app.count(&format!(
            "events WHERE record_kind = 'education' AND record_id = {id}"
        )),
        1,
        "the recording is its event"
    );
}

#[tokio::test]
async fn the_bureau_names_the_school_and_staff_record_nothing() {
    let c = county().await;
    let res = record(&c.bureau, &[("school", "ED-2")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = record(&c.bureau, &[("school", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        record(&c.teacher, &[]).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(record(&c.viewer, &[]).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        c.teacher.get("/education").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(c.app.count("education_sessions"), 1);
}

#[tokio::test]
async fn bad_fields_are_refused_with_what_was_typed_and_nothing_is_written() {
    let c = county().await;
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    let res = record(
        &c.officer,
        &[
            ("topic", "swimming"),
            ("held_on", &tomorrow),
            ("participants", "lots"),
            ("note", "联系人 11010519491231002X"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap_or_default();
    assert!(page.contains("aria-invalid"), "{page}");
    assert!(page.contains("lots"), "what was typed is kept: {page}");
    assert_eq!(c.app.count("education_sessions"), 0);
    assert_eq!(c.app.count("events WHERE record_kind = 'education'"), 0);
}

#[tokio::test]
async fn photos_come_with_the_session_and_are_served_to_whoever_reads_it() {
    let c = county().await;
    let token = c.officer.csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("kind", "education")
        .text("topic", "drowning")
        .text("held_on", today().to_string())
        .text("participants", "300")
        .text("csrf_token", token)
        .part(
            "photo",
            reqwest::multipart::Part::bytes(png(3, 80, 60)).file_name("session.png"),
        );
    let res = c
        .officer
        .client
        .post(c.officer.url("/education"))
        .multipart(form)
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = id_of(&res);
    let photo = c.app.one(&format!(
        "SELECT CAST(MAX(id) AS BIGINT) AS n FROM attachments WHERE record_kind = 'education' AND record_id = {id}"
    ));
    assert!(photo > 0, "the photo belongs to the session");
    let path = format!("/attachments/{photo}");
    assert_eq!(c.viewer.get(&path).await.status(), StatusCode::OK);
    assert_eq!(c.other.get(&path).await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_list_filters_by_topic_and_year_and_exports_what_it_shows() {
    let c = county().await;
    let (a, b) = (
        c.app
            .one("SELECT CAST(id AS BIGINT) AS n FROM schools WHERE code = 'ED-1'"),
        c.app
            .one("SELECT CAST(id AS BIGINT) AS n FROM schools WHERE code = 'ED-2'"),
    );
    let last_year = today() - chrono::Duration::days(400);
    c.app
        .record_session("e.officer", a, ("education", "drowning"), today(), 100);
    c.app
        .record_session("e.officer", a, ("drill", "earthquake"), last_year, 200);
    c.app
        .record_session("e.other", b, ("education", "traffic"), today(), 300);
    let mine = c.officer.text("/education").await;
    assert!(mine.contains(">100<") && !mine.contains(">300<"), "{mine}");
    let drowning = c.bureau.text("/education?topic=drowning").await;
    assert!(
        drowning.contains(">100<") && !drowning.contains(">300<"),
        "{drowning}"
    );
    use chrono::Datelike;
    let this_year = c
        .bureau
        .text(&format!("/education?year={}", today().year()))
        .await;
    assert!(!this_year.contains(">200<"), "{this_year}");
    assert_eq!(
        c.bureau.get("/education?topic=swimming").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        c.officer.get("/education?school=ED-2").await.status(),
        StatusCode::NOT_FOUND,
        "another school's code does not exist for an officer"
    );
    let csv = c.bureau.text("/education.csv?topic=drowning").await;
    assert!(
        csv.starts_with('\u{feff}'),
        "a BOM for spreadsheet programs"
    );
    assert_eq!(
        csv.lines().count(),
        2,
        "the header and the one drowning session: {csv}"
    );
    assert!(csv.contains("防溺水"));
    let xlsx = c.bureau.get("/education.xlsx").await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    let own_csv = c.officer.text("/education.csv").await;
    assert_eq!(
        own_csv.lines().count(),
        3,
        "the officer's own two: {own_csv}"
    );
}

#[tokio::test]
async fn the_county_view_counts_topics_per_month_and_names_schools_owing_drowning_prevention() {
    let c = county().await;
    let a = c
        .app
        .one("SELECT CAST(id AS BIGINT) AS n FROM schools WHERE code = 'ED-1'");
    use chrono::Datelike;
    let year = today().year();
    let june = chrono::NaiveDate::from_ymd_opt(year, 6, 10)
        .unwrap_or(today())
        .min(today());
    c.app
        .record_session("e.officer", a, ("education", "drowning"), june, 100);
    let page = c
        .bureau
        .text(&format!("/education/overview?year={year}"))
        .await;
    let owing = page.split("owing-drowning").nth(1).unwrap_or_default();
    assert!(owing.contains("ED-2") && !owing.contains("ED-1"), "{owing}");
    assert!(page.contains("topic-month"), "{page}");
    assert_eq!(
        c.officer.get("/education/overview").await.status(),
        StatusCode::FORBIDDEN,
        "the county view is the county's"
    );
    // The county moves the due month: the view follows the setting.
    let admin = c.app.logged_in("e.admin", Role::Admin, None).await;
    let settings = admin.text("/settings").await;
    assert!(
        settings.contains("education_drowning_due_month"),
        "{settings}"
    );
    let res = admin
        .post(
            "/settings",
            &[
                ("education_drowning_due_month", "13"),
                ("schools_accept_general", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let due = c
        .app
        .count("settings WHERE key = 'education.drowning_due_month'");
    assert_eq!(due, 0, "a refused setting is not saved");
}

#[tokio::test]
async fn schools_without_a_drowning_session_are_reminded_in_the_due_month_once_a_day() {
    use chrono::Datelike;
    let c = county().await;
    let a = c
        .app
        .one("SELECT CAST(id AS BIGINT) AS n FROM schools WHERE code = 'ED-1'");
    c.app
        .record_session("e.officer", a, ("education", "drowning"), today(), 100);
    let due = today().month();
    let now = xiaoan::domain::time::now();
    xiaoan::store::settings::set(
        &mut c.app.conn(),
        "education.drowning_due_month",
        &due.to_string(),
    )
    .expect("set");
    let sent = xiaoan::store::education::remind::remind(&mut c.app.conn(), now).expect("remind");
    assert_eq!(sent, 1, "only the school with none");
    let told = c.app.one(
        "SELECT COUNT(*) AS n FROM notifications n JOIN users u ON u.id = n.user_id \
         WHERE n.event = 'drowning_due' AND u.username = 'e.other'",
    );
    assert_eq!(told, 1);
    let again = xiaoan::store::education::remind::remind(&mut c.app.conn(), now).expect("remind");
    assert_eq!(again, 0, "once a day");
    let tomorrow = now + chrono::Duration::days(1);
    let off = (xiaoan::domain::time::local_date(tomorrow).month() % 12) + 1;
    xiaoan::store::settings::set(
        &mut c.app.conn(),
        "education.drowning_due_month",
        &off.to_string(),
    )
    .expect("set");
    let none =
        xiaoan::store::education::remind::remind(&mut c.app.conn(), tomorrow).expect("remind");
    assert_eq!(none, 0, "outside the due month nobody is reminded");
}

#[tokio::test]
async fn photos_are_added_to_a_session_later_by_whoever_records_for_its_school() {
    let c = county().await;
    let id = id_of(&record(&c.officer, &[]).await);
    let path = format!("/education/{id}/photos");
    let res = c.officer.upload(&path, "drill.png", png(5, 60, 40)).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        c.app.count(&format!(
            "attachments WHERE record_kind = 'education' AND record_id = {id}"
        )),
        1
    );
    let res = c
        .officer
        .upload(&path, "notes.txt", b"not a photo".to_vec())
        .await;
    assert_eq!(
        res.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "refused by content"
    );
    assert_eq!(
        c.viewer
            .upload(&path, "x.png", png(6, 20, 20))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        c.other
            .upload(&path, "x.png", png(6, 20, 20))
            .await
            .status(),
        StatusCode::NOT_FOUND
    );
    let page = c.viewer.text(&format!("/education/{id}")).await;
    assert!(
        !page.contains("全校疏散演练"),
        "a viewer reads no note: {page}"
    );
    assert!(!page.contains("form-photos"), "nor adds photos");
    let csv = c.bureau.text("/education.csv").await;
    assert!(!csv.contains("全校疏散演练"), "no note in an export: {csv}");
}

#[tokio::test]
async fn a_session_recorded_after_its_months_end_counts_in_the_month_it_was_recorded() {
    let c = county().await;
    let a = c
        .app
        .one("SELECT CAST(id AS BIGINT) AS n FROM schools WHERE code = 'ED-1'");
    use xiaoan::domain::month::Month;
    let this = Month::of(today());
    let last = this.prev();
    c.app.record_session(
        "e.officer",
        a,
        ("education", "drowning"),
        last.last_day(),
        100,
    );
    let month = |m: Month| {
        let b = &c.bureau;
        async move {
            b.get(&format!("/reports/monthly.json?month={}", m.label()))
                .await
                .json::<serde_json::Value>()
                .await
                .unwrap_or_default()
        }
    };
    assert_eq!(
        month(last).await["education"]["sessions_in_month"],
        0,
        "recorded too late for it"
    );
    assert_eq!(
        month(this).await["education"]["sessions_in_month"],
        1,
        "counted once, now"
    );
}
