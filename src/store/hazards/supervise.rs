//! Supervision (挂牌督办): the bureau sets it with its five items, or clears it.

use diesel::prelude::*;
use serde_json::json;

use super::{get, refused};
use crate::db::schema::hazards;
use crate::db::{DbConn, write_tx};
use crate::domain::hazards::input::Supervision;
use crate::domain::hazards::{HazardEvent, KIND, rules};
use crate::store::events::{self, NewEvent};
use crate::store::{By, StoreError, StoreResult};

/// Sets (with the five items) or clears supervision. A form drawn before someone else's change
/// would overwrite it (measures, deadline): `expected_version` refuses a stale one.
pub fn supervise(
    conn: &mut DbConn,
    by: &By,
    id: i64,
    on: Option<&Supervision>,
    expected_version: Option<i32>,
) -> StoreResult<()> {
    let now = by.at;
    write_tx(conn, |conn| {
        let h = get(conn, id)?.hazard;
        let allowed = match on {
            Some(_) => rules::may_supervise(&by.who, &h.facts()),
            None => rules::may_lift_supervision(&by.who, &h.facts()),
        };
        allowed.map_err(|r| refused(r, &h))?;
        if expected_version.is_some_and(|v| v != h.version) {
            return Err(StoreError::state_conflict(KIND, h.state));
        }
        let target = hazards::table
            .filter(hazards::id.eq(id))
            .filter(hazards::version.eq(h.version));
        let base = (
            hazards::version.eq(h.version + 1),
            hazards::updated_at.eq(now),
        );
        let (updated, event, changes) = match on {
            Some(s) => (
                diesel::update(target)
                    .set((
                        base,
                        hazards::supervised.eq(true),
                        // Set once; editing the five items keeps when supervision began.
                        hazards::supervised_at
                            .eq(h.supervised_at.filter(|_| h.supervised).or(Some(now))),
                        hazards::measures.eq(&s.measures),
                        hazards::responsible_person.eq(&s.responsible_person),
                        hazards::funding.eq(&s.funding),
                        hazards::deadline.eq(s.deadline),
                        hazards::contingency_plan.eq(&s.contingency_plan),
                    ))
                    .execute(conn)?,
                HazardEvent::Supervise,
                json!({
                    "measures": s.measures, "responsible_person": s.responsible_person,
                    "funding": s.funding, "deadline": s.deadline.to_string(),
                    "contingency_plan": s.contingency_plan,
                }),
            ),
            None => (
                diesel::update(target)
                    .set((
                        base,
                        hazards::supervised.eq(false),
                        hazards::supervised_at.eq(None::<chrono::NaiveDateTime>),
                    ))
                    .execute(conn)?,
                HazardEvent::Unsupervise,
                json!({}),
            ),
        };
        if updated != 1 {
            return Err(StoreError::state_conflict(
                KIND,
                get(conn, id)?.hazard.state,
            ));
        }
        events::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), event.as_str())
                .at(now)
                .school(Some(h.school_id))
                .changes(changes),
        )?;
        super::tell_of(conn, by, &h, event)?;
        Ok(())
    })
}
