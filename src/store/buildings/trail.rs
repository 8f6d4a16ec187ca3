//! Loads what the buildings' report section computes from: each building's trail up to an
//! instant (a replayed month), or the rows as they stand with the period's acceptances (the
//! current month).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{buildings, events};
use crate::db::{DbConn, read_snapshot};
use crate::domain::audit;
use crate::domain::buildings::report::{Current, History, Standing, Step};
use crate::domain::buildings::{BuildingEvent, Grade, KIND, Status};

/// The audit chains of these schools: a building's events are all in its school's chain, and
/// no step moves a building to another school.
fn chains_of(schools: &[i64]) -> Vec<String> {
    schools
        .iter()
        .map(|id| audit::chain_for(Some(*id)))
        .collect()
}

/// The buildings of these schools (all when None): id → school.
fn schools_of(conn: &mut DbConn, schools: Option<&[i64]>) -> QueryResult<HashMap<i64, i64>> {
    let mut q = buildings::table
        .select((buildings::id, buildings::school_id))
        .into_boxed();
    if let Some(ids) = schools {
        q = q.filter(buildings::school_id.eq_any(ids.to_vec()));
    }
    Ok(q.load::<(i64, i64)>(conn)?.into_iter().collect())
}

/// The buildings of these schools (all when None) with their events before `upto`; a building
/// with none was not registered yet and is left out.
pub fn building_histories(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    upto: NaiveDateTime,
) -> QueryResult<Vec<History>> {
    read_snapshot(conn, |conn| histories(conn, schools, upto))
}

/// (event id, record id, at, action, to state, changes)
type TrailRow = (
    i64,
    Option<i64>,
    NaiveDateTime,
    String,
    Option<String>,
    Option<String>,
);

fn histories(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    upto: NaiveDateTime,
) -> QueryResult<Vec<History>> {
    let school_of = schools_of(conn, schools)?;
    // No ORDER BY: the steps are put in order per building below (see the hazards' trail).
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
        q = q.filter(events::chain.eq_any(chains_of(ids)));
    }
    let rows: Vec<TrailRow> = q.load(conn)?;
    let mut trails: HashMap<i64, Vec<(i64, Step)>> = HashMap::new();
    for (event_id, record_id, at, action, to_state, changes) in rows {
        let Some(record) = record_id.filter(|id| school_of.contains_key(id)) else {
            continue;
        };
        // A file added moves nothing; a word no version writes is no step.
        let (Some(event), Some(status)) = (
            BuildingEvent::parse(&action),
            to_state.as_deref().and_then(Status::parse),
        ) else {
            continue;
        };
        let appraisal = event == BuildingEvent::Appraise;
        let (grade, due) = if appraisal {
            appraisal_changes(changes.as_deref())
        } else {
            (None, None)
        };
        trails.entry(record).or_default().push((
            event_id,
            Step {
                at,
                status,
                grade,
                due,
                appraisal,
            },
        ));
    }
    Ok(trails
        .into_iter()
        .filter_map(|(id, mut steps)| {
            let school_id = *school_of.get(&id)?;
            // Time order, ties in the order written.
            steps.sort_unstable_by_key(|(event_id, s)| (s.at, *event_id));
            Some(History {
                school_id,
                steps: steps.into_iter().map(|(_, s)| s).collect(),
            })
        })
        .collect())
}

/// The grade and next due date an appraisal event recorded.
fn appraisal_changes(changes: Option<&str>) -> (Option<Grade>, Option<NaiveDate>) {
    let Some(v) = changes.and_then(|c| serde_json::from_str::<serde_json::Value>(c).ok()) else {
        return (None, None);
    };
    let grade = v
        .get("grade")
        .and_then(|g| g.as_str())
        .and_then(Grade::parse);
    let due = v
        .get("due")
        .and_then(|d| d.as_str())
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    (grade, due)
}

/// The buildings of these schools (all when None) as their rows stand, with the acceptances in
/// [since, upto): one read of the rows and one of the period's accept events, where a replay
/// would read every event ever written.
pub fn buildings_now(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    (since, upto): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<Current>> {
    // One snapshot: an acceptance committed between the two reads would count a building both
    // standing (its row) and demolished (its event).
    read_snapshot(conn, |conn| rows_now(conn, schools, since, upto))
}

fn rows_now(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    since: NaiveDateTime,
    upto: NaiveDateTime,
) -> QueryResult<Vec<Current>> {
    let mut q = buildings::table
        .filter(buildings::created_at.lt(upto))
        .select((
            buildings::id,
            buildings::school_id,
            buildings::status,
            buildings::grade,
            buildings::appraisal_due,
        ))
        .into_boxed();
    if let Some(ids) = schools {
        q = q.filter(buildings::school_id.eq_any(ids.to_vec()));
    }
    type Row = (i64, i64, Status, Option<Grade>, Option<NaiveDate>);
    let rows: Vec<Row> = q.load(conn)?;
    let mut q = events::table
        .filter(events::record_kind.eq(KIND))
        .filter(events::action.eq(BuildingEvent::Accept.as_str()))
        .filter(events::at.ge(since))
        .filter(events::at.lt(upto))
        .select((events::record_id, events::at, events::to_state))
        .into_boxed();
    if let Some(ids) = schools {
        q = q.filter(events::chain.eq_any(chains_of(ids)));
    }
    let mut accepted: HashMap<i64, Vec<(NaiveDateTime, Status)>> = HashMap::new();
    for (record, at, to) in q.load::<(Option<i64>, NaiveDateTime, Option<String>)>(conn)? {
        if let (Some(r), Some(s)) = (record, to.as_deref().and_then(Status::parse)) {
            accepted.entry(r).or_default().push((at, s));
        }
    }
    Ok(rows
        .into_iter()
        .map(|(id, school_id, status, grade, due)| Current {
            school_id,
            standing: Standing { status, grade, due },
            accepted: accepted.remove(&id).unwrap_or_default(),
        })
        .collect())
}
