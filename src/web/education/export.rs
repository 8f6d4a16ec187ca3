//! GET /education.csv and /education.xlsx: the register as its filters give it, streamed.

use actix_web::{HttpResponse, web};

use super::list::{ListQuery, filter};
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::store::education::{self as store, Row};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::state::State;

/// No note: it may name people, and an export travels (the record page shows it to those
/// who record for the school).
pub const COLUMNS: [(&str, f64); 5] = [
    ("field.school", 22.0),
    ("education.col.held_on", 12.0),
    ("education.col.kind", 10.0),
    ("education.col.topic", 12.0),
    ("education.col.participants", 8.0),
];

fn cells(r: &Row, cat: &Catalog) -> Vec<String> {
    let s = &r.session;
    vec![
        r.school_name.clone(),
        s.held_on.to_string(),
        cat.get(s.kind.label()).to_string(),
        cat.get(s.topic.label()).to_string(),
        s.participants.to_string(),
    ]
}

async fn export(
    state: &State,
    authed: &Authed,
    q: &ListQuery,
) -> Result<download::ListExport<Row>, AppError> {
    let f = filter(state, authed, q).await?;
    let ids = state.db(move |conn| Ok(store::ids(conn, &f)?)).await?;
    Ok(download::ListExport {
        stem: "education",
        columns: &COLUMNS,
        sheet: "education.sheet",
        ids,
        rows: store::rows_of,
    })
}

pub async fn csv(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let cat = ctx.lang.catalog();
    let e = export(&state, &authed, &q).await?;
    e.csv(&state, cat, move |r| cells(r, cat)).await
}

pub async fn xlsx(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let cat = ctx.lang.catalog();
    let e = export(&state, &authed, &q).await?;
    e.xlsx(&state, cat, move |r| cells(r, cat)).await
}
