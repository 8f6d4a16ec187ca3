//! POST /users/{id}/active: disabling a user ends their sessions at once.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::access::{Action, Target};
use crate::error::AppError;
use crate::store::users;
use crate::web::authz::require;
use crate::web::ctx::Authed;
use crate::web::guard::flash_redirect;
use crate::web::state::State;

/// Read whole even when a field is missing: who may act is answered (403/404) before what
/// the form says (422).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ActiveForm {
    active: String,
}

pub async fn submit(
    state: State,
    authed: Authed,
    id: web::Path<i64>,
    form: web::Form<ActiveForm>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let id = id.into_inner();
    // A user that does not exist is 404 whatever the form says.
    state.db(move |conn| Ok(users::get(conn, id)?)).await?;
    let active = match form.active.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::Invalid("error.invalid")),
    };
    if id == authed.user.id && !active {
        return Err(AppError::Conflict("users.error.self_deactivate"));
    }
    let actor = authed.event_actor();
    state
        .db(move |conn| Ok(users::set_active(conn, &actor, id, active)?))
        .await?;
    let key = if active {
        "users.flash.activated"
    } else {
        "users.flash.deactivated"
    };
    Ok(flash_redirect("/users", key))
}
