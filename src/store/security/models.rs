//! A guard's, a profile's and an alarm test's rows as they are stored.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{alarm_tests, guards, security_profiles};
use crate::domain::security::AlarmResult;
use crate::domain::security::compliance::Provision;
use crate::domain::security::guards::GuardFacts;

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = guards)]
pub struct Guard {
    pub id: i64,
    pub school_id: i64,
    pub name: String,
    pub licence_no: Option<String>,
    pub birth_year: i32,
    pub employer: String,
    pub full_time: bool,
    pub hired_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    pub insured: bool,
    pub trained_on: Option<NaiveDate>,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl Guard {
    pub fn facts(&self) -> GuardFacts {
        GuardFacts {
            licence_no: self.licence_no.clone(),
            birth_year: self.birth_year,
            insured: self.insured,
            trained_on: self.trained_on,
        }
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = security_profiles, primary_key(school_id))]
pub struct Profile {
    pub school_id: i64,
    pub closed_management: bool,
    pub closed_verified_on: Option<NaiveDate>,
    pub closed_verified_by: Option<i64>,
    pub alarm_linked: bool,
    pub alarm_verified_on: Option<NaiveDate>,
    pub alarm_verified_by: Option<i64>,
    pub video_linked: bool,
    pub video_verified_on: Option<NaiveDate>,
    pub video_verified_by: Option<i64>,
    pub guard_post: bool,
    pub post_verified_on: Option<NaiveDate>,
    pub post_verified_by: Option<i64>,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

impl Profile {
    pub fn closed(&self) -> Provision {
        Provision {
            in_place: self.closed_management,
            verified_on: self.closed_verified_on,
        }
    }

    pub fn alarm(&self) -> Provision {
        Provision {
            in_place: self.alarm_linked,
            verified_on: self.alarm_verified_on,
        }
    }

    pub fn video(&self) -> Provision {
        Provision {
            in_place: self.video_linked,
            verified_on: self.video_verified_on,
        }
    }

    pub fn post(&self) -> Provision {
        Provision {
            in_place: self.guard_post,
            verified_on: self.post_verified_on,
        }
    }
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = alarm_tests)]
pub struct AlarmTest {
    pub id: i64,
    pub school_id: i64,
    pub tested_on: NaiveDate,
    pub result: AlarmResult,
    pub response_seconds: Option<i32>,
    pub note: String,
    pub recorded_by: i64,
    pub recorded_at: NaiveDateTime,
}
