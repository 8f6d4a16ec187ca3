//! Correcting a building's details: what changed is the event's, the rules decide on the row as
//! it is inside the transaction, and a year built after an appraisal already on record is
//! refused (the appraisal cannot predate the building).

use chrono::Datelike;
use diesel::prelude::*;
use serde_json::json;

use super::{building, changed_meanwhile, refused};
use crate::db::schema::{appraisals, buildings};
use crate::db::{DbConn, write_tx};
use crate::domain::buildings::input::Building as Details;
use crate::domain::buildings::{BuildingEvent, KIND, rules};
use crate::domain::validate::FieldError;
use crate::store::events::{self, NewEvent};
use crate::store::{By, StoreError, StoreResult};

/// Saves the details; `expected_version` is the version the form was drawn from. Returns
/// whether anything changed (an unchanged form writes nothing).
pub fn edit(
    conn: &mut DbConn,
    by: &By,
    id: i64,
    d: &Details,
    expected_version: Option<i32>,
) -> StoreResult<bool> {
    write_tx(conn, |conn| {
        let b = building(conn, id)?;
        rules::may_edit(&by.who, &b.facts()).map_err(|r| refused(r, &b))?;
        if expected_version.is_some_and(|v| v != b.version) {
            return Err(StoreError::state_conflict(KIND, b.status));
        }
        let first: Option<chrono::NaiveDate> = appraisals::table
            .filter(appraisals::building_id.eq(id))
            .select(diesel::dsl::min(appraisals::appraised_on))
            .first(conn)?;
        if let Some(first) = first.filter(|f| f.year() < d.year_built) {
            return Err(StoreError::Invalid(vec![FieldError {
                field: "year_built",
                message: "buildings.error.built_after_appraisal",
                arg: Some(first.to_string()),
            }]));
        }
        let mut changes = serde_json::Map::new();
        let mut note = |k: &str, old: serde_json::Value, new: serde_json::Value| {
            if old != new {
                changes.insert(k.to_string(), json!({ "from": old, "to": new }));
            }
        };
        note("name", json!(b.name), json!(d.name));
        note("use", json!(b.usage.as_str()), json!(d.usage.as_str()));
        note(
            "structure",
            json!(b.structure.as_str()),
            json!(d.structure.as_str()),
        );
        note("floors", json!(b.floors), json!(d.floors));
        note("floor_area", json!(b.floor_area), json!(d.floor_area));
        note("year_built", json!(b.year_built), json!(d.year_built));
        if changes.is_empty() {
            return Ok(false);
        }
        let updated = diesel::update(
            buildings::table
                .filter(buildings::id.eq(id))
                .filter(buildings::version.eq(b.version)),
        )
        .set((
            buildings::name.eq(&d.name),
            buildings::usage.eq(d.usage),
            buildings::structure.eq(d.structure),
            buildings::floors.eq(d.floors),
            buildings::floor_area.eq(d.floor_area),
            buildings::year_built.eq(d.year_built),
            buildings::version.eq(b.version + 1),
            buildings::updated_at.eq(by.at),
        ))
        .execute(conn)?;
        if updated != 1 {
            return Err(changed_meanwhile(conn, id));
        }
        crate::store::search::reindex(conn, KIND, &[id])?;
        events::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), BuildingEvent::Edit.as_str())
                .at(by.at)
                .school(Some(b.school_id))
                .changes(changes.into()),
        )?;
        Ok(true)
    })
}
