//! POST /users/{id}/password: the admin issues a new temporary password; the user's
//! sessions end and they must choose their own at the next login.

use actix_web::{HttpResponse, web};

use super::issued;
use crate::auth::token::temporary_password;
use crate::domain::access::{Action, Target};
use crate::error::AppError;
use crate::store::users;
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::state::State;

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let id = id.into_inner();
    let row = state.db(move |conn| Ok(users::get(conn, id)?)).await?;
    let password = temporary_password();
    let hash = state.hash_password(password.clone()).await?;
    let actor = authed.event_actor();
    state
        .db(move |conn| Ok(users::set_password(conn, &actor, id, &hash, true)?))
        .await?;
    issued(
        &ctx,
        "users.reset_title",
        vec![(row.user.username, password)],
    )
}
