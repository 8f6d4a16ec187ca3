//! Notifications of every module: one row per person told, written in the same transaction as
//! the step that sends it (a step that rolls back tells nobody), and one row in the webhook's
//! queue (`outbox`) when the county has set an address. Also the reads of the list and the
//! header's count, and the daily reminders' "already sent today" marks.

pub mod outbox;

use std::collections::{BTreeSet, HashSet};

use chrono::{NaiveDate, NaiveDateTime, SecondsFormat};
use diesel::prelude::*;
use serde_json::json;

use super::{By, StoreError, StoreResult, settings};
use crate::db::DbConn;
use crate::db::schema::{notification_reminders, notifications, schools, users};
use crate::domain::audit::RecordKind;
use crate::domain::notify::{self, Audience, Notice};
use crate::domain::role::Role;

/// How many notifications a page of the list shows.
pub const PAGE_SIZE: i64 = 20;

/// The record a notice is about, as it may travel: its reference, its title (a module whose
/// titles could name a pupil passes words that cannot, such as its category) and its page.
pub struct About<'a> {
    pub kind: RecordKind,
    pub record_id: i64,
    pub school_id: Option<i64>,
    pub reference: &'a str,
    pub title: &'a str,
    pub path: String,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = notifications)]
pub struct Notification {
    pub id: i64,
    pub user_id: i64,
    pub record_kind: RecordKind,
    pub record_id: i64,
    pub school_id: Option<i64>,
    pub event: String,
    pub reference: String,
    pub title: String,
    pub url: String,
    pub created_at: NaiveDateTime,
    pub read_at: Option<NaiveDateTime>,
}

/// Tells a step's notice to its audience, never to whoever took the step, and queues it for the
/// county's webhook. Call it inside the step's write transaction. Returns how many were told.
pub fn notify(
    conn: &mut DbConn,
    by: &By,
    about: &About<'_>,
    notice: &Notice,
) -> QueryResult<usize> {
    send(conn, Some(by.who.user_id), by.at, about, notice)
}

/// A notice no one's step sent (the daily reminders): everyone in the audience is told.
pub fn notify_all(
    conn: &mut DbConn,
    at: NaiveDateTime,
    about: &About<'_>,
    notice: &Notice,
) -> QueryResult<usize> {
    send(conn, None, at, about, notice)
}

fn send(
    conn: &mut DbConn,
    actor: Option<i64>,
    at: NaiveDateTime,
    about: &About<'_>,
    notice: &Notice,
) -> QueryResult<usize> {
    let mut told = recipients(conn, about.school_id, &notice.audience)?;
    if let Some(me) = actor {
        told.remove(&me);
    }
    for user_id in &told {
        diesel::insert_into(notifications::table)
            .values((
                notifications::user_id.eq(user_id),
                notifications::record_kind.eq(about.kind),
                notifications::record_id.eq(about.record_id),
                notifications::school_id.eq(about.school_id),
                notifications::event.eq(notice.event),
                notifications::reference.eq(about.reference),
                notifications::title.eq(about.title),
                notifications::url.eq(&about.path),
                notifications::created_at.eq(at),
            ))
            .execute(conn)?;
    }
    let url = settings::get(conn, notify::SETTING_WEBHOOK_URL)?.unwrap_or_default();
    if !url.is_empty() {
        // One POST per notice, whoever reads it in the app: the group it reaches is the audience.
        let school = match about.school_id {
            Some(id) => schools::table
                .find(id)
                .select(schools::code)
                .first::<String>(conn)
                .optional()?,
            None => None,
        };
        let payload = json!({
            "event": notify::webhook_event(about.kind, notice.event),
            "record": about.reference,
            "school": school,
            "title": about.title,
            "url": about.path,
            "at": at.and_utc().to_rfc3339_opts(SecondsFormat::Secs, true),
        });
        outbox::enqueue(conn, &url, &payload.to_string(), at)?;
    }
    Ok(told.len())
}

/// The active people an audience names.
fn recipients(
    conn: &mut DbConn,
    school_id: Option<i64>,
    audience: &[Audience],
) -> QueryResult<BTreeSet<i64>> {
    let mut ids = BTreeSet::new();
    for a in audience {
        let active = users::table.filter(users::active.eq(true));
        let found: Vec<i64> = match (a, school_id) {
            (Audience::SchoolAdmins, Some(school)) => active
                .filter(users::role.eq(Role::SchoolAdmin))
                .filter(users::school_id.eq(school))
                .select(users::id)
                .load(conn)?,
            (Audience::SchoolAdmins, None) => Vec::new(),
            (Audience::Bureau, _) => active
                .filter(users::role.eq(Role::Bureau))
                .select(users::id)
                .load(conn)?,
            (Audience::User(id), _) => active
                .filter(users::id.eq(*id))
                .select(users::id)
                .load(conn)?,
        };
        ids.extend(found);
    }
    Ok(ids)
}

