//! The bullying section of the monthly report (CONTRACT's `bullying`): cases reported and
//! determined bullying in the month, open and overdue at its end, screenings recorded in it —
//! counts only, in total and per unit. No name, no summary, no reference is ever part of it.
//! Every month, the current one too, is replayed from the cases' trails
//! (`domain::bullying::report`): a county's cases are few, and one path cannot disagree with
//! itself.

use std::collections::BTreeMap;

use askama::Template;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::table::PerUnit;
use super::{Ask, Cell, Section, Table, UnitLine, UnitNames, View};
use crate::db::DbConn;
use crate::domain::bullying::report::{Figures, History, by_unit, figures};
use crate::domain::month::Month;
use crate::domain::time;
use crate::i18n::Catalog;
use crate::store::StoreResult;
use crate::store::bullying::trail;

/// One unit's line: the township's or school's name, and its counts.
pub type Line = UnitLine<Figures>;

/// The section as the JSON names it: CONTRACT's keys, then the lines per unit.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BullyingSection {
    #[serde(flatten)]
    pub totals: Figures,
    /// Townships of the county, or schools of a township; none for a school.
    pub by_unit: Vec<Line>,
}

impl Section for BullyingSection {
    const MODULE: &'static str = "bullying";
    const LAYOUT: u32 = 1;

    fn replay(conn: &mut DbConn, ask: &Ask, months: &[Month]) -> StoreResult<Vec<(Month, Self)>> {
        let Some(last) = months.iter().max() else {
            return Ok(Vec::new());
        };
        let names = UnitNames::for_scope(conn, &ask.scope)?;
        let schools = ask.scope.schools.as_deref();
        let histories = trail::histories(conn, schools, last.bounds_utc().1)?;
        let mut out = Vec::with_capacity(months.len());
        for &m in months {
            let window = m.bounds_utc();
            let screenings = trail::screenings(conn, schools, window)?;
            out.push((m, section(&histories, &screenings, names.as_ref(), window)));
        }
        Ok(out)
    }

    fn current(conn: &mut DbConn, ask: &Ask, _: &BTreeMap<Month, Self>) -> StoreResult<Self> {
        let names = UnitNames::for_scope(conn, &ask.scope)?;
        let (from, _) = ask.month.bounds_utc();
        // "Now" is inside the window: what happened at this very microsecond counts.
        let window = (from, ask.now + Duration::microseconds(1));
        let schools = ask.scope.schools.as_deref();
        let histories = trail::histories(conn, schools, window.1)?;
        let screenings = trail::screenings(conn, schools, window)?;
        Ok(section(&histories, &screenings, names.as_ref(), window))
    }

    fn tables(&self, cat: &Catalog) -> Vec<Table> {
        let lines = PerUnit::of(&self.totals, &self.by_unit);
        vec![Table::per_unit(
            cat,
            "bullying.report.sheet",
            &COLUMNS,
            lines,
            |f| {
                [
                    f.reported_in_month,
                    f.determined_bullying_in_month,
                    f.open,
                    f.investigations_overdue,
                    f.screenings_in_month,
                ]
                .into_iter()
                .map(Cell::Count)
                .collect()
            },
        )]
    }

    fn html(&self, view: &View<'_>) -> Result<String, askama::Error> {
        Partial {
            page: view,
            tables: self.tables(view.catalog),
        }
        .render()
    }
}

/// The month [from, to) of these cases: the totals and a line per unit, every unit named.
/// Overdue is judged on the window's last day (the month's, or today's).
fn section(
    histories: &[History],
    screenings: &BTreeMap<i64, i64>,
    units: Option<&UnitNames>,
    window: (NaiveDateTime, NaiveDateTime),
) -> BullyingSection {
    let last_day = time::local_date(window.1 - Duration::microseconds(1));
    let by_unit = units
        .map(|u| {
            by_unit(
                histories,
                screenings,
                |s| u.of(s),
                u.all(),
                window,
                last_day,
            )
            .into_iter()
            .map(|(key, figures)| Line { key, figures })
            .collect()
        })
        .unwrap_or_default();
    BullyingSection {
        totals: figures(histories, screenings.values().sum(), window, last_day),
        by_unit,
    }
}

#[derive(Template)]
#[template(path = "bullying/report_section.html")]
struct Partial<'a> {
    page: &'a View<'a>,
    tables: Vec<Table>,
}

const COLUMNS: [&str; 5] = [
    "bullying.report.col.reported",
    "bullying.report.col.determined_bullying",
    "bullying.report.col.open",
    "bullying.report.col.overdue",
    "bullying.report.col.screenings",
];

/// Every catalog key the section names outside its template (for the i18n test).
pub fn labels() -> Vec<&'static str> {
    let mut keys = COLUMNS.to_vec();
    keys.extend(["bullying.report.sheet", "reports.all"]);
    keys.extend(Table::PER_UNIT_LABELS);
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_holds_contracts_keys_only_counts() {
        let s = BullyingSection {
            totals: Figures {
                reported_in_month: 2,
                determined_bullying_in_month: 1,
                open: 3,
                investigations_overdue: 1,
                screenings_in_month: 4,
            },
            by_unit: vec![],
        };
        let v = serde_json::to_value(&s).unwrap_or_default();
        let mut keys: Vec<&str> = v
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "by_unit",
                "determined_bullying_in_month",
                "investigations_overdue",
                "open",
                "reported_in_month",
                "screenings_in_month",
            ]
        );
        let cat = crate::i18n::Lang::ZhCn.catalog();
        let t = &s.tables(cat)[0];
        let row: Vec<String> = t.rows[0].iter().map(Cell::text).collect();
        assert_eq!(row, ["本月", "合计", "2", "1", "3", "1", "4"]);
    }
}
