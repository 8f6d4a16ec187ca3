//! The register of legal vice-principals: appointing and editing (each one transaction with
//! its event, which states what the report counts: the days and the schools served), the list
//! and its export, the schools nobody serves, and each VP's standing as of any instant, read
//! off the trail so a past month's figures read the same next year.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use crate::db::schema::{events, legal_vp_schools as lvs, legal_vps as lv, schools};
use crate::db::{DbConn, read_snapshot, write_tx};
use crate::domain::legal_vps::{KIND, LegalVpEvent, NewVp, Standing, UnitKind, may_keep};
use crate::domain::search;
use crate::store::events::{self as trail, NewEvent};
use crate::store::search as index;
use crate::store::{By, StoreError, StoreResult};

pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = lv)]
pub struct Vp {
    pub id: i64,
    pub name: String,
    pub unit_kind: UnitKind,
    pub unit_name: String,
    pub appointed_on: NaiveDate,
    pub term_ends_on: Option<NaiveDate>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// A VP with the schools served: (id, code, name).
#[derive(Clone, Debug)]
pub struct Row {
    pub vp: Vp,
    pub schools: Vec<(i64, String, String)>,
}

impl Row {
    pub fn school_ids(&self) -> Vec<i64> {
        self.schools.iter().map(|s| s.0).collect()
    }
}

/// The ids of these codes, or the field's error when one is unknown or inactive.
fn school_ids(conn: &mut DbConn, codes: &[String]) -> StoreResult<Vec<i64>> {
    let found: Vec<(i64, String)> = schools::table
        .filter(schools::code.eq_any(codes.to_vec()))
        .filter(schools::active.eq(true))
        .select((schools::id, schools::code))
        .load(conn)?;
    if found.len() != codes.len() {
        return Err(StoreError::invalid(
            "schools",
            "legal_vps.error.unknown_school",
        ));
    }
    let by_code: HashMap<String, i64> = found.into_iter().map(|(id, c)| (c, id)).collect();
    Ok(codes
        .iter()
        .filter_map(|c| by_code.get(c).copied())
        .collect())
}

fn stated(v: &NewVp, schools: &[i64]) -> serde_json::Value {
    json!({
        "unit_kind": v.unit_kind.as_str(),
        "appointed_on": v.appointed_on.to_string(),
        "term_ends_on": v.term_ends_on.map(|d| d.to_string()),
        "schools": schools,
    })
}

fn set_schools(conn: &mut DbConn, id: i64, schools: &[i64]) -> QueryResult<()> {
    diesel::delete(lvs::table.filter(lvs::vp_id.eq(id))).execute(conn)?;
    for s in schools {
        diesel::insert_into(lvs::table)
            .values((lvs::vp_id.eq(id), lvs::school_id.eq(s)))
            .execute(conn)?;
    }
    Ok(())
}

/// Appoints a VP (the bureau); returns the id.
pub fn create(conn: &mut DbConn, by: &By, v: &NewVp) -> StoreResult<i64> {
    write_tx(conn, |conn| {
        may_keep(&by.who)?;
        let schools = school_ids(conn, &v.schools)?;
        diesel::insert_into(lv::table)
            .values((
                lv::name.eq(&v.name),
                lv::unit_kind.eq(v.unit_kind),
                lv::unit_name.eq(&v.unit_name),
                lv::appointed_on.eq(v.appointed_on),
                lv::term_ends_on.eq(v.term_ends_on),
                lv::version.eq(1),
                lv::created_at.eq(by.at),
                lv::updated_at.eq(by.at),
            ))
            .execute(conn)?;
        let id: i64 = lv::table
            .filter(lv::created_at.eq(by.at))
            .filter(lv::name.eq(&v.name))
            .order(lv::id.desc())
            .select(lv::id)
            .first(conn)?;
        crate::store::search::reindex(conn, KIND, &[id])?;
        set_schools(conn, id, &schools)?;
        trail::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), LegalVpEvent::Create.as_str())
                .at(by.at)
                .changes(stated(v, &schools)),
        )?;
        Ok(id)
    })
}

