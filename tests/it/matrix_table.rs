//! What every route answers every actor, written from CONTRACT.md and the modules' policies
//! (not read off the server). One row per (method, pattern) the router has, or several when
//! a query or form field names a record too.
//!
//! `cells`: one entry per actor, in the order of `ACTORS`: anonymous, staff (own school),
//! school admin (own school), school admin of the other school, bureau, viewer, admin. For a
//! route with ids an entry is `own/other/missing` (the own school's record, the other school's,
//! one that does not exist), or one status for all three. `L` is 303 to /login; `303` is a
//! redirect anywhere else.
//!
//! Forms are the least a route reads past its checks (`action=submit`, `stage=before`…), so a
//! refusal comes from authorization, not from a missing field; what is allowed then answers
//! 200, 303 or 422.

use crate::matrix_fixture::Ids;

pub struct Row {
    pub method: &'static str,
    pub pattern: &'static str,
    /// The query of a GET, the url-encoded fields of a POST; `{id}` and `{month}` are filled.
    pub form: &'static str,
    pub ids: Ids,
    pub multipart: bool,
    /// The cell ends the session it runs in (logout): it gets a session of its own.
    pub fresh: bool,
    pub cells: &'static str,
}

const fn get(pattern: &'static str, cells: &'static str) -> Row {
    Row {
        method: "GET",
        pattern,
        form: "",
        ids: Ids::None,
        multipart: false,
        fresh: false,
        cells,
    }
}

const fn post(pattern: &'static str, form: &'static str, cells: &'static str) -> Row {
    Row {
        method: "POST",
        form,
        ..get(pattern, cells)
    }
}

impl Row {
    const fn on(self, ids: Ids) -> Row {
        Row { ids, ..self }
    }

    const fn query(self, form: &'static str) -> Row {
        Row { form, ..self }
    }

    const fn multipart(self) -> Row {
        Row {
            multipart: true,
            ..self
        }
    }

    const fn fresh(self) -> Row {
        Row {
            fresh: true,
            ..self
        }
    }

    /// The expected answer of actor `actor` for target `target` (0, 1, 2).
    pub fn expected(&self, actor: usize, target: usize) -> &'static str {
        let entry = self.cells.split_whitespace().nth(actor).unwrap_or_else(|| {
            panic!(
                "{} {}: no cell for actor {actor}",
                self.method, self.pattern
            )
        });
        entry.split('/').nth(target).unwrap_or(entry)
    }

    pub fn name(&self) -> String {
        let q = if self.form.is_empty() || self.method == "POST" {
            String::new()
        } else {
            format!("?{}", self.form)
        };
        format!("{} {}{q}", self.method, self.pattern)
    }
}

/// Anonymous is sent to log in; every signed-in role gets the same.
const ALL_SIGNED_IN: &str = "L 200 200 200 200 200 200";
/// The safety ledgers and reports: every role within its scope but the admin.
const LEDGER: &str = "L 200 200 200 200 200 403";
/// The county registries: the admin's.
const ADMIN_PAGE: &str = "L 403 403 403 403 403 200";
/// A record of a school: its own school's users and the county roles, the admin refused.
const RECORD: &str = "L 200/404/404 200/404/404 404/200/404 200/200/404 200/200/404 403/403/404";

/// A record of a school, for a GET the admin may not read: 403 before any id is looked up.
const LEDGER_RECORD: &str = "L 200/404/404 200/404/404 404/200/404 200/200/404 200/200/404 403";

