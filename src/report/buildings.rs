//! The buildings' section of the monthly report (CONTRACT's `buildings`): the standing
//! buildings by grade, the dangerous ones not yet dealt with, the month's demolitions and
//! reinforcements and the overdue appraisals, as of the month's last instant, in total and per
//! unit. The arithmetic is `domain::buildings::report`; this reads what it counts and lays out
//! the result.

use std::collections::BTreeMap;

use askama::Template;
use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::table::PerUnit;
use super::{Ask, Cell, Section, Table, UnitLine, UnitNames, View};
use crate::db::DbConn;
use crate::domain::buildings::report::{Figures, History, by_unit, figures};
use crate::domain::month::Month;
use crate::domain::time;
use crate::i18n::Catalog;
use crate::store::StoreResult;
use crate::store::buildings::trail;

/// One unit's line: the township's or school's name, and its figures.
pub type Line = UnitLine<Figures>;

/// The section as the JSON names it: CONTRACT's keys, then the lines per unit.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct BuildingSection {
    #[serde(flatten)]
    pub totals: Figures,
    /// Townships of the county, or schools of a township; none for a school.
    pub by_unit: Vec<Line>,
}

impl Section for BuildingSection {
    const MODULE: &'static str = "buildings";
    const LAYOUT: u32 = 1;

    fn replay(conn: &mut DbConn, ask: &Ask, months: &[Month]) -> StoreResult<Vec<(Month, Self)>> {
        let Some(last) = months.iter().max() else {
            return Ok(Vec::new());
        };
        let names = UnitNames::for_scope(conn, &ask.scope)?;
        let histories =
            trail::building_histories(conn, ask.scope.schools.as_deref(), last.bounds_utc().1)?;
        Ok(months
            .iter()
            .map(|&m| (m, section(&histories, names.as_ref(), m.bounds_utc())))
            .collect())
    }

    fn current(conn: &mut DbConn, ask: &Ask, _: &BTreeMap<Month, Self>) -> StoreResult<Self> {
        let names = UnitNames::for_scope(conn, &ask.scope)?;
        let (from, _) = ask.month.bounds_utc();
        // "Now" is inside the window: what happened at this very microsecond counts.
        let to = ask.now + Duration::microseconds(1);
        let rows = trail::buildings_now(conn, ask.scope.schools.as_deref(), (from, to))?;
        let histories: Vec<History> = rows.iter().map(|r| r.history(ask.now)).collect();
        Ok(section(&histories, names.as_ref(), (from, to)))
    }

    fn tables(&self, cat: &Catalog) -> Vec<Table> {
        vec![self.figures_table(cat)]
    }

    fn html(&self, view: &View<'_>) -> Result<String, askama::Error> {
        Partial {
            page: view,
            tables: self.tables(view.catalog),
        }
        .render()
    }
}

/// The month [from, to) of these buildings: the totals and a line per unit, every unit named.
/// Overdue is judged on the window's last day (the month's, or today's for the current one).
fn section(
    histories: &[History],
    units: Option<&UnitNames>,
    window: (NaiveDateTime, NaiveDateTime),
) -> BuildingSection {
    let last_day = time::local_date(window.1 - Duration::microseconds(1));
    let by_unit = units
        .map(|u| {
            by_unit(histories, |s| u.of(s), u.all(), window, last_day)
                .into_iter()
                .map(|(key, figures)| Line { key, figures })
                .collect()
        })
        .unwrap_or_default();
    BuildingSection {
        totals: figures(histories, window, last_day),
        by_unit,
    }
}

#[derive(Template)]
#[template(path = "buildings/report_section.html")]
struct Partial<'a> {
    page: &'a View<'a>,
    /// The same tables the CSV and the workbook hold.
    tables: Vec<Table>,
}

