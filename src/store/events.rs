//! Appending to and verifying the audit trail's hash chains.

use diesel::prelude::*;

use super::Actor;
use super::models::Event;
use crate::db::DbConn;
use crate::db::schema::{events, users};
use crate::domain::audit::{self, ChainFault, EventBody, RecordKind, StoredEvent};
use crate::domain::time;

/// What happened to which record; the chain and hashes are added on append.
pub struct NewEvent<'a> {
    pub school_id: Option<i64>,
    pub record_kind: RecordKind,
    pub record_id: Option<i64>,
    pub action: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
    pub comment: Option<&'a str>,
    /// Changed fields as JSON; never pupils' names or secrets.
    pub changes: Option<String>,
    /// When it happened; now unless given (the demo county writes its past).
    pub at: Option<chrono::NaiveDateTime>,
}

impl<'a> NewEvent<'a> {
    pub fn new(record_kind: RecordKind, record_id: Option<i64>, action: &'a str) -> NewEvent<'a> {
        NewEvent {
            school_id: None,
            record_kind,
            record_id,
            action,
            from_state: None,
            to_state: None,
            comment: None,
            changes: None,
            at: None,
        }
    }

    pub fn at(mut self, at: chrono::NaiveDateTime) -> Self {
        self.at = Some(time::truncate(at));
        self
    }

    pub fn school(mut self, school_id: Option<i64>) -> Self {
        self.school_id = school_id;
        self
    }

    pub fn changes(mut self, changes: serde_json::Value) -> Self {
        self.changes = Some(changes.to_string());
        self
    }

    /// A step of a workflow: the state it left and the one it reached.
    pub fn moves(mut self, from: Option<&'a str>, to: Option<&'a str>) -> Self {
        self.from_state = from;
        self.to_state = to;
        self
    }

    pub fn comment(mut self, comment: Option<&'a str>) -> Self {
        self.comment = comment;
        self
    }
}

/// Appends one event. Call it inside the write transaction of the change it records.
pub fn append(conn: &mut DbConn, actor: &Actor, e: NewEvent<'_>) -> QueryResult<()> {
    let chain = audit::chain_for(e.school_id);
    if let DbConn::Pg(pg) = conn {
        // SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL needs a lock per
        // chain so two appends never read the same previous hash.
        diesel::sql_query("SELECT pg_advisory_xact_lock(hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(&chain)
            .execute(pg)?;
    }
    let prev_hash: String = events::table
        .filter(events::chain.eq(&chain))
        .order(events::id.desc())
        .select(events::hash)
        .first(conn)
        .optional()?
        .unwrap_or_default();
    let body = EventBody {
        chain: chain.clone(),
        at: e.at.unwrap_or_else(time::now),
        actor_id: actor.id,
        actor: actor.name.clone(),
        school_id: e.school_id,
        record_kind: e.record_kind.as_str().to_string(),
        record_id: e.record_id,
        action: e.action.to_string(),
        from_state: e.from_state.map(str::to_string),
        to_state: e.to_state.map(str::to_string),
        comment: e.comment.map(str::to_string),
        changes: e.changes,
    };
    let hash = audit::event_hash(&prev_hash, &body);
    diesel::insert_into(events::table)
        .values((
            events::chain.eq(&body.chain),
            events::prev_hash.eq(&prev_hash),
            events::hash.eq(&hash),
            events::at.eq(body.at),
            events::actor_id.eq(body.actor_id),
            events::actor.eq(&body.actor),
            events::school_id.eq(body.school_id),
            events::record_kind.eq(&body.record_kind),
            events::record_id.eq(body.record_id),
            events::action.eq(&body.action),
            events::from_state.eq(&body.from_state),
            events::to_state.eq(&body.to_state),
            events::comment.eq(&body.comment),
            events::changes.eq(&body.changes),
        ))
        .execute(conn)?;
    Ok(())
}

/// The outcome of `audit verify`.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    Intact { events: usize, chains: usize },
    Fault(ChainFault),
}

/// Walks every chain in id order, a chunk at a time so memory stays flat.
pub fn verify(conn: &mut DbConn) -> QueryResult<Verdict> {
    let chains: Vec<String> = events::table
        .select(events::chain)
        .distinct()
        .order(events::chain)
        .load(conn)?;
    let mut total = 0;
    for chain in &chains {
        let mut prev = String::new();
        let mut after = 0i64;
        loop {
            let rows: Vec<Event> = events::table
                .filter(events::chain.eq(chain))
                .filter(events::id.gt(after))
                .order(events::id)
                .limit(5_000)
                .select(Event::as_select())
                .load(conn)?;
            let Some(last) = rows.last() else { break };
            after = last.id;
            let stored: Vec<StoredEvent> = rows.into_iter().map(stored).collect();
            match audit::verify_chain(&prev, &stored) {
                Ok(n) => total += n,
                Err(f) => return Ok(Verdict::Fault(f)),
            }
            prev = stored.last().map(|e| e.hash.clone()).unwrap_or_default();
        }
    }
    Ok(Verdict::Intact {
        events: total,
        chains: chains.len(),
    })
}

fn stored(e: Event) -> StoredEvent {
    StoredEvent {
        id: e.id,
        prev_hash: e.prev_hash,
        hash: e.hash,
        body: EventBody {
            chain: e.chain,
            at: e.at,
            actor_id: e.actor_id,
            actor: e.actor,
            school_id: e.school_id,
            record_kind: e.record_kind,
            record_id: e.record_id,
            action: e.action,
            from_state: e.from_state,
            to_state: e.to_state,
            comment: e.comment,
            changes: e.changes,
        },
    }
}

/// One step of a record's timeline, with the display name of whoever took it (the trail keeps
/// the login name; pages show people by name).
pub struct Entry {
    pub event: Event,
    pub display_name: Option<String>,
}

/// A record's timeline, oldest first.
pub fn timeline(conn: &mut DbConn, kind: RecordKind, id: i64) -> QueryResult<Vec<Entry>> {
    let rows: Vec<Event> = events::table
        .filter(events::record_kind.eq(kind))
        .filter(events::record_id.eq(id))
        .order(events::id)
        .select(Event::as_select())
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().filter_map(|e| e.actor_id).collect();
    let names: std::collections::HashMap<i64, String> = users::table
        .filter(users::id.eq_any(ids))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(|event| Entry {
            display_name: event.actor_id.and_then(|id| names.get(&id).cloned()),
            event,
        })
        .collect())
}
