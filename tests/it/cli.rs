//! The command line of CONTRACT.md ("Build and CLI"), run as the real binary against the
//! suite's backend: each test spawns a TestApp and points the CLI at its database.

use std::time::Duration;

use diesel::prelude::*;
use reqwest::StatusCode;
use xiaoan::db::DbConn;
use xiaoan::db::schema::events;
use xiaoan::domain::role::Role;
use xiaoan::store;

use crate::cli_helpers::*;
use crate::helpers::*;

/// Runs the binary against the app's database (SQLite file or PostgreSQL).
fn on(app: &TestApp, args: &[&str]) -> Run {
    run_in(app.dir.path(), Some(&app.database_url), args, None)
}

fn on_with_stdin(app: &TestApp, args: &[&str], stdin: &str) -> Run {
    run_in(app.dir.path(), Some(&app.database_url), args, Some(stdin))
}

/// Row counts of every table a CLI command may write.
fn counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    ["schools", "users", "townships", "events", "sessions"]
        .into_iter()
        .map(|t| (t, app.count(t)))
        .collect()
}

fn event_ids(app: &TestApp) -> Vec<(i64, String)> {
    events::table
        .order(events::id)
        .select((events::id, events::chain))
        .load(&mut *app.conn() as &mut DbConn)
        .expect("event ids")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_arguments_print_one_line_and_write_nothing() {
    let app = TestApp::spawn().await;
    app.school("CX-0001");
    // (arguments, what the one line must name)
    let cases: &[(&[&str], &str)] = &[
        (
            &["user", "add", "--username", "x.user", "--role", "king"],
            "--role",
        ),
        (
            &["user", "add", "--username", "x", "--role", "king"],
            "--role",
        ),
        (
            &["user", "add", "--username", "Not Valid", "--role", "bureau"],
            "--username",
        ),
        (
            &[
                "user",
                "add",
                "--username",
                "x.user",
                "--role",
                "bureau",
                "--school",
                "CX-0001",
            ],
            "--school",
        ),
        (&["frobnicate"], "frobnicate"),
        (&["school", "add", "--code", "CX-0002"], "--name"),
        (
            &["school", "add", "--code", "bad code", "--name", "N"],
            "--code",
        ),
        (
            &[
                "school", "add", "--code", "CX-0003", "--name", "N", "--pupils", "many",
            ],
            "--pupils",
        ),
        (
            &[
                "school", "add", "--code", "CX-0004", "--name", "N", "--kind", "castle",
            ],
            "--kind",
        ),
        (
            &[
                "school",
                "add",
                "--code",
                "CX-0005",
                "--name",
                "N",
                "--pupils",
                "10",
                "--boarders",
                "20",
            ],
            "--boarders",
        ),
        (&["backup"], "--out"),
        (&["audit", "frobnicate"], "frobnicate"),
    ];
    let before = counts(&app);
    for (args, names) in cases {
        // A fresh data dir, no URL: the SQLite default, which must not even be created.
        let fresh = tempfile::tempdir().expect("temp dir");
        let run = run_in(fresh.path(), None, args, Some("a-long-password-1\n"));
        let line = run.one_line_error();
        assert!(
            line.contains(names),
            "xiaoan {args:?}: the error should name {names}: {line:?}"
        );
        assert!(
            !fresh.path().join("xiaoan.db").exists(),
            "xiaoan {args:?} created the database file"
        );
        let left: Vec<_> = std::fs::read_dir(fresh.path())
            .expect("read the data dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert!(
            left.is_empty(),
            "xiaoan {args:?} wrote {left:?} into the data dir"
        );
        // The suite's database: nothing added.
        let run = on_with_stdin(&app, args, "a-long-password-1\n");
        let line = run.one_line_error();
        assert!(
            line.contains(names),
            "xiaoan {args:?}: the error should name {names}: {line:?}"
        );
        assert_eq!(
            counts(&app),
            before,
            "xiaoan {args:?} wrote to the database"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn school_add_and_user_add_create_records_a_user_can_log_in_with() {
    let app = TestApp::spawn().await;
    let run = on(
        &app,
        &[
            "school",
            "add",
            "--code",
            "CX-9001",
            "--name",
            "测试学校",
            "--township",
            "辰阳镇",
            "--kind",
            "primary",
            "--pupils",
            "300",
            "--boarders",
            "10",
        ],
    );
    run.assert_ok();
    assert!(run.stdout.contains("CX-9001"), "stdout: {}", run.stdout);
    let school = store::schools::find_by_code(&mut app.conn(), "CX-9001")
        .expect("query")
        .expect("the school was added");
    assert_eq!(
        (
            school.name.as_str(),
            school.kind.as_str(),
            school.pupils,
            school.boarders,
            school.active
        ),
        ("测试学校", "primary", 300, 10, true)
    );
    let row = store::schools::get(&mut app.conn(), school.id).expect("school row");
    assert_eq!(row.township.as_deref(), Some("辰阳镇"));

    let run = on_with_stdin(
        &app,
        &[
            "user",
            "add",
            "--username",
            "t.admin",
            "--role",
            "school_admin",
            "--school",
            "CX-9001",
            "--display-name",
            "测试",
        ],
        "a-long-password-1\n",
    );
    run.assert_ok();
    assert!(run.stdout.contains("t.admin"), "stdout: {}", run.stdout);
    let user = store::users::find_by_username(&mut app.conn(), "t.admin")
        .expect("query")
        .expect("the user was added");
    assert_eq!(
        (
            user.display_name.as_str(),
            user.role.as_str(),
            user.school_id,
            user.active
        ),
        ("测试", "school_admin", Some(school.id), true)
    );
    assert!(
        !user.password_hash.contains("a-long-password-1"),
        "the password is stored hashed"
    );

    let b = app.browser();
    let res = b.login("t.admin", "a-long-password-1").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    let res = b.get("/").await;
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the new user reaches the home page"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_add_refuses_a_school_role_without_a_school_and_an_unknown_school() {
    let app = TestApp::spawn().await;
    app.school("CX-0001");
    let before = counts(&app);
    for role in ["staff", "school_admin"] {
        let run = on_with_stdin(
            &app,
            &["user", "add", "--username", "t.staff", "--role", role],
            "a-long-password-1\n",
        );
        let line = run.one_line_error();
        assert!(
            line.contains("--school"),
            "the error names --school: {line:?}"
        );
        assert_eq!(counts(&app), before);

        let run = on_with_stdin(
            &app,
            &[
                "user",
                "add",
                "--username",
                "t.staff",
                "--role",
                role,
                "--school",
                "CX-0404",
            ],
            "a-long-password-1\n",
        );
        let line = run.one_line_error();
        assert!(
            line.contains("--school"),
            "the error names --school: {line:?}"
        );
        assert_eq!(counts(&app), before);
    }
    assert!(
        store::users::find_by_username(&mut app.conn(), "t.staff")
            .expect("query")
            .is_none()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_add_refuses_a_short_password_from_stdin() {
    let app = TestApp::spawn().await;
    let before = counts(&app);
    let args = ["user", "add", "--username", "t.bureau", "--role", "bureau"];
    for (stdin, names) in [
        ("short\n", "password"),
        ("123456789\n", "password"),
        ("my-t.bureau-password\n", "password"),
        ("", "password"),
        ("\n", "password"),
    ] {
        let run = on_with_stdin(&app, &args, stdin);
        let line = run.one_line_error();
        assert!(
            line.contains(names),
            "stdin {stdin:?}: the error should be about the password: {line:?}"
        );
        assert_eq!(counts(&app), before, "stdin {stdin:?} added something");
    }
    // Ten characters is enough.
    on_with_stdin(&app, &args, "0123456789\n").assert_ok();
    assert_eq!(app.count("users"), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_loads_an_empty_database_and_refuses_a_second_time() {
    let app = TestApp::spawn().await;
    on(&app, &["demo"]).assert_ok();
    assert_eq!(app.count("schools"), 12);
    assert_eq!(app.count("users"), xiaoan::demo::ACCOUNTS.len() as i64);
    // Hazards in every state of the loop, and the trail that led there still verifies.
    for state in xiaoan::domain::hazards::State::ALL {
        let n = app.count(&format!("hazards WHERE state = '{}'", state.as_str()));
        assert!(n >= 1, "the demo has a hazard in state {state:?}");
    }
    assert!(app.count("hazards WHERE supervised = true") >= 1);
    assert!(app.count("attachments WHERE stage = 'after'") >= 1);
    on(&app, &["audit", "verify"]).assert_ok();
    let after_first = counts(&app);

    let line = on(&app, &["demo"]).one_line_error();
    assert!(line.contains("empty"), "the refusal says why: {line:?}");
    assert_eq!(
        counts(&app),
        after_first,
        "a second demo changed the database"
    );

    for (username, ..) in xiaoan::demo::ACCOUNTS {
        let res = app
            .browser()
            .login(username, xiaoan::demo::DEMO_PASSWORD)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "demo account {username} logs in"
        );
        assert_eq!(location(&res), "/", "demo account {username}");
    }
    on(&app, &["audit", "verify"]).assert_ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_refuses_a_database_that_already_holds_a_school() {
    let app = TestApp::spawn().await;
    app.school("CX-0001");
    let before = counts(&app);
    on(&app, &["demo"]).one_line_error();
    assert_eq!(counts(&app), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_writes_a_consistent_copy_of_the_sqlite_database() {
    let app = TestApp::spawn().await;
    let out_dir = tempfile::tempdir().expect("temp dir");
    let out = out_dir.path().join("copy.db");
    let out_arg = out.to_str().expect("utf-8 path");
    if app.is_postgres() {
        let line = on(&app, &["backup", "--out", out_arg]).one_line_error();
        assert!(
            line.contains("pg_dump"),
            "the refusal points to pg_dump: {line:?}"
        );
        assert!(!out.exists(), "no file is written for PostgreSQL");
        return;
    }
    for code in ["CX-0001", "CX-0002", "CX-0003"] {
        app.school(code);
    }
    // Serving, with a session open and a write just made.
    let b = app.logged_in("t.bureau", Role::Bureau, None).await;
    assert_eq!(b.get("/").await.status(), StatusCode::OK);

    let run = on(&app, &["backup", "--out", out_arg]);
    run.assert_ok();
    assert!(out.is_file(), "the backup file exists");

    let live = counts(&app);
    let mut copy = xiaoan::db::connect(out_arg).expect("open the copy");
    let copied: Vec<(&str, i64)> = live
        .iter()
        .map(|(t, _)| {
            #[derive(QueryableByName)]
            struct N {
                #[diesel(sql_type = diesel::sql_types::BigInt)]
                n: i64,
            }
            let rows: Vec<N> = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {t}"))
                .load(&mut copy)
                .expect("count in the copy");
            (*t, rows[0].n)
        })
        .collect();
    assert_eq!(copied, live, "the copy holds what the live database holds");
    assert_eq!(live[0], ("schools", 3));
    assert!(
        matches!(
            store::events::verify(&mut copy),
            Ok(store::events::Verdict::Intact { .. })
        ),
        "the copy's audit trail verifies"
    );
    drop(copy);

    // The app keeps working after the backup.
    assert_eq!(b.get("/").await.status(), StatusCode::OK);

    let size = std::fs::metadata(&out).expect("metadata").len();
    let line = on(&app, &["backup", "--out", out_arg]).one_line_error();
    assert!(line.contains("exists"), "the refusal says why: {line:?}");
    assert_eq!(
        std::fs::metadata(&out).expect("metadata").len(),
        size,
        "the first copy is kept"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_passes_on_an_intact_trail_and_names_an_edited_event() {
    let app = TestApp::spawn().await;
    app.school("CX-1");
    app.user("t.bureau", Role::Bureau, None);
    let b = app.browser();
    assert_eq!(
        b.login("t.bureau", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(b.logout().await.status(), StatusCode::SEE_OTHER);

    let run = on(&app, &["audit", "verify"]);
    run.assert_ok();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one summary line: {:?}", run.stdout);
    assert!(lines[0].contains("intact"), "summary: {:?}", lines[0]);
    assert!(
        lines[0].contains('4'),
        "the summary counts the 4 events: {:?}",
        lines[0]
    );

    let ids = event_ids(&app);
    assert_eq!(ids.len(), 4);
    let second = ids[1].0;
    assert_eq!(
        app.exec(&format!(
            "UPDATE events SET comment = 'tampered' WHERE id = {second}"
        )),
        1
    );

    let run = on(&app, &["audit", "verify"]);
    let line = run.one_line_error();
    assert!(
        format!("{line} ").contains(&format!("event {second} ")),
        "the error names event {second}: {line:?}"
    );
    assert!(!run.stdout.contains("intact"), "stdout: {:?}", run.stdout);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn audit_verify_names_the_event_after_one_deleted_from_the_middle_of_a_chain() {
    let app = TestApp::spawn().await;
    app.school("CX-1");
    app.user("t.staff", Role::Staff, Some("CX-1"));
    app.school("CX-2");
    app.user("t.bureau", Role::Bureau, None);
    for _ in 0..2 {
        let b = app.browser();
        assert_eq!(
            b.login("t.staff", PASSWORD).await.status(),
            StatusCode::SEE_OTHER
        );
        assert_eq!(b.logout().await.status(), StatusCode::SEE_OTHER);
    }
    on(&app, &["audit", "verify"]).assert_ok();

    // The chain of CX-1: its creation, t.staff's creation, two logins and two logouts.
    let ids = event_ids(&app);
    let chain = &ids[0].1;
    let in_chain: Vec<i64> = ids
        .iter()
        .filter(|(_, c)| c == chain)
        .map(|(id, _)| *id)
        .collect();
    assert_eq!(in_chain.len(), 6, "events of {chain}: {ids:?}");
    // t.staff's creation; events of other chains lie between it and the next of its chain.
    let (removed, next) = (in_chain[1], in_chain[2]);
    assert!(
        next > removed + 1,
        "other chains' events in between: {ids:?}"
    );
    assert_eq!(
        app.exec(&format!("DELETE FROM events WHERE id = {removed}")),
        1
    );

    let line = on(&app, &["audit", "verify"]).one_line_error();
    assert!(
        format!("{line} ").contains(&format!("event {next} ")),
        "the error names event {next}, the one after the deleted {removed}: {line:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_creates_the_first_admin_and_stops_cleanly_on_sigterm() {
    // An empty database of the suite's backend: no users yet.
    let app = TestApp::spawn().await;
    assert_eq!(app.count("users"), 0);
    let mut served = serve(app.dir.path(), Some(&app.database_url), &[]);
    let created = wait_for_line(
        &served.stdout,
        "created the first account: admin / ",
        Duration::from_secs(30),
        "stdout",
    );
    let password = created
        .split("admin / ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .expect("a password after 'admin / '")
        .to_string();
    assert!(
        password.len() >= 10,
        "a strong temporary password: {password:?}"
    );
    let base = served.base.clone();

    let b = Browser::new(&base);
    let res = b.get("/healthz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.expect("body"), "ok");

    let res = b.login("admin", &password).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&res), "/");
    let res = b.get("/").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&res),
        "/account/password",
        "the first admin must change the password"
    );
    let admin = store::users::find_by_username(&mut app.conn(), "admin")
        .expect("query")
        .expect("the admin row");
    assert_eq!(
        (admin.role.as_str(), admin.must_change_password),
        ("admin", true)
    );

    let status = sigterm_and_wait(&mut served.child.0);
    assert!(status.success(), "serve exits 0 on SIGTERM, got {status}");
    assert!(
        reqwest::get(format!("{base}/healthz")).await.is_err(),
        "nothing listens on the port after the stop"
    );

    // A second start does not create another admin.
    let mut again = serve(app.dir.path(), Some(&app.database_url), &[]);
    assert!(
        again
            .stdout
            .try_iter()
            .all(|l| !l.contains("created the first account")),
        "no second first account"
    );
    assert_eq!(app.count("users"), 1);
    let status = sigterm_and_wait(&mut again.child.0);
    assert!(status.success(), "serve exits 0 on SIGTERM, got {status}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_imports_from_the_command_line_are_all_or_nothing() {
    let app = TestApp::spawn().await;
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "code,name,kind\nCLI-1,一小,primary\nbad code,二小,college\n",
    )
    .expect("write");
    let line = on(&app, &["school", "import", &bad.display().to_string()]).one_line_error();
    assert!(line.contains("line 3"), "names the bad line: {line}");
    assert_eq!(app.count("schools"), 0);
    let good = dir.path().join("good.csv");
    std::fs::write(
        &good,
        "\u{FEFF}code,name,township,kind\nCLI-1,一小,辰阳镇,primary\nCLI-2,二中,辰阳镇,junior\n",
    )
    .expect("write");
    let run = on(&app, &["school", "import", &good.display().to_string()]);
    run.assert_ok();
    assert_eq!(app.count("schools"), 2);
    let users = dir.path().join("users.csv");
    std::fs::write(
        &users,
        "username,display_name,role,school\ncli.t,老师,staff,CLI-1\ncli.b,局里,bureau,\n",
    )
    .expect("write");
    let run = on(&app, &["user", "import", &users.display().to_string()]);
    run.assert_ok();
    let issued: Vec<(&str, &str)> = run
        .stdout
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .collect();
    assert_eq!(issued.len(), 2);
    let (name, temp) = issued[0];
    assert_eq!(name, "cli.t");
    let b = app.browser();
    assert_eq!(b.login(name, temp).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&b.get("/").await),
        "/account/password",
        "a temporary password must be changed"
    );
    let line = on(&app, &["user", "import", &users.display().to_string()]).one_line_error();
    assert!(
        line.contains("line 2") && line.contains("line 3"),
        "both names are taken now: {line}"
    );
    assert_eq!(app.count("users"), 2);
    let line = on(&app, &["school", "import", "/no/such/file.csv"]).one_line_error();
    assert!(line.contains("cannot read"));
}

#[tokio::test]
async fn backup_refuses_a_data_dir_without_a_database_and_migrate_creates_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = dir.path().join("typo");
    let out = dir.path().join("copy.db");
    let run = run_in(
        &empty,
        None,
        &["backup", "--out", &out.display().to_string()],
        None,
    );
    let line = run.one_line_error();
    assert!(line.contains("no database"), "{line}");
    assert!(
        !empty.join("xiaoan.db").exists() && !out.exists(),
        "nothing written"
    );
    let fresh = dir.path().join("fresh");
    run_in(&fresh, None, &["migrate"], None).assert_ok();
    assert!(fresh.join("xiaoan.db").is_file());
}
