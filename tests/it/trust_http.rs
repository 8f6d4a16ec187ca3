//! Issue 10's HTTP edges: readiness, HEAD, caching of private pages, request bodies that
//! stall or are too large, the pre-login CSRF cookie and the configured public origin.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::CACHE_CONTROL;
use xiaoan::domain::role::Role;

use crate::helpers::*;

#[tokio::test]
async fn readyz_is_ok_while_the_database_takes_writes_and_503_when_storage_runs_low() {
    let app = TestApp::spawn().await;
    let b = Browser::new(&app.base);
    let res = b.get("/readyz").await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.text().await.unwrap_or_default(), "ok");
    assert_eq!(
        app.count("counters WHERE name = 'health.write_probe'"),
        0,
        "nothing kept"
    );

    let starved = TestApp::spawn_with(|c| c.min_free_bytes = u64::MAX).await;
    let res = Browser::new(&starved.base).get("/readyz").await;
    assert_eq!(res.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body = res.text().await.unwrap_or_default();
    assert!(body.starts_with("not ready: storage full"), "{body}");
    // The process itself still answers.
    assert_eq!(
        Browser::new(&starved.base).get("/healthz").await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn head_is_answered_wherever_get_is_with_the_same_status_and_no_body() {
    let app = TestApp::spawn().await;
    app.school("CX-0101");
    let bureau = app.logged_in("bureau", Role::Bureau, None).await;
    let anon = Browser::new(&app.base);
    for (b, path, status) in [
        (&anon, "/healthz", StatusCode::OK),
        (&anon, "/readyz", StatusCode::OK),
        (&anon, "/login", StatusCode::OK),
        (&anon, "/hazards", StatusCode::SEE_OTHER),
        (&bureau, "/", StatusCode::OK),
        (&bureau, "/hazards", StatusCode::OK),
        (&bureau, "/hazards/999999", StatusCode::NOT_FOUND),
    ] {
        let get = b.get(path).await.status();
        let res = b.client.head(b.url(path)).send().await.expect("HEAD");
        assert_eq!(res.status(), status, "HEAD {path}");
        assert_eq!(get, status, "GET {path}");
        assert!(
            res.bytes().await.unwrap_or_default().is_empty(),
            "HEAD {path} has no body"
        );
    }
}

#[tokio::test]
async fn private_pages_and_photos_are_never_stored_by_a_cache() {
    let app = TestApp::spawn().await;
    let school = app.school("CX-0101");
    let admin = app
        .logged_in("yucai.admin", Role::SchoolAdmin, Some("CX-0101"))
        .await;
    let id = app.report_hazard("yucai.admin", school, "general");
    let photo = app.photo(
        "yucai.admin",
        id,
        xiaoan::domain::attachments::Stage::Before,
        3,
    );
    for path in [
        "/".to_string(),
        format!("/hazards/{id}"),
        format!("/attachments/{photo}"),
        format!("/attachments/{photo}/thumb"),
        "/hazards.csv".to_string(),
        "/hazards/999999".to_string(),
    ] {
        let res = admin.get(&path).await;
        let cache = res
            .headers()
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok());
        assert_eq!(cache, Some("no-store"), "{path} ({})", res.status());
    }
    let login = Browser::new(&app.base).get("/login").await;
    assert_eq!(
        login
            .headers()
            .get(CACHE_CONTROL)
            .and_then(|v| v.to_str().ok()),
        Some("no-store"),
        "the login form holds a token"
    );
}

/// Sends raw bytes (off the async threads) and returns what the server answered, status line
/// first ("" if it closed without a word), and how long the answer took.
async fn raw(base: &str, request: Vec<u8>) -> (String, Duration) {
    let addr = base.trim_start_matches("http://").to_string();
    tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        s.write_all(&request).expect("write");
        let started = Instant::now();
        let mut buf = vec![0u8; 4096];
        let n = s.read(&mut buf).unwrap_or(0);
        (
            String::from_utf8_lossy(&buf[..n]).into_owned(),
            started.elapsed(),
        )
    })
    .await
    .expect("the raw request ran")
}

