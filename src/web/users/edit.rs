//! GET /users/{id}/edit and POST /users/{id}: name, role and school. The username stays.

use actix_web::{HttpResponse, web};

use super::form_page;
use crate::domain::access::{Action, Target};
use crate::domain::user;
use crate::domain::user::UserDraft;
use crate::error::AppError;
use crate::store::{StoreError, users};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::guard::flash_redirect;
use crate::web::page::FormErrors;
use crate::web::state::State;

pub async fn form(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let id = id.into_inner();
    let row = state.db(move |conn| Ok(users::get(conn, id)?)).await?;
    let f = UserDraft {
        username: row.user.username,
        display_name: row.user.display_name,
        role: row.user.role.as_str().to_string(),
        school: row.school_code.unwrap_or_default(),
    };
    form_page(
        &state,
        &ctx,
        format!("/users/{id}"),
        f,
        FormErrors::default(),
        false,
    )
    .await
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    form: web::Form<UserDraft>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let id = id.into_inner();
    let current = state.db(move |conn| Ok(users::get(conn, id)?)).await?;
    let mut f = form.into_inner();
    // The username is fixed; the form shows it read-only.
    f.username = current.user.username;
    let action = format!("/users/{id}");
    let input = match user::validate(&f) {
        Ok(i) => i,
        Err(fields) => {
            return form_page(
                &state,
                &ctx,
                action,
                f,
                FormErrors::from_fields(&fields),
                false,
            )
            .await;
        }
    };
    if id == authed.user.id && input.role != authed.actor().role {
        let fields = crate::domain::validate::FieldError::only("role", "users.error.own_role");
        return form_page(
            &state,
            &ctx,
            action,
            f,
            FormErrors::from_fields(&fields),
            false,
        )
        .await;
    }
    let actor = authed.event_actor();
    match state
        .db(move |conn| Ok(users::update(conn, &actor, id, &input)))
        .await?
    {
        Ok(()) => Ok(flash_redirect("/users", "users.flash.saved")),
        Err(StoreError::Invalid(fields)) => {
            form_page(
                &state,
                &ctx,
                action,
                f,
                FormErrors::from_fields(&fields),
                false,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
