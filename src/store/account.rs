//! Signing in and out and changing one's own password, each with its audit event and its
//! throttle counts in one transaction.

use chrono::NaiveDateTime;

use super::events::{self, NewEvent};
use super::models::User;
use super::{Actor, StoreResult, sessions, throttle, users};
use crate::db::{DbConn, write_tx};
use crate::domain::audit::{RecordKind, RegistryEvent};
use crate::domain::throttle::{ACCOUNT, IP};

/// A wrong password for `username` (a user or not) from `ip`: both counts grow, and the
/// attempt joins the trail under the name tried, when it is a possible user name.
pub fn login_failed(
    conn: &mut DbConn,
    username: &str,
    ip: &str,
    user: Option<&User>,
    now: NaiveDateTime,
) -> StoreResult<()> {
    let actor = Actor {
        id: None,
        name: if crate::domain::user::valid_username(username) {
            username.to_string()
        } else {
            "?".into()
        },
    };
    write_tx(conn, |conn| {
        throttle::record_failure(conn, &throttle::account_key(username), &ACCOUNT, now)?;
        throttle::record_failure(conn, &throttle::ip_key(ip), &IP, now)?;
        events::append(
            conn,
            &actor,
            NewEvent::new(
                RecordKind::User,
                user.map(|u| u.id),
                RegistryEvent::LoginFailed.as_str(),
            )
            .school(user.and_then(|u| u.school_id)),
        )?;
        Ok(())
    })
}

/// The right password: the account's failures are forgotten and a new session begins. Returns
/// the session's cookie token.
pub fn login(conn: &mut DbConn, user: &User, ip: &str, now: NaiveDateTime) -> StoreResult<String> {
    write_tx(conn, |conn| {
        throttle::clear(conn, &throttle::account_key(&user.username))?;
        let (token, _) = sessions::create(conn, user.id, ip, now)?;
        events::append(
            conn,
            &user.event_actor(),
            NewEvent::new(
                RecordKind::User,
                Some(user.id),
                RegistryEvent::Login.as_str(),
            )
            .school(user.school_id),
        )?;
        Ok(token)
    })
}

/// Ends one session; its cookie works nowhere after.
pub fn logout(conn: &mut DbConn, user: &User, session_id: i64) -> StoreResult<()> {
    write_tx(conn, |conn| {
        sessions::delete(conn, session_id)?;
        events::append(
            conn,
            &user.event_actor(),
            NewEvent::new(
                RecordKind::User,
                Some(user.id),
                RegistryEvent::Logout.as_str(),
            )
            .school(user.school_id),
        )?;
        Ok(())
    })
}

/// A wrong current password on the password page counts against the account like a login.
pub fn password_failed(conn: &mut DbConn, username: &str, now: NaiveDateTime) -> StoreResult<()> {
    write_tx(conn, |conn| {
        throttle::record_failure(conn, &throttle::account_key(username), &ACCOUNT, now)?;
        Ok(())
    })
}

/// The user's own new password: every session of theirs ends and this browser's new one
/// begins, in one transaction. Returns the new session's token.
pub fn change_password(
    conn: &mut DbConn,
    user: &User,
    hash: &str,
    ip: &str,
    now: NaiveDateTime,
) -> StoreResult<String> {
    write_tx(conn, |conn| {
        users::set_password(conn, &user.event_actor(), user.id, hash, false)?;
        Ok(sessions::create(conn, user.id, ip, now)?.0)
    })
}
