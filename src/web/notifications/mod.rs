//! The signed-in user's notifications: the list (`GET /notifications`) and marking them read
//! (`POST /notifications/read`). Everyone has their own; the store answers only with the
//! session user's rows, so nobody reads or marks another's.

pub mod list;
pub mod read;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/notifications", web::get().to(list::show))
        .route("/notifications/read", web::post().to(read::submit));
}

/// Catalog keys the pages name outside their templates (for the i18n test).
pub fn labels() -> Vec<&'static str> {
    vec![list::UNKNOWN, read::FLASH_ALL_READ]
}
