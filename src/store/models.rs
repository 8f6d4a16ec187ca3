//! Rows as they are stored. `New*` structs are what an insert writes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::*;
use crate::domain::access;
use crate::domain::role::Role;

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = townships)]
pub struct Township {
    pub id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = schools)]
pub struct School {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub township_id: Option<i64>,
    pub kind: String,
    pub pupils: i32,
    pub boarders: i32,
    pub staff: i32,
    pub principal: String,
    pub phone: String,
    pub active: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = schools)]
pub struct SchoolForm<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub township_id: Option<i64>,
    pub kind: &'a str,
    pub pupils: i32,
    pub boarders: i32,
    pub staff: i32,
    pub principal: &'a str,
    pub phone: &'a str,
    pub updated_at: NaiveDateTime,
}

#[derive(Insertable)]
#[diesel(table_name = schools)]
pub struct SchoolInsertForm<'a> {
    #[diesel(embed)]
    pub fields: SchoolForm<'a>,
    pub active: bool,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: String,
    pub school_id: Option<i64>,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl User {
    /// The stored role; an unknown one (never written by this app) gets the least power.
    pub fn role(&self) -> Role {
        self.role.parse().unwrap_or(Role::Viewer)
    }

    pub fn actor(&self) -> access::Actor {
        access::Actor {
            user_id: self.id,
            role: self.role(),
            school_id: self.school_id,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct UserInsertForm<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: &'a str,
    pub school_id: Option<i64>,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = sessions)]
pub struct Session {
    pub id: i64,
    pub token_hash: String,
    pub user_id: i64,
    pub csrf_token: String,
    pub created_at: NaiveDateTime,
    pub last_seen_at: NaiveDateTime,
    pub ip: String,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = events)]
pub struct Event {
    pub id: i64,
    pub chain: String,
    pub prev_hash: String,
    pub hash: String,
    pub at: NaiveDateTime,
    pub actor_id: Option<i64>,
    pub actor: String,
    pub school_id: Option<i64>,
    pub record_kind: String,
    pub record_id: Option<i64>,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub comment: Option<String>,
    pub changes: Option<String>,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = hazards)]
pub struct Hazard {
    pub id: i64,
    pub ref_no: String,
    pub school_id: i64,
    pub source: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub level: String,
    pub how_found: String,
    pub found_on: chrono::NaiveDate,
    pub found_by: String,
    pub reported_by: i64,
    pub reported_at: NaiveDateTime,
    pub state: String,
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
}

impl Hazard {
    /// The stored state; rows are only ever written from the machine's own names.
    pub fn state(&self) -> crate::domain::hazard::State {
        crate::domain::hazard::State::parse(&self.state)
            .unwrap_or(crate::domain::hazard::State::Reported)
    }

    pub fn level(&self) -> crate::domain::hazard::Level {
        crate::domain::hazard::Level::parse(&self.level)
            .unwrap_or(crate::domain::hazard::Level::Major)
    }

    pub fn facts(&self) -> crate::domain::hazard::Facts {
        crate::domain::hazard::Facts {
            school_id: self.school_id,
            state: self.state(),
            level: self.level(),
            supervised: self.supervised,
            submitted_by: self.submitted_by,
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = hazards)]
pub struct HazardInsertForm<'a> {
    pub ref_no: &'a str,
    pub school_id: i64,
    pub source: &'a str,
    pub category: &'a str,
    pub title: &'a str,
    pub description: &'a str,
    pub location: &'a str,
    pub level: &'a str,
    pub how_found: &'a str,
    pub found_on: chrono::NaiveDate,
    pub found_by: &'a str,
    pub reported_by: i64,
    pub reported_at: NaiveDateTime,
    pub state: &'a str,
    pub supervised: bool,
    pub version: i32,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = hazard_photos)]
pub struct HazardPhoto {
    pub id: i64,
    pub hazard_id: i64,
    pub stage: String,
    pub sha256: String,
    pub bytes: i32,
    pub width: i32,
    pub height: i32,
    pub uploaded_by: i64,
    pub uploaded_at: NaiveDateTime,
}
