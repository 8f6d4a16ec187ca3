//! The security store on both databases: guards and their unique licences, leaving, the
//! profile's verifications and the four ticks they give, alarm tests and whom they tell.

use xiaoan::domain::role::Role;
use xiaoan::domain::security::Item;
use xiaoan::domain::security::compliance::Gap;
use xiaoan::domain::security::input::{GuardDraft, validate_guard};
use xiaoan::store::{StoreError, security};

use crate::helpers::*;
use crate::security_helpers::guard_form;

struct County {
    app: TestApp,
    school: i64,
}

async fn spawn() -> County {
    let app = TestApp::spawn().await;
    let school = app.school("SG-1");
    app.school("SG-2");
    app.user("s.officer", Role::SchoolAdmin, Some("SG-1"));
    app.user("s.other", Role::SchoolAdmin, Some("SG-2"));
    app.user("s.bureau", Role::Bureau, None);
    app.user("s.teacher", Role::Staff, Some("SG-1"));
    County { app, school }
}

fn ticks(c: &County) -> xiaoan::domain::security::compliance::Ticks {
    let s = security::settings(&mut c.app.conn()).expect("settings");
    security::school_facts(&mut c.app.conn(), c.school, &s, today())
        .expect("facts")
        .1
}

#[tokio::test]
async fn a_licence_number_belongs_to_one_guard_in_post_at_a_time() {
    let c = spawn().await;
    let first = c.app.add_guard("s.officer", c.school, "刘建国", "湘A0001");
    let d: GuardDraft = xiaoan::web::forms::restore_pairs(
        &guard_form("王军", "湘a0001")
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Vec<_>>(),
    );
    let g = validate_guard(&d, today()).expect("valid");
    let by = c.app.by_name("s.officer");
    match security::add_guard(&mut c.app.conn(), &by, c.school, &g) {
        Err(StoreError::Invalid(f)) => assert_eq!(f[0].message, "security.error.licence_taken"),
        other => panic!("a taken licence must be refused: {other:?}"),
    }
    security::guard_leaves(&mut c.app.conn(), &by, first, today()).expect("leaves");
    assert!(
        security::add_guard(&mut c.app.conn(), &by, c.school, &g).is_ok(),
        "free again once the first left"
    );
    assert!(
        matches!(
            security::guard_leaves(&mut c.app.conn(), &by, first, today()),
            Err(StoreError::Refused(_))
        ),
        "one leaving per guard"
    );
}

#[tokio::test]
async fn the_four_ticks_follow_guards_and_verifications() {
    let c = spawn().await;
    // 300 pupils: two full-time guards required.
    let t = ticks(&c);
    assert_eq!(t.guards, Err(Gap::TooFewGuards));
    assert_eq!(t.closed, Err(Gap::NotInPlace));
    c.app.add_guard("s.officer", c.school, "刘建国", "湘A0001");
    c.app.add_guard("s.officer", c.school, "王军", "湘A0002");
    c.app.verify_profile("s.bureau", c.school, 10);
    assert!(ticks(&c).all_met());
    c.app.verify_profile("s.officer", c.school, 181);
    assert_eq!(
        ticks(&c).gaps().iter().map(|g| g.1).collect::<Vec<_>>(),
        vec![Gap::Lapsed; 3]
    );
    assert_eq!(ticks(&c).get(Item::Guards), Ok(()));
    assert_eq!(
        security::open_gap_hazard(&mut c.app.conn(), c.school, Item::Closed).expect("query"),
        None
    );
}

#[tokio::test]
async fn only_the_schools_officer_keeps_its_guards_and_alarm_tests() {
    let c = spawn().await;
    let d: GuardDraft = xiaoan::web::forms::restore_pairs(
        &guard_form("刘建国", "湘A0003")
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Vec<_>>(),
    );
    let g = validate_guard(&d, today()).expect("valid");
    for who in ["s.teacher", "s.bureau", "s.other"] {
        let by = c.app.by_name(who);
        assert!(
            matches!(
                security::add_guard(&mut c.app.conn(), &by, c.school, &g),
                Err(StoreError::Refused(_))
            ),
            "{who}"
        );
    }
    assert_eq!(c.app.count("guards"), 0);
}

