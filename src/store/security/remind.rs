//! The daily security check (housekeeping): a school with a one-click alarm whose test is
//! overdue (a school without one has a gap, not a test to make), or one of whose provisions'
//! verification has lapsed, reminds its safety officers and the bureau, at
//! most once a county day each however often and on however many instances the check runs.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::models::Profile;
use super::{about, settings, table};
use crate::db::schema::security_profiles;
use crate::db::{DbConn, write_tx};
use crate::domain::security::KIND;
use crate::domain::security::notify::SecurityNotice;
use crate::domain::time;
use crate::store::notifications;

/// Sends the day's security reminders; returns how many were sent.
pub fn remind(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    let today = time::local_date(now);
    let s = settings(conn)?;
    let rows = table::rows(conn, &s, today, None)?;
    let lapsed_before = today - Duration::days(s.verification_days);
    let lapsed: std::collections::HashSet<i64> = security_profiles::table
        .select(Profile::as_select())
        .load::<Profile>(conn)?
        .into_iter()
        .filter(|p| {
            [p.closed(), p.alarm(), p.video(), p.post()]
                .iter()
                .any(|x| x.in_place && x.verified_on.is_some_and(|d| d < lapsed_before))
        })
        .map(|p| p.school_id)
        .collect();
    let mut sent = 0;
    for r in rows {
        let id = r.school.school.id;
        let due = [
            (
                r.alarm_test_overdue && r.facts.alarm_linked.in_place,
                SecurityNotice::AlarmOverdue,
            ),
            (lapsed.contains(&id), SecurityNotice::VerificationLapsed),
        ];
        for (_, notice) in due.into_iter().filter(|(d, _)| *d) {
            let (code, name) = (r.school.school.code.clone(), r.school.school.name.clone());
            sent += usize::from(write_tx(conn, |conn| -> QueryResult<bool> {
                if !notifications::remind_once(conn, KIND, id, notice.as_str(), today)? {
                    return Ok(false);
                }
                notifications::notify_all(conn, now, &about(id, &code, &name), &notice.notice())?;
                Ok(true)
            })?);
        }
    }
    Ok(sent)
}
