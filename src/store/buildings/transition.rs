//! One disposal step: decided against the row as it is inside the transaction, checked for
//! what the step needs from the database (an "after" photo before it is reported done),
//! applied only if nobody changed the row meanwhile (its version), recorded in the trail; the
//! bureau's acceptance also closes the hazard the D grade raised.

use diesel::prelude::*;
use serde_json::json;

use super::files::BUILDING_FILES;
use super::{building, changed_meanwhile, refused, tell};
use crate::db::schema::{attachments as at, buildings, events};
use crate::db::{DbConn, write_tx};
use crate::domain::attachments::Stage;
use crate::domain::buildings::input::Transition;
use crate::domain::buildings::notify::BuildingNotice;
use crate::domain::buildings::{BuildingAction, BuildingEvent, KIND, Status, rules};
use crate::store::events::{self as trail, NewEvent};
use crate::store::files::Saved;
use crate::store::hazards::building as hazard;
use crate::store::{By, StoreError, StoreResult, attachments};

/// "After" photos taken since the building's latest appraisal: a disposal run before it (a
/// reinforcement, then a new D) has its own evidence, which does not count again.
fn after_photos_of_this_chapter(conn: &mut DbConn, id: i64) -> StoreResult<i64> {
    let since: Option<chrono::NaiveDateTime> = events::table
        .filter(events::record_kind.eq(KIND))
        .filter(events::record_id.eq(id))
        .filter(events::action.eq(BuildingEvent::Appraise.as_str()))
        .select(diesel::dsl::max(events::at))
        .first(conn)?;
    let mut q = at::table
        .filter(at::record_kind.eq(KIND))
        .filter(at::record_id.eq(id))
        .filter(at::stage.eq(Stage::After))
        .into_boxed();
    if let Some(since) = since {
        q = q.filter(at::uploaded_at.ge(since));
    }
    Ok(q.count().get_result(conn)?)
}

pub fn transition(
    conn: &mut DbConn,
    by: &By,
    id: i64,
    action: BuildingAction,
    t: &Transition,
    expected_version: Option<i32>,
    after_photos: &[Saved],
) -> StoreResult<Status> {
    let (who, now) = (&by.who, by.at);
    write_tx(conn, |conn| {
        let b = building(conn, id)?;
        let to = rules::decide(who, action, &b.facts()).map_err(|r| refused(r, &b))?;
        if expected_version.is_some_and(|v| v != b.version) {
            return Err(StoreError::state_conflict(KIND, b.status));
        }
        if !after_photos.is_empty() {
            // With the step or not at all: a refused step keeps none of them.
            attachments::add(conn, by, &BUILDING_FILES, id, Stage::After, after_photos)?;
        }
        if action == BuildingAction::ReportDone && after_photos_of_this_chapter(conn, id)? == 0 {
            return Err(StoreError::invalid(
                "photos",
                "buildings.error.after_photo_required",
            ));
        }
        let target = buildings::table
            .filter(buildings::id.eq(id))
            .filter(buildings::version.eq(b.version));
        let base = (
            buildings::status.eq(to),
            buildings::version.eq(b.version + 1),
            buildings::updated_at.eq(now),
        );
        let updated = match action {
            BuildingAction::Plan => diesel::update(target)
                .set((
                    base,
                    buildings::disposal_method.eq(t.method),
                    buildings::disposal_deadline.eq(t.deadline),
                    buildings::disposal_funding.eq(&t.funding),
                ))
                .execute(conn)?,
            BuildingAction::ReportDone => diesel::update(target)
                .set((
                    base,
                    buildings::disposal_measures.eq(&t.measures),
                    buildings::reported_done_by.eq(who.user_id),
                    buildings::reported_done_at.eq(now),
                ))
                .execute(conn)?,
            BuildingAction::Accept => diesel::update(target)
                .set((
                    base,
                    buildings::accepted_by.eq(who.user_id),
                    buildings::accepted_at.eq(now),
                ))
                .execute(conn)?,
            BuildingAction::Return => diesel::update(target)
                .set((
                    base,
                    buildings::reported_done_by.eq(None::<i64>),
                    buildings::reported_done_at.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(conn)?,
        };
        if updated != 1 {
            return Err(changed_meanwhile(conn, id));
        }
        let closed_hazard = match (action, b.hazard_id) {
            (BuildingAction::Accept, Some(h)) => hazard::close(conn, by, h, id)?.then_some(h),
            _ => None,
        };
        let changes: serde_json::Map<String, serde_json::Value> = json!({
            "method": t.method.map(|m| m.as_str()), "deadline": t.deadline.map(|d| d.to_string()),
            "funding": t.funding, "measures": t.measures, "hazard_closed": closed_hazard,
        })
        .as_object()
        .map(|m| {
            m.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
        .unwrap_or_default();
        trail::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), BuildingEvent::from(action).as_str())
                .at(now)
                .school(Some(b.school_id))
                .moves(Some(b.status.as_str()), Some(to.as_str()))
                .comment(t.comment.as_deref())
                .changes(changes.into()),
        )?;
        tell(conn, by, &b, BuildingNotice::of(action.into(), None))?;
        Ok(to)
    })
}
