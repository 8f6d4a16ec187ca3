//! The hazards on a user's today list: the candidates the domain ranks (`queues::today`), with
//! the bureau's reason for each returned fix.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::HazardRow;
use super::ledger::with_schools;
use super::models::Hazard;
use crate::db::DbConn;
use crate::db::schema::{events, hazards};
use crate::domain::access::{Actor, Target};
use crate::domain::hazards::queues::{self, TodayFacts};
use crate::domain::hazards::{HazardEvent, KIND, State};
use crate::domain::role::Role;
use crate::domain::today::{Why, rank};

/// At most this many candidates are read (the longest overdue first); the page shows fewer.
const CANDIDATES: i64 = 500;

pub struct TodayRow {
    pub row: HazardRow,
    pub why: Why,
    /// The bureau's comment when it returned the fix being redone.
    pub return_reason: Option<String>,
}

/// The user's hazards to act on today, in the list's order. Two reads, each bounded on its
/// own, so a county's hundreds of overdue fixes never crowd out the ones awaiting acceptance:
/// those with a deadline that matters (the longest overdue first), and the steps without one.
pub fn list(conn: &mut DbConn, actor: &Actor, today: NaiveDate) -> QueryResult<Vec<TodayRow>> {
    let (school, by_deadline, steps): (Option<i64>, Vec<State>, Vec<State>) =
        match (actor.role, actor.home()) {
            (Role::SchoolAdmin, Target::School(id)) => (
                Some(id),
                vec![State::Rectifying],
                vec![
                    State::Reported,
                    State::Registered,
                    State::AwaitingAcceptance,
                ],
            ),
            (Role::Bureau, Target::County) => (
                None,
                // A fix awaiting acceptance is read with the steps, once.
                State::open()
                    .into_iter()
                    .filter(|s| *s != State::AwaitingAcceptance)
                    .collect(),
                vec![State::AwaitingAcceptance],
            ),
            _ => return Ok(Vec::new()),
        };
    let scoped = || {
        let mut q = hazards::table.into_boxed();
        if let Some(id) = school {
            q = q.filter(hazards::school_id.eq(id));
        }
        q
    };
    let mut dated = scoped()
        .filter(hazards::state.eq_any(by_deadline))
        .filter(hazards::deadline.is_not_null());
    if school.is_none() {
        // The bureau chases only what is already overdue.
        dated = dated.filter(hazards::deadline.lt(today));
    }
    let mut rows: Vec<Hazard> = dated
        .order((hazards::deadline.asc(), hazards::id.asc()))
        .limit(CANDIDATES)
        .select(Hazard::as_select())
        .load(conn)?;
    rows.extend(
        scoped()
            .filter(hazards::state.eq_any(steps))
            .order(hazards::id.asc())
            .limit(CANDIDATES)
            .select(Hazard::as_select())
            .load::<Hazard>(conn)?,
    );
    let policy = super::policy(conn)?;
    let fixing: Vec<i64> = rows
        .iter()
        .filter(|h| h.state == State::Rectifying)
        .map(|h| h.id)
        .collect();
    let reasons = return_reasons(conn, &fixing)?;
    let mut out: Vec<TodayRow> = with_schools(conn, rows)?
        .into_iter()
        .filter_map(|row| {
            let h = &row.hazard;
            let return_reason = reasons.get(&h.id).cloned();
            let facts = TodayFacts {
                facts: h.facts(),
                deadline: h.deadline,
                returned: return_reason.is_some(),
            };
            let why = queues::today(actor, &facts, policy, today)?;
            Some(TodayRow {
                row,
                why,
                return_reason: return_reason.flatten(),
            })
        })
        .collect();
    out.sort_by_key(|t| rank(&t.why));
    Ok(out)
}

/// For each hazard being fixed again after a return, the bureau's comment (None when it gave
/// none). A hazard is being fixed again when the step that last put it in `rectifying` was a
/// return, not an assignment or a reopening.
pub fn return_reasons(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Option<String>>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let steps: Vec<(Option<i64>, String, Option<String>)> = events::table
            .filter(events::record_kind.eq(KIND))
            .filter(events::record_id.eq_any(chunk))
            .filter(events::to_state.eq(State::Rectifying.as_str()))
            .order(events::id.desc())
            .select((events::record_id, events::action, events::comment))
            .load(conn)?;
        let mut seen = std::collections::HashSet::new();
        for (id, action, comment) in steps {
            let Some(id) = id else { continue };
            if seen.insert(id) && action == HazardEvent::Return.as_str() {
                out.insert(id, comment);
            }
        }
    }
    Ok(out)
}
