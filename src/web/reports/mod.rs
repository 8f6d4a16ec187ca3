//! The monthly status report (月报): HTML, CSV, XLSX and JSON of one `report::MonthlyReport`,
//! and schools' submissions of their month.

pub mod annual;
pub mod formats;
pub mod scope;
pub mod submissions;
pub mod xlsx;

use crate::web::routes::Routes;

use crate::domain::access::Actor;
use crate::domain::reports::rules;
use crate::web::nav::Entry;

pub fn routes(r: &mut Routes) {
    r.get("/reports/monthly", formats::html)
        .get("/reports/monthly.csv", formats::csv)
        .get("/reports/monthly.xlsx", xlsx::xlsx)
        .get("/reports/monthly.json", formats::json)
        .get("/reports/annual", annual::html)
        .get("/reports/annual.json", annual::json)
        .get("/reports/annual.xlsx", annual::xlsx)
        .post("/reports/monthly/submit", submissions::submit)
        .get("/reports/submissions", submissions::list)
        .get("/reports/submissions/{id}", submissions::show)
        .post(
            "/reports/submissions/{id}/return",
            submissions::return_submission,
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
        out.push(("/reports/annual".into(), "nav.annual"));
    }
    out
}
