//! The drowning-prevention reminder (housekeeping): in the month it is due (the setting; June
//! unless the county says otherwise), every school with no drowning-prevention session since
//! 1 January tells its officers, once a county day, until one is recorded.

use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;

use crate::db::{DbConn, write_tx};
use crate::domain::education::{
    DROWNING_DUE_MONTH_DEFAULT, EducationNotice, KIND, SETTING_DROWNING_DUE_MONTH,
    drowning_reminder_due, drowning_window,
};
use crate::domain::time;
use crate::store::notifications::{self, About};
use crate::store::settings;

/// The month the county set (1–12), or June.
pub fn due_month(conn: &mut DbConn) -> QueryResult<u32> {
    Ok(settings::get(conn, SETTING_DROWNING_DUE_MONTH)?
        .and_then(|v| v.parse().ok())
        .filter(|m| (1..=12).contains(m))
        .unwrap_or(DROWNING_DUE_MONTH_DEFAULT))
}

/// Sends the day's reminders; returns how many schools were told.
pub fn remind(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    let today = time::local_date(now);
    let month = due_month(conn)?;
    if !drowning_reminder_due(today, month) {
        return Ok(0);
    }
    let window = drowning_window(today.year(), month);
    let owing = super::without_drowning(conn, None, (window.0, today))?;
    let notice = EducationNotice::DrowningDue;
    let mut sent = 0;
    for (id, code, name) in owing {
        sent += usize::from(write_tx(conn, |conn| -> QueryResult<bool> {
            if !notifications::remind_once(conn, KIND, id, notice.as_str(), today)? {
                return Ok(false);
            }
            let about = About {
                kind: KIND,
                record_id: id,
                school_id: Some(id),
                reference: &code,
                title: &name,
                path: "/education/new".into(),
            };
            let n = crate::domain::notify::Notice {
                kind: KIND,
                event: notice.as_str(),
                audience: vec![crate::domain::notify::Audience::SchoolAdmins],
            };
            notifications::notify_all(conn, now, &about, &n)?;
            Ok(true)
        })?);
    }
    Ok(sent)
}
