//! The hot queries use their indexes, on this run's database: SQLite's EXPLAIN QUERY PLAN
//! names an index (or the primary key) for each table it reads; PostgreSQL, with sequential
//! scans priced out (`enable_seqscan = off`: the test's tables are too small for the planner to
//! prefer an index otherwise), plans no Seq Scan. Written as the store sends them, values
//! inlined.

use diesel::RunQueryDsl;
use xiaoan::db::{Backend, DbConn};

use crate::helpers::TestApp;

const END: char = char::MAX;

/// (what, query) of the pages that run most often or over the most rows.
fn hot() -> Vec<(&'static str, String)> {
    vec![
        (
            "the bureau's ledger page",
            "SELECT id FROM hazards ORDER BY reported_at DESC, id DESC LIMIT 50".into(),
        ),
        (
            "a school's ledger page",
            "SELECT id FROM hazards WHERE school_id = 3 ORDER BY reported_at DESC LIMIT 50".into(),
        ),
        (
            "the overdue queue",
            "SELECT id FROM hazards WHERE state IN ('registered', 'rectifying') \
             AND deadline < '2026-01-01' ORDER BY deadline LIMIT 50"
                .into(),
        ),
        (
            "a search term's records",
            format!(
                "SELECT record_id FROM search_terms WHERE record_kind = 'hazard' \
                 AND term >= '灭火' AND term < '灭火{END}'"
            ),
        ),
        (
            "a hit's text",
            "SELECT 1 FROM search_docs WHERE record_kind = 'hazard' AND record_id = 7 \
             AND head LIKE '%灭火%'"
                .into(),
        ),
        (
            "the county's counts per state",
            "SELECT state, n FROM hazard_state_counts WHERE school_id = 0".into(),
        ),
        (
            "the current month's open hazards",
            "SELECT id, state FROM hazards WHERE state IN ('reported', 'registered', \
             'rectifying', 'awaiting_acceptance')"
                .into(),
        ),
        (
            "the hazards reported since the month began",
            "SELECT id FROM hazards WHERE reported_at >= '2026-01-01 00:00:00'".into(),
        ),
        (
            "the acceptances since the year began",
            "SELECT record_id FROM events WHERE record_kind = 'hazard' AND action = 'accept' \
             AND at >= '2026-01-01 00:00:00'"
                .into(),
        ),
        (
            "a record's timeline",
            "SELECT id FROM events WHERE record_kind = 'hazard' AND record_id = 7".into(),
        ),
        (
            "a user's unread notices",
            "SELECT id FROM notifications WHERE user_id = 3 AND read_at IS NULL ORDER BY id DESC \
             LIMIT 20"
                .into(),
        ),
        (
            "a township's schools",
            "SELECT id FROM schools WHERE township_id = 2".into(),
        ),
        (
            "a school's buildings",
            "SELECT id FROM buildings WHERE school_id = 3 AND status = 'in_use'".into(),
        ),
    ]
}

#[derive(diesel::QueryableByName)]
struct SqlitePlan {
    #[diesel(sql_type = diesel::sql_types::Text)]
    detail: String,
}

#[derive(diesel::QueryableByName)]
struct PgPlan {
    #[diesel(sql_type = diesel::sql_types::Text, column_name = "QUERY PLAN")]
    line: String,
}

fn plan(conn: &mut DbConn, sql: &str) -> Vec<String> {
    match conn.backend() {
        Backend::Sqlite => diesel::sql_query(format!("EXPLAIN QUERY PLAN {sql}"))
            .load::<SqlitePlan>(conn)
            .expect("plan")
            .into_iter()
            .map(|p| p.detail)
            .collect(),
        Backend::Postgres => {
            diesel::sql_query("SET enable_seqscan = off")
                .execute(conn)
                .expect("set");
            diesel::sql_query(format!("EXPLAIN {sql}"))
                .load::<PgPlan>(conn)
                .expect("plan")
                .into_iter()
                .map(|p| p.line)
                .collect()
        }
    }
}

/// Whether a plan reads every table through an index.
fn uses_indexes(backend: Backend, lines: &[String]) -> bool {
    match backend {
        // "SCAN t" reads the whole table; "SCAN t USING INDEX i" walks an index in order.
        Backend::Sqlite => lines
            .iter()
            .filter(|l| l.starts_with("SCAN ") || l.starts_with("SEARCH "))
            .all(|l| l.contains(" USING ")),
        Backend::Postgres => !lines.iter().any(|l| l.contains("Seq Scan")),
    }
}

#[tokio::test]
async fn the_hot_queries_use_their_indexes() {
    let app = TestApp::spawn_demo().await;
    let mut conn = app.conn();
    let backend = conn.backend();
    let mut missing = Vec::new();
    for (what, sql) in hot() {
        let lines = plan(&mut conn, &sql);
        if !uses_indexes(backend, &lines) {
            missing.push(format!("{what}: {lines:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "without an index:\n{}",
        missing.join("\n")
    );
}

#[test]
fn a_full_scan_is_told_from_an_index() {
    let scan = vec!["SCAN hazards".to_string()];
    let walk = vec!["SCAN hazards USING INDEX hazards_reported_at".to_string()];
    assert!(!uses_indexes(Backend::Sqlite, &scan));
    assert!(uses_indexes(Backend::Sqlite, &walk));
    assert!(!uses_indexes(
        Backend::Postgres,
        &["Seq Scan on hazards".to_string()]
    ));
}
