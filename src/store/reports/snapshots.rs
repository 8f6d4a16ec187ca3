//! Settled months' report sections, kept by module, scope and month (see
//! `domain::report::settled`).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

use crate::db::DbConn;
use crate::db::schema::report_snapshots;

/// A module's kept sections of these months for a scope, as (month, section JSON).
pub fn get(
    conn: &mut DbConn,
    module: &str,
    scope: &str,
    months: &[String],
) -> QueryResult<Vec<(String, String)>> {
    report_snapshots::table
        .filter(report_snapshots::module.eq(module))
        .filter(report_snapshots::scope.eq(scope))
        .filter(report_snapshots::month.eq_any(months.to_vec()))
        .select((report_snapshots::month, report_snapshots::section))
        .load(conn)
}

/// Keeps a settled month's section, replacing one that no longer reads. Two instances computing
/// it at once write the same figures.
pub fn put(
    conn: &mut DbConn,
    module: &str,
    scope: &str,
    month: &str,
    section: &str,
    at: NaiveDateTime,
) -> QueryResult<()> {
    diesel::sql_query(
        "INSERT INTO report_snapshots (module, scope, month, section, computed_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (module, scope, month) DO UPDATE SET section = excluded.section, \
         computed_at = excluded.computed_at",
    )
    .bind::<Text, _>(module)
    .bind::<Text, _>(scope)
    .bind::<Text, _>(month)
    .bind::<Text, _>(section)
    .bind::<Timestamp, _>(at)
    .execute(conn)?;
    Ok(())
}

/// Forgets every kept section: after demo data was written with past times, or a school was
/// renamed or moved to another township (the lines per unit change in every month).
pub fn clear(conn: &mut DbConn) -> QueryResult<usize> {
    diesel::delete(report_snapshots::table).execute(conn)
}
