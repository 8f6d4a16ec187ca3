//! Server-side sessions: the cookie holds a random token, the table only its hash.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::models::{Session, User};
use crate::auth::token;
use crate::db::schema::{sessions, users};
use crate::db::{DbConn, write_tx};

#[derive(Clone, Copy, Debug)]
pub struct Lifetime {
    /// A session unused this long is over.
    pub idle: Duration,
    /// No session lives longer than this, used or not.
    pub absolute: Duration,
}

/// "Last seen" is refreshed at most this often, so a page view is not a database write.
const TOUCH_EVERY: i64 = 60;

/// Starts a session; returns the cookie token (the only copy) and the row.
pub fn create(
    conn: &mut DbConn,
    user_id: i64,
    ip: &str,
    now: NaiveDateTime,
) -> QueryResult<(String, Session)> {
    let token = token::random_token();
    let hash = token::token_hash(&token);
    write_tx(conn, |conn| {
        diesel::insert_into(sessions::table)
            .values((
                sessions::token_hash.eq(&hash),
                sessions::user_id.eq(user_id),
                sessions::csrf_token.eq(token::random_token()),
                sessions::created_at.eq(now),
                sessions::last_seen_at.eq(now),
                sessions::ip.eq(ip),
            ))
            .execute(conn)
    })?;
    let session = sessions::table
        .filter(sessions::token_hash.eq(&hash))
        .select(Session::as_select())
        .first(conn)?;
    Ok((token, session))
}

/// The live session and its active user for a cookie token, or None. Expired sessions are
/// removed on sight.
pub fn lookup(
    conn: &mut DbConn,
    token: &str,
    life: Lifetime,
    now: NaiveDateTime,
) -> QueryResult<Option<(Session, User)>> {
    let found: Option<(Session, User)> = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token::token_hash(token)))
        .select((Session::as_select(), User::as_select()))
        .first(conn)
        .optional()?;
    let Some((session, user)) = found else {
        return Ok(None);
    };
    let expired =
        now - session.last_seen_at > life.idle || now - session.created_at > life.absolute;
    // The rare writes of a lookup wait their turn with the other writers (`db::write_tx`).
    if expired || !user.active {
        write_tx(conn, |conn| {
            diesel::delete(sessions::table.find(session.id)).execute(conn)
        })?;
        return Ok(None);
    }
    if (now - session.last_seen_at).num_seconds() >= TOUCH_EVERY {
        write_tx(conn, |conn| {
            diesel::update(sessions::table.find(session.id))
                .set(sessions::last_seen_at.eq(now))
                .execute(conn)
        })?;
    }
    Ok(Some((session, user)))
}

pub fn delete(conn: &mut DbConn, session_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.find(session_id)).execute(conn)
}

/// Ends every session of a user (password change, disable, reset).
pub fn delete_for_user(conn: &mut DbConn, user_id: i64) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// Removes sessions past their absolute lifetime or idle limit (housekeeping).
pub fn purge_expired(conn: &mut DbConn, life: Lifetime, now: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(
        sessions::table.filter(
            sessions::created_at
                .lt(now - life.absolute)
                .or(sessions::last_seen_at.lt(now - life.idle)),
        ),
    )
    .execute(conn)
}
