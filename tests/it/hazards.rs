//! The hazard loop over HTTP: roles, scope, states, fields, races and the trail.

use reqwest::StatusCode;
use xiaoan::domain::attachments::Stage as PhotoStage;
use xiaoan::domain::hazards::HazardAction;
use xiaoan::domain::role::Role;

use crate::hazard_helpers::{fields_for, png};
use crate::helpers::*;

fn report_form(title: &str) -> Vec<(&'static str, String)> {
    vec![
        ("source", "periphery".into()),
        ("category", "vendors".into()),
        ("title", title.into()),
        ("description", "放学时段".into()),
        ("location", "南门".into()),
        ("level", "general".into()),
        ("found_on", today().to_string()),
    ]
}

async fn post_owned(b: &Browser, path: &str, fields: &[(&str, String)]) -> reqwest::Response {
    let borrowed: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    b.post(path, &borrowed).await
}

async fn act(
    b: &Browser,
    id: i64,
    action: HazardAction,
    extra: &[(&'static str, String)],
) -> StatusCode {
    let mut fields = vec![("action", action.as_str().to_string())];
    fields.extend(
        fields_for(action)
            .into_iter()
            .filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)),
    );
    fields.extend(extra.iter().cloned());
    post_owned(b, &format!("/hazards/{id}/transition"), &fields)
        .await
        .status()
}

async fn upload_photo(b: &Browser, id: i64, stage: &str, bytes: Vec<u8>) -> StatusCode {
    let token = b.csrf().await;
    let form = reqwest::multipart::Form::new()
        .text("stage", stage.to_string())
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name("p.png"),
        );
    let res = b
        .client
        .post(b.url(&format!("/hazards/{id}/photos?csrf_token={token}")))
        .multipart(form)
        .send()
        .await;
    res.map(|r| r.status()).unwrap_or(StatusCode::IM_A_TEAPOT)
}

fn id_from(res: &reqwest::Response) -> i64 {
    location(res)
        .trim_start_matches("/hazards/")
        .parse()
        .unwrap_or(0)
}

