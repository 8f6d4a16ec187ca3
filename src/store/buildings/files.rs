//! Buildings as owners of attachments: photos before and after the disposal, and the
//! appraisals' report files (stage `report`, added only with their appraisal), seen by whoever
//! sees the building.

use diesel::prelude::*;

use super::building;
use crate::db::DbConn;
use crate::db::schema::buildings;
use crate::domain::access::{Actor, Target};
use crate::domain::attachments::Stage;
use crate::domain::audit::RecordKind;
use crate::domain::buildings::{BuildingEvent, KIND, rules};
use crate::store::StoreResult;
use crate::store::attachments::{Owner, decided};

pub struct BuildingFiles;

pub static BUILDING_FILES: BuildingFiles = BuildingFiles;

impl Owner for BuildingFiles {
    fn kind(&self) -> RecordKind {
        KIND
    }

    fn view(&self, conn: &mut DbConn, who: &Actor, record_id: i64) -> StoreResult<String> {
        let b = building(conn, record_id)?;
        rules::may_view(who, Target::School(b.school_id))?;
        Ok(b.reference())
    }

    fn attach(
        &self,
        conn: &mut DbConn,
        who: &Actor,
        record_id: i64,
        stage: Stage,
    ) -> StoreResult<Option<i64>> {
        // The rules again on the row as it is now; the no-op write locks it first (PostgreSQL),
        // so a step racing this upload waits and the status read below is the last word.
        diesel::update(buildings::table.find(record_id))
            .set(buildings::version.eq(buildings::version))
            .execute(conn)?;
        let b = building(conn, record_id)?;
        let decision = match stage {
            Stage::Report => rules::may_appraise(who, &b.facts()),
            _ => rules::may_add_photo(who, &b.facts(), stage),
        };
        decided(decision, KIND, b.status)?;
        Ok(Some(b.school_id))
    }

    fn event(&self) -> &'static str {
        BuildingEvent::File.as_str()
    }
}
