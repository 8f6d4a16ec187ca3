//! The bullying store on both databases: a case's run through the machine with its clock, the
//! parties, measures and notes that stay out of the trail, the anonymous tip and its receipt,
//! the access log, the three-early status and the month's counts — and no pupil's name in any
//! event or notice.

use diesel::RunQueryDsl;
use xiaoan::auth::token;
use xiaoan::db::DbConn;
use xiaoan::domain::bullying::input::{
    CaseDraft, MeasureDraft, PartyDraft, ScreeningDraft, StepDraft, TipDraft, validate_case,
    validate_measure, validate_party, validate_screening, validate_step, validate_tip,
};
use xiaoan::domain::bullying::{Determination, Semester, State, report};
use xiaoan::domain::role::Role;
use xiaoan::domain::time;
use xiaoan::store::StoreError;
use xiaoan::store::bullying::{self, activities, details, step, trail};

use crate::helpers::*;

pub(crate) const VICTIM: &str = "王小雨";
pub(crate) const ALLEGED: &str = "赵大勇";

pub(crate) struct County {
    pub app: TestApp,
    pub school: i64,
}

pub(crate) async fn spawn() -> County {
    let app = TestApp::spawn().await;
    let school = app.school("BL-1");
    app.school("BL-2");
    app.user("b.officer", Role::SchoolAdmin, Some("BL-1"));
    app.user("b.other", Role::SchoolAdmin, Some("BL-2"));
    app.user("b.bureau", Role::Bureau, None);
    app.user("b.teacher", Role::Staff, Some("BL-1"));
    County { app, school }
}

pub(crate) fn reported(c: &County, who: &str) -> xiaoan::store::bullying::models::Case {
    let d = CaseDraft {
        reported_on: today().to_string(),
        reporter_kind: "teacher".into(),
        summary: format!("{ALLEGED}在课间多次推搡{VICTIM}"),
        place: "操场".into(),
        ..Default::default()
    };
    let new = validate_case(&d, today()).expect("valid case");
    bullying::report(&mut c.app.conn(), &c.app.by_name(who), c.school, &new).expect("reported")
}

/// A step through the store; the new state, or the refusal in words (StoreError is not Eq).
pub(crate) fn take(
    c: &County,
    who: &str,
    id: i64,
    action: &str,
    determination: &str,
    comment: &str,
) -> Result<State, String> {
    let s = validate_step(&StepDraft {
        action: action.into(),
        determination: determination.into(),
        outcome: String::new(),
        comment: comment.into(),
    })
    .expect("valid step");
    step::step(&mut c.app.conn(), &c.app.by_name(who), id, &s, None).map_err(|e| format!("{e:?}"))
}

#[derive(diesel::QueryableByName)]
struct Text {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    t: Option<String>,
}

