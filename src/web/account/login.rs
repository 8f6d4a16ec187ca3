//! GET/POST /login: the password check, throttled per account and per IP in the database.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::set_session_cookie;
use crate::domain::throttle;
use crate::domain::time;
use crate::error::{AppError, redirect};
use crate::store::{account, sessions, throttle as throttle_store, users};
use crate::web::ctx::RequestCtx;
use crate::web::page::{Page, render_status};
use crate::web::state::State;

#[derive(Template)]
#[template(path = "account/login.html")]
struct LoginPage {
    page: Page,
    username: String,
    error: Option<String>,
}

pub async fn form(ctx: RequestCtx) -> Result<HttpResponse, AppError> {
    if ctx.authed.is_some() {
        return Ok(redirect("/"));
    }
    let page = Page::new(&ctx, "account.login.title");
    render_status(
        &LoginPage {
            page,
            username: String::new(),
            error: None,
        },
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let LoginForm { username, password } = form.into_inner();
    let username: String = username.trim().to_lowercase().chars().take(64).collect();
    let refuse = |ctx: &RequestCtx, username: String, message: String, status| {
        let page = Page::new(ctx, "account.login.title");
        render_status(
            &LoginPage {
                page,
                username,
                error: Some(message),
            },
            status,
        )
    };
    let now = time::now();
    let (wait, user) = {
        let (a, i, u) = (
            throttle_store::account_key(&username),
            throttle_store::ip_key(&ctx.ip),
            username.clone(),
        );
        state
            .db(move |conn| {
                let wait = throttle_store::wait(conn, &[&a, &i], now)?;
                Ok((wait, users::find_by_username(conn, &u)?))
            })
            .await?
    };
    if let Some(w) = wait {
        let message = ctx.lang.catalog().get("account.login.throttled").replacen(
            "{}",
            &throttle::wait_minutes(w).to_string(),
            1,
        );
        return refuse(&ctx, username, message, StatusCode::TOO_MANY_REQUESTS);
    }
    let active = user.filter(|u| u.active);
    let stored = active.as_ref().map(|u| u.password_hash.clone());
    let password: String = password
        .chars()
        .take(crate::domain::user::PASSWORD_MAX)
        .collect();
    if !state.verify_password(password, stored).await? {
        let (name, ip) = (username.clone(), ctx.ip.clone());
        state
            .db(move |conn| {
                Ok(account::login_failed(
                    conn,
                    &name,
                    &ip,
                    active.as_ref(),
                    now,
                )?)
            })
            .await?;
        let message = ctx.lang.catalog().get("account.login.failed").to_string();
        return refuse(&ctx, username, message, StatusCode::OK);
    }
    let Some(user) = active else {
        return Err(AppError::internal("verified a password without a user"));
    };
    let ip = ctx.ip.clone();
    // A stale session of this browser is replaced, never reused (fixation).
    let token = state
        .db(move |conn| Ok(account::login(conn, &user, &ip, now)?))
        .await?;
    if let Some(old) = ctx.authed {
        let id = old.session.id;
        state
            .db(move |conn| Ok(sessions::delete(conn, id)?))
            .await?;
    }
    let mut res = redirect("/");
    set_session_cookie(&mut res, token, state.config.tls);
    Ok(res)
}
