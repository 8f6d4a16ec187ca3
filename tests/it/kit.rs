//! The page patterns every module inherits from the kit, shown on hazards: a refused form keeps
//! what was typed (and the photos chosen), comes back at its form by a redirect a refresh does
//! not repeat; conflicts name the record's state; people appear by name; the language switch
//! keeps the page; pages past the end say so; answers carry their request id and travel
//! compressed when asked.

use reqwest::{Response, StatusCode, header};
use xiaoan::domain::attachments::Stage;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::role::Role;

use crate::hazard_helpers::png;
use crate::helpers::*;

/// POSTs a form as a person's browser does when following it (`Sec-Fetch-Mode: navigate`).
async fn navigate_post(b: &Browser, path: &str, fields: &[(&str, &str)]) -> Response {
    let token = b.csrf().await;
    let mut all = fields.to_vec();
    all.push(("csrf_token", &token));
    b.client
        .post(b.url(path))
        .header("Sec-Fetch-Mode", "navigate")
        .form(&all)
        .send()
        .await
        .expect("POST")
}

/// A multipart POST with the token as a field, as the app's forms send it.
async fn multipart(
    b: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    files: Vec<(&'static str, Vec<u8>)>,
    navigate: bool,
) -> Response {
    let mut form = reqwest::multipart::Form::new().text("csrf_token", b.csrf().await);
    for (k, v) in fields {
        form = form.text(k.to_string(), v.to_string());
    }
    for (name, bytes) in files {
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name("photo.png")
            .mime_str("image/png")
            .expect("mime");
        form = form.part(name, part);
    }
    let mut req = b.client.post(b.url(path)).multipart(form);
    if navigate {
        req = req.header("Sec-Fetch-Mode", "navigate");
    }
    req.send().await.expect("multipart POST")
}

/// A school with its safety officer (browser) and a registered hazard.
async fn registered(app: &TestApp, code: &str) -> (Browser, i64) {
    let school = app.school(code);
    let officer = format!("{}.officer", code.to_lowercase());
    let b = app.logged_in(&officer, Role::SchoolAdmin, Some(code)).await;
    let id = app.report_hazard(&officer, school, "general");
    app.act(&officer, id, HazardAction::Register);
    (b, id)
}

#[tokio::test]
async fn a_refused_action_comes_back_at_its_form_by_a_redirect_with_every_typed_value() {
    let app = TestApp::spawn().await;
    let (b, id) = registered(&app, "K-1").await;
    let path = format!("/hazards/{id}/transition");
    let version = "2";
    let res = navigate_post(
        &b,
        &path,
        &[
            ("action", "assign"),
            ("version", version),
            ("deadline", "not a date"),
            ("responsible_unit", "总务处后勤组"),
            ("responsible_person", ""),
            ("interim_controls", "设置围挡"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(
        to.starts_with(&format!("/hazards/{id}?draft=")) && to.ends_with("#form-assign"),
        "back to the record, at the form: {to}"
    );
    assert_eq!(app.hazard_state(id), "registered", "nothing changed");
    for _ in 0..2 {
        // Shown again on a refresh: a GET, never the POST again.
        let page = b.get(to.split('#').next().unwrap_or("")).await;
        assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = page.text().await.unwrap_or_default();
        for typed in ["总务处后勤组", "设置围挡", "value=\"not a date\""] {
            assert!(html.contains(typed), "{typed} is kept: {html}");
        }
        assert!(
            html.contains("请改正标出的内容后再提交"),
            "the error at the top"
        );
        assert!(
            html.contains("<a href=\"#form-assign-deadline\">"),
            "the summary links to the field"
        );
        assert!(html.contains("请按 年-月-日 填写日期"), "and at the field");
        assert!(
            html.contains(
                "id=\"form-assign-deadline\" name=\"deadline\" type=\"date\" value=\"not a date\""
            ) && html.contains("autofocus"),
            "the first wrong field takes the cursor"
        );
    }
    // Another session cannot read this draft.
    let other = app
        .logged_in("k1.other", Role::SchoolAdmin, Some("K-1"))
        .await;
    let theirs = other.text(to.split('#').next().unwrap_or("")).await;
    assert!(!theirs.contains("总务处后勤组"));
}

#[tokio::test]
async fn a_program_gets_the_refused_form_at_once_with_422() {
    let app = TestApp::spawn().await;
    let (b, id) = registered(&app, "K-2").await;
    let res = b
        .post(
            &format!("/hazards/{id}/transition"),
            &[
                ("action", "assign"),
                ("deadline", ""),
                ("responsible_unit", "总务处"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap_or_default();
    assert!(html.contains("value=\"总务处\""), "the typed value is kept");
    assert_eq!(app.count("form_drafts"), 0, "no draft for a program");
}

#[tokio::test]
async fn a_refused_report_keeps_the_photo_chosen_for_the_next_try() {
    let app = TestApp::spawn().await;
    app.school("K-3");
    let b = app.logged_in("k3.staff", Role::Staff, Some("K-3")).await;
    let fields = [
        ("source", "campus"),
        ("category", "fire"),
        ("title", ""),
        ("level", "general"),
        ("found_on", &today().to_string()),
    ];
    let res = multipart(
        &b,
        "/hazards",
        &fields,
        vec![("photo", png(3, 80, 60))],
        true,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = location(&res);
    assert!(to.starts_with("/hazards/new?draft="), "{to}");
    assert_eq!(app.count("hazards"), 0);
    assert_eq!(
        app.count("attachments WHERE record_id IS NULL"),
        1,
        "kept, pending"
    );
    let html = b.text(to.split('#').next().unwrap_or("")).await;
    let kept = html
        .split("name=\"kept\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("")
        .to_string();
    assert!(!kept.is_empty(), "the page lists the kept photo: {html}");
    assert!(html.contains(&format!("/attachments/{kept}/thumb")));
    assert!(
        html.contains("width=\"80\" height=\"60\""),
        "its thumbnail's size is known"
    );
    assert_eq!(
        b.get(&format!("/attachments/{kept}/thumb")).await.status(),
        StatusCode::OK,
        "the uploader sees it"
    );
    let stranger = app.logged_in("k3.other", Role::Staff, Some("K-3")).await;
    assert_eq!(
        stranger.get(&format!("/attachments/{kept}")).await.status(),
        StatusCode::NOT_FOUND,
        "a pending photo is its session's alone"
    );
    // The second try, the photo not chosen again: it is the kept one.
    let mut again = fields.to_vec();
    again[2] = ("title", "实验室灭火器过期");
    again.push(("kept", &kept));
    let res = multipart(&b, "/hazards", &again, Vec::new(), true).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "reported");
    assert_eq!(app.count("attachments WHERE record_id IS NULL"), 0);
    assert_eq!(
        app.count("attachments WHERE record_kind = 'hazard' AND stage = 'before'"),
        1
    );
    assert_eq!(
        app.count("form_drafts"),
        0,
        "the draft is gone once it succeeded"
    );
}

#[tokio::test]
async fn a_fix_goes_for_acceptance_with_its_after_photos_in_one_step() {
    let app = TestApp::spawn().await;
    let (b, id) = registered(&app, "K-4").await;
    app.act("k-4.officer", id, HazardAction::Assign);
    let path = format!("/hazards/{id}/transition");
    let fields = [("action", "submit"), ("measures", "已更换灭火器")];
    let none = multipart(&b, &path, &fields, Vec::new(), false).await;
    assert_eq!(none.status(), StatusCode::UNPROCESSABLE_ENTITY, "no photo");
    assert!(none.text().await.unwrap_or_default().contains("整改后照片"));
    let res = multipart(
        &b,
        &path,
        &fields,
        vec![("file", png(1, 64, 48)), ("file", png(2, 64, 48))],
        false,
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.hazard_state(id), "awaiting_acceptance");
    assert_eq!(
        app.count(&format!(
            "attachments WHERE record_id = {id} AND stage = 'after'"
        )),
        2
    );
}

#[tokio::test]
async fn a_state_conflict_names_the_record_and_the_state_it_is_in() {
    let app = TestApp::spawn().await;
    let (b, id) = registered(&app, "K-5").await;
    let res = b
        .post(
            &format!("/hazards/{id}/transition"),
            &[("action", "register")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let html = res.text().await.unwrap_or_default();
    assert!(html.contains("这条隐患当前状态为“已核实”"), "{html}");
}

#[tokio::test]
async fn timelines_name_people_by_their_display_names() {
    let app = TestApp::spawn().await;
    let (b, id) = registered(&app, "K-6").await;
    let html = b.text(&format!("/hazards/{id}")).await;
    assert!(
        html.contains("<span class=\"who\">k-6.officer 名</span>"),
        "{html}"
    );
    assert!(!html.contains("<span class=\"who\">k-6.officer</span>"));
}

#[tokio::test]
async fn photos_show_as_thumbnails_of_known_size() {
    let app = TestApp::spawn().await;
    let (b, id) = registered(&app, "K-7").await;
    app.photo("k-7.officer", id, Stage::Before, 4);
    let html = b.text(&format!("/hazards/{id}")).await;
    assert!(
        html.contains("/thumb\" alt=\"整改前\" loading=\"lazy\" width=\"64\" height=\"48\""),
        "{html}"
    );
}

#[tokio::test]
async fn the_language_switch_keeps_the_page_and_its_query() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("k.bureau", Role::Bureau, None).await;
    let html = b.text("/hazards?state=reported&level=major").await;
    assert!(
        html.contains("href=\"?state=reported&#38;level=major&#38;lang=en\""),
        "{html}"
    );
    let html = b.text("/hazards?state=reported&lang=en").await;
    assert!(html.contains("href=\"?state=reported&#38;lang=zh-CN\""));
}

#[tokio::test]
async fn a_page_past_the_end_says_so_and_links_to_the_last() {
    let app = TestApp::spawn().await;
    let b = app.logged_in("k.viewer", Role::Viewer, None).await;
    let html = b.text("/hazards?page=9").await;
    assert!(html.contains("没有第 9 页"), "{html}");
    assert!(html.contains("href=\"/hazards?page=1\""));
}

#[tokio::test]
async fn a_too_long_field_states_its_limit() {
    let app = TestApp::spawn().await;
    app.school("K-8");
    let b = app.logged_in("k8.staff", Role::Staff, Some("K-8")).await;
    let title = "长".repeat(101);
    let res = b
        .post(
            "/hazards",
            &[
                ("source", "campus"),
                ("category", "fire"),
                ("title", &title),
                ("level", "general"),
                ("found_on", &today().to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap_or_default()
            .contains("最多 100 个字")
    );
}

#[tokio::test]
async fn the_favicon_is_served_without_a_session() {
    let app = TestApp::spawn().await;
    let b = app.browser();
    let res = b.get("/favicon.ico").await;
    assert_eq!(res.status(), StatusCode::MOVED_PERMANENTLY);
    let icon = b.get(&location(&res)).await;
    assert_eq!(icon.status(), StatusCode::OK);
    assert_eq!(
        icon.headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.as_bytes()),
        Some(&b"image/svg+xml"[..])
    );
    assert!(b.text("/login").await.contains("rel=\"icon\""));
}

#[tokio::test]
async fn pages_travel_compressed_when_asked_and_photos_as_they_are() {
    let app = TestApp::spawn().await;
    let (b, id) = registered(&app, "K-9").await;
    let photo = app.photo("k-9.officer", id, Stage::Before, 6);
    let get = |path: String| {
        let b = &b;
        async move {
            b.client
                .get(b.url(&path))
                .header(header::ACCEPT_ENCODING, "gzip, br")
                .send()
                .await
                .expect("GET")
        }
    };
    let page = get(format!("/hazards/{id}")).await;
    let encoding = |r: &Response| {
        r.headers()
            .get(header::CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string()
    };
    assert!(["br", "gzip"].contains(&encoding(&page).as_str()), "html");
    let csv = get("/hazards.csv".into()).await;
    assert!(["br", "gzip"].contains(&encoding(&csv).as_str()), "csv");
    let jpeg = get(format!("/attachments/{photo}")).await;
    assert_eq!(encoding(&jpeg), "identity", "a photo is compressed already");
}

#[tokio::test]
async fn every_answer_names_its_request_id() {
    let app = TestApp::spawn().await;
    let res = app.browser().get("/login").await;
    let id = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert_eq!(id.len(), 12, "{id}");
}

#[tokio::test]
async fn a_server_error_is_a_page_in_the_layout_that_names_its_request_id() {
    let app = TestApp::spawn().await;
    let (b, id) = registered(&app, "K-10").await;
    let photo = app.photo("k-10.officer", id, Stage::Before, 8);
    // The photo's file is gone from the disk: the server's fault, not the user's.
    std::fs::remove_dir_all(app.config.uploads_dir()).expect("remove the uploads");
    let res = b.get(&format!("/attachments/{photo}")).await;
    assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    let request = res
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let html = res.text().await.unwrap_or_default();
    assert!(html.contains("class=\"topbar\""), "drawn in the layout");
    assert!(
        html.contains(&format!("出错编号：{request}")),
        "names the request id: {html}"
    );
}

/// A browser's refused form: the redirect's target, read back (422) with `typed` in it.
async fn refused_in_a_browser(
    b: &Browser,
    path: &str,
    fields: &[(&str, &str)],
    back: &str,
    typed: &str,
) {
    let res = navigate_post(b, path, fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
    let to = location(&res);
    assert!(
        to.starts_with(&format!("{back}?draft=")),
        "{path} back to {back}: {to}"
    );
    let page = b.get(to.split('#').next().unwrap_or("")).await;
    assert_eq!(page.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    let html = page.text().await.unwrap_or_default();
    assert!(html.contains(typed), "{path}: {typed} kept in {html}");
    assert!(
        html.contains("class=\"field-error\""),
        "{path}: the error at its field"
    );
}

#[tokio::test]
async fn every_create_and_edit_form_keeps_what_was_typed_when_refused() {
    let app = TestApp::spawn().await;
    let school = app.school("K-11");
    let admin = app.logged_in("k.admin", Role::Admin, None).await;
    refused_in_a_browser(
        &admin,
        "/schools",
        &[
            ("code", "bad code"),
            ("name", "城北新区小学"),
            ("kind", "primary"),
        ],
        "/schools/new",
        "城北新区小学",
    )
    .await;
    refused_in_a_browser(
        &admin,
        &format!("/schools/{school}"),
        &[
            ("code", "K-11"),
            ("name", ""),
            ("kind", "primary"),
            ("principal", "李校长新"),
        ],
        &format!("/schools/{school}/edit"),
        "李校长新",
    )
    .await;
    refused_in_a_browser(
        &admin,
        "/users",
        &[
            ("username", "Bad Name"),
            ("display_name", "张老师"),
            ("role", "staff"),
        ],
        "/users/new",
        "张老师",
    )
    .await;
    let user = app.user("k.someone", Role::Staff, Some("K-11"));
    refused_in_a_browser(
        &admin,
        &format!("/users/{user}"),
        &[
            ("display_name", "改后的名字"),
            ("role", "staff"),
            ("school", "NOPE"),
        ],
        &format!("/users/{user}/edit"),
        "改后的名字",
    )
    .await;
    let long = "县".repeat(41);
    refused_in_a_browser(
        &admin,
        "/settings",
        &[("county_name", &long)],
        "/settings",
        &long,
    )
    .await;
    assert_eq!(app.count("schools"), 1, "nothing was saved");
}

#[tokio::test]
async fn a_refused_form_still_carries_the_version_it_was_drawn_from() {
    let app = TestApp::spawn().await;
    let (b, id) = registered(&app, "K-12").await;
    // The form is drawn at version 2; meanwhile the bureau sets supervision (version 3).
    let bureau = app.logged_in("k12.bureau", Role::Bureau, None).await;
    let res = navigate_post(
        &b,
        &format!("/hazards/{id}/transition"),
        &[("action", "assign"), ("version", "2"), ("deadline", "")],
    )
    .await;
    let to = location(&res);
    let far = (today() + chrono::Duration::days(9)).to_string();
    let supervise = bureau
        .post(
            &format!("/hazards/{id}/supervise"),
            &[
                ("on", "1"),
                ("measures", "设置隔离"),
                ("responsible_person", "王强"),
                ("funding", "5 万元"),
                ("deadline", &far),
                ("contingency_plan", "封闭区域"),
            ],
        )
        .await;
    assert_eq!(supervise.status(), StatusCode::SEE_OTHER);
    let html = b.text(to.split('#').next().unwrap_or("")).await;
    assert!(
        html.contains("name=\"version\" value=\"2\""),
        "the refused form keeps the version it was drawn from"
    );
    let res = b
        .post(
            &format!("/hazards/{id}/transition"),
            &[
                ("action", "assign"),
                ("version", "2"),
                ("deadline", &far),
                ("responsible_unit", "总务处"),
                ("responsible_person", "李四"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "the change made meanwhile is not overwritten"
    );
}

#[tokio::test]
async fn a_report_with_more_photos_than_it_takes_is_refused_with_its_values() {
    let app = TestApp::spawn().await;
    app.school("K-13");
    let b = app.logged_in("k13.staff", Role::Staff, Some("K-13")).await;
    let photos = (0..13).map(|i| ("photo", png(i, 16, 16))).collect();
    let fields = [
        ("source", "campus"),
        ("category", "fire"),
        ("title", "楼道堆放杂物"),
        ("level", "general"),
        ("found_on", &today().to_string()),
    ];
    let res = multipart(&b, "/hazards", &fields, photos, false).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap_or_default();
    assert!(
        html.contains("楼道堆放杂物") && html.contains("最多 12 张"),
        "{html}"
    );
    assert_eq!(app.count("hazards"), 0);
    assert_eq!(app.count("attachments"), 0, "nothing kept beyond the limit");
}

#[tokio::test]
async fn housekeeping_forgets_unclaimed_files_and_their_bytes_but_spares_shared_ones() {
    let app = TestApp::spawn().await;
    let (b, id) = registered(&app, "K-14").await;
    let shared = app.photo("k-14.officer", id, Stage::Before, 20);
    let fields = [("source", "campus"), ("title", ""), ("found_on", "x")];
    // Two refused reports: one with a photo nobody else has, one with the hazard's own.
    for seed in [21, 20] {
        let res = multipart(
            &b,
            "/hazards",
            &fields,
            vec![("photo", png(seed, 64, 48))],
            false,
        )
        .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    assert_eq!(app.count("attachments WHERE record_id IS NULL"), 2);
    let day_ago = time_ago(2);
    app.exec(&format!(
        "UPDATE attachments SET uploaded_at = '{day_ago}' WHERE record_id IS NULL"
    ));
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 24 * 3600);
    let uploads = app.config.uploads_dir();
    let files = || -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for dir in std::fs::read_dir(&uploads).into_iter().flatten().flatten() {
            for f in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                out.push(f.path());
            }
        }
        out
    };
    for f in files() {
        let file = std::fs::File::options()
            .append(true)
            .open(&f)
            .expect("open");
        file.set_modified(old).expect("age the file");
    }
    assert_eq!(files().len(), 4, "two photos, each with its thumbnail");
    let (pool, config) = (app.pool.clone(), app.config.clone());
    let round = tokio::task::spawn_blocking(move || xiaoan::housekeeping::run_once(&pool, &config))
        .await
        .expect("ran")
        .expect("succeeded");
    assert_eq!(round.pending_files_purged, 2);
    assert_eq!(app.count("attachments"), 1, "the hazard's photo stays");
    assert_eq!(files().len(), 2, "only the unused photo's bytes went");
    let served = b.get(&format!("/attachments/{shared}")).await;
    assert_eq!(
        served.status(),
        StatusCode::OK,
        "the shared file still serves"
    );
}

/// An instant `days` ago, as the database stores it.
fn time_ago(days: i64) -> String {
    (xiaoan::domain::time::now() - chrono::Duration::days(days))
        .format("%Y-%m-%d %H:%M:%S%.6f")
        .to_string()
}
