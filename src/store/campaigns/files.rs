//! A school's mark on a campaign item as the owner of its evidence: seen by whoever sees the
//! school's line of the campaign, added by the school's officer as the item is done.

use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::campaign_marks as cm;
use crate::domain::access::{Actor, Target, allow_if};
use crate::domain::attachments::Stage;
use crate::domain::audit::RecordKind;
use crate::domain::campaigns::{CampaignEvent, reference, rules};
use crate::domain::role::Role;
use crate::store::{StoreError, StoreResult};

pub struct MarkFiles;

pub static MARK_FILES: MarkFiles = MarkFiles;

fn mark(conn: &mut DbConn, id: i64) -> StoreResult<(i64, i64)> {
    cm::table
        .find(id)
        .select((cm::campaign_id, cm::school_id))
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

impl Owner for MarkFiles {
    fn kind(&self) -> RecordKind {
        RecordKind::CampaignMark
    }

    fn view(&self, conn: &mut DbConn, who: &Actor, record_id: i64) -> StoreResult<String> {
        let (campaign, school) = mark(conn, record_id)?;
        who.in_scope(Target::School(school))?;
        rules::may_list(who)?;
        Ok(reference(campaign))
    }

    fn attach(
        &self,
        conn: &mut DbConn,
        who: &Actor,
        record_id: i64,
        _stage: Stage,
    ) -> StoreResult<Option<i64>> {
        let (_, school) = mark(conn, record_id)?;
        who.in_scope(Target::School(school))?;
        allow_if(who.role == Role::SchoolAdmin)?;
        Ok(Some(school))
    }

    fn event(&self) -> &'static str {
        CampaignEvent::Evidence.as_str()
    }
}

use crate::store::attachments::Owner;
