//! Monthly report submissions: frozen snapshots, newest row current, history kept.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::events::{self, NewEvent};
use super::hazards::By;
use super::{StoreError, StoreResult};
use crate::db::schema::report_submissions as rs;
use crate::db::{DbConn, write_tx};
use crate::domain::submission::{self, SubmissionState};

pub const KIND: &str = "report";

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = rs)]
pub struct Submission {
    pub id: i64,
    pub school_id: i64,
    pub month: String,
    pub state: String,
    pub snapshot: String,
    pub submitted_by: i64,
    pub submitted_at: NaiveDateTime,
    pub returned_by: Option<i64>,
    pub returned_at: Option<NaiveDateTime>,
    pub return_comment: Option<String>,
}

impl Submission {
    pub fn state(&self) -> SubmissionState {
        SubmissionState::parse(&self.state).unwrap_or(SubmissionState::Submitted)
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
    by: &By<'_>,
    school_id: i64,
    month: &str,
    snapshot: &str,
) -> StoreResult<i64> {
    write_tx(conn, |conn| {
        let current = history(conn, school_id, month)?
            .first()
            .map(Submission::state);
        submission::may_submit(by.who, school_id, current).map_err(StoreError::Refused)?;
        diesel::insert_into(rs::table)
            .values((
                rs::school_id.eq(school_id),
                rs::month.eq(month),
                rs::state.eq(SubmissionState::Submitted.as_str()),
                rs::snapshot.eq(snapshot),
                rs::submitted_by.eq(by.who.user_id),
                rs::submitted_at.eq(by.at),
            ))
            .execute(conn)?;
        let id = history(conn, school_id, month)?
            .first()
            .map(|s| s.id)
            .ok_or(StoreError::NotFound)?;
        let mut e = NewEvent::new(KIND, Some(id), "submit")
            .at(by.at)
            .school(Some(school_id))
            .changes(json!({"month": month}));
        e.to_state = Some(SubmissionState::Submitted.as_str());
        events::append(conn, by.actor, e)?;
        Ok(id)
    })
}

/// The bureau returns the current submission of a school's month.
pub fn return_submission(
    conn: &mut DbConn,
    by: &By<'_>,
    id: i64,
    comment: &str,
) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let s = get(conn, id)?;
        let newest = history(conn, s.school_id, &s.month)?.first().map(|n| n.id);
        if newest != Some(id) {
            return Err(StoreError::Refused(
                crate::domain::hazard::Refusal::Conflict,
            ));
        }
        submission::may_return(by.who, s.state()).map_err(StoreError::Refused)?;
        diesel::update(rs::table.find(id))
            .set((
                rs::state.eq(SubmissionState::Returned.as_str()),
                rs::returned_by.eq(by.who.user_id),
                rs::returned_at.eq(by.at),
                rs::return_comment.eq(comment),
            ))
            .execute(conn)?;
        let mut e = NewEvent::new(KIND, Some(id), "return")
            .at(by.at)
            .school(Some(s.school_id))
            .changes(json!({"month": s.month}));
        e.from_state = Some(SubmissionState::Submitted.as_str());
        e.to_state = Some(SubmissionState::Returned.as_str());
        e.comment = Some(comment);
        events::append(conn, by.actor, e)?;
        Ok(())
    })
}
