//! Schools: the registry every record belongs to.

use diesel::prelude::*;
use serde_json::json;

use super::events::{self, NewEvent};
use super::models::{School, SchoolForm, SchoolInsertForm};
use super::{Actor, StoreError, StoreResult, townships};
use crate::db::schema::{schools, townships as tw};
use crate::db::{DbConn, write_tx};
use crate::domain::audit::{RecordKind, RegistryEvent};
use crate::domain::school::SchoolInput;
use crate::domain::time;
use crate::domain::validate::FieldError;

/// A school with its township's name, as lists show it.
#[derive(Clone, Debug)]
pub struct SchoolRow {
    pub school: School,
    pub township: Option<String>,
}

pub fn list(conn: &mut DbConn, include_inactive: bool) -> QueryResult<Vec<SchoolRow>> {
    let mut q = schools::table
        .left_join(tw::table)
        .select((School::as_select(), tw::name.nullable()))
        .order((tw::name.asc(), schools::code.asc()))
        .into_boxed();
    if !include_inactive {
        q = q.filter(schools::active.eq(true));
    }
    let rows: Vec<(School, Option<String>)> = q.load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(school, township)| SchoolRow { school, township })
        .collect())
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<SchoolRow> {
    let (school, township) = schools::table
        .left_join(tw::table)
        .filter(schools::id.eq(id))
        .select((School::as_select(), tw::name.nullable()))
        .first::<(School, Option<String>)>(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Ok(SchoolRow { school, township })
}

/// Each school's id, name and township name; only a township's schools when one is named. What
/// a report counts its lines under, without loading whole rows.
pub fn units(
    conn: &mut DbConn,
    township: Option<&str>,
) -> QueryResult<Vec<(i64, String, Option<String>)>> {
    let mut q = schools::table
        .left_join(tw::table)
        .select((schools::id, schools::name, tw::name.nullable()))
        .into_boxed();
    if let Some(t) = township {
        q = q.filter(tw::name.eq(t.to_string()));
    }
    q.load(conn)
}

pub fn find_by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<School>> {
    schools::table
        .filter(schools::code.eq(code))
        .select(School::as_select())
        .first(conn)
        .optional()
}

fn form<'a>(s: &'a SchoolInput, township_id: Option<i64>) -> SchoolForm<'a> {
    SchoolForm {
        code: &s.code,
        name: &s.name,
        township_id,
        kind: s.kind,
        pupils: s.pupils,
        boarders: s.boarders,
        staff: s.staff,
        principal: &s.principal,
        phone: &s.phone,
        updated_at: time::now(),
    }
}

fn snapshot(s: &SchoolInput) -> serde_json::Value {
    json!({
        "code": s.code, "name": s.name, "township": s.township, "kind": s.kind.as_str(),
        "pupils": s.pupils, "boarders": s.boarders, "staff": s.staff,
        "principal": s.principal, "phone": s.phone,
    })
}

fn code_taken() -> StoreError {
    StoreError::Invalid(FieldError::only("code", "schools.error.code_taken"))
}

/// Inserts one school registered at `now` and its event; the caller holds the write
/// transaction.
fn insert(
    conn: &mut DbConn,
    actor: &Actor,
    s: &SchoolInput,
    now: chrono::NaiveDateTime,
) -> StoreResult<i64> {
    if find_by_code(conn, &s.code)?.is_some() {
        return Err(code_taken());
    }
    let township_id = s
        .township
        .as_deref()
        .map(|t| townships::ensure(conn, t))
        .transpose()?;
    diesel::insert_into(schools::table)
        .values(SchoolInsertForm {
            fields: form(s, township_id),
            active: true,
            created_at: now,
        })
        .execute(conn)
        .map_err(|e| {
            if super::is_unique_violation(&e) {
                code_taken()
            } else {
                e.into()
            }
        })?;
    let id = find_by_code(conn, &s.code)?
        .map(|s| s.id)
        .ok_or(StoreError::NotFound)?;
    crate::store::search::reindex(conn, RecordKind::School, &[id])?;
    events::append(
        conn,
        actor,
        NewEvent::new(RecordKind::School, Some(id), RegistryEvent::Create.as_str())
            .at(now)
            .school(Some(id))
            .changes(snapshot(s)),
    )?;
    Ok(id)
}

