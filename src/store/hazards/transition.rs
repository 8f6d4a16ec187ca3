//! One step of the loop: decided against the row as it is inside the transaction, checked for
//! what the step needs from the database, applied only if nobody changed the row meanwhile
//! (its version), and recorded in the trail.

use diesel::prelude::*;
use serde_json::json;

use super::{get, photos, refused};
use crate::db::schema::hazards;
use crate::db::{DbConn, write_tx};
use crate::domain::access::Actor;
use crate::domain::attachments::Stage;
use crate::domain::hazards::input::Transition;
use crate::domain::hazards::{HazardAction, HazardEvent, KIND, State, rules};
use crate::store::events::{self, NewEvent};
use crate::store::hazards::models::Hazard;
use crate::store::{By, StoreError, StoreResult, attachments};

/// Applies `action` with its checked fields. `expected_version` is the version the user's form
/// was drawn from, when known: a stale form is a conflict. `photos` are files the form kept
/// (the "after" photos of a submit), claimed in the same transaction.
pub fn transition(
    conn: &mut DbConn,
    by: &By,
    id: i64,
    action: HazardAction,
    t: &Transition,
    expected_version: Option<i32>,
    photos: Option<attachments::Kept<'_>>,
) -> StoreResult<State> {
    let (who, now) = (&by.who, by.at);
    write_tx(conn, |conn| {
        let h = get(conn, id)?.hazard;
        let policy = super::policy(conn)?;
        let to = rules::decide(who, action, &h.facts(), policy).map_err(|r| refused(r, &h))?;
        if expected_version.is_some_and(|v| v != h.version) {
            return Err(StoreError::state_conflict(KIND, h.state));
        }
        if let Some(k) = photos {
            attachments::claim(conn, by, &photos::HAZARD_PHOTOS, id, &k)?;
        }
        check_needs(conn, &h, who, action, t)?;
        let target = hazards::table
            .filter(hazards::id.eq(id))
            .filter(hazards::version.eq(h.version));
        let base = (
            hazards::state.eq(to),
            hazards::version.eq(h.version + 1),
            hazards::updated_at.eq(now),
        );
        let keep = |new: &Option<String>, old: &Option<String>| new.clone().or(old.clone());
        let updated = match action {
            HazardAction::Assign | HazardAction::Reopen => diesel::update(target)
                .set((
                    base,
                    hazards::deadline.eq(t.deadline),
                    hazards::responsible_unit.eq(keep(&t.responsible_unit, &h.responsible_unit)),
                    hazards::responsible_person
                        .eq(keep(&t.responsible_person, &h.responsible_person)),
                    hazards::interim_controls.eq(keep(&t.interim_controls, &h.interim_controls)),
                    hazards::funding.eq(keep(&t.funding, &h.funding)),
                    hazards::accepted_by.eq(None::<i64>),
                    hazards::accepted_at.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(conn)?,
            HazardAction::Submit => diesel::update(target)
                .set((
                    base,
                    hazards::measures.eq(&t.measures),
                    hazards::submitted_by.eq(who.user_id),
                    hazards::submitted_at.eq(now),
                ))
                .execute(conn)?,
            HazardAction::Accept => diesel::update(target)
                .set((
                    base,
                    hazards::accepted_by.eq(who.user_id),
                    hazards::accepted_at.eq(now),
                ))
                .execute(conn)?,
            HazardAction::Refer => diesel::update(target)
                .set((base, hazards::department.eq(&t.department)))
                .execute(conn)?,
            HazardAction::MarkDuplicate => diesel::update(target)
                .set((base, hazards::duplicate_of.eq(&t.duplicate_of)))
                .execute(conn)?,
            HazardAction::Register | HazardAction::Dismiss | HazardAction::Return => {
                diesel::update(target).set(base).execute(conn)?
            }
        };
        if updated != 1 {
            // Someone else's change committed first: report the state it left.
            return Err(StoreError::state_conflict(
                KIND,
                get(conn, id)?.hazard.state,
            ));
        }
        super::rollup::moved(conn, h.school_id, Some(h.state), to)?;
        if action == HazardAction::Accept {
            super::rollup::flow(conn, h.school_id, id, now, super::rollup::Flow::Closed)?;
        }
        let changes = json!({
            "deadline": t.deadline.map(|d| d.to_string()), "responsible_unit": t.responsible_unit,
            "responsible_person": t.responsible_person, "measures": t.measures,
            "interim_controls": t.interim_controls, "funding": t.funding,
            "department": t.department, "duplicate_of": t.duplicate_of,
        });
        events::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), HazardEvent::from(action).as_str())
                .at(now)
                .school(Some(h.school_id))
                .moves(Some(h.state.as_str()), Some(to.as_str()))
                .comment(t.comment.as_deref())
                .changes(strip_nulls(changes)),
        )?;
        super::tell_of(conn, by, &h, HazardEvent::from(action))?;
        Ok(to)
    })
}

fn strip_nulls(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => m.into_iter().filter(|(_, v)| !v.is_null()).collect(),
        other => other,
    }
}

/// What the database must say before an action: a fix needs an "after" photo; a duplicate
/// points at another, existing hazard.
fn check_needs(
    conn: &mut DbConn,
    h: &Hazard,
    who: &Actor,
    action: HazardAction,
    t: &Transition,
) -> StoreResult<()> {
    match action {
        HazardAction::Submit if attachments::count(conn, KIND, h.id, Stage::After)? == 0 => {
            return Err(StoreError::invalid(
                "photos",
                "hazards.error.after_photo_required",
            ));
        }
        HazardAction::MarkDuplicate => {
            let original = t.duplicate_of.as_deref().unwrap_or("");
            if original == h.ref_no {
                return Err(StoreError::invalid(
                    "duplicate_of",
                    "hazards.error.duplicate_of_self",
                ));
            }
            // A school user's original must be their own school's: another school's
            // reference numbers do not exist for them.
            match super::find_by_ref(conn, original)? {
                Some(o) if who.sees_school(o.school_id) => {}
                _ => {
                    return Err(StoreError::invalid(
                        "duplicate_of",
                        "hazards.error.unknown_ref",
                    ));
                }
            }
        }
        _ => {}
    }
    Ok(())
}
