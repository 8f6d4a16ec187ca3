//! GET /campaigns/{id}/completion.csv: the campaign's completion as its page shows it, every
//! school the user sees on one sheet — a column per item with the day it was done (or that it
//! was returned), and the count done. Notes and comments stay on the page.

use actix_web::{HttpResponse, web};

use super::grid::load;
use crate::domain::campaigns::MarkState;
use crate::error::AppError;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::state::State;

pub async fn csv(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let g = load(&state, &authed, id).await?;
    let cat = ctx.lang.catalog();
    let mut header = vec![
        cat.get("field.code").to_string(),
        cat.get("field.school").to_string(),
    ];
    header.extend(g.items.iter().map(|i| i.title.clone()));
    header.push(cat.get("campaigns.col.done").to_string());
    let items = g.items.len();
    let rows = g.lines.into_iter().map(|l| {
        let mut row = vec![l.code, l.name];
        row.extend(l.cells.into_iter().map(|c| match c.state {
            Some(MarkState::Done) => c.done_on,
            Some(MarkState::Returned) => cat.get("campaigns.state.returned").to_string(),
            None => String::new(),
        }));
        row.push(format!("{} / {items}", l.done));
        row
    });
    let bytes = download::csv_bytes(&header, rows)?;
    Ok(download::csv(
        &format!("campaign-{id}-{}.csv", state.today()),
        bytes,
    ))
}
