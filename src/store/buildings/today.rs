//! The buildings on a user's today list: the candidates the domain ranks
//! (`domain::buildings::today`).

use chrono::{Duration, NaiveDate};
use diesel::prelude::*;

use super::BuildingRow;
use super::list::rows_of;
use crate::db::DbConn;
use crate::db::schema::buildings;
use crate::domain::access::{Actor, Target};
use crate::domain::buildings::Status;
use crate::domain::buildings::today::{self as why, TodayFacts, keeps_today};
use crate::domain::today::{DUE_SOON_DAYS, Why, rank};

/// At most this many candidates are read; the page shows fewer.
const CANDIDATES: i64 = 500;

pub struct TodayRow {
    pub row: BuildingRow,
    pub why: Why,
}

/// The user's buildings to act on today, in the list's order: for a school, its disposals due
/// within the days or overdue (the nearest deadline first) and its dangerous buildings without
/// a plan; county-wide, the disposals reported done.
pub fn list(conn: &mut DbConn, actor: &Actor, today: NaiveDate) -> QueryResult<Vec<TodayRow>> {
    if !keeps_today(actor) {
        return Ok(Vec::new());
    }
    let school = match actor.home() {
        Target::School(id) => Some(id),
        Target::County => None,
    };
    let scoped = || {
        let mut q = buildings::table.into_boxed();
        if let Some(id) = school {
            q = q.filter(buildings::school_id.eq(id));
        }
        q
    };
    let mut ids: Vec<i64> = scoped()
        .filter(buildings::status.eq(Status::AwaitingAcceptance))
        .order(buildings::id.asc())
        .limit(CANDIDATES)
        .select(buildings::id)
        .load(conn)?;
    if school.is_some() {
        ids.extend(
            scoped()
                .filter(buildings::status.eq(Status::DisposalPlanned))
                .filter(buildings::disposal_deadline.le(today + Duration::days(DUE_SOON_DAYS)))
                .order((buildings::disposal_deadline.asc(), buildings::id.asc()))
                .limit(CANDIDATES)
                .select(buildings::id)
                .load::<i64>(conn)?,
        );
        ids.extend(
            scoped()
                .filter(buildings::status.eq_any([Status::Closed, Status::Restricted]))
                .order(buildings::id.asc())
                .limit(CANDIDATES)
                .select(buildings::id)
                .load::<i64>(conn)?,
        );
    }
    let mut out: Vec<TodayRow> = rows_of(conn, &ids)?
        .into_iter()
        .filter_map(|row| {
            let b = &row.building;
            let facts = TodayFacts {
                facts: b.facts(),
                deadline: b.disposal_deadline,
            };
            let why = why::today(actor, &facts, today)?;
            Some(TodayRow { row, why })
        })
        .collect();
    out.sort_by_key(|t| rank(&t.why));
    Ok(out)
}
