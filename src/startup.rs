//! One app builder shared by `main` and the tests: the same routes, middleware and state.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Compress, Condition, DefaultHeaders, from_fn};
use actix_web::{App, HttpServer, web};
use tokio::sync::Semaphore;

use crate::auth::password::Hasher;
use crate::config::Config;
use crate::domain::time;
use crate::error::AppError;
use crate::store::{Pool, sessions};
use crate::web::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] crate::db::DbError),
    #[error("cannot listen on {0}: {1}")]
    Bind(String, std::io::Error),
    #[error("{0}")]
    Hash(#[from] crate::auth::password::HashError),
    #[error("{0} is not writable: {1}")]
    NotWritable(String, String),
}

/// Refuses to serve from a data dir or uploads dir that cannot be written (asked before the
/// database is opened, so the reason is the folder's, not SQLite's "unable to open").
pub fn check_dirs(config: &Config) -> Result<(), StartError> {
    let uploads = config.uploads_dir();
    for dir in [&config.data_dir, &uploads] {
        let not_writable =
            |e: std::io::Error| StartError::NotWritable(dir.display().to_string(), e.to_string());
        std::fs::create_dir_all(dir).map_err(not_writable)?;
        crate::db::storage::probe_dir(dir).map_err(not_writable)?;
    }
    Ok(())
}

/// Refuses to serve from a database that cannot be written: a server that says it is ready
/// must be able to take a login. Also removes temporary files a crash or a full disk left in
/// the uploads.
pub fn check_writable(config: &Config, pool: &Pool) -> Result<(), StartError> {
    let mut conn = pool.get().map_err(crate::db::DbError::from)?;
    crate::store::health::probe_write(&mut conn, true)
        .map_err(|e| StartError::NotWritable("the database".into(), e.to_string()))?;
    // One SQLite server owns its uploads: every temporary file is a crash's. Instances on
    // PostgreSQL may share the volume, so another's upload in progress is spared.
    let stale = if config.is_sqlite() {
        std::time::Duration::ZERO
    } else {
        std::time::Duration::from_secs(600)
    };
    match crate::store::files::remove_stale_temporaries(&config.uploads_dir(), stale) {
        Ok(0) => {}
        Ok(n) => tracing::info!("removed {n} temporary upload files left by an earlier run"),
        Err(e) => tracing::warn!("could not sweep temporary upload files: {e}"),
    }
    Ok(())
}

pub struct Application {
    port: u16,
    server: Server,
}

impl Application {
    /// Opens the database (running migrations), binds the address and prepares the server.
    pub fn build(config: Config, pool: Pool) -> Result<Application, StartError> {
        let listener = TcpListener::bind(&config.bind)
            .map_err(|e| StartError::Bind(config.bind.clone(), e))?;
        let port = listener
            .local_addr()
            .map_err(|e| StartError::Bind(config.bind.clone(), e))?
            .port();
        if let Ok(mut conn) = pool.get()
            && let Err(e) = sessions::purge_expired(&mut conn, config.session, time::now())
        {
            tracing::warn!("could not purge expired sessions: {e}");
        }
        // Records written before the search index (or under older rules) get their entries.
        {
            let mut conn = pool.get().map_err(crate::db::DbError::from)?;
            let done =
                crate::store::search::ensure_index(&mut conn).map_err(crate::db::DbError::from)?;
            if done > 0 {
                tracing::info!("search index built for {done} records");
            }
        }
        let csrf_key = {
            let mut conn = pool.get().map_err(crate::db::DbError::from)?;
            crate::store::settings::secret(&mut conn, crate::auth::token::CSRF_SECRET_SETTING)
                .map_err(crate::db::DbError::from)?
        };
        let state = web::Data::new(AppState {
            pool,
            hasher: Hasher::new(config.argon2)?,
            hash_permits: Arc::new(Semaphore::new(config.login_concurrency.max(1))),
            media: crate::web::state::MediaQueue::new(config.media_per_user),
            csrf_key: csrf_key.into_bytes(),
            config: config.clone(),
        });
        let tls = config.tls;
        let server = HttpServer::new(move || {
            App::new()
                .app_data(state.clone())
                // Malformed forms, queries and paths get the app's own pages, not bare 400s.
                .app_data(
                    web::FormConfig::default()
                        .limit(crate::web::body::FORM_LIMIT)
                        .error_handler(|_, _| AppError::Invalid("error.invalid").into()),
                )
                .app_data(
                    web::QueryConfig::default()
                        .error_handler(|_, _| AppError::Invalid("error.bad_filter").into()),
                )
                .app_data(
                    web::PathConfig::default().error_handler(|_, _| AppError::NotFound.into()),
                )
                // Photos are held in memory while they are checked and re-encoded.
                .app_data(
                    actix_multipart::form::MultipartFormConfig::default()
                        .total_limit(crate::web::body::MULTIPART_LIMIT)
                        .memory_limit(crate::web::body::MULTIPART_LIMIT)
                        .error_handler(|_, _| AppError::Invalid("error.file_too_big").into()),
                )
                .wrap(from_fn(crate::web::nul::refuse))
                .wrap(from_fn(crate::web::guard::guard))
                .wrap(
                    DefaultHeaders::new()
                        .add(("Content-Security-Policy", crate::web::CSP))
                        .add(("X-Content-Type-Options", "nosniff"))
                        .add(("X-Frame-Options", "DENY"))
                        .add(("Referrer-Policy", "same-origin")),
                )
                .wrap(Condition::new(
                    tls,
                    DefaultHeaders::new().add((
                        "Strict-Transport-Security",
                        "max-age=31536000; includeSubDomains",
                    )),
                ))
                // HTML, CSV and JSON travel compressed to browsers that ask; photos and
                // workbooks are already compressed and say so (`Content-Encoding: identity`).
                .wrap(Compress::default())
                .wrap(from_fn(crate::web::logging::log))
                .configure(crate::web::configure)
                .default_service(web::to(crate::web::not_found))
        })
        // Bodies have deadlines, so nothing in flight needs long once SIGTERM comes.
        .shutdown_timeout(config.shutdown_grace.as_secs().max(1))
        // `serve` installs its own SIGTERM/SIGINT handlers before it says it is ready.
        .disable_signals()
        .listen(listener)
        .map_err(|e| StartError::Bind(config.bind.clone(), e))?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGTERM or SIGINT, then finishes in-flight requests.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }

    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }
}
