//! One step of a case: decided against the row as it is inside the transaction, applied only
//! if nobody changed it meanwhile (its version), recorded in the trail without any words typed
//! (those go to the case's notes), and told to whom it concerns.

use diesel::prelude::*;
use serde_json::json;

use super::{case, tell};
use crate::db::schema::{bullying_cases as bc, bullying_notes as bn};
use crate::db::{DbConn, write_tx};
use crate::domain::bullying::input::Step;
use crate::domain::bullying::notify::BullyingNotice;
use crate::domain::bullying::{Action, BullyingEvent, KIND, State, clock, rules};
use crate::domain::time;
use crate::store::events::{self as trail, NewEvent};
use crate::store::{By, StoreError, StoreResult};

pub fn step(
    conn: &mut DbConn,
    by: &By,
    id: i64,
    s: &Step,
    expected_version: Option<i32>,
) -> StoreResult<State> {
    write_tx(conn, |conn| {
        let c = case(conn, id)?;
        let to = rules::decide(&by.who, s.action, &c.facts())
            .map_err(|r| StoreError::refused(r, KIND, c.state))?;
        if expected_version.is_some_and(|v| v != c.version) {
            return Err(StoreError::state_conflict(KIND, c.state));
        }
        let today = time::local_date(by.at);
        let days = super::settings(conn)?.investigation_days;
        let target = bc::table
            .filter(bc::id.eq(id))
            .filter(bc::version.eq(c.version));
        let base = (
            bc::state.eq(to),
            bc::version.eq(c.version + 1),
            bc::updated_at.eq(by.at),
        );
        let deadline = (s.action == Action::Accept).then(|| clock::deadline(today, days));
        let updated = match s.action {
            Action::Accept => diesel::update(target)
                .set((base, bc::accepted_on.eq(today), bc::deadline.eq(deadline)))
                .execute(conn)?,
            Action::Determine => diesel::update(target)
                .set((
                    base,
                    bc::determination.eq(s.determination),
                    bc::determined_on.eq(today),
                ))
                .execute(conn)?,
            Action::Reexamine if s.determination.is_some() => diesel::update(target)
                .set((base, bc::determination.eq(s.determination)))
                .execute(conn)?,
            _ => diesel::update(target).set(base).execute(conn)?,
        };
        if updated != 1 {
            let now = case(conn, id)?;
            return Err(StoreError::state_conflict(KIND, now.state));
        }
        if !s.comment.is_empty() {
            diesel::insert_into(bn::table)
                .values((
                    bn::case_id.eq(id),
                    bn::action.eq(s.action.as_str()),
                    bn::note.eq(&s.comment),
                    bn::added_by.eq(by.who.user_id),
                    bn::added_at.eq(by.at),
                ))
                .execute(conn)?;
        }
        // Kinds, dates and states only: the report replays them; no words anyone typed.
        let changes = json!({
            "determination": s.determination.map(|d| d.as_str()),
            "outcome": s.outcome.map(|o| o.as_str()),
            "deadline": deadline.map(|d| d.to_string()),
        });
        trail::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), BullyingEvent::from(s.action).as_str())
                .at(by.at)
                .school(Some(c.school_id))
                .moves(Some(c.state.as_str()), Some(to.as_str()))
                .changes(changes),
        )?;
        tell(conn, by, &c, BullyingNotice::of_step(s.action))?;
        Ok(to)
    })
}
