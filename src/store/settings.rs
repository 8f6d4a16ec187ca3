//! County settings as key/value rows; each module reads its own keys with a default.

use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::settings;
use crate::domain::time;

pub fn get(conn: &mut DbConn, key: &str) -> QueryResult<Option<String>> {
    settings::table
        .find(key)
        .select(settings::value)
        .first(conn)
        .optional()
}

pub fn get_bool(conn: &mut DbConn, key: &str, default: bool) -> QueryResult<bool> {
    Ok(get(conn, key)?.map(|v| v == "true").unwrap_or(default))
}

/// Sets a value. Run inside a write transaction together with its audit event.
pub fn set(conn: &mut DbConn, key: &str, value: &str) -> QueryResult<()> {
    let now = time::now();
    let updated = diesel::update(settings::table.find(key))
        .set((settings::value.eq(value), settings::updated_at.eq(now)))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(settings::table)
            .values((
                settings::key.eq(key),
                settings::value.eq(value),
                settings::updated_at.eq(now),
            ))
            .execute(conn)?;
    }
    Ok(())
}
