//! GET /buildings.csv and /buildings.xlsx: the filtered register in the column order of a
//! school building register (校舍台账), streamed.

use actix_web::{HttpResponse, web};

use super::{ListQuery, area_text, filter, require_view};
use crate::domain::buildings::{appraisal_overdue, rules};
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::store::buildings::{BuildingRow, list};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::state::State as AppStateData;

/// Column headings' catalog keys and widths (in characters) for the spreadsheet.
pub const COLUMNS: [(&str, f64); 17] = [
    ("buildings.col.reference", 10.0),
    ("buildings.col.school", 22.0),
    ("buildings.col.township", 12.0),
    ("buildings.col.name", 20.0),
    ("buildings.col.use", 10.0),
    ("buildings.col.structure", 10.0),
    ("buildings.col.floors", 6.0),
    ("buildings.col.floor_area", 10.0),
    ("buildings.col.year_built", 8.0),
    ("buildings.col.grade", 8.0),
    ("buildings.col.status", 10.0),
    ("buildings.col.appraised_on", 12.0),
    ("buildings.col.appraisal_due", 12.0),
    ("buildings.col.appraisal_overdue", 8.0),
    ("buildings.col.method", 8.0),
    ("buildings.col.deadline", 12.0),
    ("buildings.col.disposal_overdue", 8.0),
];

fn cells(r: &BuildingRow, cat: &Catalog, today: chrono::NaiveDate) -> Vec<String> {
    let b = &r.building;
    let t = |key: &str| cat.get(key).to_string();
    let yes_no = |v: bool| t(if v { "value.yes" } else { "value.no" });
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![
        b.reference(),
        r.school_name.clone(),
        r.township.clone().unwrap_or_default(),
        b.name.clone(),
        t(b.usage.label()),
        t(b.structure.label()),
        b.floors.to_string(),
        area_text(b.floor_area),
        b.year_built.to_string(),
        b.grade.map(|g| g.as_str().to_string()).unwrap_or_default(),
        t(b.status.label()),
        day(b.appraised_on),
        day(b.appraisal_due),
        yes_no(appraisal_overdue(b.status, b.appraisal_due, today)),
        b.disposal_method.map(|m| t(m.label())).unwrap_or_default(),
        day(b.disposal_deadline),
        yes_no(rules::disposal_overdue(
            b.status,
            b.disposal_deadline,
            today,
        )),
    ]
}

/// The buildings the user asked for, in the register's order, ready to export.
async fn export(
    state: &AppStateData,
    authed: &Authed,
    q: &ListQuery,
) -> Result<download::ListExport<BuildingRow>, AppError> {
    require_view(authed)?;
    let f = filter(state, authed, q, state.today()).await?;
    let ids = state.db(move |conn| Ok(list::ids(conn, &f)?)).await?;
    Ok(download::ListExport {
        stem: "buildings",
        columns: &COLUMNS,
        sheet: "buildings.sheet_name",
        ids,
        rows: list::rows_of,
    })
}

pub async fn csv(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (cat, today) = (ctx.lang.catalog(), state.today());
    let e = export(&state, &authed, &q).await?;
    e.csv(&state, cat, move |r| cells(r, cat, today)).await
}

pub async fn xlsx(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (cat, today) = (ctx.lang.catalog(), state.today());
    let e = export(&state, &authed, &q).await?;
    e.xlsx(&state, cat, move |r| cells(r, cat, today)).await
}
