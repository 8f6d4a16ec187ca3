//! CSV import of schools and users: every row is checked, and one bad row refuses the file
//! with row-numbered messages. Row numbers count the header as line 1, as a spreadsheet does.

use crate::domain::school::{self, SchoolDraft, SchoolInput};
use crate::domain::user::{self, UserDraft, UserInput};
use crate::domain::validate::FieldError;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub fields: Vec<FieldError>,
}

pub const SCHOOL_COLUMNS: [&str; 9] = [
    "code",
    "name",
    "township",
    "kind",
    "pupils",
    "boarders",
    "staff",
    "principal",
    "phone",
];
pub const USER_COLUMNS: [&str; 4] = ["username", "display_name", "role", "school"];

/// Reads the file into rows keyed by the header's column names. A missing required column
/// or an unreadable file is an error on line 1.
fn read(
    bytes: &[u8],
    columns: &[&str],
    required: &[&'static str],
) -> Result<Vec<(usize, Vec<String>)>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let header_error = |message| {
        vec![RowError {
            line: 1,
            fields: FieldError::only("file", message),
        }]
    };
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(header_error("import.error.csv_not_utf8"));
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let Ok(header) = reader.headers().cloned() else {
        return Err(header_error("import.error.csv_unreadable"));
    };
    if required.iter().any(|r| !header.iter().any(|h| h == *r)) {
        return Err(header_error("import.error.csv_columns"));
    }
    let index: Vec<Option<usize>> = columns
        .iter()
        .map(|c| header.iter().position(|h| h == *c))
        .collect();
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let Ok(record) = record else {
            return Err(vec![RowError {
                line,
                fields: FieldError::only("file", "import.error.csv_unreadable"),
            }]);
        };
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        let cells = index
            .iter()
            .map(|i| i.and_then(|i| record.get(i)).unwrap_or("").to_string())
            .collect();
        rows.push((line, cells));
    }
    if rows.is_empty() {
        return Err(header_error("import.error.csv_empty"));
    }
    if rows.len() > 5_000 {
        return Err(header_error("import.error.csv_too_many_rows"));
    }
    Ok(rows)
}

pub fn parse_schools(bytes: &[u8]) -> Result<Vec<(usize, SchoolInput)>, Vec<RowError>> {
    let rows = read(bytes, &SCHOOL_COLUMNS, &["code", "name", "kind"])?;
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for (line, c) in rows {
        let d = SchoolDraft {
            code: c[0].clone(),
            name: c[1].clone(),
            township: c[2].clone(),
            kind: c[3].clone(),
            pupils: c[4].clone(),
            boarders: c[5].clone(),
            staff: c[6].clone(),
            principal: c[7].clone(),
            phone: c[8].clone(),
        };
        match school::validate(&d) {
            Ok(s) => ok.push((line, s)),
            Err(fields) => errors.push(RowError { line, fields }),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(errors)
    }
}

pub fn parse_users(bytes: &[u8]) -> Result<Vec<(usize, UserInput)>, Vec<RowError>> {
    let rows = read(bytes, &USER_COLUMNS, &["username", "role"])?;
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for (line, c) in rows {
        let d = UserDraft {
            username: c[0].clone(),
            display_name: c[1].clone(),
            role: c[2].clone(),
            school: c[3].clone(),
        };
        match user::validate(&d) {
            Ok(u) => ok.push((line, u)),
            Err(fields) => errors.push(RowError { line, fields }),
        }
    }
    if errors.is_empty() {
        Ok(ok)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_school_file_parses_with_bom_and_any_column_order() {
        let csv = "\u{FEFF}name,code,kind,township,pupils\n城南小学,CX-101,primary,辰阳镇,900\n";
        let rows = parse_schools(csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].0, 2);
        assert_eq!(rows[0].1.code, "CX-101");
        assert_eq!(rows[0].1.pupils, 900);
    }

    #[test]
    fn bad_rows_are_named_by_line() {
        let csv = "code,name,kind\nCX-1,一小,primary\nbad code,二小,primary\nCX-3,,college\n";
        let errors = parse_schools(csv.as_bytes()).err().unwrap_or_default();
        let lines: Vec<_> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4]);
        assert_eq!(errors[1].fields.len(), 2);
    }

    #[test]
    fn a_missing_column_refuses_the_file() {
        let errors = parse_users(b"username,display_name\nli,Li\n")
            .err()
            .unwrap_or_default();
        assert_eq!(errors[0].line, 1);
        assert_eq!(errors[0].fields[0].message, "import.error.csv_columns");
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert!(parse_users(b"username,role\n").is_err());
        assert!(parse_schools(b"\xff\xfe").is_err());
    }
}