#[tokio::test]
async fn a_failed_alarm_test_and_an_uninsured_guard_tell_the_school_and_the_bureau() {
    let c = spawn().await;
    c.app.user("s.officer2", Role::SchoolAdmin, Some("SG-1"));
    c.app.alarm_test("s.officer", c.school, "pass", 3);
    assert!(
        c.app.told("s.bureau").is_empty(),
        "a passed test tells nobody"
    );
    c.app.alarm_test("s.officer", c.school, "fail", 1);
    assert_eq!(c.app.told("s.bureau"), ["alarm_failed"]);
    assert_eq!(c.app.told("s.officer2"), ["alarm_failed"]);
    assert!(
        c.app.told("s.officer").is_empty(),
        "not whoever recorded it"
    );
    assert!(c.app.told("s.other").is_empty() && c.app.told("s.teacher").is_empty());
    let mut f = guard_form("赵强", "湘A0009");
    f.retain(|(k, _)| *k != "insured");
    let d: GuardDraft = xiaoan::web::forms::restore_pairs(
        &f.into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect::<Vec<_>>(),
    );
    let g = validate_guard(&d, today()).expect("valid");
    security::add_guard(&mut c.app.conn(), &c.app.by_name("s.officer"), c.school, &g)
        .expect("guard");
    assert_eq!(c.app.told("s.bureau"), ["alarm_failed", "not_insured"]);
    let tests = security::alarm_tests_of(&mut c.app.conn(), c.school, 10).expect("tests");
    assert_eq!(tests.len(), 2);
    assert_eq!(tests[0].result.as_str(), "fail", "the latest first");
}

#[tokio::test]
async fn a_gap_becomes_one_hazard_linked_to_its_item_until_that_hazard_is_closed() {
    let c = spawn().await;
    let by = c.app.by_name("s.officer");
    let (id, _) =
        security::raise_gap(&mut c.app.conn(), &by, c.school, Item::Closed).expect("raised");
    let h = xiaoan::store::hazards::get(&mut c.app.conn(), id)
        .expect("hazard")
        .hazard;
    assert_eq!(
        (h.category.as_str(), h.state.as_str()),
        ("security", "reported")
    );
    assert_eq!(h.security_item, Some(Item::Closed));
    assert!(
        h.title.contains("SG-1") && h.title.contains("封闭化管理"),
        "{}",
        h.title
    );
    assert!(
        matches!(
            security::raise_gap(&mut c.app.conn(), &by, c.school, Item::Closed),
            Err(StoreError::Refused(
                xiaoan::domain::access::Refusal::Conflict
            ))
        ),
        "not twice while it is open"
    );
    c.app.exec(&format!(
        "UPDATE hazards SET state = 'closed' WHERE id = {id}"
    ));
    assert!(
        security::raise_gap(&mut c.app.conn(), &by, c.school, Item::Closed).is_ok(),
        "again once closed"
    );
    c.app.verify_profile("s.bureau", c.school, 1);
    assert!(
        matches!(
            security::raise_gap(&mut c.app.conn(), &by, c.school, Item::Post),
            Err(StoreError::Refused(
                xiaoan::domain::access::Refusal::Conflict
            ))
        ),
        "a met item is no gap"
    );
    let trail = c.app.one(&format!(
        "SELECT COUNT(*) AS n FROM events WHERE record_kind = 'security' AND record_id = {} AND action = 'raise_gap'",
        c.school
    ));
    assert_eq!(trail, 2);
}

#[tokio::test]
async fn an_overdue_alarm_test_and_a_lapsed_verification_remind_once_a_day() {
    let c = spawn().await;
    c.app.verify_profile("s.bureau", c.school, 10);
    c.app.alarm_test("s.officer", c.school, "pass", 31);
    let now = xiaoan::domain::time::now();
    // SG-1 has its alarm and no test in 30 days; SG-2 has no alarm (a gap, not a test to make).
    assert_eq!(
        security::remind::remind(&mut c.app.conn(), now).expect("remind"),
        1
    );
    assert_eq!(c.app.told("s.officer"), ["alarm_overdue"]);
    assert_eq!(c.app.told("s.bureau"), ["alarm_overdue"]);
    assert!(c.app.told("s.other").is_empty());
    assert_eq!(
        security::remind::remind(&mut c.app.conn(), now).expect("remind"),
        0,
        "once a day"
    );
    c.app.alarm_test("s.officer", c.school, "pass", 1);
    c.app.verify_profile("s.bureau", c.school, 200);
    c.app.forget_notifications();
    assert_eq!(
        security::remind::remind(&mut c.app.conn(), now).expect("remind"),
        1
    );
    assert_eq!(c.app.told("s.officer"), ["verification_lapsed"]);
    assert_eq!(c.app.told("s.bureau"), ["verification_lapsed"]);
}
