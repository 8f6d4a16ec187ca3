//! A refused form's typed values and errors, kept for the session that typed them, so the page
//! showing them is reached by a redirect: a refresh shows the form again instead of posting it
//! again. A draft is read as often as the page is shown and forgotten when the same form
//! succeeds, when its session ends, or after a day (housekeeping).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::token;
use crate::db::DbConn;
use crate::db::schema::form_drafts as fd;
use crate::domain::validate::FieldError;

/// A form as it was refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    pub form: String,
    /// Field name → typed value.
    pub fields: Vec<(String, String)>,
    pub errors: Vec<(String, String, Option<String>)>,
}

/// Keeps a refused form; returns the token its page is shown with.
pub fn save(
    conn: &mut DbConn,
    session_id: i64,
    form: &str,
    fields: &[(String, String)],
    errors: &[FieldError],
    now: NaiveDateTime,
) -> QueryResult<String> {
    let token = token::random_token();
    let errors: Vec<(&str, &str, Option<&str>)> = errors
        .iter()
        .map(|e| (e.field, e.message, e.arg.as_deref()))
        .collect();
    let encode = |v: serde_json::Result<String>| v.unwrap_or_else(|_| "[]".into());
    // One draft per form and session: the newest refusal is what the page shows.
    diesel::delete(
        fd::table
            .filter(fd::session_id.eq(session_id))
            .filter(fd::form.eq(form)),
    )
    .execute(conn)?;
    diesel::insert_into(fd::table)
        .values((
            fd::token.eq(&token),
            fd::session_id.eq(session_id),
            fd::form.eq(form),
            fd::fields.eq(encode(serde_json::to_string(fields))),
            fd::errors.eq(encode(serde_json::to_string(&errors))),
            fd::created_at.eq(now),
        ))
        .execute(conn)?;
    Ok(token)
}

/// This session's draft with this token, if it is still kept.
pub fn load(conn: &mut DbConn, session_id: i64, token: &str) -> QueryResult<Option<Draft>> {
    let row: Option<(String, String, String)> = fd::table
        .filter(fd::token.eq(token))
        .filter(fd::session_id.eq(session_id))
        .select((fd::form, fd::fields, fd::errors))
        .first(conn)
        .optional()?;
    Ok(row.map(|(form, fields, errors)| Draft {
        form,
        fields: serde_json::from_str(&fields).unwrap_or_default(),
        errors: serde_json::from_str(&errors).unwrap_or_default(),
    }))
}

/// Forgets the session's draft of a form that has now succeeded.
pub fn clear(conn: &mut DbConn, session_id: i64, form: &str) -> QueryResult<usize> {
    let mine = || {
        fd::table
            .filter(fd::session_id.eq(session_id))
            .filter(fd::form.eq(form))
    };
    // Every form that succeeds asks; most kept nothing. A read takes no write lock, and a
    // delete that has something to do waits its turn with the other writers.
    if mine().count().get_result::<i64>(conn)? == 0 {
        return Ok(0);
    }
    crate::db::write_tx(conn, |conn| diesel::delete(mine()).execute(conn))
}

/// Forgets drafts older than `before` (housekeeping).
pub fn purge(conn: &mut DbConn, before: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(fd::table.filter(fd::created_at.lt(before))).execute(conn)
}
