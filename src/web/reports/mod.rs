//! The monthly status report (月报): HTML, CSV, XLSX and JSON of one `report::MonthlyReport`,
//! and schools' submissions of their month.

pub mod formats;
pub mod scope;
pub mod submissions;
pub mod xlsx;

use actix_web::web;

use crate::domain::access::Actor;
use crate::domain::reports::rules;
use crate::web::nav::Entry;

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

/// The report and, for the bureau and viewers, who has submitted it.
pub fn nav(a: &Actor) -> Vec<Entry> {
    let mut out = Vec::new();
    if rules::may_view(a, a.home()).is_ok() {
        out.push(("/reports/monthly".into(), "nav.reports"));
    }
    if rules::may_list_submissions(a).is_ok() {
        out.push(("/reports/submissions".into(), "nav.submissions"));
    }
    out
}
