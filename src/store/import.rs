//! CSV import of schools and users: every row is checked and every bad row reported in one
//! round (its format, a repeat of an earlier row, a code already taken, a school that does not
//! exist); one bad row refuses the file. Row numbers count the header as line 1, as a
//! spreadsheet does.

use std::collections::HashMap;

use crate::domain::enums::StrEnum;
use crate::domain::role::Role;
use crate::domain::school::{self, SchoolDraft, SchoolInput, SchoolKind};
use crate::domain::user::{self, UserDraft, UserInput};
use crate::domain::validate::FieldError;
use crate::i18n::Lang;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub fields: Vec<FieldError>,
}

/// A file read row by row: the rows that read well, and the reasons the others did not. The
/// store adds what only the database knows, then imports all or nothing.
#[derive(Clone, Debug)]
pub struct Parsed<T> {
    pub rows: Vec<(usize, T)>,
    pub errors: Vec<RowError>,
}

/// A row's write refused by the store (a race past the checks): the file is refused, naming it.
pub fn on_line<V>(line: usize, r: super::StoreResult<V>) -> super::StoreResult<V> {
    match r {
        Err(super::StoreError::Invalid(fields)) => {
            Err(super::StoreError::ImportRefused(vec![RowError {
                line,
                fields,
            }]))
        }
        other => other,
    }
}

impl<T> Parsed<T> {
    /// Every reason, in line order, with `more` (the database's) merged in.
    pub fn refused(&self, more: Vec<RowError>) -> Vec<RowError> {
        let mut all = self.errors.clone();
        for e in more {
            match all.iter_mut().find(|a| a.line == e.line) {
                Some(a) => a.fields.extend(e.fields),
                None => all.push(e),
            }
        }
        all.sort_by_key(|e| e.line);
        all
    }
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

/// The import pages' examples: a new school in a demo township, and accounts for demo schools,
/// so that either file, tried on the demo county, imports as it stands.
pub const SCHOOL_EXAMPLE: &str = "code,name,township,kind,pupils,boarders,staff,principal,phone\n\
    CX-0203,火马冲镇第二小学,火马冲镇,小学,480,60,30,田新民,0745-5261234\n\
    CX-0303,后塘瑶族乡中心幼儿园,后塘瑶族乡,kindergarten,120,0,12,蒲小红,";
pub const USER_EXAMPLE: &str = "username,display_name,role,school\n\
    tian.li,田丽,staff,CX-0201\n\
    pu.jun,蒲军,学校安全专干,CX-0301\n\
    zhou.jie,周杰,bureau,";

fn header_error(message: &'static str) -> Vec<RowError> {
    vec![RowError {
        line: 1,
        fields: FieldError::only("file", message),
    }]
}

/// Reads the file into rows keyed by the header's column names. A missing required column
/// or an unreadable file is an error on line 1 and stops there; a row that does not read is
/// reported with its line, and the rest are still read.
fn read(
    bytes: &[u8],
    columns: &[&str],
    required: &[&'static str],
) -> Result<Parsed<Vec<String>>, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
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
    let mut out = Parsed {
        rows: Vec::new(),
        errors: Vec::new(),
    };
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let Ok(record) = record else {
            out.errors.push(RowError {
                line,
                fields: FieldError::only("file", "import.error.csv_unreadable"),
            });
            continue;
        };
        if record.iter().all(|c| c.is_empty()) {
            continue;
        }
        let cells = index
            .iter()
            .map(|i| i.and_then(|i| record.get(i)).unwrap_or("").to_string())
            .collect();
        out.rows.push((line, cells));
    }
    if out.rows.is_empty() && out.errors.is_empty() {
        return Err(header_error("import.error.csv_empty"));
    }
    if out.rows.len() + out.errors.len() > 5_000 {
        return Err(header_error("import.error.csv_too_many_rows"));
    }
    Ok(out)
}

/// A choice as typed in a spreadsheet: its code (`primary`) or its name in either language
/// (小学, Primary school), so a file written by hand reads as one exported.
fn choice<E: StrEnum>(cell: &str) -> String {
    let cell = cell.trim();
    if E::parse(cell).is_some() {
        return cell.to_string();
    }
    [Lang::ZhCn, Lang::En]
        .iter()
        .find_map(|lang| {
            E::all()
                .iter()
                .find(|v| lang.catalog().get(v.label()).eq_ignore_ascii_case(cell))
        })
        .map(|v| v.as_str().to_string())
        .unwrap_or_else(|| cell.to_string())
}

/// A second row with the same key (a code, a login name) names the earlier one.
fn repeated<T>(
    rows: &[(usize, T)],
    key: impl Fn(&T) -> String,
    field: &'static str,
) -> Vec<RowError> {
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut errors = Vec::new();
    for (line, row) in rows {
        let k = key(row).to_lowercase();
        match first.get(&k) {
            Some(earlier) => errors.push(RowError {
                line: *line,
                fields: vec![FieldError {
                    field,
                    message: "import.error.repeats_line",
                    arg: Some(earlier.to_string()),
                }],
            }),
            None => {
                first.insert(k, *line);
            }
        }
    }
    errors
}

