//! Hazards raised by the building module: a D grade raises one major, supervised hazard of
//! category building, linked to the building, with the supervision's five items from the
//! appraisal form; the bureau's acceptance of the building's disposal closes it. Both run
//! inside the building's own write transaction.

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde_json::json;

use super::models::{Hazard, HazardInsertForm};
use super::{find_by_ref, next_ref_no, tell_of};
use crate::db::DbConn;
use crate::db::schema::hazards;
use crate::domain::hazards::input::Supervision;
use crate::domain::hazards::{Category, HazardEvent, HowFound, KIND, Level, Source, State};
use crate::domain::time;
use crate::store::events::{self, NewEvent};
use crate::store::{By, StoreError, StoreResult};

/// What the building module says about the hazard it raises.
pub struct ForBuilding<'a> {
    pub school_id: i64,
    pub building_id: i64,
    pub title: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    /// The appraisal's date: when the danger was found.
    pub found_on: NaiveDate,
    pub found_by: &'a str,
    pub supervision: &'a Supervision,
}

/// Raises the hazard, already being fixed under supervision (the five items are its deadline,
/// measures and who is responsible). Returns its id and reference number.
pub fn raise(conn: &mut DbConn, by: &By, f: &ForBuilding<'_>) -> StoreResult<(i64, String)> {
    let now = by.at;
    let s = f.supervision;
    let ref_no = next_ref_no(conn, time::local_date(now).year())?;
    diesel::insert_into(hazards::table)
        .values(HazardInsertForm {
            ref_no: &ref_no,
            school_id: f.school_id,
            source: Source::Campus,
            category: Category::Building,
            title: f.title,
            description: f.description,
            location: f.location,
            level: Level::Major,
            how_found: HowFound::Special,
            found_on: f.found_on,
            found_by: f.found_by,
            reported_by: by.who.user_id,
            reported_at: now,
            state: State::Rectifying,
            supervised: true,
            version: 1,
            updated_at: now,
        })
        .execute(conn)?;
    let id = find_by_ref(conn, &ref_no)?
        .map(|h| h.id)
        .ok_or(StoreError::NotFound)?;
    crate::store::search::reindex(conn, KIND, &[id])?;
    super::rollup::moved(conn, f.school_id, None, State::Rectifying)?;
    super::rollup::flow(conn, f.school_id, id, now, super::rollup::Flow::Found)?;
    diesel::update(hazards::table.find(id))
        .set((
            hazards::building_id.eq(f.building_id),
            hazards::supervised_at.eq(now),
            hazards::deadline.eq(s.deadline),
            hazards::measures.eq(&s.measures),
            hazards::responsible_person.eq(&s.responsible_person),
            hazards::funding.eq(&s.funding),
            hazards::contingency_plan.eq(&s.contingency_plan),
        ))
        .execute(conn)?;
    let report = json!({
        "ref_no": ref_no, "source": Source::Campus.as_str(),
        "category": Category::Building.as_str(), "level": Level::Major.as_str(),
        "found_on": f.found_on.to_string(), "building": f.building_id,
    });
    events::append(
        conn,
        &by.actor,
        NewEvent::new(KIND, Some(id), HazardEvent::Report.as_str())
            .at(now)
            .school(Some(f.school_id))
            .moves(None, Some(State::Rectifying.as_str()))
            .changes(report),
    )?;
    let supervision = json!({
        "measures": s.measures, "responsible_person": s.responsible_person,
        "funding": s.funding, "deadline": s.deadline.to_string(),
        "contingency_plan": s.contingency_plan,
    });
    events::append(
        conn,
        &by.actor,
        NewEvent::new(KIND, Some(id), HazardEvent::Supervise.as_str())
            .at(now)
            .school(Some(f.school_id))
            .changes(supervision),
    )?;
    let h = super::get(conn, id)?.hazard;
    tell_of(conn, by, &h, HazardEvent::Supervise)?;
    Ok((id, ref_no))
}

/// Closes the building's hazard when its disposal is accepted, if it is still open; a hazard
/// someone closed (or dismissed) on its own stays as it is. Returns whether it was closed.
pub fn close(conn: &mut DbConn, by: &By, hazard_id: i64, building_id: i64) -> StoreResult<bool> {
    let h: Hazard = super::get(conn, hazard_id)?.hazard;
    if !h.state.is_open() {
        return Ok(false);
    }
    let updated = diesel::update(
        hazards::table
            .filter(hazards::id.eq(hazard_id))
            .filter(hazards::version.eq(h.version)),
    )
    .set((
        hazards::state.eq(State::Closed),
        hazards::version.eq(h.version + 1),
        hazards::updated_at.eq(by.at),
        hazards::accepted_by.eq(by.who.user_id),
        hazards::accepted_at.eq(by.at),
    ))
    .execute(conn)?;
    if updated != 1 {
        return Err(StoreError::state_conflict(KIND, h.state));
    }
    super::rollup::moved(conn, h.school_id, Some(h.state), State::Closed)?;
    super::rollup::flow(
        conn,
        h.school_id,
        hazard_id,
        by.at,
        super::rollup::Flow::Closed,
    )?;
    events::append(
        conn,
        &by.actor,
        NewEvent::new(KIND, Some(hazard_id), HazardEvent::Accept.as_str())
            .at(by.at)
            .school(Some(h.school_id))
            .moves(Some(h.state.as_str()), Some(State::Closed.as_str()))
            .changes(json!({ "building": building_id })),
    )?;
    tell_of(conn, by, &h, HazardEvent::Accept)?;
    Ok(true)
}

/// The hazards raised for a building, newest first (its page lists them).
pub fn of_building(conn: &mut DbConn, building_id: i64) -> QueryResult<Vec<Hazard>> {
    hazards::table
        .filter(hazards::building_id.eq(building_id))
        .order(hazards::id.desc())
        .select(Hazard::as_select())
        .load(conn)
}
