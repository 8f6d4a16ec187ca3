//! Files of any module's records. The files live under the data dir by content hash (`files`);
//! this table says whose they are, of which stage, and who added them. Which record kinds take
//! files, and who may see or add them, each module answers as an [`Owner`]; a new module adds
//! its owner to [`owner`].
//!
//! A file chosen in a form that was then refused is kept *pending*: tied to the session and the
//! form, without a record, until the form succeeds and claims it in its own transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::events::{self, NewEvent};
use super::files::Saved;
use super::models::Attachment;
use super::{By, StoreError, StoreResult};
use crate::db::schema::attachments as at;
use crate::db::{DbConn, write_tx};
use crate::domain::access::{Actor, Decision};
use crate::domain::attachments::{MAX_PER_STAGE, Stage};
use crate::domain::audit::RecordKind;

/// What a module says about the files of its records.
pub trait Owner: Sync {
    fn kind(&self) -> RecordKind;

    /// May this actor see the record's files? Gives the record's name for file names (its
    /// reference number). Another school's record is not found.
    fn view(&self, conn: &mut DbConn, who: &Actor, record_id: i64) -> StoreResult<String>;

    /// May this actor add a file of this stage to the record now? Asked inside the write
    /// transaction; gives the record's school.
    fn attach(
        &self,
        conn: &mut DbConn,
        who: &Actor,
        record_id: i64,
        stage: Stage,
    ) -> StoreResult<Option<i64>>;

    /// The trail's word for adding a file to this kind of record.
    fn event(&self) -> &'static str;
}

