//! Files handed to the browser as attachments no cache keeps: CSV (UTF-8 with a BOM so Excel
//! reads Chinese; cells quoted and neutralised for every common locale's separator) and XLSX.
//!
//! A module's list exports stream: `csv_rows` and `xlsx_rows` take a header, a batch reader
//! and a row-to-cells function, and read the database `BATCH` rows at a time while the file
//! goes out, so neither the rows nor the file are ever whole in memory and nothing caps their
//! number. Small tables built already (a report) go out with `csv_bytes` + `csv`, or `xlsx`.

mod stream;

use std::io::{self, Write};
use std::path::PathBuf;

use actix_web::http::header;
use actix_web::{HttpResponse, HttpResponseBuilder};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::error::AppError;
use crate::i18n::Catalog;
use crate::store::{Conn, Pool, QueryResult};
use crate::web::state::State;

/// Rows read per pooled-connection use.
pub const BATCH: usize = 500;

const CSV_TYPE: &str = "text/csv; charset=utf-8";
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where a spreadsheet in some locale splits a CSV line into cells: a cell holding one is
/// quoted, and each piece after one is checked for a formula as a cell's start is.
const SEPARATORS: [char; 6] = [',', ';', '\t', '|', '\n', '\r'];

/// Whether a piece of a cell would start a formula. Spaces and quotes before the sign do not
/// stop every reader from taking it as one.
fn starts_formula(piece: &str) -> bool {
    let rest = piece.trim_start_matches(|c: char| c == '"' || c.is_whitespace());
    rest.starts_with(['=', '+', '-', '@'])
}

/// A cell a spreadsheet would read as a formula, in any locale, stays text: an apostrophe
/// goes before each piece that would start one (the cell's start, and after each separator,
/// where a reader splitting at that separator starts a cell), and before a leading TAB or CR,
/// which some readers drop.
pub fn neutralise(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len() + 2);
    if cell.starts_with(['\t', '\r']) {
        out.push('\'');
    }
    let mut rest = cell;
    loop {
        let end = rest.find(SEPARATORS).unwrap_or(rest.len());
        let (piece, tail) = rest.split_at(end);
        if starts_formula(piece) {
            out.push('\'');
        }
        out.push_str(piece);
        let mut chars = tail.chars();
        match chars.next() {
            Some(sep) => {
                out.push(sep);
                rest = chars.as_str();
            }
            None => return out,
        }
    }
}

/// One CSV cell, neutralised, in quotes when it holds a separator of any locale or a quote.
fn write_cell(out: &mut impl Write, cell: &str) -> io::Result<()> {
    let cell = neutralise(cell);
    if cell.contains(SEPARATORS) || cell.contains('"') {
        write!(out, "\"{}\"", cell.replace('"', "\"\""))
    } else {
        out.write_all(cell.as_bytes())
    }
}

/// One CSV line. Rows may differ in width (a report's tables follow one another).
fn write_record(out: &mut impl Write, cells: &[String]) -> io::Result<()> {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write_cell(out, cell)?;
    }
    out.write_all(b"\n")
}

