//! The hazard ledger: reports, transitions and supervision, each with its audit event in one
//! transaction. The rules come from `domain::hazard`; this module only applies them.

pub mod ledger;
pub mod photos;

use diesel::prelude::*;
use serde_json::json;

use super::events::{self, NewEvent};
use super::models::{Hazard, HazardInsertForm};
use super::{Actor, StoreError, StoreResult, settings};
use crate::db::schema::{hazard_photos, hazards, schools};
use crate::db::{DbConn, write_tx};
use crate::domain::access;
use crate::domain::hazard::{self, HazardAction, Policy, State};
use crate::domain::hazard_input::{Report, Supervision, Transition};
use crate::domain::time;
use crate::domain::validate::FieldError;

/// The record kind of hazards in the audit trail.
pub const KIND: &str = "hazard";

/// Who acts (for the rules and for the trail) and when.
pub struct By<'a> {
    pub actor: &'a Actor,
    pub who: &'a access::Actor,
    pub at: chrono::NaiveDateTime,
}

/// A hazard with its school, as pages show it.
#[derive(Clone, Debug)]
pub struct HazardRow {
    pub hazard: Hazard,
    pub school_code: String,
    pub school_name: String,
}

pub fn policy(conn: &mut DbConn) -> QueryResult<Policy> {
    Ok(Policy {
        schools_accept_general: settings::get_bool(
            conn,
            hazard::SETTING_SCHOOLS_ACCEPT_GENERAL,
            false,
        )?,
    })
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<HazardRow> {
    let (hazard, school_code, school_name) = hazards::table
        .inner_join(schools::table)
        .filter(hazards::id.eq(id))
        .select((Hazard::as_select(), schools::code, schools::name))
        .first::<(Hazard, String, String)>(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Ok(HazardRow {
        hazard,
        school_code,
        school_name,
    })
}

pub fn find_by_ref(conn: &mut DbConn, ref_no: &str) -> QueryResult<Option<Hazard>> {
    hazards::table
        .filter(hazards::ref_no.eq(ref_no))
        .select(Hazard::as_select())
        .first(conn)
        .optional()
}

/// The next reference number of a year, `YH-YYYY-NNNN`: one atomic upsert, so concurrent
/// reports never share a number (the unique index is the second line of defence).
fn next_ref_no(conn: &mut DbConn, year: i32) -> QueryResult<String> {
    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        value: i64,
    }
    let v: Value = diesel::sql_query(
        "INSERT INTO counters (name, value) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
    )
    .bind::<diesel::sql_types::Text, _>(format!("hazard:{year}"))
    .get_result(conn)?;
    Ok(format!("YH-{year}-{:04}", v.value))
}

/// Records a new report in state `reported`. Authorization is the caller's (`may_report`).
pub fn report(
    conn: &mut DbConn,
    by: &By<'_>,
    school_id: i64,
    r: &Report,
    photo: Option<&photos::NewPhoto<'_>>,
) -> StoreResult<(i64, String)> {
    let (actor, reporter_id, now) = (by.actor, by.who.user_id, by.at);
    write_tx(conn, |conn| {
        let ref_no = next_ref_no(conn, time::local_date(now).year())?;
        diesel::insert_into(hazards::table)
            .values(HazardInsertForm {
                ref_no: &ref_no,
                school_id,
                source: r.source.as_str(),
                category: r.category.as_str(),
                title: &r.title,
                description: &r.description,
                location: &r.location,
                level: r.level.as_str(),
                how_found: r.how_found.as_str(),
                found_on: r.found_on,
                found_by: &r.found_by,
                reported_by: reporter_id,
                reported_at: now,
                state: State::Reported.as_str(),
                supervised: false,
                version: 1,
                updated_at: now,
            })
            .execute(conn)?;
        let id = find_by_ref(conn, &ref_no)?
            .map(|h| h.id)
            .ok_or(StoreError::NotFound)?;
        let changes = json!({
            "ref_no": ref_no, "source": r.source.as_str(), "category": r.category.as_str(),
            "level": r.level.as_str(), "found_on": r.found_on.to_string(),
        });
        let mut e = NewEvent::new(KIND, Some(id), "report")
            .at(now)
            .school(Some(school_id))
            .changes(changes);
        e.to_state = Some(State::Reported.as_str());
        events::append(conn, actor, e)?;
        if let Some(p) = photo {
            photos::add(conn, by, id, school_id, p)?;
        }
        Ok((id, ref_no))
    })
}

use chrono::Datelike;

fn refused(r: hazard::Refusal, current: State) -> StoreError {
    match r {
        hazard::Refusal::Conflict => StoreError::StateConflict(current.as_str()),
        other => StoreError::Refused(other),
    }
}

/// Applies one action: decides it against the row as it is inside the transaction, checks
/// what the action needs from the database, updates the row only if nobody changed it
/// meanwhile (version), and appends the event. `expected_version` is the version the user's
/// form was drawn from, when known.
pub fn transition(
    conn: &mut DbConn,
    by: &By<'_>,
    id: i64,
    action: HazardAction,
    t: &Transition,
    expected_version: Option<i32>,
) -> StoreResult<State> {
    let (actor, who, now) = (by.actor, by.who, by.at);
    write_tx(conn, |conn| {
        let h = get(conn, id)?.hazard;
        let policy = policy(conn)?;
        let to =
            hazard::decide(who, action, &h.facts(), policy).map_err(|r| refused(r, h.state()))?;
        if expected_version.is_some_and(|v| v != h.version) {
            return Err(StoreError::StateConflict(h.state().as_str()));
        }
        check_needs(conn, &h, who, action, t)?;
        let target = hazards::table
            .filter(hazards::id.eq(id))
            .filter(hazards::version.eq(h.version));
        let base = (
            hazards::state.eq(to.as_str()),
            hazards::version.eq(h.version + 1),
            hazards::updated_at.eq(now),
        );
        let updated = match action {
            HazardAction::Assign | HazardAction::Reopen => diesel::update(target)
                .set((
                    base,
                    hazards::deadline.eq(t.deadline),
                    hazards::responsible_unit
                        .eq(t.responsible_unit.clone().or(h.responsible_unit.clone())),
                    hazards::responsible_person.eq(t
                        .responsible_person
                        .clone()
                        .or(h.responsible_person.clone())),
                    hazards::interim_controls
                        .eq(t.interim_controls.clone().or(h.interim_controls.clone())),
                    hazards::funding.eq(t.funding.clone().or(h.funding.clone())),
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
            let now_state = get(conn, id)?.hazard.state();
            return Err(StoreError::StateConflict(now_state.as_str()));
        }
        let changes = json!({
            "deadline": t.deadline.map(|d| d.to_string()), "responsible_unit": t.responsible_unit,
            "responsible_person": t.responsible_person, "measures": t.measures,
            "interim_controls": t.interim_controls, "funding": t.funding,
            "department": t.department, "duplicate_of": t.duplicate_of,
        });
        let mut e = NewEvent::new(KIND, Some(id), action.as_str())
            .at(now)
            .school(Some(h.school_id))
            .changes(strip_nulls(changes));
        e.from_state = Some(h.state().as_str());
        e.to_state = Some(to.as_str());
        e.comment = t.comment.as_deref();
        events::append(conn, actor, e)?;
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
    who: &access::Actor,
    action: HazardAction,
    t: &Transition,
) -> StoreResult<()> {
    let invalid = |field, message| Err(StoreError::Invalid(vec![FieldError { field, message }]));
    match action {
        HazardAction::Submit => {
            let after: i64 = hazard_photos::table
                .filter(hazard_photos::hazard_id.eq(h.id))
                .filter(hazard_photos::stage.eq("after"))
                .count()
                .get_result(conn)?;
            if after == 0 {
                return invalid("photos", "err.after_photo_required");
            }
        }
        HazardAction::MarkDuplicate => {
            let original = t.duplicate_of.as_deref().unwrap_or("");
            if original == h.ref_no {
                return invalid("duplicate_of", "err.duplicate_of_self");
            }
            // A school user's original must be their own school's: another school's
            // reference numbers do not exist for them.
            match find_by_ref(conn, original)? {
                Some(o) if who.sees_school(o.school_id) => {}
                _ => return invalid("duplicate_of", "err.unknown_ref"),
            }
        }
        _ => {}
    }
    Ok(())
}

/// Sets (with the five items) or clears supervision (挂牌督办).
pub fn supervise(
    conn: &mut DbConn,
    by: &By<'_>,
    id: i64,
    on: Option<&Supervision>,
    expected_version: Option<i32>,
) -> StoreResult<()> {
    let (actor, who, now) = (by.actor, by.who, by.at);
    write_tx(conn, |conn| {
        let h = get(conn, id)?.hazard;
        hazard::may_supervise(who, &h.facts()).map_err(|r| refused(r, h.state()))?;
        // A form drawn before someone else's change would overwrite it (measures, deadline).
        if expected_version.is_some_and(|v| v != h.version) {
            return Err(StoreError::StateConflict(h.state().as_str()));
        }
        let target = hazards::table
            .filter(hazards::id.eq(id))
            .filter(hazards::version.eq(h.version));
        let base = (
            hazards::version.eq(h.version + 1),
            hazards::updated_at.eq(now),
        );
        let (updated, action, changes) = match on {
            Some(s) => (
                diesel::update(target)
                    .set((
                        base,
                        hazards::supervised.eq(true),
                        hazards::measures.eq(&s.measures),
                        hazards::responsible_person.eq(&s.responsible_person),
                        hazards::funding.eq(&s.funding),
                        hazards::deadline.eq(s.deadline),
                        hazards::contingency_plan.eq(&s.contingency_plan),
                    ))
                    .execute(conn)?,
                "supervise",
                json!({
                    "measures": s.measures, "responsible_person": s.responsible_person, "funding": s.funding,
                    "deadline": s.deadline.to_string(), "contingency_plan": s.contingency_plan,
                }),
            ),
            None => (
                diesel::update(target)
                    .set((base, hazards::supervised.eq(false)))
                    .execute(conn)?,
                "unsupervise",
                json!({}),
            ),
        };
        if updated != 1 {
            return Err(StoreError::StateConflict(
                get(conn, id)?.hazard.state().as_str(),
            ));
        }
        events::append(
            conn,
            actor,
            NewEvent::new(KIND, Some(id), action)
                .at(now)
                .school(Some(h.school_id))
                .changes(changes),
        )?;
        Ok(())
    })
}
