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
    // One statement, so two admins saving at once cannot collide on the key.
    diesel::sql_query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind::<diesel::sql_types::Text, _>(key)
    .bind::<diesel::sql_types::Text, _>(value)
    .bind::<diesel::sql_types::Timestamp, _>(time::now())
    .execute(conn)?;
    Ok(())
}
