//! The monthly report service (月报): one [`Section`] per module, assembled into one
//! [`MonthlyReport`] that HTML, CSV, XLSX and JSON all render, so they cannot disagree.
//!
//! Each section is computed the cheapest way that is still exact (`keep`): a settled month is
//! read from its kept snapshot, the current month from the rows as they stand, anything else
//! replayed from the audit trail once and kept. A module adds its section by implementing
//! `Section` beside `hazards` and naming it once in [`SECTIONS`].
//!
//! Layers: the web calls this; this calls the store and the domain; no HTTP here.

pub mod annual;
pub mod buildings;
pub mod bullying;
pub mod campaigns;
pub mod charts;
pub mod education;
pub mod hazards;
mod keep;
pub mod legal_vps;
pub mod security;
mod simple;
pub mod table;
pub mod view;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::db::DbConn;
use crate::domain::county;
use crate::domain::month::Month;
use crate::domain::time;
use crate::i18n::Catalog;
use crate::store::{StoreError, StoreResult, schools, settings};

pub use table::{Cell, Table};
pub use view::View;

/// Which unit a report covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScopeKind {
    County,
    Township,
    School,
}

/// A report's unit: the county, a township, or one school, with its schools.
#[derive(Clone, Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    /// The school's code.
    pub code: Option<String>,
    /// The township's or the school's name.
    pub name: Option<String>,
    /// The scope's schools; None for the whole county.
    pub schools: Option<Vec<i64>>,
}

impl Scope {
    pub fn county() -> Scope {
        Scope {
            kind: ScopeKind::County,
            code: None,
            name: None,
            schools: None,
        }
    }

    pub fn township(name: String, schools: Vec<i64>) -> Scope {
        Scope {
            kind: ScopeKind::Township,
            code: None,
            name: Some(name),
            schools: Some(schools),
        }
    }

    pub fn school(id: i64, code: String, name: String) -> Scope {
        Scope {
            kind: ScopeKind::School,
            code: Some(code),
            name: Some(name),
            schools: Some(vec![id]),
        }
    }

    /// The kept snapshots' key: `county`, `township:<name>` or `school:<id>`.
    pub fn key(&self) -> String {
        match self.kind {
            ScopeKind::County => "county".into(),
            ScopeKind::Township => format!("township:{}", self.name.clone().unwrap_or_default()),
            ScopeKind::School => format!(
                "school:{}",
                self.schools
                    .as_ref()
                    .and_then(|s| s.first())
                    .copied()
                    .unwrap_or_default()
            ),
        }
    }

    /// The units a report's lines count by: townships of the county, schools of a township;
    /// none for a school.
    pub fn units(&self) -> Option<Units> {
        match self.kind {
            ScopeKind::County => Some(Units::Townships),
            ScopeKind::Township => Some(Units::Schools(self.name.clone().unwrap_or_default())),
            ScopeKind::School => None,
        }
    }
}

/// What a report's per-unit lines count by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Units {
    Townships,
    /// The schools of this township.
    Schools(String),
}

/// The unit each school's records are counted under.
pub struct UnitNames(HashMap<i64, String>);

impl UnitNames {
    pub fn load(conn: &mut DbConn, units: &Units) -> StoreResult<UnitNames> {
        let (rows, by_township) = match units {
            Units::Townships => (schools::units(conn, None)?, true),
            Units::Schools(t) => (schools::units(conn, Some(t))?, false),
        };
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

    pub fn of(&self, school_id: i64) -> String {
        self.0.get(&school_id).cloned().unwrap_or_default()
    }

    /// The units a report of this scope counts by; None for a school's.
    pub fn for_scope(conn: &mut DbConn, scope: &Scope) -> StoreResult<Option<UnitNames>> {
        scope.units().map(|u| UnitNames::load(conn, &u)).transpose()
    }

    /// Every unit, once: a report lists them all, those with nothing to count too.
    pub fn all(&self) -> std::collections::BTreeSet<String> {
        self.0.values().cloned().collect()
    }
}

/// One unit's line of a section: the township's or school's name, and its figures (flattened
/// into the JSON beside `key`).
#[derive(Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub struct UnitLine<F> {
    pub key: String,
    #[serde(flatten)]
    pub figures: F,
}

/// What a report asks for: a scope and a month, at an instant.
#[derive(Clone, Debug)]
pub struct Ask {
    pub scope: Scope,
    pub month: Month,
    pub now: NaiveDateTime,
}

