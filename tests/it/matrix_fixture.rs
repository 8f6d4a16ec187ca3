//! The county the matrices run in: two schools, one user of every role (and a school admin of
//! the other school), and for every kind of `{id}` a record of each school and one that does
//! not exist; requests as a matrix cell sends them, and a fingerprint of the whole database.

use diesel::RunQueryDsl;
use reqwest::{Response, StatusCode};
use xiaoan::db::DbConn;
use xiaoan::domain::attachments::Stage;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::month::Month;
use xiaoan::domain::role::Role;

use crate::helpers::*;

/// The actors of every cell, in the order of the table's columns.
pub const ACTORS: [(&str, Option<Role>, Option<&str>); 7] = [
    ("anonymous", None, None),
    ("mx.staff", Some(Role::Staff), Some(OWN)),
    ("mx.sadmin", Some(Role::SchoolAdmin), Some(OWN)),
    ("mx.other", Some(Role::SchoolAdmin), Some(OTHER)),
    ("mx.bureau", Some(Role::Bureau), None),
    ("mx.viewer", Some(Role::Viewer), None),
    ("mx.admin", Some(Role::Admin), None),
];
pub const OWN: &str = "MX-A";
pub const OTHER: &str = "MX-B";
const MISSING: &str = "999999";

/// What a route's `{…}` (or a `{id}` in its form or query) names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ids {
    None,
    Hazard,
    School,
    SchoolCode,
    User,
    Attachment,
    Submission,
    Notification,
    Asset,
    /// A building in use, not yet appraised.
    Building,
    /// A building graded D: closed, its disposal still to plan.
    ClosedBuilding,
    /// A guard in post.
    Guard,
    /// A bullying case, reported.
    Case,
    /// An education session of a school.
    Session,
    /// A legal vice-principal serving a school.
    Vp,
    /// A campaign (the county's: the same one for both schools).
    Campaign,
    /// An item of a campaign (`{id}/items/{item_id}`).
    CampaignItem,
}

pub struct Actor {
    pub name: &'static str,
    pub role: Option<Role>,
    pub browser: Browser,
    pub token: String,
}

pub struct Fixture {
    pub app: TestApp,
    pub actors: Vec<Actor>,
    /// A month with no submission yet, to submit in a cell.
    pub month: String,
    ids: Vec<(Ids, [String; 2])>,
}

