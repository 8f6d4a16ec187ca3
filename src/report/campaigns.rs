//! The campaigns section (CONTRACT's `campaigns`: a list of `{name, items, schools,
//! completion_rate}`): every campaign running in the month and known by its end, its
//! completion over the scope's schools as the marks' trail stood then (a returned item is
//! undone until redone). The schools counted are those registered and active at the end.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::simple::Simple;
use super::{Ask, Cell, Section, Table, View};
use crate::db::DbConn;
use crate::domain::campaigns::completion::{Completion, completion, replay};
use crate::domain::month::Month;
use crate::i18n::Catalog;
use crate::store::StoreResult;
use crate::store::campaigns::trail;
use crate::store::security::trail::active_at;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct CampaignLine {
    pub id: i64,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    #[serde(flatten)]
    pub completion: Completion,
}

/// The section is CONTRACT's list itself.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(transparent)]
pub struct CampaignSection(pub Vec<CampaignLine>);

impl Section for CampaignSection {
    const MODULE: &'static str = "campaigns";
    const LAYOUT: u32 = 1;

    fn replay(conn: &mut DbConn, ask: &Ask, months: &[Month]) -> StoreResult<Vec<(Month, Self)>> {
        let mut out = Vec::with_capacity(months.len());
        for &m in months {
            out.push((m, at(conn, ask, m, m.bounds_utc().1)?));
        }
        Ok(out)
    }

    fn current(conn: &mut DbConn, ask: &Ask, _: &BTreeMap<Month, Self>) -> StoreResult<Self> {
        at(conn, ask, ask.month, ask.now + Duration::microseconds(1))
    }

    fn tables(&self, cat: &Catalog) -> Vec<Table> {
        let header = [
            "campaigns.col.name",
            "campaigns.col.period",
            "campaigns.col.items",
            "campaigns.col.schools",
            "campaigns.col.schools_complete",
            "campaigns.col.rate",
        ]
        .iter()
        .map(|k| cat.get(k).to_string())
        .collect();
        let rows = self
            .0
            .iter()
            .map(|l| {
                vec![
                    Cell::Text(l.name.clone()),
                    Cell::Text(format!("{} – {}", l.starts_on, l.ends_on)),
                    Cell::Count(l.completion.items),
                    Cell::Count(l.completion.schools),
                    Cell::Count(l.completion.schools_complete),
                    Cell::Rate(l.completion.completion_rate),
                ]
            })
            .collect();
        vec![Table {
            sheet: cat.get("campaigns.report.sheet").to_string(),
            header,
            rows,
            totals_first: false,
            totals_last: false,
            in_csv: true,
            grouped: false,
        }]
    }

    fn html(&self, view: &View<'_>) -> Result<String, askama::Error> {
        let note = if self.0.is_empty() {
            "campaigns.report.none"
        } else {
            "campaigns.report.note"
        };
        Simple::html(view, "module.campaigns", self.tables(view.catalog), note)
    }
}

fn at(conn: &mut DbConn, ask: &Ask, m: Month, upto: NaiveDateTime) -> StoreResult<CampaignSection> {
    let schools = active_at(conn, ask.scope.schools.as_deref(), upto)?;
    let running = trail::running(conn, (m.first_day(), m.last_day()), upto)?;
    Ok(CampaignSection(
        running
            .into_iter()
            .map(|r| CampaignLine {
                id: r.campaign.id,
                name: r.campaign.name,
                starts_on: r.campaign.starts_on.to_string(),
                ends_on: r.campaign.ends_on.to_string(),
                completion: completion(&r.items, &schools, &replay(r.steps)),
            })
            .collect(),
    ))
}

pub fn labels() -> Vec<&'static str> {
    vec![
        "campaigns.col.name",
        "campaigns.col.period",
        "campaigns.col.items",
        "campaigns.col.schools",
        "campaigns.col.schools_complete",
        "campaigns.col.rate",
        "campaigns.report.sheet",
        "campaigns.report.none",
        "campaigns.report.note",
        "module.campaigns",
    ]
}
