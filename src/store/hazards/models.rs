//! A hazard's row as it is stored, and what a new report writes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::hazards;
use crate::domain::hazards::{Category, Facts, HowFound, Level, Source, State};

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = hazards)]
pub struct Hazard {
    pub id: i64,
    pub ref_no: String,
    pub school_id: i64,
    pub source: Source,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub location: String,
    pub level: Level,
    pub how_found: HowFound,
    pub found_on: chrono::NaiveDate,
    pub found_by: String,
    pub reported_by: i64,
    pub reported_at: NaiveDateTime,
    pub state: State,
    pub deadline: Option<chrono::NaiveDate>,
    pub responsible_unit: Option<String>,
    pub responsible_person: Option<String>,
    pub measures: Option<String>,
    pub interim_controls: Option<String>,
    pub funding: Option<String>,
    pub department: Option<String>,
    pub duplicate_of: Option<String>,
    pub supervised: bool,
    pub contingency_plan: Option<String>,
    pub building_id: Option<i64>,
    pub submitted_by: Option<i64>,
    pub submitted_at: Option<NaiveDateTime>,
    pub accepted_by: Option<i64>,
    pub accepted_at: Option<NaiveDateTime>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
    pub supervised_at: Option<NaiveDateTime>,
    /// The "4 × 100%" item this hazard was raised for, if any.
    pub security_item: Option<crate::domain::security::Item>,
}

impl Hazard {
    pub fn facts(&self) -> Facts {
        Facts {
            school_id: self.school_id,
            state: self.state,
            level: self.level,
            supervised: self.supervised,
            submitted_by: self.submitted_by,
            from_building: self.building_id.is_some(),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = hazards)]
pub struct HazardInsertForm<'a> {
    pub ref_no: &'a str,
    pub school_id: i64,
    pub source: Source,
    pub category: Category,
    pub title: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub level: Level,
    pub how_found: HowFound,
    pub found_on: chrono::NaiveDate,
    pub found_by: &'a str,
    pub reported_by: i64,
    pub reported_at: NaiveDateTime,
    pub state: State,
    pub supervised: bool,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}
