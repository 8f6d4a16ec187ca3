//! County settings as key/value rows; each module reads its own keys with a default.

use diesel::prelude::*;

use super::events::{self, NewEvent};
use super::{Actor, StoreResult};
use crate::db::schema::settings;
use crate::db::{DbConn, write_tx};
use crate::domain::audit::{RecordKind, RegistryEvent};
use crate::domain::notify;
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

/// A secret of this installation (shared by every instance on the database), made on first
/// use. Written without an audit event: its value must not appear in the trail.
pub fn secret(conn: &mut DbConn, key: &str) -> QueryResult<String> {
    diesel::sql_query(
        "INSERT INTO settings (key, value, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(key)
    .bind::<diesel::sql_types::Text, _>(crate::auth::token::random_token())
    .bind::<diesel::sql_types::Timestamp, _>(time::now())
    .execute(conn)?;
    get(conn, key)?.ok_or(diesel::result::Error::NotFound)
}

/// Saves several settings at once with one audit event naming each new value.
pub fn save(conn: &mut DbConn, actor: &Actor, values: &[(&str, String)]) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let mut changes = serde_json::Map::new();
        for (key, value) in values {
            set(conn, key, value)?;
            // A webhook address may hold its group bot's key: the trail keeps it without.
            let shown = if *key == notify::SETTING_WEBHOOK_URL {
                notify::redacted_webhook_url(value)
            } else {
                value.clone()
            };
            changes.insert(key.to_string(), serde_json::json!(shown));
        }
        events::append(
            conn,
            actor,
            NewEvent::new(RecordKind::Setting, None, RegistryEvent::Edit.as_str())
                .changes(changes.into()),
        )?;
        Ok(())
    })
}