impl Fixture {
    pub async fn build() -> Fixture {
        let app = TestApp::spawn().await;
        let (a, b) = (app.school(OWN), app.school(OTHER));
        for (name, role, school) in ACTORS.iter().skip(1) {
            app.user(name, role.expect("a role"), *school);
        }
        let target_a = app.user("mx.target_a", Role::Staff, Some(OWN));
        let target_b = app.user("mx.target_b", Role::Staff, Some(OTHER));
        // Being fixed: the notice exists, supervision and "before" photos are still open.
        let hazard = |reporter: &str, officer: &str, school| {
            let id = app.report_hazard(reporter, school, "general");
            app.act(officer, id, HazardAction::Register);
            app.act("mx.bureau", id, HazardAction::Assign);
            id
        };
        let (hazard_a, hazard_b) = (
            hazard("mx.staff", "mx.sadmin", a),
            hazard("mx.target_b", "mx.other", b),
        );
        let building = |officer: &str, school, name| app.register_building(officer, school, name);
        let (building_a, building_b) = (
            building("mx.sadmin", a, "1号教学楼"),
            building("mx.other", b, "1号教学楼"),
        );
        let closed = |officer: &str, school| {
            let id = building(officer, school, "老宿舍楼");
            app.appraise_building(officer, id, "D", today());
            id
        };
        let (closed_a, closed_b) = (closed("mx.sadmin", a), closed("mx.other", b));
        let (guard_a, guard_b) = (
            app.add_guard("mx.sadmin", a, "刘建国", "湘MX0001"),
            app.add_guard("mx.other", b, "王军", "湘MX0002"),
        );
        let case = |officer: &str, school| {
            let d = xiaoan::domain::bullying::input::CaseDraft {
                reported_on: today().to_string(),
                reporter_kind: "teacher".into(),
                summary: "课间推搡".into(),
                ..Default::default()
            };
            let c = xiaoan::domain::bullying::input::validate_case(&d, today()).expect("case");
            xiaoan::store::bullying::report(&mut app.conn(), &app.by_name(officer), school, &c)
                .expect("reported")
                .id
        };
        let (case_a, case_b) = (case("mx.sadmin", a), case("mx.other", b));
        let session = |officer: &str, school| {
            app.record_session(officer, school, ("drill", "fire"), today(), 300)
        };
        let (session_a, session_b) = (session("mx.sadmin", a), session("mx.other", b));
        let (vp_a, vp_b) = (
            app.appoint_vp("mx.bureau", "王警官", &[OWN], today()),
            app.appoint_vp("mx.bureau", "李检察官", &[OTHER], today()),
        );
        let (campaign, items) =
            app.create_campaign("mx.bureau", "九个一", &["开会", "排查"], today());
        let item = format!("{campaign}/items/{}", items[0]);
        let photo_a = app.photo("mx.sadmin", hazard_a, Stage::Before, 1);
        let photo_b = app.photo("mx.other", hazard_b, Stage::Before, 2);
        let mut actors = Vec::new();
        for (name, role, _) in ACTORS {
            let browser = app.browser();
            if role.is_some() {
                let res = browser.login(name, PASSWORD).await;
                assert_eq!(res.status(), StatusCode::SEE_OTHER, "login of {name}");
            }
            let token = browser.csrf().await;
            actors.push(Actor {
                name,
                role,
                browser,
                token,
            });
        }
        let last = Month::of(today()).prev();
        for officer in [&actors[2], &actors[3]] {
            let month = last.label();
            let res = officer
                .browser
                .post("/reports/monthly/submit", &[("month", &month)])
                .await;
            assert_eq!(
                res.status(),
                StatusCode::SEE_OTHER,
                "{} submits",
                officer.name
            );
        }
        let one = |sql: String| app.one(&sql).to_string();
        let sub = |s: i64| {
            one(format!(
                "SELECT CAST(MAX(id) AS BIGINT) AS n FROM report_submissions WHERE school_id = {s}"
            ))
        };
        let told = |u: &str| {
            one(format!(
                "SELECT CAST(MIN(n.id) AS BIGINT) AS n FROM notifications n JOIN users u ON u.id = n.user_id \
                 WHERE u.username = '{u}'"
            ))
        };
        let ids = vec![
            (Ids::Hazard, [hazard_a.to_string(), hazard_b.to_string()]),
            (Ids::School, [a.to_string(), b.to_string()]),
            (Ids::SchoolCode, [OWN.into(), OTHER.into()]),
            (Ids::User, [target_a.to_string(), target_b.to_string()]),
            (Ids::Attachment, [photo_a.to_string(), photo_b.to_string()]),
            (Ids::Submission, [sub(a), sub(b)]),
            (Ids::Notification, [told("mx.sadmin"), told("mx.other")]),
            (Ids::Asset, ["css/app.css".into(), "js/app.js".into()]),
            (
                Ids::Building,
                [building_a.to_string(), building_b.to_string()],
            ),
            (
                Ids::ClosedBuilding,
                [closed_a.to_string(), closed_b.to_string()],
            ),
            (Ids::Guard, [guard_a.to_string(), guard_b.to_string()]),
            (Ids::Case, [case_a.to_string(), case_b.to_string()]),
            (Ids::Session, [session_a.to_string(), session_b.to_string()]),
            (Ids::Vp, [vp_a.to_string(), vp_b.to_string()]),
            (Ids::Campaign, [campaign.to_string(), campaign.to_string()]),
            (Ids::CampaignItem, [item.clone(), item]),
        ];
        Fixture {
            app,
            actors,
            month: last.prev().label(),
            ids,
        }
    }

    /// The own school's record, the other school's, and one that does not exist.
    pub fn targets(&self, ids: Ids) -> Vec<String> {
        if ids == Ids::None {
            return vec![String::new()];
        }
        let [own, other] = self
            .ids
            .iter()
            .find(|(k, _)| *k == ids)
            .map(|(_, v)| v.clone())
            .expect("a fixture for every kind of id");
        let missing = match ids {
            Ids::SchoolCode => "NOPE-1".to_string(),
            Ids::Asset => "css/nope.css".to_string(),
            Ids::CampaignItem => format!("{MISSING}/items/{MISSING}"),
            _ => MISSING.to_string(),
        };
        vec![own, other, missing]
    }

