//! Bullying cases: each write decided by `domain::bullying::rules` inside its transaction, with
//! its event and its notices. Nothing written to the trail or to a notice names a pupil or
//! repeats the summary: events carry states, kinds and ids; notices the case's reference.

pub mod activities;
pub mod details;
pub mod list;
pub mod models;
pub mod remind;
pub mod step;
pub mod trail;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::events::{self, NewEvent};
use super::notifications::{self, About};
use super::{Actor, By, StoreError, StoreResult, settings, throttle};
use crate::db::schema::{bullying_cases as bc, schools};
use crate::db::{DbConn, write_tx};
use crate::domain::bullying::input::NewCase;
use crate::domain::bullying::notify::{self as notices, BullyingNotice};
use crate::domain::bullying::{BullyingEvent, KIND, Settings, State, reference, rules};
use crate::domain::throttle as policy;
use crate::domain::time;
use models::Case;

/// The county's settings for the module, defaults where unset or unreadable.
pub fn settings(conn: &mut DbConn) -> QueryResult<Settings> {
    let d = Settings::default();
    let number = |conn: &mut DbConn, key: &str, default: i64, max: i64| {
        Ok::<i64, diesel::result::Error>(
            settings::get(conn, key)?
                .and_then(|v| v.parse::<i64>().ok())
                .filter(|v| (1..=max).contains(v))
                .unwrap_or(default),
        )
    };
    let days = number(
        conn,
        crate::domain::bullying::SETTING_INVESTIGATION_DAYS,
        d.investigation_days,
        crate::domain::bullying::input::INVESTIGATION_DAYS_MAX,
    )?;
    let tips = number(
        conn,
        crate::domain::bullying::SETTING_TIPS_PER_SCHOOL_HOUR,
        i64::from(d.tips_per_school_hour),
        i64::from(crate::domain::bullying::input::TIPS_PER_HOUR_MAX),
    )?;
    Ok(Settings {
        investigation_days: days,
        tips_per_school_hour: i32::try_from(tips).unwrap_or(d.tips_per_school_hour),
    })
}

pub fn case(conn: &mut DbConn, id: i64) -> StoreResult<Case> {
    bc::table
        .find(id)
        .select(Case::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// The next reference of a year, `BL-YYYY-NNNN` (one atomic upsert, as the hazards').
fn next_ref_no(conn: &mut DbConn, year: i32) -> QueryResult<String> {
    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        value: i64,
    }
    let v: Value = diesel::sql_query(
        "INSERT INTO counters (name, value) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
    )
    .bind::<diesel::sql_types::Text, _>(format!("bullying:{year}"))
    .get_result(conn)?;
    Ok(reference(year, v.value))
}

/// A case as its notices name it: by its reference, and nothing else.
fn about(c: &Case) -> About<'_> {
    About {
        kind: KIND,
        record_id: c.id,
        school_id: Some(c.school_id),
        reference: &c.ref_no,
        title: &c.ref_no,
        path: notices::path(c.id),
    }
}

/// Inserts a case in `reported` and its event; the caller holds the transaction.
fn insert(
    conn: &mut DbConn,
    actor: &Actor,
    reported_by: Option<i64>,
    school_id: i64,
    c: &NewCase,
    receipt_hash: Option<&str>,
    at: NaiveDateTime,
) -> StoreResult<Case> {
    use chrono::Datelike;
    let ref_no = next_ref_no(conn, time::local_date(at).year())?;
    diesel::insert_into(bc::table)
        .values((
            bc::school_id.eq(school_id),
            bc::ref_no.eq(&ref_no),
            bc::state.eq(State::Reported),
            bc::reported_on.eq(c.reported_on),
            bc::happened_on.eq(c.happened_on),
            bc::reporter_kind.eq(c.reporter_kind),
            bc::reported_by.eq(reported_by),
            bc::summary.eq(&c.summary),
            bc::place.eq(&c.place),
            bc::receipt_hash.eq(receipt_hash),
            bc::version.eq(1),
            bc::created_at.eq(at),
            bc::updated_at.eq(at),
        ))
        .execute(conn)?;
    let case: Case = bc::table
        .filter(bc::ref_no.eq(&ref_no))
        .select(Case::as_select())
        .first(conn)?;
    events::append(
        conn,
        actor,
        NewEvent::new(KIND, Some(case.id), BullyingEvent::Report.as_str())
            .at(at)
            .school(Some(school_id))
            .moves(None, Some(State::Reported.as_str()))
            .changes(json!({ "reporter_kind": c.reporter_kind.as_str() })),
    )?;
    Ok(case)
}

/// Records a case reported by someone signed in; the school's officers are told.
pub fn report(conn: &mut DbConn, by: &By, school_id: i64, c: &NewCase) -> StoreResult<Case> {
    write_tx(conn, |conn| {
        rules::may_report(&by.who, school_id)?;
        let case = insert(
            conn,
            &by.actor,
            Some(by.who.user_id),
            school_id,
            c,
            None,
            by.at,
        )?;
        let n = BullyingNotice::Reported.notice();
        notifications::notify(conn, by, &about(&case), &n)?;
        Ok(case)
    })
}

/// How long a tip from this address to this school must wait, if either is over its limit.
pub fn tip_wait(
    conn: &mut DbConn,
    (ip_key, school_key): (&str, &str),
    now: NaiveDateTime,
) -> QueryResult<Option<chrono::Duration>> {
    throttle::wait(conn, &[ip_key, school_key], now)
}

/// Records an anonymous tip: no one is the reporter, the receipt's hash is the only key back
/// to it. The school is taken by its public code (its registry code) among active schools.
/// The tip counts against its address and its school in the same transaction: a refused tip
/// counts nothing.
pub fn tip(
    conn: &mut DbConn,
    (school_code, c): (&str, &NewCase),
    receipt_hash: &str,
    at: NaiveDateTime,
    (ip_key, school_key): (&str, &str),
) -> StoreResult<Case> {
    write_tx(conn, |conn| {
        let school_id: i64 = schools::table
            .filter(schools::code.eq(school_code))
            .filter(schools::active.eq(true))
            .select(schools::id)
            .first(conn)
            .optional()?
            .ok_or_else(|| StoreError::invalid("school", "bullying.error.no_school"))?;
        let actor = Actor {
            id: None,
            name: "anonymous".into(),
        };
        let case = insert(conn, &actor, None, school_id, c, Some(receipt_hash), at)?;
        let n = BullyingNotice::Reported.notice();
        notifications::notify_all(conn, at, &about(&case), &n)?;
        let per_school = settings(conn)?.tips_per_school_hour;
        throttle::record_failure(conn, ip_key, &policy::TIP_IP, at)?;
        throttle::record_failure(conn, school_key, &policy::tip_school(per_school), at)?;
        Ok(case)
    })
}

/// A tip's state by its receipt's hash: nothing else of the case.
pub fn state_by_receipt(conn: &mut DbConn, receipt_hash: &str) -> QueryResult<Option<State>> {
    bc::table
        .filter(bc::receipt_hash.eq(receipt_hash))
        .select(bc::state)
        .first(conn)
        .optional()
}

/// Tells whom a step concerns, in the step's own transaction.
fn tell(conn: &mut DbConn, by: &By, c: &Case, n: Option<BullyingNotice>) -> QueryResult<()> {
    if let Some(n) = n {
        notifications::notify(conn, by, &about(c), &n.notice())?;
    }
    Ok(())
}
