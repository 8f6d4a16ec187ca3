//! The case list: filters (state, school, overdue), pages, and each row's parties as masked
//! names — the list never holds a name in full.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::models::Case;
use crate::db::DbConn;
use crate::db::schema::{bullying_cases as bc, bullying_parties as bp, schools};
use crate::domain::bullying::{PartyRole, State, mask_name};

pub const PAGE_SIZE: i64 = 50;

#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this school (a school officer's scope, or a chosen school).
    pub school_id: Option<i64>,
    pub state: Option<State>,
    /// Investigating past its deadline on this day.
    pub overdue_on: Option<NaiveDate>,
}

/// One line of the list: the case, its school's name, its parties masked.
#[derive(Clone, Debug)]
pub struct Row {
    pub case: Case,
    pub school_name: String,
    pub parties: Vec<(PartyRole, String)>,
}

type Boxed<'a> = bc::BoxedQuery<'a, crate::db::MultiBackend>;

fn filtered(f: &Filter) -> Boxed<'_> {
    let mut q = bc::table.into_boxed();
    if let Some(id) = f.school_id {
        q = q.filter(bc::school_id.eq(id));
    }
    if let Some(s) = f.state {
        q = q.filter(bc::state.eq(s));
    }
    if let Some(day) = f.overdue_on {
        q = q
            .filter(bc::state.eq(State::Investigating))
            .filter(bc::deadline.lt(day));
    }
    q
}

pub fn count(conn: &mut DbConn, f: &Filter) -> QueryResult<i64> {
    filtered(f).count().get_result(conn)
}

/// A page of the list, newest first, and the number of cases in all.
pub fn page(conn: &mut DbConn, f: &Filter, page: i64) -> QueryResult<(Vec<Row>, i64)> {
    let total = count(conn, f)?;
    let cases: Vec<Case> = filtered(f)
        .order((bc::reported_on.desc(), bc::id.desc()))
        .offset((page.max(1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .select(Case::as_select())
        .load(conn)?;
    Ok((rows(conn, cases)?, total))
}

/// Every case the filter takes, for the export (no names at all go there).
pub fn all(conn: &mut DbConn, f: &Filter) -> QueryResult<Vec<Row>> {
    let cases: Vec<Case> = filtered(f)
        .order((bc::reported_on.desc(), bc::id.desc()))
        .select(Case::as_select())
        .load(conn)?;
    rows(conn, cases)
}

fn rows(conn: &mut DbConn, cases: Vec<Case>) -> QueryResult<Vec<Row>> {
    let ids: Vec<i64> = cases.iter().map(|c| c.id).collect();
    let school_ids: Vec<i64> = cases.iter().map(|c| c.school_id).collect();
    let names: HashMap<i64, String> = schools::table
        .filter(schools::id.eq_any(school_ids))
        .select((schools::id, schools::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let mut parties: HashMap<i64, Vec<(PartyRole, String)>> = HashMap::new();
    for (case_id, role, name) in bp::table
        .filter(bp::case_id.eq_any(ids))
        .order(bp::id.asc())
        .select((bp::case_id, bp::role, bp::name))
        .load::<(i64, PartyRole, String)>(conn)?
    {
        parties
            .entry(case_id)
            .or_default()
            .push((role, mask_name(&name)));
    }
    Ok(cases
        .into_iter()
        .map(|case| Row {
            school_name: names.get(&case.school_id).cloned().unwrap_or_default(),
            parties: parties.remove(&case.id).unwrap_or_default(),
            case,
        })
        .collect())
}
