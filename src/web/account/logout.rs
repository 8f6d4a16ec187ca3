//! POST /logout: the session row is deleted, so the old cookie works nowhere.

use actix_web::HttpResponse;

use super::clear_session_cookie;
use crate::error::{AppError, redirect};
use crate::store::account;
use crate::web::ctx::Authed;
use crate::web::state::State;

pub async fn submit(state: State, authed: Authed) -> Result<HttpResponse, AppError> {
    let (user, session_id) = (authed.user.clone(), authed.session.id);
    state
        .db(move |conn| Ok(account::logout(conn, &user, session_id)?))
        .await?;
    let mut res = redirect("/login");
    clear_session_cookie(&mut res, state.config.tls);
    Ok(res)
}
