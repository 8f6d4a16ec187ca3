//! The corpus in the hazard forms: the report, every action of the loop, supervision, photos.

use xiaoan::domain::attachments::Stage;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::hazards::input::{ReportDraft, SuperviseDraft};
use xiaoan::domain::role::Role;
use xiaoan::web::hazards::actions::field_names;
use xiaoan::web::hazards::new::ReportForm;

use crate::hazard_helpers::{fields_for, png};
use crate::helpers::*;
use crate::hostile::{Probe, V, corpus, escaped, fields_of, with};

const SCHOOL: &str = "HH-1";
const TEACHER: &str = "h.teacher";
const OFFICER: &str = "h.officer";
const BUREAU: &str = "h.bureau";

struct County {
    app: TestApp,
    school: i64,
    /// A hazard another one may be marked a duplicate of.
    original: String,
}

async fn county() -> County {
    let app = TestApp::spawn().await;
    let school = app.school(SCHOOL);
    app.user(TEACHER, Role::Staff, Some(SCHOOL));
    let id = app.report_hazard_as(TEACHER, school);
    let original = app.text_of(&format!("SELECT ref_no AS v FROM hazards WHERE id = {id}"));
    County {
        app,
        school,
        original,
    }
}

impl TestApp {
    fn report_hazard_as(&self, who: &str, school: i64) -> i64 {
        self.report_hazard(who, school, "general")
    }
}

/// Who takes an action, and a hazard in the state it is taken from.
fn actor_of(action: HazardAction) -> &'static str {
    use HazardAction as A;
    match action {
        A::Accept | A::Return | A::Reopen => BUREAU,
        _ => OFFICER,
    }
}

fn ready_for(c: &County, action: HazardAction) -> i64 {
    use HazardAction as A;
    let app = &c.app;
    let id = app.report_hazard_as(TEACHER, c.school);
    if matches!(
        action,
        A::Register | A::Dismiss | A::MarkDuplicate | A::Refer
    ) {
        return id;
    }
    app.act(OFFICER, id, A::Register);
    if action == A::Assign {
        return id;
    }
    app.act(BUREAU, id, A::Assign);
    app.photo(OFFICER, id, Stage::After, 9);
    if action == A::Submit {
        return id;
    }
    app.act(OFFICER, id, A::Submit);
    if action != A::Reopen {
        return id;
    }
    app.act(BUREAU, id, A::Accept);
    id
}

/// Puts a hazard back in the state `action` is taken from (after the step was taken): only the
/// state moves, so every value is tried on the same hazard.
fn rewind(app: &TestApp, id: i64, action: HazardAction) {
    use HazardAction as A;
    let from = match action {
        A::Register | A::Dismiss | A::MarkDuplicate | A::Refer => "reported",
        A::Assign => "registered",
        A::Submit => "rectifying",
        A::Accept | A::Return => "awaiting_acceptance",
        A::Reopen => "closed",
    };
    app.exec(&format!(
        "UPDATE hazards SET state = '{from}' WHERE id = {id}"
    ));
}

/// Where a transition field is kept once the step is taken.
fn stored(app: &TestApp, id: i64, field: &str) -> Option<String> {
    let sql = match field {
        "comment" => format!(
            "SELECT comment AS v FROM events WHERE record_kind = 'hazard' AND record_id = {id} \
             ORDER BY id DESC LIMIT 1"
        ),
        "responsible_unit" | "responsible_person" | "measures" | "interim_controls" | "funding"
        | "department" | "duplicate_of" | "contingency_plan" => {
            format!("SELECT {field} AS v FROM hazards WHERE id = {id}")
        }
        _ => return None,
    };
    Some(app.text_of(&sql))
}

