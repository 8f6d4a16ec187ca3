//! The building register: buildings, their appraisals (a D grade raising its supervised hazard
//! in the same transaction) and the disposal run, each with its audit event. The rules come
//! from `domain::buildings::rules`; this module only applies them.

pub mod appraise;
pub mod edit;
pub mod files;
pub mod list;
pub mod models;
pub mod remind;
pub mod today;
pub mod trail;
pub mod transition;

use diesel::prelude::*;
use serde_json::json;

use super::events::{self, NewEvent};
use super::notifications::{self, About};
use super::{By, StoreError, StoreResult, settings};
use crate::db::schema::{appraisals, buildings, schools, townships};
use crate::db::{DbConn, write_tx};
use crate::domain::access::Refusal;
use crate::domain::buildings::input::Building as NewBuilding;
use crate::domain::buildings::notify::{self as notices, BuildingNotice};
use crate::domain::buildings::{
    BuildingEvent, KIND, REAPPRAISE_MAX_YEARS, Reappraisal, SETTING_REAPPRAISE_AB_YEARS,
    SETTING_REAPPRAISE_C_YEARS, Status,
};
use models::{Appraisal, Building, BuildingInsertForm};

pub use appraise::appraise;
pub use transition::transition;

/// A building with its school, as pages show it.
#[derive(Clone, Debug)]
pub struct BuildingRow {
    pub building: Building,
    pub school_code: String,
    pub school_name: String,
    pub township: Option<String>,
}

/// The county's reappraisal periods (settings, defaults 5 and 1 years).
pub fn reappraisal(conn: &mut DbConn) -> QueryResult<Reappraisal> {
    let d = Reappraisal::default();
    let years = |conn: &mut DbConn, key, default| -> QueryResult<u32> {
        Ok(settings::get(conn, key)?
            .and_then(|v| v.parse::<u32>().ok())
            .filter(|y| (1..=REAPPRAISE_MAX_YEARS).contains(y))
            .unwrap_or(default))
    };
    Ok(Reappraisal {
        ab_years: years(conn, SETTING_REAPPRAISE_AB_YEARS, d.ab_years)?,
        c_years: years(conn, SETTING_REAPPRAISE_C_YEARS, d.c_years)?,
    })
}

pub(crate) type Joined = (Building, String, String, Option<String>);

/// The building with its school's code and name and its township's, as every read joins them.
macro_rules! joined {
    () => {
        buildings::table
            .inner_join(schools::table.left_join(townships::table))
            .select((
                Building::as_select(),
                schools::code,
                schools::name,
                townships::name.nullable(),
            ))
    };
}
pub(crate) use joined;

pub(crate) fn row((building, school_code, school_name, township): Joined) -> BuildingRow {
    BuildingRow {
        building,
        school_code,
        school_name,
        township,
    }
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<BuildingRow> {
    joined!()
        .filter(buildings::id.eq(id))
        .first::<Joined>(conn)
        .optional()?
        .map(row)
        .ok_or(StoreError::NotFound)
}

/// The building's row alone, for writes.
pub(crate) fn building(conn: &mut DbConn, id: i64) -> StoreResult<Building> {
    buildings::table
        .find(id)
        .select(Building::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// A building's appraisals, latest first.
pub fn appraisals_of(conn: &mut DbConn, id: i64) -> QueryResult<Vec<Appraisal>> {
    appraisals::table
        .filter(appraisals::building_id.eq(id))
        .order((appraisals::appraised_on.desc(), appraisals::id.desc()))
        .select(Appraisal::as_select())
        .load(conn)
}

/// Adds a building to a school's register, in use and not yet appraised. Authorization is the
/// caller's (`rules::may_register`).
pub fn register(conn: &mut DbConn, by: &By, school_id: i64, b: &NewBuilding) -> StoreResult<i64> {
    let now = by.at;
    write_tx(conn, |conn| {
        diesel::insert_into(buildings::table)
            .values(BuildingInsertForm {
                school_id,
                name: &b.name,
                usage: b.usage,
                structure: b.structure,
                floors: b.floors,
                floor_area: b.floor_area,
                year_built: b.year_built,
                status: Status::InUse,
                created_by: by.who.user_id,
                created_at: now,
                version: 1,
                updated_at: now,
            })
            .execute(conn)?;
        // The row just written: this user's at this instant (ids alone could be another
        // transaction's on PostgreSQL).
        let id: i64 = buildings::table
            .filter(buildings::created_by.eq(by.who.user_id))
            .filter(buildings::created_at.eq(now))
            .filter(buildings::school_id.eq(school_id))
            .order(buildings::id.desc())
            .select(buildings::id)
            .first(conn)?;
        crate::store::search::reindex(conn, KIND, &[id])?;
        let changes = json!({
            "name": b.name, "use": b.usage.as_str(), "structure": b.structure.as_str(),
            "floors": b.floors, "floor_area": b.floor_area, "year_built": b.year_built,
        });
        events::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), BuildingEvent::Register.as_str())
                .at(now)
                .school(Some(school_id))
                .moves(None, Some(Status::InUse.as_str()))
                .changes(changes),
        )?;
        Ok(id)
    })
}

/// A building as its notices name it.
fn about<'a>(b: &'a Building, reference: &'a str) -> About<'a> {
    About {
        kind: KIND,
        record_id: b.id,
        school_id: Some(b.school_id),
        reference,
        title: &b.name,
        path: notices::path(b.id),
    }
}

/// Tells whom a step concerns, if anyone, in the step's own transaction.
fn tell(conn: &mut DbConn, by: &By, b: &Building, n: Option<BuildingNotice>) -> QueryResult<()> {
    if let Some(n) = n {
        let reference = b.reference();
        notifications::notify(conn, by, &about(b, &reference), &n.notice())?;
    }
    Ok(())
}

/// A building that the rules refused to change: the refusal, naming its status now.
fn refused(r: Refusal, b: &Building) -> StoreError {
    StoreError::refused(r, KIND, b.status)
}

/// The refusal after a conditional update matched no row: someone's change committed first.
fn changed_meanwhile(conn: &mut DbConn, id: i64) -> StoreError {
    match building(conn, id) {
        Ok(b) => StoreError::state_conflict(KIND, b.status),
        Err(e) => e,
    }
}