pub fn create(conn: &mut DbConn, actor: &Actor, s: &SchoolInput) -> StoreResult<i64> {
    create_at(conn, actor, s, time::now())
}

/// Registers a school as of `at`: a county's registry entered from its records (the demo),
/// or a test's clock. Reports count a school from its registration on.
pub fn create_at(
    conn: &mut DbConn,
    actor: &Actor,
    s: &SchoolInput,
    at: chrono::NaiveDateTime,
) -> StoreResult<i64> {
    write_tx(conn, |conn| insert(conn, actor, s, at))
}

pub fn update(conn: &mut DbConn, actor: &Actor, id: i64, s: &SchoolInput) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let current = get(conn, id)?;
        if let Some(other) = find_by_code(conn, &s.code)?
            && other.id != id
        {
            return Err(code_taken());
        }
        let township_id = s
            .township
            .as_deref()
            .map(|t| townships::ensure(conn, t))
            .transpose()?;
        diesel::update(schools::table.find(id))
            .set(form(s, township_id))
            .execute(conn)?;
        let before = &current.school;
        let mut changed = serde_json::Map::new();
        let after = snapshot(s);
        let old = json!({
            "code": before.code, "name": before.name, "township": current.township,
            "kind": before.kind.as_str(), "pupils": before.pupils, "boarders": before.boarders,
            "staff": before.staff, "principal": before.principal, "phone": before.phone,
        });
        if let (Some(a), Some(o)) = (after.as_object(), old.as_object()) {
            for (k, v) in a {
                if o.get(k) != Some(v) {
                    changed.insert(k.clone(), json!([o.get(k), v]));
                }
            }
        }
        // Reports count a school under its current name and township, in every month: kept
        // months are recomputed with the new ones rather than mix old and new.
        if changed.contains_key("name") || changed.contains_key("township") {
            super::reports::snapshots::clear(conn)?;
        }
        crate::store::search::reindex(conn, RecordKind::School, &[id])?;
        events::append(
            conn,
            actor,
            NewEvent::new(RecordKind::School, Some(id), RegistryEvent::Edit.as_str())
                .school(Some(id))
                .changes(changed.into()),
        )?;
        Ok(())
    })
}

pub fn set_active(conn: &mut DbConn, actor: &Actor, id: i64, active: bool) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let current = get(conn, id)?;
        if current.school.active == active {
            return Ok(());
        }
        diesel::update(schools::table.find(id))
            .set((
                schools::active.eq(active),
                schools::updated_at.eq(time::now()),
            ))
            .execute(conn)?;
        let event = if active {
            RegistryEvent::Activate
        } else {
            RegistryEvent::Deactivate
        };
        events::append(
            conn,
            actor,
            NewEvent::new(RecordKind::School, Some(id), event.as_str()).school(Some(id)),
        )?;
        Ok(())
    })
}

/// Imports rows all or nothing: any row that conflicts with the database refuses the file.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    parsed: &super::import::Parsed<SchoolInput>,
) -> StoreResult<usize> {
    write_tx(conn, |conn| {
        // What only the database knows, for every row at once, before anything is written.
        let mut taken = Vec::new();
        for (line, s) in &parsed.rows {
            if find_by_code(conn, &s.code)?.is_some() {
                taken.push(super::import::RowError {
                    line: *line,
                    fields: FieldError::only("code", "schools.error.code_taken"),
                });
            }
        }
        let refused = parsed.refused(taken);
        if !refused.is_empty() {
            return Err(StoreError::ImportRefused(refused));
        }
        for (line, s) in &parsed.rows {
            super::import::on_line(*line, insert(conn, actor, s, time::now()))?;
        }
        Ok(parsed.rows.len())
    })
}

pub fn count_active(conn: &mut DbConn) -> QueryResult<i64> {
    schools::table
        .filter(schools::active.eq(true))
        .count()
        .get_result(conn)
}
