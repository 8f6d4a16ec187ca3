//! Rows as they are stored. `New*` structs are what an insert writes.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::*;
use crate::domain::access;
use crate::domain::attachments::Stage;
use crate::domain::audit::RecordKind;
use crate::domain::role::Role;
use crate::domain::school::SchoolKind;

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
    pub kind: SchoolKind,
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
// An edit that clears the township clears it: without this diesel skips a `None` column.
#[diesel(treat_none_as_null = true)]
pub struct SchoolForm<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub township_id: Option<i64>,
    pub kind: SchoolKind,
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
    pub role: Role,
    pub school_id: Option<i64>,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

impl User {
    pub fn actor(&self) -> access::Actor {
        access::Actor {
            user_id: self.id,
            role: self.role,
            school_id: self.school_id,
        }
    }

    /// The user as the audit trail names them.
    pub fn event_actor(&self) -> super::Actor {
        super::Actor {
            id: Some(self.id),
            name: self.username.clone(),
        }
    }
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct UserInsertForm<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
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

/// A file of a record (or, while `record_id` is None, kept for a refused form of a session).
#[derive(Clone, Debug, Queryable, Selectable, Identifiable)]
#[diesel(table_name = attachments)]
pub struct Attachment {
    pub id: i64,
    pub record_kind: RecordKind,
    pub record_id: Option<i64>,
    pub school_id: Option<i64>,
    pub stage: Stage,
    pub sha256: String,
    pub content_type: String,
    pub file_name: String,
    pub bytes: i32,
    pub width: Option<i32>,
    pub height: Option<i32>,
    pub uploaded_by: i64,
    pub uploaded_at: NaiveDateTime,
    pub pending_session: Option<i64>,
    pub pending_form: Option<String>,
}

impl Attachment {
    pub fn is_image(&self) -> bool {
        self.content_type.starts_with("image/")
    }

    /// The thumbnail's width and height, for the page to reserve its space.
    pub fn thumb_size(&self) -> Option<(u32, u32)> {
        let (w, h) = (self.width?, self.height?);
        Some(crate::media::thumb_size(
            u32::try_from(w).ok()?,
            u32::try_from(h).ok()?,
        ))
    }
}
