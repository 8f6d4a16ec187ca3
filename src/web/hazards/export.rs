//! GET /hazards.csv and /hazards.xlsx: the filtered ledger in the column order of a county
//! hazard ledger (隐患台账), the reference number first.

use actix_web::{HttpResponse, web};
use rust_xlsxwriter::{Format, Workbook};

use super::{LedgerQuery, filter, require_view};
use crate::domain::hazard;
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::store::hazards::{HazardRow, ledger};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::state::State as AppStateData;

/// Column keys and widths (in characters) for the spreadsheet.
const COLUMNS: [(&str, f64); 21] = [
    ("ref_no", 14.0),
    ("school", 22.0),
    ("source", 10.0),
    ("category", 12.0),
    ("title", 28.0),
    ("location", 18.0),
    ("description", 40.0),
    ("level", 8.0),
    ("how_found", 10.0),
    ("found_on", 12.0),
    ("found_by", 10.0),
    ("deadline", 12.0),
    ("responsible_unit", 16.0),
    ("responsible_person", 10.0),
    ("measures", 40.0),
    ("interim_controls", 30.0),
    ("funding", 12.0),
    ("supervised", 10.0),
    ("state", 10.0),
    ("overdue", 8.0),
    ("accepted_on", 12.0),
];

fn cells(r: &HazardRow, cat: &Catalog, today: chrono::NaiveDate) -> Vec<String> {
    let h = &r.hazard;
    let t = |key: String| cat.get(&key).to_string();
    let yes_no = |b: bool| {
        cat.get(if b { "export.yes" } else { "export.no" })
            .to_string()
    };
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    vec![
        h.ref_no.clone(),
        r.school_name.clone(),
        t(format!("hazard.source.{}", h.source)),
        t(format!("hazard.category.{}", h.category)),
        h.title.clone(),
        h.location.clone(),
        h.description.clone(),
        t(format!("hazard.level.{}", h.level)),
        t(format!("hazard.how_found.{}", h.how_found)),
        h.found_on.to_string(),
        h.found_by.clone(),
        h.deadline.map(|d| d.to_string()).unwrap_or_default(),
        o(&h.responsible_unit),
        o(&h.responsible_person),
        o(&h.measures),
        o(&h.interim_controls),
        o(&h.funding),
        yes_no(h.supervised),
        t(format!("hazard.state.{}", h.state)),
        yes_no(hazard::is_overdue(h.state(), h.deadline, today)),
        h.accepted_at
            .map(|a| crate::domain::time::local_date(a).to_string())
            .unwrap_or_default(),
    ]
}

async fn rows(
    state: &AppStateData,
    authed: &Authed,
    q: &LedgerQuery,
) -> Result<Vec<HazardRow>, AppError> {
    require_view(authed)?;
    let f = filter(state, authed, q, state.today()).await?;
    state.db(move |conn| Ok(ledger::all(conn, &f)?)).await
}

pub async fn csv(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    let rows = rows(&state, &authed, &q).await?;
    let cat = ctx.lang.catalog();
    let today = state.today();
    let header: Vec<String> = COLUMNS
        .iter()
        .map(|(k, _)| cat.get(&format!("export.col.{k}")).to_string())
        .collect();
    let bytes = download::csv_bytes(&header, rows.iter().map(|r| cells(r, cat, today)))?;
    Ok(download::csv(&format!("hazards-{today}.csv"), bytes))
}

pub async fn xlsx(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    let rows = rows(&state, &authed, &q).await?;
    let cat = ctx.lang.catalog();
    let today = state.today();
    let bytes = web::block(move || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(cat.get("export.sheet_name"))?;
        let bold = Format::new()
            .set_bold()
            .set_background_color("D9E2F3")
            .set_text_wrap();
        let wrap = Format::new().set_text_wrap();
        for (c, (key, width)) in COLUMNS.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            sheet.write_string_with_format(0, c, cat.get(&format!("export.col.{key}")), &bold)?;
            sheet.set_column_width(c, *width)?;
        }
        for (i, r) in rows.iter().enumerate() {
            let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
            for (c, value) in cells(r, cat, today).iter().enumerate() {
                // Strings stay strings in XLSX: no formula is ever written.
                sheet.write_string_with_format(row, u16::try_from(c).unwrap_or(0), value, &wrap)?;
            }
        }
        sheet.set_freeze_panes(1, 0)?;
        let last_col = u16::try_from(COLUMNS.len() - 1).unwrap_or(0);
        sheet.autofilter(0, 0, u32::try_from(rows.len()).unwrap_or(0), last_col)?;
        book.save_to_buffer()
    })
    .await?
    .map_err(AppError::internal)?;
    Ok(download::xlsx(&format!("hazards-{today}.xlsx"), bytes))
}
