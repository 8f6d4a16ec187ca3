//! The server's half-hourly round: expired sessions and stale login counts go, and the county's
//! settled months are kept before anyone asks for them.

use reqwest::StatusCode;
use xiaoan::housekeeping::{Round, run_once};

use crate::helpers::*;
use crate::report_helpers::*;

#[tokio::test]
async fn a_round_forgets_expired_sessions_and_stale_login_counts_and_keeps_the_countys_months() {
    let app = clocked().await;
    let c = County::new(&app).await;
    march(&c).await;
    c.at("2026-04-05 09:00");
    app.exec(
        "UPDATE sessions SET created_at = '2000-01-01 00:00:00', \
         last_seen_at = '2000-01-01 00:00:00' \
         WHERE user_id = (SELECT id FROM users WHERE username = 'r.officer')",
    );
    app.exec(
        "INSERT INTO login_throttle (key, failures, window_started_at, locked_until) \
         VALUES ('user:long.ago', 3, '2000-01-01 00:00:00', NULL)",
    );
    let recent = c
        .bureau
        .post("/login", &[("username", "nobody"), ("password", "x")]);
    assert_eq!(recent.await.status(), StatusCode::OK, "a failed login");
    let throttled = app.count("login_throttle");

    let (pool, config) = (app.pool.clone(), app.config.clone());
    let round = tokio::task::spawn_blocking(move || run_once(&pool, &config))
        .await
        .expect("the round ran")
        .expect("the round succeeded");
    assert_eq!(
        round,
        Round {
            sessions_purged: 1,
            throttle_rows_purged: 1,
            drafts_purged: 0,
            pending_files_purged: 0,
            // May 2025 to March 2026: the trend's settled months before April, for each section.
            months_kept: 11 * xiaoan::report::SECTIONS.len(),
            // March's overdue hazard reminds its school (once: the second round sends none).
            reminders_sent: 1,
            webhook_rows_purged: 0,
            temporaries_removed: 0,
        }
    );
    assert_eq!(
        app.count("login_throttle"),
        throttled - 1,
        "recent counts stay"
    );
    assert_eq!(
        app.count("report_snapshots WHERE scope = 'county'") as usize,
        11 * xiaoan::report::SECTIONS.len()
    );
    let res = c.officer.get("/").await;
    assert!(
        location(&res).starts_with("/login"),
        "the expired session no longer signs anyone in"
    );
    let kept = c
        .bureau
        .get("/reports/monthly.json?month=2026-03")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap_or_default();
    assert_eq!(hazards_json(&kept), (3, 1, 2, 1, 1));

    let (pool, config) = (app.pool.clone(), app.config.clone());
    let again = tokio::task::spawn_blocking(move || run_once(&pool, &config))
        .await
        .expect("ran")
        .expect("succeeded");
    assert_eq!(again, Round::default(), "nothing left to do");
}
