//! GET /schools/{id}: one school's record and its history.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::access::{Action, Target};
use crate::domain::audit::RecordKind;
use crate::error::AppError;
use crate::store::events;
use crate::store::schools::{self, SchoolRow};
use crate::web::authz::{may, require};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State;
use crate::web::timeline::{self, Entry};

#[derive(Template)]
#[template(path = "schools/show.html")]
struct ShowPage {
    page: Page,
    row: SchoolRow,
    can_manage: bool,
    timeline: Vec<Entry>,
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = state.db(move |conn| Ok(schools::get(conn, id)?)).await?;
    require(&authed, Action::ViewSchool, Target::School(id))?;
    let can_manage = may(&authed, Action::ManageSchools, Target::School(id));
    let timeline = if can_manage {
        let stored = state
            .db(move |conn| Ok(events::timeline(conn, RecordKind::School, id)?))
            .await?;
        timeline::entries(RecordKind::School, &stored)
    } else {
        Vec::new()
    };
    render(&ShowPage {
        page: Page::new(&ctx, "schools.show_title"),
        row,
        can_manage,
        timeline,
    })
}
