//! GET/POST /account/password: a user changes their own password. Every other session of
//! theirs ends; this browser gets a fresh one.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::set_session_cookie;
use crate::domain::time;
use crate::domain::user::check_password;
use crate::error::AppError;
use crate::store::{account, throttle as throttle_store};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::guard::with_flash;
use crate::web::page::{Page, render_status};
use crate::web::state::State;

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    page: Page,
    must_change: bool,
    error: Option<&'static str>,
}

pub async fn form(ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    let page = Page::new(&ctx, "account.password.title");
    render_status(
        &PasswordPage {
            page,
            must_change: authed.user.must_change_password,
            error: None,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    confirm_password: String,
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let f = form.into_inner();
    let refuse = |error| {
        let page = Page::new(&ctx, "account.password.title");
        let must_change = authed.user.must_change_password;
        render_status(
            &PasswordPage {
                page,
                must_change,
                error: Some(error),
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let current: String = f
        .current_password
        .chars()
        .take(crate::domain::user::PASSWORD_MAX)
        .collect();
    // Guessing the current password from a session left open counts against the account,
    // like wrong logins do.
    let key = throttle_store::account_key(&authed.user.username);
    let locked = state
        .db(move |conn| Ok(throttle_store::wait(conn, &[&key], time::now())?))
        .await?;
    if locked.is_some() {
        return refuse("account.password.throttled");
    }
    if !state
        .verify_password(current, Some(authed.user.password_hash.clone()))
        .await?
    {
        let username = authed.user.username.clone();
        state
            .db(move |conn| Ok(account::password_failed(conn, &username, time::now())?))
            .await?;
        return refuse("account.password.wrong_current");
    }
    if let Err(e) = check_password(&authed.user.username, &f.new_password) {
        return refuse(e);
    }
    if f.new_password != f.confirm_password {
        return refuse("account.password.mismatch");
    }
    if f.new_password == f.current_password {
        return refuse("account.password.same_as_old");
    }
    let hash = state.hash_password(f.new_password).await?;
    let (user, ip) = (authed.user.clone(), ctx.ip.clone());
    // Old sessions end and this browser's new one begins in one transaction.
    let token = state
        .db(move |conn| {
            Ok(account::change_password(
                conn,
                &user,
                &hash,
                &ip,
                time::now(),
            )?)
        })
        .await?;
    let mut res = with_flash(
        crate::error::redirect("/"),
        "account.password.changed",
        None,
    );
    set_session_cookie(&mut res, token, state.config.tls);
    Ok(res)
}
