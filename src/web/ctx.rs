//! What a page knows about its request: the language, the signed-in user, the CSRF token and
//! a flash message. The guard middleware fills it; handlers extract it.
//!
//! `Authed::actor` is the one place that turns a session into the actor every policy judges:
//! nothing else in the web layer looks at a user's role.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::domain::access::Actor;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::store::models::{Session, User};
use crate::store::{Actor as EventActor, By};

/// The signed-in user and their session.
#[derive(Clone, Debug)]
pub struct Authed {
    pub user: User,
    pub session: Session,
    pub school_name: Option<String>,
    /// Unread notifications, for the header of every page.
    pub unread: i64,
}

impl Authed {
    /// Who acts, as the policies see them: from the session's user, never from a form.
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.user.id,
            role: self.user.role,
            school_id: self.user.school_id,
        }
    }

    /// The user as the audit trail names them.
    pub fn event_actor(&self) -> EventActor {
        self.user.event_actor()
    }

    /// The user acting at `at`, for the store's writes.
    pub fn by(&self, at: chrono::NaiveDateTime) -> By {
        By {
            actor: self.event_actor(),
            who: self.actor(),
            at,
        }
    }

    /// The catalog key of the user's role, for the header.
    pub fn role_label(&self) -> &'static str {
        self.user.role.label()
    }
}

#[derive(Clone, Debug)]
pub struct Flash {
    pub key: String,
    pub arg: Option<String>,
}

/// Per-request context set by the guard.
#[derive(Clone, Debug)]
pub struct RequestCtx {
    pub lang: Lang,
    pub authed: Option<Authed>,
    pub csrf: String,
    pub flash: Option<Flash>,
    pub path: String,
    /// The query string, for links that keep it (the language switch).
    pub query: String,
    pub ip: String,
    /// This request's id in the logs, shown on error pages so a report can name it.
    pub request_id: String,
}

impl FromRequest for RequestCtx {
    type Error = AppError;
    type Future = Ready<Result<RequestCtx, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<RequestCtx>()
                .cloned()
                .ok_or_else(|| AppError::internal("request context missing: guard not installed")),
        )
    }
}

impl FromRequest for Authed {
    type Error = AppError;
    type Future = Ready<Result<Authed, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.extensions()
                .get::<RequestCtx>()
                .and_then(|c| c.authed.clone())
                .ok_or(AppError::LoginRequired),
        )
    }
}