/// Edits a VP as of the version the form was drawn from (a stale one is a conflict).
pub fn edit(conn: &mut DbConn, by: &By, id: i64, version: i32, v: &NewVp) -> StoreResult<()> {
    write_tx(conn, |conn| {
        may_keep(&by.who)?;
        let schools = school_ids(conn, &v.schools)?;
        let n = diesel::update(lv::table.find(id).filter(lv::version.eq(version)))
            .set((
                lv::name.eq(&v.name),
                lv::unit_kind.eq(v.unit_kind),
                lv::unit_name.eq(&v.unit_name),
                lv::appointed_on.eq(v.appointed_on),
                lv::term_ends_on.eq(v.term_ends_on),
                lv::version.eq(version + 1),
                lv::updated_at.eq(by.at),
            ))
            .execute(conn)?;
        if n == 0 {
            get(conn, id)?;
            return Err(StoreError::Refused(
                crate::domain::access::Refusal::Conflict,
            ));
        }
        crate::store::search::reindex(conn, KIND, &[id])?;
        set_schools(conn, id, &schools)?;
        trail::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), LegalVpEvent::Edit.as_str())
                .at(by.at)
                .changes(stated(v, &schools)),
        )?;
        Ok(())
    })
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<Row> {
    let vp: Vp = lv::table
        .find(id)
        .select(Vp::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Ok(rows(conn, vec![vp])?.remove(0))
}

fn rows(conn: &mut DbConn, vps: Vec<Vp>) -> QueryResult<Vec<Row>> {
    let ids: Vec<i64> = vps.iter().map(|v| v.id).collect();
    let mut served: HashMap<i64, Vec<(i64, String, String)>> = HashMap::new();
    for (vp, id, code, name) in lvs::table
        .inner_join(schools::table.on(schools::id.eq(lvs::school_id)))
        .filter(lvs::vp_id.eq_any(ids))
        .order(schools::code.asc())
        .select((lvs::vp_id, schools::id, schools::code, schools::name))
        .load::<(i64, i64, String, String)>(conn)?
    {
        served.entry(vp).or_default().push((id, code, name));
    }
    Ok(vps
        .into_iter()
        .map(|vp| Row {
            schools: served.remove(&vp.id).unwrap_or_default(),
            vp,
        })
        .collect())
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Serving one of these schools (a school user's own, a chosen school, a township's).
    pub schools: Option<Vec<i64>>,
    pub unit_kind: Option<UnitKind>,
    /// In office on this day.
    pub in_office_on: Option<NaiveDate>,
    /// Words in the name or the unit.
    pub text: Option<String>,
}

type Boxed<'a> = lv::BoxedQuery<'a, crate::db::MultiBackend>;

fn filtered(f: &Filter) -> Boxed<'_> {
    let mut q = lv::table.into_boxed();
    if let Some(ids) = &f.schools {
        let serving = lvs::table
            .filter(lvs::school_id.eq_any(ids.clone()))
            .select(lvs::vp_id);
        q = q.filter(lv::id.eq_any(serving));
    }
    if let Some(k) = f.unit_kind {
        q = q.filter(lv::unit_kind.eq(k));
    }
    if let Some(day) = f.in_office_on {
        q = q
            .filter(lv::appointed_on.le(day))
            .filter(lv::term_ends_on.is_null().or(lv::term_ends_on.ge(day)));
    }
    if let Some(text) = &f.text {
        q = match search::query(text) {
            Some(found) => index::text_filter!(q, lv::id, KIND, &found),
            None => q.filter(lv::id.lt(0)),
        };
    }
    q
}

pub fn page(conn: &mut DbConn, f: &Filter, page: i64) -> QueryResult<(Vec<Row>, i64)> {
    let total: i64 = filtered(f).count().get_result(conn)?;
    let vps: Vec<Vp> = filtered(f)
        .order((lv::appointed_on.desc(), lv::id.desc()))
        .offset((page.max(1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .select(Vp::as_select())
        .load(conn)?;
    Ok((rows(conn, vps)?, total))
}

pub fn ids(conn: &mut DbConn, f: &Filter) -> QueryResult<Vec<i64>> {
    filtered(f)
        .order((lv::appointed_on.desc(), lv::id.desc()))
        .select(lv::id)
        .load(conn)
}

pub fn rows_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Row>> {
    let vps: Vec<Vp> = lv::table
        .filter(lv::id.eq_any(ids.to_vec()))
        .select(Vp::as_select())
        .load(conn)?;
    let mut by_id: HashMap<i64, Row> = rows(conn, vps)?.into_iter().map(|r| (r.vp.id, r)).collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Active schools (of these, all when None) no VP in office on `day` serves: (code, name).
pub fn schools_without(
    conn: &mut DbConn,
    scope: Option<&[i64]>,
    day: NaiveDate,
) -> QueryResult<Vec<(String, String)>> {
    let served: Vec<i64> = lvs::table
        .inner_join(lv::table.on(lv::id.eq(lvs::vp_id)))
        .filter(lv::appointed_on.le(day))
        .filter(lv::term_ends_on.is_null().or(lv::term_ends_on.ge(day)))
        .select(lvs::school_id)
        .distinct()
        .load(conn)?;
    let mut q = schools::table
        .filter(schools::active.eq(true))
        .filter(schools::id.ne_all(served))
        .order(schools::code.asc())
        .select((schools::code, schools::name))
        .into_boxed();
    if let Some(ids) = scope {
        q = q.filter(schools::id.eq_any(ids.to_vec()));
    }
    q.load(conn)
}

/// The standing an event's changes state (`stated`), or None for one that states none.
fn standing(changes: &str) -> Option<Standing> {
    let v: serde_json::Value = serde_json::from_str(changes).ok()?;
    let day = |k: &str| {
        v.get(k)?
            .as_str()
            .and_then(crate::domain::validate::parse_date)
    };
    Some(Standing {
        appointed_on: day("appointed_on")?,
        term_ends_on: day("term_ends_on"),
        schools: v
            .get("schools")?
            .as_array()?
            .iter()
            .filter_map(serde_json::Value::as_i64)
            .collect(),
    })
}

/// Every VP's standing as its last event before `upto` stated it.
pub fn standings(conn: &mut DbConn, upto: NaiveDateTime) -> QueryResult<Vec<Standing>> {
    read_snapshot(conn, |conn| {
        let rows: Vec<(i64, Option<i64>, Option<String>)> = events::table
            .filter(events::record_kind.eq(KIND))
            .filter(events::at.lt(upto))
            .order((events::at.asc(), events::id.asc()))
            .select((events::id, events::record_id, events::changes))
            .load(conn)?;
        let mut last: BTreeMap<i64, Standing> = BTreeMap::new();
        for (_, record, changes) in rows {
            let (Some(id), Some(c)) = (record, changes) else {
                continue;
            };
            if let Some(s) = standing(&c) {
                last.insert(id, s);
            }
        }
        Ok(last.into_values().collect())
    })
}
