//! GET /users/new and POST /users: the admin creates an account with a temporary password,
//! shown once; the user must change it at first login.

use actix_web::{HttpResponse, web};

use super::{form_page, issued};
use crate::auth::token::temporary_password;
use crate::domain::access::{Action, Target};
use crate::domain::user;
use crate::domain::user::UserDraft;
use crate::error::AppError;
use crate::store::{StoreError, users};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::FormErrors;
use crate::web::state::State;

pub async fn form(state: State, ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let f = UserDraft {
        role: "staff".into(),
        ..Default::default()
    };
    form_page(
        &state,
        &ctx,
        "/users".into(),
        f,
        FormErrors::default(),
        true,
    )
    .await
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    form: web::Form<UserDraft>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let f = form.into_inner();
    let input = match user::validate(&f) {
        Ok(i) => i,
        Err(fields) => {
            return form_page(
                &state,
                &ctx,
                "/users".into(),
                f,
                FormErrors::from_fields(&fields),
                true,
            )
            .await;
        }
    };
    let password = temporary_password();
    let hash = state.hash_password(password.clone()).await?;
    let actor = authed.event_actor();
    let username = input.username.clone();
    match state
        .db(move |conn| Ok(users::create(conn, &actor, &input, &hash, true)))
        .await?
    {
        Ok(_) => issued(&ctx, "users.created_title", vec![(username, password)]),
        Err(StoreError::Invalid(fields)) => {
            form_page(
                &state,
                &ctx,
                "/users".into(),
                f,
                FormErrors::from_fields(&fields),
                true,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
