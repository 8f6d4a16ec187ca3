//! POST /schools/{id}/active: the admin deactivates (or reactivates) a school. Its records
//! stay; it leaves lists and cannot be chosen for new users.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::domain::access::{Action, Target};
use crate::error::AppError;
use crate::store::schools;
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
    let id = id.into_inner();
    state.db(move |conn| Ok(schools::get(conn, id)?)).await?;
    require(&authed, Action::ManageSchools, Target::School(id))?;
    let active = match form.active.as_str() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::Invalid("error.invalid")),
    };
    let actor = authed.event_actor();
    state
        .db(move |conn| Ok(schools::set_active(conn, &actor, id, active)?))
        .await?;
    let key = if active {
        "schools.flash.activated"
    } else {
        "schools.flash.deactivated"
    };
    Ok(flash_redirect(&format!("/schools/{id}"), key))
}
