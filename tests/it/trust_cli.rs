//! Issue 10's command-line faults: a PostgreSQL that never answers, a mistyped data dir, a
//! failed command on a new database, and a SIGTERM while a body stalls.

use std::io::Write;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use crate::cli_helpers::*;
use crate::helpers::*;

/// A "PostgreSQL" that accepts connections and never says a word.
fn silent_server() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let url = format!("postgres://xiaoan:secret@127.0.0.1:{port}/xiaoan");
    (listener, url)
}

#[test]
fn a_postgres_that_accepts_and_never_answers_fails_serve_and_audit_verify_within_the_timeout() {
    let (_held, url) = silent_server();
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        &["--db-connect-timeout", "1", "audit", "verify"][..],
        &[
            "--db-connect-timeout",
            "1",
            "serve",
            "--bind",
            "127.0.0.1:0",
        ][..],
    ] {
        let started = Instant::now();
        let run = run_in(dir.path(), Some(&url), args, None);
        let took = started.elapsed();
        let line = run.one_line_error();
        assert!(
            took < Duration::from_secs(8),
            "{args:?} gave up after {took:?}, not within the 1 s timeout"
        );
        assert!(
            line.contains("timeout") || line.contains("timed out"),
            "{args:?}: the error says it timed out: {line}"
        );
    }
}

#[test]
fn audit_verify_on_a_mistyped_data_dir_refuses_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let typo = dir.path().join("dta");
    let line = run_in(&typo, None, &["audit", "verify"], None).one_line_error();
    assert!(line.contains("no database"), "{line}");
    assert!(!typo.exists(), "no data dir was created for the typo");
}

#[test]
fn a_failed_user_add_or_school_add_leaves_no_new_database_behind() {
    let dir = tempfile::tempdir().expect("temp dir");
    let fresh = dir.path().join("new");
    let line = run_in(
        &fresh,
        None,
        &[
            "user",
            "add",
            "--username",
            "zhang.san",
            "--role",
            "staff",
            "--school",
            "NOPE-1",
        ],
        Some(&format!("{PASSWORD}\n")),
    )
    .one_line_error();
    assert!(
        line.contains("school"),
        "the unknown school is named: {line}"
    );
    assert!(!fresh.exists(), "the failed command left {fresh:?}");

    // A database that existed before a failed command stays, with nothing written.
    run_in(&fresh, None, &["migrate"], None).assert_ok();
    let before = std::fs::metadata(fresh.join("xiaoan.db"))
        .expect("db")
        .len();
    run_in(
        &fresh,
        None,
        &[
            "user",
            "add",
            "--username",
            "li.si",
            "--role",
            "staff",
            "--school",
            "NOPE-1",
        ],
        Some(&format!("{PASSWORD}\n")),
    )
    .one_line_error();
    assert!(
        fresh.join("xiaoan.db").exists(),
        "an existing database is kept"
    );
    assert!(
        std::fs::metadata(fresh.join("xiaoan.db"))
            .expect("db")
            .len()
            >= before
    );
}

#[test]
fn a_postgres_that_hangs_up_gives_one_line_though_libpq_says_three() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for conn in listener.incoming().flatten() {
            drop(conn);
        }
    });
    let url = format!("postgres://xiaoan:secret@127.0.0.1:{port}/xiaoan");
    let dir = tempfile::tempdir().expect("temp dir");
    let line = run_in(dir.path(), Some(&url), &["audit", "verify"], None).one_line_error();
    assert!(
        line.contains("closed the connection"),
        "libpq's reason is kept: {line}"
    );
}

#[test]
fn sigterm_stops_serve_within_a_few_seconds_while_a_request_body_stalls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut served = serve(dir.path(), None, &[]);
    let addr = served.base.trim_start_matches("http://").to_string();
    // A login whose body never comes: headers promise 100 bytes, none follow.
    let mut stalled = std::net::TcpStream::connect(&addr).expect("connect");
    write!(
        stalled,
        "POST /login HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n"
    )
    .expect("send headers");
    std::thread::sleep(Duration::from_millis(300));
    let started = Instant::now();
    let status = sigterm_and_wait(&mut served.child.0);
    let took = started.elapsed();
    assert!(status.success(), "serve exits 0 after SIGTERM: {status}");
    assert!(
        took < Duration::from_secs(8),
        "a stalled body held the shutdown for {took:?}"
    );
}
