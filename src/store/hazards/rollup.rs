//! Counts of hazards per school and state, and the county's (school 0): written in the same
//! transaction as the report or step that moves a hazard, so they never disagree with the rows
//! (a test replays random histories against both), and read wherever a page needs counts of
//! a whole scope by state: the ledger's header, the work queues, the dashboards. Beside them,
//! the hazards reported and accepted per school and month, for the dashboards' chart.

use std::collections::HashMap;

use diesel::prelude::*;

use chrono::NaiveDateTime;

use crate::db::DbConn;
use crate::db::schema::{events, hazard_month_flows as hf, hazard_state_counts as hc};
use crate::domain::hazards::{HazardEvent, KIND, State};
use crate::domain::month::Month;
use crate::domain::time;

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

/// What the twelve-month chart counts: a hazard reported, or accepted (销号), in a month.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    Found,
    Closed,
}

/// Counts a report or an acceptance at `at` in its month (county first, then the school). An
/// acceptance counts a hazard once a month, as the trail's reading does: one accepted, reopened
/// and accepted again in a month counts once. Call before appending the step's event.
pub fn flow(
    conn: &mut DbConn,
    school_id: i64,
    hazard_id: i64,
    at: NaiveDateTime,
    what: Flow,
) -> QueryResult<()> {
    let month = Month::of(time::local_date(at));
    if what == Flow::Closed {
        let (from, to) = month.bounds_utc();
        let before: i64 = events::table
            .filter(events::record_kind.eq(KIND))
            .filter(events::record_id.eq(hazard_id))
            .filter(events::action.eq(HazardEvent::Accept.as_str()))
            .filter(events::at.ge(from))
            .filter(events::at.lt(to))
            .count()
            .get_result(conn)?;
        if before > 0 {
            return Ok(());
        }
    }
    let (found, closed) = match what {
        Flow::Found => (1, 0),
        Flow::Closed => (0, 1),
    };
    for school in [COUNTY, school_id] {
        diesel::sql_query(
            "INSERT INTO hazard_month_flows (school_id, month, found, closed) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (school_id, month) DO UPDATE SET \
             found = hazard_month_flows.found + excluded.found, \
             closed = hazard_month_flows.closed + excluded.closed",
        )
        .bind::<diesel::sql_types::BigInt, _>(school)
        .bind::<diesel::sql_types::Text, _>(month.label())
        .bind::<diesel::sql_types::BigInt, _>(found)
        .bind::<diesel::sql_types::BigInt, _>(closed)
        .execute(conn)?;
    }
    Ok(())
}

/// (found, closed) of each month, of the county (None) or these schools.
pub fn flows(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    months: &[Month],
) -> QueryResult<Vec<(i64, i64)>> {
    let labels: Vec<String> = months.iter().map(|m| m.label()).collect();
    let rows: Vec<(String, i64, i64)> = match schools {
        None => hf::table
            .filter(hf::school_id.eq(COUNTY))
            .filter(hf::month.eq_any(&labels))
            .select((hf::month, hf::found, hf::closed))
            .load(conn)?,
        Some(ids) => hf::table
            .filter(hf::school_id.eq_any(ids))
            .filter(hf::school_id.ne(COUNTY))
            .filter(hf::month.eq_any(&labels))
            .select((hf::month, hf::found, hf::closed))
            .load(conn)?,
    };
    let mut by: HashMap<String, (i64, i64)> = HashMap::new();
    for (m, f, c) in rows {
        let e = by.entry(m).or_default();
        e.0 += f;
        e.1 += c;
    }
    Ok(labels
        .iter()
        .map(|l| by.get(l).copied().unwrap_or_default())
        .collect())
}
