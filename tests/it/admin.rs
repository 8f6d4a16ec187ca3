//! The admin's pages: schools and users, forms, imports, temporary passwords.

use reqwest::StatusCode;
use xiaoan::domain::role::Role;

use crate::helpers::*;

fn school_form<'a>(code: &'a str, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("code", code),
        ("name", name),
        ("township", "火马冲镇"),
        ("kind", "nine_year"),
        ("pupils", "1100"),
        ("boarders", "300"),
        ("staff", "70"),
        ("principal", "舒国平"),
        ("phone", "0745-5201234"),
    ]
}

#[tokio::test]
async fn the_admin_creates_edits_and_deactivates_a_school() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin, None).await;
    let res = admin
        .post("/schools", &school_form("HMC-1", "火马冲镇学校"))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let at = location(&res);
    assert!(at.starts_with("/schools/"), "{at}");
    let page = admin.text(&at).await;
    assert!(page.contains("火马冲镇学校") && page.contains("1100") && page.contains("学校已新增"));
    let res = admin
        .post(&at, &school_form("HMC-1", "火马冲镇中心学校"))
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert!(admin.text(&at).await.contains("火马冲镇中心学校"));
    let res = admin
        .post(&format!("{at}/active"), &[("active", "0")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = admin.text(&at).await;
    assert!(page.contains("已停用"));
    // Create, edit and deactivate are on the record's timeline.
    for action in ["创建", "修改", "停用"] {
        assert!(
            page.contains(&format!("<span class=\"what\">{action}</span>")),
            "{action}"
        );
    }
}

#[tokio::test]
async fn clearing_a_schools_township_in_its_form_clears_it() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin, None).await;
    let res = admin
        .post("/schools", &school_form("HMC-2", "火马冲镇学校"))
        .await;
    let at = location(&res);
    let mut form = school_form("HMC-2", "火马冲镇学校");
    form[2] = ("township", "");
    let res = admin.post(&at, &form).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = at.trim_start_matches("/schools/");
    assert_eq!(
        app.count(&format!("schools WHERE id = {id} AND township_id IS NULL")),
        1,
        "the trail says it was cleared, and so is the row"
    );
}

#[tokio::test]
async fn an_invalid_school_is_refused_with_reasons_and_nothing_saved() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin, None).await;
    let events_before = app.count("events");
    let mut form = school_form("bad code!", "");
    form[5] = ("boarders", "5000");
    let res = admin.post("/schools", &form).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap_or_default();
    assert!(
        page.contains("必填")
            && page.contains("寄宿生数不能多于学生数")
            && page.contains("只能用字母")
    );
    assert!(page.contains("火马冲镇"), "the form keeps what was typed");
    assert_eq!(app.count("schools"), 0);
    assert_eq!(
        app.count("events"),
        events_before,
        "no event for a refused form"
    );
}

#[tokio::test]
async fn a_duplicate_school_code_is_refused() {
    let app = TestApp::spawn().await;
    app.school("DUP-1");
    let admin = app.logged_in("root", Role::Admin, None).await;
    let res = admin
        .post("/schools", &school_form("DUP-1", "另一所"))
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap_or_default().contains("已被使用"));
    assert_eq!(app.count("schools"), 1);
}

#[tokio::test]
async fn xss_in_a_school_name_comes_back_escaped() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin, None).await;
    let payload = "<script>alert(1)</script>";
    let res = admin.post("/schools", &school_form("XSS-1", payload)).await;
    let page = admin.text(&location(&res)).await;
    assert!(!page.contains(payload));
    assert!(
        page.contains("&lt;script&gt;")
            || page.contains("&#60;script&#62;")
            || page.contains("&lt;script")
    );
}

fn temp_password(page: &str) -> String {
    let start = page
        .find("class=\"temp-password\">")
        .map(|i| i + "class=\"temp-password\">".len())
        .unwrap_or(0);
    page[start..].chars().take_while(|c| *c != '<').collect()
}

