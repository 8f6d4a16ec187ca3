//! Accounts. Changing a password or disabling a user ends their sessions in the same
//! transaction, so no old cookie outlives the change.

use diesel::prelude::*;
use serde_json::json;

use super::events::{self, NewEvent};
use super::models::{User, UserInsertForm};
use super::{Actor, StoreError, StoreResult, schools as school_store, sessions};
use crate::db::schema::{schools, users};
use crate::db::{DbConn, write_tx};
use crate::domain::audit::{RecordKind, RegistryEvent};
use crate::domain::time;
use crate::domain::user::UserInput;
use crate::domain::validate::FieldError;

#[derive(Clone, Debug)]
pub struct UserRow {
    pub user: User,
    pub school_code: Option<String>,
    pub school_name: Option<String>,
}

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<UserRow>> {
    let rows: Vec<(User, Option<String>, Option<String>)> = users::table
        .left_join(schools::table)
        .select((
            User::as_select(),
            schools::code.nullable(),
            schools::name.nullable(),
        ))
        .order((users::role.asc(), users::username.asc()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user, school_code, school_name)| UserRow {
            user,
            school_code,
            school_name,
        })
        .collect())
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<UserRow> {
    let (user, school_code, school_name) = users::table
        .left_join(schools::table)
        .filter(users::id.eq(id))
        .select((
            User::as_select(),
            schools::code.nullable(),
            schools::name.nullable(),
        ))
        .first::<(User, Option<String>, Option<String>)>(conn)
        .optional()?
        .ok_or(StoreError::NotFound)?;
    Ok(UserRow {
        user,
        school_code,
        school_name,
    })
}

pub fn find_by_username(conn: &mut DbConn, username: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::username.eq(username))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn count(conn: &mut DbConn) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}

fn invalid(field: &'static str, message: &'static str) -> StoreError {
    StoreError::Invalid(FieldError::only(field, message))
}

/// The id of an active school by code, or a field error on `school`.
fn school_id(conn: &mut DbConn, code: Option<&str>) -> StoreResult<Option<i64>> {
    let Some(code) = code else { return Ok(None) };
    match school_store::find_by_code(conn, code)? {
        Some(s) if s.active => Ok(Some(s.id)),
        _ => Err(invalid("school", "error.unknown_school")),
    }
}

fn insert(
    conn: &mut DbConn,
    actor: &Actor,
    u: &UserInput,
    password_hash: &str,
    must_change_password: bool,
) -> StoreResult<i64> {
    if find_by_username(conn, &u.username)?.is_some() {
        return Err(invalid("username", "users.error.username_taken"));
    }
    let school_id = school_id(conn, u.school.as_deref())?;
    let now = time::now();
    diesel::insert_into(users::table)
        .values(UserInsertForm {
            username: &u.username,
            display_name: &u.display_name,
            password_hash,
            role: u.role,
            school_id,
            active: true,
            must_change_password,
            created_at: now,
            updated_at: now,
        })
        .execute(conn)
        .map_err(|e| {
            if super::is_unique_violation(&e) {
                invalid("username", "users.error.username_taken")
            } else {
                e.into()
            }
        })?;
    let id = find_by_username(conn, &u.username)?
        .map(|u| u.id)
        .ok_or(StoreError::NotFound)?;
    let changes = json!({"username": u.username, "role": u.role.as_str(), "school": u.school});
    events::append(
        conn,
        actor,
        NewEvent::new(RecordKind::User, Some(id), RegistryEvent::Create.as_str())
            .school(school_id)
            .changes(changes),
    )?;
    Ok(id)
}

pub fn create(
    conn: &mut DbConn,
    actor: &Actor,
    u: &UserInput,
    password_hash: &str,
    must_change_password: bool,
) -> StoreResult<i64> {
    write_tx(conn, |conn| {
        insert(conn, actor, u, password_hash, must_change_password)
    })
}