/// The header's count: one indexed count on every page.
pub fn unread_count(conn: &mut DbConn, user_id: i64) -> QueryResult<i64> {
    notifications::table
        .filter(notifications::user_id.eq(user_id))
        .filter(notifications::read_at.is_null())
        .count()
        .get_result(conn)
}

/// A notification as the list shows it, with the name of its record's school.
pub type Listed = (Notification, Option<String>);

/// One page of a user's notifications, newest first, each with its school's name, and how
/// many there are in all.
pub fn page(conn: &mut DbConn, user_id: i64, page_no: i64) -> QueryResult<(Vec<Listed>, i64)> {
    let total = notifications::table
        .filter(notifications::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    let rows = notifications::table
        .left_join(schools::table.on(schools::id.nullable().eq(notifications::school_id)))
        .filter(notifications::user_id.eq(user_id))
        .order(notifications::id.desc())
        .limit(PAGE_SIZE)
        .offset((page_no.max(1) - 1) * PAGE_SIZE)
        .select((Notification::as_select(), schools::name.nullable()))
        .load(conn)?;
    Ok((rows, total))
}

/// Marks one of the user's own notifications read (again is harmless) and gives its page.
/// Another user's is not found.
pub fn mark_read(
    conn: &mut DbConn,
    user_id: i64,
    id: i64,
    at: NaiveDateTime,
) -> StoreResult<String> {
    let own = notifications::table
        .filter(notifications::id.eq(id))
        .filter(notifications::user_id.eq(user_id));
    diesel::update(own.filter(notifications::read_at.is_null()))
        .set(notifications::read_at.eq(at))
        .execute(conn)?;
    own.select(notifications::url)
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// Marks every unread notification of the user read.
pub fn mark_all_read(conn: &mut DbConn, user_id: i64, at: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(
        notifications::table
            .filter(notifications::user_id.eq(user_id))
            .filter(notifications::read_at.is_null()),
    )
    .set(notifications::read_at.eq(at))
    .execute(conn)
}

/// Every module's daily reminders (deadlines near or passed), each returning how many records
/// it reminded of: a module adds its function here.
const REMINDERS: &[fn(&mut DbConn, NaiveDateTime) -> QueryResult<usize>] = &[
    super::hazards::deadlines::remind,
    super::buildings::remind::remind,
    super::security::remind::remind,
    super::bullying::remind::remind,
    super::education::remind::remind,
];

/// Runs every module's daily reminders (housekeeping, every round: each is sent once a day).
pub fn remind_all(conn: &mut DbConn, now: NaiveDateTime) -> QueryResult<usize> {
    REMINDERS.iter().map(|remind| remind(conn, now)).sum()
}

/// The records of `kind` already reminded of `reminder` on the county's `day`.
pub fn reminded(
    conn: &mut DbConn,
    kind: RecordKind,
    reminder: &str,
    day: NaiveDate,
) -> QueryResult<HashSet<i64>> {
    let ids: Vec<i64> = notification_reminders::table
        .filter(notification_reminders::record_kind.eq(kind))
        .filter(notification_reminders::reminder.eq(reminder))
        .filter(notification_reminders::day.eq(day))
        .select(notification_reminders::record_id)
        .load(conn)?;
    Ok(ids.into_iter().collect())
}

/// Takes a record's reminder for `day`: true the first time, false once any instance has.
/// Run it in the reminder's write transaction, so a failed reminder is not marked sent.
pub fn remind_once(
    conn: &mut DbConn,
    kind: RecordKind,
    record_id: i64,
    reminder: &str,
    day: NaiveDate,
) -> QueryResult<bool> {
    let n = diesel::sql_query(
        "INSERT INTO notification_reminders (record_kind, record_id, reminder, day) \
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    )
    .bind::<diesel::sql_types::Text, _>(kind.as_str())
    .bind::<diesel::sql_types::BigInt, _>(record_id)
    .bind::<diesel::sql_types::Text, _>(reminder)
    .bind::<diesel::sql_types::Date, _>(day)
    .execute(conn)?;
    Ok(n == 1)
}

/// Forgets the marks of days before `day`: only today's are ever asked for.
pub fn forget_reminders_before(conn: &mut DbConn, day: NaiveDate) -> QueryResult<usize> {
    diesel::delete(notification_reminders::table.filter(notification_reminders::day.lt(day)))
        .execute(conn)
}
