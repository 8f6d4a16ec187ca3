//! The security section of the monthly report (CONTRACT's `security`): how many schools meet
//! each item of the "4 × 100%" and all four as of the month's last instant, the guards they
//! need and have, and the month's alarm tests, in total and per unit, with each item's rate.
//! The arithmetic is `domain::security::report`; this reads what it counts and lays it out.

use std::collections::BTreeMap;

use askama::Template;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::table::PerUnit;
use super::{Ask, Cell, Section, Table, UnitLine, UnitNames, View};
use crate::db::DbConn;
use crate::domain::month::Month;
use crate::domain::security::guards::required;
use crate::domain::security::report::{Figures, SchoolMonth, by_unit, figures, school_month};
use crate::domain::security::{Item, Settings};
use crate::domain::time;
use crate::i18n::Catalog;
use crate::store::StoreResult;
use crate::store::security::{self as store, trail};

/// One unit's line: the township's or school's name, and its figures.
pub type Line = UnitLine<Figures>;

/// The section as the JSON names it: CONTRACT's keys, then the lines per unit.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SecuritySection {
    #[serde(flatten)]
    pub totals: Figures,
    /// Townships of the county, or schools of a township; none for a school.
    pub by_unit: Vec<Line>,
}

impl Section for SecuritySection {
    const MODULE: &'static str = "security";
    const LAYOUT: u32 = 1;

    fn replay(conn: &mut DbConn, ask: &Ask, months: &[Month]) -> StoreResult<Vec<(Month, Self)>> {
        let (Some(first), Some(last)) = (months.iter().min(), months.iter().max()) else {
            return Ok(Vec::new());
        };
        let s = store::settings(conn)?;
        let names = UnitNames::for_scope(conn, &ask.scope)?;
        let r = trail::replay(
            conn,
            ask.scope.schools.as_deref(),
            first.bounds_utc().1,
            last.bounds_utc().1,
        )?;
        Ok(months
            .iter()
            .map(|&m| {
                let window = m.bounds_utc();
                let schools = replayed(&r, &s, window);
                (m, section(&schools, &s, names.as_ref(), window))
            })
            .collect())
    }

    fn current(conn: &mut DbConn, ask: &Ask, _: &BTreeMap<Month, Self>) -> StoreResult<Self> {
        let s = store::settings(conn)?;
        let names = UnitNames::for_scope(conn, &ask.scope)?;
        let (from, _) = ask.month.bounds_utc();
        // "Now" is inside the window: what happened at this very microsecond counts.
        let window = (from, ask.now + Duration::microseconds(1));
        let today = time::local_date(ask.now);
        let schools = trail::schools_now(conn, ask.scope.schools.as_deref(), &s, today, window)?;
        Ok(section(&schools, &s, names.as_ref(), window))
    }

    fn tables(&self, cat: &Catalog) -> Vec<Table> {
        vec![self.counts_table(cat), self.rates_table(cat)]
    }

    fn html(&self, view: &View<'_>) -> Result<String, askama::Error> {
        Partial {
            page: view,
            tables: self.tables(view.catalog),
        }
        .render()
    }
}

/// Each school registered and active at the window's end, as its trail left it then.
fn replayed(
    r: &trail::Replay,
    s: &Settings,
    window: (NaiveDateTime, NaiveDateTime),
) -> Vec<SchoolMonth> {
    r.schools
        .iter()
        .filter_map(|e| {
            let changes = r.changes.get(&e.id).map(Vec::as_slice).unwrap_or(&[]);
            let sizes = e.before(window.1, changes)?;
            let needed = required(s.rule, i64::from(sizes.pupils), i64::from(sizes.boarders));
            let steps = r.steps.get(&e.id).map(Vec::as_slice).unwrap_or(&[]);
            Some(school_month(e.id, needed.count, steps, window))
        })
        .collect()
}

/// The month [from, to) of these schools: the totals and a line per unit, every unit named.
/// Verifications are judged on the window's last day (the month's, or today's).
fn section(
    schools: &[SchoolMonth],
    s: &Settings,
    units: Option<&UnitNames>,
    window: (NaiveDateTime, NaiveDateTime),
) -> SecuritySection {
    let last_day = time::local_date(window.1 - Duration::microseconds(1));
    let days = s.verification_days;
    let by_unit = units
        .map(|u| {
            by_unit(schools, |id| u.of(id), u.all(), days, last_day)
                .into_iter()
                .map(|(key, figures)| Line { key, figures })
                .collect()
        })
        .unwrap_or_default();
    SecuritySection {
        totals: figures(schools, days, last_day),
        by_unit,
    }
}

#[derive(Template)]
#[template(path = "security/report_section.html")]
struct Partial<'a> {
    page: &'a View<'a>,
    /// The same tables the CSV and the workbook hold.
    tables: Vec<Table>,
}

impl Partial<'_> {
    /// Today's compliance table behind the figures, within the report's scope.
    fn table_link(&self) -> String {
        let scope = self.page.scope;
        match (&scope.code, &scope.name, scope.kind) {
            (Some(code), _, super::ScopeKind::School) => format!("/security/schools/{code}"),
            (_, Some(name), super::ScopeKind::Township) => {
                let mut q = url::form_urlencoded::Serializer::new(String::new());
                q.append_pair("township", name);
                q.append_pair("gap", "any");
                format!("/security?{}", q.finish())
            }
            _ => "/security?gap=any".to_string(),
        }
    }
}

