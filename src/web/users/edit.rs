//! GET /users/{id}/edit and POST /users/{id}: name, role and school. The username stays. A
//! refused form keeps what was typed.

use actix_web::{HttpRequest, HttpResponse, web};

use super::{form_page, refuse};
use crate::domain::access::{Action, Target};
use crate::domain::user::{self, UserDraft};
use crate::error::AppError;
use crate::store::{StoreError, users};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms::{self, DraftQuery};
use crate::web::guard::flash_redirect;
use crate::web::page::FormErrors;
use crate::web::state::State;

pub fn form_name(id: i64) -> String {
    format!("users/{id}/edit")
}

pub async fn form(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let id = id.into_inner();
    let row = state.db(move |conn| Ok(users::get(conn, id)?)).await?;
    if let Some((f, errors)) = forms::kept(&state, &ctx, q.draft.as_deref(), &form_name(id)).await?
    {
        return form_page(&state, &ctx, Some(id), f, errors).await;
    }
    let f = UserDraft {
        username: row.user.username,
        display_name: row.user.display_name,
        role: row.user.role.as_str().to_string(),
        school: row.school_code.unwrap_or_default(),
    };
    form_page(&state, &ctx, Some(id), f, FormErrors::default()).await
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    form: web::Form<UserDraft>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let id = id.into_inner();
    let current = state.db(move |conn| Ok(users::get(conn, id)?)).await?;
    let mut f = form.into_inner();
    // The username is fixed; the form shows it read-only.
    f.username = current.user.username;
    let input = match user::validate(&f) {
        Ok(i) => i,
        Err(fields) => return refuse(&state, &ctx, &req, Some(id), f, &fields).await,
    };
    if let Err(fields) = user::check_role_change(authed.user.id, id, current.user.role, input.role)
    {
        return refuse(&state, &ctx, &req, Some(id), f, &fields).await;
    }
    let actor = authed.event_actor();
    match state
        .db(move |conn| Ok(users::update(conn, &actor, id, &input)))
        .await?
    {
        Ok(()) => {
            forms::succeeded(&state, &ctx, &form_name(id)).await;
            Ok(flash_redirect("/users", "users.flash.saved"))
        }
        Err(StoreError::Invalid(fields)) => refuse(&state, &ctx, &req, Some(id), f, &fields).await,
        Err(e) => Err(e.into()),
    }
}