impl Partial<'_> {
    /// Today's list behind a figure (`path` with its query), within the report's scope.
    fn list_link(&self, path: &str) -> String {
        let scope = self.page.scope_query();
        match (scope.is_empty(), path.contains('?')) {
            (true, _) => path.to_string(),
            (false, true) => format!("{path}&{scope}"),
            (false, false) => format!("{path}?{scope}"),
        }
    }
}

/// The catalog keys of the table's columns, in order after the group and the item.
const COLUMNS: [&str; 10] = [
    "buildings.report.col.total",
    "buildings.grade.A",
    "buildings.grade.B",
    "buildings.grade.C",
    "buildings.grade.D",
    "buildings.grade.none",
    "buildings.report.col.dangerous_open",
    "buildings.report.col.demolished",
    "buildings.report.col.reinforced",
    "buildings.report.col.appraisals_overdue",
];

/// Every catalog key the section names outside its template (for the i18n test).
pub fn labels() -> Vec<&'static str> {
    let mut keys = COLUMNS.to_vec();
    keys.extend(["buildings.report.sheet", "reports.all"]);
    keys.extend(Table::PER_UNIT_LABELS);
    keys
}

impl BuildingSection {
    /// The totals, then a line per unit: every grade a column, zeros included.
    fn figures_table(&self, cat: &Catalog) -> Table {
        let lines = PerUnit::of(&self.totals, &self.by_unit);
        Table::per_unit(cat, "buildings.report.sheet", &COLUMNS, lines, |f| {
            let mut row = vec![Cell::Count(f.total)];
            row.extend(f.by_grade.lines().iter().map(|(_, n)| Cell::Count(*n)));
            row.extend([
                Cell::Count(f.dangerous_open),
                Cell::Count(f.demolished_in_month),
                Cell::Count(f.reinforced_in_month),
                Cell::Count(f.appraisals_overdue),
            ]);
            row
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::buildings::report::ByGrade;

    fn section() -> BuildingSection {
        let f = |total, dangerous| Figures {
            total,
            by_grade: ByGrade {
                a: 1,
                b: 0,
                c: 0,
                d: dangerous,
                none: total - 1 - dangerous,
            },
            dangerous_open: dangerous,
            demolished_in_month: 1,
            reinforced_in_month: 0,
            appraisals_overdue: 0,
        };
        BuildingSection {
            totals: f(3, 1),
            by_unit: vec![
                Line {
                    key: String::new(),
                    figures: f(1, 0),
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
        let keys: Vec<&str> = v
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        for k in [
            "total",
            "by_grade",
            "dangerous_open",
            "demolished_in_month",
            "reinforced_in_month",
            "appraisals_overdue",
        ] {
            assert!(keys.contains(&k), "{k} in {v}");
        }
        assert_eq!(
            v["by_grade"],
            serde_json::json!({"A": 1, "B": 0, "C": 0, "D": 1, "none": 1})
        );
        assert_eq!(v["by_unit"][1]["key"], "辰阳镇");
        assert_eq!(v["by_unit"][1]["total"], 2);
        let back: Option<BuildingSection> = serde_json::from_value(v).ok();
        assert_eq!(back, Some(section()));
    }

    #[test]
    fn the_table_lists_every_grade_and_unit_with_counts_only() {
        let cat = crate::i18n::Lang::ZhCn.catalog();
        let t = section().figures_table(cat);
        assert_eq!(t.header.len(), 12);
        assert_eq!(&t.header[3..8], ["A级", "B级", "C级", "D级", "未鉴定"]);
        let text: Vec<Vec<String>> = t
            .rows
            .iter()
            .map(|r| r.iter().map(Cell::text).collect())
            .collect();
        assert_eq!(
            text[0],
            [
                "本月", "合计", "3", "1", "0", "0", "1", "1", "1", "1", "0", "0"
            ]
        );
        assert_eq!(text[1][1], "（未填乡镇）");
        assert_eq!(text[2][..3], ["按乡镇/学校", "辰阳镇", "2"]);
        assert!(t.rows.iter().all(|r| r[2..].iter().all(|c| !c.is_text())));
    }
}