#[tokio::test]
async fn hostile_hazard_reports_save_nothing_or_exactly_what_was_typed() {
    let c = county().await;
    let b = c.app.logged_in(BUREAU, Role::Bureau, None).await;
    let mut p = Probe::new(&c.app, &b).await;
    let good: Vec<(&'static str, String)> = [
        ("source", "campus"),
        ("category", "fire"),
        ("title", "灭火器过期"),
        ("description", "三楼东"),
        ("location", "教学楼"),
        ("level", "general"),
        ("how_found", "daily"),
        ("found_on", &today().to_string()),
        ("found_by", "李四"),
        ("school", SCHOOL),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect();
    // The report's fields as its form struct names them (its draft's and the school).
    let fields: Vec<String> = match serde_json::to_value(ReportForm::default()) {
        Ok(serde_json::Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    };
    for f in fields_of::<ReportDraft>() {
        assert!(fields.iter().any(|k| k == f), "the report form posts {f}");
    }
    assert!(fields.iter().any(|k| k == "school"));
    for field in fields.iter().map(String::as_str) {
        for (i, v) in corpus().into_iter().enumerate() {
            let a = p
                .post("/hazards", &with(&good, field, &v), i % 2 == 0)
                .await;
            let (true, Some(text)) = (a.accepted, v.text()) else {
                continue;
            };
            if ["title", "description", "location", "found_by"].contains(&field) && !text.is_empty()
            {
                let id = a.location.trim_start_matches("/hazards/");
                let kept = c
                    .app
                    .text_of(&format!("SELECT {field} AS v FROM hazards WHERE id = {id}"));
                assert_eq!(kept, text, "{field} stored as typed");
                let page = &a.page;
                assert!(page.contains(&escaped(text)), "{field} shown escaped");
            }
        }
    }
    crate::hostile::report("hazard reports", p.sent, p.accepted);
}

#[tokio::test]
async fn hostile_steps_of_the_loop_save_nothing_or_exactly_what_was_typed() {
    let c = county().await;
    let officer = c
        .app
        .logged_in(OFFICER, Role::SchoolAdmin, Some(SCHOOL))
        .await;
    let bureau = c.app.logged_in(BUREAU, Role::Bureau, None).await;
    let mut po = Probe::new(&c.app, &officer).await;
    let mut pb = Probe::new(&c.app, &bureau).await;
    for &action in HazardAction::ALL {
        let mut good: Vec<(&'static str, String)> = fields_for(action);
        good.retain(|(k, _)| *k != "duplicate_of" && *k != "comment");
        good.push(("comment", "理由".into()));
        good.push(("action", action.as_str().into()));
        if action == HazardAction::MarkDuplicate {
            good.push(("duplicate_of", c.original.clone()));
        }
        // The hidden fields are read alike for every action: probed on the first one.
        let mut fields: Vec<&str> = if action == HazardAction::ALL[0] {
            vec!["action", "version"]
        } else {
            Vec::new()
        };
        fields.extend(field_names(action).into_iter().filter(|f| *f != "file"));
        let id = ready_for(&c, action);
        for field in fields {
            for (i, v) in corpus().into_iter().enumerate() {
                let p = if actor_of(action) == BUREAU {
                    &mut pb
                } else {
                    &mut po
                };
                let path = format!("/hazards/{id}/transition");
                let a = p.post(&path, &with(&good, field, &v), i % 2 == 0).await;
                if !a.accepted {
                    continue;
                }
                // A blank optional field keeps what the hazard had.
                let text = v.text().filter(|t| !t.is_empty());
                if let (Some(kept), Some(text)) = (stored(&c.app, id, field), text) {
                    assert_eq!(kept, text, "{action:?} {field} stored as typed");
                    {
                        let page = &a.page;
                        assert!(
                            page.contains(&escaped(text)),
                            "{action:?} {field} shown escaped"
                        );
                    }
                }
                // The step is taken: back to where it is taken from, for the next value.
                rewind(&c.app, id, action);
            }
        }
    }
    crate::hostile::report("hazard steps", po.sent + pb.sent, po.accepted + pb.accepted);
}

#[tokio::test]
async fn hostile_supervision_and_photos_save_nothing_or_exactly_what_was_typed() {
    let c = county().await;
    let bureau = c.app.logged_in(BUREAU, Role::Bureau, None).await;
    let officer = c
        .app
        .logged_in(OFFICER, Role::SchoolAdmin, Some(SCHOOL))
        .await;
    let mut pb = Probe::new(&c.app, &bureau).await;
    let id = c.app.report_hazard_as(TEACHER, c.school);
    let far = (today() + chrono::Duration::days(20)).to_string();
    let good: Vec<(&'static str, String)> = [
        ("on", "1"),
        ("measures", "封闭围挡"),
        ("responsible_person", "王强"),
        ("funding", "5万元"),
        ("deadline", &far),
        ("contingency_plan", "疏散预案"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect();
    let mut fields = vec!["on", "version"];
    fields.extend(fields_of::<SuperviseDraft>());
    let path = format!("/hazards/{id}/supervise");
    for field in fields {
        for (i, v) in corpus().into_iter().enumerate() {
            let a = pb.post(&path, &with(&good, field, &v), i % 2 == 1).await;
            if let (true, Some(kept), Some(text)) =
                (a.accepted, stored(&c.app, id, field), v.text())
            {
                assert_eq!(kept, text, "supervise {field} stored as typed");
            }
        }
    }
    // Photos: a hostile stage, then hostile file names on a good photo and hostile bodies.
    let mut po = Probe::new(&c.app, &officer).await;
    let photo = |stage: V, name: String, body: Vec<u8>| {
        vec![("stage", None, stage.bytes()), ("file", Some(name), body)]
    };
    for v in corpus() {
        let target = c.app.report_hazard_as(TEACHER, c.school);
        po.multipart(
            &format!("/hazards/{target}/photos"),
            photo(v, "a.png".into(), png(1, 8, 8)),
        )
        .await;
    }
    for v in corpus() {
        let target = c.app.report_hazard_as(TEACHER, c.school);
        let name = String::from_utf8_lossy(&v.bytes()).replace(['\r', '\n', '"'], "_");
        // A name the multipart header cannot carry (a NUL, a control character) is a bad form.
        let readable = !name.chars().any(char::is_control);
        let a = po
            .multipart(
                &format!("/hazards/{target}/photos"),
                photo(V::Text("before".into()), name, png(2, 8, 8)),
            )
            .await;
        assert!(
            a.accepted || !readable,
            "a good photo is taken whatever its name: {} {v:?}",
            a.status
        );
    }
    let bodies: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"<script>alert(1)</script>".to_vec(),
        b"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>".to_vec(),
        b"GIF89a<script>alert(1)</script>".to_vec(),
        [&png(3, 8, 8)[..16], b"<script>alert(1)</script>"].concat(),
        [png(4, 8, 8), b"<script>alert(1)</script>".to_vec()].concat(),
        vec![0u8; 4096],
        b"\xFF\xD8\xFF\xE0 not a jpeg".to_vec(),
        vec![0x89; 11 * 1024 * 1024],
    ];
    for body in bodies {
        let target = c.app.report_hazard_as(TEACHER, c.school);
        po.multipart(
            &format!("/hazards/{target}/photos"),
            photo(V::Text("before".into()), "x.png".into(), body),
        )
        .await;
    }
    crate::hostile::report(
        "supervision and photos",
        pb.sent + po.sent,
        pb.accepted + po.accepted,
    );
}