/// Every text this query gives (one column named `t`).
fn texts(app: &TestApp, sql: &str) -> String {
    diesel::sql_query(sql)
        .load::<Text>(&mut *app.conn() as &mut DbConn)
        .expect("texts")
        .into_iter()
        .filter_map(|r| r.t)
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn a_case_runs_from_report_to_close_and_no_name_reaches_the_trail_or_a_notice() {
    let c = spawn().await;
    let case = reported(&c, "b.teacher");
    assert_eq!(case.state, State::Reported);
    assert!(case.ref_no.starts_with("BL-"), "{}", case.ref_no);
    for (role, name, age) in [("victim", VICTIM, "11"), ("alleged", ALLEGED, "13")] {
        let p = validate_party(&PartyDraft {
            role: role.into(),
            name: name.into(),
            grade_class: "五年级2班".into(),
            age: age.into(),
        })
        .expect("valid party");
        details::add_party(&mut c.app.conn(), &c.app.by_name("b.officer"), case.id, &p)
            .expect("party");
    }
    assert_eq!(
        take(&c, "b.officer", case.id, "accept", "", ""),
        Ok(State::Investigating)
    );
    let accepted = bullying::case(&mut c.app.conn(), case.id).expect("case");
    assert_eq!(
        accepted.deadline,
        Some(today() + chrono::Duration::days(10))
    );
    assert_eq!(
        take(
            &c,
            "b.officer",
            case.id,
            "determine",
            "bullying",
            &format!("委员会认定{ALLEGED}构成欺凌")
        ),
        Ok(State::Determined)
    );
    assert!(
        take(&c, "b.officer", case.id, "close", "", "").is_err_and(|e| e.contains("StateConflict")),
        "bullying is followed up before it closes"
    );
    let m = validate_measure(
        &MeasureDraft {
            kind: "warning_talk".into(),
            taken_on: today().to_string(),
            note: format!("与{ALLEGED}及家长谈话"),
        },
        today(),
    )
    .expect("valid measure");
    details::add_measure(&mut c.app.conn(), &c.app.by_name("b.officer"), case.id, &m)
        .expect("measure");
    take(
        &c,
        "b.officer",
        case.id,
        "follow_up",
        "",
        &format!("回访{VICTIM}，情绪稳定"),
    )
    .expect("visit");
    take(&c, "b.officer", case.id, "appeal", "", "家长对认定有异议").expect("appeal");
    let s = validate_step(&StepDraft {
        action: "reexamine".into(),
        outcome: "upheld".into(),
        ..Default::default()
    })
    .expect("valid");
    let officer = step::step(
        &mut c.app.conn(),
        &c.app.by_name("b.officer"),
        case.id,
        &s,
        None,
    );
    assert!(
        matches!(officer, Err(StoreError::Refused(_))),
        "only the bureau re-examines"
    );
    step::step(
        &mut c.app.conn(),
        &c.app.by_name("b.bureau"),
        case.id,
        &s,
        None,
    )
    .expect("reexamined");
    take(&c, "b.officer", case.id, "follow_up", "", "第二次回访").expect("visit");
    assert_eq!(
        take(&c, "b.officer", case.id, "close", "", ""),
        Ok(State::Closed)
    );
    assert_eq!(
        details::notes(&mut c.app.conn(), case.id)
            .expect("notes")
            .len(),
        4
    );
    assert_eq!(
        details::parties(&mut c.app.conn(), case.id)
            .expect("parties")
            .len(),
        2
    );
    // The names are in the case's own tables, nowhere else.
    let trail = texts(
        &c.app,
        "SELECT changes AS t FROM events UNION ALL SELECT comment AS t FROM events",
    );
    let told = texts(
        &c.app,
        "SELECT title AS t FROM notifications UNION ALL SELECT reference AS t FROM notifications",
    );
    for name in [VICTIM, ALLEGED] {
        assert!(!trail.contains(name), "{name} in the trail: {trail}");
        assert!(!told.contains(name), "{name} in a notice: {told}");
    }
    assert!(
        told.contains(&case.ref_no),
        "a notice names the reference: {told}"
    );
    assert!(
        trail.contains("\"consent_needed\":true"),
        "an under-14 flagged: {trail}"
    );
}

#[tokio::test]
async fn only_the_schools_officer_and_the_bureau_touch_a_case() {
    let c = spawn().await;
    let case = reported(&c, "b.teacher");
    let p = validate_party(&PartyDraft {
        role: "victim".into(),
        name: VICTIM.into(),
        ..Default::default()
    })
    .expect("valid");
    let refused =
        |who: &str| details::add_party(&mut c.app.conn(), &c.app.by_name(who), case.id, &p);
    assert!(matches!(
        refused("b.teacher"),
        Err(StoreError::Refused(
            xiaoan::domain::access::Refusal::Forbidden
        ))
    ));
    assert!(matches!(
        refused("b.other"),
        Err(StoreError::Refused(
            xiaoan::domain::access::Refusal::NotFound
        ))
    ));
    assert!(refused("b.bureau").is_ok());
    assert!(take(&c, "b.teacher", case.id, "accept", "", "").is_err());
    assert_eq!(c.app.count("bullying_parties"), 1);
}

#[tokio::test]
async fn a_tip_has_no_reporter_and_its_receipt_shows_its_state_only() {
    let c = spawn().await;
    let d = TipDraft {
        school: "BL-1".into(),
        summary: "宿舍里有人被逼着交钱".into(),
        place: "男生宿舍".into(),
        happened_on: today().to_string(),
    };
    let new = validate_tip(&d, today()).expect("valid tip");
    let code = token::receipt_code();
    let hash = token::token_hash(&code);
    let keys = ("tip-ip:test", "tip-school:BL-1");
    let case =
        bullying::tip(&mut c.app.conn(), ("BL-1", &new), &hash, time::now(), keys).expect("tip");
    assert_eq!(case.reported_by, None);
    assert_eq!(
        bullying::state_by_receipt(&mut c.app.conn(), &hash).expect("lookup"),
        Some(State::Reported)
    );
    let wrong = token::token_hash(&token::receipt_code());
    assert_eq!(
        bullying::state_by_receipt(&mut c.app.conn(), &wrong).expect("lookup"),
        None
    );
    assert_eq!(
        c.app.count("notifications"),
        1,
        "the school's officer is told (the bureau is not)"
    );
    let unknown = bullying::tip(
        &mut c.app.conn(),
        ("NO-SUCH", &new),
        &hash,
        time::now(),
        keys,
    );
    assert!(matches!(unknown, Err(StoreError::Invalid(_))));
    let actors = texts(
        &c.app,
        "SELECT actor AS t FROM events WHERE record_kind = 'bullying'",
    );
    assert_eq!(actors, "anonymous");
}

#[tokio::test]
async fn every_opening_is_logged_and_the_three_early_status_follows_the_semester() {
    let c = spawn().await;
    let case = reported(&c, "b.officer");
    let officer = c.app.by_name("b.officer");
    for _ in 0..2 {
        details::log_access(&mut c.app.conn(), case.id, officer.who.user_id, time::now())
            .expect("log");
    }
    assert_eq!(
        details::access_log(&mut c.app.conn(), case.id)
            .expect("log")
            .len(),
        2
    );
    let semester = Semester::of(today());
    let status = |c: &County| {
        activities::three_early(&mut c.app.conn(), Some(&[c.school]), semester, today())
            .expect("status")
            .remove(&c.school)
            .unwrap_or_default()
    };
    assert!(!status(&c).screened && !status(&c).educated);
    let s = validate_screening(
        &ScreeningDraft {
            held_on: today().to_string(),
            classes: "四至六年级".into(),
            pupils_covered: "320".into(),
            findings: "问卷发现 2 条线索".into(),
        },
        today(),
    )
    .expect("valid");
    activities::record_screening(&mut c.app.conn(), &officer, c.school, &s).expect("screening");
    let session = xiaoan::domain::bullying::input::Session {
        held_on: today(),
        participants: 300,
        note: "主题班会".into(),
    };
    activities::record_session(&mut c.app.conn(), &officer, c.school, &session).expect("session");
    take(&c, "b.officer", case.id, "accept", "", "").expect("accepted");
    let now = status(&c);
    assert!(
        now.screened && now.educated && now.in_time && now.all_met(),
        "{now:?}"
    );
    assert_eq!(now.cases, 1);
    // The clock runs out: the school no longer controls its cases early.
    c.app
        .exec("UPDATE bullying_cases SET deadline = accepted_on");
    let later = activities::three_early(
        &mut c.app.conn(),
        Some(&[c.school]),
        semester,
        today() + chrono::Duration::days(1),
    )
    .expect("status");
    assert!(!later[&c.school].in_time);
    assert!(matches!(
        activities::record_screening(&mut c.app.conn(), &c.app.by_name("b.bureau"), c.school, &s),
        Err(StoreError::Refused(_))
    ));
}

#[tokio::test]
async fn the_months_counts_are_replayed_from_the_trail() {
    let c = spawn().await;
    let a = reported(&c, "b.officer");
    let b = reported(&c, "b.teacher");
    take(&c, "b.officer", a.id, "accept", "", "").expect("accept");
    take(&c, "b.officer", a.id, "determine", "bullying", "").expect("determine");
    take(&c, "b.officer", b.id, "accept", "", "").expect("accept");
    c.app
        .exec("UPDATE bullying_cases SET deadline = accepted_on");
    let (from, _) = xiaoan::domain::month::Month::of(today()).bounds_utc();
    let to = time::now() + chrono::Duration::seconds(1);
    let histories = trail::histories(&mut c.app.conn(), None, to).expect("histories");
    assert_eq!(histories.len(), 2);
    // The deadline the trail recorded (ten days on), not the row's edited one.
    let f = report::figures(&histories, 0, (from, to), today());
    assert_eq!(
        (
            f.reported_in_month,
            f.determined_bullying_in_month,
            f.open,
            f.investigations_overdue
        ),
        (2, 1, 2, 0)
    );
    let late = report::figures(
        &histories,
        0,
        (from, to),
        today() + chrono::Duration::days(11),
    );
    assert_eq!(
        late.investigations_overdue, 1,
        "one still investigating, past its ten days"
    );
    let determined = bullying::case(&mut c.app.conn(), a.id).expect("case");
    assert_eq!(determined.determination, Some(Determination::Bullying));
}

#[tokio::test]
async fn an_investigation_near_or_past_its_deadline_reminds_the_school_and_the_bureau_once_a_day() {
    let c = spawn().await;
    let case = reported(&c, "b.officer");
    take(&c, "b.officer", case.id, "accept", "", "").expect("accepted");
    c.app.forget_notifications();
    let now = time::now();
    let remind =
        |at| xiaoan::store::bullying::remind::remind(&mut c.app.conn(), at).expect("remind");
    assert_eq!(remind(now), 0, "ten days left: nothing yet");
    // Two days from the deadline.
    c.app.exec(&format!(
        "UPDATE bullying_cases SET deadline = '{}'",
        today() + chrono::Duration::days(2)
    ));
    assert_eq!(remind(now), 1);
    assert_eq!(c.app.told("b.officer"), ["due_soon"]);
    assert_eq!(c.app.told("b.bureau"), ["due_soon"]);
    assert!(c.app.told("b.other").is_empty(), "another school's officer");
    assert_eq!(remind(now), 0, "once a day");
    c.app.exec(&format!(
        "UPDATE bullying_cases SET deadline = '{}'",
        today() - chrono::Duration::days(1)
    ));
    c.app.forget_notifications();
    assert_eq!(remind(now), 1);
    assert_eq!(c.app.told("b.bureau"), ["overdue"]);
    let titles = texts(&c.app, "SELECT title AS t FROM notifications");
    assert!(
        titles.lines().all(|t| t == case.ref_no),
        "by the reference only: {titles}"
    );
}
