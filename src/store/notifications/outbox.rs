//! The webhook's durable queue. A row is written in the notifying step's transaction and sent
//! later by `crate::webhook`, never in a request. Each try claims its row by moving its attempt
//! count on (`WHERE attempts = <as read>`), so of several instances exactly one sends it; the
//! claim also pushes the row's next try out, which is when it comes round again should the
//! sender die mid-try.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::webhook_outbox as wo;

/// A row due for a try.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = wo)]
pub struct Due {
    pub id: i64,
    pub url: String,
    pub payload: String,
    /// Tries made before this one.
    pub attempts: i32,
}

/// A queued row as a test or an operator sees it.
#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = wo)]
pub struct Row {
    pub id: i64,
    pub url: String,
    pub payload: String,
    pub attempts: i32,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub delivered_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

pub fn enqueue(conn: &mut DbConn, url: &str, payload: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::insert_into(wo::table)
        .values((
            wo::url.eq(url),
            wo::payload.eq(payload),
            wo::attempts.eq(0),
            wo::next_attempt_at.eq(Some(at)),
            wo::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// Rows whose next try is due at `now`, oldest first.
pub fn due(conn: &mut DbConn, now: NaiveDateTime, limit: i64) -> QueryResult<Vec<Due>> {
    wo::table
        .filter(wo::next_attempt_at.le(now))
        .filter(wo::delivered_at.is_null())
        .order((wo::next_attempt_at, wo::id))
        .limit(limit)
        .select(Due::as_select())
        .load(conn)
}

/// Takes a due row for one try; false when another sender took it first. Until `lease_until`
/// nobody else tries it.
pub fn claim(
    conn: &mut DbConn,
    d: &Due,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        wo::table
            .filter(wo::id.eq(d.id))
            .filter(wo::attempts.eq(d.attempts))
            .filter(wo::next_attempt_at.le(now))
            .filter(wo::delivered_at.is_null()),
    )
    .set((
        wo::attempts.eq(d.attempts + 1),
        wo::next_attempt_at.eq(Some(lease_until)),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

/// The try numbered `attempt` got through.
pub fn delivered(conn: &mut DbConn, id: i64, attempt: i32, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(
        wo::table
            .filter(wo::id.eq(id))
            .filter(wo::attempts.eq(attempt)),
    )
    .set((
        wo::delivered_at.eq(Some(at)),
        wo::next_attempt_at.eq(None::<NaiveDateTime>),
        wo::last_error.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(())
}

/// The try numbered `attempt` failed: try again at `next`, or never (given up) when None.
pub fn failed(
    conn: &mut DbConn,
    id: i64,
    attempt: i32,
    error: &str,
    next: Option<NaiveDateTime>,
) -> QueryResult<()> {
    let error: String = error.chars().take(500).collect();
    diesel::update(
        wo::table
            .filter(wo::id.eq(id))
            .filter(wo::attempts.eq(attempt)),
    )
    .set((wo::last_error.eq(Some(error)), wo::next_attempt_at.eq(next)))
    .execute(conn)?;
    Ok(())
}

/// Gives up every waiting row addressed elsewhere than the county's webhook address now (none:
/// turned off). An admin who changes the address, say because a bot's key leaked, stops what
/// was queued for the old one. Returns how many rows were given up.
pub fn abandon_stale(conn: &mut DbConn, current: Option<&str>) -> QueryResult<usize> {
    let waiting = wo::table
        .filter(wo::delivered_at.is_null())
        .filter(wo::next_attempt_at.is_not_null());
    let reason = Some("the county's webhook address changed".to_string());
    let set = (
        wo::last_error.eq(reason),
        wo::next_attempt_at.eq(None::<NaiveDateTime>),
    );
    match current {
        Some(url) => diesel::update(waiting.filter(wo::url.ne(url)))
            .set(set)
            .execute(conn),
        None => diesel::update(waiting).set(set).execute(conn),
    }
}

/// Every row, oldest first (for tests and an operator's look).
pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Row>> {
    wo::table.order(wo::id).select(Row::as_select()).load(conn)
}

/// Forgets rows finished (delivered or given up) before `before`.
pub fn purge_finished(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        wo::table
            .filter(wo::next_attempt_at.is_null())
            .filter(wo::created_at.lt(before)),
    )
    .execute(conn)
}
