//! One error type for the web layer. Each variant knows its status; the page itself is drawn
//! by the layout middleware (`web::guard`), which knows the user's language and menu.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};

use crate::db::storage;
use crate::domain::access::Refusal;
use crate::domain::audit::RecordKind;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("login required")]
    LoginRequired,
    #[error("password change required")]
    MustChangePassword,
    #[error("forbidden")]
    Forbidden,
    #[error("csrf check failed")]
    Csrf,
    #[error("not found")]
    NotFound,
    /// The action is not possible now; the key explains it to the user.
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The record is in (or moved to) a state that does not allow the action: its kind and the
    /// catalog key of that state.
    #[error("conflict: the {kind} is {state}")]
    StateConflict {
        kind: RecordKind,
        state: &'static str,
    },
    /// Input that cannot be shown back in a form (a malformed query, say).
    #[error("invalid input: {0}")]
    Invalid(&'static str),
    /// The disk (or the database's quota) is full: nothing was saved, and retrying later helps.
    #[error("storage full: {0}")]
    StorageFull(String),
    /// A body larger than the route takes, refused before it is read (or as soon as it passes).
    #[error("request body too large")]
    TooLarge,
    /// The client did not send its body in time.
    #[error("request body timed out")]
    BodyTimeout,
    /// This user already has uploads waiting for the decoder.
    #[error("busy")]
    Busy,
    #[error("internal error: {0}")]
    Internal(String),
}

/// Put on error responses so the layout middleware can draw the page.
#[derive(Clone, Debug)]
pub struct ErrorPage {
    pub status: StatusCode,
    /// i18n key of the explanation.
    pub message: &'static str,
    /// i18n keys of the words to put into the explanation's `{}`s, in order.
    pub args: Vec<&'static str>,
}

impl AppError {
    /// A failure of ours, logged with its cause; a full disk is told apart (507, not 500).
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        let cause = cause.to_string();
        if storage::is_full_message(&cause) {
            AppError::StorageFull(cause)
        } else {
            AppError::Internal(cause)
        }
    }

    /// An I/O failure of the server (writing an upload, say).
    pub fn io(what: &str, e: &std::io::Error) -> AppError {
        if storage::is_full_io(e) {
            AppError::StorageFull(format!("{what}: {e}"))
        } else {
            AppError::Internal(format!("{what}: {e}"))
        }
    }

    fn message(&self) -> &'static str {
        match self {
            AppError::Forbidden => "error.forbidden",
            AppError::Csrf => "error.csrf",
            AppError::NotFound => "error.not_found",
            AppError::Conflict(key) | AppError::Invalid(key) => key,
            AppError::StateConflict { .. } => "error.state_conflict",
            AppError::StorageFull(_) => "error.storage_full",
            AppError::TooLarge => "error.file_too_big",
            AppError::BodyTimeout => "error.body_timeout",
            AppError::Busy => "error.busy",
            _ => "error.internal",
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::LoginRequired | AppError::MustChangePassword => StatusCode::SEE_OTHER,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Conflict(_) | AppError::StateConflict { .. } => StatusCode::CONFLICT,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::StorageFull(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            AppError::Busy => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            AppError::LoginRequired => redirect("/login"),
            AppError::MustChangePassword => redirect("/account/password"),
            other => {
                match other {
                    AppError::Internal(cause) => tracing::error!(%cause, "request failed"),
                    AppError::StorageFull(cause) => {
                        tracing::error!(%cause, "storage full: the request saved nothing")
                    }
                    _ => {}
                }
                let mut res = HttpResponse::build(self.status_code()).finish();
                let args = match other {
                    AppError::StateConflict { kind, state } => vec![kind.label(), *state],
                    _ => Vec::new(),
                };
                res.extensions_mut().insert(ErrorPage {
                    status: self.status_code(),
                    message: other.message(),
                    args,
                });
                res
            }
        }
    }
}

pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to))
        .finish()
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> AppError {
        match r {
            Refusal::NotFound => AppError::NotFound,
            Refusal::Forbidden => AppError::Forbidden,
            Refusal::Conflict => AppError::Conflict("error.conflict"),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Db(e) => AppError::internal(e),
            StoreError::Defect(e) => AppError::internal(e),
            // Handlers show field errors in their forms; reaching here means one did not.
            StoreError::Invalid(_) | StoreError::ImportRefused(_) => {
                AppError::Invalid("error.invalid")
            }
            StoreError::Refused(r) => r.into(),
            StoreError::StateConflict { kind, state } => AppError::StateConflict { kind, state },
        }
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> AppError {
        AppError::internal(e)
    }
}

impl From<r2d2::Error> for AppError {
    fn from(e: r2d2::Error) -> AppError {
        AppError::internal(format!("database pool: {e}"))
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> AppError {
        AppError::internal(format!("template: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> AppError {
        AppError::internal(format!("blocking pool: {e}"))
    }
}
