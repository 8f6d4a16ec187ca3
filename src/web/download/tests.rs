use super::*;

fn csv_text(header: &[&str], rows: &[&[&str]]) -> String {
    let header: Vec<String> = header.iter().map(|s| s.to_string()).collect();
    let rows = rows
        .iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    let bytes = csv_bytes(&header, rows).unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// Values an attacker might type into any text field.
const HOSTILE: [&str; 14] = [
    "=SUM(A1)",
    "a;=1+1",
    "a,=1+1",
    "a\t+1",
    "a|@cmd",
    "a\n-2+3",
    "a\r\n=HYPERLINK(\"x\")",
    "a; =1",
    "a;\"=1\"",
    "x;y;@z",
    "  =1",
    "\t=1",
    "\"=1\"",
    ",,=1",
];

#[test]
fn formula_starts_are_neutralised_and_the_rest_kept() {
    for bad in ["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx"] {
        assert_eq!(neutralise(bad), format!("'{bad}"));
    }
    for ok in [
        "YH-2026-0001",
        "校门口",
        "",
        "2026-03-01",
        "a=b",
        "a-b",
        "a;b",
        "x@y.cn",
    ] {
        assert_eq!(neutralise(ok), ok);
    }
}

#[test]
fn a_formula_after_any_locales_separator_is_neutralised_where_it_starts() {
    for (cell, safe) in [
        ("a;=1+1", "a;'=1+1"),
        ("a,=1+1", "a,'=1+1"),
        ("a\t+1", "a\t'+1"),
        ("a|@cmd", "a|'@cmd"),
        ("a\n-2+3", "a\n'-2+3"),
        ("a\r\n=1", "a\r\n'=1"),
        ("a; =1", "a;' =1"),
        ("a;\"=1\"", "a;'\"=1\""),
        ("x;y;@z", "x;y;'@z"),
        ("  =1", "'  =1"),
        ("\t=1", "'\t'=1"),
        ("，=中文逗号不是分隔符", "，=中文逗号不是分隔符"),
    ] {
        assert_eq!(neutralise(cell), safe, "{cell:?}");
    }
}

#[test]
fn a_cell_holding_a_separator_or_a_quote_is_quoted_and_others_are_not() {
    let text = csv_text(
        &["h"],
        &[
            &["a;=1+1"],
            &["a|b"],
            &["a\tb"],
            &["a,b"],
            &["two\nlines"],
            &["say \"hi\""],
            &["plain 校"],
        ],
    );
    let lines: Vec<&str> = text.trim_start_matches('\u{FEFF}').split('\n').collect();
    assert_eq!(
        lines,
        [
            "h",
            "\"a;'=1+1\"",
            "\"a|b\"",
            "\"a\tb\"",
            "\"a,b\"",
            "\"two",
            "lines\"",
            "\"say \"\"hi\"\"\"",
            "plain 校",
            "",
        ]
    );
}

#[test]
fn no_reader_splitting_at_any_common_separator_finds_a_formula() {
    let text = csv_text(&["a", "b"], &[&HOSTILE, &HOSTILE[..2]]);
    // A naive reader: split at the separator and at line ends, quotes not understood.
    for sep in [',', ';', '\t', '|'] {
        for line in text.split(['\n', '\r']) {
            for field in line.split(sep) {
                assert!(
                    !starts_formula(field),
                    "{sep:?} gives {field:?} in {line:?}"
                );
            }
        }
    }
    // A real CSV reader, comma-separated: each value is back, neutralised, in its own cell.
    let body = text.trim_start_matches('\u{FEFF}');
    let mut r = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(body.as_bytes());
    let first = r.records().next().and_then(Result::ok);
    let cells: Vec<String> = first
        .map(|rec| rec.iter().map(str::to_string).collect())
        .unwrap_or_default();
    let expected: Vec<String> = HOSTILE.iter().map(|c| neutralise(c)).collect();
    assert_eq!(cells, expected);
}

#[test]
fn a_csv_starts_with_one_bom_and_one_header() {
    let text = csv_text(&["a", "b"], &[&["=1", "校"], &["x", ""]]);
    assert_eq!(text, "\u{FEFF}a,b\n'=1,校\nx,\n");
}

#[test]
fn ids_are_read_a_batch_at_a_time_in_their_order_skipping_rows_gone_meanwhile() {
    let ids: Vec<i64> = (0..1234).rev().collect();
    let mut asked: Vec<usize> = Vec::new();
    // The second batch's rows (ids 733 down to 234) were deleted after the ids were read.
    let mut read = by_ids(ids.clone(), |asked: &mut Vec<usize>, chunk: &[i64]| {
        asked.push(chunk.len());
        Ok(chunk
            .iter()
            .copied()
            .filter(|id| !(234..734).contains(id))
            .collect::<Vec<i64>>())
    });
    let mut got = Vec::new();
    loop {
        let batch = read(&mut asked).unwrap_or_default();
        if batch.is_empty() {
            break;
        }
        assert!(batch.len() <= BATCH);
        got.extend(batch);
    }
    let kept: Vec<i64> = ids
        .iter()
        .copied()
        .filter(|id| !(234..734).contains(id))
        .collect();
    assert_eq!(got, kept);
    assert_eq!(asked, [BATCH, BATCH, 1234 - 2 * BATCH]);
}

#[test]
fn a_workbook_past_a_sheets_rows_is_refused_before_it_starts() {
    assert!(check_sheet_rows(0).is_ok());
    assert!(check_sheet_rows(SHEET_MAX_ROWS).is_ok());
    assert!(matches!(
        check_sheet_rows(SHEET_MAX_ROWS + 1),
        Err(AppError::Invalid("error.too_many_rows_for_xlsx"))
    ));
}
