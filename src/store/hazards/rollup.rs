//! Counts of hazards per school and state, and the county's (school 0): written in the same
//! transaction as the report or step that moves a hazard, so they never disagree with the rows
//! (a test replays random histories against both), and read wherever a page needs counts of
//! a whole scope by state: the ledger's header, the work queues, the dashboards.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::hazard_state_counts as hc;
use crate::domain::hazards::State;

/// The county's row: every school's hazards.
pub const COUNTY: i64 = 0;

/// A hazard of `school_id` entered `to` (from `from`, or newly reported). The county's row is
/// written first, so concurrent writers take the two rows in one order (no deadlock on
/// PostgreSQL when a transaction moves hazards of two schools).
pub fn moved(conn: &mut DbConn, school_id: i64, from: Option<State>, to: State) -> QueryResult<()> {
    if from == Some(to) {
        return Ok(());
    }
    for school in [COUNTY, school_id] {
        if let Some(f) = from {
            add(conn, school, f, -1)?;
        }
        add(conn, school, to, 1)?;
    }
    Ok(())
}

fn add(conn: &mut DbConn, school_id: i64, state: State, by: i64) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO hazard_state_counts (school_id, state, n) VALUES ($1, $2, $3) \
         ON CONFLICT (school_id, state) DO UPDATE SET n = hazard_state_counts.n + excluded.n",
    )
    .bind::<diesel::sql_types::BigInt, _>(school_id)
    .bind::<diesel::sql_types::Text, _>(state.as_str())
    .bind::<diesel::sql_types::BigInt, _>(by)
    .execute(conn)?;
    Ok(())
}

/// Hazards per state of the county (None) or of these schools.
pub fn counts(conn: &mut DbConn, schools: Option<&[i64]>) -> QueryResult<HashMap<State, i64>> {
    let rows: Vec<(String, i64)> = match schools {
        None => hc::table
            .filter(hc::school_id.eq(COUNTY))
            .select((hc::state, hc::n))
            .load(conn)?,
        Some(ids) => hc::table
            .filter(hc::school_id.eq_any(ids))
            .filter(hc::school_id.ne(COUNTY))
            .select((hc::state, hc::n))
            .load(conn)?,
    };
    let mut out: HashMap<State, i64> = HashMap::new();
    for (state, n) in rows {
        if let Some(s) = State::parse(&state) {
            *out.entry(s).or_default() += n;
        }
    }
    Ok(out)
}

/// Open hazards per school (the schools with none left out).
pub fn open_per_school(conn: &mut DbConn) -> QueryResult<Vec<(i64, i64)>> {
    let open: Vec<&str> = State::open().iter().map(|s| s.as_str()).collect();
    let rows: Vec<(i64, i64)> = hc::table
        .filter(hc::school_id.ne(COUNTY))
        .filter(hc::state.eq_any(open))
        .filter(hc::n.gt(0))
        .select((hc::school_id, hc::n))
        .load(conn)?;
    let mut per: HashMap<i64, i64> = HashMap::new();
    for (s, n) in rows {
        *per.entry(s).or_default() += n;
    }
    Ok(per.into_iter().collect())
}