/// Edits name, role and school. A change of role or school ends the user's sessions, so
/// the new scope applies at once.
pub fn update(conn: &mut DbConn, actor: &Actor, id: i64, u: &UserInput) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let current = get(conn, id)?.user;
        if u.username != current.username {
            return Err(invalid("username", "users.error.username_fixed"));
        }
        let school_id = school_id(conn, u.school.as_deref())?;
        diesel::update(users::table.find(id))
            .set((
                users::display_name.eq(&u.display_name),
                users::role.eq(u.role),
                users::school_id.eq(school_id),
                users::updated_at.eq(time::now()),
            ))
            .execute(conn)?;
        if current.role != u.role || current.school_id != school_id {
            sessions::delete_for_user(conn, id)?;
        }
        let changes = json!({
            "display_name": [current.display_name, u.display_name],
            "role": [current.role.as_str(), u.role.as_str()],
            "school_id": [current.school_id, school_id],
        });
        events::append(
            conn,
            actor,
            NewEvent::new(RecordKind::User, Some(id), RegistryEvent::Edit.as_str())
                .school(school_id)
                .changes(changes),
        )?;
        Ok(())
    })
}

pub fn set_active(conn: &mut DbConn, actor: &Actor, id: i64, active: bool) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let current = get(conn, id)?.user;
        if current.active == active {
            return Ok(());
        }
        diesel::update(users::table.find(id))
            .set((users::active.eq(active), users::updated_at.eq(time::now())))
            .execute(conn)?;
        if !active {
            sessions::delete_for_user(conn, id)?;
        }
        let event = if active {
            RegistryEvent::Activate
        } else {
            RegistryEvent::Deactivate
        };
        events::append(
            conn,
            actor,
            NewEvent::new(RecordKind::User, Some(id), event.as_str()).school(current.school_id),
        )?;
        Ok(())
    })
}

/// Sets a new password hash and ends every session of the user. `temporary` marks an
/// admin's reset: the user must choose their own at the next login.
pub fn set_password(
    conn: &mut DbConn,
    actor: &Actor,
    id: i64,
    password_hash: &str,
    temporary: bool,
) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let current = get(conn, id)?.user;
        diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(password_hash),
                users::must_change_password.eq(temporary),
                users::updated_at.eq(time::now()),
            ))
            .execute(conn)?;
        sessions::delete_for_user(conn, id)?;
        let event = if temporary {
            RegistryEvent::ResetPassword
        } else {
            RegistryEvent::ChangePassword
        };
        events::append(
            conn,
            actor,
            NewEvent::new(RecordKind::User, Some(id), event.as_str()).school(current.school_id),
        )?;
        Ok(())
    })
}

/// Imports rows (each with its temporary password's hash) all or nothing.
pub fn import(
    conn: &mut DbConn,
    actor: &Actor,
    parsed: &super::import::Parsed<UserInput>,
    hashes: &[String],
) -> StoreResult<usize> {
    write_tx(conn, |conn| {
        // What only the database knows, for every row at once, before anything is written.
        let mut unknown = Vec::new();
        for (line, u) in &parsed.rows {
            let mut fields = Vec::new();
            if find_by_username(conn, &u.username)?.is_some() {
                fields.push(FieldError::new("username", "users.error.username_taken"));
            }
            match school_id(conn, u.school.as_deref()) {
                Ok(_) => {}
                Err(StoreError::Invalid(f)) => fields.extend(f),
                Err(e) => return Err(e),
            }
            if !fields.is_empty() {
                unknown.push(super::import::RowError {
                    line: *line,
                    fields,
                });
            }
        }
        let refused = parsed.refused(unknown);
        if !refused.is_empty() {
            return Err(StoreError::ImportRefused(refused));
        }
        if hashes.len() != parsed.rows.len() {
            return Err(StoreError::Defect(
                "a password hash per imported user".into(),
            ));
        }
        for ((line, u), hash) in parsed.rows.iter().zip(hashes) {
            super::import::on_line(*line, insert(conn, actor, u, hash, true))?;
        }
        Ok(parsed.rows.len())
    })
}
