//! The hazards' section of the monthly report: found, closed, open, overdue and supervised at
//! the month's end, closure rate and median days to close, by source, category, level and unit,
//! the year to date and the twelve-month trend. The arithmetic is `domain::hazards::report`;
//! this reads what it counts and lays out the result.

use std::collections::BTreeMap;

use askama::Template;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::charts::{Bar, chart};
use super::{Ask, Cell, Section, Table, UnitNames, View};
use crate::db::DbConn;
use crate::domain::hazards::report::{Figures, Reading, Tally, closure_rate, figures};
use crate::domain::hazards::{Category, Level, Source};
use crate::domain::month::Month;
use crate::i18n::Catalog;
use crate::store::StoreResult;
use crate::store::hazards::trail;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Counts {
    pub found: i64,
    pub closed: i64,
    pub open_at_month_end: i64,
    pub overdue_at_month_end: i64,
    pub supervised_open: i64,
    pub closure_rate: Option<f64>,
    pub median_days_to_close: Option<f64>,
}

impl From<&Figures> for Counts {
    fn from(f: &Figures) -> Counts {
        Counts {
            found: f.found,
            closed: f.closed,
            open_at_month_end: f.open_at_end,
            overdue_at_month_end: f.overdue_at_end,
            supervised_open: f.supervised_open,
            closure_rate: rounded_rate(f.closure_rate),
            median_days_to_close: f.median_days_to_close.map(|d| (d * 10.0).round() / 10.0),
        }
    }
}

/// A rate as the report shows it: three decimals.
fn rounded_rate(r: Option<f64>) -> Option<f64> {
    r.map(|r| (r * 1000.0).round() / 1000.0)
}

/// One line of a breakdown: its key (a code such as `fire`, or a unit's name) and its figures.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Line {
    pub key: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TrendPoint {
    pub month: String,
    pub found: i64,
    pub closed: i64,
    pub open_at_month_end: i64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct YearToDate {
    pub found: i64,
    pub closed: i64,
    /// Closed in the year ÷ (closed in the year + open at the month's end).
    #[serde(default)]
    pub closure_rate: Option<f64>,
}

/// The section as the JSON names it (CONTRACT's `hazards` object).
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct HazardSection {
    #[serde(flatten)]
    pub totals: Counts,
    pub year_to_date: YearToDate,
    pub by_source: Vec<Line>,
    pub by_category: Vec<Line>,
    pub by_level: Vec<Line>,
    /// Townships of the county, or schools of a township.
    pub by_unit: Vec<Line>,
    pub trend: Vec<TrendPoint>,
}

impl Section for HazardSection {
    const MODULE: &'static str = "hazards";
    /// 2: the closure rate is the month's (closed in it ÷ closed + open at its end), every
    /// source, category, level and unit is listed with its zeros, the year has its own rate.
    const LAYOUT: u32 = 2;

    /// The eleven months before, for the trend.
    fn earlier_months(month: Month) -> Vec<Month> {
        let mut t = month.last_twelve();
        t.pop();
        t
    }

    fn replay(conn: &mut DbConn, ask: &Ask, months: &[Month]) -> StoreResult<Vec<(Month, Self)>> {
        let Some(last) = months.iter().max() else {
            return Ok(Vec::new());
        };
        let names = ask
            .scope
            .units()
            .map(|u| UnitNames::load(conn, &u))
            .transpose()?;
        let histories =
            trail::hazard_histories(conn, ask.scope.schools.as_deref(), last.bounds_utc().1)?;
        let mut memo = Memo::default();
        Ok(months
            .iter()
            .map(|&m| {
                let (from, to) = m.bounds_utc();
                let s = section(&histories, names.as_ref(), m, from, to, Year::Tally, |m| {
                    memo.totals(&histories, m)
                });
                (m, s)
            })
            .collect())
    }

    fn current(conn: &mut DbConn, ask: &Ask, earlier: &BTreeMap<Month, Self>) -> StoreResult<Self> {
        let names = ask
            .scope
            .units()
            .map(|u| UnitNames::load(conn, &u))
            .transpose()?;
        // The rows as they stand, with the acceptances since the year began.
        // The rows as they stand. The county's: only those the month can count, and the
        // year in three counts, since its rows would be most of the ledger by December. A
        // school's or a township's: all of them (few), the year counted from them.
        let schools = ask.scope.schools.as_deref();
        let (from, _) = ask.month.bounds_utc();
        let (year_start, _) = ask.month.january().bounds_utc();
        let (rows, year) = match schools {
            None => (
                trail::hazards_now(conn, None, from)?,
                Year::Counted(trail::counts_since(conn, None, year_start)?),
            ),
            Some(_) => (trail::hazards_now(conn, schools, year_start)?, Year::Tally),
        };
        // "Now" is inside the window: what happened at this very microsecond counts.
        let to = ask.now + Duration::microseconds(1);
        Ok(section(
            &rows,
            names.as_ref(),
            ask.month,
            from,
            to,
            year,
            |m| {
                earlier
                    .get(&m)
                    .map(|s| trend_figures(&s.totals))
                    .unwrap_or_default()
            },
        ))
    }

    fn tables(&self, cat: &Catalog) -> Vec<Table> {
        vec![self.figures_table(cat), self.trend_table(cat)]
    }

    fn html(&self, view: &View<'_>) -> Result<String, askama::Error> {
        let (bars, line) = chart(&self.trend, true);
        Partial {
            page: view,
            tables: self.tables(view.catalog),
            bars,
            line,
        }
        .render()
    }
}

#[derive(Template)]
#[template(path = "hazards/report_section.html")]
struct Partial<'a> {
    page: &'a View<'a>,
    /// The same tables the CSV and the workbook hold.
    tables: Vec<Table>,
    bars: Vec<Bar>,
    line: String,
}

