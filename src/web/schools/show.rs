//! GET /schools/{id}: one school's record and its history.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::access::{Action, Target};
use crate::domain::role::Role;
use crate::domain::time::local_minute;
use crate::error::AppError;
use crate::store::events;
use crate::store::models::Event;
use crate::store::schools::{self, SchoolRow};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Template)]
#[template(path = "schools/show.html")]
struct ShowPage {
    page: Page,
    row: SchoolRow,
    can_manage: bool,
    timeline: Vec<Event>,
}

impl ShowPage {
    fn kind_key(&self) -> String {
        super::kind_key(&self.row.school.kind)
    }

    fn when(&self, e: &Event) -> String {
        local_minute(e.at)
    }

    fn action_key(&self, e: &Event) -> String {
        format!("event.{}", e.action)
    }
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
    let can_manage = authed.role() == Role::Admin;
    let timeline = if can_manage {
        state
            .db(move |conn| Ok(events::for_record(conn, "school", id)?))
            .await?
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