/// Checks each row; the rows that pass and every reason the others did not.
fn check<T>(
    read: Parsed<Vec<String>>,
    validate: impl Fn(&[String]) -> Result<T, Vec<FieldError>>,
    key: impl Fn(&T) -> String,
    field: &'static str,
) -> Parsed<T> {
    let mut out = Parsed {
        rows: Vec::new(),
        errors: read.errors,
    };
    for (line, cells) in read.rows {
        match validate(&cells) {
            Ok(v) => out.rows.push((line, v)),
            Err(fields) => out.errors.push(RowError { line, fields }),
        }
    }
    let again = repeated(&out.rows, key, field);
    out.rows
        .retain(|(line, _)| !again.iter().any(|e| e.line == *line));
    out.errors.extend(again);
    out.errors.sort_by_key(|e| e.line);
    out
}

pub fn parse_schools(bytes: &[u8]) -> Result<Parsed<SchoolInput>, Vec<RowError>> {
    let rows = read(bytes, &SCHOOL_COLUMNS, &["code", "name", "kind"])?;
    Ok(check(
        rows,
        |c| {
            school::validate(&SchoolDraft {
                code: c[0].clone(),
                name: c[1].clone(),
                township: c[2].clone(),
                kind: choice::<SchoolKind>(&c[3]),
                pupils: c[4].clone(),
                boarders: c[5].clone(),
                staff: c[6].clone(),
                principal: c[7].clone(),
                phone: c[8].clone(),
            })
        },
        |s| s.code.clone(),
        "code",
    ))
}

pub fn parse_users(bytes: &[u8]) -> Result<Parsed<UserInput>, Vec<RowError>> {
    let rows = read(bytes, &USER_COLUMNS, &["username", "role"])?;
    Ok(check(
        rows,
        |c| {
            user::validate(&UserDraft {
                username: c[0].clone(),
                display_name: c[1].clone(),
                role: choice::<Role>(&c[2]),
                school: c[3].clone(),
            })
        },
        |u| u.username.clone(),
        "username",
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(e: &[RowError]) -> Vec<usize> {
        e.iter().map(|e| e.line).collect()
    }

    #[test]
    fn a_good_school_file_parses_with_bom_and_any_column_order() {
        let csv = "\u{FEFF}name,code,kind,township,pupils\n城南小学,CX-101,primary,辰阳镇,900\n";
        let p = parse_schools(csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(p.errors.is_empty());
        assert_eq!(p.rows.len(), 1);
        assert_eq!(p.rows[0].0, 2);
        assert_eq!(p.rows[0].1.code, "CX-101");
        assert_eq!(p.rows[0].1.pupils, 900);
    }

    #[test]
    fn every_bad_row_is_named_by_line_in_one_round() {
        let csv = "code,name,kind\nCX-1,一小,primary\nbad code,二小,primary\nCX-3,,college\n\
                   CX-1,又一小,小学\n";
        let p = parse_schools(csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(lines(&p.errors), vec![3, 4, 5]);
        assert_eq!(
            p.errors[1].fields.len(),
            2,
            "a row says everything wrong with it"
        );
        let p = parse_schools(b"code,name,kind\nCX-1,a,primary\nCX-2,b,primary\ncx-1,c,primary\n")
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(lines(&p.errors), vec![4]);
        let f = &p.errors[0].fields[0];
        assert_eq!(
            (f.message, f.arg.as_deref()),
            ("import.error.repeats_line", Some("2"))
        );
        assert_eq!(p.rows.len(), 2);
    }

    #[test]
    fn a_school_kind_may_be_written_as_its_name_in_either_language() {
        let csv =
            "code,name,kind\nA-1,a,小学\nA-2,b,九年一贯制学校\nA-3,c,Kindergarten\nA-4,d,junior\n";
        let p = parse_schools(csv.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        let kinds: Vec<_> = p.rows.iter().map(|(_, s)| s.kind).collect();
        assert_eq!(
            kinds,
            vec![
                SchoolKind::Primary,
                SchoolKind::NineYear,
                SchoolKind::Kindergarten,
                SchoolKind::Junior
            ]
        );
        let bad = parse_schools("code,name,kind\nA-1,a,大学\n".as_bytes())
            .map(|p| p.errors.len())
            .unwrap_or(0);
        assert_eq!(bad, 1);
    }

    #[test]
    fn the_examples_read_without_a_fault() {
        let s = parse_schools(SCHOOL_EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(s.errors.is_empty() && s.rows.len() == 2, "{:?}", s.errors);
        let u = parse_users(USER_EXAMPLE.as_bytes()).unwrap_or_else(|e| panic!("{e:?}"));
        assert!(u.errors.is_empty() && u.rows.len() == 3, "{:?}", u.errors);
        assert_eq!(
            u.rows[1].1.role,
            Role::SchoolAdmin,
            "a role by its Chinese name"
        );
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