impl Partial<'_> {
    /// The ledger of the hazards behind "found" or "closed", within the report's scope.
    fn list_link(&self, which: &str) -> String {
        let scope = self.page.scope_query();
        let mut enc = url::form_urlencoded::Serializer::new(String::new());
        enc.append_pair(which, self.page.month);
        let q = enc.finish();
        if scope.is_empty() {
            format!("/hazards?{q}")
        } else {
            format!("/hazards?{q}&{scope}")
        }
    }
}

impl HazardSection {
    /// Totals, then the lines by source, category, level and unit, as one table.
    fn figures_table(&self, cat: &Catalog) -> Table {
        let counts = |section: &str, item: String, c: &Counts| {
            vec![
                Cell::Text(section.to_string()),
                Cell::Text(item),
                Cell::Count(c.found),
                Cell::Count(c.closed),
                Cell::Count(c.open_at_month_end),
                Cell::Count(c.overdue_at_month_end),
                Cell::Count(c.supervised_open),
                Cell::Rate(c.closure_rate),
                Cell::Days(c.median_days_to_close),
            ]
        };
        let ytd = &self.year_to_date;
        let mut rows = vec![
            counts(
                cat.get("reports.section.total"),
                cat.get("reports.all").to_string(),
                &self.totals,
            ),
            vec![
                Cell::Text(cat.get("reports.section.ytd").to_string()),
                Cell::Text(cat.get("reports.all").to_string()),
                Cell::Count(ytd.found),
                Cell::Count(ytd.closed),
                Cell::Count(self.totals.open_at_month_end),
                Cell::Count(self.totals.overdue_at_month_end),
                Cell::Count(self.totals.supervised_open),
                Cell::Rate(ytd.closure_rate),
                Cell::Days(None),
            ],
        ];
        let groups: [Group<'_>; 4] = [
            ("reports.section.source", &self.by_source, |k| {
                Source::parse(k).map(Source::label)
            }),
            ("reports.section.category", &self.by_category, |k| {
                Category::parse(k).map(Category::label)
            }),
            ("reports.section.level", &self.by_level, |k| {
                Level::parse(k).map(Level::label)
            }),
            ("reports.section.unit", &self.by_unit, |_| None),
        ];
        for (section, lines, label) in groups {
            for l in lines {
                let item = match label(&l.key) {
                    Some(k) => cat.get(k).to_string(),
                    // Schools entered without a township are counted together, named so.
                    None if l.key.is_empty() => cat.get("reports.no_township").to_string(),
                    None => l.key.clone(),
                };
                rows.push(counts(cat.get(section), item, &l.counts));
            }
        }
        let header = [
            "reports.col.section",
            "reports.col.item",
            "reports.col.found",
            "reports.col.closed",
            "reports.col.open",
            "reports.col.overdue",
            "reports.col.supervised",
            "reports.col.closure_rate",
            "reports.col.median_days",
        ]
        .iter()
        .map(|k| cat.get(k).to_string())
        .collect();
        Table {
            sheet: cat.get("reports.sheet_hazards").to_string(),
            header,
            rows,
            totals_first: true,
            totals_last: false,
            in_csv: true,
            grouped: true,
        }
    }

    /// The twelve months, and their sums where the figures add up (found and closed are flows;
    /// "open at month end" is a level, not summed).
    fn trend_table(&self, cat: &Catalog) -> Table {
        let mut rows: Vec<Vec<Cell>> = self
            .trend
            .iter()
            .map(|p| {
                vec![
                    Cell::Text(p.month.clone()),
                    Cell::Count(p.found),
                    Cell::Count(p.closed),
                    Cell::Count(p.open_at_month_end),
                ]
            })
            .collect();
        rows.push(vec![
            Cell::Text(cat.get("reports.total_row").to_string()),
            Cell::Count(self.trend.iter().map(|p| p.found).sum()),
            Cell::Count(self.trend.iter().map(|p| p.closed).sum()),
            Cell::Text(String::new()),
        ]);
        Table {
            sheet: cat.get("reports.sheet_trend").to_string(),
            header: [
                "reports.col.month",
                "reports.col.found",
                "reports.col.closed",
                "reports.col.open",
            ]
            .iter()
            .map(|k| cat.get(k).to_string())
            .collect(),
            rows,
            totals_first: false,
            totals_last: true,
            in_csv: false,
            grouped: false,
        }
    }
}

