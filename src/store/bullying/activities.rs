//! The three-early activities: screenings and surveys, and prevention education sessions —
//! the latter kept in the education register (topic `bullying`), which the education module
//! shares — and each school's three-early status for a semester.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::json;

use super::models::Screening;
use crate::db::schema::{
    bullying_cases as bc, bullying_screenings as bs, education_sessions as es,
};
use crate::db::{DbConn, write_tx};
use crate::domain::bullying::input::{Screening as NewScreening, Session};
use crate::domain::bullying::three_early::{CaseClock, Status, status};
use crate::domain::bullying::{BullyingEvent, KIND, Semester, rules};
use crate::store::events::{self as trail, NewEvent};
use crate::store::{By, StoreResult};

/// The education register's topic and kind of a prevention session against bullying.
pub const TOPIC: &str = "bullying";
pub const KIND_EDUCATION: &str = "education";

pub fn record_screening(
    conn: &mut DbConn,
    by: &By,
    school_id: i64,
    s: &NewScreening,
) -> StoreResult<()> {
    write_tx(conn, |conn| {
        rules::may_record_activity(&by.who, school_id)?;
        diesel::insert_into(bs::table)
            .values((
                bs::school_id.eq(school_id),
                bs::held_on.eq(s.held_on),
                bs::classes.eq(&s.classes),
                bs::pupils_covered.eq(s.pupils_covered),
                bs::findings.eq(&s.findings),
                bs::recorded_by.eq(by.who.user_id),
                bs::recorded_at.eq(by.at),
            ))
            .execute(conn)?;
        trail::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, None, BullyingEvent::Screening.as_str())
                .at(by.at)
                .school(Some(school_id))
                .changes(json!({
                    "held_on": s.held_on.to_string(), "pupils_covered": s.pupils_covered,
                })),
        )?;
        Ok(())
    })
}

/// A prevention session (反欺凌教育) in the education register: the day, who took part.
pub fn record_session(conn: &mut DbConn, by: &By, school_id: i64, s: &Session) -> StoreResult<()> {
    let (held_on, participants, note) = (s.held_on, s.participants, &s.note);
    write_tx(conn, |conn| {
        rules::may_record_activity(&by.who, school_id)?;
        diesel::insert_into(es::table)
            .values((
                es::school_id.eq(school_id),
                es::kind.eq(KIND_EDUCATION),
                es::topic.eq(TOPIC),
                es::held_on.eq(held_on),
                es::participants.eq(participants),
                es::note.eq(note),
                es::recorded_by.eq(by.who.user_id),
                es::recorded_at.eq(by.at),
            ))
            .execute(conn)?;
        // The education register lists it, and its search finds it.
        crate::store::education::just_recorded(conn, by)?;
        trail::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, None, BullyingEvent::Session.as_str())
                .at(by.at)
                .school(Some(school_id))
                .changes(json!({ "held_on": held_on.to_string(), "participants": participants })),
        )?;
        Ok(())
    })
}

/// A school's screenings, the latest first.
pub fn screenings(conn: &mut DbConn, school_id: i64, limit: i64) -> QueryResult<Vec<Screening>> {
    bs::table
        .filter(bs::school_id.eq(school_id))
        .order((bs::held_on.desc(), bs::id.desc()))
        .limit(limit)
        .select(Screening::as_select())
        .load(conn)
}

/// A school's prevention sessions: (held on, participants, note), the latest first.
pub fn sessions(
    conn: &mut DbConn,
    school_id: i64,
    limit: i64,
) -> QueryResult<Vec<(NaiveDate, i32, String)>> {
    es::table
        .filter(es::school_id.eq(school_id))
        .filter(es::topic.eq(TOPIC))
        .order((es::held_on.desc(), es::id.desc()))
        .limit(limit)
        .select((es::held_on, es::participants, es::note))
        .load(conn)
}

/// Counts per school of rows whose day lies within the semester.
fn per_school(rows: Vec<i64>) -> HashMap<i64, i64> {
    let mut out = HashMap::new();
    for s in rows {
        *out.entry(s).or_insert(0) += 1;
    }
    out
}

/// The three-early status of these schools (all when None) for the semester, on `today`.
pub fn three_early(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    semester: Semester,
    today: NaiveDate,
) -> QueryResult<HashMap<i64, Status>> {
    let (from, to) = semester.bounds();
    let mut q = bs::table
        .filter(bs::held_on.between(from, to))
        .select(bs::school_id)
        .into_boxed();
    let mut e = es::table
        .filter(es::topic.eq(TOPIC))
        .filter(es::held_on.between(from, to))
        .select(es::school_id)
        .into_boxed();
    let mut c = bc::table
        .filter(bc::accepted_on.between(from, to))
        .select((bc::school_id, bc::state, bc::deadline, bc::determined_on))
        .into_boxed();
    if let Some(ids) = schools {
        q = q.filter(bs::school_id.eq_any(ids.to_vec()));
        e = e.filter(es::school_id.eq_any(ids.to_vec()));
        c = c.filter(bc::school_id.eq_any(ids.to_vec()));
    }
    let screened = per_school(q.load(conn)?);
    let educated = per_school(e.load(conn)?);
    let mut clocks: HashMap<i64, Vec<CaseClock>> = HashMap::new();
    type Row = (
        i64,
        crate::domain::bullying::State,
        Option<NaiveDate>,
        Option<NaiveDate>,
    );
    for (school, state, deadline, determined_on) in c.load::<Row>(conn)? {
        clocks.entry(school).or_default().push(CaseClock {
            state,
            deadline,
            determined_on,
        });
    }
    let ids: Vec<i64> = match schools {
        Some(ids) => ids.to_vec(),
        None => crate::db::schema::schools::table
            .filter(crate::db::schema::schools::active.eq(true))
            .select(crate::db::schema::schools::id)
            .load(conn)?,
    };
    Ok(ids
        .into_iter()
        .map(|id| {
            let n = |m: &HashMap<i64, i64>| m.get(&id).copied().unwrap_or(0);
            let cases = clocks.get(&id).map(Vec::as_slice).unwrap_or(&[]);
            (id, status(n(&screened), n(&educated), cases, today))
        })
        .collect())
}
