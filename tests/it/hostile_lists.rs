//! The corpus in every list's and export's query, every page's `draft` and `lang`, and the
//! small forms around them: a month's submission and return, notifications marked read.

use xiaoan::domain::hazards::input::{ReportDraft, validate_report};
use xiaoan::domain::month::Month;
use xiaoan::domain::role::Role;
use xiaoan::store::hazards;
use xiaoan::web::forms::DraftQuery;
use xiaoan::web::hazards::LedgerQuery;
use xiaoan::web::notifications::list::ListQuery;
use xiaoan::web::notifications::read::ReadForm;
use xiaoan::web::reports::scope::ReportQuery;
use xiaoan::web::reports::submissions::{MonthQuery, SubmitForm};

use crate::helpers::*;
use crate::hostile::{Probe, V, corpus, escaped, fields_of};

const SCHOOL: &str = "HL-1";
const XSS: &str = "<script>alert(1)</script>";

/// Every `path?field=value` of the corpus for these paths and fields.
pub fn queries(paths: &[&str], fields: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for path in paths {
        for field in fields {
            for v in corpus() {
                let sep = if path.contains('?') { '&' } else { '?' };
                let q = v.query();
                // Past what a client's URL holds (64 KiB): `an_over_long_request_line…` sends it.
                if q.len() < 60_000 {
                    out.push(format!("{path}{sep}{field}={q}"));
                }
            }
        }
    }
    out
}

#[tokio::test]
async fn hostile_filters_of_every_list_and_export_are_refused_or_shown_escaped() {
    let app = TestApp::spawn().await;
    let school = app.school(SCHOOL);
    app.user("h.teacher", Role::Staff, Some(SCHOOL));
    // A hazard whose title is a payload, so that every list draws one.
    let draft = ReportDraft {
        source: "campus".into(),
        category: "fire".into(),
        title: XSS.into(),
        level: "general".into(),
        found_on: today().to_string(),
        ..Default::default()
    };
    let report = validate_report(&draft, today()).expect("a payload is a valid title");
    hazards::report(
        &mut app.conn(),
        &app.by_name("h.teacher"),
        school,
        &report,
        None,
    )
    .expect("report");
    let bureau = app.logged_in("h.bureau", Role::Bureau, None).await;
    let mut p = Probe::new(&app, &bureau).await;
    let ledger = bureau.text("/hazards").await;
    assert!(
        ledger.contains(&escaped(XSS)),
        "the ledger shows the title escaped"
    );
    let lists = [
        "/hazards",
        "/hazards/review",
        "/hazards/overdue",
        "/hazards/supervised",
        "/hazards.csv",
        "/hazards.xlsx",
    ];
    p.get_all(queries(&lists, &fields_of::<LedgerQuery>()))
        .await;
    let reports = [
        "/reports/monthly",
        "/reports/monthly.csv",
        "/reports/monthly.xlsx",
        "/reports/monthly.json",
    ];
    // A past month's figures are kept the first time they are read, by design.
    p.may_write(&["report_snapshots"]);
    p.get_all(queries(&reports, &fields_of::<ReportQuery>()))
        .await;
    p.get_all(queries(
        &["/reports/submissions"],
        &fields_of::<MonthQuery>(),
    ))
    .await;
    p.get_all(queries(&["/notifications"], &fields_of::<ListQuery>()))
        .await;
    let hazard = app.text_of("SELECT CAST(MIN(id) AS TEXT) AS v FROM hazards");
    let pages = ["/hazards/new".to_string(), format!("/hazards/{hazard}")];
    let pages: Vec<&str> = pages.iter().map(String::as_str).collect();
    p.get_all(queries(&pages, &fields_of::<DraftQuery>())).await;
    p.get_all(queries(&["/", "/hazards"], &["lang"])).await;
    let admin = app.logged_in("h.root", Role::Admin, None).await;
    let mut pa = Probe::new(&app, &admin).await;
    let user = app.text_of("SELECT CAST(MIN(id) AS TEXT) AS v FROM users");
    let forms = [
        "/settings".to_string(),
        "/schools/new".into(),
        "/users/new".into(),
        format!("/schools/{school}/edit"),
        format!("/users/{user}/edit"),
    ];
    let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
    p.get_all(queries(&forms, &["draft"])).await;
    pa.get_all(queries(&forms, &fields_of::<DraftQuery>()))
        .await;
    pa.get_all(queries(&["/schools", "/users"], &["page", "q"]))
        .await;
    crate::hostile::report("lists and exports", p.sent + pa.sent, 0);
}

