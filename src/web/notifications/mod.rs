//! The signed-in user's notifications: the list (`GET /notifications`) and marking them read
//! (`POST /notifications/read`). Everyone has their own; the store answers only with the
//! session user's rows, so nobody reads or marks another's.

pub mod list;
pub mod read;

use crate::web::routes::Routes;

pub fn routes(r: &mut Routes) {
    r.get("/notifications", list::show)
        .post("/notifications/read", read::submit);
}

/// Catalog keys the pages name outside their templates (for the i18n test).
pub fn labels() -> Vec<&'static str> {
    vec![list::UNKNOWN, read::FLASH_ALL_READ]
}
