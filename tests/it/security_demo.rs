//! The demo county's security staffing: every school has guards (or shows it has none) and a
//! profile at its own level of compliance, alarm tests run back over the months, one
//! verification has lapsed, one gap was raised as a hazard, and the months' reports count it.

use xiaoan::domain::month::Month;
use xiaoan::domain::security::Item;
use xiaoan::domain::security::compliance::{Gap, Tally};
use xiaoan::domain::time;
use xiaoan::report::{Ask, Scope, build, security::SecuritySection};
use xiaoan::store::events::{Verdict, verify};
use xiaoan::store::security::{self, table};

use crate::helpers::*;

#[tokio::test]
async fn the_demo_county_meets_the_four_at_different_levels_school_by_school() {
    let app = TestApp::spawn_demo().await;
    let conn = &mut app.conn();
    let s = security::settings(conn).expect("settings");
    let rows = table::rows(conn, &s, today(), None).expect("the table");
    assert_eq!(rows.len(), 12);
    let mut tally = Tally::default();
    for r in &rows {
        tally.add(&r.facts, &r.ticks);
    }
    // See `demo::security`: eight schools with enough full-time guards, one without closed
    // management and one lapsed, two without the video link, two without a gate post.
    assert_eq!(
        tally,
        Tally {
            schools: 12,
            guards_required: 35,
            guards_in_post: 30,
            meet_guards: 8,
            meet_closed_management: 10,
            meet_alarm_video: 9,
            meet_guard_post: 9,
            meet_all_four: 7,
        }
    );
    let lapsed: Vec<&str> = rows
        .iter()
        .filter(|r| r.ticks.gaps().iter().any(|(_, g)| *g == Gap::Lapsed))
        .map(|r| r.school.school.code.as_str())
        .collect();
    assert_eq!(lapsed, ["CX-0402"], "one school's verification has lapsed");
    let overdue: Vec<&str> = rows
        .iter()
        .filter(|r| r.alarm_test_overdue)
        .map(|r| r.school.school.code.as_str())
        .collect();
    assert_eq!(overdue, ["CX-0302"], "one school's alarm test is overdue");
    assert!(
        rows.iter().filter(|r| r.guards_warned > 0).count() >= 3,
        "an old guard, one uninsured, one untrained, one without a licence"
    );
    assert!(
        rows.iter().all(|r| r.last_alarm_test.is_some()),
        "every school has tested its alarm"
    );
    let gap = table_gap_hazard(&app, "CX-0302");
    assert!(
        gap > 0,
        "the teaching point's missing guard was raised as a hazard"
    );
}

fn table_gap_hazard(app: &TestApp, code: &str) -> i64 {
    let school = xiaoan::store::schools::find_by_code(&mut app.conn(), code)
        .ok()
        .flatten()
        .map(|s| s.id)
        .unwrap_or(0);
    security::open_gap_hazard(&mut app.conn(), school, Item::Guards)
        .ok()
        .flatten()
        .unwrap_or(0)
}

#[tokio::test]
async fn the_demo_months_count_the_schools_and_their_alarm_tests() {
    let app = TestApp::spawn_demo().await;
    let now = time::now();
    let month = Month::at(now).prev().prev();
    let ask = Ask {
        scope: Scope::county(),
        month,
        now,
    };
    let report = build(&mut app.conn(), &ask, "test").expect("the report");
    let s = report
        .section::<SecuritySection>()
        .expect("the security section");
    assert_eq!(s.totals.tally.schools, 12, "every school registered then");
    assert!(
        s.totals.alarm_tests_in_month >= 9,
        "most schools test monthly: {:?}",
        s.totals
    );
    assert!(s.totals.tally.guards_in_post >= 25);
    assert_eq!(s.by_unit.len(), 4, "the demo's four townships");
    let verdict = verify(&mut app.conn()).expect("verify the event chains");
    assert!(
        matches!(verdict, Verdict::Intact { .. }),
        "the chains verify"
    );
}