fn stalled_post(path: &str, length: usize, cookie: &str) -> Vec<u8> {
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {length}\r\nCookie: {cookie}\r\n\r\nusername=a"
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_login_body_times_out_and_a_private_route_answers_before_reading_one() {
    let app = TestApp::spawn_with(|c| c.body_idle = Duration::from_secs(1)).await;
    let (login, took) = raw(&app.base, stalled_post("/login", 500, "")).await;
    assert!(login.starts_with("HTTP/1.1 408"), "{login}");
    assert!(took < Duration::from_secs(5), "timed out after {took:?}");

    // No session: the redirect to the login comes at once, the body never read.
    let (private, took) = raw(&app.base, stalled_post("/hazards", 500, "")).await;
    assert!(private.starts_with("HTTP/1.1 303"), "{private}");
    assert!(took < Duration::from_millis(900), "answered after {took:?}");
}

#[tokio::test]
async fn a_body_declaring_more_than_any_route_takes_is_too_large_before_it_is_sent() {
    let app = TestApp::spawn().await;
    let admin = app.logged_in("yucai.admin", Role::SchoolAdmin, None).await;
    let cookie = format!(
        "xiaoan_session={}",
        admin.cookie("xiaoan_session").unwrap_or_default()
    );
    let (answer, _) = raw(
        &app.base,
        stalled_post("/hazards", 13 * 1024 * 1024, &cookie),
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test]
async fn an_upload_over_the_limit_with_its_token_in_a_field_is_too_large_not_forbidden() {
    let app = TestApp::spawn().await;
    let school = app.school("CX-0101");
    let admin = app
        .logged_in("yucai.admin", Role::SchoolAdmin, Some("CX-0101"))
        .await;
    let id = app.report_hazard("yucai.admin", school, "general");
    let token = admin.csrf().await;
    let part = reqwest::multipart::Part::bytes(vec![7u8; 13 * 1024 * 1024]).file_name("big.png");
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("stage", "before")
        .part("file", part);
    let res = admin
        .client
        .post(admin.url(&format!("/hazards/{id}/photos")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.count("attachments"), 0);

    // Chunked, the size shows only while the body is read for its token.
    let cookie = format!(
        "xiaoan_session={}",
        admin.cookie("xiaoan_session").unwrap_or_default()
    );
    let addr = app.base.trim_start_matches("http://").to_string();
    let answer = tokio::task::spawn_blocking(move || {
        let mut s = TcpStream::connect(&addr).expect("connect");
        s.set_read_timeout(Some(Duration::from_secs(20)))
            .expect("timeout");
        let head = format!(
            "POST /hazards/{id}/photos HTTP/1.1\r\nHost: {addr}\r\nCookie: {cookie}\r\n\
             Content-Type: multipart/form-data; boundary=XX\r\nTransfer-Encoding: chunked\r\n\r\n"
        );
        let _ = s.write_all(head.as_bytes());
        let chunk = vec![b'a'; 1024 * 1024];
        for _ in 0..13 {
            if s.write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                .is_err()
                || s.write_all(&chunk).is_err()
                || s.write_all(b"\r\n").is_err()
            {
                break;
            }
        }
        let mut buf = vec![0u8; 1024];
        let n = s.read(&mut buf).unwrap_or(0);
        String::from_utf8_lossy(&buf[..n]).into_owned()
    })
    .await
    .expect("ran");
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[tokio::test]
async fn a_pre_login_csrf_cookie_the_server_did_not_issue_is_not_a_token() {
    let app = TestApp::spawn().await;
    app.user("zhang", Role::Bureau, None);
    let planted = "A".repeat(43);
    let b = Browser::new(&app.base);
    let res = b
        .client
        .post(b.url("/login"))
        .header("Cookie", format!("xiaoan_csrf={planted}"))
        .form(&[
            ("username", "zhang"),
            ("password", PASSWORD),
            ("csrf_token", &planted),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "a planted token logs no one in"
    );
    assert_eq!(app.count("sessions"), 0);
    // The server's own cookie and token still work.
    assert_eq!(
        b.login("zhang", PASSWORD).await.status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn with_a_public_origin_set_a_post_must_come_from_it() {
    let app =
        TestApp::spawn_with(|c| c.public_origin = Some("https://xiaoan.example.cn".into())).await;
    app.user("zhang", Role::Bureau, None);
    let b = Browser::new(&app.base);
    let token = b.csrf().await;
    let login = |origin: &'static str| {
        b.client
            .post(b.url("/login"))
            .header("Origin", origin)
            .form(&[
                ("username", "zhang"),
                ("password", PASSWORD),
                ("csrf_token", &token),
            ])
            .send()
    };
    // The request's own Host is not enough once the public origin is known.
    let own = app.base.clone().leak();
    assert_eq!(
        login(own).await.expect("POST").status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        login("https://xiaoan.example.cn")
            .await
            .expect("POST")
            .status(),
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_photo_whose_pixels_would_need_too_much_memory_is_refused_with_a_message() {
    let app = TestApp::spawn().await;
    let school = app.school("CX-0101");
    let admin = app
        .logged_in("yucai.admin", Role::SchoolAdmin, Some("CX-0101"))
        .await;
    let id = app.report_hazard("yucai.admin", school, "general");
    // The header of a 6000 x 6600 16-bit RGBA PNG: 39.6 MP, but 317 MB once decoded.
    let mut bomb = b"\x89PNG\r\n\x1a\n".to_vec();
    let ihdr = [
        &6000u32.to_be_bytes()[..],
        &6600u32.to_be_bytes(),
        &[16, 6, 0, 0, 0],
    ]
    .concat();
    let idat = [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01];
    for (kind, data) in [(b"IHDR", &ihdr[..]), (b"IDAT", &idat), (b"IEND", &[])] {
        let body = [&kind[..], data].concat();
        bomb.extend_from_slice(&(data.len() as u32).to_be_bytes());
        bomb.extend_from_slice(&body);
        bomb.extend_from_slice(&crc32(&body).to_be_bytes());
    }
    let started = Instant::now();
    let token = admin.csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("csrf_token", token)
        .text("stage", "before")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bomb).file_name("bomb.png"),
        );
    let res = admin
        .client
        .post(admin.url(&format!("/hazards/{id}/photos")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = res.status();
    let page = res.text().await.unwrap_or_default();
    assert!(status.is_client_error(), "{status}");
    assert!(
        page.contains("像素") || page.contains("pixels"),
        "the page says why"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(app.count("attachments"), 0);
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}
