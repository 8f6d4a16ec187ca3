//! Handlers per module, one small file per action: extract, authorize, call the store (or the
//! report service), then render or redirect. What every module shares: the guard (session,
//! CSRF, error pages), pages and their form kit (`page`, `fields`, `forms`), attachments,
//! downloads, the menu (`nav`) and timelines.

pub mod account;
pub mod assets;
pub mod attachments;
pub mod authz;
pub mod body;
pub mod ctx;
pub mod download;
pub mod fields;
pub mod forms;
pub mod guard;
pub mod hazards;
pub mod home;
pub mod import;
pub mod logging;
pub mod nav;
pub mod notifications;
pub mod page;
pub mod ready;
pub mod reports;
pub mod schools;
pub mod settings;
pub mod state;
pub mod timeline;
pub mod users;

use actix_web::{HttpResponse, web};

use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
        .route("/readyz", web::get().to(ready::readyz))
        .route("/static/{path:.*}", web::get().to(assets::serve))
        .route("/", web::get().to(home::show))
        .route("/login", web::get().to(account::login::form))
        .route("/login", web::post().to(account::login::submit))
        .route("/logout", web::post().to(account::logout::submit))
        .route("/account/password", web::get().to(account::password::form))
        .route(
            "/account/password",
            web::post().to(account::password::submit),
        )
        .route("/settings", web::get().to(settings::form))
        .route("/settings", web::post().to(settings::submit))
        .route("/favicon.ico", web::get().to(favicon))
        .configure(attachments::configure)
        .configure(reports::configure)
        .configure(schools::configure)
        .configure(users::configure)
        .configure(hazards::configure)
        .configure(notifications::configure);
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

/// Browsers ask for `/favicon.ico` whatever the page says: the icon's versioned URL.
async fn favicon() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header(("Location", assets::url("img/favicon.svg")))
        .finish()
}

/// Every catalog key the pages name outside their templates, for the i18n test: each module
/// adds its `labels()`.
pub fn labels() -> Vec<&'static str> {
    [hazards::labels(), home::labels(), notifications::labels()].concat()
}

pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
