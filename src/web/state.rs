//! What every handler shares: the pool, the password hasher and the configuration.

use std::sync::Arc;

use actix_web::web;
use tokio::sync::Semaphore;

use crate::auth::password::Hasher;
use crate::config::Config;
use crate::error::AppError;
use crate::store::{Conn as DbConn, Pool};

pub struct AppState {
    pub pool: Pool,
    pub hasher: Hasher,
    pub config: Config,
    /// Bounds how many Argon2 hashes run at once, so a burst of logins cannot starve pages.
    pub hash_permits: Arc<Semaphore>,
    /// Decoding a photo can take hundreds of MB; one at a time keeps a small server alive.
    pub media_permits: Arc<Semaphore>,
}

pub type State = web::Data<AppState>;

impl AppState {
    /// "Now" for records and reports (see `Clock`).
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.config.clock.now()
    }

    /// Today in the county, for deadlines, overdue and "found on".
    pub fn today(&self) -> chrono::NaiveDate {
        self.config.clock.today()
    }

    /// Runs database work on the blocking pool.
    pub async fn db<F, T>(&self, f: F) -> Result<T, AppError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, AppError> + Send + 'static,
        T: Send + 'static,
    {
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }

    /// Hashes a password off the async threads, within the concurrency bound.
    pub async fn hash_password(&self, password: String) -> Result<String, AppError> {
        let _permit = self
            .hash_permits
            .acquire()
            .await
            .map_err(AppError::internal)?;
        let hasher = self.hasher.clone();
        web::block(move || hasher.hash(&password))
            .await?
            .map_err(AppError::internal)
    }

    /// Verifies a password (or the dummy, for an unknown user) off the async threads.
    pub async fn verify_password(
        &self,
        password: String,
        stored: Option<String>,
    ) -> Result<bool, AppError> {
        let _permit = self
            .hash_permits
            .acquire()
            .await
            .map_err(AppError::internal)?;
        let hasher = self.hasher.clone();
        Ok(web::block(move || match stored {
            Some(hash) => hasher.verify(&password, &hash),
            None => hasher.verify_dummy(&password),
        })
        .await?)
    }
}
