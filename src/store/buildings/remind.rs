//! The daily disposal-deadline check (housekeeping): each planned disposal whose deadline is
//! near or passed reminds the school's safety officers, at most once a county day however often
//! and on however many instances the check runs.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::{about, list};
use crate::db::schema::buildings;
use crate::db::{DbConn, write_tx};
use crate::domain::buildings::notify::deadline_notice;
use crate::domain::buildings::{KIND, Status};
use crate::domain::notify::DUE_SOON_DAYS;
use crate::domain::time;
use crate::store::notifications;

/// The reminder's name among the day's marks.
const REMINDER: &str = "disposal_deadline";

/// Reminds of every planned disposal due within the days or overdue that was not reminded of
/// today yet; returns how many buildings were.
pub fn remind(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    let today = time::local_date(now);
    let done = notifications::reminded(conn, KIND, REMINDER, today)?;
    let near: Vec<i64> = buildings::table
        .filter(buildings::status.eq(Status::DisposalPlanned))
        .filter(buildings::disposal_deadline.le(today + Duration::days(DUE_SOON_DAYS)))
        .order(buildings::id)
        .select(buildings::id)
        .load(conn)?;
    let mut reminded = 0;
    for id in near.into_iter().filter(|id| !done.contains(id)) {
        // Each in its own short transaction, read afresh: a step taken since the query wins.
        let sent = write_tx(conn, |conn| -> QueryResult<bool> {
            let Some(b) = list::find(conn, id)? else {
                return Ok(false);
            };
            let Some(n) = deadline_notice(b.status, b.disposal_deadline, today) else {
                return Ok(false);
            };
            if !notifications::remind_once(conn, KIND, id, REMINDER, today)? {
                return Ok(false);
            }
            let reference = b.reference();
            notifications::notify_all(conn, now, &about(&b, &reference), &n.notice())?;
            Ok(true)
        })?;
        reminded += usize::from(sent);
    }
    Ok(reminded)
}
