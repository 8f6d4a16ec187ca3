//! Sessions as owners of attachments: photos of the session, seen by whoever reads the
//! register of its school, added by whoever records for it.

use super::get;
use crate::db::DbConn;
use crate::domain::access::Actor;
use crate::domain::attachments::Stage;
use crate::domain::audit::RecordKind;
use crate::domain::education::{EducationEvent, KIND, rules};
use crate::store::StoreResult;
use crate::store::attachments::Owner;

pub struct EducationPhotos;

pub static EDUCATION_PHOTOS: EducationPhotos = EducationPhotos;

impl Owner for EducationPhotos {
    fn kind(&self) -> RecordKind {
        KIND
    }

    fn view(&self, conn: &mut DbConn, who: &Actor, record_id: i64) -> StoreResult<String> {
        let s = get(conn, record_id)?.session;
        rules::may_view(who, s.school_id)?;
        Ok(format!("JY-{}-{}", s.held_on, s.id))
    }

    fn attach(
        &self,
        conn: &mut DbConn,
        who: &Actor,
        record_id: i64,
        _stage: Stage,
    ) -> StoreResult<Option<i64>> {
        let s = get(conn, record_id)?.session;
        rules::may_record(who, s.school_id)?;
        Ok(Some(s.school_id))
    }

    fn event(&self) -> &'static str {
        EducationEvent::Photo.as_str()
    }
}
