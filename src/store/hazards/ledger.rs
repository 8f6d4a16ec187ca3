//! The ledger: filters, sorting, pages and counts per state, shared by the page and exports.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::HazardRow;
use crate::db::DbConn;
use crate::db::schema::{events, hazards, schools, townships};
use crate::domain::hazards::{Category, HazardEvent, KIND, Level, Source, State};
use crate::domain::search;
use crate::store::hazards::models::Hazard;
use crate::store::search as index;

pub const PAGE_SIZE: i64 = 50;
/// A page that lists a whole queue (the bureau's review) shows at most this many; exports
/// have no bound (they read `ids`, then `rows_of` a batch at a time).
pub const QUEUE_MAX: i64 = 20_000;

pub use crate::domain::hazards::Sort;

#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only this school (a school user's scope, or a chosen school).
    pub school_id: Option<i64>,
    pub township: Option<String>,
    pub state: Option<State>,
    pub source: Option<Source>,
    pub category: Option<Category>,
    pub level: Option<Level>,
    /// Deadline before this day and still open.
    pub overdue_on: Option<NaiveDate>,
    pub supervised: bool,
    /// Open hazards only (any open state).
    pub open_only: bool,
    /// Rectifying after the bureau returned the fix at least once.
    pub returned: bool,
    pub reported_by: Option<i64>,
    /// Reported within [from, to).
    pub found_in: Option<(NaiveDateTime, NaiveDateTime)>,
    /// Accepted (销号) within [from, to), as the monthly report counts "closed".
    pub closed_in: Option<(NaiveDateTime, NaiveDateTime)>,
    pub text: Option<String>,
    /// Newest report first unless said otherwise.
    pub sort: Option<Sort>,
}

type Boxed<'a> = hazards::BoxedQuery<'a, crate::db::MultiBackend>;

/// Applies a filter to a boxed query over `hazards` (rows, or counts grouped by state). A
/// macro, as the two queries' types differ; `?` leaves the calling function.
macro_rules! filters {
    ($conn:expr, $f:expr, $with_state:expr, $q:expr) => {{
        let (conn, f, with_state): (&mut DbConn, &Filter, bool) = ($conn, $f, $with_state);
        let mut q = $q;
        if let Some(id) = f.school_id {
            q = q.filter(hazards::school_id.eq(id));
        }
        if let Some(t) = &f.township {
            let ids: Vec<i64> = schools::table
                .inner_join(townships::table)
                .filter(townships::name.eq(t))
                .select(schools::id)
                .load(conn)?;
            q = q.filter(hazards::school_id.eq_any(ids));
        }
        if with_state && let Some(s) = f.state {
            q = q.filter(hazards::state.eq(s));
        }
        if let Some(v) = f.source {
            q = q.filter(hazards::source.eq(v));
        }
        if let Some(v) = f.category {
            q = q.filter(hazards::category.eq(v));
        }
        if let Some(v) = f.level {
            q = q.filter(hazards::level.eq(v));
        }
        if let Some(day) = f.overdue_on {
            q = q
                .filter(hazards::state.eq_any(State::open()))
                .filter(hazards::deadline.lt(day));
        }
        if f.supervised {
            q = q.filter(hazards::supervised.eq(true));
        }
        if f.open_only {
            q = q.filter(hazards::state.eq_any(State::open()));
        }
        if f.returned {
            let returned = events::table
                .filter(events::record_kind.eq(KIND))
                .filter(events::action.eq(HazardEvent::Return.as_str()))
                .select(events::record_id.assume_not_null());
            q = q
                .filter(hazards::state.eq(State::Rectifying))
                .filter(hazards::id.eq_any(returned));
        }
        if let Some(id) = f.reported_by {
            q = q.filter(hazards::reported_by.eq(id));
        }
        if let Some((from, to)) = f.found_in {
            q = q
                .filter(hazards::reported_at.ge(from))
                .filter(hazards::reported_at.lt(to));
        }
        if let Some((from, to)) = f.closed_in {
            let accepted = events::table
                .filter(events::record_kind.eq(KIND))
                .filter(events::action.eq(HazardEvent::Accept.as_str()))
                .filter(events::at.ge(from))
                .filter(events::at.lt(to))
                .select(events::record_id.assume_not_null());
            q = q.filter(hazards::id.eq_any(accepted));
        }
        if let Some(text) = &f.text {
            // A text with nothing to look up (only punctuation) finds nothing.
            q = match search::query(text) {
                Some(found) => index::text_filter!(q, hazards::id, KIND, &found),
                None => q.filter(hazards::id.lt(0)),
            };
        }
        q
    }};
}

fn filtered<'a>(conn: &mut DbConn, f: &'a Filter, with_state: bool) -> QueryResult<Boxed<'a>> {
    Ok(filters!(conn, f, with_state, hazards::table.into_boxed()))
}

