//! Loads what the hazards' report section computes from: each hazard's trail up to an instant,
//! or the rows as they stand with the period's acceptances, and the dashboards' monthly counts.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{events, hazards};
use crate::db::{DbConn, read_snapshot};
use crate::domain::audit;
use crate::domain::hazards::report::{Act, Current, History, Keys, Step};
use crate::domain::hazards::{Category, HazardEvent, KIND, Level, Source, State};
use crate::domain::month::Month;

/// (event id, record id, at, action, to state, changes)
type TrailRow = (
    i64,
    Option<i64>,
    NaiveDateTime,
    String,
    Option<String>,
    Option<String>,
);

/// The audit chains of these schools: a school's hazard events are all in its own chain, and
/// no action moves a hazard to another school.
fn chains_of(schools: &[i64]) -> Vec<String> {
    schools
        .iter()
        .map(|id| audit::chain_for(Some(*id)))
        .collect()
}

/// The hazards of these schools (all when None) with their events before `upto`.
pub fn hazard_histories(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    upto: NaiveDateTime,
) -> QueryResult<Vec<History>> {
    read_snapshot(conn, |conn| histories(conn, schools, upto))
}

fn histories(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    upto: NaiveDateTime,
) -> QueryResult<Vec<History>> {
    let mut q = hazards::table
        .select((
            hazards::id,
            hazards::school_id,
            hazards::source,
            hazards::category,
            hazards::level,
        ))
        .into_boxed();
    if let Some(ids) = schools {
        q = q.filter(hazards::school_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<(i64, i64, Source, Category, Level)> = q.load(conn)?;
    let mut by_id: HashMap<i64, History> = rows
        .into_iter()
        .map(|(id, school_id, source, category, level)| {
            (
                id,
                History {
                    keys: Keys {
                        school_id,
                        source,
                        category,
                        level,
                    },
                    steps: Vec::new(),
                },
            )
        })
        .collect();
    // One pass over the hazard events of the period. No ORDER BY: for a school it would pull the
    // planner off the school's chain index onto the whole county's (kind, at) one.
    let mut q = events::table
        .filter(events::record_kind.eq(KIND))
        .filter(events::at.lt(upto))
        .select((
            events::id,
            events::record_id,
            events::at,
            events::action,
            events::to_state,
            events::changes,
        ))
        .into_boxed();
    if let Some(ids) = schools {
        // Through the (chain, kind, at) index: only these schools' events are read.
        q = q.filter(events::chain.eq_any(chains_of(ids)));
    }
    let trail: Vec<TrailRow> = q.load(conn)?;
    // Each hazard's steps with their event ids, to be put in order below.
    let mut trails: HashMap<i64, Vec<(i64, Step)>> = HashMap::new();
    for (event_id, record_id, at, action, to_state, changes) in trail {
        let Some(record) = record_id.filter(|id| by_id.contains_key(id)) else {
            continue;
        };
        // A word no version writes is no step of the loop.
        let Some(event) = HazardEvent::parse(&action) else {
            continue;
        };
        // Only these actions set a deadline; skip parsing the rest.
        let deadline = changes
            .filter(|_| Act::sets_deadline(event))
            .and_then(|c| serde_json::from_str::<serde_json::Value>(&c).ok())
            .and_then(|v| {
                v.get("deadline")
                    .and_then(|d| d.as_str())
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            });
        trails.entry(record).or_default().push((
            event_id,
            Step {
                at,
                act: Act::of(event),
                to_state: to_state.as_deref().and_then(State::parse),
                deadline,
            },
        ));
    }
    Ok(trails
        .into_iter()
        .filter_map(|(id, mut steps)| {
            let mut h = by_id.remove(&id)?;
            // Time order, ties in the order written (ids alone interleave across the chains).
            steps.sort_unstable_by_key(|(event_id, s)| (s.at, *event_id));
            h.steps = steps.into_iter().map(|(_, s)| s).collect();
            Some(h)
        })
        .collect())
}

/// The hazards a window from `since` to now can count, as their rows stand, with their
/// acceptances since `since`. For the county: those open now, reported since, or accepted
/// since — a hazard closed before the window and left closed counts for nothing in it, so the
/// cost follows the open and the window's hazards, not the ledger. For a school or a township:
/// all their rows, few and found by the school index in one read.
pub fn hazards_now(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    since: NaiveDateTime,
) -> QueryResult<Vec<Current>> {
    // One snapshot: an acceptance committed between the reads would count a hazard both
    // open (its row) and closed (its event).
    read_snapshot(conn, |conn| rows_now(conn, schools, since))
}

/// (id, school, source, category, level, reported at, state, deadline, supervised)
type NowRow = (
    i64,
    i64,
    Source,
    Category,
    Level,
    NaiveDateTime,
    State,
    Option<NaiveDate>,
    bool,
);

/// Which rows of `rows_now` one read takes.
enum Part<'a> {
    All,
    Open,
    ReportedSince(NaiveDateTime),
    Ids(&'a [i64]),
}

fn now_rows(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    part: Part<'_>,
) -> QueryResult<Vec<NowRow>> {
    let mut q = hazards::table
        .select((
            hazards::id,
            hazards::school_id,
            hazards::source,
            hazards::category,
            hazards::level,
            hazards::reported_at,
            hazards::state,
            hazards::deadline,
            hazards::supervised,
        ))
        .into_boxed();
    q = match part {
        Part::All => q,
        Part::Open => q.filter(hazards::state.eq_any(State::open())),
        Part::ReportedSince(t) => q.filter(hazards::reported_at.ge(t)),
        Part::Ids(ids) => q.filter(hazards::id.eq_any(ids.to_vec())),
    };
    if let Some(ids) = schools {
        q = q.filter(hazards::school_id.eq_any(ids.to_vec()));
    }
    q.load(conn)
}

/// The hazard acceptances since `since` (record, at), of these schools' chains.
fn accepts_since(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    since: NaiveDateTime,
) -> QueryResult<Vec<(Option<i64>, NaiveDateTime)>> {
    let mut q = events::table
        .filter(events::record_kind.eq(KIND))
        .filter(events::action.eq(HazardEvent::Accept.as_str()))
        .filter(events::at.ge(since))
        .select((events::record_id, events::at))
        .into_boxed();
    if let Some(ids) = schools {
        q = q.filter(events::chain.eq_any(chains_of(ids)));
    }
    q.load(conn)
}

fn rows_now(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    since: NaiveDateTime,
) -> QueryResult<Vec<Current>> {
    let mut accepts: HashMap<i64, Vec<NaiveDateTime>> = HashMap::new();
    for (record, at) in accepts_since(conn, schools, since)? {
        if let Some(r) = record {
            accepts.entry(r).or_default().push(at);
        }
    }
    let rows = if schools.is_some() {
        now_rows(conn, schools, Part::All)?
    } else {
        let mut rows = now_rows(conn, None, Part::Open)?;
        rows.extend(now_rows(conn, None, Part::ReportedSince(since))?);
        let accepted: Vec<i64> = accepts.keys().copied().collect();
        // A long list of ids would pass the backends' bound-parameter limits: read in slices.
        for ids in accepted.chunks(5_000) {
            rows.extend(now_rows(conn, None, Part::Ids(ids))?);
        }
        rows.sort_unstable_by_key(|r| r.0);
        rows.dedup_by_key(|r| r.0);
        rows
    };
    Ok(rows
        .into_iter()
        .map(
            |(id, school_id, source, category, level, reported_at, state, deadline, supervised)| {
                Current {
                    keys: Keys {
                        school_id,
                        source,
                        category,
                        level,
                    },
                    reported_at,
                    state,
                    deadline,
                    supervised,
                    accepts: accepts.remove(&id).unwrap_or_default(),
                }
            },
        )
        .collect())
}

/// The year to date in three counts, where the rows would be most of a year's ledger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SinceCounts {
    /// Reported since.
    pub found: i64,
    /// Accepted since, each hazard once.
    pub closed: i64,
    /// Of those, the ones not open now: the closure rate's numerator.
    pub closed_and_stayed: i64,
}

/// Hazards reported since `since`, accepted since, and accepted since and still closed, of
/// these schools (all when None), in one snapshot.
pub fn counts_since(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    since: NaiveDateTime,
) -> QueryResult<SinceCounts> {
    read_snapshot(conn, |conn| {
        let mut found = hazards::table
            .filter(hazards::reported_at.ge(since))
            .count()
            .into_boxed();
        if let Some(ids) = schools {
            found = found.filter(hazards::school_id.eq_any(ids.to_vec()));
        }
        let found = found.get_result(conn)?;
        // Through the hazards' key: the accept events' record ids that are hazards of the
        // scope. A macro, as the subquery must keep its concrete type (a boxed subquery does
        // not run on the multi-backend connection) and the scope changes that type.
        macro_rules! accepted {
            ($events:expr, $still_closed:expr) => {{
                let mut q = hazards::table
                    .filter(hazards::id.eq_any($events))
                    .count()
                    .into_boxed();
                if let Some(ids) = schools {
                    q = q.filter(hazards::school_id.eq_any(ids.to_vec()));
                }
                if $still_closed {
                    q = q.filter(hazards::state.ne_all(State::open()));
                }
                q.get_result::<i64>(conn)?
            }};
        }
        let events = events::table
            .filter(events::record_kind.eq(KIND))
            .filter(events::action.eq(HazardEvent::Accept.as_str()))
            .filter(events::at.ge(since))
            .select(events::record_id.assume_not_null());
        let (closed, closed_and_stayed) = match schools {
            Some(ids) => {
                let events = events.filter(events::chain.eq_any(chains_of(ids)));
                (accepted!(events.clone(), false), accepted!(events, true))
            }
            None => (accepted!(events, false), accepted!(events, true)),
        };
        Ok(SinceCounts {
            found,
            closed,
            closed_and_stayed,
        })
    })
}

/// Hazards reported and closed in each month, for the dashboards' chart: two counts a month, each
/// read from the (kind, action, at) index, so the cost does not grow with the ledger.
pub fn found_and_closed(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    months: &[Month],
) -> QueryResult<Vec<(i64, i64)>> {
    use diesel::dsl::count;
    let chains = schools.map(chains_of);
    let of = |event: HazardEvent, from: NaiveDateTime, to: NaiveDateTime| {
        let mut q = events::table
            .filter(events::record_kind.eq(KIND))
            .filter(events::action.eq(event.as_str()))
            .filter(events::at.ge(from))
            .filter(events::at.lt(to))
            .select(count(events::record_id).aggregate_distinct())
            .into_boxed();
        if let Some(c) = &chains {
            q = q.filter(events::chain.eq_any(c.clone()));
        }
        q
    };
    months
        .iter()
        .map(|m| {
            let (from, to) = m.bounds_utc();
            Ok((
                of(HazardEvent::Report, from, to).first(conn)?,
                of(HazardEvent::Accept, from, to).first(conn)?,
            ))
        })
        .collect()
}
