//! Queries per aggregate. Every multi-step write runs in one `db::write_tx` together with the
//! audit events it appends, so a record and its history never disagree.

pub mod events;
pub mod files;
pub mod hazards;
pub mod import;
pub mod models;
pub mod reports;
pub mod schools;
pub mod sessions;
pub mod settings;
pub mod snapshots;
pub mod submissions;
pub mod throttle;
pub mod townships;
pub mod users;

use crate::domain::validate::FieldError;

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
    /// The rules refuse the action: out of scope, not this role, or not in this state.
    #[error("refused: {0:?}")]
    Refused(crate::domain::hazard::Refusal),
    /// The record changed meanwhile or is in a state that does not allow this; here is its state now.
    #[error("the record is now {0}")]
    StateConflict(&'static str),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A unique index refused the row: two writers raced for the same code or name.
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Who did it, for the audit trail.
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
