//! Loads what the monthly report computes from: each hazard's trail up to an instant.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{events, hazards};
use crate::domain::audit;
use crate::domain::hazard::State;
use crate::domain::report::Month;
use crate::domain::report::{Current, History, Keys, Step};

/// (record id, at, action, to state, changes)
type TrailRow = (
    Option<i64>,
    NaiveDateTime,
    String,
    Option<String>,
    Option<String>,
);

/// The hazards of these schools (all when None) with their events before `upto`.
pub fn hazard_histories(
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
    let rows: Vec<(i64, i64, String, String, String)> = q.load(conn)?;
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
    // One pass over the hazard events of the period, in the order they were written.
    let mut q = events::table
        .filter(events::record_kind.eq(crate::store::hazards::KIND))
        .filter(events::at.lt(upto))
        .order(events::id)
        .select((
            events::record_id,
            events::at,
            events::action,
            events::to_state,
            events::changes,
        ))
        .into_boxed();
    if let Some(ids) = schools {
        // A school's events are its own chain: the (chain, id) index reads only those.
        let chains: Vec<String> = ids.iter().map(|id| audit::chain_for(Some(*id))).collect();
        q = q.filter(events::chain.eq_any(chains));
    }
    let trail: Vec<TrailRow> = q.load(conn)?;
    for (record_id, at, action, to_state, changes) in trail {
        let Some(h) = record_id.and_then(|id| by_id.get_mut(&id)) else {
            continue;
        };
        // Only these actions set a deadline; skip parsing the rest.
        let sets_deadline = matches!(action.as_str(), "assign" | "reopen" | "supervise");
        let deadline = changes
            .filter(|_| sets_deadline)
            .and_then(|c| serde_json::from_str::<serde_json::Value>(&c).ok())
            .and_then(|v| {
                v.get("deadline")
                    .and_then(|d| d.as_str())
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
            });
        h.steps.push(Step {
            at,
            action,
            to_state: to_state.as_deref().and_then(State::parse),
            deadline,
        });
    }
    // Events are chained per school, so ids interleave across chains: order each trail by time.
    let mut out: Vec<History> = by_id
        .into_values()
        .filter(|h| !h.steps.is_empty())
        .collect();
    for h in &mut out {
        h.steps.sort_by_key(|s| s.at);
    }
    Ok(out)
}

/// The hazards of these schools (all when None) as their rows stand now, with their acceptances
/// since `since`: one indexed read of the rows and one of the period's accept events, where a
/// replay would read every event ever written.
pub fn hazards_now(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    since: NaiveDateTime,
) -> QueryResult<Vec<Current>> {
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
    if let Some(ids) = schools {
        q = q.filter(hazards::school_id.eq_any(ids.to_vec()));
    }
    type Row = (
        i64,
        i64,
        String,
        String,
        String,
        NaiveDateTime,
        String,
        Option<NaiveDate>,
        bool,
    );
    let rows: Vec<Row> = q.load(conn)?;
    let mut q = events::table
        .filter(events::record_kind.eq(crate::store::hazards::KIND))
        .filter(events::action.eq("accept"))
        .filter(events::at.ge(since))
        .select((events::record_id, events::at))
        .into_boxed();
    if let Some(ids) = schools {
        let chains: Vec<String> = ids.iter().map(|id| audit::chain_for(Some(*id))).collect();
        q = q.filter(events::chain.eq_any(chains));
    }
    let mut accepts: HashMap<i64, Vec<NaiveDateTime>> = HashMap::new();
    for (record, at) in q.load::<(Option<i64>, NaiveDateTime)>(conn)? {
        if let Some(r) = record {
            accepts.entry(r).or_default().push(at);
        }
    }
    Ok(rows
        .into_iter()
        .filter_map(
            |(id, school_id, source, category, level, reported_at, state, deadline, supervised)| {
                Some(Current {
                    keys: Keys {
                        school_id,
                        source,
                        category,
                        level,
                    },
                    reported_at,
                    state: State::parse(&state)?,
                    deadline,
                    supervised,
                    accepts: accepts.remove(&id).unwrap_or_default(),
                })
            },
        )
        .collect())
}

/// Hazards reported and closed in each month (months in order), for the dashboards' chart: one
/// indexed read of the period's report and accept events, bucketed here.
pub fn found_and_closed(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    months: &[Month],
) -> QueryResult<Vec<(i64, i64)>> {
    let (Some(first), Some(last)) = (months.first(), months.last()) else {
        return Ok(Vec::new());
    };
    let (from, _) = first.bounds_utc();
    let (_, to) = last.bounds_utc();
    let mut q = events::table
        .filter(events::record_kind.eq(crate::store::hazards::KIND))
        .filter(events::at.ge(from))
        .filter(events::at.lt(to))
        .filter(events::action.eq_any(["report", "accept"]))
        .select((events::at, events::action, events::record_id))
        .into_boxed();
    if let Some(ids) = schools {
        let chains: Vec<String> = ids.iter().map(|id| audit::chain_for(Some(*id))).collect();
        q = q.filter(events::chain.eq_any(chains));
    }
    let rows: Vec<(NaiveDateTime, String, Option<i64>)> = q.load(conn)?;
    let bounds: Vec<(NaiveDateTime, NaiveDateTime)> =
        months.iter().map(|m| m.bounds_utc()).collect();
    let mut found = vec![0i64; months.len()];
    let mut closed: Vec<std::collections::HashSet<i64>> = vec![Default::default(); months.len()];
    for (at, action, record) in rows {
        let Some(i) = bounds.iter().position(|(f, t)| at >= *f && at < *t) else {
            continue;
        };
        match action.as_str() {
            "report" => found[i] += 1,
            _ => {
                if let Some(r) = record {
                    closed[i].insert(r);
                }
            }
        }
    }
    Ok(found
        .into_iter()
        .zip(closed)
        .map(|(f, c)| (f, c.len() as i64))
        .collect())
}
