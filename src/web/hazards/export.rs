//! GET /hazards.csv and /hazards.xlsx: the filtered ledger in the column order of a county
//! hazard ledger (隐患台账), the reference number first.

use actix_web::{HttpResponse, web};

use super::{LedgerQuery, filter, require_view};
use crate::domain::hazards::rules;
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::store::hazards::{HazardRow, ledger};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::state::State as AppStateData;

/// Column headings' catalog keys and widths (in characters) for the spreadsheet.
pub const COLUMNS: [(&str, f64); 21] = [
    ("hazards.col.ref_no", 14.0),
    ("hazards.col.school", 22.0),
    ("hazards.col.source", 10.0),
    ("hazards.col.category", 12.0),
    ("hazards.col.title", 28.0),
    ("hazards.col.location", 18.0),
    ("hazards.col.description", 40.0),
    ("hazards.col.level", 8.0),
    ("hazards.col.how_found", 10.0),
    ("hazards.col.found_on", 12.0),
    ("hazards.col.found_by", 10.0),
    ("hazards.col.deadline", 12.0),
    ("hazards.col.responsible_unit", 16.0),
    ("hazards.col.responsible_person", 10.0),
    ("hazards.col.measures", 40.0),
    ("hazards.col.interim_controls", 30.0),
    ("hazards.col.funding", 12.0),
    ("hazards.col.supervised", 10.0),
    ("hazards.col.state", 10.0),
    ("hazards.col.overdue", 8.0),
    ("hazards.col.accepted_on", 12.0),
];

fn cells(r: &HazardRow, cat: &Catalog, today: chrono::NaiveDate) -> Vec<String> {
    let h = &r.hazard;
    let t = |key: &str| cat.get(key).to_string();
    let yes_no = |b: bool| t(if b { "value.yes" } else { "value.no" });
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        h.ref_no.clone(),
        r.school_name.clone(),
        t(h.source.label()),
        t(h.category.label()),
        h.title.clone(),
        h.location.clone(),
        h.description.clone(),
        t(h.level.label()),
        t(h.how_found.label()),
        h.found_on.to_string(),
        h.found_by.clone(),
        h.deadline.map(|d| d.to_string()).unwrap_or_default(),
        o(&h.responsible_unit),
        o(&h.responsible_person),
        o(&h.measures),
        o(&h.interim_controls),
        o(&h.funding),
        yes_no(h.supervised),
        t(h.state.label()),
        yes_no(rules::is_overdue(h.state, h.deadline, today)),
        h.accepted_at
            .map(|a| crate::domain::time::local_date(a).to_string())
            .unwrap_or_default(),
    ]
}

/// The hazards the user asked for, in the ledger's order, ready to export (the rows are read
/// a batch at a time as the file streams).
async fn export(
    state: &AppStateData,
    authed: &Authed,
    q: &LedgerQuery,
) -> Result<download::ListExport<HazardRow>, AppError> {
    require_view(authed)?;
    let f = filter(state, authed, q, state.today()).await?;
    let ids = state.db(move |conn| Ok(ledger::ids(conn, &f)?)).await?;
    Ok(download::ListExport {
        stem: "hazards",
        columns: &COLUMNS,
        sheet: "hazards.sheet_name",
        ids,
        rows: ledger::rows_of,
    })
}

pub async fn csv(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    let (cat, today) = (ctx.lang.catalog(), state.today());
    let e = export(&state, &authed, &q).await?;
    e.csv(&state, cat, move |r| cells(r, cat, today)).await
}

pub async fn xlsx(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    let (cat, today) = (ctx.lang.catalog(), state.today());
    let e = export(&state, &authed, &q).await?;
    e.xlsx(&state, cat, move |r| cells(r, cat, today)).await
}
