//! A building's and an appraisal's rows as they are stored, and what a new one writes.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{appraisals, buildings};
use crate::domain::buildings::{Facts, Grade, Method, Status, Structure, Use};

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = buildings)]
pub struct Building {
    pub id: i64,
    pub school_id: i64,
    pub name: String,
    pub usage: Use,
    pub structure: Structure,
    pub floors: i32,
    pub floor_area: f64,
    pub year_built: i32,
    pub status: Status,
    pub grade: Option<Grade>,
    pub appraised_on: Option<NaiveDate>,
    pub appraisal_due: Option<NaiveDate>,
    pub hazard_id: Option<i64>,
    pub disposal_method: Option<Method>,
    pub disposal_deadline: Option<NaiveDate>,
    pub disposal_funding: Option<String>,
    pub disposal_measures: Option<String>,
    pub reported_done_by: Option<i64>,
    pub reported_done_at: Option<NaiveDateTime>,
    pub accepted_by: Option<i64>,
    pub accepted_at: Option<NaiveDateTime>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

impl Building {
    pub fn facts(&self) -> Facts {
        Facts {
            school_id: self.school_id,
            status: self.status,
            grade: self.grade,
            method: self.disposal_method,
            reported_done_by: self.reported_done_by,
        }
    }

    /// How notices, file names and the hazard it raised refer to it.
    pub fn reference(&self) -> String {
        reference(self.id)
    }
}

/// `JZ-<id>`: a building's short reference (校舍).
pub fn reference(id: i64) -> String {
    format!("JZ-{id}")
}

#[derive(Insertable)]
#[diesel(table_name = buildings)]
pub struct BuildingInsertForm<'a> {
    pub school_id: i64,
    pub name: &'a str,
    pub usage: Use,
    pub structure: Structure,
    pub floors: i32,
    pub floor_area: f64,
    pub year_built: i32,
    pub status: Status,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = appraisals)]
pub struct Appraisal {
    pub id: i64,
    pub building_id: i64,
    pub appraised_on: NaiveDate,
    pub agency: String,
    pub report_no: String,
    pub grade: Grade,
    pub notes: String,
    pub file_id: Option<i64>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = appraisals)]
pub struct AppraisalInsertForm<'a> {
    pub building_id: i64,
    pub appraised_on: NaiveDate,
    pub agency: &'a str,
    pub report_no: &'a str,
    pub grade: Grade,
    pub notes: &'a str,
    pub file_id: Option<i64>,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}