/// One module's part of the monthly report: its figures as of the month's last instant.
pub trait Section: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// The module's name: the section's key in the JSON and in kept snapshots.
    const MODULE: &'static str;
    /// The version of the section's layout and definitions: bump it when either changes, and
    /// kept months are computed afresh instead of read stale.
    const LAYOUT: u32;

    /// The earlier months a current month's section needs (its trend); none by default.
    fn earlier_months(_month: Month) -> Vec<Month> {
        Vec::new()
    }

    /// Past months' sections replayed from the trail, all in one read.
    fn replay(conn: &mut DbConn, ask: &Ask, months: &[Month]) -> StoreResult<Vec<(Month, Self)>>;

    /// The current month's section from the rows as they stand; `earlier` holds the sections of
    /// `earlier_months`.
    fn current(conn: &mut DbConn, ask: &Ask, earlier: &BTreeMap<Month, Self>) -> StoreResult<Self>;

    /// The section's tables for CSV and XLSX, in the user's language.
    fn tables(&self, cat: &Catalog) -> Vec<Table>;

    /// The section as HTML for the report page (and a frozen submission's).
    fn html(&self, view: &View<'_>) -> Result<String, askama::Error>;
}

/// A computed section of any module, as a report holds it.
pub trait AnySection: Send + Sync {
    fn module(&self) -> &'static str;
    fn json(&self) -> serde_json::Value;
    fn tables(&self, cat: &Catalog) -> Vec<Table>;
    fn html(&self, view: &View<'_>) -> Result<String, askama::Error>;
    fn as_any(&self) -> &dyn std::any::Any;
}

impl<S: Section> AnySection for S {
    fn module(&self) -> &'static str {
        S::MODULE
    }

    fn json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or_default()
    }

    fn tables(&self, cat: &Catalog) -> Vec<Table> {
        Section::tables(self, cat)
    }

    fn html(&self, view: &View<'_>) -> Result<String, askama::Error> {
        Section::html(self, view)
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }
}

/// A registered section type: how to compute it, read it back from JSON, and keep its months.
pub struct Kind {
    pub module: &'static str,
    compute: fn(&mut DbConn, &Ask) -> StoreResult<Box<dyn AnySection>>,
    read: fn(serde_json::Value) -> Result<Box<dyn AnySection>, serde_json::Error>,
    keep_county: fn(&mut DbConn, NaiveDateTime) -> StoreResult<usize>,
}

impl Kind {
    pub const fn of<S: Section>() -> Kind {
        Kind {
            module: S::MODULE,
            compute: |conn, ask| Ok(Box::new(keep::compute::<S>(conn, ask)?)),
            read: |v| Ok(Box::new(serde_json::from_value::<S>(v)?)),
            keep_county: keep::keep_county::<S>,
        }
    }
}

/// Every module's section, in the order the report shows them. A new module adds one line.
pub const SECTIONS: &[Kind] = &[
    Kind::of::<hazards::HazardSection>(),
    Kind::of::<buildings::BuildingSection>(),
    Kind::of::<security::SecuritySection>(),
    Kind::of::<bullying::BullyingSection>(),
    Kind::of::<education::EducationSection>(),
    Kind::of::<legal_vps::LegalVpSection>(),
    Kind::of::<campaigns::CampaignSection>(),
];

/// One month's report for a scope.
pub struct MonthlyReport {
    /// The county's name from the settings; None until an admin sets it.
    pub county: Option<String>,
    /// The bureau's name (the county report's 填报单位) from the settings; None until set.
    pub bureau: Option<String>,
    pub month: String,
    pub scope: ScopeJson,
    /// UTC, ISO 8601.
    pub generated_at: String,
    pub generated_by: String,
    /// The last minute the figures cover, county time: the month's end, or now.
    pub as_of: String,
    pub sections: Vec<Box<dyn AnySection>>,
}

/// The scope as the JSON and the pages name it.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub struct ScopeJson {
    pub kind: ScopeKind,
    pub code: Option<String>,
    pub name: Option<String>,
}

impl MonthlyReport {
    /// The section of this module, typed.
    pub fn section<S: Section>(&self) -> Option<&S> {
        self.sections
            .iter()
            .find_map(|s| s.as_any().downcast_ref::<S>())
    }

    /// Every section's tables, in order.
    pub fn tables(&self, cat: &Catalog) -> Vec<Table> {
        self.sections.iter().flat_map(|s| s.tables(cat)).collect()
    }

