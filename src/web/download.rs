//! Files handed to the browser as attachments no cache keeps: CSV (UTF-8 with a BOM so Excel
//! reads Chinese, formula-like cells neutralised) and XLSX.

use actix_web::HttpResponse;
use actix_web::http::header;

use crate::error::AppError;

/// A cell a spreadsheet would read as a formula gets a leading apostrophe, so it stays text.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// A CSV file: the BOM, the header, then the rows, every cell neutralised.
pub fn csv_bytes(
    header: &[String],
    rows: impl IntoIterator<Item = Vec<String>>,
) -> Result<Vec<u8>, AppError> {
    // Flexible: a report's sections are tables of different widths, one after another.
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record(header).map_err(AppError::internal)?;
    for row in rows {
        let row: Vec<String> = row.iter().map(|c| neutralise(c)).collect();
        w.write_record(&row).map_err(AppError::internal)?;
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&w.into_inner().map_err(AppError::internal)?);
    Ok(bytes)
}

pub fn csv(file_name: &str, bytes: Vec<u8>) -> HttpResponse {
    attachment("text/csv; charset=utf-8", file_name, bytes)
}

pub fn xlsx(file_name: &str, bytes: Vec<u8>) -> HttpResponse {
    let mut res = attachment(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name,
        bytes,
    );
    // A workbook is a zip already: compressing it again gains nothing.
    res.headers_mut().insert(
        header::CONTENT_ENCODING,
        header::HeaderValue::from_static("identity"),
    );
    res
}

fn attachment(content_type: &str, file_name: &str, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_starts_are_neutralised_and_the_rest_kept() {
        for bad in ["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx"] {
            assert_eq!(neutralise(bad), format!("'{bad}"));
        }
        for ok in ["YH-2026-0001", "校门口", "", "2026-03-01", "a=b"] {
            assert_eq!(neutralise(ok), ok);
        }
    }

    #[test]
    fn a_csv_starts_with_the_bom_and_neutralises_its_cells() {
        let bytes = csv_bytes(
            &["a".into(), "b".into()],
            vec![vec!["=1".into(), "校".into()]],
        );
        assert_eq!(
            String::from_utf8(bytes.unwrap_or_default()).unwrap_or_default(),
            "\u{FEFF}a,b\n'=1,校\n"
        );
    }
}