/// The ledger's order. A text search without a chosen order ranks the hazards whose title
/// holds every word first, the newest first within each rank.
fn sorted<'a>(q: Boxed<'a>, f: &Filter) -> Boxed<'a> {
    if f.sort.is_none()
        && let Some(found) = f.text.as_deref().and_then(search::query)
    {
        return q.order((
            index::in_head!(hazards::id, KIND, &found).desc(),
            hazards::reported_at.desc(),
            hazards::id.desc(),
        ));
    }
    match f.sort.unwrap_or(Sort::Newest) {
        Sort::Newest => q.order((hazards::reported_at.desc(), hazards::id.desc())),
        Sort::Oldest => q.order((hazards::updated_at.asc(), hazards::id.asc())),
        Sort::Deadline => q.order((
            hazards::deadline.is_null(),
            hazards::deadline.asc(),
            hazards::id.asc(),
        )),
    }
}

pub(super) fn with_schools(conn: &mut DbConn, rows: Vec<Hazard>) -> QueryResult<Vec<HazardRow>> {
    let mut ids: Vec<i64> = rows.iter().map(|h| h.school_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i64, (String, String)> = schools::table
        .filter(schools::id.eq_any(ids))
        .select((schools::id, schools::code, schools::name))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .map(|(id, code, name)| (id, (code, name)))
        .collect();
    Ok(rows
        .into_iter()
        .map(|hazard| {
            let (school_code, school_name) =
                names.get(&hazard.school_id).cloned().unwrap_or_default();
            HazardRow {
                hazard,
                school_code,
                school_name,
            }
        })
        .collect())
}

/// One page of the ledger (1-based) and the number of matching hazards.
pub fn page(conn: &mut DbConn, f: &Filter, page: i64) -> QueryResult<(Vec<HazardRow>, i64)> {
    let total: i64 = filtered(conn, f, true)?.count().get_result(conn)?;
    let offset = (page.max(1) - 1) * PAGE_SIZE;
    let rows: Vec<Hazard> = sorted(filtered(conn, f, true)?, f)
        .select(Hazard::as_select())
        .limit(PAGE_SIZE)
        .offset(offset)
        .load(conn)?;
    Ok((with_schools(conn, rows)?, total))
}

/// How many hazards are in each state, every state listed.
pub type StateCounts = Vec<(State, i64)>;

/// One page of the ledger, the number of matching hazards and the counts per state (the state
/// filter ignored), the total read off the counts: one filtered query fewer than asking for
/// both (a text search's cost is its filter, run once per query).
pub fn page_with_counts(
    conn: &mut DbConn,
    f: &Filter,
    page: i64,
) -> QueryResult<(Vec<HazardRow>, i64, StateCounts)> {
    if f.sort.is_none()
        && let Some(found) = f.text.as_deref().and_then(search::query)
    {
        return ranked_page(conn, f, &found, page);
    }
    let counts = counts_by_state(conn, f)?;
    let total = counts
        .iter()
        .filter(|(s, _)| f.state.is_none_or(|want| want == *s))
        .map(|(_, n)| n)
        .sum();
    let offset = (page.max(1) - 1) * PAGE_SIZE;
    let rows: Vec<Hazard> = if offset >= total {
        Vec::new()
    } else {
        sorted(filtered(conn, f, true)?, f)
            .select(Hazard::as_select())
            .limit(PAGE_SIZE)
            .offset(offset)
            .load(conn)?
    };
    Ok((with_schools(conn, rows)?, total, counts))
}

/// A ranked text search's page: every hit read once (its id, state, date and rank, not its
/// row), counted per state and ordered here, then the page's rows by id. The filter, a text
/// search's whole cost, runs once instead of once for the counts and once for the page.
fn ranked_page(
    conn: &mut DbConn,
    f: &Filter,
    found: &search::Query,
    page: i64,
) -> QueryResult<(Vec<HazardRow>, i64, StateCounts)> {
    let hits: Vec<(i64, State, NaiveDateTime, bool)> = filtered(conn, f, false)?
        .select((
            hazards::id,
            hazards::state,
            hazards::reported_at,
            index::in_head!(hazards::id, KIND, found),
        ))
        .load(conn)?;
    let mut per_state: HashMap<State, i64> = HashMap::new();
    for (_, state, _, _) in &hits {
        *per_state.entry(*state).or_default() += 1;
    }
    let counts = State::ALL
        .iter()
        .map(|s| (*s, per_state.get(s).copied().unwrap_or(0)))
        .collect();
    let mut hits: Vec<_> = hits
        .into_iter()
        .filter(|(_, s, _, _)| f.state.is_none_or(|want| want == *s))
        .collect();
    // The order `sorted` gives a search: title hits first, then newest, then id.
    hits.sort_unstable_by_key(|h| std::cmp::Reverse((h.3, h.2, h.0)));
    let total = hits.len() as i64;
    let offset = ((page.max(1) - 1) * PAGE_SIZE) as usize;
    let ids: Vec<i64> = hits
        .iter()
        .skip(offset)
        .take(PAGE_SIZE as usize)
        .map(|h| h.0)
        .collect();
    Ok((rows_of(conn, &ids)?, total, counts))
}

/// The first `limit` matching hazards in the ledger's order, for a page listing a queue.
pub fn first(conn: &mut DbConn, f: &Filter, limit: i64) -> QueryResult<Vec<HazardRow>> {
    let rows: Vec<Hazard> = sorted(filtered(conn, f, true)?, f)
        .select(Hazard::as_select())
        .limit(limit)
        .load(conn)?;
    with_schools(conn, rows)
}

/// Every matching hazard's id in the ledger's order: what an export walks. One sort, 8 bytes
/// a hazard (2.4 MB for a province's 300,000), and the filter (a text search's scan) runs once
/// however many batches follow.
pub fn ids(conn: &mut DbConn, f: &Filter) -> QueryResult<Vec<i64>> {
    sorted(filtered(conn, f, true)?, f)
        .select(hazards::id)
        .load(conn)
}

/// These hazards with their schools, in the order given; ids no longer there are skipped.
/// One batch of an export (a few hundred ids).
pub fn rows_of(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<HazardRow>> {
    let mut found: HashMap<i64, Hazard> = hazards::table
        .filter(hazards::id.eq_any(ids))
        .select(Hazard::as_select())
        .load::<Hazard>(conn)?
        .into_iter()
        .map(|h| (h.id, h))
        .collect();
    let rows = ids.iter().filter_map(|id| found.remove(id)).collect();
    with_schools(conn, rows)
}

/// The schools a filter keeps when it keeps hazards by scope (school, township), state and
/// openness alone: `Some(None)` is the whole county. Such counts read the rollups.
fn rollup_scope(conn: &mut DbConn, f: &Filter) -> QueryResult<Option<Option<Vec<i64>>>> {
    let plain = f.source.is_none()
        && f.category.is_none()
        && f.level.is_none()
        && f.overdue_on.is_none()
        && !f.supervised
        && !f.returned
        && f.reported_by.is_none()
        && f.found_in.is_none()
        && f.closed_in.is_none()
        && f.text.is_none();
    if !plain {
        return Ok(None);
    }
    let mut ids: Option<Vec<i64>> = f.school_id.map(|id| vec![id]);
    if let Some(t) = &f.township {
        let of_township: Vec<i64> = schools::table
            .inner_join(townships::table)
            .filter(townships::name.eq(t))
            .select(schools::id)
            .load(conn)?;
        ids = Some(match ids {
            Some(one) => one
                .into_iter()
                .filter(|i| of_township.contains(i))
                .collect(),
            None => of_township,
        });
    }
    Ok(Some(ids))
}

/// How many matching hazards are in each state (the state filter itself ignored): from the
/// rollups when the filter is a plain scope, else in one grouped query.
pub fn counts_by_state(conn: &mut DbConn, f: &Filter) -> QueryResult<Vec<(State, i64)>> {
    let found: HashMap<State, i64> = match rollup_scope(conn, f)? {
        Some(scope) => super::rollup::counts(conn, scope.as_deref())?,
        None => {
            let grouped = hazards::table
                .group_by(hazards::state)
                .select((hazards::state, diesel::dsl::count_star()))
                .into_boxed();
            filters!(conn, f, false, grouped)
                .load::<(State, i64)>(conn)?
                .into_iter()
                .collect()
        }
    };
    Ok(State::ALL
        .iter()
        .map(|s| match f.open_only && !s.is_open() {
            true => (*s, 0),
            false => (*s, found.get(s).copied().unwrap_or(0)),
        })
        .collect())
}

/// How many hazards match, without loading them (from the rollups for a plain scope).
pub fn count(conn: &mut DbConn, f: &Filter) -> QueryResult<i64> {
    if rollup_scope(conn, f)?.is_some() {
        return Ok(counts_by_state(conn, f)?
            .into_iter()
            .filter(|(s, _)| f.state.is_none_or(|want| want == *s))
            .map(|(_, n)| n)
            .sum());
    }
    filtered(conn, f, true)?.count().get_result(conn)
}

/// Open hazards per township (the county's dashboard chart): the rollups' open counts per
/// school, summed per township here.
pub fn open_by_township(conn: &mut DbConn) -> QueryResult<Vec<(String, i64)>> {
    let per_school = super::rollup::open_per_school(conn)?;
    let township_of: std::collections::HashMap<i64, String> = schools::table
        .inner_join(townships::table)
        .select((schools::id, townships::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let mut by: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
    for (school, n) in per_school {
        if let Some(t) = township_of.get(&school) {
            *by.entry(t.clone()).or_default() += n;
        }
    }
    Ok(by.into_iter().collect())
}

/// Open hazards per category, of one school or all (a school's dashboard chart).
pub fn open_by_category(
    conn: &mut DbConn,
    school_id: Option<i64>,
) -> QueryResult<Vec<(Category, i64)>> {
    let open = hazards::table.filter(hazards::state.eq_any(State::open()));
    match school_id {
        Some(id) => open
            .filter(hazards::school_id.eq(id))
            .group_by(hazards::category)
            .select((hazards::category, diesel::dsl::count_star()))
            .load(conn),
        None => open
            .group_by(hazards::category)
            .select((hazards::category, diesel::dsl::count_star()))
            .load(conn),
    }
}