/// The count columns' catalog keys, in order after the group and the item.
const COUNTS: [&str; 10] = [
    "security.report.col.schools",
    "security.report.col.guards_required",
    "security.report.col.guards_in_post",
    "security.item.guards",
    "security.item.closed",
    "security.item.alarm",
    "security.item.post",
    "security.report.col.all_four",
    "security.report.col.alarm_tests",
    "security.report.col.alarm_tests_failed",
];

/// The rate columns' catalog keys: each item's share of schools, and all four's.
const RATES: [&str; 6] = [
    "security.report.col.schools",
    "security.item.guards",
    "security.item.closed",
    "security.item.alarm",
    "security.item.post",
    "security.report.col.all_four",
];

/// Every catalog key the section names outside its template (for the i18n test).
pub fn labels() -> Vec<&'static str> {
    let mut keys = COUNTS.to_vec();
    keys.extend(RATES);
    keys.extend([
        "security.report.sheet",
        "security.report.rates_sheet",
        "reports.all",
    ]);
    keys.extend(Table::PER_UNIT_LABELS);
    keys
}

impl SecuritySection {
    /// The totals, then a line per unit, each made by `cells` under `columns`.
    fn table(
        &self,
        cat: &Catalog,
        sheet: &str,
        columns: &[&str],
        cells: impl Fn(&Figures) -> Vec<Cell>,
    ) -> Table {
        let lines = PerUnit::of(&self.totals, &self.by_unit);
        Table::per_unit(cat, sheet, columns, lines, cells)
    }

    /// The counts: schools, guards, schools meeting each item and all four, alarm tests.
    fn counts_table(&self, cat: &Catalog) -> Table {
        self.table(cat, "security.report.sheet", &COUNTS, |f| {
            let t = &f.tally;
            [
                t.schools,
                t.guards_required,
                t.guards_in_post,
                t.meet_guards,
                t.meet_closed_management,
                t.meet_alarm_video,
                t.meet_guard_post,
                t.meet_all_four,
                f.alarm_tests_in_month,
                f.alarm_tests_failed_in_month,
            ]
            .into_iter()
            .map(Cell::Count)
            .collect()
        })
    }

    /// The share of schools meeting each item and all four ("100%" is the target).
    fn rates_table(&self, cat: &Catalog) -> Table {
        self.table(cat, "security.report.rates_sheet", &RATES, |f| {
            let t = &f.tally;
            let mut cells = vec![Cell::Count(t.schools)];
            cells.extend(Item::ALL.iter().map(|i| Cell::Rate(t.rate(*i))));
            cells.push(Cell::Rate(t.rate_all_four()));
            cells
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::security::compliance::Tally;

    fn section() -> SecuritySection {
        let f = |schools, meet| Figures {
            tally: Tally {
                schools,
                guards_required: 2 * schools,
                guards_in_post: 2 * meet,
                meet_guards: meet,
                meet_closed_management: schools,
                meet_alarm_video: meet,
                meet_guard_post: 0,
                meet_all_four: 0,
            },
            alarm_tests_in_month: 3,
            alarm_tests_failed_in_month: 1,
        };
        SecuritySection {
            totals: f(3, 2),
            by_unit: vec![
                Line {
                    key: String::new(),
                    figures: f(1, 1),
                },
                Line {
                    key: "辰阳镇".into(),
                    figures: f(2, 1),
                },
            ],
        }
    }

    #[test]
    fn the_json_holds_contracts_keys_and_reads_back() {
        let v = serde_json::to_value(section()).unwrap_or_default();
        assert_eq!(v["schools"], 3);
        assert_eq!(v["meet_alarm_video"], 2);
        assert_eq!(v["alarm_tests_failed_in_month"], 1);
        assert_eq!(v["by_unit"][1]["key"], "辰阳镇");
        assert_eq!(v["by_unit"][1]["meet_guards"], 1);
        let back: Option<SecuritySection> = serde_json::from_value(v).ok();
        assert_eq!(back, Some(section()));
    }

    #[test]
    fn the_tables_give_counts_and_each_items_rate_per_unit() {
        let cat = crate::i18n::Lang::ZhCn.catalog();
        let text = |t: &Table| -> Vec<Vec<String>> {
            t.rows
                .iter()
                .map(|r| r.iter().map(Cell::text).collect())
                .collect()
        };
        let counts = section().counts_table(cat);
        assert_eq!(counts.header.len(), 12);
        assert_eq!(
            text(&counts)[0],
            [
                "本月", "合计", "3", "6", "4", "2", "3", "2", "0", "0", "3", "1"
            ]
        );
        assert_eq!(text(&counts)[1][1], "（未填乡镇）");
        let rates = section().rates_table(cat);
        assert_eq!(
            text(&rates)[0],
            [
                "本月", "合计", "3", "66.7%", "100.0%", "66.7%", "0.0%", "0.0%"
            ]
        );
        assert_eq!(text(&rates)[2][3], "50.0%");
    }
}
