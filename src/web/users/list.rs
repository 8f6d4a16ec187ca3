//! GET /users: every account, for the admin.

use actix_web::HttpResponse;
use askama::Template;

use crate::domain::access::{Action, Target};
use crate::error::AppError;
use crate::store::users::{self, UserRow};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Template)]
#[template(path = "users/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<UserRow>,
    me: i64,
}

pub async fn show(state: State, ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let rows = state.db(|conn| Ok(users::list(conn)?)).await?;
    render(&ListPage {
        page: Page::new(&ctx, "users.title"),
        rows,
        me: authed.user.id,
    })
}
