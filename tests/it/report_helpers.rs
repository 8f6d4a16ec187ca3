//! A county whose clock the tests set, so months of history are built through HTTP.

use chrono::{Duration, NaiveDateTime};
use reqwest::StatusCode;
use xiaoan::domain::role::Role;
use xiaoan::domain::time::Clock;

use crate::hazard_helpers::png;
use crate::helpers::*;

/// A Shanghai wall-clock time, as stored (UTC).
pub fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default() - Duration::hours(8)
}

/// An app whose clock the test sets, so a past month's history is built through HTTP.
pub async fn clocked() -> TestApp {
    TestApp::spawn_with(|c| c.clock = Clock::manual(local("2026-02-01 08:00"))).await
}

/// The people of school R-1 and the bureau, logged in, acting at times the test chooses.
pub struct County<'a> {
    pub app: &'a TestApp,
    pub officer: Browser,
    pub bureau: Browser,
}

impl<'a> County<'a> {
    pub async fn new(app: &'a TestApp) -> County<'a> {
        app.school("R-1");
        app.school("R-2");
        let officer = app
            .logged_in("r.officer", Role::SchoolAdmin, Some("R-1"))
            .await;
        let bureau = app.logged_in("r.bureau", Role::Bureau, None).await;
        County {
            app,
            officer,
            bureau,
        }
    }

    pub fn at(&self, when: &str) {
        self.app.config.clock.set(local(when));
    }

    /// The officer reports a hazard found that day.
    pub async fn report(&self, level: &str, when: &str) -> i64 {
        self.at(when);
        let res = self
            .officer
            .post(
                "/hazards",
                &[
                    ("source", "campus"),
                    ("category", "fire"),
                    ("title", "灭火器"),
                    ("description", "三楼"),
                    ("location", "教学楼"),
                    ("level", level),
                    ("found_on", &when[..10]),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "report at {when}");
        location(&res)
            .trim_start_matches("/hazards/")
            .parse()
            .unwrap_or(0)
    }

    pub async fn act(
        &self,
        b: &Browser,
        id: i64,
        action: &str,
        when: &str,
        extra: &[(&str, &str)],
    ) {
        self.at(when);
        let mut fields = vec![("action", action)];
        fields.extend_from_slice(extra);
        let res = b.post(&format!("/hazards/{id}/transition"), &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{action} at {when}");
    }

    pub async fn assign(&self, id: i64, when: &str, deadline: &str) {
        let fields = [
            ("deadline", deadline),
            ("responsible_unit", "总务处"),
            ("responsible_person", "王强"),
        ];
        self.act(&self.officer, id, "assign", when, &fields).await;
    }

    /// The officer adds the "after" photo and submits the fix.
    pub async fn fix(&self, id: i64, when: &str) {
        self.at(when);
        let token = self.officer.csrf().await;
        let form = reqwest::multipart::Form::new().text("stage", "after").part(
            "file",
            reqwest::multipart::Part::bytes(png(3, 20, 20)).file_name("after.png"),
        );
        let res = self
            .officer
            .client
            .post(
                self.officer
                    .url(&format!("/hazards/{id}/photos?csrf_token={token}")),
            )
            .multipart(form)
            .send()
            .await
            .expect("upload");
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "after photo at {when}");
        let measures = [("measures", "已更换")];
        self.act(&self.officer, id, "submit", when, &measures).await;
    }

    pub async fn accept(&self, id: i64, when: &str) {
        self.act(&self.bureau, id, "accept", when, &[]).await;
    }

    pub async fn supervise(&self, id: i64, when: &str, deadline: &str) {
        self.at(when);
        let res = self
            .bureau
            .post(
                &format!("/hazards/{id}/supervise"),
                &[
                    ("on", "1"),
                    ("measures", "停用"),
                    ("responsible_person", "校长"),
                    ("funding", "县财政"),
                    ("deadline", deadline),
                    ("contingency_plan", "疏散预案"),
                ],
            )
            .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "supervise at {when}");
    }
}

/// March 2026 of school R-1, built through HTTP: one hazard closed (18 days), one overdue, one
/// supervised, and one found in February and dismissed in March. Returns the overdue one.
pub async fn march(c: &County<'_>) -> i64 {
    let h3 = c.report("general", "2026-02-20 10:00").await;
    let dismiss = [("comment", "不属实")];
    c.act(&c.officer, h3, "dismiss", "2026-03-01 10:00", &dismiss)
        .await;
    let h1 = c.report("general", "2026-03-02 10:00").await;
    c.act(&c.officer, h1, "register", "2026-03-02 11:00", &[])
        .await;
    c.assign(h1, "2026-03-02 12:00", "2026-03-10").await;
    c.fix(h1, "2026-03-09 10:00").await;
    c.accept(h1, "2026-03-20 10:00").await;
    let h2 = c.report("general", "2026-03-05 10:00").await;
    c.act(&c.officer, h2, "register", "2026-03-05 11:00", &[])
        .await;
    c.assign(h2, "2026-03-05 12:00", "2026-03-15").await;
    let h4 = c.report("major", "2026-03-25 10:00").await;
    c.supervise(h4, "2026-03-26 10:00", "2026-04-30").await;
    h2
}

/// (found, closed, open, overdue, supervised) of a report's JSON.
pub fn hazards_json(v: &serde_json::Value) -> (i64, i64, i64, i64, i64) {
    let h = &v["hazards"];
    let n = |k: &str| h[k].as_i64().unwrap_or(-1);
    (
        n("found"),
        n("closed"),
        n("open_at_month_end"),
        n("overdue_at_month_end"),
        n("supervised_open"),
    )
}

/// One part (a sheet, the shared strings) of an XLSX file, as text.
pub fn xlsx_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a zip");
    let mut out = String::new();
    std::io::Read::read_to_string(&mut zip.by_name(name).expect("part"), &mut out).expect("read");
    out
}

/// The numbers of one row of a worksheet, in column order.
pub fn sheet_row(sheet: &str, row: usize) -> Vec<String> {
    let Some(start) = sheet.find(&format!("<row r=\"{row}\"")) else {
        return Vec::new();
    };
    let body = &sheet[start..];
    let body = &body[..body.find("</row>").unwrap_or(body.len())];
    body.split("<c ")
        .skip(1)
        .filter(|c| !c.contains("t=\"s\"") && !c.contains("t=\"inlineStr\""))
        .filter_map(|c| {
            let v = c.split("<v>").nth(1)?;
            Some(v.split("</v>").next()?.to_string())
        })
        .collect()
}

/// The first submission a submissions page links to (its id).
pub fn first_submission(list: &str) -> String {
    list.split("/reports/submissions/")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("0")
        .to_string()
}
