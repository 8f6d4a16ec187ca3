//! The ledger's exports over HTTP: CSV (BOM, header, one row per hazard, formula-looking cells
//! neutralised) and XLSX (a real workbook, header frozen, strings only), with the ledger's
//! filters and the user's school scope.

use std::collections::BTreeSet;
use std::io::{Cursor, Read};

use reqwest::{StatusCode, header};
use xiaoan::domain::attachments::Stage as PhotoStage;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::role::Role;
use xiaoan::store::hazards;

use crate::helpers::*;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

fn ref_no(app: &TestApp, hazard: i64) -> String {
    hazards::get(&mut app.conn(), hazard)
        .expect("hazard")
        .hazard
        .ref_no
}

fn is_ref_no(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 12
        && s.starts_with("YH-")
        && b[7] == b'-'
        && b[3..7].iter().chain(&b[8..]).all(u8::is_ascii_digit)
}

/// Reports a hazard, then gives it this title, location and description exactly (the form
/// would trim a leading TAB or CR; a spreadsheet-bound value may still hold one, e.g. from
/// an import or an older version).
fn report_with(app: &TestApp, reporter: &str, school: i64, fields: [&str; 3]) -> i64 {
    let id = app.report_hazard(reporter, school, "general");
    let [title, location, description] = fields;
    for v in fields {
        assert!(!v.contains('\''), "no quotes in test values");
    }
    app.exec(&format!(
        "UPDATE hazards SET title = '{title}', location = '{location}', \
         description = '{description}' WHERE id = {id}"
    ));
    id
}

/// Drives a hazard to closed: the school admin registers, assigns, adds an after photo and
/// submits; the bureau accepts.
fn close(app: &TestApp, school_admin: &str, bureau: &str, id: i64) {
    app.act(school_admin, id, HazardAction::Register);
    app.act(school_admin, id, HazardAction::Assign);
    // A fix is submitted with a photo of it.
    app.photo(school_admin, id, PhotoStage::After, 1);
    app.act(school_admin, id, HazardAction::Submit);
    app.act(bureau, id, HazardAction::Accept);
    assert_eq!(app.hazard_state(id), "closed");
}

