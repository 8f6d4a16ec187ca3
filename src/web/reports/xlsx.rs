//! The report as a workbook laid out like a government 月报表: a merged title row (county, month,
//! title), the reporting unit and units of measure, the table with its totals row, and who made
//! it and when at the foot. One sheet per table of every module's section.

use actix_web::{HttpResponse, web};
use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use super::formats::file_name;
use super::scope::{ReportQuery, build};
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::report::{Cell, MonthlyReport, Table};
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

/// The number format a cell's kind is shown with: counts whole, rates as percentages, days
/// with one decimal, so the sheet holds numbers one can sum and still reads like the page.
fn number_format(cell: &Cell) -> &'static str {
    match cell {
        Cell::Rate(_) => "0.0%",
        Cell::Days(_) => "0.0",
        Cell::Count(_) | Cell::Text(_) => "0",
    }
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
    for t in r.tables(cat) {
        sheet(book.add_worksheet(), r, cat, &f, &t)?;
    }
    book.save_to_buffer()
}

/// One table on its own sheet, below the title block, with the maker at its foot.
fn sheet(
    sheet: &mut Worksheet,
    r: &MonthlyReport,
    cat: &Catalog,
    f: &Formats,
    t: &Table,
) -> Result<(), XlsxError> {
    sheet.set_name(&t.sheet)?;
    let last_col = u16::try_from(t.header.len().saturating_sub(1)).unwrap_or(0);
    let mut row = title_block(sheet, r, cat, f, last_col)?;
    // Label columns are wide, figure columns narrow.
    let labels = t.rows.first().map_or(1, |cells| {
        cells
            .iter()
            .take_while(|c| matches!(c, crate::report::Cell::Text(_)))
            .count()
    });
    for (c, h) in t.header.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        sheet.write_string_with_format(row, c, h, &f.head)?;
        let wide = usize::from(c) < labels.max(1);
        sheet.set_column_width(c, if wide { 18.0 } else { 11.0 })?;
    }
    sheet.set_freeze_panes(row + 1, 0)?;
    // On paper: A4, as wide as the page, the header row again on every page, numbered.
    sheet.set_paper_size(9);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(row, row)?;
    sheet.set_footer("&C&P / &N");
    row += 1;
    let last = t.rows.len().saturating_sub(1);
    for (i, line) in t.rows.iter().enumerate() {
        // The totals (合计) row is bold, as on paper.
        let bold = (t.totals_first && i == 0) || (t.totals_last && i == last);
        let fmt = if bold { &f.total } else { &f.cell };
        for (c, cell) in line.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            match cell.number() {
                Some(n) => {
                    let fmt = fmt.clone().set_num_format(number_format(cell));
                    sheet.write_number_with_format(row, c, n, &fmt)?
                }
                None => sheet.write_string_with_format(row, c, cell.text(), fmt)?,
            };
        }
        row += 1;
    }
    foot(sheet, r, cat, row + 1)?;
    Ok(())
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
        cat.get("reports.title").to_string(),
    ]
    .iter()
    .filter(|s| !s.is_empty())
    .cloned()
    .collect::<Vec<_>>()
    .join(" ");
    sheet.merge_range(0, 0, 0, last_col, &title, &f.title)?;
    sheet.set_row_height(0, 28)?;
    let unit = r
        .reporting_unit()
        .unwrap_or_else(|| cat.get("reports.scope_county").to_string());
    sheet.write_string(1, 0, format!("{}{unit}", cat.get("reports.filled_by")))?;
    sheet.write_string(
        2,
        0,
        format!(
            "{} {} · {}",
            cat.get("reports.as_of"),
            r.as_of,
            cat.get("reports.unit_note")
        ),
    )?;
    Ok(4)
}

/// Who made the table and when, below it, and the lines it is signed on.
fn foot(
    sheet: &mut Worksheet,
    r: &MonthlyReport,
    cat: &Catalog,
    row: u32,
) -> Result<(), XlsxError> {
    let line = "__________";
    sheet.write_string(
        row + 2,
        0,
        format!(
            "{}{line}    {}{line}    {}{line}    {}{line}",
            cat.get("reports.sign.filled_by"),
            cat.get("reports.sign.reviewed_by"),
            cat.get("reports.sign.phone"),
            cat.get("reports.sign.date"),
        ),
    )?;
    sheet.write_string(
        row,
        0,
        format!(
            "{} {}    {} {}",
            cat.get("reports.generated_by"),
            r.generated_by,
            cat.get("reports.generated_at"),
            r.generated_local()
        ),
    )?;
    Ok(())
}
