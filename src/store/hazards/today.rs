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

/// The user's hazards to act on today, in the list's order.
pub fn list(conn: &mut DbConn, actor: &Actor, today: NaiveDate) -> QueryResult<Vec<TodayRow>> {
    let mut q = hazards::table.into_boxed();
    match (actor.role, actor.home()) {
        (Role::SchoolAdmin, Target::School(id)) => {
            q = q
                .filter(hazards::school_id.eq(id))
                .filter(hazards::state.eq_any([
                    State::Reported,
                    State::Registered,
                    State::Rectifying,
                ]));
        }
        (Role::Bureau, Target::County) => {
            q = q.filter(
                hazards::state
                    .eq(State::AwaitingAcceptance)
                    .or(hazards::state
                        .eq_any(State::open())
                        .and(hazards::deadline.lt(today))),
            );
        }
        _ => return Ok(Vec::new()),
    }
    let rows: Vec<Hazard> = q
        .order((hazards::deadline.asc(), hazards::id.asc()))
        .limit(CANDIDATES)
        .select(Hazard::as_select())
        .load(conn)?;
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
                state: h.state,
                deadline: h.deadline,
                returned: return_reason.is_some(),
            };
            let why = queues::today(actor, &facts, today)?;
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
