//! Login throttling kept in the database, so every app instance sees the same counts.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::login_throttle as lt;
use crate::domain::throttle::{self, Policy, State};

pub fn account_key(username: &str) -> String {
    format!("user:{}", username.trim().to_lowercase())
}

pub fn ip_key(ip: &str) -> String {
    format!("ip:{ip}")
}

fn load(conn: &mut DbConn, key: &str) -> QueryResult<Option<State>> {
    lt::table
        .find(key)
        .select((lt::failures, lt::window_started_at, lt::locked_until))
        .first::<(i32, NaiveDateTime, Option<NaiveDateTime>)>(conn)
        .optional()
        .map(|row| {
            row.map(|(failures, window_started_at, locked_until)| State {
                failures,
                window_started_at,
                locked_until,
            })
        })
}

/// The longest wait among the keys, if any is locked.
pub fn wait(conn: &mut DbConn, keys: &[&str], now: NaiveDateTime) -> QueryResult<Option<Duration>> {
    let mut longest = None;
    for key in keys {
        let w = throttle::wait(load(conn, key)?.as_ref(), now);
        longest = longest.max(w);
    }
    Ok(longest)
}

/// Counts one failure against `key`. Run inside a write transaction.
pub fn record_failure(
    conn: &mut DbConn,
    key: &str,
    policy: &Policy,
    now: NaiveDateTime,
) -> QueryResult<()> {
    if let DbConn::Pg(pg) = conn {
        // Read-modify-write of one key: concurrent failures must not overwrite each other.
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(pg)?;
    }
    let before = load(conn, key)?;
    let s = throttle::after_failure(policy, before.as_ref(), now);
    let values = (
        lt::failures.eq(s.failures),
        lt::window_started_at.eq(s.window_started_at),
        lt::locked_until.eq(s.locked_until),
    );
    if before.is_some() {
        diesel::update(lt::table.find(key))
            .set(values)
            .execute(conn)?;
    } else {
        diesel::insert_into(lt::table)
            .values((lt::key.eq(key), values.0, values.1, values.2))
            .execute(conn)?;
    }
    Ok(())
}

pub fn clear(conn: &mut DbConn, key: &str) -> QueryResult<usize> {
    diesel::delete(lt::table.find(key)).execute(conn)
}

/// Forgets counts whose window and lock have both run out (housekeeping): they no longer
/// change any decision.
pub fn purge_stale(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    let window = throttle::LONGEST_WINDOW;
    diesel::delete(
        lt::table.filter(
            lt::window_started_at
                .lt(now - window)
                .and(lt::locked_until.is_null().or(lt::locked_until.lt(now))),
        ),
    )
    .execute(conn)
}