/// A breakdown in the table: its heading's key, its lines, and how its keys read as labels.
type Group<'a> = (&'static str, &'a [Line], fn(&str) -> Option<&'static str>);

/// The totals of each month, computed once per replay (each section's trend reuses them).
#[derive(Default)]
struct Memo(BTreeMap<Month, Figures>);

impl Memo {
    fn totals<R: Reading>(&mut self, hazards: &[R], m: Month) -> Figures {
        self.0
            .entry(m)
            .or_insert_with(|| {
                let (from, to) = m.bounds_utc();
                figures(hazards, from, to)
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

/// Where the year to date comes from.
enum Year {
    /// Counted from the hazards given, which are all of the scope's (a replay).
    Tally,
    /// Counted by the database: the hazards given are only the ones the month counts, so
    /// their own year's tally is left unread.
    Counted(trail::SinceCounts),
}

/// One month's section over [from, to), in one pass over the hazards; `earlier` gives the
/// totals of the trend's other months.
fn section<R: Reading>(
    hazards: &[R],
    units: Option<&UnitNames>,
    month: Month,
    from: NaiveDateTime,
    to: NaiveDateTime,
    year: Year,
    mut earlier: impl FnMut(Month) -> Figures,
) -> HazardSection {
    let (year_start, _) = month.january().bounds_utc();
    let mut totals = Tally::new(from, to);
    let mut ytd = Tally::new(year_start, to);
    // By source, category, level and unit, each listed whole: a line with nothing is a zero.
    let keys = |all: Vec<String>| -> BTreeMap<String, Tally> {
        all.into_iter().map(|k| (k, Tally::new(from, to))).collect()
    };
    let mut groups: [BTreeMap<String, Tally>; 4] = [
        keys(Source::ALL.iter().map(|s| s.as_str().to_string()).collect()),
        keys(
            Category::ALL
                .iter()
                .map(|s| s.as_str().to_string())
                .collect(),
        ),
        keys(Level::ALL.iter().map(|s| s.as_str().to_string()).collect()),
        keys(
            units
                .map(|u| u.all().into_iter().collect())
                .unwrap_or_default(),
        ),
    ];
    for h in hazards {
        let seen = h.seen(from, to);
        totals.add(&seen);
        ytd.add(&h.seen(year_start, to));
        let k = h.keys();
        let keys = [
            Some(k.source.as_str().to_string()),
            Some(k.category.as_str().to_string()),
            Some(k.level.as_str().to_string()),
            units.map(|u| u.of(k.school_id)),
        ];
        for (group, key) in groups.iter_mut().zip(keys) {
            let Some(key) = key else { continue };
            group
                .entry(key)
                .or_insert_with(|| Tally::new(from, to))
                .add(&seen);
        }
    }
    let totals = totals.finish();
    let year_to_date = match year {
        Year::Tally => {
            let ytd = ytd.finish();
            YearToDate {
                found: ytd.found,
                closed: ytd.closed,
                closure_rate: Counts::from(&ytd).closure_rate,
            }
        }
        Year::Counted(c) => YearToDate {
            found: c.found,
            closed: c.closed,
            closure_rate: rounded_rate(closure_rate(c.closed_and_stayed, totals.open_at_end)),
        },
    };
    let trend = month
        .last_twelve()
        .into_iter()
        .map(|m| {
            let f = if m == month {
                totals.clone()
            } else {
                earlier(m)
            };
            TrendPoint {
                month: m.label(),
                found: f.found,
                closed: f.closed,
                open_at_month_end: f.open_at_end,
            }
        })
        .collect();
    let [mut by_source, mut by_category, mut by_level, by_unit] = groups.map(|g| {
        g.into_iter()
            .map(|(key, t)| Line {
                key,
                counts: Counts::from(&t.finish()),
            })
            .collect::<Vec<Line>>()
    });
    // The words in the order the forms list them, not by their codes.
    by_source.sort_by_key(|l| Source::parse(&l.key));
    by_category.sort_by_key(|l| Category::parse(&l.key));
    by_level.sort_by_key(|l| Level::parse(&l.key));
    HazardSection {
        totals: Counts::from(&totals),
        year_to_date,
        by_source,
        by_category,
        by_level,
        by_unit,
        trend,
    }
}
