//! A case's details: its parties (whose names stay in this table and on the case page), the
//! measures taken, the notes of its steps, and the log of every opening of its page.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::case;
use super::models::{Measure, Party};
use crate::db::schema::{
    bullying_access as ba, bullying_measures as bm, bullying_notes as bn, bullying_parties as bp,
    users,
};
use crate::db::{DbConn, write_tx};
use crate::domain::bullying::input::{Measure as NewMeasure, Party as NewParty};
use crate::domain::bullying::{BullyingEvent, KIND, needs_consent, rules};
use crate::store::events::{self as trail, NewEvent};
use crate::store::{By, StoreError, StoreResult};

fn event(
    conn: &mut DbConn,
    by: &By,
    id: i64,
    school_id: i64,
    e: BullyingEvent,
    changes: serde_json::Value,
) -> QueryResult<()> {
    trail::append(
        conn,
        &by.actor,
        NewEvent::new(KIND, Some(id), e.as_str())
            .at(by.at)
            .school(Some(school_id))
            .changes(changes),
    )
}

/// Adds a party. The trail names the party by its id and role, never by name.
pub fn add_party(conn: &mut DbConn, by: &By, id: i64, p: &NewParty) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let c = case(conn, id)?;
        rules::may_add_detail(&by.who, &c.facts())
            .map_err(|r| StoreError::refused(r, KIND, c.state))?;
        diesel::insert_into(bp::table)
            .values((
                bp::case_id.eq(id),
                bp::role.eq(p.role),
                bp::name.eq(&p.name),
                bp::grade_class.eq(&p.grade_class),
                bp::age.eq(p.age),
                bp::added_by.eq(by.who.user_id),
                bp::added_at.eq(by.at),
            ))
            .execute(conn)?;
        let changes = json!({ "role": p.role.as_str(), "consent_needed": needs_consent(p.age) });
        event(conn, by, id, c.school_id, BullyingEvent::AddParty, changes)?;
        Ok(())
    })
}

pub fn add_measure(conn: &mut DbConn, by: &By, id: i64, m: &NewMeasure) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let c = case(conn, id)?;
        rules::may_add_detail(&by.who, &c.facts())
            .map_err(|r| StoreError::refused(r, KIND, c.state))?;
        diesel::insert_into(bm::table)
            .values((
                bm::case_id.eq(id),
                bm::kind.eq(m.kind),
                bm::taken_on.eq(m.taken_on),
                bm::note.eq(&m.note),
                bm::added_by.eq(by.who.user_id),
                bm::added_at.eq(by.at),
            ))
            .execute(conn)?;
        let changes = json!({ "kind": m.kind.as_str(), "taken_on": m.taken_on.to_string() });
        event(
            conn,
            by,
            id,
            c.school_id,
            BullyingEvent::AddMeasure,
            changes,
        )?;
        Ok(())
    })
}

pub fn parties(conn: &mut DbConn, id: i64) -> QueryResult<Vec<Party>> {
    bp::table
        .filter(bp::case_id.eq(id))
        .order(bp::id.asc())
        .select(Party::as_select())
        .load(conn)
}

pub fn measures(conn: &mut DbConn, id: i64) -> QueryResult<Vec<Measure>> {
    bm::table
        .filter(bm::case_id.eq(id))
        .order((bm::taken_on.asc(), bm::id.asc()))
        .select(Measure::as_select())
        .load(conn)
}

/// A step's note: (the action's word, the note, who, when), oldest first.
pub type Note = (String, String, String, NaiveDateTime);

pub fn notes(conn: &mut DbConn, id: i64) -> QueryResult<Vec<Note>> {
    bn::table
        .inner_join(users::table.on(users::id.eq(bn::added_by)))
        .filter(bn::case_id.eq(id))
        .order(bn::id.asc())
        .select((bn::action, bn::note, users::display_name, bn::added_at))
        .load(conn)
}

/// Writes that this user opened the case page now: in its own transaction, before the page
/// is shown, so no view goes unlogged.
pub fn log_access(conn: &mut DbConn, id: i64, user_id: i64, at: NaiveDateTime) -> QueryResult<()> {
    write_tx(conn, |conn| {
        diesel::insert_into(ba::table)
            .values((ba::case_id.eq(id), ba::user_id.eq(user_id), ba::at.eq(at)))
            .execute(conn)
            .map(|_| ())
    })
}

/// Who opened the case page, when: (display name, username, at), the latest first.
pub fn access_log(conn: &mut DbConn, id: i64) -> QueryResult<Vec<(String, String, NaiveDateTime)>> {
    ba::table
        .inner_join(users::table)
        .filter(ba::case_id.eq(id))
        .order((ba::at.desc(), ba::id.desc()))
        .select((users::display_name, users::username, ba::at))
        .load(conn)
}
