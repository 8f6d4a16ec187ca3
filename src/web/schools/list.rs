//! GET /schools: the registry, by township.

use actix_web::HttpResponse;
use askama::Template;

use crate::domain::access::{Action, Target};
use crate::error::AppError;
use crate::store::schools::{self, SchoolRow};
use crate::web::authz::{may, require};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Template)]
#[template(path = "schools/list.html")]
struct ListPage {
    page: Page,
    rows: Vec<SchoolRow>,
    can_manage: bool,
}

pub async fn show(state: State, ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ListSchools, Target::County)?;
    let can_manage = may(&authed, Action::ManageSchools, Target::County);
    let rows = state
        .db(move |conn| Ok(schools::list(conn, can_manage)?))
        .await?;
    render(&ListPage {
        page: Page::new(&ctx, "schools.title"),
        rows,
        can_manage,
    })
}