#[tokio::test]
async fn hostile_submissions_returns_and_reads_save_nothing_or_exactly_what_was_typed() {
    let app = TestApp::spawn().await;
    let school = app.school(SCHOOL);
    let officer = app
        .logged_in("h.officer", Role::SchoolAdmin, Some(SCHOOL))
        .await;
    let bureau = app.logged_in("h.bureau", Role::Bureau, None).await;
    let mut po = Probe::new(&app, &officer).await;
    let mut pb = Probe::new(&app, &bureau).await;
    let month = Month::last_ended(xiaoan::domain::time::now()).label();
    let mut submitted = false;
    for field in fields_of::<SubmitForm>() {
        for v in corpus() {
            let a = po
                .post("/reports/monthly/submit", &[(field, v.clone())], false)
                .await;
            // A blank month is the last that has ended, as on the report's page.
            assert!(
                !a.accepted || v.text() == Some(""),
                "only a month is submitted: {v:?}"
            );
            submitted |= a.accepted;
        }
    }
    if !submitted {
        let a = po
            .post(
                "/reports/monthly/submit",
                &[("month", V::Text(month.clone()))],
                false,
            )
            .await;
        assert!(a.accepted, "the month is submitted: {}", a.status);
    }
    let id = app.text_of(&format!(
        "SELECT CAST(id AS TEXT) AS v FROM report_submissions WHERE school_id = {school}"
    ));
    for (i, v) in corpus().into_iter().enumerate() {
        let path = format!("/reports/submissions/{id}/return");
        let a = pb.post(&path, &[("comment", v.clone())], i % 2 == 0).await;
        if !a.accepted {
            continue;
        }
        if let Some(text) = v.text() {
            let kept = app.text_of(&format!(
                "SELECT return_comment AS v FROM report_submissions WHERE id = {id}"
            ));
            assert_eq!(kept, text, "the return's comment stored as typed");
        }
        // Submitted again, so that the next value can be tried on a month to return.
        let again = po
            .post(
                "/reports/monthly/submit",
                &[("month", V::Text(month.clone()))],
                false,
            )
            .await;
        assert!(again.accepted, "a returned month is submitted again");
    }
    // Something to mark read, then every field of the form.
    app.user("h.teacher", Role::Staff, Some(SCHOOL));
    app.report_hazard("h.teacher", school, "general");
    for field in fields_of::<ReadForm>() {
        for v in corpus() {
            po.post("/notifications/read", &[(field, v)], false).await;
        }
    }
    crate::hostile::report(
        "submissions, returns, reads",
        po.sent + pb.sent,
        po.accepted + pb.accepted,
    );
}

#[tokio::test]
async fn an_over_long_request_line_is_refused_cleanly() {
    let app = TestApp::spawn().await;
    for path in ["/hazards?q=", "/login?lang=", "/reports/monthly?month="] {
        for n in [10_000, 300_000] {
            let head = raw_status(&app, &format!("GET {path}{} HTTP/1.1", "x".repeat(n))).await;
            // Answered, refused (431) or cut off: never a server error.
            let code: u16 = head
                .split(' ')
                .nth(1)
                .and_then(|c| c.parse().ok())
                .unwrap_or(0);
            assert!(code < 500, "{path} {n}: {head}");
            println!("{path} with {n} characters: {head:?}");
        }
    }
}

/// The status line the server answers a hand-written request with ("" if it hung up).
async fn raw_status(app: &TestApp, line: &str) -> String {
    use std::io::{Read, Write};
    let addr = app.base.trim_start_matches("http://").to_string();
    let req = format!("{line}\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    // Blocking I/O off the runtime that serves the app.
    tokio::task::spawn_blocking(move || {
        let mut s = std::net::TcpStream::connect(&addr).expect("connect");
        // The server may answer and hang up before the whole line is written.
        let _ = s.write_all(req.as_bytes());
        let mut buf = vec![0u8; 256];
        let n = s.read(&mut buf).unwrap_or(0);
        String::from_utf8_lossy(&buf[..n])
            .lines()
            .next()
            .unwrap_or("")
            .to_string()
    })
    .await
    .expect("raw request")
}

#[tokio::test]
async fn a_nul_in_a_query_or_a_form_is_refused_with_422_on_either_database() {
    let app = TestApp::spawn().await;
    app.school(SCHOOL);
    let anonymous = app.browser();
    let mut p = Probe::new(&app, &anonymous).await;
    let a = p
        .post(
            "/login",
            &[
                ("username", V::Raw(b"a%00b")),
                ("password", V::Text("x".into())),
            ],
            false,
        )
        .await;
    assert_eq!(a.status, 422, "a username holding a NUL names nobody");
    let bureau = app.logged_in("h.bureau", Role::Bureau, None).await;
    for path in [
        "/hazards?q=a%00b",
        "/hazards?school=%00",
        "/reports/monthly?school=a%00",
    ] {
        let res = bureau.get(path).await;
        assert_eq!(res.status(), 422, "{path}");
    }
    let mut p = Probe::new(&app, &bureau).await;
    let a = p
        .multipart(
            "/hazards",
            vec![
                ("title", None, b"a\0b".to_vec()),
                ("school", None, SCHOOL.into()),
            ],
        )
        .await;
    assert_eq!(a.status, 422, "a multipart field holding a NUL");
    let admin = app.logged_in("h.root", Role::Admin, None).await;
    let mut p = Probe::new(&app, &admin).await;
    let file = b"username,role,school\nh.new,staff,HL\x001\n".to_vec();
    let a = p
        .multipart("/users/import", vec![("file", Some("u.csv".into()), file)])
        .await;
    assert_eq!(a.status, 422, "an import's school code holding a NUL");
}
