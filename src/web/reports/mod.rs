//! The monthly status report (月报): HTML, CSV, XLSX and JSON with the same figures.

pub mod build;
pub mod formats;
pub mod section;
pub mod submissions;
pub mod xlsx;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/reports/monthly", web::get().to(formats::html))
        .route("/reports/monthly.csv", web::get().to(formats::csv))
        .route("/reports/monthly.xlsx", web::get().to(xlsx::xlsx))
        .route("/reports/monthly.json", web::get().to(formats::json))
        .route(
            "/reports/monthly/submit",
            web::post().to(submissions::submit),
        )
        .route("/reports/submissions", web::get().to(submissions::list))
        .route(
            "/reports/submissions/{id}",
            web::get().to(submissions::show),
        )
        .route(
            "/reports/submissions/{id}/return",
            web::post().to(submissions::return_submission),
        );
}
