//! The webhook courier: sends the queued notices (`store::notifications::outbox`) to the
//! county's address as JSON, off the request path, retrying with backoff
//! (`domain::notify::RETRY_AFTER`) and giving up after the last try. `serve` runs it every
//! `Config::webhook_every`; every instance may, since each try is claimed by exactly one.

use futures_util::StreamExt;

use chrono::NaiveDateTime;

use crate::config::Config;
use crate::domain::notify;
use crate::store::notifications::outbox::{self, Due};
use crate::store::{Conn, Pool};

/// How long a claimed try keeps others off its row: longer than any try takes, so only a
/// sender that died mid-try leaves it to be tried again after.
const LEASE: chrono::Duration = chrono::Duration::minutes(5);
/// Rows read at a time, and tries under way at once (a dead receiver costs a timeout each).
const BATCH: i64 = 50;
const AT_ONCE: usize = 8;
/// Batches one round works through at most; the rest wait for the next round.
const MOST_BATCHES: usize = 20;

/// What one round did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Delivery {
    pub delivered: usize,
    /// Failed, with a try to come.
    pub retrying: usize,
    /// Failed on the last try: given up (and logged).
    pub gave_up: usize,
}

enum Outcome {
    Delivered,
    Retrying,
    GaveUp,
    /// Another sender claimed the row first.
    Taken,
}

/// An HTTP client and the pool, kept for the server's life.
pub struct Courier {
    pool: Pool,
    client: reqwest::Client,
}

impl Courier {
    pub fn new(pool: Pool, config: &Config) -> Result<Courier, String> {
        let client = reqwest::Client::builder()
            .timeout(config.webhook_timeout)
            .connect_timeout(config.webhook_timeout)
            // A redirect is the receiver's mistake to fix, not a new address to post to.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("xiaoan/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("webhook client: {e}"))?;
        Ok(Courier { pool, client })
    }

    /// Tries each row due at `now` once.
    pub async fn deliver_due(&self, now: NaiveDateTime) -> Result<Delivery, String> {
        let mut done = Delivery::default();
        let stale = self
            .db(|conn| {
                let current = crate::store::settings::get(conn, notify::SETTING_WEBHOOK_URL)?
                    .filter(|u| !u.is_empty());
                outbox::abandon_stale(conn, current.as_deref())
            })
            .await?;
        if stale > 0 {
            tracing::info!(stale, "webhook rows for an old address given up");
        }
        for _ in 0..MOST_BATCHES {
            let due = self.db(move |conn| outbox::due(conn, now, BATCH)).await?;
            let full = due.len() as i64 == BATCH;
            let outcomes: Vec<Result<Outcome, String>> = futures_util::stream::iter(due)
                .map(|d| self.try_one(d, now))
                .buffer_unordered(AT_ONCE)
                .collect()
                .await;
            for o in outcomes {
                match o? {
                    Outcome::Delivered => done.delivered += 1,
                    Outcome::Retrying => done.retrying += 1,
                    Outcome::GaveUp => done.gave_up += 1,
                    Outcome::Taken => {}
                }
            }
            if !full {
                break;
            }
        }
        Ok(done)
    }

    async fn try_one(&self, d: Due, now: NaiveDateTime) -> Result<Outcome, String> {
        let (id, attempt) = (d.id, d.attempts + 1);
        let claim = d.clone();
        if !self
            .db(move |conn| outbox::claim(conn, &claim, now, now + LEASE))
            .await?
        {
            return Ok(Outcome::Taken);
        }
        let error = match self.post(&d).await {
            Ok(()) => {
                self.db(move |conn| outbox::delivered(conn, id, attempt, now))
                    .await?;
                return Ok(Outcome::Delivered);
            }
            Err(e) => e,
        };
        let next = notify::retry_after(attempt).map(|wait| now + wait);
        let outcome = match next {
            Some(at) => {
                tracing::info!(id, attempt, %at, "webhook delivery failed, will retry: {error}");
                Outcome::Retrying
            }
            None => {
                tracing::warn!(id, attempt, "webhook delivery given up: {error}");
                Outcome::GaveUp
            }
        };
        self.db(move |conn| outbox::failed(conn, id, attempt, &error, next))
            .await?;
        Ok(outcome)
    }

    /// One POST; any answer but 2xx is a failure. Errors leave the address out: a group bot's
    /// address holds its key.
    async fn post(&self, d: &Due) -> Result<(), String> {
        let res = self
            .client
            .post(&d.url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )
            .body(d.payload.clone())
            .send()
            .await
            .map_err(|e| e.without_url().to_string())?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(format!("HTTP {}", res.status().as_u16()))
        }
    }

    async fn db<T, F>(&self, f: F) -> Result<T, String>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn) -> diesel::QueryResult<T> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut conn = pool.get().map_err(|e| format!("database pool: {e}"))?;
            f(&mut conn).map_err(|e| format!("webhook queue: {e}"))
        })
        .await
        .map_err(|e| format!("webhook round stopped short: {e}"))?
    }
}

/// One round now, with a client of its own (for tests and one-off runs).
pub async fn deliver_due(
    pool: &Pool,
    config: &Config,
    now: NaiveDateTime,
) -> Result<Delivery, String> {
    Courier::new(pool.clone(), config)?.deliver_due(now).await
}

/// Runs a round every `Config::webhook_every` for as long as the runtime lives; a failed round
/// is logged and the next one tries again.
pub fn spawn(pool: Pool, config: Config) {
    tokio::spawn(async move {
        let courier = match Courier::new(pool, &config) {
            Ok(c) => c,
            Err(e) => {
                tracing::error!("webhook deliveries are off: {e}");
                return;
            }
        };
        let mut tick = tokio::time::interval(config.webhook_every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match courier.deliver_due(config.clock.now()).await {
                Ok(d) if d != Delivery::default() => tracing::info!(?d, "webhook round done"),
                Ok(_) => {}
                Err(e) => tracing::warn!("webhook round failed: {e}"),
            }
        }
    });
}
