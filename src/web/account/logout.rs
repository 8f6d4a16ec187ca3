//! POST /logout: the session row is deleted, so the old cookie works nowhere.

use actix_web::HttpResponse;

use super::clear_session_cookie;
use crate::db::write_tx;
use crate::error::{AppError, redirect};
use crate::store::events::{self, NewEvent};
use crate::store::sessions;
use crate::web::ctx::Authed;
use crate::web::state::State;

pub async fn submit(state: State, authed: Authed) -> Result<HttpResponse, AppError> {
    let session_id = authed.session.id;
    let actor = authed.event_actor();
    let (user_id, school_id) = (authed.user.id, authed.user.school_id);
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                sessions::delete(conn, session_id)?;
                events::append(
                    conn,
                    &actor,
                    NewEvent::new("user", Some(user_id), "logout").school(school_id),
                )
            })
            .map_err(AppError::from)
        })
        .await?;
    let mut res = redirect("/login");
    clear_session_cookie(&mut res, state.config.tls);
    Ok(res)
}
