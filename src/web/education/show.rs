//! GET /education/{id}: one session with its photos and its trail.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::domain::education::{KIND, rules};
use crate::error::AppError;
use crate::store::education as store;
use crate::store::models::Attachment;
use crate::store::{attachments, events};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State;
use crate::web::timeline::{self, Entry};

#[derive(Template)]
#[template(path = "education/show.html")]
struct ShowPage {
    page: Page,
    row: store::Row,
    photos: Vec<Attachment>,
    timeline: Vec<Entry>,
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    rules::may_list(&who)?;
    let id = id.into_inner();
    let (row, photos, entries) = state
        .db(move |conn| {
            let row = store::get(conn, id)?;
            rules::may_view(&who, row.session.school_id)?;
            Ok((
                row,
                attachments::list(conn, KIND, id)?,
                events::timeline(conn, KIND, id)?,
            ))
        })
        .await?;
    render(&ShowPage {
        page: Page::new(&ctx, "education.title"),
        row,
        photos,
        timeline: timeline::entries(KIND, &entries),
    })
}
