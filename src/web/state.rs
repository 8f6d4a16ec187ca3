//! What every handler shares: the pool, the password hasher and the configuration.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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
    /// Photos are decoded one at a time, and each user may have only a few waiting.
    pub media: MediaQueue,
    /// Signs the pre-login CSRF cookie (a secret kept in the settings table).
    pub csrf_key: Vec<u8>,
}

/// Decoding a photo can take over a hundred MB: one at a time keeps a small server alive, and
/// a bound per user keeps one user's queue of uploads from holding up everyone else's.
pub struct MediaQueue {
    permits: Semaphore,
    waiting: Mutex<HashMap<i64, usize>>,
    per_user: usize,
}

/// A user's turn at the decoder; leaving it (dropped) frees the place in the queue.
pub struct MediaTurn<'a> {
    _permit: tokio::sync::SemaphorePermit<'a>,
    _place: Place<'a>,
}

struct Place<'a> {
    queue: &'a MediaQueue,
    user: i64,
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        let mut waiting = self.queue.lock();
        if let Some(n) = waiting.get_mut(&self.user) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                waiting.remove(&self.user);
            }
        }
    }
}

impl MediaQueue {
    pub fn new(per_user: usize) -> MediaQueue {
        MediaQueue {
            permits: Semaphore::new(1),
            waiting: Mutex::new(HashMap::new()),
            per_user: per_user.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<i64, usize>> {
        // The map holds counts only: a panic elsewhere leaves it usable.
        self.waiting.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits for the decoder, or refuses at once (429) when this user already has
    /// `per_user` uploads waiting or decoding.
    pub async fn enter(&self, user: i64) -> Result<MediaTurn<'_>, AppError> {
        {
            let mut waiting = self.lock();
            let n = waiting.entry(user).or_insert(0);
            if *n >= self.per_user {
                return Err(AppError::Busy);
            }
            *n += 1;
        }
        let place = Place { queue: self, user };
        let permit = self.permits.acquire().await.map_err(AppError::internal)?;
        Ok(MediaTurn {
            _permit: permit,
            _place: place,
        })
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[tokio::test]
    async fn one_user_may_queue_only_so_many_uploads_and_others_still_wait_their_turn() {
        let q = Arc::new(MediaQueue::new(2));
        let first = q.enter(1).await;
        assert!(first.is_ok());
        // A second upload of the same user waits for the decoder.
        let (tx, rx) = tokio::sync::oneshot::channel();
        let waiting = tokio::spawn({
            let q = q.clone();
            async move {
                let turn = q.enter(1).await.is_ok();
                let _ = tx.send(());
                turn
            }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            matches!(q.enter(1).await, Err(AppError::Busy)),
            "a third is refused"
        );
        // Another user is not refused: they wait like everyone.
        let other = tokio::time::timeout(Duration::from_millis(50), q.enter(2)).await;
        assert!(other.is_err(), "user 2 waits for the decoder, not refused");
        drop(first);
        assert!(
            rx.await.is_ok() && waiting.await.unwrap_or(false),
            "the waiting upload ran"
        );
        assert!(q.enter(1).await.is_ok(), "a place freed is a place again");
        assert!(
            q.lock().is_empty(),
            "nothing left counted after the turns end"
        );
    }
}
