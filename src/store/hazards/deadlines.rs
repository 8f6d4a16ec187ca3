//! The daily deadline check (housekeeping): each hazard whose deadline is near or passed while
//! the school has the next move reminds the school's safety officers, at most once a county day
//! however often and on however many instances the check runs.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::about;
use super::models::Hazard;
use crate::db::schema::hazards;
use crate::db::{DbConn, write_tx};
use crate::domain::hazards::KIND;
use crate::domain::hazards::notify::{deadline_notice, reminded_states};
use crate::domain::notify::DUE_SOON_DAYS;
use crate::domain::time;
use crate::store::notifications;

/// The reminder's name among the day's marks.
const REMINDER: &str = "deadline";

/// Reminds of every hazard due within the days or overdue that was not reminded of today yet;
/// returns how many hazards were.
pub fn remind(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    let today = time::local_date(now);
    let done = notifications::reminded(conn, KIND, REMINDER, today)?;
    let near: Vec<i64> = hazards::table
        .filter(hazards::state.eq_any(reminded_states()))
        .filter(hazards::deadline.le(today + Duration::days(DUE_SOON_DAYS)))
        .order(hazards::id)
        .select(hazards::id)
        .load(conn)?;
    let mut reminded = 0;
    for id in near.into_iter().filter(|id| !done.contains(id)) {
        // Each in its own short transaction, read afresh: a step taken since the query wins.
        let sent = write_tx(conn, |conn| -> QueryResult<bool> {
            let found = hazards::table.find(id).select(Hazard::as_select());
            let Some(h) = found.first(conn).optional()? else {
                return Ok(false);
            };
            let Some(n) = deadline_notice(h.state, h.deadline, today) else {
                return Ok(false);
            };
            if !notifications::remind_once(conn, KIND, id, REMINDER, today)? {
                return Ok(false);
            }
            let about = about(h.id, h.school_id, &h.ref_no, &h.title);
            notifications::notify_all(conn, now, &about, &n.notice(h.reported_by, false))?;
            Ok(true)
        })?;
        reminded += usize::from(sent);
    }
    // Only today's marks are asked for; a week keeps yesterday's for an instance whose clock lags.
    notifications::forget_reminders_before(conn, today - Duration::days(7))?;
    Ok(reminded)
}