#[tokio::test]
async fn a_hazard_goes_round_the_whole_loop_by_role() {
    let app = TestApp::spawn().await;
    app.school("CX-1");
    let teacher = app.logged_in("t.teacher", Role::Staff, Some("CX-1")).await;
    let officer = app
        .logged_in("t.officer", Role::SchoolAdmin, Some("CX-1"))
        .await;
    let bureau = app.logged_in("t.bureau", Role::Bureau, None).await;

    let res = post_owned(&teacher, "/hazards", &report_form("南门外流动摊贩占道")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let id = id_from(&res);
    let page = teacher.text(&format!("/hazards/{id}")).await;
    assert!(page.contains("YH-") && page.contains("已上报"));
    assert!(
        !page.contains("name=\"action\" value=\"register\""),
        "staff sees no register form"
    );

    let page = officer.text(&format!("/hazards/{id}")).await;
    for a in ["register", "dismiss", "mark_duplicate", "refer"] {
        assert!(
            page.contains(&format!("name=\"action\" value=\"{a}\"")),
            "officer is offered {a}"
        );
    }
    assert!(
        !page.contains("name=\"action\" value=\"assign\""),
        "assign comes after register"
    );
    assert_eq!(
        act(&officer, id, HazardAction::Register, &[]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&officer, id, HazardAction::Assign, &[]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.hazard_state(id), "rectifying");
    assert_eq!(
        act(&officer, id, HazardAction::Submit, &[]).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no after photo yet"
    );
    assert_eq!(
        upload_photo(&officer, id, "after", png(9, 40, 30)).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&officer, id, HazardAction::Submit, &[]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.hazard_state(id), "awaiting_acceptance");
    assert_eq!(
        act(&officer, id, HazardAction::Accept, &[]).await,
        StatusCode::FORBIDDEN
    );

    let queue = bureau.text("/hazards/review").await;
    assert!(
        queue.contains(&format!("/hazards/{id}")) && queue.contains("/thumb"),
        "in the review queue with its photo"
    );
    assert_eq!(
        act(
            &bureau,
            id,
            HazardAction::Return,
            &[("comment", "照片不清楚".into())]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.hazard_state(id), "rectifying");
    assert!(officer.text("/").await.contains("被退回重新整改"));
    assert_eq!(
        act(&officer, id, HazardAction::Submit, &[]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&bureau, id, HazardAction::Accept, &[]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.hazard_state(id), "closed");
    assert_eq!(
        act(&bureau, id, HazardAction::Reopen, &[]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.hazard_state(id), "rectifying");

    let page = bureau.text(&format!("/hazards/{id}")).await;
    for step in [
        "上报",
        "核实登记",
        "交办整改",
        "提交验收",
        "退回整改",
        "验收销号",
        "重新打开",
    ] {
        assert!(
            page.contains(&format!("<span class=\"what\">{step}</span>")),
            "timeline has {step}"
        );
    }
    let verdict = xiaoan::store::events::verify(&mut app.conn()).expect("verify");
    assert!(
        matches!(verdict, xiaoan::store::events::Verdict::Intact { .. }),
        "{verdict:?}"
    );
}

/// Puts a fresh hazard of school `code` into the state the action starts from.
fn hazard_ready_for(app: &TestApp, action: HazardAction, school_id: i64, officer: &str) -> i64 {
    let id = app.report_hazard(officer, school_id, "general");
    use HazardAction as A;
    let path: &[A] = match action {
        A::Register | A::Dismiss | A::MarkDuplicate | A::Refer => &[],
        A::Assign => &[A::Register],
        A::Submit => &[A::Register, A::Assign],
        A::Accept | A::Return => &[A::Register, A::Assign, A::Submit],
        A::Reopen => &[A::Register, A::Assign, A::Submit, A::Accept],
    };
    for step in path {
        if *step == A::Submit {
            app.photo(officer, id, PhotoStage::After, 1);
        }
        let by = if *step == A::Accept {
            "m.bureau.setup"
        } else {
            officer
        };
        app.act(by, id, *step);
    }
    id
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_role_own_and_other_school_and_action_get_the_right_status() {
    let app = TestApp::spawn().await;
    let own = app.school("OWN-1");
    let other = app.school("OTH-1");
    app.user("m.officer.own", Role::SchoolAdmin, Some("OWN-1"));
    app.user("m.officer.oth", Role::SchoolAdmin, Some("OTH-1"));
    app.user("m.bureau.setup", Role::Bureau, None);
    let original = app.report_hazard("m.officer.own", own, "general");
    let original_ref = xiaoan::store::hazards::get(&mut app.conn(), original)
        .expect("hazard")
        .hazard
        .ref_no;
    let roles = [
        ("staff", Role::Staff),
        ("sadmin", Role::SchoolAdmin),
        ("bureau", Role::Bureau),
        ("viewer", Role::Viewer),
        ("admin", Role::Admin),
    ];
    use HazardAction as A;
    for (name, role) in roles {
        let b = app
            .logged_in(&format!("m.{name}"), role, role_school(role, "OWN-1"))
            .await;
        for &action in A::ALL {
            let extra = if action == A::MarkDuplicate {
                vec![("duplicate_of", original_ref.clone())]
            } else {
                vec![]
            };
            let expected_own = match (role, action) {
                (
                    Role::SchoolAdmin,
                    A::Register | A::Dismiss | A::MarkDuplicate | A::Refer | A::Assign | A::Submit,
                ) => 303,
                (Role::Bureau, a) if a != A::Submit => 303,
                _ => 403,
            };
            let id = hazard_ready_for(&app, action, own, "m.officer.own");
            if action == A::Submit {
                app.photo("m.officer.own", id, PhotoStage::After, 2);
            }
            let before = app.hazard_state(id);
            let got = act(&b, id, action, &extra).await;
            assert_eq!(got.as_u16(), expected_own, "{role} {action:?} own school");
            if expected_own != 303 {
                assert_eq!(
                    app.hazard_state(id),
                    before,
                    "a refused action changes nothing"
                );
            }
            // Another school's hazard: not found for school users, as own for county roles.
            let id = hazard_ready_for(&app, action, other, "m.officer.oth");
            if action == A::Submit {
                app.photo("m.officer.oth", id, PhotoStage::After, 3);
            }
            let expected_other = if role.is_school_scoped() {
                404
            } else {
                expected_own
            };
            let extra = if action == A::MarkDuplicate {
                vec![("duplicate_of", original_ref.clone())]
            } else {
                vec![]
            };
            assert_eq!(
                act(&b, id, action, &extra).await.as_u16(),
                expected_other,
                "{role} {action:?} other school"
            );
        }
    }
}

#[tokio::test]
async fn an_action_the_state_does_not_allow_is_409_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let s = app.school("CX-1");
    app.user("o", Role::SchoolAdmin, Some("CX-1"));
    let bureau = app.logged_in("b", Role::Bureau, None).await;
    let id = app.report_hazard("o", s, "general");
    let events = app.count("events");
    use HazardAction as A;
    for action in [A::Assign, A::Submit, A::Accept, A::Return, A::Reopen] {
        let res = post_owned(&bureau, &format!("/hazards/{id}/transition"), &{
            let mut f = vec![("action", action.as_str().to_string())];
            f.extend(fields_for(action));
            f
        })
        .await;
        let status = res.status();
        let body = res.text().await.unwrap_or_default();
        if action == A::Submit {
            assert_eq!(status, StatusCode::FORBIDDEN, "the bureau never submits");
        } else {
            assert_eq!(status, StatusCode::CONFLICT, "{action:?}");
            assert!(
                body.contains("已上报"),
                "the 409 page names the current state"
            );
        }
    }
    assert_eq!(app.hazard_state(id), "reported");
    assert_eq!(app.count("events"), events);
}

#[tokio::test]
async fn missing_or_bad_fields_are_422_and_change_nothing() {
    let app = TestApp::spawn().await;
    let s = app.school("CX-1");
    let officer = app.logged_in("o", Role::SchoolAdmin, Some("CX-1")).await;
    let id = app.report_hazard("o", s, "general");
    let other = app.report_hazard("o", s, "general");
    let own_ref = xiaoan::store::hazards::get(&mut app.conn(), id)
        .expect("h")
        .hazard
        .ref_no;
    let path = format!("/hazards/{id}/transition");
    let cases: Vec<Vec<(&str, String)>> = vec![
        vec![("action", "dismiss".into())],
        vec![("action", "refer".into()), ("comment", "x".into())],
        vec![
            ("action", "mark_duplicate".into()),
            ("duplicate_of", "YH-1999-0001".into()),
        ],
        vec![
            ("action", "mark_duplicate".into()),
            ("duplicate_of", "not a ref".into()),
        ],
        vec![
            ("action", "mark_duplicate".into()),
            ("duplicate_of", own_ref),
        ],
        vec![("action", "dismiss".into()), ("comment", "x".repeat(2001))],
    ];
    let events = app.count("events");
    for fields in &cases {
        let res = post_owned(&officer, &path, fields).await;
        assert_eq!(
            res.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{:?}",
            fields[0]
        );
        assert!(res.text().await.unwrap_or_default().contains("form-errors"));
    }
    assert_eq!(app.hazard_state(id), "reported");
    app.act("o", other, HazardAction::Register);
    let events_before_assign = app.count("events");
    let found = today();
    let cases: Vec<Vec<(&str, String)>> = vec![
        vec![
            ("action", "assign".into()),
            ("responsible_unit", "u".into()),
            ("responsible_person", "p".into()),
        ],
        vec![
            ("action", "assign".into()),
            ("deadline", "2026-02-30".into()),
            ("responsible_unit", "u".into()),
            ("responsible_person", "p".into()),
        ],
        vec![
            ("action", "assign".into()),
            ("deadline", (found - chrono::Duration::days(1)).to_string()),
            ("responsible_unit", "u".into()),
            ("responsible_person", "p".into()),
        ],
        vec![
            ("action", "assign".into()),
            ("deadline", found.to_string()),
            ("responsible_person", "p".into()),
        ],
    ];
    for fields in &cases {
        let res = post_owned(&officer, &format!("/hazards/{other}/transition"), fields).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
    }
    assert_eq!(app.hazard_state(other), "registered");
    assert_eq!(app.count("events"), events_before_assign);
    assert!(events <= events_before_assign);
    let res = post_owned(
        &officer,
        &format!("/hazards/{other}/transition"),
        &[("action", "fly".into())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn staff_cannot_accept_a_hazard_fix() {
    let app = TestApp::spawn().await;
    let s = app.school("CX-1");
    app.user("o", Role::SchoolAdmin, Some("CX-1"));
    let staff = app.logged_in("s", Role::Staff, Some("CX-1")).await;
    let id = app.report_hazard("o", s, "general");
    for a in [HazardAction::Register, HazardAction::Assign] {
        app.act("o", id, a);
    }
    app.photo("o", id, PhotoStage::After, 1);
    app.act("o", id, HazardAction::Submit);
    assert_eq!(
        act(&staff, id, HazardAction::Accept, &[]).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(app.hazard_state(id), "awaiting_acceptance");
}

#[tokio::test]
async fn schools_accept_general_hazards_only_when_the_county_allows_and_never_their_own() {
    let app = TestApp::spawn().await;
    let s = app.school("CX-1");
    let submitter = app.logged_in("o1", Role::SchoolAdmin, Some("CX-1")).await;
    let colleague = app.logged_in("o2", Role::SchoolAdmin, Some("CX-1")).await;
    let ready = |level: &str| {
        let id = app.report_hazard("o1", s, level);
        app.act("o1", id, HazardAction::Register);
        app.act("o1", id, HazardAction::Assign);
        app.photo("o1", id, PhotoStage::After, 1);
        app.act("o1", id, HazardAction::Submit);
        id
    };
    let general = ready("general");
    let major = ready("major");
    assert_eq!(
        act(&colleague, general, HazardAction::Accept, &[]).await,
        StatusCode::FORBIDDEN,
        "off by default"
    );
    let admin = app.logged_in("root", Role::Admin, None).await;
    assert_eq!(
        admin
            .post("/settings", &[("schools_accept_general", "1")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(&submitter, general, HazardAction::Accept, &[]).await,
        StatusCode::FORBIDDEN,
        "not one's own fix"
    );
    assert_eq!(
        act(&colleague, major, HazardAction::Accept, &[]).await,
        StatusCode::FORBIDDEN,
        "major stays with the bureau"
    );
    assert_eq!(
        act(&colleague, general, HazardAction::Accept, &[]).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(app.hazard_state(general), "closed");
    let staff = app.logged_in("viewer.s", Role::Staff, Some("CX-1")).await;
    assert_eq!(
        staff
            .post("/settings", &[("schools_accept_general", "1")])
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_people_acting_at_once_exactly_one_wins() {
    let app = TestApp::spawn().await;
    let s = app.school("CX-1");
    app.user("o", Role::SchoolAdmin, Some("CX-1"));
    let b1 = app.logged_in("b1", Role::Bureau, None).await;
    let b2 = app.logged_in("b2", Role::Bureau, None).await;
    for round in 0..5 {
        let id = app.report_hazard("o", s, "general");
        app.act("o", id, HazardAction::Register);
        app.act("o", id, HazardAction::Assign);
        app.photo("o", id, PhotoStage::After, round);
        app.act("o", id, HazardAction::Submit);
        let events = app.count(&format!(
            "events WHERE record_kind = 'hazard' AND record_id = {id}"
        ));
        let why = [("comment", "再看看".to_string())];
        let (a, r) = tokio::join!(
            act(&b1, id, HazardAction::Accept, &[]),
            act(&b2, id, HazardAction::Return, &why)
        );
        let mut got = [a.as_u16(), r.as_u16()];
        got.sort();
        assert_eq!(
            got,
            [303, 409],
            "round {round}: one wins, the other is told"
        );
        let after = app.count(&format!(
            "events WHERE record_kind = 'hazard' AND record_id = {id}"
        ));
        assert_eq!(after, events + 1, "exactly one transition was recorded");
        let state = app.hazard_state(id);
        assert_eq!(
            state,
            if a == StatusCode::SEE_OTHER {
                "closed"
            } else {
                "rectifying"
            }
        );
    }
}

#[tokio::test]
async fn a_stale_form_is_refused_with_409() {
    let app = TestApp::spawn().await;
    let s = app.school("CX-1");
    let officer = app.logged_in("o", Role::SchoolAdmin, Some("CX-1")).await;
    let id = app.report_hazard("o", s, "general");
    let page = officer.text(&format!("/hazards/{id}")).await;
    let version = page
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("")
        .to_string();
    assert_eq!(version, "1");
    app.act("o", id, HazardAction::Register);
    let res = post_owned(
        &officer,
        &format!("/hazards/{id}/transition"),
        &[
            ("action", "refer".into()),
            ("department", "派出所".into()),
            ("comment", "x".into()),
            ("version", version),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert_eq!(app.hazard_state(id), "registered");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reference_numbers_stay_unique_under_twenty_concurrent_reports() {
    let app = TestApp::spawn().await;
    app.school("CX-1");
    let mut browsers = Vec::new();
    for i in 0..4 {
        browsers.push(
            app.logged_in(&format!("t{i}"), Role::Staff, Some("CX-1"))
                .await,
        );
    }
    let mut tasks = Vec::new();
    for i in 0..20 {
        let b = Browser::new(&browsers[i % 4].base);
        // Share the logged-in cookie jar of one of four teachers.
        let b = Browser {
            client: browsers[i % 4].client.clone(),
            jar: browsers[i % 4].jar.clone(),
            ..b
        };
        tasks.push(tokio::spawn(async move {
            post_owned(&b, "/hazards", &report_form(&format!("并发 {i}")))
                .await
                .status()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.ok(), Some(StatusCode::SEE_OTHER));
    }
    #[derive(diesel::QueryableByName)]
    struct R {
        #[diesel(sql_type = diesel::sql_types::Text)]
        ref_no: String,
    }
    use diesel::RunQueryDsl;
    let rows: Vec<R> = diesel::sql_query("SELECT ref_no FROM hazards ORDER BY ref_no")
        .load(&mut *app.conn())
        .expect("refs");
    let mut refs: Vec<String> = rows.into_iter().map(|r| r.ref_no).collect();
    refs.dedup();
    assert_eq!(refs.len(), 20);
    let year = chrono::Datelike::year(&today());
    let expected: Vec<String> = (1..=20).map(|n| format!("YH-{year}-{n:04}")).collect();
    assert_eq!(refs, expected, "numbered without gaps or repeats");
}

#[tokio::test]
async fn xss_in_every_text_field_comes_back_escaped() {
    let app = TestApp::spawn().await;
    app.school("CX-1");
    let x = "<script>alert('x')</script>";
    let officer = app.logged_in("o", Role::SchoolAdmin, Some("CX-1")).await;
    let bureau = app.logged_in("b", Role::Bureau, None).await;
    let mut form = report_form(x);
    for (k, v) in form.iter_mut() {
        if ["description", "location"].contains(k) {
            *v = x.into();
        }
    }
    form.push(("found_by", x.into()));
    let res = post_owned(&officer, "/hazards", &form).await;
    let id = id_from(&res);
    assert!(id > 0);
    let with = |mut f: Vec<(&'static str, String)>| {
        for (_, v) in f.iter_mut() {
            if !v.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                *v = x.into();
            }
        }
        f
    };
    assert_eq!(
        act(
            &officer,
            id,
            HazardAction::Register,
            &[("comment", x.into())]
        )
        .await,
        StatusCode::SEE_OTHER
    );
    let assign = with(fields_for(HazardAction::Assign));
    let mut extra = assign.clone();
    extra.push(("interim_controls", x.into()));
    extra.push(("funding", x.into()));
    extra.push(("comment", x.into()));
    assert_eq!(
        act(&officer, id, HazardAction::Assign, &extra).await,
        StatusCode::SEE_OTHER
    );
    let sup = vec![
        ("on", "1".to_string()),
        ("measures", x.to_string()),
        ("responsible_person", x.to_string()),
        ("funding", x.to_string()),
        (
            "deadline",
            (today() + chrono::Duration::days(9)).to_string(),
        ),
        ("contingency_plan", x.to_string()),
    ];
    assert_eq!(
        post_owned(&bureau, &format!("/hazards/{id}/supervise"), &sup)
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    for path in [
        format!("/hazards/{id}"),
        "/hazards".to_string(),
        "/hazards/supervised".to_string(),
        "/".to_string(),
    ] {
        let page = bureau.text(&path).await;
        assert!(
            !page.contains("<script>alert"),
            "{path} reflects a raw script"
        );
    }
    let page = bureau.text(&format!("/hazards/{id}")).await;
    assert!(
        page.matches("&lt;script&gt;").count() + page.matches("&#60;script&#62;").count() >= 8,
        "escaped text is shown"
    );
}

#[tokio::test]
async fn supervision_needs_its_five_items_and_shows_a_badge_everywhere() {
    let app = TestApp::spawn().await;
    let s = app.school("CX-1");
    let officer = app.logged_in("o", Role::SchoolAdmin, Some("CX-1")).await;
    let bureau = app.logged_in("b", Role::Bureau, None).await;
    let id = app.report_hazard("o", s, "major");
    let path = format!("/hazards/{id}/supervise");
    let res = post_owned(
        &bureau,
        &path,
        &[("on", "1".into()), ("measures", "m".into())],
    )
    .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let full = vec![
        ("on", "1".to_string()),
        ("measures", "设置隔离".into()),
        ("responsible_person", "王强".into()),
        ("funding", "5 万元".into()),
        (
            "deadline",
            (today() + chrono::Duration::days(20)).to_string(),
        ),
        ("contingency_plan", "封闭区域".into()),
    ];
    assert_eq!(
        post_owned(&officer, &path, &full).await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_owned(&bureau, &path, &full).await.status(),
        StatusCode::SEE_OTHER
    );
    for p in [
        format!("/hazards/{id}"),
        "/hazards".into(),
        "/hazards/supervised".into(),
    ] {
        assert!(
            officer
                .text(&p)
                .await
                .contains("badge badge-danger\">挂牌督办"),
            "badge on {p}"
        );
    }
    let since = || {
        xiaoan::store::hazards::get(&mut app.conn(), id)
            .expect("hazard")
            .hazard
            .supervised_at
    };
    let began = since();
    assert!(began.is_some(), "when supervision began is kept");
    assert!(
        officer
            .text(&format!("/hazards/{id}"))
            .await
            .contains("挂牌督办时间")
    );
    assert_eq!(
        post_owned(&bureau, &path, &full).await.status(),
        StatusCode::SEE_OTHER,
        "the five items edited"
    );
    assert_eq!(since(), began, "editing the items keeps when it began");
    assert_eq!(
        post_owned(&bureau, &path, &[("on", "0".into())])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(since(), None, "cleared with the supervision");
    assert!(
        !officer
            .text("/hazards")
            .await
            .contains("badge badge-danger\">挂牌督办")
    );
    app.act("o", id, HazardAction::Dismiss);
    assert_eq!(
        post_owned(&bureau, &path, &full).await.status(),
        StatusCode::CONFLICT,
        "closed matters are not supervised"
    );
}

#[tokio::test]
async fn the_report_form_is_checked_on_the_server() {
    let app = TestApp::spawn().await;
    let s1 = app.school("CX-1");
    app.school("CX-2");
    let teacher = app.logged_in("t", Role::Staff, Some("CX-1")).await;
    let viewer = app.logged_in("v", Role::Viewer, None).await;
    let bureau = app.logged_in("b", Role::Bureau, None).await;
    assert_eq!(teacher.get("/hazards/new").await.status(), StatusCode::OK);
    let tomorrow = (today() + chrono::Duration::days(1)).to_string();
    for (k, v) in [
        ("title", ""),
        ("category", "ghosts"),
        ("level", "huge"),
        ("source", "moon"),
        ("found_on", tomorrow.as_str()),
        ("found_on", "yesterday"),
    ] {
        let mut f = report_form("标题");
        f.retain(|(key, _)| *key != k);
        f.push((k, v.to_string()));
        let res = post_owned(&teacher, "/hazards", &f).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{k}={v}");
    }
    assert_eq!(app.count("hazards"), 0);
    assert_eq!(
        viewer.get("/hazards/new").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_owned(&viewer, "/hazards", &report_form("x"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        post_owned(&bureau, "/hazards", &report_form("x"))
            .await
            .status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "the bureau names a school"
    );
    let mut f = report_form("局里上报");
    f.push(("school", "CX-2".into()));
    assert_eq!(
        post_owned(&bureau, "/hazards", &f).await.status(),
        StatusCode::SEE_OTHER
    );
    // A teacher cannot report for another school by naming it.
    let res = post_owned(&teacher, "/hazards", &f).await;
    let id = id_from(&res);
    assert_eq!(
        xiaoan::store::hazards::get(&mut app.conn(), id)
            .expect("h")
            .hazard
            .school_id,
        s1
    );
}

#[tokio::test]
async fn the_ledger_filters_searches_pages_and_keeps_to_scope() {
    let app = TestApp::spawn().await;
    let s1 = app.school("CX-1");
    let s2 = app.school("CX-2");
    app.user("o1", Role::SchoolAdmin, Some("CX-1"));
    app.user("o2", Role::SchoolAdmin, Some("CX-2"));
    for _ in 0..52 {
        app.report_hazard("o1", s1, "general");
    }
    let major = app.report_hazard("o2", s2, "major");
    app.act("o2", major, HazardAction::Register);
    let bureau = app.logged_in("b", Role::Bureau, None).await;
    let page = bureau.text("/hazards").await;
    assert!(page.contains("共 53 条") && page.contains("1 / 2"));
    assert!(bureau.text("/hazards?page=2").await.contains("2 / 2"));
    let page = bureau.text("/hazards?level=major").await;
    assert!(page.contains("共 1 条") && page.contains(&format!("/hazards/{major}\"")));
    assert!(
        bureau
            .text("/hazards?state=registered")
            .await
            .contains("共 1 条")
    );
    assert!(
        bureau
            .text("/hazards?school=CX-2")
            .await
            .contains("共 1 条")
    );
    assert!(
        bureau
            .text("/hazards?township=辰阳镇")
            .await
            .contains("共 53 条")
    );
    assert!(bureau.text("/hazards?q=灭火器").await.contains("共 53 条"));
    assert!(
        bureau.text("/hazards?q=100%25").await.contains("共 0 条"),
        "% is literal"
    );
    assert_eq!(
        bureau.get("/hazards?state=bogus").await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let staff = app.logged_in("s1", Role::Staff, Some("CX-1")).await;
    assert!(staff.text("/hazards").await.contains("共 52 条"));
    assert_eq!(
        staff.get("/hazards?school=CX-2").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        staff.get(&format!("/hazards/{major}")).await.status(),
        StatusCode::NOT_FOUND
    );
    let admin = app.logged_in("root", Role::Admin, None).await;
    assert_eq!(admin.get("/hazards").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn overdue_is_computed_from_the_deadline_and_shown() {
    let app = TestApp::spawn().await;
    let s = app.school("CX-1");
    app.user("o", Role::SchoolAdmin, Some("CX-1"));
    let id = app.report_hazard("o", s, "general");
    app.act("o", id, HazardAction::Register);
    app.act("o", id, HazardAction::Assign);
    let yesterday = (today() - chrono::Duration::days(1)).to_string();
    // Found a week ago with yesterday's deadline: overdue now, without any write.
    let week_ago = (today() - chrono::Duration::days(7)).to_string();
    app.exec(&format!(
        "UPDATE hazards SET found_on = '{week_ago}', deadline = '{yesterday}' WHERE id = {id}"
    ));
    let bureau = app.logged_in("b", Role::Bureau, None).await;
    let page = bureau.text("/hazards/overdue").await;
    assert!(page.contains("共 1 条") && page.contains("badge badge-warn"));
    assert!(bureau.text("/").await.contains("逾期隐患"));
}

#[tokio::test]
async fn a_stale_supervision_form_is_refused_and_overwrites_nothing() {
    let app = TestApp::spawn().await;
    let s = app.school("CX-1");
    app.user("o", Role::SchoolAdmin, Some("CX-1"));
    let bureau = app.logged_in("b", Role::Bureau, None).await;
    let id = app.report_hazard("o", s, "major");
    let page = bureau.text(&format!("/hazards/{id}")).await;
    assert!(
        page.contains(
            "name=\"on\" value=\"1\"><input type=\"hidden\" name=\"version\" value=\"1\""
        )
    );
    app.act("o", id, HazardAction::Register);
    let full = vec![
        ("on", "1".to_string()),
        ("measures", "旧的措施".into()),
        ("responsible_person", "王强".into()),
        ("funding", "5 万元".into()),
        (
            "deadline",
            (today() + chrono::Duration::days(20)).to_string(),
        ),
        ("contingency_plan", "封闭区域".into()),
        ("version", "1".into()),
    ];
    assert_eq!(
        post_owned(&bureau, &format!("/hazards/{id}/supervise"), &full)
            .await
            .status(),
        StatusCode::CONFLICT
    );
    assert!(
        !xiaoan::store::hazards::get(&mut app.conn(), id)
            .expect("h")
            .hazard
            .supervised
    );
}

#[tokio::test]
async fn a_school_cannot_mark_a_duplicate_of_another_schools_hazard() {
    let app = TestApp::spawn().await;
    let s1 = app.school("CX-1");
    let s2 = app.school("CX-2");
    app.user("o2", Role::SchoolAdmin, Some("CX-2"));
    let officer = app.logged_in("o1", Role::SchoolAdmin, Some("CX-1")).await;
    let theirs = app.report_hazard("o2", s2, "general");
    let their_ref = xiaoan::store::hazards::get(&mut app.conn(), theirs)
        .expect("h")
        .hazard
        .ref_no;
    let mine = app.report_hazard("o1", s1, "general");
    let status = act(
        &officer,
        mine,
        HazardAction::MarkDuplicate,
        &[("duplicate_of", their_ref.clone())],
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "another school's number reads as unknown"
    );
    let bureau = app.logged_in("b", Role::Bureau, None).await;
    assert_eq!(
        act(
            &bureau,
            mine,
            HazardAction::MarkDuplicate,
            &[("duplicate_of", their_ref)]
        )
        .await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn text_search_ignores_case_on_every_database() {
    let app = TestApp::spawn().await;
    let s = app.school("CX-1");
    app.user("o", Role::SchoolAdmin, Some("CX-1"));
    app.report_hazard("o", s, "general");
    let bureau = app.logged_in("b", Role::Bureau, None).await;
    assert!(bureau.text("/hazards?q=yh-").await.contains("共 1 条"));
    assert!(bureau.text("/hazards?q=YH-").await.contains("共 1 条"));
}
