//! What `/readyz` and the start-up check ask of the database: can it be reached and written.

use diesel::prelude::*;

use crate::db::{DbConn, write_tx};

/// A real write to the database. `commit: false` rolls it back (the readiness probe, asked
/// every few seconds, leaves nothing); the start-up check commits it, so a database that
/// cannot grow its file or is read-only (a PostgreSQL standby, a read-only SQLite file) is
/// caught before the server says it is ready.
pub fn probe_write(conn: &mut DbConn, commit: bool) -> QueryResult<()> {
    let result = write_tx(conn, |conn| {
        diesel::sql_query(
            "INSERT INTO counters (name, value) VALUES ('health.write_probe', 1) \
             ON CONFLICT (name) DO UPDATE SET value = counters.value + 1",
        )
        .execute(conn)?;
        if commit {
            Ok(())
        } else {
            Err(diesel::result::Error::RollbackTransaction)
        }
    });
    match result {
        Err(diesel::result::Error::RollbackTransaction) => Ok(()),
        other => other,
    }
}
