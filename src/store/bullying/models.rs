//! A case's rows as they are stored: the case, its parties and measures, who opened it, and the
//! schools' screenings.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{bullying_cases, bullying_measures, bullying_parties, bullying_screenings};
use crate::domain::bullying::{Determination, Facts, MeasureKind, PartyRole, ReporterKind, State};

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = bullying_cases)]
pub struct Case {
    pub id: i64,
    pub school_id: i64,
    pub ref_no: String,
    pub state: State,
    pub reported_on: NaiveDate,
    pub happened_on: Option<NaiveDate>,
    pub reporter_kind: ReporterKind,
    pub reported_by: Option<i64>,
    pub summary: String,
    pub place: String,
    pub accepted_on: Option<NaiveDate>,
    pub deadline: Option<NaiveDate>,
    pub determination: Option<Determination>,
    pub determined_on: Option<NaiveDate>,
    pub receipt_hash: Option<String>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Case {
    pub fn facts(&self) -> Facts {
        Facts {
            school_id: self.school_id,
            state: self.state,
            determination: self.determination,
        }
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = bullying_parties)]
pub struct Party {
    pub id: i64,
    pub case_id: i64,
    pub role: PartyRole,
    pub name: String,
    pub grade_class: String,
    pub age: Option<i32>,
    pub added_by: i64,
    pub added_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = bullying_measures)]
pub struct Measure {
    pub id: i64,
    pub case_id: i64,
    pub kind: MeasureKind,
    pub taken_on: NaiveDate,
    pub note: String,
    pub added_by: i64,
    pub added_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = bullying_screenings)]
pub struct Screening {
    pub id: i64,
    pub school_id: i64,
    pub held_on: NaiveDate,
    pub classes: String,
    pub pupils_covered: i32,
    pub findings: String,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}
