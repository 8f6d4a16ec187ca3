//! The server's own log lines hold no pupil's name: `xiaoan serve --demo` runs, the bureau and
//! a school's officer open the cases, lists, exports and reports, record a party, send a form
//! that is refused and a tip; then every line the server printed is searched for each name the
//! cases hold.

use std::time::Duration;

use reqwest::StatusCode;
use xiaoan::demo::DEMO_PASSWORD;

use crate::cli_helpers::{serve, sigterm_and_wait};
use crate::helpers::*;

const NEW_NAME: &str = "欧阳晓蕾";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_log_line_of_the_server_names_a_pupil() {
    let dir = tempfile::tempdir().expect("data dir");
    let mut served = serve(dir.path(), None, &["--demo"]);
    let bureau = Browser::new(&served.base);
    let res = bureau.login("bureau", DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the bureau logs in");
    let officer = Browser::new(&served.base);
    let res = officer.login("yucai.admin", DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the officer logs in");
    let list = officer.text("/bullying").await;
    let ids: Vec<String> = list
        .split("href=\"/bullying/")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|s| s.parse::<i64>().is_ok())
        .map(str::to_string)
        .collect();
    assert!(!ids.is_empty(), "the demo school's cases: {list}");
    let mut names = Vec::new();
    for id in &ids {
        let page = officer.text(&format!("/bullying/{id}")).await;
        // The parties as the case page lists them: "被欺凌方：李小明，…".
        for part in page.split("<li>").skip(1) {
            if let Some(name) = part
                .split('：')
                .nth(1)
                .and_then(|n| n.split(['，', '<', ' ']).next())
                .filter(|n| (2..=4).contains(&n.chars().count()))
            {
                names.push(name.to_string());
            }
        }
        bureau.text(&format!("/bullying/{id}")).await;
        bureau.text(&format!("/bullying/{id}/access")).await;
    }
    assert!(
        names.len() >= 2,
        "the demo's pupils named on their pages: {names:?}"
    );
    let id = &ids[0];
    let path = format!("/bullying/{id}/parties");
    let ok = officer
        .post(
            &path,
            &[("role", "witness"), ("name", NEW_NAME), ("age", "12")],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let refused = officer
        .post(
            &path,
            &[("role", "witness"), ("name", NEW_NAME), ("age", "99")],
        )
        .await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    for path in [
        "/bullying.csv",
        "/bullying.xlsx",
        "/reports/monthly.json",
        "/reports/monthly",
    ] {
        assert_eq!(bureau.get(path).await.status(), StatusCode::OK, "{path}");
    }
    let stranger = Browser::new(&served.base);
    let tip = stranger
        .post(
            "/tip",
            &[
                ("school", "CX-0101"),
                ("summary", &format!("{NEW_NAME}被人堵在厕所")),
            ],
        )
        .await;
    assert_eq!(tip.status(), StatusCode::OK);
    sigterm_and_wait(&mut served.child.0);
    let mut lines = Vec::new();
    while let Ok(line) = served.stderr.recv_timeout(Duration::from_secs(2)) {
        lines.push(line);
    }
    assert!(
        lines.iter().any(|l| l.contains("served")),
        "the request log was read: {lines:?}"
    );
    names.push(NEW_NAME.to_string());
    for name in &names {
        for line in &lines {
            assert!(
                !line.contains(name.as_str()),
                "{name} in a log line: {line}"
            );
        }
    }
}
