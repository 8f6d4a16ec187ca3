//! Queries per module, and the parts every module shares: the audit trail (`events`), files of
//! records (`attachments`), refused forms kept for their session (`drafts`), notifications,
//! settings. Every write runs in one `db::write_tx` together with the audit events it appends
//! (and the notifications it sends), so a record and its history never disagree; the web calls
//! these functions and never opens a transaction.

pub mod account;
pub mod attachments;
pub mod buildings;
pub mod bullying;
pub mod campaigns;
pub mod column;
pub mod drafts;
pub mod education;
pub mod events;
pub mod files;
pub mod hazards;
pub mod health;
pub mod import;
pub mod legal_vps;
pub mod models;
pub mod notifications;
pub mod pick;
pub mod reports;
pub mod schools;
pub mod search;
pub mod security;
pub mod sessions;
pub mod settings;
pub mod throttle;
pub mod townships;
pub mod users;

use chrono::NaiveDateTime;

use crate::domain::access::{self, Refusal};
use crate::domain::audit::RecordKind;
use crate::domain::enums::StrEnum;
use crate::domain::validate::FieldError;

/// Free space and full-disk errors, for the web's readiness answer.
pub use crate::db::storage;
/// The connection every query takes and the pool it comes from: the web reaches the database
/// only through the store.
pub use crate::db::{DbConn as Conn, Pool};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] diesel::result::Error),
    #[error("not found")]
    NotFound,
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// Rows of an import, each with its errors; nothing was written.
    #[error("the import was refused")]
    ImportRefused(Vec<import::RowError>),
    /// The rules refuse the action: out of scope, not this role, or not now.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The record changed meanwhile or is in a state that does not allow this: its kind, and
    /// the catalog key of the state it is in now.
    #[error("the {kind} is now {state}")]
    StateConflict {
        kind: RecordKind,
        state: &'static str,
    },
    /// Something that cannot happen did: a defect, logged with its cause.
    #[error("{0}")]
    Defect(String),
}

impl StoreError {
    /// A record of `kind` is in `state`, which does not allow what was asked.
    pub fn state_conflict(kind: RecordKind, state: impl StrEnum) -> StoreError {
        StoreError::StateConflict {
            kind,
            state: state.label(),
        }
    }

    /// A policy's refusal of a record of `kind` now in `state`: a state conflict names it.
    pub fn refused(r: Refusal, kind: RecordKind, state: impl StrEnum) -> StoreError {
        match r {
            Refusal::Conflict => StoreError::state_conflict(kind, state),
            other => StoreError::Refused(other),
        }
    }

    /// One field's error.
    pub fn invalid(field: &'static str, message: &'static str) -> StoreError {
        StoreError::Invalid(FieldError::only(field, message))
    }
}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> StoreError {
        StoreError::Refused(r)
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A read's plain database answer, as the store's list readers give it (and the web's exports
/// take them by).
pub type QueryResult<T> = diesel::QueryResult<T>;

/// A unique index refused the row: two writers raced for the same code or name.
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Who did it, as the audit trail names them.
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: Option<i64>,
    pub name: String,
}

impl Actor {
    /// Changes made from the command line, not by a signed-in user.
    pub fn cli() -> Actor {
        Actor {
            id: None,
            name: "cli".into(),
        }
    }
}

/// Who acts and when: the name the trail records, the actor the rules judge, and the acting
/// time (now, except where the demo writes the past).
#[derive(Clone, Debug)]
pub struct By {
    pub actor: Actor,
    pub who: access::Actor,
    pub at: NaiveDateTime,
}
