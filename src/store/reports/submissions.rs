//! Monthly report submissions: frozen snapshots, newest row current, history kept.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use crate::db::schema::report_submissions as rs;
use crate::db::{DbConn, write_tx};
use crate::domain::access::Refusal;
use crate::domain::audit::RecordKind;
use crate::domain::month::Month;
use crate::domain::reports::{SubmissionEvent, SubmissionState, rules};
use crate::store::events::{self, NewEvent};
use crate::store::{By, StoreError, StoreResult};

pub const KIND: RecordKind = RecordKind::Report;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = rs)]
pub struct Submission {
    pub id: i64,
    pub school_id: i64,
    pub month: String,
    pub state: SubmissionState,
    pub snapshot: String,
    pub submitted_by: i64,
    pub submitted_at: NaiveDateTime,
    pub returned_by: Option<i64>,
    pub returned_at: Option<NaiveDateTime>,
    pub return_comment: Option<String>,
}

impl Submission {
    pub fn is_submitted(&self) -> bool {
        self.state == SubmissionState::Submitted
    }
}

/// Every submission of a school's month, newest first.
pub fn history(conn: &mut DbConn, school_id: i64, month: &str) -> QueryResult<Vec<Submission>> {
    rs::table
        .filter(rs::school_id.eq(school_id))
        .filter(rs::month.eq(month))
        .order(rs::id.desc())
        .select(Submission::as_select())
        .load(conn)
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<Submission> {
    rs::table
        .find(id)
        .select(Submission::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// The current (newest) submission of each school for a month.
pub fn for_month(conn: &mut DbConn, month: &str) -> QueryResult<Vec<Submission>> {
    let all: Vec<Submission> = rs::table
        .filter(rs::month.eq(month))
        .order(rs::id.desc())
        .select(Submission::as_select())
        .load(conn)?;
    let mut seen = std::collections::HashSet::new();
    Ok(all
        .into_iter()
        .filter(|s| seen.insert(s.school_id))
        .collect())
}

/// Freezes a school's month. The snapshot is the report as the school saw it when submitting.
pub fn submit(
    conn: &mut DbConn,
    by: &By,
    school_id: i64,
    month: &str,
    snapshot: &str,
) -> StoreResult<i64> {
    write_tx(conn, |conn| {
        let current = history(conn, school_id, month)?.first().map(|s| s.state);
        rules::may_submit(&by.who, school_id, current)?;
        // A month is submitted once it is over: its figures can no longer change.
        if !Month::parse(month).is_some_and(|m| m.ended(by.at)) {
            return Err(StoreError::invalid(
                "month",
                "reports.error.month_not_ended",
            ));
        }
        diesel::insert_into(rs::table)
            .values((
                rs::school_id.eq(school_id),
                rs::month.eq(month),
                rs::state.eq(SubmissionState::Submitted),
                rs::snapshot.eq(snapshot),
                rs::submitted_by.eq(by.who.user_id),
                rs::submitted_at.eq(by.at),
            ))
            .execute(conn)?;
        let id = history(conn, school_id, month)?
            .first()
            .map(|s| s.id)
            .ok_or(StoreError::NotFound)?;
        let e = NewEvent::new(KIND, Some(id), SubmissionEvent::Submit.as_str())
            .at(by.at)
            .school(Some(school_id))
            .moves(None, Some(SubmissionState::Submitted.as_str()))
            .changes(json!({"month": month}));
        events::append(conn, &by.actor, e)?;
        Ok(id)
    })
}

/// The bureau returns the current submission of a school's month.
pub fn return_submission(conn: &mut DbConn, by: &By, id: i64, comment: &str) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let s = get(conn, id)?;
        let newest = history(conn, s.school_id, &s.month)?.first().map(|n| n.id);
        if newest != Some(id) {
            return Err(StoreError::Refused(Refusal::Conflict));
        }
        rules::may_return(&by.who, s.state)?;
        diesel::update(rs::table.find(id))
            .set((
                rs::state.eq(SubmissionState::Returned),
                rs::returned_by.eq(by.who.user_id),
                rs::returned_at.eq(by.at),
                rs::return_comment.eq(comment),
            ))
            .execute(conn)?;
        let e = NewEvent::new(KIND, Some(id), SubmissionEvent::Return.as_str())
            .at(by.at)
            .school(Some(s.school_id))
            .moves(
                Some(SubmissionState::Submitted.as_str()),
                Some(SubmissionState::Returned.as_str()),
            )
            .comment(Some(comment))
            .changes(json!({"month": s.month}));
        events::append(conn, &by.actor, e)?;
        Ok(())
    })
}
