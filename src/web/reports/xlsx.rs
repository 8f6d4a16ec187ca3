//! The report as a workbook laid out like a government 月报表: a merged title row (county, month,
//! title), the reporting unit and units of measure, the table with its totals row, and who made
//! it and when at the foot. One sheet per section, and the twelve-month trend.

use actix_web::{HttpResponse, web};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::build::{MonthlyReport, ReportQuery, build};
use super::formats::{file_name, generated_local, header_row, rows};
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::state::State;

pub async fn xlsx(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let r = build(&state, &authed, &q).await?;
    let cat = ctx.lang.catalog();
    let name = file_name(&r, "xlsx");
    let bytes = web::block(move || workbook(&r, cat))
        .await?
        .map_err(AppError::internal)?;
    Ok(download::xlsx(&name, bytes))
}

struct Formats {
    title: Format,
    head: Format,
    cell: Format,
    total: Format,
}

fn workbook(r: &MonthlyReport, cat: &Catalog) -> Result<Vec<u8>, XlsxError> {
    let f = Formats {
        title: Format::new()
            .set_bold()
            .set_font_size(16)
            .set_align(FormatAlign::Center),
        head: Format::new()
            .set_bold()
            .set_background_color("D9E2F3")
            .set_border(FormatBorder::Thin)
            .set_text_wrap(),
        cell: Format::new().set_border(FormatBorder::Thin),
        total: Format::new().set_bold().set_border(FormatBorder::Thin),
    };
    let mut book = Workbook::new();
    let header = header_row(cat);
    let last_col = u16::try_from(header.len().saturating_sub(1)).unwrap_or(0);

    let sheet = book.add_worksheet();
    sheet.set_name(cat.get("report.sheet_hazards"))?;
    let mut row = title_block(sheet, r, cat, &f, last_col)?;
    for (c, h) in header.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        sheet.write_string_with_format(row, c, h, &f.head)?;
        sheet.set_column_width(c, if c < 2 { 18.0 } else { 11.0 })?;
    }
    sheet.set_freeze_panes(row + 1, 0)?;
    row += 1;
    for (i, line) in rows(r, cat).iter().enumerate() {
        // The first line is the totals (合计) row: bold, as on paper.
        let fmt = if i == 0 { &f.total } else { &f.cell };
        for (c, v) in line.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            match v.parse::<f64>() {
                Ok(n) if c >= 2 => sheet.write_number_with_format(row, c, n, fmt)?,
                _ => sheet.write_string_with_format(row, c, v, fmt)?,
            };
        }
        row += 1;
    }
    foot(sheet, r, cat, row + 1)?;

    let trend = book.add_worksheet();
    trend.set_name(cat.get("report.sheet_trend"))?;
    let mut row = title_block(trend, r, cat, &f, 3)?;
    for (c, k) in ["month", "found", "closed", "open"].iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        trend.write_string_with_format(row, c, cat.get(&format!("report.col.{k}")), &f.head)?;
        trend.set_column_width(c, 14.0)?;
    }
    row += 1;
    for p in &r.hazards.trend {
        trend.write_string_with_format(row, 0, &p.month, &f.cell)?;
        trend.write_number_with_format(row, 1, p.found as f64, &f.cell)?;
        trend.write_number_with_format(row, 2, p.closed as f64, &f.cell)?;
        trend.write_number_with_format(row, 3, p.open_at_month_end as f64, &f.cell)?;
        row += 1;
    }
    // Found and closed add up over the year; "open at month end" is a level, not a flow.
    let sum = |get: fn(&super::build::TrendPoint) -> i64| {
        r.hazards.trend.iter().map(get).sum::<i64>() as f64
    };
    trend.write_string_with_format(row, 0, cat.get("report.total_row"), &f.total)?;
    trend.write_number_with_format(row, 1, sum(|p| p.found), &f.total)?;
    trend.write_number_with_format(row, 2, sum(|p| p.closed), &f.total)?;
    trend.write_string_with_format(row, 3, "", &f.total)?;
    foot(trend, r, cat, row + 2)?;
    book.save_to_buffer()
}

/// The title across the table, then the reporting unit and units of measure; returns the row
/// where the table's header goes.
fn title_block(
    sheet: &mut Worksheet,
    r: &MonthlyReport,
    cat: &Catalog,
    f: &Formats,
    last_col: u16,
) -> Result<u32, XlsxError> {
    let title = [
        r.county.clone().unwrap_or_default(),
        r.month.clone(),
        cat.get("report.title").to_string(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .cloned()
    .collect::<Vec<_>>()
    .join(" ");
    sheet.merge_range(0, 0, 0, last_col, &title, &f.title)?;
    sheet.set_row_height(0, 28)?;
    let unit = match r.scope.kind.as_str() {
        "county" => cat.get("report.scope_county").to_string(),
        _ => r.scope.name.clone().unwrap_or_default(),
    };
    sheet.write_string(1, 0, format!("{}{unit}", cat.get("report.filled_by")))?;
    sheet.write_string(
        2,
        0,
        format!(
            "{} {} · {}",
            cat.get("report.as_of"),
            r.as_of,
            cat.get("report.unit_note")
        ),
    )?;
    Ok(4)
}

/// Who made the table and when, below it.
fn foot(
    sheet: &mut Worksheet,
    r: &MonthlyReport,
    cat: &Catalog,
    row: u32,
) -> Result<(), XlsxError> {
    sheet.write_string(
        row,
        0,
        format!(
            "{} {}    {} {}",
            cat.get("report.generated_by"),
            r.generated_by,
            cat.get("report.generated_at"),
            generated_local(r)
        ),
    )?;
    Ok(())
}
