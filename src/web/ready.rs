//! `GET /readyz`: whether this instance can take work — the database reachable and writable,
//! and room on the disk. A monitor's text, not a page: `ok`, or `not ready: <why>` with 503.
//! (`/healthz` stays free of the database: it says the process answers.)

use std::time::Duration;

use actix_web::{HttpResponse, http::header, web};

use super::state::State;
use crate::store::{health, storage};

/// A monitor waits this long at most, even when the database does not answer.
const PROBE_TIMEOUT: Duration = Duration::from_secs(5);

pub async fn readyz(state: State) -> HttpResponse {
    let answer = match tokio::time::timeout(PROBE_TIMEOUT, problems(state)).await {
        Ok(found) => found,
        Err(_) => vec!["database: no answer within 5 s".to_string()],
    };
    let (mut res, body) = if answer.is_empty() {
        (HttpResponse::Ok(), "ok".to_string())
    } else {
        (
            HttpResponse::ServiceUnavailable(),
            format!("not ready: {}", answer.join("; ")),
        )
    };
    res.content_type("text/plain; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body)
}

async fn problems(state: State) -> Vec<String> {
    let mut found = Vec::new();
    let pool = state.pool.clone();
    let db = web::block(move || -> Result<(), String> {
        let mut conn = pool.get().map_err(|e| e.to_string())?;
        health::probe_write(&mut conn, false).map_err(|e| e.to_string())
    })
    .await;
    match db {
        Ok(Ok(())) => {}
        Ok(Err(e)) if storage::is_full_message(&e) => found.push(format!("storage full: {e}")),
        Ok(Err(e)) => found.push(format!("database: {}", one_line(&e))),
        Err(e) => found.push(format!("database: {e}")),
    }
    let dirs = [state.config.data_dir.clone(), state.config.uploads_dir()];
    for dir in dirs.into_iter().filter(|d| d.exists()) {
        match storage::free_bytes(&dir) {
            Ok(free) if free < state.config.min_free_bytes => found.push(format!(
                "storage full: {} MiB free under {}",
                free / (1024 * 1024),
                dir.display()
            )),
            Ok(_) => {}
            Err(e) => found.push(format!("storage: {}: {e}", dir.display())),
        }
    }
    found.dedup();
    found
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
