//! The hazard section of a month's report, computed the cheapest way that is still exact:
//! - a settled month (ended over an hour ago) is read from its kept snapshot;
//! - the current month is read from the hazard rows as they stand, plus the year's acceptances;
//! - only what neither covers (a month not yet kept) is replayed from the trail, once, and kept.

use std::collections::{BTreeMap, HashMap};

use chrono::{Duration, NaiveDateTime};

use crate::db::DbConn;
use crate::domain::report::{self, Figures, Keys, Month, Reading, Tally, settled};
use crate::error::AppError;
use crate::store::{reports, schools, snapshots};
use crate::web::reports::build::{Counts, HazardSection, Line, TrendPoint, YearToDate};

/// The snapshots' key for this section, with the version of its layout and definitions: bump
/// it when either changes, and every month is computed afresh instead of read stale.
const MODULE: &str = "hazards/1";

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

/// What a report's per-unit lines count by.
pub enum Units {
    /// The county's townships.
    Townships,
    /// The schools of this township.
    Schools(String),
}

/// The unit each school's hazards are counted under, loaded only when figures are computed.
struct UnitNames(HashMap<i64, String>);

impl UnitNames {
    fn load(conn: &mut DbConn, units: &Units) -> Result<UnitNames, AppError> {
        let rows = match units {
            Units::Townships => schools::units(conn, None)?,
            Units::Schools(t) => schools::units(conn, Some(t))?,
        };
        let by_township = matches!(units, Units::Townships);
        Ok(UnitNames(
            rows.into_iter()
                .map(|(id, name, township)| {
                    let unit = if by_township {
                        township.unwrap_or_default()
                    } else {
                        name
                    };
                    (id, unit)
                })
                .collect(),
        ))
    }

    fn of(&self, k: &Keys) -> String {
        self.0.get(&k.school_id).cloned().unwrap_or_default()
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
    let (mut sections, names) = past_sections(conn, ask, &wanted, ask.month == current)?;
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
    let s = section(
        &rows,
        names.as_ref(),
        ask.month,
        from,
        to,
        &mut memo,
        |m, _| {
            sections
                .get(&m)
                .map(|s| trend_figures(&s.totals))
                .unwrap_or_default()
        },
    );
    Ok(s)
}

/// The sections of these past months: those kept, and the others replayed from the trail in one
/// read (and kept once settled). Also the unit names, when they were needed or `need_names`.
fn past_sections(
    conn: &mut DbConn,
    ask: &Ask,
    wanted: &[Month],
    need_names: bool,
) -> Result<(BTreeMap<Month, HazardSection>, Option<UnitNames>), AppError> {
    let mut sections = kept(conn, &ask.scope_key, wanted)?;
    let missing: Vec<Month> = wanted
        .iter()
        .copied()
        .filter(|m| !sections.contains_key(m))
        .collect();
    let names = match &ask.by_unit {
        Some(u) if need_names || !missing.is_empty() => Some(UnitNames::load(conn, u)?),
        _ => None,
    };
    if let Some(last) = missing.last() {
        let histories =
            reports::hazard_histories(conn, ask.schools.as_deref(), last.bounds_utc().1)?;
        let mut memo = Memo::default();
        for m in missing {
            let (from, to) = m.bounds_utc();
            let s = section(
                &histories,
                names.as_ref(),
                m,
                from,
                to,
                &mut memo,
                |m, memo| memo.totals(&histories, m),
            );
            if settled(m, ask.now) && worth_keeping(&ask.scope_key) {
                keep(conn, &ask.scope_key, m, &s, ask.now);
            }
            sections.insert(m, s);
        }
    }
    Ok((sections, names))
}

/// Makes sure the county's settled months of this year's trend are kept, so the first reader
/// after a month ends does not wait for the replay (run by the server's housekeeping). Returns
/// how many months it had to compute.
pub fn keep_county_months(conn: &mut DbConn, now: NaiveDateTime) -> Result<usize, AppError> {
    let current = Month::of(crate::domain::time::local_date(now));
    let ask = Ask {
        scope_key: "county".into(),
        schools: None,
        by_unit: Some(Units::Townships),
        month: current,
        now,
    };
    let wanted: Vec<Month> = current
        .last_twelve()
        .into_iter()
        .filter(|m| settled(*m, now))
        .collect();
    let before = kept(conn, &ask.scope_key, &wanted)?.len();
    past_sections(conn, &ask, &wanted, false)?;
    Ok(wanted.len() - before)
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

/// One month's section over [from, to), in one pass over the hazards; `earlier` gives the
/// totals of the trend's other months.
fn section<R: Reading>(
    hazards: &[R],
    units: Option<&UnitNames>,
    month: Month,
    from: NaiveDateTime,
    to: NaiveDateTime,
    memo: &mut Memo,
    mut earlier: impl FnMut(Month, &mut Memo) -> Figures,
) -> HazardSection {
    let (year_start, _) = Month {
        year: month.year,
        month: 1,
    }
    .bounds_utc();
    let mut totals = Tally::new(from, to);
    let mut ytd = Tally::new(year_start, to);
    // By source, category, level and unit.
    let mut groups: [BTreeMap<String, Tally>; 4] = Default::default();
    for h in hazards {
        let seen = h.seen(from, to);
        totals.add(&seen);
        ytd.add(&h.seen(year_start, to));
        let k = h.keys();
        let unit = units.map(|u| u.of(k));
        let keys = [
            Some(&k.source),
            Some(&k.category),
            Some(&k.level),
            unit.as_ref(),
        ];
        for (group, key) in groups.iter_mut().zip(keys) {
            let Some(key) = key else { continue };
            match group.get_mut(key) {
                Some(t) => t.add(&seen),
                None => {
                    let mut t = Tally::new(from, to);
                    t.add(&seen);
                    group.insert(key.clone(), t);
                }
            }
        }
    }
    let totals = totals.finish();
    let ytd = ytd.finish();
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
    let [by_source, by_category, by_level, by_unit] = groups.map(|g| {
        g.into_iter()
            .map(|(key, t)| Line {
                key,
                counts: Counts::from(&t.finish()),
            })
            .collect::<Vec<Line>>()
    });
    HazardSection {
        totals: Counts::from(&totals),
        year_to_date: YearToDate {
            found: ytd.found,
            closed: ytd.closed,
        },
        by_source,
        by_category,
        by_level,
        by_unit,
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
    for (label, json) in snapshots::get(conn, MODULE, scope, &labels)? {
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

/// The county's and townships' months are kept. A school's are not: its replay reads only its
/// own chain (milliseconds even in a province), while keeping 25,000 schools' months would grow
/// the table by about a gigabyte a year.
fn worth_keeping(scope_key: &str) -> bool {
    !scope_key.starts_with("school:")
}

/// Keeps a settled month's section. Failing to keep it costs a replay next time, not the report.
fn keep(conn: &mut DbConn, scope: &str, m: Month, s: &HazardSection, now: NaiveDateTime) {
    let kept = serde_json::to_string(s)
        .map_err(|e| e.to_string())
        .and_then(|json| {
            snapshots::put(conn, MODULE, scope, &m.label(), &json, now).map_err(|e| e.to_string())
        });
    if let Err(e) = kept {
        tracing::warn!(scope, month = %m.label(), "could not keep a report section: {e}");
    }
}