struct Csv {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Csv {
    fn refs(&self) -> BTreeSet<String> {
        self.rows.iter().map(|r| r[0].clone()).collect()
    }
}

async fn get_csv(b: &Browser, query: &str) -> Csv {
    let res = b.get(&format!("/hazards.csv{query}")).await;
    assert_eq!(res.status(), StatusCode::OK, "/hazards.csv{query}");
    let body = res.bytes().await.expect("body");
    assert!(body.starts_with(BOM), "/hazards.csv{query}: no UTF-8 BOM");
    parse_csv(&body[BOM.len()..])
}

fn parse_csv(bytes: &[u8]) -> Csv {
    let mut r = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes);
    let mut records = r
        .records()
        .map(|rec| {
            rec.expect("a CSV record")
                .iter()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    assert!(!records.is_empty(), "no header row");
    let header = records.remove(0);
    for row in &records {
        assert_eq!(row.len(), header.len(), "row as wide as the header");
    }
    Csv {
        header,
        rows: records,
    }
}

/// The reference numbers the HTML ledger lists for this query.
async fn ledger_refs(b: &Browser, query: &str) -> BTreeSet<String> {
    let res = b.get(&format!("/hazards{query}")).await;
    assert_eq!(res.status(), StatusCode::OK, "/hazards{query}");
    let page = res.text().await.expect("page");
    let mut out = BTreeSet::new();
    let mut rest = page.as_str();
    while let Some(i) = rest.find(">YH-") {
        let cand = &rest[i + 1..];
        let end = cand.find('<').unwrap_or(cand.len());
        if is_ref_no(&cand[..end]) {
            out.insert(cand[..end].to_string());
        }
        rest = &rest[i + 4..];
    }
    out
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("xlsx is a zip");
    let mut file = zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut s = String::new();
    file.read_to_string(&mut s).expect("utf-8 xml");
    s
}

#[tokio::test]
async fn csv_has_a_bom_a_header_and_one_row_per_hazard_ref_no_first() {
    let app = TestApp::spawn().await;
    let a = app.school("EX-CSV-A");
    let b_school = app.school("EX-CSV-B");
    app.user("xcsv.a", Role::Staff, Some("EX-CSV-A"));
    app.user("xcsv.b", Role::Staff, Some("EX-CSV-B"));
    let ids = [
        app.report_hazard("xcsv.a", a, "general"),
        app.report_hazard("xcsv.a", a, "major"),
        app.report_hazard("xcsv.b", b_school, "general"),
    ];
    let expected: BTreeSet<String> = ids.iter().map(|id| ref_no(&app, *id)).collect();
    let b = app.logged_in("xcsv.bureau", Role::Bureau, None).await;

    let res = b.get("/hazards.csv").await;
    assert_eq!(res.status(), StatusCode::OK);
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert!(ct.starts_with("text/csv"), "{ct}");
    let body = res.bytes().await.expect("body");
    assert!(body.starts_with(BOM), "starts with the UTF-8 BOM");
    assert!(!body[BOM.len()..].starts_with(BOM), "only one BOM");
    let csv = parse_csv(&body[BOM.len()..]);
    assert_eq!(csv.header[0], "编号", "reference-number column first");
    assert!(
        csv.header.iter().any(|h| h == "隐患名称"),
        "{:?}",
        csv.header
    );
    assert_eq!(csv.rows.len(), 3, "one row per hazard");
    assert_eq!(csv.refs(), expected);
    for row in &csv.rows {
        assert!(is_ref_no(&row[0]), "{:?}", row[0]);
        assert!(
            row.iter().any(|c| c == "灭火器过期"),
            "title present: {row:?}"
        );
    }
    // English headers when asked for English.
    let en = get_csv(&b, "?lang=en").await;
    assert_eq!(en.header[0], "Ref. no.");
    assert_eq!(en.refs(), expected);
}

#[tokio::test]
async fn csv_cells_that_look_like_formulas_get_an_apostrophe() {
    let app = TestApp::spawn().await;
    let school = app.school("EX-INJ");
    app.user("xinj.staff", Role::Staff, Some("EX-INJ"));
    let f1 = report_with(&app, "xinj.staff", school, ["=1+1", "+SUM(A1)", "-2"]);
    let f2 = report_with(&app, "xinj.staff", school, ["@cmd", "\tx", "\rx"]);
    let plain = report_with(
        &app,
        "xinj.staff",
        school,
        ["楼梯扶手松动", "二号教学楼", "扶手螺丝脱落，a=b 不是公式"],
    );
    let b = app.logged_in("xinj.bureau", Role::Bureau, None).await;
    let csv = get_csv(&b, "").await;
    let col = |name: &str| {
        csv.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {:?}", csv.header))
    };
    let (title, location, description) = (col("隐患名称"), col("隐患地点"), col("隐患描述"));
    let row = |id: i64| {
        let r = ref_no(&app, id);
        csv.rows
            .iter()
            .find(|row| row[0] == r)
            .unwrap_or_else(|| panic!("no row for {r}"))
            .clone()
    };
    let r1 = row(f1);
    assert_eq!(r1[title], "'=1+1");
    assert_eq!(r1[location], "'+SUM(A1)");
    assert_eq!(r1[description], "'-2");
    let r2 = row(f2);
    assert_eq!(r2[title], "'@cmd");
    assert_eq!(r2[location], "'\tx");
    assert_eq!(r2[description], "'\rx");
    let r3 = row(plain);
    assert_eq!(r3[title], "楼梯扶手松动");
    assert_eq!(r3[location], "二号教学楼");
    assert_eq!(r3[description], "扶手螺丝脱落，a=b 不是公式");
    // The reference numbers start with a letter and are left alone.
    for r in [&r1, &r2, &r3] {
        assert!(is_ref_no(&r[0]), "{:?}", r[0]);
    }
    // No cell anywhere starts with a formula character.
    for r in &csv.rows {
        for c in r {
            let first = c.chars().next();
            assert!(
                !matches!(first, Some('=' | '+' | '-' | '@' | '\t' | '\r')),
                "unneutralised cell {c:?}"
            );
        }
    }
}

#[tokio::test]
async fn csv_filters_give_the_same_rows_as_the_ledger() {
    let app = TestApp::spawn().await;
    let school = app.school("EX-FLT");
    app.user("xflt.sadmin", Role::SchoolAdmin, Some("EX-FLT"));
    app.user("xflt.bureau", Role::Bureau, None);
    let g1 = app.report_hazard("xflt.sadmin", school, "general");
    let g2 = app.report_hazard("xflt.sadmin", school, "general");
    let m1 = app.report_hazard("xflt.sadmin", school, "major");
    let m2 = app.report_hazard("xflt.sadmin", school, "major");
    close(&app, "xflt.sadmin", "xflt.bureau", g2);
    close(&app, "xflt.sadmin", "xflt.bureau", m2);
    let refs = |ids: &[i64]| -> BTreeSet<String> { ids.iter().map(|i| ref_no(&app, *i)).collect() };
    let b = app.browser();
    b.login("xflt.bureau", PASSWORD).await;

    let cases: [(&str, Vec<i64>); 5] = [
        ("", vec![g1, g2, m1, m2]),
        ("?level=major", vec![m1, m2]),
        ("?state=closed", vec![g2, m2]),
        ("?state=closed&level=general", vec![g2]),
        ("?school=EX-FLT&state=reported", vec![g1, m1]),
    ];
    for (query, ids) in cases {
        let csv = get_csv(&b, query).await;
        assert_eq!(csv.refs(), refs(&ids), "csv {query}");
        assert_eq!(csv.rows.len(), ids.len(), "csv {query}: one row each");
        assert_eq!(ledger_refs(&b, query).await, csv.refs(), "ledger {query}");
    }
}

#[tokio::test]
async fn a_school_user_exports_only_their_own_school() {
    let app = TestApp::spawn().await;
    let own = app.school("EX-OWN");
    let other = app.school("EX-OTH");
    app.user("xown.other", Role::Staff, Some("EX-OTH"));
    let theirs = app.report_hazard("xown.other", other, "general");
    for (name, role) in [
        ("xown.staff", Role::Staff),
        ("xown.sadmin", Role::SchoolAdmin),
    ] {
        let b = app.logged_in(name, role, Some("EX-OWN")).await;
        let mine = app.report_hazard(name, own, "general");
        let csv = get_csv(&b, "").await;
        assert!(csv.refs().contains(&ref_no(&app, mine)), "{role}");
        assert!(!csv.refs().contains(&ref_no(&app, theirs)), "{role}");
        assert_eq!(
            app.count(&format!("hazards WHERE school_id = {own}")),
            csv.rows.len() as i64,
            "{role}: all of own school's and nothing else"
        );
        assert_eq!(get_csv(&b, "?school=EX-OWN").await.refs(), csv.refs());
        for path in ["/hazards.csv", "/hazards.xlsx"] {
            let res = b.get(&format!("{path}?school=EX-OTH")).await;
            assert_eq!(res.status(), StatusCode::NOT_FOUND, "{role} {path}");
            let body = res.text().await.expect("body");
            assert!(!body.contains(&ref_no(&app, theirs)), "{role} {path}");
        }
        let res = b.get("/hazards.xlsx").await;
        assert_eq!(res.status(), StatusCode::OK);
        let bytes = res.bytes().await.expect("body");
        let strings = unzip(&bytes, "xl/worksheets/sheet1.xml");
        assert!(strings.contains(&ref_no(&app, mine)), "{role} xlsx");
        assert!(!strings.contains(&ref_no(&app, theirs)), "{role} xlsx");
    }
}

#[tokio::test]
async fn the_admin_may_not_export_hazards() {
    let app = TestApp::spawn().await;
    let school = app.school("EX-ADM");
    app.user("xadm.staff", Role::Staff, Some("EX-ADM"));
    app.report_hazard("xadm.staff", school, "general");
    let b = app.logged_in("xadm.admin", Role::Admin, None).await;
    for path in ["/hazards.csv", "/hazards.xlsx"] {
        assert_eq!(b.get(path).await.status(), StatusCode::FORBIDDEN, "{path}");
    }
    // Nor may someone not logged in.
    let anon = app.browser();
    for path in ["/hazards.csv", "/hazards.xlsx"] {
        let res = anon.get(path).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&res).starts_with("/login"), "{path}");
    }
}

