//! Settings from flags and the environment, shared by every subcommand.

use std::path::PathBuf;

use chrono::Duration;

use crate::auth::password::Cost;
use crate::store::sessions::Lifetime;

#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub bind: String,
    pub argon2: Cost,
    /// Behind TLS: cookies get `Secure` and responses carry HSTS.
    pub tls: bool,
    pub session: Lifetime,
    pub pool_size: u32,
    /// At most this many password hashes are computed at once.
    pub login_concurrency: usize,
    /// Behind a reverse proxy: take the client's address from X-Forwarded-For / Forwarded
    /// (for per-IP login throttling). Only when the proxy is the sole way in.
    pub trust_proxy: bool,
    /// "Now" for the hazard and report pages: the system's, except in tests.
    pub clock: crate::domain::time::Clock,
    /// How often `serve` sends the webhook's queued notices, and how long one POST may take.
    pub webhook_every: std::time::Duration,
    pub webhook_timeout: std::time::Duration,
    /// PostgreSQL's connect and statement limits.
    pub db_timeouts: crate::db::Timeouts,
    /// The address users reach the site at (`https://xiaoan.example.cn`): a POST's Origin is
    /// compared with it. Unset, with the request's own Host.
    pub public_origin: Option<String>,
    /// A request body must keep coming: at most this long without a byte, and in all this long
    /// plus a second per `body_min_rate` bytes it declares (a phone's slow upload still fits).
    pub body_idle: std::time::Duration,
    pub body_min_rate: u64,
    /// After SIGTERM, in-flight requests get this long to finish.
    pub shutdown_grace: std::time::Duration,
    /// Uploads one user may have waiting for, or in, the photo decoder.
    pub media_per_user: usize,
    /// `/readyz` reports "storage full" below this much free space under the data dir.
    pub min_free_bytes: u64,
}

impl Config {
    /// The SQLite file under the data dir unless a URL is given.
    pub fn new(data_dir: PathBuf, database_url: Option<String>) -> Config {
        let database_url = database_url
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| data_dir.join("xiaoan.db").display().to_string());
        Config {
            data_dir,
            database_url,
            bind: "127.0.0.1:8080".into(),
            argon2: Cost::OWASP,
            tls: false,
            session: Lifetime {
                idle: Duration::hours(2),
                absolute: Duration::hours(12),
            },
            pool_size: 8,
            login_concurrency: std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(2),
            trust_proxy: false,
            clock: Default::default(),
            webhook_every: std::time::Duration::from_secs(15),
            webhook_timeout: std::time::Duration::from_secs(10),
            db_timeouts: crate::db::Timeouts::default(),
            public_origin: None,
            body_idle: std::time::Duration::from_secs(10),
            body_min_rate: 16 * 1024,
            shutdown_grace: std::time::Duration::from_secs(5),
            media_per_user: 2,
            min_free_bytes: crate::db::storage::MIN_FREE_BYTES,
        }
    }

    /// Photos and other uploads (a shared volume when several instances serve).
    pub fn uploads_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    pub fn is_sqlite(&self) -> bool {
        crate::db::Backend::of_url(&self.database_url) == crate::db::Backend::Sqlite
    }
}