/// A small CSV file whole: the BOM, the header, then the rows.
pub fn csv_bytes(
    header: &[String],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, AppError> {
    let mut out = BOM.to_vec();
    write_record(&mut out, header).map_err(AppError::internal)?;
    for row in rows {
        write_record(&mut out, &row).map_err(AppError::internal)?;
    }
    Ok(out)
}

pub fn csv(file_name: &str, bytes: Vec<u8>) -> HttpResponse {
    attachment_headers(CSV_TYPE, file_name).body(bytes)
}

pub fn xlsx(file_name: &str, bytes: Vec<u8>) -> HttpResponse {
    let mut res = attachment_headers(XLSX_TYPE, file_name).body(bytes);
    stream::no_compression(&mut res);
    res
}

fn attachment_headers(content_type: &str, file_name: &str) -> HttpResponseBuilder {
    let mut res = HttpResponse::Ok();
    res.content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"));
    res
}

/// A batch reader over ids fixed when the export starts (in the export's order): each call
/// fetches the next `BATCH` of them that still exist; none once all are read. Reading ids
/// first costs 8 bytes a row and one sort, and keeps the order and the rows those of the
/// moment of the request whatever is written meanwhile.
pub fn by_ids<C, T, F>(
    ids: Vec<i64>,
    mut fetch: F,
) -> impl FnMut(&mut C) -> Result<Vec<T>, AppError>
where
    F: FnMut(&mut C, &[i64]) -> Result<Vec<T>, AppError>,
{
    let mut at = 0;
    move |conn| {
        while at < ids.len() {
            let end = (at + BATCH).min(ids.len());
            let rows = fetch(conn, &ids[at..end])?;
            at = end;
            if !rows.is_empty() {
                return Ok(rows);
            }
        }
        Ok(Vec::new())
    }
}

/// Calls `read` with a pooled connection until it returns no rows, handing each batch to
/// `each`. The connection goes back between batches: a slow client holds none, and one that
/// left stops the reading.
fn batches<T, R>(
    pool: &Pool,
    watch: &stream::Watch,
    read: &mut R,
    mut each: impl FnMut(Vec<T>) -> Result<(), AppError>,
) -> Result<(), AppError>
where
    R: FnMut(&mut Conn) -> Result<Vec<T>, AppError>,
{
    loop {
        if watch.client_left() {
            return Err(AppError::internal("the client left"));
        }
        let rows = read(&mut *pool.get()?)?;
        if rows.is_empty() {
            return Ok(());
        }
        each(rows)?;
    }
}

/// A list as a CSV download, streamed: the BOM and `header` first, then `cells` of each row
/// `read` gives, batch by batch.
pub async fn csv_rows<T, R, C>(
    pool: Pool,
    file_name: &str,
    header: Vec<String>,
    mut read: R,
    cells: C,
) -> Result<HttpResponse, AppError>
where
    R: FnMut(&mut Conn) -> Result<Vec<T>, AppError> + Send + 'static,
    C: Fn(&T) -> Vec<String> + Send + 'static,
{
    stream::respond(CSV_TYPE, file_name, move |sink| {
        let io = AppError::internal;
        sink.write_all(BOM).map_err(io)?;
        write_record(sink, &header).map_err(io)?;
        let watch = sink.watch();
        batches(&pool, &watch, &mut read, |rows| {
            rows.iter()
                .try_for_each(|row| write_record(sink, &cells(row)))
                .map_err(io)
        })
    })
    .await
}

/// A module's list as its exports see it: the file name's stem (`buildings` gives
/// `buildings-2026-12-03.csv`), the columns' catalog keys and widths, the sheet's name key,
/// the ids to export in the list's order, and how one batch of them is read.
pub struct ListExport<T> {
    pub stem: &'static str,
    pub columns: &'static [(&'static str, f64)],
    pub sheet: &'static str,
    pub ids: Vec<i64>,
    pub rows: fn(&mut Conn, &[i64]) -> QueryResult<Vec<T>>,
}

impl<T: Send + 'static> ListExport<T> {
    fn reader(self) -> impl FnMut(&mut Conn) -> Result<Vec<T>, AppError> + Send + 'static {
        let rows = self.rows;
        by_ids(self.ids, move |conn: &mut Conn, batch: &[i64]| {
            Ok(rows(conn, batch)?)
        })
    }

    /// The list as a streamed CSV in the user's language, dated by the county's today.
    pub async fn csv<C>(
        self,
        state: &State,
        cat: &'static Catalog,
        cells: C,
    ) -> Result<HttpResponse, AppError>
    where
        C: Fn(&T) -> Vec<String> + Send + 'static,
    {
        let name = format!("{}-{}.csv", self.stem, state.today());
        let header = self
            .columns
            .iter()
            .map(|(k, _)| cat.get(k).to_string())
            .collect();
        csv_rows(state.pool.clone(), &name, header, self.reader(), cells).await
    }

    /// The list as a streamed workbook, refused at once when a sheet cannot hold it.
    pub async fn xlsx<C>(
        self,
        state: &State,
        cat: &'static Catalog,
        cells: C,
    ) -> Result<HttpResponse, AppError>
    where
        C: Fn(&T) -> Vec<String> + Send + 'static,
    {
        check_sheet_rows(self.ids.len())?;
        let name = format!("{}-{}.xlsx", self.stem, state.today());
        let sheet = Sheet {
            name: cat.get(self.sheet).to_string(),
            columns: self
                .columns
                .iter()
                .map(|(k, width)| (cat.get(k).to_string(), *width))
                .collect(),
        };
        let dir = state.config.data_dir.clone();
        xlsx_rows(state.pool.clone(), dir, &name, sheet, self.reader(), cells).await
    }
}