#[rustfmt::skip]
pub fn table() -> Vec<Row> {
    use Ids::*;
    vec![
        get("/healthz", "200 200 200 200 200 200 200"),
        get("/readyz", "200 200 200 200 200 200 200"),
        get("/static/{path:.*}", "200/200/404 200/200/404 200/200/404 200/200/404 200/200/404 200/200/404 200/200/404").on(Asset),
        get("/favicon.ico", "301 301 301 301 301 301 301"),
        get("/", ALL_SIGNED_IN),
        get("/login", "200 303 303 303 303 303 303"),
        // A failed login answers the form again, whoever asks.
        post("/login", "username=nobody&password=wrong", "200 200 200 200 200 200 200"),
        // Signed in, logging out is 303 to /login too.
        post("/logout", "", "L L L L L L L").fresh(),
        get("/account/password", ALL_SIGNED_IN),
        post("/account/password", "", "L 422 422 422 422 422 422"),
        get("/settings", ADMIN_PAGE),
        post("/settings", "schools_accept_general=1", "L 403 403 403 403 403 303"),
        // Files: whoever may see the record they belong to.
        get("/attachments/{id}", RECORD).on(Attachment),
        get("/attachments/{id}/thumb", RECORD).on(Attachment),
        // Reports: a school's own, the county roles' any; submitting is the school admin's.
        get("/reports/monthly", LEDGER),
        get("/reports/monthly", LEDGER_RECORD).query("school={id}").on(SchoolCode),
        get("/reports/monthly.csv", LEDGER),
        get("/reports/monthly.xlsx", LEDGER),
        get("/reports/monthly.json", LEDGER),
        post("/reports/monthly/submit", "month={month}", "L 403 303 303 403 403 403"),
        // Who may act is answered before what the form lacks.
        post("/reports/monthly/submit", "", "L 403 422 422 403 403 403"),
        get("/reports/submissions", "L 403 403 403 200 200 403"),
        get("/reports/submissions/{id}", RECORD).on(Submission),
        post("/reports/submissions/{id}/return", "comment=请补充",
             "L 403/404/404 403/404/404 404/403/404 303/303/404 403/403/404 403/403/404").on(Submission),
        // The school registry: read by the county roles, kept by the admin.
        get("/schools", "L 403 403 403 200 200 200"),
        post("/schools", "code=MX-N&name=新学校&kind=primary", "L 403 403 403 403 403 303"),
        get("/schools/new", ADMIN_PAGE),
        get("/schools/import", ADMIN_PAGE),
        get("/schools/lookup", "L 403 403 403 200 200 200"),
        post("/schools/import", "", "L 403 403 403 403 403 422").multipart(),
        get("/schools/{id}", "L 200/404/404 200/404/404 404/200/404 200/200/404 200/200/404 200/200/404").on(School),
        post("/schools/{id}", "", "L 403/404/404 403/404/404 404/403/404 403/403/404 403/403/404 422/422/404").on(School),
        get("/schools/{id}/edit", "L 403/404/404 403/404/404 404/403/404 403/403/404 403/403/404 200/200/404").on(School),
        post("/schools/{id}/active", "",
             "L 403/404/404 403/404/404 404/403/404 403/403/404 403/403/404 422/422/404").on(School),
        // The admin's cell closes both schools; nothing after it needs them open.
        post("/schools/{id}/active", "active=0",
             "L 403/404/404 403/404/404 404/403/404 403/403/404 403/403/404 303/303/404").on(School),
        // Accounts: the admin's alone, so nobody else learns whether an id exists.
        get("/users", ADMIN_PAGE),
        post("/users", "username=mx.new&display_name=新&role=viewer", "L 403 403 403 403 403 200"),
        get("/users/new", ADMIN_PAGE),
        get("/users/import", ADMIN_PAGE),
        post("/users/import", "", "L 403 403 403 403 403 422").multipart(),
        post("/users/{id}", "", "L 403 403 403 403 403 422/422/404").on(User),
        get("/users/{id}/edit", "L 403 403 403 403 403 200/200/404").on(User),
        post("/users/{id}/active", "", "L 403 403 403 403 403 422/422/404").on(User),
        post("/users/{id}/active", "active=0", "L 403 403 403 403 403 303/303/404").on(User),
        post("/users/{id}/password", "", "L 403 403 403 403 403 200/200/404").on(User),
        // Hazards: everyone within their scope but the admin.
        get("/hazards", LEDGER),
        get("/hazards", LEDGER_RECORD).query("school={id}").on(SchoolCode),
        post("/hazards", "", "L 422 422 422 422 403 403"),
        get("/hazards.csv", LEDGER),
        get("/hazards.csv", LEDGER_RECORD).query("school={id}").on(SchoolCode),
        get("/hazards.xlsx", LEDGER),
        get("/hazards/new", "L 200 200 200 200 403 403"),
        // The review queue reads what the ledger shows (awaiting acceptance, within scope).
        get("/hazards/review", LEDGER),
        get("/hazards/overdue", LEDGER),
        get("/hazards/supervised", LEDGER),
        get("/hazards/{id}", LEDGER_RECORD).on(Hazard),
        get("/hazards/{id}/notice", LEDGER_RECORD).on(Hazard),
        // Submitting a fix is the school admin's (422: no measures given).
        post("/hazards/{id}/transition", "action=submit",
             "L 403/404/404 422/404/404 404/422/404 403/403/404 403/403/404 403").on(Hazard),
        // Supervision is the bureau's (422: neither on nor off).
        post("/hazards/{id}/supervise", "",
             "L 403/404/404 403/404/404 404/403/404 422/422/404 403/403/404 403").on(Hazard),
        // "Before" photos: whoever reports (422: no file).
        post("/hazards/{id}/photos", "",
             "L 422/404/404 422/404/404 404/422/404 422/422/404 403/403/404 403").on(Hazard),
        post("/hazards/{id}/photos", "stage=before",
             "L 422/404/404 422/404/404 404/422/404 422/422/404 403/403/404 403").on(Hazard),
        // Buildings: read by everyone within their scope but the admin; kept by the school's
        // admin (own school) and the bureau (any).
        get("/buildings", LEDGER),
        get("/buildings", LEDGER_RECORD).query("school={id}").on(SchoolCode),
        // 422: nothing given (the bureau also names no school).
        post("/buildings", "", "L 403 422 422 422 403 403"),
        get("/buildings.csv", LEDGER),
        get("/buildings.csv", LEDGER_RECORD).query("school={id}").on(SchoolCode),
        get("/buildings.xlsx", LEDGER),
        get("/buildings/new", "L 403 200 200 200 403 403"),
        get("/buildings/dangerous", LEDGER),
        get("/buildings/{id}", LEDGER_RECORD).on(Building),
        get("/buildings/{id}", LEDGER_RECORD).on(ClosedBuilding),
        // Correcting the details: the register's keepers (422: nothing given).
        get("/buildings/{id}/edit",
            "L 403/404/404 200/404/404 404/200/404 200/200/404 403/403/404 403").on(Building),
        post("/buildings/{id}", "",
             "L 403/404/404 422/404/404 404/422/404 422/422/404 403/403/404 403").on(Building),
        // Appraising: the register's keepers (422: nothing given), not while a disposal runs.
        post("/buildings/{id}/appraisals", "",
             "L 403/404/404 422/404/404 404/422/404 422/422/404 403/403/404 403").on(Building),
        post("/buildings/{id}/appraisals", "",
             "L 403/404/404 409/404/404 404/409/404 409/409/404 403/403/404 403").on(ClosedBuilding),
        // Planning a disposal: on a dangerous building only (422: no method, deadline, funding).
        post("/buildings/{id}/transition", "action=plan",
             "L 403/404/404 422/404/404 404/422/404 422/422/404 403/403/404 403").on(ClosedBuilding),
        post("/buildings/{id}/transition", "action=plan",
             "L 403/404/404 409/404/404 404/409/404 409/409/404 403/403/404 403").on(Building),
        // Accepting is the bureau's, and only of a disposal reported done.
        post("/buildings/{id}/transition", "action=accept",
             "L 403/404/404 403/404/404 404/403/404 409/409/404 403/403/404 403").on(ClosedBuilding),
        // Photos: the register's keepers (422: no stage, or no file).
        post("/buildings/{id}/photos", "",
             "L 403/404/404 422/404/404 404/422/404 422/422/404 403/403/404 403").on(Building),
        post("/buildings/{id}/photos", "stage=before",
             "L 403/404/404 422/404/404 404/422/404 422/422/404 403/403/404 403").on(Building),
        // "After" photos only while a disposal is under way.
        post("/buildings/{id}/photos", "stage=after",
             "L 403/404/404 409/404/404 404/409/404 409/409/404 403/403/404 403").on(ClosedBuilding),
        // Security: county roles see the table; school users are sent to their own page.
        // Cases: the school's officer and the bureau only; every other role 403 on every case
        // route, before any id is looked up (CONTRACT "Bullying").
        get("/bullying", "L 403 200 200 200 403 403"),
        get("/bullying.csv", "L 403 200 200 200 403 403"),
        get("/bullying.xlsx", "L 403 200 200 200 403 403"),
        get("/bullying/new", "L 200 200 200 200 403 403"),
        post("/bullying", "", "L 422 422 422 422 403 403"),
        get("/bullying/received", "L 200 200 200 200 403 403"),
        get("/bullying/three-early", "L 403 200 200 200 403 403"),
        post("/bullying/screenings", "", "L 403 422 422 403 403 403"),
        post("/bullying/sessions", "", "L 403 422 422 403 403 403"),
        get("/bullying/{id}", "L 403 200/404/404 404/200/404 200/200/404 403 403").on(Case),
        get("/bullying/{id}/access", "L 403 403/404/404 404/403/404 200/200/404 403 403").on(Case),
        post("/bullying/{id}/parties", "", "L 403 422/404/404 404/422/404 422/422/404 403 403").on(Case),
        post("/bullying/{id}/measures", "", "L 403 422/404/404 404/422/404 422/422/404 403 403").on(Case),
        post("/bullying/{id}/transition", "", "L 403 422/404/404 404/422/404 422/422/404 403 403").on(Case),
        // The anonymous tip needs no account; an empty form is refused by its checks.
        get("/tip", "200 200 200 200 200 200 200"),
        post("/tip", "", "422 422 422 422 422 422 422"),
        get("/tip/status", "200 200 200 200 200 200 200"),
        // Education: the school's officer records its own, the bureau any school's (422: nothing
        // given); staff and the admin read no register.
        get("/education", "L 403 200 200 200 200 403"),
        get("/education.csv", "L 403 200 200 200 200 403"),
        get("/education.xlsx", "L 403 200 200 200 200 403"),
        get("/education/new", "L 403 200 200 200 403 403"),
        post("/education", "", "L 403 422 422 422 403 403").multipart(),
        get("/education/overview", "L 403 403 403 200 200 403"),
        get("/education/{id}", "L 403 200/404/404 404/200/404 200/200/404 200/200/404 403").on(Session),
        // Photos of a session: whoever records for its school (422: no file given).
        post("/education/{id}/photos", "", "L 403 422/404/404 404/422/404 422/422/404 403/403/404 403").on(Session).multipart(),
        // Legal vice-principals: the bureau keeps them; a school's officer sees its own.
        get("/legal-vps", "L 403 200 200 200 200 403"),
        get("/legal-vps.csv", "L 403 200 200 200 200 403"),
        get("/legal-vps.xlsx", "L 403 200 200 200 200 403"),
        get("/legal-vps/new", "L 403 403 403 200 403 403"),
        post("/legal-vps", "", "L 403 403 403 422 403 403"),
        get("/legal-vps/{id}", "L 403 200/404/404 404/200/404 200/200/404 200/200/404 403").on(Vp),
        post("/legal-vps/{id}", "", "L 403 403/404/404 404/403/404 422/422/404 403/403/404 403").on(Vp),
        // Campaigns: the bureau defines and returns, the school's officer marks its own done.
        get("/campaigns", "L 403 200 200 200 200 403"),
        post("/campaigns", "", "L 403 403 403 422 403 403"),
        get("/campaigns/{id}", "L 403 200/200/404 200/200/404 200/200/404 200/200/404 403").on(Campaign),
        get("/campaigns/{id}/completion.csv", "L 403 200/200/404 200/200/404 200/200/404 200/200/404 403").on(Campaign),
        post("/campaigns/{id}/items/{item_id}/done", "", "L 403 422/422/404 422/422/404 403 403 403").on(CampaignItem).multipart(),
        post("/campaigns/{id}/items/{item_id}/return", "", "L 403 403 403 422/422/404 403 403").on(CampaignItem),
        // The year-end summary: the county roles that read every report.
        get("/reports/annual", "L 403 403 403 200 200 403"),
        get("/reports/annual.json", "L 403 403 403 200 200 403"),
        get("/reports/annual.xlsx", "L 403 403 403 200 200 403"),
        get("/security", "L 303 303 303 200 200 403"),
        get("/security.csv", "L 403 403 403 200 200 403"),
        get("/security.xlsx", "L 403 403 403 200 200 403"),
        get("/security/schools/{code}", LEDGER_RECORD).on(SchoolCode),
        // The profile: the school's officer or the bureau verifies it (422: nothing given).
        post("/security/schools/{code}/profile", "",
             "L 403/404/404 422/404/404 404/422/404 422/422/404 403/403/404 403").on(SchoolCode),
        // Guards and alarm tests: the school's own officer (422: nothing given).
        post("/security/schools/{code}/guards", "",
             "L 403/404/404 422/404/404 404/422/404 403/403/404 403/403/404 403").on(SchoolCode),
        post("/security/schools/{code}/alarm-tests", "",
             "L 403/404/404 422/404/404 404/422/404 403/403/404 403/403/404 403").on(SchoolCode),
        // A gap raised as a hazard: the officer or the bureau (422: no item named).
        post("/security/schools/{code}/gaps", "",
             "L 403/404/404 422/404/404 404/422/404 422/422/404 403/403/404 403").on(SchoolCode),
        post("/security/guards/{id}/leave", "",
             "L 403/404/404 422/404/404 404/422/404 403/403/404 403/403/404 403").on(Guard),
        // Notifications: one's own, and only one's own.
        get("/notifications", ALL_SIGNED_IN),
        post("/notifications/read", "", "L 303 303 303 303 303 303"),
        post("/notifications/read", "id={id}", "L 404 303/404/404 404/303/404 404 404 404").on(Notification),
    ]
}
