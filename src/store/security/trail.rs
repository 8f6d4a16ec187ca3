//! Loads what the security section of the monthly report computes from: the schools' registry
//! entries with their changes since the earliest month's end (to rewind them), and each
//! school's security trail up to the latest month's end (a replay); or the rows as they stand
//! (the current month), which the county table reads too.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

use crate::db::schema::{alarm_tests, events, schools};
use crate::db::{DbConn, read_snapshot};
use crate::domain::audit::{RecordKind, RegistryEvent};
use crate::domain::school_history::{Change, Entry};
use crate::domain::security::report::{ProfileStated, SchoolMonth, Step};
use crate::domain::security::{AlarmResult, KIND, SecurityEvent, Settings};

/// Everything a replay of some months reads, in one snapshot.
#[derive(Clone, Debug, Default)]
pub struct Replay {
    pub schools: Vec<Entry>,
    /// Each school's registry changes at or after the earliest month's end, in time order.
    pub changes: HashMap<i64, Vec<(NaiveDateTime, Change)>>,
    /// Each school's security steps before the latest month's end, in time order.
    pub steps: HashMap<i64, Vec<(NaiveDateTime, Step)>>,
}

/// The schools of the scope (all when None) with their changes from `since` and their security
/// trails before `upto`.
pub fn replay(
    conn: &mut DbConn,
    scope: Option<&[i64]>,
    since: NaiveDateTime,
    upto: NaiveDateTime,
) -> QueryResult<Replay> {
    read_snapshot(conn, |conn| {
        Ok(Replay {
            schools: entries(conn, scope)?,
            changes: registry_changes(conn, scope, since)?,
            steps: security_steps(conn, scope, upto)?,
        })
    })
}

fn entries(conn: &mut DbConn, scope: Option<&[i64]>) -> QueryResult<Vec<Entry>> {
    let mut q = schools::table
        .select((
            schools::id,
            schools::created_at,
            schools::active,
            schools::pupils,
            schools::boarders,
        ))
        .into_boxed();
    if let Some(ids) = scope {
        q = q.filter(schools::id.eq_any(ids.to_vec()));
    }
    Ok(q.load::<(i64, NaiveDateTime, bool, i32, i32)>(conn)?
        .into_iter()
        .map(|(id, created_at, active, pupils, boarders)| Entry {
            id,
            created_at,
            active,
            pupils,
            boarders,
        })
        .collect())
}

/// (event id, record id, at, action, changes)
type Row = (i64, Option<i64>, NaiveDateTime, String, Option<String>);

/// The events of one record kind of these schools in [from, to), grouped by school and put in
/// time order (ties in the order written).
fn grouped<T>(
    conn: &mut DbConn,
    kind: RecordKind,
    scope: Option<&[i64]>,
    (from, to): (Option<NaiveDateTime>, Option<NaiveDateTime>),
    step: impl Fn(&str, Option<&Value>) -> Option<T>,
) -> QueryResult<HashMap<i64, Vec<(NaiveDateTime, T)>>> {
    let mut q = events::table
        .filter(events::record_kind.eq(kind))
        .select((
            events::id,
            events::record_id,
            events::at,
            events::action,
            events::changes,
        ))
        .into_boxed();
    if let Some(from) = from {
        q = q.filter(events::at.ge(from));
    }
    if let Some(to) = to {
        q = q.filter(events::at.lt(to));
    }
    if let Some(ids) = scope {
        q = q.filter(events::record_id.eq_any(ids.to_vec()));
    }
    let mut by_school: HashMap<i64, Vec<(i64, NaiveDateTime, T)>> = HashMap::new();
    for (id, record, at, action, changes) in q.load::<Row>(conn)? {
        let changes = changes.and_then(|c| serde_json::from_str::<Value>(&c).ok());
        if let (Some(school), Some(s)) = (record, step(&action, changes.as_ref())) {
            by_school.entry(school).or_default().push((id, at, s));
        }
    }
    Ok(by_school
        .into_iter()
        .map(|(school, mut steps)| {
            steps.sort_unstable_by_key(|(id, at, _)| (*at, *id));
            (
                school,
                steps.into_iter().map(|(_, at, s)| (at, s)).collect(),
            )
        })
        .collect())
}