#[tokio::test]
async fn xlsx_is_a_workbook_with_a_frozen_header_and_string_cells() {
    let app = TestApp::spawn().await;
    let school = app.school("EX-XLS");
    app.user("xxls.staff", Role::Staff, Some("EX-XLS"));
    let plain = app.report_hazard("xxls.staff", school, "major");
    let cmd = report_with(&app, "xxls.staff", school, ["=cmd", "=1+1", "@SUM(A1)"]);
    let b = app.logged_in("xxls.viewer", Role::Viewer, None).await;

    let res = b.get("/hazards.xlsx").await;
    assert_eq!(res.status(), StatusCode::OK);
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    assert_eq!(ct, XLSX_TYPE);
    let bytes = res.bytes().await.expect("body");
    assert!(bytes.starts_with(b"PK"), "a ZIP file");

    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(sheet.contains("ySplit=\"1\""), "header row frozen: {sheet}");
    assert!(sheet.contains("state=\"frozen\""), "frozen pane: {sheet}");
    assert!(
        !sheet.contains("<f>") && !sheet.contains("<f "),
        "a formula: {sheet}"
    );
    assert!(
        !sheet.contains("t=\"str\""),
        "a formula result cell: {sheet}"
    );
    // Strings are inline in the sheet (it is written row by row, without a shared table).
    let strings = &sheet;
    for id in [plain, cmd] {
        let r = ref_no(&app, id);
        assert!(strings.contains(&format!(">{r}<")), "{r} in the sheet");
    }
    for text in ["编号", "隐患名称", "=cmd", "=1+1", "@SUM(A1)", "灭火器过期"] {
        assert!(
            strings.contains(&format!(">{text}<")),
            "{text} in the sheet"
        );
    }
    // The header and two rows: three rows in the sheet.
    assert_eq!(sheet.matches("<row ").count(), 3, "{sheet}");

    // Filters apply to the workbook too.
    let res = b.get("/hazards.xlsx?level=major").await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.expect("body");
    let strings = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert!(strings.contains(&ref_no(&app, plain)));
    assert!(
        !strings.contains(&ref_no(&app, cmd)),
        "general hazard filtered out"
    );
}

#[tokio::test]
async fn an_unknown_filter_value_is_refused() {
    let app = TestApp::spawn().await;
    let school = app.school("EX-422");
    app.user("x422.staff", Role::Staff, Some("EX-422"));
    app.report_hazard("x422.staff", school, "general");
    let b = app.logged_in("x422.bureau", Role::Bureau, None).await;
    for query in [
        "?state=bogus",
        "?level=huge",
        "?category=weather",
        "?source=moon",
    ] {
        for path in ["/hazards.csv", "/hazards.xlsx"] {
            let res = b.get(&format!("{path}{query}")).await;
            assert_eq!(
                res.status(),
                StatusCode::UNPROCESSABLE_ENTITY,
                "{path}{query}"
            );
        }
    }
    assert_eq!(
        b.get("/hazards.csv?state=reported").await.status(),
        StatusCode::OK
    );
}
