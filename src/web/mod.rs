//! Handlers per area, one small file per action. Handlers extract, authorize, call the
//! store, then render or redirect.

pub mod account;
pub mod assets;
pub mod authz;
pub mod charts;
pub mod ctx;
pub mod download;
pub mod guard;
pub mod hazards;
pub mod home;
pub mod import;
pub mod page;
pub mod reports;
pub mod schools;
pub mod settings;
pub mod state;
pub mod users;

use actix_web::{HttpResponse, web};

use crate::error::AppError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/healthz", web::get().to(healthz))
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
        .configure(reports::configure)
        .configure(schools::configure)
        .configure(users::configure)
        .configure(hazards::configure);
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("ok")
}

pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
