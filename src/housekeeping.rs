//! What a running server does by itself every half hour: forget expired sessions and stale login
//! counts, and keep the county's settled report months, so the first reader after a month ends
//! does not wait for the trail's replay. Every instance may run it: each step is idempotent.

use std::time::Duration;

use crate::config::Config;
use crate::db::Pool;
use crate::domain::time;
use crate::store::{sessions, throttle};
use crate::web::reports::section;

const EVERY: Duration = Duration::from_secs(30 * 60);

/// What one round did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sessions_purged: usize,
    pub throttle_rows_purged: usize,
    pub months_kept: usize,
}

/// One round, on the calling thread (blocking).
pub fn run_once(pool: &Pool, config: &Config) -> Result<Round, String> {
    let mut conn = pool.get().map_err(|e| e.to_string())?;
    // Sessions and throttling live on the system clock, records and reports on the app's.
    let now = time::now();
    Ok(Round {
        sessions_purged: sessions::purge_expired(&mut conn, config.session, now)
            .map_err(|e| format!("purging sessions: {e}"))?,
        throttle_rows_purged: throttle::purge_stale(&mut conn, now)
            .map_err(|e| format!("purging login counts: {e}"))?,
        months_kept: section::keep_county_months(&mut conn, config.clock.now())
            .map_err(|e| format!("keeping report months: {e}"))?,
    })
}

/// Runs a round now and every half hour after, off the request threads, for as long as the
/// runtime lives. A failed round is logged and the next one tries again.
pub fn spawn(pool: Pool, config: Config) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tick.tick().await;
            let (pool, config) = (pool.clone(), config.clone());
            let started = std::time::Instant::now();
            match tokio::task::spawn_blocking(move || run_once(&pool, &config)).await {
                Ok(Ok(round)) if round != Round::default() => {
                    let ms = started.elapsed().as_millis();
                    tracing::info!(?round, ms, "housekeeping done")
                }
                Ok(Ok(_)) => {}
                Ok(Err(e)) => tracing::warn!("housekeeping failed: {e}"),
                Err(e) => tracing::warn!("housekeeping stopped short: {e}"),
            }
        }
    });
}
