//! What a school picker offers, bounded whatever the number of schools: every active school
//! when a county has few, else a township's and the chosen one; and the lookup that finds
//! townships and schools as one types (the search index's school entries: name, code and
//! township), townships first.

use diesel::prelude::*;

use super::models::School;
use crate::db::DbConn;
use crate::db::schema::{schools, townships as tw};
use crate::domain::audit::RecordKind;
use crate::domain::search;
use crate::store::search as index;

/// A picker lists at most this many schools (a county's all; at province size a page of 300
/// options is ~20 KB).
pub const MAX_OPTIONS: i64 = 300;
/// A lookup answers at most this many of each.
pub const LOOKUP_MAX: i64 = 20;

/// (code, name) of the schools a picker offers: all active ones when there are at most
/// `MAX_OPTIONS`, else the active schools of `township` (at most as many) and `chosen`.
pub fn options(
    conn: &mut DbConn,
    township: Option<&str>,
    chosen: Option<&str>,
) -> QueryResult<Vec<(String, String)>> {
    let active = schools::table.filter(schools::active.eq(true));
    let n: i64 = active.count().get_result(conn)?;
    let mut out: Vec<(String, String)> = if n <= MAX_OPTIONS {
        active
            .order(schools::code.asc())
            .select((schools::code, schools::name))
            .load(conn)?
    } else if let Some(t) = township {
        active
            .inner_join(tw::table)
            .filter(tw::name.eq(t))
            .order(schools::code.asc())
            .limit(MAX_OPTIONS)
            .select((schools::code, schools::name))
            .load(conn)?
    } else {
        Vec::new()
    };
    if let Some(code) = chosen
        && !out.iter().any(|(c, _)| c == code)
        && let Some(s) = find_code_or_name(conn, code)?
    {
        out.insert(0, (s.code, s.name));
    }
    Ok(out)
}

/// Township names a picker offers: all of them when at most `MAX_OPTIONS`, else the chosen.
pub fn township_options(conn: &mut DbConn, chosen: Option<&str>) -> QueryResult<Vec<String>> {
    let n: i64 = tw::table.count().get_result(conn)?;
    if n <= MAX_OPTIONS {
        return tw::table.order(tw::name.asc()).select(tw::name).load(conn);
    }
    Ok(chosen.map(|t| vec![t.to_string()]).unwrap_or_default())
}

/// The school a picker's value names: its code, or else its exact name (what one types
/// without the list) when no other school has it.
pub fn find_code_or_name(conn: &mut DbConn, value: &str) -> QueryResult<Option<School>> {
    let by_code = schools::table
        .filter(schools::code.eq(value))
        .select(School::as_select())
        .first(conn)
        .optional()?;
    if by_code.is_some() {
        return Ok(by_code);
    }
    let mut named: Vec<School> = schools::table
        .filter(schools::name.eq(value))
        .limit(2)
        .select(School::as_select())
        .load(conn)?;
    Ok(if named.len() == 1 { named.pop() } else { None })
}

/// A school as the lookup answers it.
pub struct Found {
    pub code: String,
    pub name: String,
    pub township: Option<String>,
}

/// Townships whose name holds the typed text, then active schools matching it (name, code or
/// township), each at most `LOOKUP_MAX`.
pub fn lookup(conn: &mut DbConn, typed: &str) -> QueryResult<(Vec<String>, Vec<Found>)> {
    let Some(q) = search::query(typed) else {
        return Ok((Vec::new(), Vec::new()));
    };
    let mut towns = tw::table
        .select(tw::name)
        .order(tw::name.asc())
        .into_boxed();
    for w in &q.words {
        towns = towns.filter(tw::name.like(index::like(w)).escape('\\'));
    }
    let towns: Vec<String> = towns.limit(LOOKUP_MAX).load(conn)?;
    let found = schools::table.filter(schools::active.eq(true)).into_boxed();
    let found = index::text_filter!(found, schools::id, RecordKind::School, &q);
    let rows: Vec<(i64, String, String)> = found
        .order(schools::code.asc())
        .limit(LOOKUP_MAX)
        .select((schools::id, schools::code, schools::name))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let town_of: std::collections::HashMap<i64, String> = schools::table
        .inner_join(tw::table)
        .filter(schools::id.eq_any(ids))
        .select((schools::id, tw::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let schools = rows
        .into_iter()
        .map(|(id, code, name)| Found {
            township: town_of.get(&id).cloned(),
            code,
            name,
        })
        .collect();
    Ok((towns, schools))
}
