//! Hazards raised by the security module: a gap of the "4 × 100%" becomes a hazard (category
//! security, reported), linked to the item it is for, written inside the security step's own
//! transaction.

use chrono::Datelike;
use diesel::prelude::*;
use serde_json::json;

use super::models::HazardInsertForm;
use super::{about, find_by_ref, next_ref_no, tell};
use crate::db::DbConn;
use crate::db::schema::hazards;
use crate::domain::hazards::{Category, HazardEvent, HowFound, KIND, Level, Source, State};
use crate::domain::security::Item;
use crate::domain::time;
use crate::store::events::{self, NewEvent};
use crate::store::{By, StoreError, StoreResult};

/// Raises the gap's hazard, found today by whoever raised it. Returns its id and reference.
pub fn raise(
    conn: &mut DbConn,
    by: &By,
    school_id: i64,
    item: Item,
    title: &str,
    description: &str,
) -> StoreResult<(i64, String)> {
    let now = by.at;
    let today = time::local_date(now);
    let ref_no = next_ref_no(conn, today.year())?;
    diesel::insert_into(hazards::table)
        .values(HazardInsertForm {
            ref_no: &ref_no,
            school_id,
            source: Source::Campus,
            category: Category::Security,
            title,
            description,
            location: "",
            level: Level::General,
            how_found: HowFound::Special,
            found_on: today,
            found_by: &by.actor.name,
            reported_by: by.who.user_id,
            reported_at: now,
            state: State::Reported,
            supervised: false,
            version: 1,
            updated_at: now,
        })
        .execute(conn)?;
    let id = find_by_ref(conn, &ref_no)?
        .map(|h| h.id)
        .ok_or(StoreError::NotFound)?;
    crate::store::search::reindex(conn, KIND, &[id])?;
    super::rollup::moved(conn, school_id, None, State::Reported)?;
    super::rollup::flow(conn, school_id, id, by.at, super::rollup::Flow::Found)?;
    diesel::update(hazards::table.find(id))
        .set(hazards::security_item.eq(item))
        .execute(conn)?;
    let changes = json!({
        "ref_no": ref_no, "source": Source::Campus.as_str(),
        "category": Category::Security.as_str(), "level": Level::General.as_str(),
        "found_on": today.to_string(), "security_item": item.as_str(),
    });
    events::append(
        conn,
        &by.actor,
        NewEvent::new(KIND, Some(id), HazardEvent::Report.as_str())
            .at(now)
            .school(Some(school_id))
            .moves(None, Some(State::Reported.as_str()))
            .changes(changes),
    )?;
    let about = about(id, school_id, &ref_no, title);
    tell(conn, by, &about, HazardEvent::Report, by.who.user_id, false)?;
    Ok((id, ref_no))
}