    /// What could change when a request changes anything: every table's row count, the last
    /// event, and the columns a refused step would flip without adding a row.
    pub fn fingerprint(&self) -> Vec<(String, i64)> {
        let tables = if self.app.is_postgres() {
            "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'"
        } else {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        };
        #[derive(diesel::QueryableByName)]
        struct Name {
            #[diesel(sql_type = diesel::sql_types::Text)]
            name: String,
        }
        let names: Vec<Name> = diesel::sql_query(tables)
            .load(&mut *self.app.conn() as &mut DbConn)
            .expect("table names");
        let mut out: Vec<(String, i64)> = names
            .into_iter()
            // A refused form shows its case page again, names and all: that is an opening of
            // the case, and is logged by design (bullying_store tests the log itself).
            .filter(|t| t.name != "bullying_access")
            .map(|t| {
                let n = self.app.count(&t.name);
                (t.name, n)
            })
            .collect();
        for (what, sql) in [
            (
                "last event",
                "SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) AS n FROM events",
            ),
            (
                "hazard versions",
                "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM hazards",
            ),
            (
                "building versions",
                "SELECT CAST(COALESCE(SUM(version), 0) AS BIGINT) AS n FROM buildings",
            ),
            (
                "guards in post",
                "SELECT COUNT(*) AS n FROM guards WHERE left_on IS NULL",
            ),
            (
                "supervised hazards",
                "SELECT COUNT(*) AS n FROM hazards WHERE supervised",
            ),
            (
                "unread notifications",
                "SELECT COUNT(*) AS n FROM notifications WHERE read_at IS NULL",
            ),
            (
                "usable accounts",
                "SELECT COUNT(*) AS n FROM users WHERE active AND NOT must_change_password",
            ),
            (
                "open schools",
                "SELECT COUNT(*) AS n FROM schools WHERE active",
            ),
            (
                "submitted months",
                "SELECT COUNT(*) AS n FROM report_submissions WHERE state = 'submitted'",
            ),
        ] {
            out.push((what.to_string(), self.app.one(sql)));
        }
        out.sort();
        out
    }
}

impl TestApp {
    /// One number a query names `n`.
    pub fn one(&self, sql: &str) -> i64 {
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let rows: Vec<N> = diesel::sql_query(sql)
            .load(&mut *self.conn() as &mut DbConn)
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
        rows[0].n
    }
}

/// A route's path with its `{…}` segment filled in (a target of several segments, such as
/// `3/items/9`, fills from the first `{` to the last `}`).
pub fn path(pattern: &str, target: &str) -> String {
    let close = if target.contains('/') {
        pattern.rfind('}')
    } else {
        pattern.find('}')
    };
    match (pattern.find('{'), close) {
        (Some(a), Some(b)) if a < b => format!("{}{target}{}", &pattern[..a], &pattern[b + 1..]),
        _ => pattern.to_string(),
    }
}

/// A row's query or form with its `{id}` and `{month}` filled in.
pub fn fill(form: &str, target: &str, month: &str) -> String {
    form.replace("{id}", target).replace("{month}", month)
}

/// How a cell's POST carries its fields and token.
pub struct Post<'a> {
    pub path: &'a str,
    pub form: &'a str,
    pub multipart: bool,
    pub token: Option<&'a str>,
    pub origin: Option<&'a str>,
}

impl Post<'_> {
    pub async fn send(&self, b: &Browser) -> Response {
        let mut fields: Vec<(String, String)> = url::form_urlencoded::parse(self.form.as_bytes())
            .into_owned()
            .collect();
        if let Some(t) = self.token {
            fields.push(("csrf_token".into(), t.into()));
        }
        let mut req = b.client.post(b.url(self.path));
        if let Some(o) = self.origin {
            req = req.header("Origin", o);
        }
        req = if self.multipart {
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in fields {
                form = form.text(k, v);
            }
            req.multipart(form)
        } else {
            req.form(&fields)
        };
        req.send().await.expect("POST")
    }
}
