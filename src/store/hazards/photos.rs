//! Hazards as owners of attachments: photos before and after the fix, seen by whoever sees the
//! hazard, added under `rules::may_add_photo`.

use diesel::prelude::*;

use super::get;
use crate::db::DbConn;
use crate::db::schema::hazards;
use crate::domain::access::{Actor, Target};
use crate::domain::attachments::Stage;
use crate::domain::audit::RecordKind;
use crate::domain::hazards::{HazardEvent, KIND, rules};
use crate::store::StoreResult;
use crate::store::attachments::{Owner, decided};

pub struct HazardPhotos;

pub static HAZARD_PHOTOS: HazardPhotos = HazardPhotos;

impl Owner for HazardPhotos {
    fn kind(&self) -> RecordKind {
        KIND
    }

    fn view(&self, conn: &mut DbConn, who: &Actor, record_id: i64) -> StoreResult<String> {
        let h = get(conn, record_id)?.hazard;
        rules::may_view(who, Target::School(h.school_id))?;
        Ok(h.ref_no)
    }

    fn attach(
        &self,
        conn: &mut DbConn,
        who: &Actor,
        record_id: i64,
        stage: Stage,
    ) -> StoreResult<Option<i64>> {
        // The rules again, on the row as it is now: the hazard may have moved on while the
        // photo was being processed. The no-op write locks the row first (PostgreSQL; SQLite's
        // writers are one at a time anyway), so a submit or another upload racing this one
        // waits, and the state and the count read below are the last word.
        diesel::update(hazards::table.find(record_id))
            .set(hazards::version.eq(hazards::version))
            .execute(conn)?;
        let h = get(conn, record_id)?.hazard;
        decided(rules::may_add_photo(who, &h.facts(), stage), KIND, h.state)?;
        Ok(Some(h.school_id))
    }

    fn event(&self) -> &'static str {
        HazardEvent::Photo.as_str()
    }
}
