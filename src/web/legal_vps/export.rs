//! GET /legal-vps.csv and /legal-vps.xlsx: the register as its filters give it, streamed.

use actix_web::{HttpResponse, web};

use super::list::{ListQuery, filter};
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::store::legal_vps::{self as store, Row};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::state::State;

pub const COLUMNS: [(&str, f64); 6] = [
    ("legal_vps.col.name", 12.0),
    ("legal_vps.col.unit_kind", 10.0),
    ("legal_vps.col.unit_name", 24.0),
    ("legal_vps.col.appointed_on", 12.0),
    ("legal_vps.col.term_ends_on", 12.0),
    ("legal_vps.col.schools", 40.0),
];

fn cells(r: &Row, cat: &Catalog) -> Vec<String> {
    let v = &r.vp;
    vec![
        v.name.clone(),
        cat.get(v.unit_kind.label()).to_string(),
        v.unit_name.clone(),
        v.appointed_on.to_string(),
        v.term_ends_on.map(|d| d.to_string()).unwrap_or_default(),
        r.schools
            .iter()
            .map(|s| s.2.as_str())
            .collect::<Vec<_>>()
            .join(cat.get("list.separator")),
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
        stem: "legal-vps",
        columns: &COLUMNS,
        sheet: "legal_vps.sheet",
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
