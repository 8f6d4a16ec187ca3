//! The daily bullying check (housekeeping): an investigation two days from its deadline, or
//! past it, tells the school's officers and the bureau, once a county day each, by the case's
//! reference only.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::about;
use super::models::Case;
use crate::db::schema::bullying_cases as bc;
use crate::db::{DbConn, write_tx};
use crate::domain::bullying::notify::BullyingNotice;
use crate::domain::bullying::{KIND, State, clock};
use crate::domain::time;
use crate::store::notifications;

/// Sends the day's bullying reminders; returns how many were sent.
pub fn remind(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    let today = time::local_date(now);
    let cases: Vec<Case> = bc::table
        .filter(bc::state.eq(State::Investigating))
        .filter(bc::deadline.le(today + chrono::Duration::days(clock::NEAR_DAYS)))
        .select(Case::as_select())
        .load(conn)?;
    let mut sent = 0;
    for c in cases {
        let notice = if clock::overdue(c.state, c.deadline, today) {
            BullyingNotice::Overdue
        } else {
            BullyingNotice::DueSoon
        };
        sent += usize::from(write_tx(conn, |conn| -> QueryResult<bool> {
            if !notifications::remind_once(conn, KIND, c.id, notice.as_str(), today)? {
                return Ok(false);
            }
            notifications::notify_all(conn, now, &about(&c), &notice.notice())?;
            Ok(true)
        })?);
    }
    Ok(sent)
}
