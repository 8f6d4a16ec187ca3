//! The county's compliance table: a row per active school with its guards required and in
//! post, its four ticks, its guards' warnings and its last alarm test — read in a few set
//! queries, not one per school.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::models::{Guard, Profile};
use crate::db::DbConn;
use crate::db::schema::{alarm_tests, guards, security_profiles};
use crate::domain::security::compliance::{SchoolFacts, Ticks, ticks};
use crate::domain::security::guards::{required, warnings};
use crate::domain::security::{Settings, alarm_test_overdue};
use crate::store::schools::{self, SchoolRow};

/// One school's line of the table.
#[derive(Clone, Debug)]
pub struct Row {
    pub school: SchoolRow,
    pub facts: SchoolFacts,
    pub ticks: Ticks,
    /// Guards in post with at least one warning.
    pub guards_warned: i64,
    pub last_alarm_test: Option<NaiveDate>,
    pub alarm_test_overdue: bool,
}

/// Every active school's line (of one township when given), in the registry's order.
pub fn rows(
    conn: &mut DbConn,
    s: &Settings,
    today: NaiveDate,
    township: Option<&str>,
) -> QueryResult<Vec<Row>> {
    let schools: Vec<SchoolRow> = schools::list(conn, false)?
        .into_iter()
        .filter(|r| township.is_none_or(|t| r.township.as_deref() == Some(t)))
        .collect();
    let in_post: Vec<Guard> = guards::table
        .filter(guards::left_on.is_null())
        .select(Guard::as_select())
        .load(conn)?;
    let mut by_school: HashMap<i64, Vec<Guard>> = HashMap::new();
    for g in in_post {
        by_school.entry(g.school_id).or_default().push(g);
    }
    let profiles: HashMap<i64, Profile> = security_profiles::table
        .select(Profile::as_select())
        .load::<Profile>(conn)?
        .into_iter()
        .map(|p| (p.school_id, p))
        .collect();
    let last_tests: HashMap<i64, Option<NaiveDate>> = alarm_tests::table
        .group_by(alarm_tests::school_id)
        .select((
            alarm_tests::school_id,
            diesel::dsl::max(alarm_tests::tested_on),
        ))
        .load::<(i64, Option<NaiveDate>)>(conn)?
        .into_iter()
        .collect();
    Ok(schools
        .into_iter()
        .map(|school| {
            let id = school.school.id;
            let guards = by_school.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            let p = profiles.get(&id);
            let facts = SchoolFacts {
                guards_required: required(
                    s.rule,
                    i64::from(school.school.pupils),
                    i64::from(school.school.boarders),
                )
                .count,
                guards_in_post: guards.iter().filter(|g| g.full_time).count() as i64,
                closed_management: p.map(Profile::closed).unwrap_or_default(),
                alarm_linked: p.map(Profile::alarm).unwrap_or_default(),
                video_linked: p.map(Profile::video).unwrap_or_default(),
                guard_post: p.map(Profile::post).unwrap_or_default(),
            };
            let last = last_tests.get(&id).copied().flatten();
            Row {
                ticks: ticks(&facts, s.verification_days, today),
                facts,
                guards_warned: guards
                    .iter()
                    .filter(|g| !warnings(&g.facts(), s.ages, today).is_empty())
                    .count() as i64,
                last_alarm_test: last,
                alarm_test_overdue: alarm_test_overdue(last, s.alarm_test_days, today),
                school,
            }
        })
        .collect())
}
