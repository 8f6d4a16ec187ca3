//! GET /users/new and POST /users: the admin creates an account with a temporary password,
//! shown once; the user must change it at first login. A refused form keeps what was typed.

use actix_web::{HttpRequest, HttpResponse, web};

use super::{form_page, issued, refuse};
use crate::auth::token::temporary_password;
use crate::domain::access::{Action, Target};
use crate::domain::role::Role;
use crate::domain::user::{self, UserDraft};
use crate::error::AppError;
use crate::store::{StoreError, users};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms::{self, DraftQuery};
use crate::web::page::FormErrors;
use crate::web::state::State;

pub const FORM: &str = "users/new";

pub async fn form(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let (f, errors) = match forms::kept(&state, &ctx, q.draft.as_deref(), FORM).await? {
        Some(kept) => kept,
        None => (
            UserDraft {
                role: user::ROLES.first().map_or("", |r: &Role| r.as_str()).into(),
                ..Default::default()
            },
            FormErrors::default(),
        ),
    };
    form_page(&state, &ctx, None, f, errors).await
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    form: web::Form<UserDraft>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let f = form.into_inner();
    let input = match user::validate(&f) {
        Ok(i) => i,
        Err(fields) => return refuse(&state, &ctx, &req, None, f, &fields).await,
    };
    let password = temporary_password();
    let hash = state.hash_password(password.clone()).await?;
    let actor = authed.event_actor();
    let username = input.username.clone();
    match state
        .db(move |conn| Ok(users::create(conn, &actor, &input, &hash, true)))
        .await?
    {
        Ok(_) => {
            forms::succeeded(&state, &ctx, FORM).await;
            issued(&ctx, "users.created_title", vec![(username, password)])
        }
        Err(StoreError::Invalid(fields)) => refuse(&state, &ctx, &req, None, f, &fields).await,
        Err(e) => Err(e.into()),
    }
}