fn registry_changes(
    conn: &mut DbConn,
    scope: Option<&[i64]>,
    since: NaiveDateTime,
) -> QueryResult<HashMap<i64, Vec<(NaiveDateTime, Change)>>> {
    grouped(
        conn,
        RecordKind::School,
        scope,
        (Some(since), None),
        |action, changes| match RegistryEvent::parse(action)? {
            RegistryEvent::Activate => Some(Change::Active(true)),
            RegistryEvent::Deactivate => Some(Change::Active(false)),
            // An edit records each changed field as [before, after].
            RegistryEvent::Edit => {
                let before = |k: &str| {
                    changes?
                        .get(k)?
                        .get(0)?
                        .as_i64()
                        .and_then(|n| i32::try_from(n).ok())
                };
                let (pupils, boarders) = (before("pupils"), before("boarders"));
                (pupils.is_some() || boarders.is_some())
                    .then_some(Change::Sizes { pupils, boarders })
            }
            _ => None,
        },
    )
}

fn security_steps(
    conn: &mut DbConn,
    scope: Option<&[i64]>,
    upto: NaiveDateTime,
) -> QueryResult<HashMap<i64, Vec<(NaiveDateTime, Step)>>> {
    grouped(conn, KIND, scope, (None, Some(upto)), |action, c| {
        let flag = |k: &str| c.and_then(|c| c.get(k)).and_then(Value::as_bool);
        let guard = || c.and_then(|c| c.get("guard")).and_then(Value::as_i64);
        match SecurityEvent::parse(action)? {
            SecurityEvent::AddGuard => Some(Step::AddGuard {
                guard: guard()?,
                full_time: flag("full_time")?,
            }),
            SecurityEvent::GuardLeft => Some(Step::GuardLeft { guard: guard()? }),
            SecurityEvent::Profile => Some(Step::Profile(ProfileStated {
                closed_management: flag("closed_management")?,
                alarm_linked: flag("alarm_linked")?,
                video_linked: flag("video_linked")?,
                guard_post: flag("guard_post")?,
                verified_on: c
                    .and_then(|c| c.get("verified_on"))
                    .and_then(Value::as_str)
                    .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            })),
            SecurityEvent::AlarmTest => Some(Step::AlarmTest {
                failed: c
                    .and_then(|c| c.get("result"))
                    .and_then(Value::as_str)
                    .and_then(AlarmResult::parse)?
                    == AlarmResult::Fail,
            }),
            SecurityEvent::RaiseGap => None,
        }
    })
}

/// The schools of the scope as the county table reads them now, registered before `upto`,
/// with the alarm tests recorded in [since, upto).
pub fn schools_now(
    conn: &mut DbConn,
    scope: Option<&[i64]>,
    s: &Settings,
    today: NaiveDate,
    (since, upto): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<SchoolMonth>> {
    read_snapshot(conn, |conn| {
        let rows = super::table::rows(conn, s, today, None)?;
        let mut q = alarm_tests::table
            .filter(alarm_tests::recorded_at.ge(since))
            .filter(alarm_tests::recorded_at.lt(upto))
            .select((alarm_tests::school_id, alarm_tests::result))
            .into_boxed();
        if let Some(ids) = scope {
            q = q.filter(alarm_tests::school_id.eq_any(ids.to_vec()));
        }
        let mut tests: HashMap<i64, (i64, i64)> = HashMap::new();
        for (school, result) in q.load::<(i64, AlarmResult)>(conn)? {
            let t = tests.entry(school).or_default();
            t.0 += 1;
            t.1 += i64::from(result == AlarmResult::Fail);
        }
        Ok(rows
            .into_iter()
            .filter(|r| r.school.school.created_at < upto)
            .filter(|r| scope.is_none_or(|ids| ids.contains(&r.school.school.id)))
            .map(|r| {
                let (alarm_tests, alarm_tests_failed) =
                    tests.get(&r.school.school.id).copied().unwrap_or_default();
                SchoolMonth {
                    school_id: r.school.school.id,
                    facts: r.facts,
                    alarm_tests,
                    alarm_tests_failed,
                }
            })
            .collect())
    })
}

/// The schools of the scope (all when None) registered and active just before `at`, rewound by
/// the registry events written since: what every section that counts schools counts.
pub fn active_at(
    conn: &mut DbConn,
    scope: Option<&[i64]>,
    at: NaiveDateTime,
) -> QueryResult<Vec<i64>> {
    read_snapshot(conn, |conn| {
        let changes = registry_changes(conn, scope, at)?;
        Ok(entries(conn, scope)?
            .into_iter()
            .filter(|e| {
                let c = changes.get(&e.id).map(Vec::as_slice).unwrap_or(&[]);
                e.before(at, c).is_some()
            })
            .map(|e| e.id)
            .collect())
    })
}
