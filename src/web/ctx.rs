//! What a page knows about its request: the language, the signed-in user, the CSRF token and
//! a flash message. The guard middleware fills it; handlers extract it.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest};

use crate::domain::access::Actor;
use crate::domain::role::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::store::Actor as EventActor;
use crate::store::models::{Session, User};

/// The signed-in user and their session.
#[derive(Clone, Debug)]
pub struct Authed {
    pub user: User,
    pub session: Session,
    pub school_name: Option<String>,
}

impl Authed {
    pub fn actor(&self) -> Actor {
        self.user.actor()
    }

    pub fn role(&self) -> Role {
        self.user.role()
    }

    /// The user as the audit trail names them.
    pub fn event_actor(&self) -> EventActor {
        EventActor {
            id: Some(self.user.id),
            name: self.user.username.clone(),
        }
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
    pub ip: String,
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
