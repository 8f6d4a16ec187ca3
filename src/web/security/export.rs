//! GET /security.csv and /security.xlsx: the county's compliance table, a row per school.

use actix_web::{HttpResponse, web};

use super::TableQuery;
use super::table::table_rows;
use crate::domain::security::{Item, rules};
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::store::security::table::Row;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::state::State;

/// Column headings' catalog keys and widths (in characters) for the spreadsheet.
pub const COLUMNS: [(&str, f64); 11] = [
    ("security.col.code", 10.0),
    ("security.col.school", 22.0),
    ("security.col.township", 12.0),
    ("security.col.required", 8.0),
    ("security.col.in_post", 8.0),
    ("security.item.guards", 14.0),
    ("security.item.closed", 14.0),
    ("security.item.alarm", 18.0),
    ("security.item.post", 12.0),
    ("security.col.guards_warned", 10.0),
    ("security.col.last_alarm_test", 12.0),
];

fn cells(r: &Row, cat: &Catalog) -> Vec<String> {
    let tick = |i: Item| match r.ticks.get(i) {
        Ok(()) => cat.get("security.met").to_string(),
        Err(g) => cat.get(g.label()).to_string(),
    };
    vec![
        r.school.school.code.clone(),
        r.school.school.name.clone(),
        r.school.township.clone().unwrap_or_default(),
        r.facts.guards_required.to_string(),
        r.facts.guards_in_post.to_string(),
        tick(Item::Guards),
        tick(Item::Closed),
        tick(Item::Alarm),
        tick(Item::Post),
        r.guards_warned.to_string(),
        r.last_alarm_test.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

/// The table's rows for the query; the county roles' alone.
async fn rows(state: &State, authed: &Authed, q: &TableQuery) -> Result<Vec<Row>, AppError> {
    let who = authed.actor();
    rules::may_view(&who, who.home())?;
    if !rules::sees_county_table(&who) {
        return Err(AppError::Forbidden);
    }
    table_rows(state, q).await
}

fn header(cat: &Catalog) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|(k, _)| cat.get(k).to_string())
        .collect()
}

pub async fn csv(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<TableQuery>,
) -> Result<HttpResponse, AppError> {
    let rows = rows(&state, &authed, &q).await?;
    let cat = ctx.lang.catalog();
    let lines: Vec<Vec<String>> = rows.iter().map(|r| cells(r, cat)).collect();
    let bytes = download::csv_bytes(&header(cat), lines)?;
    Ok(download::csv(
        &format!("security-{}.csv", state.today()),
        bytes,
    ))
}

pub async fn xlsx(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<TableQuery>,
) -> Result<HttpResponse, AppError> {
    let rows = rows(&state, &authed, &q).await?;
    let cat = ctx.lang.catalog();
    let sheet = download::Sheet {
        name: cat.get("security.sheet_name").to_string(),
        columns: COLUMNS
            .iter()
            .map(|(k, w)| (cat.get(k).to_string(), *w))
            .collect(),
    };
    let mut batch = Some(rows);
    download::xlsx_rows(
        state.pool.clone(),
        state.config.data_dir.clone(),
        &format!("security-{}.xlsx", state.today()),
        sheet,
        move |_conn| Ok(batch.take().unwrap_or_default()),
        move |r| cells(r, cat),
    )
    .await
}
