//! The register: filters, pages and counts, shared by the list, the dangerous-buildings view,
//! the exports and the dashboards.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diesel::prelude::*;

use super::models::Building;
use super::{BuildingRow, Joined, row};
use crate::db::DbConn;
use crate::db::schema::{buildings, schools, townships};
use crate::domain::audit::RecordKind;
use crate::domain::buildings::{Grade, Status, Use, appraised_on_a_clock};
use crate::domain::search;
use crate::store::search as index;

pub const PAGE_SIZE: i64 = 50;

/// Which grade to list: one of A–D, or buildings never appraised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GradeFilter {
    Is(Grade),
    None,
}

#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this school (a school user's scope, or a chosen school).
    pub school_id: Option<i64>,
    pub township: Option<String>,
    pub grade: Option<GradeFilter>,
    pub status: Option<Status>,
    pub usage: Option<Use>,
    /// Appraisal due before this day on a building still standing.
    pub overdue_on: Option<NaiveDate>,
    /// Graded C or D, neither demolished nor reinforced (the bureau's dangerous view).
    pub dangerous: bool,
    /// Not demolished.
    pub standing: bool,
    pub text: Option<String>,
}

type Boxed<'a> = buildings::BoxedQuery<'a, crate::db::MultiBackend>;

fn filtered<'a>(conn: &mut DbConn, f: &'a Filter) -> QueryResult<Boxed<'a>> {
    let mut q = buildings::table.into_boxed();
    if let Some(id) = f.school_id {
        q = q.filter(buildings::school_id.eq(id));
    }
    if let Some(t) = &f.township {
        let ids: Vec<i64> = schools::table
            .inner_join(townships::table)
            .filter(townships::name.eq(t))
            .select(schools::id)
            .load(conn)?;
        q = q.filter(buildings::school_id.eq_any(ids));
    }
    match f.grade {
        Some(GradeFilter::Is(g)) => q = q.filter(buildings::grade.eq(g)),
        Some(GradeFilter::None) => q = q.filter(buildings::grade.is_null()),
        None => {}
    }
    if let Some(s) = f.status {
        q = q.filter(buildings::status.eq(s));
    }
    if let Some(u) = f.usage {
        q = q.filter(buildings::usage.eq(u));
    }
    if let Some(day) = f.overdue_on {
        q = q
            .filter(buildings::status.eq_any(appraised_on_a_clock()))
            .filter(buildings::appraisal_due.lt(day));
    }
    if f.dangerous {
        q = q
            .filter(buildings::grade.eq_any([Grade::C, Grade::D]))
            .filter(buildings::status.ne_all([Status::Demolished, Status::Reinforced]));
    }
    if f.standing {
        q = q.filter(buildings::status.ne(Status::Demolished));
    }
    if let Some(text) = &f.text {
        q = match search::query(text) {
            Some(found) => index::text_filter!(q, buildings::id, RecordKind::Building, &found),
            None => q.filter(buildings::id.lt(0)),
        };
    }
    Ok(q)
}

/// The register's order: by school, then by name.
fn sorted(q: Boxed<'_>) -> Boxed<'_> {
    q.order((
        buildings::school_id.asc(),
        buildings::name.asc(),
        buildings::id.asc(),
    ))
}

/// These buildings with their schools and townships, in the order given.
fn with_schools(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<BuildingRow>> {
    let mut found: HashMap<i64, BuildingRow> = super::joined!()
        .filter(buildings::id.eq_any(ids))
        .load::<Joined>(conn)?
        .into_iter()
        .map(|j| (j.0.id, row(j)))
        .collect();
    Ok(ids.iter().filter_map(|id| found.remove(id)).collect())
}

/// One page (1-based) and the number of matching buildings.
pub fn page(conn: &mut DbConn, f: &Filter, page: i64) -> QueryResult<(Vec<BuildingRow>, i64)> {
    let total: i64 = filtered(conn, f)?.count().get_result(conn)?;
    let offset = (page.max(1) - 1) * PAGE_SIZE;
    let ids: Vec<i64> = sorted(filtered(conn, f)?)
        .select(buildings::id)
        .limit(PAGE_SIZE)
        .offset(offset)
        .load(conn)?;
    Ok((with_schools(conn, &ids)?, total))
}

/// Every matching building's id in the register's order: what an export walks.
pub fn ids(conn: &mut DbConn, f: &Filter) -> QueryResult<Vec<i64>> {
    sorted(filtered(conn, f)?).select(buildings::id).load(conn)
}

/// These buildings with their schools, in the order given (one batch of an export).
pub fn rows_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<BuildingRow>> {
    with_schools(conn, ids)
}

/// Every matching building (the dangerous view lists them all: a county has a handful).
pub fn all(conn: &mut DbConn, f: &Filter) -> QueryResult<Vec<BuildingRow>> {
    let ids = ids(conn, f)?;
    with_schools(conn, &ids)
}

/// How many buildings match.
pub fn count(conn: &mut DbConn, f: &Filter) -> QueryResult<i64> {
    filtered(conn, f)?.count().get_result(conn)
}

/// Standing buildings (not demolished) per township and grade (`None`: never appraised),
/// every township named; schools without a township are left out.
pub fn grades_by_township(
    conn: &mut DbConn,
) -> QueryResult<BTreeMap<String, BTreeMap<Option<Grade>, i64>>> {
    let per_school: Vec<(i64, Option<Grade>, i64)> = buildings::table
        .filter(buildings::status.ne(Status::Demolished))
        .group_by((buildings::school_id, buildings::grade))
        .select((
            buildings::school_id,
            buildings::grade,
            diesel::dsl::count_star(),
        ))
        .load(conn)?;
    let mut by: BTreeMap<String, BTreeMap<Option<Grade>, i64>> = townships::table
        .select(townships::name)
        .load::<String>(conn)?
        .into_iter()
        .map(|t| (t, BTreeMap::new()))
        .collect();
    let township_of: HashMap<i64, String> = schools::table
        .inner_join(townships::table)
        .select((schools::id, townships::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    for (school, grade, n) in per_school {
        if let Some(t) = township_of.get(&school) {
            *by.entry(t.clone()).or_default().entry(grade).or_default() += n;
        }
    }
    Ok(by)
}

/// Dangerous buildings not yet dealt with, of one school or all (the dashboards' line).
pub fn dangerous_open(conn: &mut DbConn, school_id: Option<i64>) -> QueryResult<i64> {
    count(
        conn,
        &Filter {
            school_id,
            dangerous: true,
            ..Default::default()
        },
    )
}

/// A building's row by id, without its school (for reminders).
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Building>> {
    buildings::table
        .find(id)
        .select(Building::as_select())
        .first(conn)
        .optional()
}
