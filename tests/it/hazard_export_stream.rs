//! The ledger's exports stream from the database: a list longer than several batches comes out
//! whole and in the ledger's order, as a chunked body with no Content-Length, the BOM and the
//! header once; a client that leaves midway frees what served it.

use std::io::{Cursor, Read};

use reqwest::{StatusCode, header};
use xiaoan::db::DbConn;
use xiaoan::domain::role::Role;
use xiaoan::web::download::BATCH;

use crate::helpers::*;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// More than two batches, and not a multiple of one.
fn many() -> usize {
    2 * BATCH + 234
}

/// `n` copies of one reported hazard in `school`, straight into the table (the store would
/// take minutes): reference numbers `ST-<school>-<i>`, each its own title.
fn seed(app: &TestApp, reporter: &str, school: i64, n: usize) {
    let first = app.report_hazard(reporter, school, "general");
    let copied = "school_id, source, category, description, location, level, how_found, \
                  found_on, found_by, reported_by, reported_at, state, supervised, version, \
                  updated_at";
    let added = app.exec(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {n}) \
         INSERT INTO hazards (ref_no, title, {copied}) \
         SELECT 'ST-{school}-' || CAST(n.i AS TEXT), 'copy ' || CAST(n.i AS TEXT), {copied} \
         FROM hazards, n WHERE hazards.id = {first}"
    ));
    assert_eq!(added, n);
    app.exec(&format!("DELETE FROM hazards WHERE id = {first}"));
}

/// The school's reference numbers in the order the database sorts them by `order`.
fn refs_in_order(app: &TestApp, school: i64, order: &str) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct R {
        #[diesel(sql_type = diesel::sql_types::Text)]
        ref_no: String,
    }
    let rows: Vec<R> = diesel::RunQueryDsl::load(
        diesel::sql_query(format!(
            "SELECT ref_no FROM hazards WHERE school_id = {school} ORDER BY {order}"
        )),
        &mut *app.conn() as &mut DbConn,
    )
    .expect("refs");
    rows.into_iter().map(|r| r.ref_no).collect()
}

/// The body in the pieces it arrived in.
async fn pieces(res: &mut reqwest::Response) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = res.chunk().await.expect("a piece of the body") {
        out.push(chunk.to_vec());
    }
    out
}

fn assert_streamed(res: &reqwest::Response, what: &str) {
    assert_eq!(res.status(), StatusCode::OK, "{what}");
    assert!(
        res.headers().get(header::CONTENT_LENGTH).is_none(),
        "{what}: a streamed body has no Content-Length"
    );
    let te = res
        .headers()
        .get(header::TRANSFER_ENCODING)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    assert_eq!(te, "chunked", "{what}");
}

#[tokio::test]
async fn a_csv_of_many_batches_streams_every_row_in_the_ledgers_order() {
    let app = TestApp::spawn().await;
    let school = app.school("ST-CSV");
    app.user("stcsv.staff", Role::Staff, Some("ST-CSV"));
    seed(&app, "stcsv.staff", school, many());
    let b = app.logged_in("stcsv.bureau", Role::Bureau, None).await;

    for (query, order) in [
        ("", "reported_at DESC, id DESC"),
        ("&sort=oldest", "updated_at ASC, id ASC"),
    ] {
        let path = format!("/hazards.csv?school=ST-CSV{query}");
        let mut res = b.get(&path).await;
        assert_streamed(&res, &path);
        let parts = pieces(&mut res).await;
        assert!(parts.len() > 1, "{path}: the body came in one piece");
        let body: Vec<u8> = parts.concat();
        assert!(body.starts_with(BOM), "{path}: starts with the BOM");
        let text = std::str::from_utf8(&body[BOM.len()..]).expect("UTF-8");
        assert!(!text.contains('\u{FEFF}'), "{path}: one BOM only");
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("编号,"), "{path}: {}", lines[0]);
        assert_eq!(
            lines.iter().filter(|l| **l == lines[0]).count(),
            1,
            "{path}: one header"
        );
        let got: Vec<String> = lines[1..]
            .iter()
            .map(|l| l.split(',').next().unwrap_or("").to_string())
            .collect();
        assert_eq!(got.len(), many(), "{path}: every row");
        assert_eq!(got, refs_in_order(&app, school, order), "{path}: in order");
    }
}

fn unzip(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).expect("xlsx is a zip");
    let mut file = zip.by_name(name).unwrap_or_else(|e| panic!("{name}: {e}"));
    let mut s = String::new();
    file.read_to_string(&mut s).expect("utf-8 xml");
    s
}

#[tokio::test]
async fn a_workbook_of_many_batches_holds_every_row_in_order() {
    let app = TestApp::spawn().await;
    let school = app.school("ST-XLS");
    app.user("stxls.staff", Role::Staff, Some("ST-XLS"));
    seed(&app, "stxls.staff", school, many());
    let b = app.logged_in("stxls.viewer", Role::Viewer, None).await;

    let mut res = b.get("/hazards.xlsx?school=ST-XLS").await;
    assert_streamed(&res, "xlsx");
    let bytes = pieces(&mut res).await.concat();
    let sheet = unzip(&bytes, "xl/worksheets/sheet1.xml");
    assert_eq!(sheet.matches("<row ").count(), many() + 1, "header + rows");
    // Every reference number, in the ledger's order (cells are inline strings).
    let prefix = format!("ST-{school}-");
    let got: Vec<&str> = sheet
        .split("<t>")
        .skip(1)
        .filter_map(|s| s.split("</t>").next())
        .filter(|t| t.starts_with(&prefix))
        .collect();
    assert_eq!(
        got,
        refs_in_order(&app, school, "reported_at DESC, id DESC"),
        "in order"
    );
    let last = format!("A1:U{}", many() + 1);
    assert!(
        sheet.contains(&last),
        "the autofilter spans every row: {last}"
    );
}

#[tokio::test]
async fn downloads_left_midway_free_their_connections() {
    let app = TestApp::spawn().await;
    let school = app.school("ST-GONE");
    app.user("stgone.staff", Role::Staff, Some("ST-GONE"));
    seed(&app, "stgone.staff", school, many());
    let b = app.logged_in("stgone.bureau", Role::Bureau, None).await;

    // Three times as many as the pool has connections, each read one piece and dropped.
    for i in 0..3 * app.config.pool_size {
        let path = if i % 2 == 0 {
            "/hazards.csv"
        } else {
            "/hazards.xlsx"
        };
        let mut res = b.get(path).await;
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert!(
            res.chunk().await.expect("a first piece").is_some(),
            "{path}"
        );
        drop(res);
    }
    // The server still answers from the database, and a whole export still comes out.
    let res = b.get("/hazards").await;
    assert_eq!(res.status(), StatusCode::OK);
    let mut res = b.get("/hazards.csv").await;
    let body = pieces(&mut res).await.concat();
    assert_eq!(
        std::str::from_utf8(&body).expect("UTF-8").lines().count(),
        many() + 1
    );
}
