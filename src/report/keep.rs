//! The one path every section takes, the cheapest that is still exact:
//! - a settled month (ended over an hour ago) is read from its kept snapshot;
//! - the current month is computed from the rows as they stand (`Section::current`);
//! - anything neither covers (a month not yet kept) is replayed from the trail, once, and kept.
//!
//! Keeping is a cache of a value that cannot change: event times are set by the server as it
//! writes them, so nothing can be added to a month once it is settled.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;

use super::{Ask, Scope, Section, missing};
use crate::db::DbConn;
use crate::domain::month::{Month, settled};
use crate::store::StoreResult;
use crate::store::reports::snapshots;

/// The snapshots' module key: the module and its layout version.
fn module_key<S: Section>() -> String {
    format!("{}/{}", S::MODULE, S::LAYOUT)
}

/// The section `ask` wants, keeping any settled month it had to replay.
pub fn compute<S: Section>(conn: &mut DbConn, ask: &Ask) -> StoreResult<S> {
    let current = Month::at(ask.now);
    if ask.month < current {
        return past::<S>(conn, ask, &[ask.month])?
            .remove(&ask.month)
            .ok_or_else(|| missing(ask.month));
    }
    let earlier = past::<S>(conn, ask, &S::earlier_months(ask.month))?;
    S::current(conn, ask, &earlier)
}

/// The sections of these past months: those kept, and the others replayed from the trail in
/// one read (and kept once settled).
fn past<S: Section>(
    conn: &mut DbConn,
    ask: &Ask,
    wanted: &[Month],
) -> StoreResult<BTreeMap<Month, S>> {
    let scope = ask.scope.key();
    let mut sections = kept::<S>(conn, &scope, wanted)?;
    let missing: Vec<Month> = wanted
        .iter()
        .copied()
        .filter(|m| !sections.contains_key(m))
        .collect();
    if missing.is_empty() {
        return Ok(sections);
    }
    for (m, s) in S::replay(conn, ask, &missing)? {
        if settled(m, ask.now) && worth_keeping(&ask.scope) {
            keep(conn, &scope, m, &s, ask.now);
        }
        sections.insert(m, s);
    }
    Ok(sections)
}

/// Makes sure the county's settled months of the last twelve are kept for this section, so the
/// first reader after a month ends does not wait for the replay. Returns how many it computed.
pub fn keep_county<S: Section>(conn: &mut DbConn, now: NaiveDateTime) -> StoreResult<usize> {
    let current = Month::at(now);
    let ask = Ask {
        scope: Scope::county(),
        month: current,
        now,
    };
    let wanted: Vec<Month> = current
        .last_twelve()
        .into_iter()
        .filter(|m| settled(*m, now))
        .collect();
    let before = kept::<S>(conn, &ask.scope.key(), &wanted)?.len();
    past::<S>(conn, &ask, &wanted)?;
    Ok(wanted.len() - before)
}

/// The kept sections of these months; one that no longer reads is recomputed.
fn kept<S: Section>(
    conn: &mut DbConn,
    scope: &str,
    months: &[Month],
) -> StoreResult<BTreeMap<Month, S>> {
    let labels: Vec<String> = months.iter().map(|m| m.label()).collect();
    let mut out = BTreeMap::new();
    for (label, json) in snapshots::get(conn, &module_key::<S>(), scope, &labels)? {
        let (Some(m), Ok(s)) = (Month::parse(&label), serde_json::from_str::<S>(&json)) else {
            tracing::warn!(scope, month = %label, module = S::MODULE, "a kept report section does not read; recomputing");
            continue;
        };
        out.insert(m, s);
    }
    Ok(out)
}

/// The county's and townships' months are kept. A school's are not: its replay reads only its
/// own chain (milliseconds even in a province), while keeping 25,000 schools' months would grow
/// the table by about a gigabyte a year.
fn worth_keeping(scope: &Scope) -> bool {
    scope.kind != super::ScopeKind::School
}

/// Keeps a settled month's section. Failing to keep it costs a replay next time, not the report.
fn keep<S: Section>(conn: &mut DbConn, scope: &str, m: Month, s: &S, now: NaiveDateTime) {
    let kept = serde_json::to_string(s)
        .map_err(|e| e.to_string())
        .and_then(|json| {
            snapshots::put(conn, &module_key::<S>(), scope, &m.label(), &json, now)
                .map_err(|e| e.to_string())
        });
    if let Err(e) = kept {
        tracing::warn!(scope, month = %m.label(), module = S::MODULE, "could not keep a report section: {e}");
    }
}
