//! Townships (乡镇): named once, referred to by schools.

use diesel::prelude::*;

use super::models::Township;
use crate::db::DbConn;
use crate::db::schema::townships;
use crate::domain::time;

pub fn list(conn: &mut DbConn) -> QueryResult<Vec<Township>> {
    townships::table
        .order(townships::name)
        .select(Township::as_select())
        .load(conn)
}

/// The township's id, creating it when it is new. Run inside a write transaction.
pub fn ensure(conn: &mut DbConn, name: &str) -> QueryResult<i64> {
    let found = townships::table
        .filter(townships::name.eq(name))
        .select(townships::id)
        .first(conn)
        .optional()?;
    if let Some(id) = found {
        return Ok(id);
    }
    // Two schools naming a new township at once must not collide on its unique name.
    diesel::sql_query(
        "INSERT INTO townships (name, created_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(name)
    .bind::<diesel::sql_types::Timestamp, _>(time::now())
    .execute(conn)?;
    townships::table
        .filter(townships::name.eq(name))
        .select(townships::id)
        .first(conn)
}
