//! The hazard ledger: reports, transitions and supervision, each with its audit event in one
//! transaction. The rules come from `domain::hazards::rules`; this module only applies them.

pub mod building;
pub mod deadlines;
pub mod gap;
pub mod ledger;
pub mod models;
pub mod photos;
pub mod rollup;
pub mod supervise;
pub mod today;
pub mod trail;
pub mod transition;

use chrono::Datelike;
use diesel::prelude::*;
use serde_json::json;

use super::events::{self, NewEvent};
use super::notifications::{self, About};
use super::{By, StoreError, StoreResult, attachments, settings};
use crate::db::schema::{hazards, schools};
use crate::db::{DbConn, write_tx};
use crate::domain::hazards::input::Report;
use crate::domain::hazards::notify::{self as notices, HazardNotice};
use crate::domain::hazards::{self as domain, HazardEvent, KIND, Policy, State};
use crate::domain::time;
use models::{Hazard, HazardInsertForm};

pub use supervise::supervise;
pub use transition::transition;

/// A hazard with its school, as pages show it.
#[derive(Clone, Debug)]
pub struct HazardRow {
    pub hazard: Hazard,
    pub school_code: String,
    pub school_name: String,
}

pub fn policy(conn: &mut DbConn) -> QueryResult<Policy> {
    Ok(Policy {
        schools_accept_general: settings::get_bool(
            conn,
            domain::SETTING_SCHOOLS_ACCEPT_GENERAL,
            false,
        )?,
    })
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<HazardRow> {
    let (hazard, school_code, school_name) = hazards::table
        .inner_join(schools::table)
        .filter(hazards::id.eq(id))
        .select((Hazard::as_select(), schools::code, schools::name))
        .first::<(Hazard, String, String)>(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Ok(HazardRow {
        hazard,
        school_code,
        school_name,
    })
}

pub fn find_by_ref(conn: &mut DbConn, ref_no: &str) -> QueryResult<Option<Hazard>> {
    hazards::table
        .filter(hazards::ref_no.eq(ref_no))
        .select(Hazard::as_select())
        .first(conn)
        .optional()
}

/// The next reference number of a year, `YH-YYYY-NNNN`: one atomic upsert, so concurrent
/// reports never share a number (the unique index is the second line of defence).
pub(crate) fn next_ref_no(conn: &mut DbConn, year: i32) -> QueryResult<String> {
    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        value: i64,
    }
    let v: Value = diesel::sql_query(
        "INSERT INTO counters (name, value) VALUES ($1, 1) \
         ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value",
    )
    .bind::<diesel::sql_types::Text, _>(format!("hazard:{year}"))
    .get_result(conn)?;
    Ok(format!("YH-{year}-{:04}", v.value))
}

/// Records a new report in state `reported`, with the photos its form kept. Authorization is
/// the caller's (`rules::may_report`).
pub fn report(
    conn: &mut DbConn,
    by: &By,
    school_id: i64,
    r: &Report,
    photos: Option<attachments::Kept<'_>>,
) -> StoreResult<(i64, String)> {
    let now = by.at;
    write_tx(conn, |conn| {
        let ref_no = next_ref_no(conn, time::local_date(now).year())?;
        diesel::insert_into(hazards::table)
            .values(HazardInsertForm {
                ref_no: &ref_no,
                school_id,
                source: r.source,
                category: r.category,
                title: &r.title,
                description: &r.description,
                location: &r.location,
                level: r.level,
                how_found: r.how_found,
                found_on: r.found_on,
                found_by: &r.found_by,
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
        rollup::moved(conn, school_id, None, State::Reported)?;
        rollup::flow(conn, school_id, id, now, rollup::Flow::Found)?;
        let changes = json!({
            "ref_no": ref_no, "source": r.source.as_str(), "category": r.category.as_str(),
            "level": r.level.as_str(), "found_on": r.found_on.to_string(),
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
        if let Some(k) = photos {
            attachments::claim(conn, by, &photos::HAZARD_PHOTOS, id, &k)?;
        }
        let about = about(id, school_id, &ref_no, &r.title);
        tell(conn, by, &about, HazardEvent::Report, by.who.user_id, false)?;
        Ok((id, ref_no))
    })
}

/// A hazard as its notices name it.
fn about<'a>(id: i64, school_id: i64, ref_no: &'a str, title: &'a str) -> About<'a> {
    About {
        kind: KIND,
        record_id: id,
        school_id: Some(school_id),
        reference: ref_no,
        title,
        path: notices::path(id),
    }
}

/// Tells whom an event of the trail concerns, if anyone, in the event's own transaction.
fn tell(
    conn: &mut DbConn,
    by: &By,
    about: &About<'_>,
    event: HazardEvent,
    reported_by: i64,
    school_accepts: bool,
) -> QueryResult<()> {
    if let Some(n) = HazardNotice::of(event) {
        notifications::notify(conn, by, about, &n.notice(reported_by, school_accepts))?;
    }
    Ok(())
}

/// Tells whom a step on an existing hazard concerns.
fn tell_of(conn: &mut DbConn, by: &By, h: &Hazard, event: HazardEvent) -> QueryResult<()> {
    let about = about(h.id, h.school_id, &h.ref_no, &h.title);
    let school_accepts = domain::rules::school_accepts(&h.facts(), policy(conn)?);
    tell(conn, by, &about, event, h.reported_by, school_accepts)
}

/// A hazard row that the rules refused to change: the refusal, naming its state now.
fn refused(r: crate::domain::access::Refusal, h: &Hazard) -> StoreError {
    StoreError::refused(r, KIND, h.state)
}