/// The owner of each kind of record that takes files.
pub fn owner(kind: RecordKind) -> Option<&'static dyn Owner> {
    match kind {
        RecordKind::Hazard => Some(&super::hazards::photos::HAZARD_PHOTOS),
        RecordKind::Building => Some(&super::buildings::files::BUILDING_FILES),
        RecordKind::Education => Some(&super::education::photos::EDUCATION_PHOTOS),
        RecordKind::CampaignMark => Some(&super::campaigns::files::MARK_FILES),
        RecordKind::User
        | RecordKind::School
        | RecordKind::Setting
        | RecordKind::Report
        | RecordKind::Security
        | RecordKind::LegalVp
        | RecordKind::Campaign
        // A case takes no files: a photo of minors is the last thing it should hold.
        | RecordKind::Bullying => None,
    }
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<Attachment> {
    at::table
        .find(id)
        .select(Attachment::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

/// A record's files, oldest first.
pub fn list(conn: &mut DbConn, kind: RecordKind, record_id: i64) -> QueryResult<Vec<Attachment>> {
    of_records(conn, kind, &[record_id])
}

/// The files of several records in one query (a list page's), oldest first.
pub fn of_records(
    conn: &mut DbConn,
    kind: RecordKind,
    ids: &[i64],
) -> QueryResult<Vec<Attachment>> {
    at::table
        .filter(at::record_kind.eq(kind))
        .filter(at::record_id.eq_any(ids.to_vec()))
        .order(at::id)
        .select(Attachment::as_select())
        .load(conn)
}

/// Whether the actor may see this file: its record's owner decides; a pending file is its
/// uploader's session's alone. Gives the name to serve it under.
pub fn may_view(
    conn: &mut DbConn,
    who: &Actor,
    session_id: i64,
    a: &Attachment,
) -> StoreResult<String> {
    match (a.record_id, owner(a.record_kind)) {
        (Some(record), Some(o)) => o.view(conn, who, record),
        (None, _) if a.pending_session == Some(session_id) => Ok("pending".into()),
        _ => Err(StoreError::NotFound),
    }
}

/// How many files of this stage the record has.
pub fn count(
    conn: &mut DbConn,
    kind: RecordKind,
    record_id: i64,
    stage: Stage,
) -> QueryResult<i64> {
    at::table
        .filter(at::record_kind.eq(kind))
        .filter(at::record_id.eq(record_id))
        .filter(at::stage.eq(stage))
        .count()
        .get_result(conn)
}

/// "At most 12 of a stage": the error a form shows at its file field.
pub fn too_many_error(field: &'static str) -> crate::domain::validate::FieldError {
    crate::domain::validate::FieldError {
        field,
        message: "attachments.error.too_many",
        arg: Some(MAX_PER_STAGE.to_string()),
    }
}

fn too_many() -> StoreError {
    StoreError::Invalid(vec![too_many_error("file")])
}

/// How many more files of this stage the record takes (for a refusal before any file is
/// processed; `add` checks again inside its transaction).
pub fn room(conn: &mut DbConn, kind: RecordKind, record_id: i64, stage: Stage) -> StoreResult<i64> {
    Ok((MAX_PER_STAGE - count(conn, kind, record_id, stage)?).max(0))
}

fn insert(
    conn: &mut DbConn,
    by: &By,
    kind: RecordKind,
    record: Option<(i64, Option<i64>)>,
    pending: Option<(i64, &str)>,
    stage: Stage,
    f: &Saved,
) -> QueryResult<i64> {
    diesel::insert_into(at::table)
        .values((
            at::record_kind.eq(kind),
            at::record_id.eq(record.map(|r| r.0)),
            at::school_id.eq(record.and_then(|r| r.1)),
            at::stage.eq(stage),
            at::sha256.eq(&f.sha256),
            at::content_type.eq(f.content_type),
            at::file_name.eq(&f.file_name),
            at::bytes.eq(f.bytes),
            at::width.eq(f.width),
            at::height.eq(f.height),
            at::uploaded_by.eq(by.who.user_id),
            at::uploaded_at.eq(by.at),
            at::pending_session.eq(pending.map(|p| p.0)),
            at::pending_form.eq(pending.map(|p| p.1)),
        ))
        .execute(conn)?;
    // The row just written: this uploader's file at this instant (ids alone could be another
    // transaction's on PostgreSQL).
    at::table
        .filter(at::uploaded_by.eq(by.who.user_id))
        .filter(at::sha256.eq(&f.sha256))
        .filter(at::uploaded_at.eq(by.at))
        .order(at::id.desc())
        .select(at::id)
        .first(conn)
}

/// The record's event for one of its new files: which file, its stage and hash.
fn record_event(
    conn: &mut DbConn,
    by: &By,
    o: &dyn Owner,
    (record_id, school_id): (i64, Option<i64>),
    (id, stage, sha256): (i64, Stage, &str),
) -> QueryResult<()> {
    let changes = json!({"photo": id, "stage": stage.as_str(), "sha256": sha256});
    events::append(
        conn,
        &by.actor,
        NewEvent::new(o.kind(), Some(record_id), o.event())
            .at(by.at)
            .school(school_id)
            .changes(changes),
    )
}

/// Adds files to a record, each with its event, all or none; the owner's rules and the
/// per-stage limit are checked on the record as it is now. Run alone, or inside the record's
/// own transaction.
pub fn add(
    conn: &mut DbConn,
    by: &By,
    o: &dyn Owner,
    record_id: i64,
    stage: Stage,
    files: &[Saved],
) -> StoreResult<Vec<i64>> {
    write_tx(conn, |conn| {
        let school = o.attach(conn, &by.who, record_id, stage)?;
        let had = count(conn, o.kind(), record_id, stage)?;
        if had + files.len() as i64 > MAX_PER_STAGE {
            return Err(too_many());
        }
        let mut ids = Vec::with_capacity(files.len());
        for f in files {
            let id = insert(
                conn,
                by,
                o.kind(),
                Some((record_id, school)),
                None,
                stage,
                f,
            )?;
            record_event(conn, by, o, (record_id, school), (id, stage, &f.sha256))?;
            ids.push(id);
        }
        Ok(ids)
    })
}

/// Keeps a file chosen in a form that may yet be refused: it belongs to this session and form
/// until the form succeeds.
pub fn keep_pending(
    conn: &mut DbConn,
    by: &By,
    session_id: i64,
    form: &str,
    kind: RecordKind,
    stage: Stage,
    f: &Saved,
) -> StoreResult<i64> {
    write_tx(conn, |conn| {
        Ok(insert(
            conn,
            by,
            kind,
            None,
            Some((session_id, form)),
            stage,
            f,
        )?)
    })
}

/// The files kept for this session's form, oldest first.
pub fn pending(conn: &mut DbConn, session_id: i64, form: &str) -> QueryResult<Vec<Attachment>> {
    at::table
        .filter(at::record_id.is_null())
        .filter(at::pending_session.eq(session_id))
        .filter(at::pending_form.eq(form))
        .order(at::id)
        .select(Attachment::as_select())
        .load(conn)
}

/// Files a form kept for its session and still lists (ids it shows as kept), to be claimed by
/// the record the form makes or changes.
pub struct Kept<'a> {
    pub session_id: i64,
    pub form: &'a str,
    pub ids: &'a [i64],
}

/// Gives the files a form kept, and still lists, to the record it just made or changed. Call
/// inside that write transaction: the owner's rules and limits apply to each, and each gets its
/// event. Files the form no longer lists stay pending until housekeeping forgets them.
pub fn claim(
    conn: &mut DbConn,
    by: &By,
    o: &dyn Owner,
    record_id: i64,
    kept: &Kept<'_>,
) -> StoreResult<usize> {
    write_tx(conn, |conn| {
        let files: Vec<Attachment> = pending(conn, kept.session_id, kept.form)?
            .into_iter()
            .filter(|a| kept.ids.contains(&a.id))
            .collect();
        for a in &files {
            let school = o.attach(conn, &by.who, record_id, a.stage)?;
            if count(conn, o.kind(), record_id, a.stage)? >= MAX_PER_STAGE {
                return Err(too_many());
            }
            diesel::update(at::table.find(a.id))
                .set((
                    at::record_kind.eq(o.kind()),
                    at::record_id.eq(record_id),
                    at::school_id.eq(school),
                    at::pending_session.eq(None::<i64>),
                    at::pending_form.eq(None::<String>),
                ))
                .execute(conn)?;
            record_event(conn, by, o, (record_id, school), (a.id, a.stage, &a.sha256))?;
        }
        Ok(files.len())
    })
}

/// Forgets kept files no form claimed in time (housekeeping). Returns how many, and the content
/// hashes no row refers to any more, whose bytes may go (files are shared by content).
pub fn purge_pending(
    conn: &mut DbConn,
    before: NaiveDateTime,
) -> QueryResult<(usize, Vec<String>)> {
    write_tx(conn, |conn| {
        let stale = at::table
            .filter(at::record_id.is_null())
            .filter(at::uploaded_at.lt(before));
        let shas: Vec<String> = stale.select(at::sha256).distinct().load(conn)?;
        let purged = diesel::delete(stale).execute(conn)?;
        let still: Vec<String> = at::table
            .filter(at::sha256.eq_any(&shas))
            .select(at::sha256)
            .load(conn)?;
        Ok((
            purged,
            shas.into_iter().filter(|s| !still.contains(s)).collect(),
        ))
    })
}

/// The rules' refusal of a file, as the owners answer it.
pub fn decided(
    d: Decision,
    kind: RecordKind,
    state: impl crate::domain::enums::StrEnum,
) -> StoreResult<()> {
    d.map_err(|r| StoreError::refused(r, kind, state))
}
