//! The hazard rollups (`store::hazards::rollup`) against the rows: after the demo county's
//! histories (reports, steps, buildings' hazards, security gaps), after random histories
//! (`hazard_props`), and after an upgrade fills them from an earlier release's rows.

use diesel::RunQueryDsl;
use xiaoan::domain::hazards::State;
use xiaoan::domain::month::Month;
use xiaoan::domain::time;
use xiaoan::store::hazards::{rollup, trail};

use crate::helpers::TestApp;

impl TestApp {
    /// Hazards per state of a school (None: the county), counted from the rows.
    fn rows_per_state(&self, school: Option<i64>) -> Vec<(State, i64)> {
        let scope = school
            .map(|s| format!(" AND school_id = {s}"))
            .unwrap_or_default();
        State::ALL
            .iter()
            .map(|s| {
                let n = self.count(&format!("hazards WHERE state = '{}'{scope}", s.as_str()));
                (*s, n)
            })
            .collect()
    }

    /// The same from the rollups.
    fn rollup_per_state(&self, school: Option<i64>) -> Vec<(State, i64)> {
        let ids = school.map(|s| vec![s]);
        let found = rollup::counts(&mut self.conn(), ids.as_deref()).expect("rollup");
        State::ALL
            .iter()
            .map(|s| (*s, found.get(s).copied().unwrap_or(0)))
            .collect()
    }

    /// Whether the rollups of the county and of every school hold what the rows say, and the
    /// month flows of the last twelve months and the current month's reading what the trail
    /// says.
    pub fn rollups_agree(&self) -> Result<(), String> {
        #[derive(diesel::QueryableByName)]
        struct Id {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            id: i64,
        }
        let schools: Vec<Id> = diesel::sql_query("SELECT id FROM schools")
            .load(&mut *self.conn() as &mut xiaoan::db::DbConn)
            .map_err(|e| e.to_string())?;
        let months = Month::of(time::local_date(time::now())).last_twelve();
        let mut conn = self.conn();
        for school in std::iter::once(None).chain(schools.iter().map(|s| Some(s.id))) {
            let (rows, kept) = (self.rows_per_state(school), self.rollup_per_state(school));
            if rows != kept {
                return Err(format!("school {school:?}: rows {rows:?}, rollup {kept:?}"));
            }
            let ids = school.map(|s| vec![s]);
            let flows =
                rollup::flows(&mut conn, ids.as_deref(), &months).map_err(|e| e.to_string())?;
            let read = trail::found_and_closed(&mut conn, ids.as_deref(), &months)
                .map_err(|e| e.to_string())?;
            if flows != read {
                return Err(format!(
                    "school {school:?}: trail {read:?}, month flows {flows:?}"
                ));
            }
            current_month_agrees(&mut conn, ids.as_deref())?;
        }
        Ok(())
    }
}

/// The current month's reading (the rows it can count, the year's three counts) gives the
/// figures the trail does over the month and the year to date.
fn current_month_agrees(
    conn: &mut xiaoan::db::DbConn,
    scope: Option<&[i64]>,
) -> Result<(), String> {
    use xiaoan::domain::hazards::report;
    let now = time::now() + chrono::Duration::microseconds(1);
    let month = Month::of(time::local_date(now));
    let (from, _) = month.bounds_utc();
    let (year_start, _) = month.january().bounds_utc();
    let e = |e: diesel::result::Error| e.to_string();
    let trails = trail::hazard_histories(conn, scope, now).map_err(e)?;
    let rows = trail::hazards_now(conn, scope, from).map_err(e)?;
    let (by_rows, by_trail) = (
        report::figures(&rows, from, now),
        report::figures(&trails, from, now),
    );
    if by_rows != by_trail {
        return Err(format!(
            "{scope:?}: the month by rows {by_rows:?}, by trail {by_trail:?}"
        ));
    }
    let year = trail::counts_since(conn, scope, year_start).map_err(e)?;
    let by_trail = report::figures(&trails, year_start, now);
    let rate = report::closure_rate(year.closed_and_stayed, by_trail.open_at_end);
    if (year.found, year.closed, rate) != (by_trail.found, by_trail.closed, by_trail.closure_rate) {
        return Err(format!(
            "{scope:?}: the year counted {year:?}, by trail {by_trail:?}"
        ));
    }
    Ok(())
}

#[tokio::test]
async fn the_demo_countys_rollups_hold_what_its_rows_say() {
    let app = TestApp::spawn_demo().await;
    assert!(app.count("hazard_state_counts WHERE n > 0") > 5);
    assert!(app.count("hazard_month_flows WHERE closed > 0") > 3);
    app.rollups_agree().expect("rollups agree");
}

#[tokio::test]
async fn the_ledger_header_and_the_queues_read_the_rollups_and_agree_with_a_filtered_count() {
    let app = TestApp::spawn_demo().await;
    let bureau = app.browser();
    bureau.login("bureau", xiaoan::demo::DEMO_PASSWORD).await;
    let total = app.count("hazards");
    assert!(
        bureau
            .text("/hazards")
            .await
            .contains(&format!("共 {total} 条"))
    );
    let open = app.count(
        "hazards WHERE state IN ('reported', 'registered', 'rectifying', 'awaiting_acceptance')",
    );
    let township = bureau.text("/hazards?township=辰阳镇").await;
    let in_township = app.count(
        "hazards h JOIN schools s ON s.id = h.school_id JOIN townships t ON t.id = s.township_id \
         WHERE t.name = '辰阳镇'",
    );
    assert!(township.contains(&format!("共 {in_township} 条")));
    // A filter beyond the scope counts the rows; the header's per-state counts still agree.
    let major = app.count("hazards WHERE level = 'major'");
    assert!(
        bureau
            .text("/hazards?level=major")
            .await
            .contains(&format!("共 {major} 条"))
    );
    assert!(open > 0);
    // Nothing is written to the rollups behind the rows' back.
    app.exec("UPDATE hazard_state_counts SET n = n + 1 WHERE school_id = 0 AND state = 'closed'");
    assert!(
        app.rollups_agree().is_err(),
        "the check notices a wrong rollup"
    );
}