#[tokio::test]
async fn a_new_user_gets_a_temporary_password_and_must_change_it_first() {
    let app = TestApp::spawn().await;
    app.school("S1");
    let admin = app.logged_in("root", Role::Admin, None).await;
    let res = admin
        .post(
            "/users",
            &[
                ("username", "new.teacher"),
                ("display_name", "新老师"),
                ("role", "staff"),
                ("school", "S1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.headers()
            .get("cache-control")
            .and_then(|v| v.to_str().ok()),
        Some("no-store")
    );
    let temp = temp_password(&res.text().await.unwrap_or_default());
    assert_eq!(temp.chars().count(), 16, "{temp}");
    let user = app.browser();
    assert_eq!(
        user.login("new.teacher", &temp).await.status(),
        StatusCode::SEE_OTHER
    );
    for path in ["/", "/schools/1"] {
        assert_eq!(
            location(&user.get(path).await),
            "/account/password",
            "{path}"
        );
    }
    let res = user
        .post(
            "/account/password",
            &[
                ("current_password", &temp),
                ("new_password", "my own good password"),
                ("confirm_password", "my own good password"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(user.get("/").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn user_form_errors_are_shown_and_nothing_is_saved() {
    let app = TestApp::spawn().await;
    app.school("S1");
    let admin = app.logged_in("root", Role::Admin, None).await;
    let cases: [&[(&str, &str)]; 5] = [
        &[
            ("username", "Bad Name"),
            ("role", "staff"),
            ("school", "S1"),
        ],
        &[("username", "no.school"), ("role", "staff"), ("school", "")],
        &[
            ("username", "county.school"),
            ("role", "bureau"),
            ("school", "S1"),
        ],
        &[
            ("username", "ghost.school"),
            ("role", "staff"),
            ("school", "NOPE"),
        ],
        &[("username", "root"), ("role", "viewer"), ("school", "")],
    ];
    for fields in cases {
        let res = admin.post("/users", fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
    }
    assert_eq!(app.count("users"), 1);
}

#[tokio::test]
async fn a_reset_password_ends_the_users_sessions() {
    let app = TestApp::spawn().await;
    let victim = app.logged_in("forgot", Role::Viewer, None).await;
    let id = app.count("users");
    let admin = app.logged_in("root", Role::Admin, None).await;
    let res = admin.post(&format!("/users/{id}/password"), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
    let temp = temp_password(&res.text().await.unwrap_or_default());
    assert_eq!(location(&victim.get("/").await), "/login");
    let b = app.browser();
    assert_eq!(
        b.login("forgot", &temp).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(location(&b.get("/").await), "/account/password");
}

#[tokio::test]
async fn disabling_a_user_ends_their_sessions_and_enabling_lets_them_back() {
    let app = TestApp::spawn().await;
    let user = app.logged_in("leaver", Role::Viewer, None).await;
    let admin = app.logged_in("root", Role::Admin, None).await;
    assert_eq!(
        admin
            .post("/users/1/active", &[("active", "0")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(location(&user.get("/").await), "/login");
    assert_eq!(
        app.browser().login("leaver", PASSWORD).await.status(),
        StatusCode::OK
    );
    assert_eq!(
        admin
            .post("/users/1/active", &[("active", "1")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.browser().login("leaver", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_change_of_role_takes_effect_at_once() {
    let app = TestApp::spawn().await;
    app.school("S1");
    let user = app.logged_in("promoted", Role::Staff, Some("S1")).await;
    let admin = app.logged_in("root", Role::Admin, None).await;
    let res = admin
        .post(
            "/users/1",
            &[("display_name", "升职"), ("role", "bureau"), ("school", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&user.get("/").await),
        "/login",
        "old sessions end with the old scope"
    );
    let b = app.browser();
    b.login("promoted", PASSWORD).await;
    assert_eq!(b.get("/schools").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_school_csv_import_is_all_or_nothing_with_line_numbers() {
    let app = TestApp::spawn().await;
    app.school("CX-EXIST");
    let admin = app.logged_in("root", Role::Admin, None).await;
    let bad = "code,name,township,kind,pupils\nCX-A,甲小学,辰阳镇,primary,100\nCX-EXIST,重复,辰阳镇,primary,10\nCX-C,,辰阳镇,college,-5\n";
    let res = admin
        .upload("/schools/import", "schools.csv", bad.as_bytes().to_vec())
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap_or_default();
    assert!(page.contains("第 4 行"), "row-numbered: {page}");
    assert_eq!(app.count("schools"), 1, "nothing imported");
    // The database conflict is found too, by line.
    let dup = "code,name,kind\nCX-A,甲小学,primary\nCX-EXIST,重复,primary\n";
    let res = admin
        .upload("/schools/import", "schools.csv", dup.as_bytes().to_vec())
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap_or_default().contains("第 3 行"));
    assert_eq!(app.count("schools"), 1);
    let good = "\u{FEFF}code,name,township,kind,pupils,boarders,staff\nCX-A,甲小学,辰阳镇,primary,100,0,9\nCX-B,乙中学,后塘瑶族乡,junior,400,200,30\n";
    let res = admin
        .upload("/schools/import", "schools.csv", good.as_bytes().to_vec())
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("schools"), 3);
    assert!(admin.text("/schools").await.contains("已导入 2 所学校"));
}

#[tokio::test]
async fn a_user_csv_import_issues_temporary_passwords() {
    let app = TestApp::spawn().await;
    app.school("S1");
    let admin = app.logged_in("root", Role::Admin, None).await;
    let bad = "username,display_name,role,school\nok.one,一,staff,S1\nbad,二,wizard,S1\n";
    let res = admin
        .upload("/users/import", "users.csv", bad.as_bytes().to_vec())
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap_or_default().contains("第 3 行"));
    assert_eq!(app.count("users"), 1);
    let good = "username,display_name,role,school\nok.one,一,staff,S1\nok.two,二,bureau,\n";
    let res = admin
        .upload("/users/import", "users.csv", good.as_bytes().to_vec())
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap_or_default();
    assert_eq!(page.matches("class=\"temp-password\"").count(), 2);
    assert_eq!(app.count("users"), 3);
    let temp = temp_password(&page[page.find("ok.one").unwrap_or(0)..]);
    let b = app.browser();
    assert_eq!(
        b.login("ok.one", &temp).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn an_empty_upload_is_refused_clearly() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("root", Role::Admin, None).await;
    let res = admin
        .upload("/schools/import", "empty.csv", Vec::new())
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap_or_default()
            .contains("请选择一个文件")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn schools_naming_a_new_township_at_once_all_succeed() {
    let app = TestApp::spawn().await;
    let mut tasks = Vec::new();
    for i in 0..10 {
        let pool = app.pool.clone();
        tasks.push(tokio::task::spawn_blocking(move || {
            let s = xiaoan::domain::school::SchoolInput {
                code: format!("NEW-{i}"),
                name: format!("新校 {i}"),
                township: Some("新镇".into()),
                kind: xiaoan::domain::school::SchoolKind::Primary,
                pupils: 10,
                boarders: 0,
                staff: 2,
                principal: String::new(),
                phone: String::new(),
            };
            let mut conn = pool.get().expect("conn");
            xiaoan::store::schools::create(&mut conn, &xiaoan::store::Actor::cli(), &s).is_ok()
        }));
    }
    for t in tasks {
        assert!(t.await.unwrap_or(false), "every school was created");
    }
    assert_eq!(app.count("townships"), 1);
    assert_eq!(app.count("schools"), 10);
}

#[tokio::test]
async fn an_import_reports_every_bad_row_in_one_round() {
    let app = TestApp::spawn().await;
    app.school("CX-EXIST");
    let admin = app.logged_in("root", Role::Admin, None).await;
    // Line 3 is taken in the database, line 4 is badly formed, line 5 repeats line 2.
    let csv = "code,name,kind\nCX-A,甲小学,小学\nCX-EXIST,重复,primary\nCX-C,,college\nCX-A,又是甲,primary\n";
    let res = admin
        .upload("/schools/import", "schools.csv", csv.as_bytes().to_vec())
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap_or_default();
    for line in ["第 3 行", "第 4 行", "第 5 行"] {
        assert!(page.contains(line), "{line}: {page}");
    }
    assert!(
        page.contains("与第 2 行重复"),
        "the repeat names the earlier row"
    );
    assert!(
        !page.contains("第 2 行</span>"),
        "a good row is not refused"
    );
    assert_eq!(app.count("schools"), 1, "nothing imported");
    let users = "username,display_name,role,school\nli,李,staff,NOPE\nli,又李,教职工,CX-EXIST\nroot,根,bureau,\n";
    let res = admin
        .upload("/users/import", "users.csv", users.as_bytes().to_vec())
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap_or_default();
    for line in ["第 2 行", "第 3 行", "第 4 行"] {
        assert!(page.contains(line), "{line}: {page}");
    }
    assert_eq!(app.count("users"), 1);
}

#[tokio::test]
async fn the_import_pages_examples_import_into_the_demo_county_as_they_stand() {
    let app = TestApp::spawn_demo().await;
    let admin = app.logged_in("root.x", Role::Admin, None).await;
    let page = admin.text("/schools/import").await;
    assert!(
        page.contains("CX-0203,火马冲镇第二小学,火马冲镇,小学"),
        "{page}"
    );
    assert!(
        page.contains("<code>nine_year</code> 九年一贯制学校"),
        "kinds by name"
    );
    let schools = app.count("schools");
    let res = admin
        .upload(
            "/schools/import",
            "schools.csv",
            xiaoan::store::import::SCHOOL_EXAMPLE.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("schools"), schools + 2);
    let res = admin
        .upload(
            "/users/import",
            "users.csv",
            xiaoan::store::import::USER_EXAMPLE.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}
