//! `xiaoan generate`: an empty database filled through the store's rules, the same for a seed,
//! every module's lists and the monthly report reading what it made, the trail intact.

use diesel::RunQueryDsl;
use reqwest::StatusCode;

use crate::cli_helpers::run_in;
use crate::helpers::TestApp;

fn generate(app: &TestApp, args: &[&str]) -> crate::cli_helpers::Run {
    let mut all = vec!["generate"];
    all.extend_from_slice(args);
    run_in(app.dir.path(), Some(&app.database_url), &all, None)
}

/// What a generated database holds, as counts and the hazards' texts in order.
fn contents(app: &TestApp) -> (Vec<i64>, Vec<String>) {
    let counts = [
        "schools",
        "users",
        "hazards",
        "hazards WHERE state = 'closed'",
        "buildings",
        "education_sessions",
        "guards",
        "legal_vps",
        "bullying_cases",
        "bullying_screenings",
        "campaigns",
        "campaign_marks",
        "attachments",
    ]
    .iter()
    .map(|t| app.count(t))
    .collect();
    #[derive(diesel::QueryableByName)]
    struct Title {
        #[diesel(sql_type = diesel::sql_types::Text)]
        title: String,
    }
    let titles: Vec<Title> = diesel::sql_query("SELECT title FROM hazards ORDER BY id")
        .load(&mut *app.conn() as &mut xiaoan::db::DbConn)
        .expect("titles");
    (counts, titles.into_iter().map(|t| t.title).collect())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generate_fills_an_empty_database_through_the_rules_the_same_for_a_seed() {
    let first = TestApp::spawn().await;
    let out = generate(&first, &["--schools", "6", "--years", "1", "--seed", "7"]);
    out.assert_ok();
    let (counts, titles) = contents(&first);
    assert_eq!(counts[0], 6, "schools");
    assert_eq!(
        counts[1],
        3 + 2 * 6,
        "the county's accounts and two per school"
    );
    assert!(counts[2] >= 6 * 10, "hazards: {counts:?}");
    assert!(
        counts[3] > 0 && counts[3] < counts[2],
        "some closed, some open: {counts:?}"
    );
    assert!(
        counts[4..12].iter().all(|n| *n > 0),
        "every module: {counts:?}"
    );
    assert!(counts[12] > 0, "fixes come with their after photo");
    run_in(
        first.dir.path(),
        Some(&first.database_url),
        &["audit", "verify"],
        None,
    )
    .assert_ok();

    let again = TestApp::spawn().await;
    generate(&again, &["--schools", "6", "--years", "1", "--seed", "7"]).assert_ok();
    assert_eq!(
        contents(&again),
        (counts.clone(), titles.clone()),
        "the same seed"
    );
    let other = TestApp::spawn().await;
    generate(&other, &["--schools", "6", "--years", "1", "--seed", "8"]).assert_ok();
    assert_ne!(contents(&other).1, titles, "another seed");

    let line = generate(&first, &["--schools", "2"]).one_line_error();
    assert!(line.contains("empty"), "{line}");
    assert_eq!(contents(&first).0, counts, "a refused run wrote nothing");
    let empty = TestApp::spawn().await;
    let line = generate(&empty, &["--schools", "0"]).one_line_error();
    assert!(line.contains("--schools"), "{line}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn generated_records_read_in_every_list_the_search_and_the_report() {
    let app = TestApp::spawn().await;
    generate(&app, &["--schools", "4", "--years", "1"]).assert_ok();
    let bureau = app.browser();
    let res = bureau.login("bureau", xiaoan::generate::PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let total = app.count("hazards");
    assert!(
        bureau
            .text("/hazards")
            .await
            .contains(&format!("共 {total} 条"))
    );
    let fire = app.count("hazards WHERE title LIKE '%灭火器%'");
    let found = bureau.text("/hazards?q=灭火器").await;
    assert!(
        found.contains(&format!("共 {fire} 条")),
        "the search index has them"
    );
    for path in [
        "/buildings",
        "/education",
        "/legal-vps",
        "/security",
        "/bullying",
        "/campaigns",
    ] {
        assert_eq!(bureau.get(path).await.status(), StatusCode::OK, "{path}");
    }
    let month = xiaoan::domain::time::local_date(xiaoan::domain::time::now())
        .format("%Y-%m")
        .to_string();
    let report: serde_json::Value = bureau
        .get(&format!("/reports/monthly.json?month={month}"))
        .await
        .json()
        .await
        .expect("report json");
    let found = report["hazards"]["found"].as_i64().expect("found");
    let listed = bureau.text(&format!("/hazards?found={month}")).await;
    assert!(
        listed.contains(&format!("共 {found} 条")),
        "the report's trail and the rows agree"
    );
}
