//! What a running server does by itself every half hour: forget expired sessions, stale login
//! counts, refused forms' drafts and files no form claimed, and keep every module's settled
//! report months of the county, so the first reader after a month ends does not wait for the
//! trail's replay; send the day's deadline reminders and forget old webhook deliveries. Every
//! instance may run it: each step is idempotent.

use std::time::Duration;

use crate::config::Config;
use crate::domain::time;
use crate::report;
use crate::store::notifications::{self, outbox};
use crate::store::{Pool, attachments, drafts, files, sessions, throttle};

const EVERY: Duration = Duration::from_secs(30 * 60);
/// A refused form waits this long for its second try.
const DRAFTS_KEPT: chrono::Duration = chrono::Duration::days(1);
/// A webhook delivery, done or given up, stays this long for a look at what was sent.
const DELIVERIES_KEPT: chrono::Duration = chrono::Duration::days(30);

/// What one round did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Round {
    pub sessions_purged: usize,
    pub throttle_rows_purged: usize,
    pub drafts_purged: usize,
    pub pending_files_purged: usize,
    pub months_kept: usize,
    /// Records whose deadline reminder went out (once a day each).
    pub reminders_sent: usize,
    pub webhook_rows_purged: usize,
    /// Partial uploads a crash or a full disk left (older than an hour).
    pub temporaries_removed: usize,
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
        drafts_purged: drafts::purge(&mut conn, now - DRAFTS_KEPT)
            .map_err(|e| format!("purging form drafts: {e}"))?,
        pending_files_purged: purge_unclaimed(&mut conn, config)?,
        months_kept: report::keep_every_county_month(&mut conn, config.clock.now())
            .map_err(|e| format!("keeping report months: {e}"))?,
        reminders_sent: notifications::remind_all(&mut conn, config.clock.now())
            .map_err(|e| format!("sending reminders: {e}"))?,
        webhook_rows_purged: outbox::purge_finished(
            &mut conn,
            config.clock.now() - DELIVERIES_KEPT,
        )
        .map_err(|e| format!("purging webhook deliveries: {e}"))?,
        temporaries_removed: files::remove_stale_temporaries(
            &config.uploads_dir(),
            std::time::Duration::from_secs(3600),
        )
        .map_err(|e| format!("removing temporary uploads: {e}"))?,
    })
}

/// Forgets files kept for forms that never succeeded, and the bytes no record uses any more.
fn purge_unclaimed(conn: &mut crate::store::Conn, config: &Config) -> Result<usize, String> {
    // Files carry the app's time, like the records they belong to.
    let (purged, freed) = attachments::purge_pending(conn, config.clock.now() - DRAFTS_KEPT)
        .map_err(|e| format!("purging unclaimed files: {e}"))?;
    let since = std::time::SystemTime::now() - std::time::Duration::from_secs(24 * 3600);
    for sha in &freed {
        if let Err(e) = files::remove_unused(&config.uploads_dir(), sha, since) {
            tracing::warn!(sha, "could not remove an unused file: {e}");
        }
    }
    Ok(purged)
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
