//! The legal vice-principals section (CONTRACT's `legal_vps`): VPs in office on the month's
//! last day (or today) and the schools they cover, in total and per unit. Each VP's days and
//! schools are read off its last event before the month's end, and the schools counted are
//! those registered and active then, so a past month reads the same next year.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::simple::Simple;
use super::table::PerUnit;
use super::{Ask, Cell, Section, Table, UnitLine, UnitNames, View};
use crate::db::DbConn;
use crate::domain::legal_vps::{Figures, figures};
use crate::domain::month::Month;
use crate::domain::time;
use crate::i18n::Catalog;
use crate::store::StoreResult;
use crate::store::legal_vps as store;
use crate::store::security::trail::active_at;

pub type Line = UnitLine<Figures>;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct LegalVpSection {
    #[serde(flatten)]
    pub totals: Figures,
    pub by_unit: Vec<Line>,
}

impl Section for LegalVpSection {
    const MODULE: &'static str = "legal_vps";
    const LAYOUT: u32 = 1;

    fn replay(conn: &mut DbConn, ask: &Ask, months: &[Month]) -> StoreResult<Vec<(Month, Self)>> {
        let names = UnitNames::for_scope(conn, &ask.scope)?;
        let mut out = Vec::with_capacity(months.len());
        for &m in months {
            out.push((m, at(conn, ask, m.bounds_utc().1, names.as_ref())?));
        }
        Ok(out)
    }

    fn current(conn: &mut DbConn, ask: &Ask, _: &BTreeMap<Month, Self>) -> StoreResult<Self> {
        let names = UnitNames::for_scope(conn, &ask.scope)?;
        at(
            conn,
            ask,
            ask.now + Duration::microseconds(1),
            names.as_ref(),
        )
    }

    fn tables(&self, cat: &Catalog) -> Vec<Table> {
        let lines = PerUnit::of(&self.totals, &self.by_unit);
        vec![Table::per_unit(
            cat,
            "legal_vps.report.sheet",
            &COLUMNS,
            lines,
            |f| {
                vec![
                    Cell::Count(f.in_office),
                    Cell::Count(f.schools_covered),
                    Cell::Count(f.schools_without),
                ]
            },
        )]
    }

    fn html(&self, view: &View<'_>) -> Result<String, askama::Error> {
        Simple::html(
            view,
            "module.legal_vps",
            self.tables(view.catalog),
            "legal_vps.report.note",
        )
    }
}

/// The figures just before `upto`, judged on the last day before it.
fn at(
    conn: &mut DbConn,
    ask: &Ask,
    upto: NaiveDateTime,
    names: Option<&UnitNames>,
) -> StoreResult<LegalVpSection> {
    let day = time::local_date(upto - Duration::microseconds(1));
    let standings = store::standings(conn, upto)?;
    let schools = active_at(conn, ask.scope.schools.as_deref(), upto)?;
    let by_unit = names
        .map(|u| {
            let mut per: BTreeMap<String, Vec<i64>> =
                u.all().into_iter().map(|k| (k, Vec::new())).collect();
            for s in &schools {
                per.entry(u.of(*s)).or_default().push(*s);
            }
            per.into_iter()
                .map(|(key, ids)| Line {
                    key,
                    figures: figures(&standings, &ids, day),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(LegalVpSection {
        totals: figures(&standings, &schools, day),
        by_unit,
    })
}

const COLUMNS: [&str; 3] = [
    "legal_vps.report.col.in_office",
    "legal_vps.report.col.covered",
    "legal_vps.report.col.without",
];

pub fn labels() -> Vec<&'static str> {
    let mut keys = COLUMNS.to_vec();
    keys.extend([
        "legal_vps.report.sheet",
        "module.legal_vps",
        "legal_vps.report.note",
    ]);
    keys
}
