//! The education register's rows: recording a session (with its photos, one transaction with
//! its event), one session, the list and its export, what the report counts, the county's
//! topic × month view, and the schools that still owe a drowning-prevention session.

pub mod photos;
pub mod remind;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use crate::db::schema::{education_sessions as es, schools};
use crate::db::{DbConn, write_tx};
use crate::domain::education::input::NewSession;
use crate::domain::education::report::Held;
use crate::domain::education::{EducationEvent, KIND, SessionKind, Topic, rules};
use crate::domain::search;
use crate::store::attachments::{self, Kept};
use crate::store::events::{self as trail, NewEvent};
use crate::store::search as index;
use crate::store::{By, StoreError, StoreResult};

pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = es)]
pub struct Session {
    pub id: i64,
    pub school_id: i64,
    pub kind: SessionKind,
    pub topic: Topic,
    pub held_on: NaiveDate,
    pub participants: i32,
    pub note: String,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

/// A session with its school's name, as lists and pages show it.
#[derive(Clone, Debug)]
pub struct Row {
    pub session: Session,
    pub school_name: String,
}

/// Records a session for a school, and claims the photos its form kept, in one transaction.
pub fn record(
    conn: &mut DbConn,
    by: &By,
    school_id: i64,
    s: &NewSession,
    photos: Option<Kept<'_>>,
) -> StoreResult<i64> {
    write_tx(conn, |conn| {
        rules::may_record(&by.who, school_id)?;
        diesel::insert_into(es::table)
            .values((
                es::school_id.eq(school_id),
                es::kind.eq(s.kind),
                es::topic.eq(s.topic),
                es::held_on.eq(s.held_on),
                es::participants.eq(s.participants),
                es::note.eq(&s.note),
                es::recorded_by.eq(by.who.user_id),
                es::recorded_at.eq(by.at),
            ))
            .execute(conn)?;
        let id = just_recorded(conn, by)?;
        trail::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), EducationEvent::Record.as_str())
                .at(by.at)
                .school(Some(school_id))
                .changes(json!({
                    "kind": s.kind.as_str(), "topic": s.topic.as_str(),
                    "held_on": s.held_on.to_string(), "participants": s.participants,
                })),
        )?;
        if let Some(kept) = photos {
            attachments::claim(conn, by, &photos::EDUCATION_PHOTOS, id, &kept)?;
        }
        Ok(id)
    })
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<Row> {
    let (session, school_name) = es::table
        .inner_join(schools::table.on(schools::id.eq(es::school_id)))
        .filter(es::id.eq(id))
        .select((Session::as_select(), schools::name))
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Ok(Row {
        session,
        school_name,
    })
}

/// The session this user has just recorded (ids alone could be another transaction's on
/// PostgreSQL: this recorder's at this instant), written into the search index.
pub(crate) fn just_recorded(conn: &mut DbConn, by: &By) -> QueryResult<i64> {
    let id: i64 = es::table
        .filter(es::recorded_by.eq(by.who.user_id))
        .filter(es::recorded_at.eq(by.at))
        .order(es::id.desc())
        .select(es::id)
        .first(conn)?;
    crate::store::search::reindex(conn, KIND, &[id])?;
    Ok(id)
}

/// The list's filters: all optional; a school user's own school is always set.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub school_id: Option<i64>,
    /// The schools of a township.
    pub schools: Option<Vec<i64>>,
    pub kind: Option<SessionKind>,
    pub topic: Option<Topic>,
    /// Held within these days (inclusive).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Words in the note.
    pub text: Option<String>,
}

type Boxed<'a> = es::BoxedQuery<'a, crate::db::MultiBackend>;

fn filtered(f: &Filter) -> Boxed<'_> {
    let mut q = es::table.into_boxed();
    if let Some(id) = f.school_id {
        q = q.filter(es::school_id.eq(id));
    }
    if let Some(ids) = &f.schools {
        q = q.filter(es::school_id.eq_any(ids.clone()));
    }
    if let Some(k) = f.kind {
        q = q.filter(es::kind.eq(k));
    }
    if let Some(t) = f.topic {
        q = q.filter(es::topic.eq(t));
    }
    if let Some(d) = f.from {
        q = q.filter(es::held_on.ge(d));
    }
    if let Some(d) = f.to {
        q = q.filter(es::held_on.le(d));
    }
    if let Some(text) = &f.text {
        q = match search::query(text) {
            Some(found) => index::text_filter!(q, es::id, KIND, &found),
            None => q.filter(es::id.lt(0)),
        };
    }
    q
}

