//! The hazard section of a month's report, computed the cheapest way that is still exact:
//! - a settled month (ended over an hour ago) is read from its kept snapshot;
//! - the current month is read from the hazard rows as they stand, plus the year's acceptances;
//! - only what neither covers (a month not yet kept) is replayed from the trail, once, and kept.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};

use crate::db::DbConn;
use crate::domain::report::{self, Figures, Keys, Month, Reading, settled};
use crate::error::AppError;
use crate::store::schools::SchoolRow;
use crate::store::{reports, snapshots};
use crate::web::reports::build::{Counts, HazardSection, Line, TrendPoint, YearToDate};

/// What a report asks for: a scope (its key and schools) and a month, at an instant.
pub struct Ask {
    /// `county`, `township:<name>` or `school:<id>`: the snapshots' key.
    pub scope_key: String,
    /// The scope's schools; None for the county.
    pub schools: Option<Vec<i64>>,
    /// Lines per township (county) or per school (township); none for a school.
    pub by_unit: Option<Units>,
    pub month: Month,
    pub now: NaiveDateTime,
}

/// Names the unit (township or school) a hazard's school belongs to.
pub struct Units {
    pub schools: Vec<SchoolRow>,
    pub by_township: bool,
}

impl Units {
    fn of(&self, k: &Keys) -> String {
        let s = self.schools.iter().find(|s| s.school.id == k.school_id);
        if self.by_township {
            s.and_then(|s| s.township.clone()).unwrap_or_default()
        } else {
            s.map(|s| s.school.name.clone()).unwrap_or_default()
        }
    }
}

/// The section for `ask`, keeping any settled month it had to replay.
pub fn hazard_section(conn: &mut DbConn, ask: &Ask) -> Result<HazardSection, AppError> {
    let current = Month::of(crate::domain::time::local_date(ask.now));
    // The months whose full sections are needed: the asked one if past, else the eleven before
    // the current one (for the trend).
    let wanted: Vec<Month> = if ask.month < current {
        vec![ask.month]
    } else {
        let mut t = ask.month.last_twelve();
        t.pop();
        t
    };
    let mut sections = kept(conn, &ask.scope_key, &wanted)?;
    let missing: Vec<Month> = wanted
        .iter()
        .copied()
        .filter(|m| !sections.contains_key(m))
        .collect();
    if let Some(last) = missing.last() {
        let histories =
            reports::hazard_histories(conn, ask.schools.as_deref(), last.bounds_utc().1)?;
        let mut memo = Memo::default();
        for m in missing {
            let (from, to) = m.bounds_utc();
            let s = section(&histories, ask, m, from, to, &mut memo, |m, memo| {
                memo.totals(&histories, m)
            });
            if settled(m, ask.now) {
                keep(conn, &ask.scope_key, m, &s, ask.now);
            }
            sections.insert(m, s);
        }
    }
    if ask.month < current {
        return sections
            .remove(&ask.month)
            .ok_or_else(|| AppError::internal("the asked month was not computed"));
    }
    // The current month: the rows as they stand, with the acceptances since the year began.
    let (year_start, _) = Month {
        year: ask.month.year,
        month: 1,
    }
    .bounds_utc();
    let rows = reports::hazards_now(conn, ask.schools.as_deref(), year_start)?;
    let (from, _) = ask.month.bounds_utc();
    // "Now" is inside the window: what happened at this very microsecond counts.
    let to = ask.now + Duration::microseconds(1);
    let mut memo = Memo::default();
    let s = section(&rows, ask, ask.month, from, to, &mut memo, |m, _| {
        sections
            .get(&m)
            .map(|s| trend_figures(&s.totals))
            .unwrap_or_default()
    });
    Ok(s)
}

/// The totals of each month, computed once per replay (each section's trend reuses them).
#[derive(Default)]
struct Memo(BTreeMap<Month, Figures>);

impl Memo {
    fn totals<R: Reading>(&mut self, hazards: &[R], m: Month) -> Figures {
        self.0
            .entry(m)
            .or_insert_with(|| {
                let (from, to) = m.bounds_utc();
                report::figures(hazards, from, to)
            })
            .clone()
    }
}

/// What the trend needs of a kept month's totals.
fn trend_figures(c: &Counts) -> Figures {
    Figures {
        found: c.found,
        closed: c.closed,
        open_at_end: c.open_at_month_end,
        ..Default::default()
    }
}

/// One month's section over [from, to); `earlier` gives the totals of the trend's other months.
fn section<R: Reading>(
    hazards: &[R],
    ask: &Ask,
    month: Month,
    from: NaiveDateTime,
    to: NaiveDateTime,
    memo: &mut Memo,
    mut earlier: impl FnMut(Month, &mut Memo) -> Figures,
) -> HazardSection {
    let totals = report::figures(hazards, from, to);
    let (year_start, _) = Month {
        year: month.year,
        month: 1,
    }
    .bounds_utc();
    let ytd = report::figures(hazards, year_start, to);
    let trend = month
        .last_twelve()
        .into_iter()
        .map(|m| {
            let f = if m == month {
                totals.clone()
            } else {
                earlier(m, memo)
            };
            TrendPoint {
                month: m.label(),
                found: f.found,
                closed: f.closed,
                open_at_month_end: f.open_at_end,
            }
        })
        .collect();
    let lines = |key: &dyn Fn(&Keys) -> String| -> Vec<Line> {
        report::breakdown(hazards, key, from, to)
            .into_iter()
            .map(|(key, f)| Line {
                key,
                counts: Counts::from(&f),
            })
            .collect()
    };
    HazardSection {
        totals: Counts::from(&totals),
        year_to_date: YearToDate {
            found: ytd.found,
            closed: ytd.closed,
        },
        by_source: lines(&|k| k.source.clone()),
        by_category: lines(&|k| k.category.clone()),
        by_level: lines(&|k| k.level.clone()),
        by_unit: match &ask.by_unit {
            Some(u) => lines(&|k| u.of(k)),
            None => Vec::new(),
        },
        trend,
    }
}

/// The kept sections of these months; one that no longer reads (an older layout) is recomputed.
fn kept(
    conn: &mut DbConn,
    scope: &str,
    months: &[Month],
) -> Result<BTreeMap<Month, HazardSection>, AppError> {
    let labels: Vec<String> = months.iter().map(|m| m.label()).collect();
    let mut out = BTreeMap::new();
    for (label, json) in snapshots::get(conn, scope, &labels)? {
        let (Some(m), Ok(s)) = (
            Month::parse(&label),
            serde_json::from_str::<HazardSection>(&json),
        ) else {
            tracing::warn!(scope, month = %label, "a kept report section does not read; recomputing");
            continue;
        };
        out.insert(m, s);
    }
    Ok(out)
}

/// Keeps a settled month's section. Failing to keep it costs a replay next time, not the report.
fn keep(conn: &mut DbConn, scope: &str, m: Month, s: &HazardSection, now: NaiveDateTime) {
    let kept = serde_json::to_string(s)
        .map_err(|e| e.to_string())
        .and_then(|json| {
            snapshots::put(conn, scope, &m.label(), &json, now).map_err(|e| e.to_string())
        });
    if let Err(e) = kept {
        tracing::warn!(scope, month = %m.label(), "could not keep a report section: {e}");
    }
}
