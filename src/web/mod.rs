//! Handlers per module, one small file per action: extract, authorize, call the store (or the
//! report service), then render or redirect. What every module shares: the guard (session,
//! CSRF, error pages), pages and their form kit (`page`, `fields`, `forms`), attachments,
//! downloads, the menu (`nav`) and timelines.

pub mod account;
pub mod assets;
pub mod attachments;
pub mod authz;
pub mod body;
pub mod buildings;
pub mod bullying;
pub mod campaigns;
pub mod ctx;
pub mod download;
pub mod education;
pub mod fields;
pub mod forms;
pub mod guard;
pub mod hazards;
pub mod home;
pub mod import;
pub mod legal_vps;
pub mod listing;
pub mod logging;
pub mod nav;
pub mod notifications;
pub mod nul;
pub mod page;
pub mod photo_upload;
pub mod ready;
pub mod reports;
pub mod routes;
pub mod schools;
pub mod security;
pub mod settings;
pub mod state;
pub mod timeline;
pub mod users;

use actix_web::{HttpResponse, web};

use crate::error::AppError;
use routes::{Route, Routes};

/// Registers every route with the server.
/// The content security policy of every page: no inline script or style anywhere, so the
/// policy can forbid both. Files served on their own add `sandbox`.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
                       img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; \
                       base-uri 'none'; object-src 'none'";

pub fn configure(cfg: &mut web::ServiceConfig) {
    routes(&mut Routes::serving(cfg));
}

/// Every route the server answers, as (method, path pattern), without starting it: what the
/// authorization and CSRF matrices walk.
pub fn route_table() -> Vec<Route> {
    let mut r = Routes::recording();
    routes(&mut r);
    r.table()
}

fn routes(r: &mut Routes) {
    r.get("/healthz", healthz)
        .get("/readyz", ready::readyz)
        .get("/static/{path:.*}", assets::serve)
        .get("/", home::show)
        .get("/login", account::login::form)
        .post("/login", account::login::submit)
        .post("/logout", account::logout::submit)
        .get("/account/password", account::password::form)
        .post("/account/password", account::password::submit)
        .get("/settings", settings::form)
        .post("/settings", settings::submit)
        .get("/favicon.ico", favicon);
    attachments::routes(r);
    reports::routes(r);
    schools::routes(r);
    users::routes(r);
    hazards::routes(r);
    buildings::routes(r);
    security::routes(r);
    bullying::routes(r);
    education::routes(r);
    legal_vps::routes(r);
    campaigns::routes(r);
    notifications::routes(r);
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
    [
        hazards::labels(),
        buildings::labels(),
        security::labels(),
        bullying::labels(),
        home::labels(),
        notifications::labels(),
        crate::report::buildings::labels(),
        crate::report::security::labels(),
        crate::report::bullying::labels(),
        education::labels(),
        legal_vps::labels(),
        campaigns::labels(),
        crate::report::education::labels(),
        crate::report::legal_vps::labels(),
        crate::report::campaigns::labels(),
        reports::annual::labels(),
        vec!["nav.annual"],
    ]
    .concat()
}

pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}