    /// The report as JSON: the title block's fields, then one object per module (CONTRACT).
    pub fn json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        m.insert("county".into(), serde_json::json!(self.county));
        m.insert("bureau".into(), serde_json::json!(self.bureau));
        m.insert("month".into(), serde_json::json!(self.month));
        m.insert("scope".into(), serde_json::json!(self.scope));
        m.insert("generated_at".into(), serde_json::json!(self.generated_at));
        m.insert("generated_by".into(), serde_json::json!(self.generated_by));
        m.insert("as_of".into(), serde_json::json!(self.as_of));
        for s in &self.sections {
            m.insert(s.module().into(), s.json());
        }
        serde_json::Value::Object(m)
    }

    /// A report as it was frozen (a submission): every section a module here can read.
    pub fn parse(json: &str) -> Result<MonthlyReport, String> {
        let mut v: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(json).map_err(|e| e.to_string())?;
        let text = |v: &mut serde_json::Map<String, serde_json::Value>, k: &str| {
            v.remove(k)
                .and_then(|x| x.as_str().map(str::to_string))
                .unwrap_or_default()
        };
        let scope = v
            .remove("scope")
            .and_then(|s| serde_json::from_value(s).ok())
            .ok_or("the frozen report has no scope")?;
        let mut sections = Vec::new();
        for kind in SECTIONS {
            let Some(s) = v.remove(kind.module) else {
                continue;
            };
            // A section frozen in a layout this version no longer reads is left out, not the
            // whole submission: the others still show as they were.
            match (kind.read)(s) {
                Ok(s) => sections.push(s),
                Err(e) => {
                    tracing::warn!(module = kind.module, "a frozen section does not read: {e}")
                }
            }
        }
        Ok(MonthlyReport {
            county: v
                .remove("county")
                .and_then(|c| c.as_str().map(str::to_string)),
            bureau: v
                .remove("bureau")
                .and_then(|c| c.as_str().map(str::to_string)),
            month: text(&mut v, "month"),
            generated_at: text(&mut v, "generated_at"),
            generated_by: text(&mut v, "generated_by"),
            as_of: text(&mut v, "as_of"),
            scope,
            sections,
        })
    }

    /// The unit that fills in the report (填报单位): the school or township it covers, for the
    /// county the bureau by its name once set (else `None`: "the county").
    pub fn reporting_unit(&self) -> Option<String> {
        match self.scope.kind {
            ScopeKind::County => self.bureau.clone(),
            _ => self.scope.name.clone(),
        }
    }

    /// When the report was generated, in the county's time.
    pub fn generated_local(&self) -> String {
        NaiveDateTime::parse_from_str(&self.generated_at, "%Y-%m-%dT%H:%M:%SZ")
            .map(time::local_minute)
            .unwrap_or_else(|_| self.generated_at.clone())
    }
}

/// The whole report for `ask`, every section computed (and settled months kept) on the way.
pub fn build(conn: &mut DbConn, ask: &Ask, generated_by: &str) -> StoreResult<MonthlyReport> {
    let mut sections = Vec::with_capacity(SECTIONS.len());
    for kind in SECTIONS {
        sections.push((kind.compute)(conn, ask)?);
    }
    let county = settings::get(conn, county::SETTING_NAME)?.filter(|n| !n.is_empty());
    let bureau = settings::get(conn, county::SETTING_BUREAU)?.filter(|n| !n.is_empty());
    let (_, end) = ask.month.bounds_utc();
    let as_of = end.min(ask.now + chrono::Duration::microseconds(1));
    Ok(MonthlyReport {
        county,
        bureau,
        month: ask.month.label(),
        scope: ScopeJson {
            kind: ask.scope.kind,
            code: ask.scope.code.clone(),
            name: ask.scope.name.clone(),
        },
        generated_at: ask.now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        generated_by: generated_by.to_string(),
        // Shown as the last minute the figures cover (23:59 of the month's last day).
        as_of: time::local_minute(as_of - chrono::Duration::microseconds(1)),
        sections,
    })
}

/// Keeps every module's settled months of the county (the server's housekeeping).
pub fn keep_every_county_month(conn: &mut DbConn, now: NaiveDateTime) -> StoreResult<usize> {
    let mut kept = 0;
    for kind in SECTIONS {
        kept += (kind.keep_county)(conn, now)?;
    }
    Ok(kept)
}

/// A month that was asked for but not computed: a defect, reported as one.
fn missing(month: Month) -> StoreError {
    StoreError::Defect(format!(
        "the report month {} was not computed",
        month.label()
    ))
}
