//! Photo records of a hazard. The files themselves live under the data dir by content hash;
//! this table says which hazard, which stage, and who uploaded them.

use diesel::prelude::*;
use serde_json::json;

use crate::db::schema::hazard_photos as hp;
use crate::db::{DbConn, write_tx};
use crate::domain::hazard::PhotoStage;
use crate::store::events::{self, NewEvent};
use crate::store::models::HazardPhoto;
use crate::store::{StoreError, StoreResult};

/// Enough of each stage from several angles; counted per stage, so "before" photos can never
/// crowd out the "after" evidence a fix needs.
pub const MAX_PER_STAGE: i64 = 12;

pub struct NewPhoto<'a> {
    pub stage: PhotoStage,
    pub sha256: &'a str,
    pub bytes: i32,
    pub width: i32,
    pub height: i32,
}

pub fn list(conn: &mut DbConn, hazard_id: i64) -> QueryResult<Vec<HazardPhoto>> {
    hp::table
        .filter(hp::hazard_id.eq(hazard_id))
        .order(hp::id)
        .select(HazardPhoto::as_select())
        .load(conn)
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<HazardPhoto> {
    hp::table
        .find(id)
        .select(HazardPhoto::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Adds a photo record and its event; refuses beyond the per-hazard limit.
pub fn add(
    conn: &mut DbConn,
    by: &super::By<'_>,
    hazard_id: i64,
    school_id: i64,
    p: &NewPhoto<'_>,
) -> StoreResult<i64> {
    let (actor, uploader_id, now) = (by.actor, by.who.user_id, by.at);
    write_tx(conn, |conn| {
        // The rules again, on the row as it is now: the hazard may have moved on while the
        // photo was being processed.
        let h = super::get(conn, hazard_id)?.hazard;
        crate::domain::hazard::may_add_photo(by.who, &h.facts(), p.stage)
            .map_err(|r| super::refused(r, h.state()))?;
        let n: i64 = hp::table
            .filter(hp::hazard_id.eq(hazard_id))
            .filter(hp::stage.eq(p.stage.as_str()))
            .count()
            .get_result(conn)?;
        if n >= MAX_PER_STAGE {
            return Err(StoreError::Invalid(vec![
                crate::domain::validate::FieldError {
                    field: "file",
                    message: "err.too_many_photos",
                },
            ]));
        }
        diesel::insert_into(hp::table)
            .values((
                hp::hazard_id.eq(hazard_id),
                hp::stage.eq(p.stage.as_str()),
                hp::sha256.eq(p.sha256),
                hp::bytes.eq(p.bytes),
                hp::width.eq(p.width),
                hp::height.eq(p.height),
                hp::uploaded_by.eq(uploader_id),
                hp::uploaded_at.eq(now),
            ))
            .execute(conn)?;
        let id: i64 = hp::table
            .filter(hp::hazard_id.eq(hazard_id))
            .order(hp::id.desc())
            .select(hp::id)
            .first(conn)?;
        let changes = json!({"photo": id, "stage": p.stage.as_str(), "sha256": p.sha256});
        events::append(
            conn,
            actor,
            NewEvent::new(super::KIND, Some(hazard_id), "photo")
                .at(now)
                .school(Some(school_id))
                .changes(changes),
        )?;
        Ok(id)
    })
}