/// A page of the list, the latest held first, and the number of sessions in all.
pub fn page(conn: &mut DbConn, f: &Filter, page: i64) -> QueryResult<(Vec<Row>, i64)> {
    let total: i64 = filtered(f).count().get_result(conn)?;
    let ids: Vec<i64> = filtered(f)
        .order((es::held_on.desc(), es::id.desc()))
        .offset((page.max(1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .select(es::id)
        .load(conn)?;
    Ok((rows_of(conn, &ids)?, total))
}

/// Every id the filter takes, in the list's order (the export reads them in batches).
pub fn ids(conn: &mut DbConn, f: &Filter) -> QueryResult<Vec<i64>> {
    filtered(f)
        .order((es::held_on.desc(), es::id.desc()))
        .select(es::id)
        .load(conn)
}

/// These sessions with their schools' names, in the order given.
pub fn rows_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Row>> {
    let found: Vec<(Session, String)> = es::table
        .inner_join(schools::table.on(schools::id.eq(es::school_id)))
        .filter(es::id.eq_any(ids.to_vec()))
        .select((Session::as_select(), schools::name))
        .load(conn)?;
    let mut by_id: std::collections::HashMap<i64, Row> = found
        .into_iter()
        .map(|(session, school_name)| {
            (
                session.id,
                Row {
                    session,
                    school_name,
                },
            )
        })
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// What a month's report counts, of these schools (all when None): the sessions held on its
/// days [from, to] and recorded by `upto`, and those held earlier but recorded late, within
/// the month [`month_start`, `upto`) — so a late entry counts once, in the month it was made,
/// and a month already reported never changes.
pub fn held(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    (from, to): (NaiveDate, NaiveDate),
    (month_start, upto): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<Vec<Held>> {
    let on_time = es::held_on.between(from, to).and(es::recorded_at.lt(upto));
    let late = es::held_on
        .lt(from)
        .and(es::recorded_at.ge(month_start))
        .and(es::recorded_at.lt(upto));
    let mut q = es::table
        .filter(on_time.or(late))
        .select((es::school_id, es::kind, es::topic, es::participants))
        .into_boxed();
    if let Some(ids) = schools {
        q = q.filter(es::school_id.eq_any(ids.to_vec()));
    }
    Ok(q.load::<(i64, SessionKind, Topic, i32)>(conn)?
        .into_iter()
        .map(|(school_id, kind, topic, participants)| Held {
            school_id,
            kind,
            topic,
            participants,
        })
        .collect())
}

/// (month, topic) of every session held in `year` by these schools (all when None).
pub fn topics_of_year(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    year: i32,
) -> QueryResult<Vec<(u32, Topic)>> {
    let (from, to) = (
        NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default(),
        NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or_default(),
    );
    let mut q = es::table
        .filter(es::held_on.between(from, to))
        .select((es::held_on, es::topic))
        .into_boxed();
    if let Some(ids) = schools {
        q = q.filter(es::school_id.eq_any(ids.to_vec()));
    }
    Ok(q.load::<(NaiveDate, Topic)>(conn)?
        .into_iter()
        .map(|(d, t)| (d.month(), t))
        .collect())
}

/// Active schools (of these, all when None) with no drowning-prevention session held within
/// the days: (id, code, name), by code.
pub fn without_drowning(
    conn: &mut DbConn,
    schools_in: Option<&[i64]>,
    (from, to): (NaiveDate, NaiveDate),
) -> QueryResult<Vec<(i64, String, String)>> {
    let held: Vec<i64> = es::table
        .filter(es::topic.eq(Topic::Drowning))
        .filter(es::held_on.between(from, to))
        .select(es::school_id)
        .distinct()
        .load(conn)?;
    let mut q = schools::table
        .filter(schools::active.eq(true))
        .filter(schools::id.ne_all(held))
        .order(schools::code.asc())
        .select((schools::id, schools::code, schools::name))
        .into_boxed();
    if let Some(ids) = schools_in {
        q = q.filter(schools::id.eq_any(ids.to_vec()));
    }
    q.load(conn)
}
