//! POST /notifications/read: one notification (`id`) or, without one, all of the user's are
//! marked read; then back to the list, or with `open=1` on to the record it is about.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use crate::error::{AppError, redirect};
use crate::store::notifications;
use crate::web::ctx::Authed;
use crate::web::guard::flash_redirect;
use crate::web::state::State;

pub const FLASH_ALL_READ: &str = "notifications.flash.all_read";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReadForm {
    id: Option<String>,
    /// "1": go on to the record once it is marked.
    open: Option<String>,
}

pub async fn submit(
    state: State,
    authed: Authed,
    form: web::Form<ReadForm>,
) -> Result<HttpResponse, AppError> {
    let (user_id, at) = (authed.user.id, state.now());
    let id = match form.id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<i64>().map_err(|_| AppError::NotFound)?),
    };
    let Some(id) = id else {
        state
            .db(move |conn| Ok(notifications::mark_all_read(conn, user_id, at)?))
            .await?;
        return Ok(flash_redirect("/notifications", FLASH_ALL_READ));
    };
    let url = state
        .db(move |conn| Ok(notifications::mark_read(conn, user_id, id, at)?))
        .await?;
    // The stored page is this site's own path; anything else stays on the list.
    let local = url.starts_with('/') && !url.starts_with("//") && !url.contains('\\');
    Ok(if form.open.as_deref() == Some("1") && local {
        redirect(&url)
    } else {
        redirect("/notifications")
    })
}