/// Rows a worksheet holds below its header (Excel's 1,048,576 rows in all).
pub const SHEET_MAX_ROWS: usize = 1_048_575;

/// Refuses, before the download starts, a workbook with more rows than a sheet holds: the
/// user is told to narrow the filter or take the CSV, which has no limit.
pub fn check_sheet_rows(rows: usize) -> Result<(), AppError> {
    if rows > SHEET_MAX_ROWS {
        return Err(AppError::Invalid("error.too_many_rows_for_xlsx"));
    }
    Ok(())
}

/// A list's worksheet: its name and its columns' headings and widths (in characters).
pub struct Sheet {
    pub name: String,
    pub columns: Vec<(String, f64)>,
}

/// A list as a workbook of one sheet, header bold and frozen, an autofilter over it, every
/// cell a string (never a formula). The sheet is written in rust_xlsxwriter's constant-memory
/// mode: each row goes to an unnamed temporary file in `temp_dir` as it is written (the data
/// dir: /tmp may be memory), then the zip streams out as it is compressed.
pub async fn xlsx_rows<T, R, C>(
    pool: Pool,
    temp_dir: PathBuf,
    file_name: &str,
    sheet: Sheet,
    mut read: R,
    cells: C,
) -> Result<HttpResponse, AppError>
where
    R: FnMut(&mut Conn) -> Result<Vec<T>, AppError> + Send + 'static,
    C: Fn(&T) -> Vec<String> + Send + 'static,
{
    let mut res = stream::respond(XLSX_TYPE, file_name, move |sink| {
        let x = |e: XlsxError| AppError::internal(e);
        let watch = sink.watch();
        let mut book = Workbook::new();
        book.set_tempdir(&temp_dir).map_err(x)?;
        let ws = book.add_worksheet_with_constant_memory().map_err(x)?;
        ws.set_name(&sheet.name).map_err(x)?;
        let bold = Format::new()
            .set_bold()
            .set_background_color("D9E2F3")
            .set_text_wrap();
        let wrap = Format::new().set_text_wrap();
        for (c, (heading, width)) in sheet.columns.iter().enumerate() {
            let c = u16::try_from(c).map_err(AppError::internal)?;
            ws.set_column_width(c, *width).map_err(x)?;
            ws.write_string_with_format(0, c, heading, &bold)
                .map_err(x)?;
        }
        let mut row = 0u32;
        batches(&pool, &watch, &mut read, |rows| {
            for r in &rows {
                row += 1;
                if row as usize > SHEET_MAX_ROWS {
                    return Err(AppError::internal("more rows than a worksheet holds"));
                }
                for (c, value) in cells(r).iter().enumerate() {
                    let c = u16::try_from(c).map_err(AppError::internal)?;
                    ws.write_string_with_format(row, c, value, &wrap)
                        .map_err(x)?;
                }
            }
            Ok(())
        })?;
        ws.set_freeze_panes(1, 0).map_err(x)?;
        let last_col = u16::try_from(sheet.columns.len().saturating_sub(1)).unwrap_or(0);
        ws.autofilter(0, 0, row, last_col).map_err(x)?;
        book.save_to_writer(sink).map_err(x)
    })
    .await?;
    stream::no_compression(&mut res);
    Ok(res)
}

#[cfg(test)]
mod tests;
