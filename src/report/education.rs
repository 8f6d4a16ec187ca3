//! The education section of the monthly report (CONTRACT's `education`): sessions and drills
//! held in the month, who took part, and the count per topic, in total and per unit. A session
//! counts in the month it was held if recorded by its end, else in the month it was recorded
//! (a late entry): the rows and their recording time are the trail (sessions are never
//! edited), so a month replayed later reads the same, and one path serves every month.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::simple::Simple;
use super::table::PerUnit;
use super::{Ask, Cell, Section, Table, UnitLine, UnitNames, View};
use crate::db::DbConn;
use crate::domain::education::Topic;
use crate::domain::education::report::{Figures, Held, by_unit, figures};
use crate::domain::month::Month;
use crate::i18n::Catalog;
use crate::store::StoreResult;
use crate::store::education as store;

pub type Line = UnitLine<Figures>;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct EducationSection {
    #[serde(flatten)]
    pub totals: Figures,
    pub by_unit: Vec<Line>,
}

impl Section for EducationSection {
    const MODULE: &'static str = "education";
    const LAYOUT: u32 = 1;

    fn replay(conn: &mut DbConn, ask: &Ask, months: &[Month]) -> StoreResult<Vec<(Month, Self)>> {
        let names = UnitNames::for_scope(conn, &ask.scope)?;
        let mut out = Vec::with_capacity(months.len());
        for &m in months {
            out.push((m, month(conn, ask, m, m.bounds_utc().1, names.as_ref())?));
        }
        Ok(out)
    }

    fn current(conn: &mut DbConn, ask: &Ask, _: &BTreeMap<Month, Self>) -> StoreResult<Self> {
        let names = UnitNames::for_scope(conn, &ask.scope)?;
        // "Now" is inside the window: what was recorded at this very microsecond counts.
        let upto = ask.now + Duration::microseconds(1);
        month(conn, ask, ask.month, upto, names.as_ref())
    }

    fn tables(&self, cat: &Catalog) -> Vec<Table> {
        let lines = PerUnit::of(&self.totals, &self.by_unit);
        let counts = Table::per_unit(cat, "education.report.sheet", &COLUMNS, lines, |f| {
            vec![
                Cell::Count(f.sessions_in_month),
                Cell::Count(f.drills_in_month),
                Cell::Count(f.participants_in_month),
            ]
        });
        let topics = Table {
            sheet: cat.get("education.report.topics_sheet").to_string(),
            header: vec![
                cat.get("education.col.topic").to_string(),
                cat.get("education.report.col.held").to_string(),
            ],
            rows: Topic::ALL
                .iter()
                .map(|t| {
                    vec![
                        Cell::Text(cat.get(t.label()).to_string()),
                        Cell::Count(self.totals.topic(*t)),
                    ]
                })
                .collect(),
            totals_first: false,
            totals_last: false,
            in_csv: true,
            grouped: false,
        };
        vec![counts, topics]
    }

    fn html(&self, view: &View<'_>) -> Result<String, askama::Error> {
        Simple::html(
            view,
            "module.education",
            self.tables(view.catalog),
            "education.report.note",
        )
    }
}

fn month(
    conn: &mut DbConn,
    ask: &Ask,
    m: Month,
    upto: NaiveDateTime,
    names: Option<&UnitNames>,
) -> StoreResult<EducationSection> {
    let held: Vec<Held> = store::held(
        conn,
        ask.scope.schools.as_deref(),
        (m.first_day(), m.last_day()),
        (m.bounds_utc().0, upto),
    )?;
    let by_unit = names
        .map(|u| {
            by_unit(&held, |s| u.of(s), u.all())
                .into_iter()
                .map(|(key, figures)| Line { key, figures })
                .collect()
        })
        .unwrap_or_default();
    Ok(EducationSection {
        totals: figures(&held),
        by_unit,
    })
}

const COLUMNS: [&str; 3] = [
    "education.report.col.sessions",
    "education.report.col.drills",
    "education.report.col.participants",
];

pub fn labels() -> Vec<&'static str> {
    let mut keys = COLUMNS.to_vec();
    keys.extend([
        "education.report.sheet",
        "education.report.topics_sheet",
        "education.col.topic",
        "education.report.col.held",
        "module.education",
        "education.report.note",
    ]);
    keys
}
