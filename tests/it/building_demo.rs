//! The demo county's buildings: every school keeps a register, every disposal status is
//! there, some appraisals are overdue, each D grade raised its one supervised hazard, and the
//! trail the demo wrote through the store still verifies.

use xiaoan::domain::attachments::Stage;
use xiaoan::domain::buildings::{BuildingAction, Grade, KIND, Method, Status};
use xiaoan::domain::hazards::{Category, Level};
use xiaoan::store::buildings::{self, list};
use xiaoan::store::events::{Verdict, verify};
use xiaoan::store::hazards::building::of_building;
use xiaoan::store::{attachments, schools};

use crate::helpers::*;

/// The one demo building graded D in this status (and with a deadline on this side of today).
fn d_building(app: &TestApp, status: Status, in_time: Option<bool>) -> i64 {
    let all = list::all(&mut app.conn(), &list::Filter::default()).expect("buildings");
    let found: Vec<i64> = all
        .iter()
        .map(|r| &r.building)
        .filter(|b| b.grade == Some(Grade::D) && b.status == status)
        .filter(|b| in_time.is_none_or(|t| (b.disposal_deadline >= Some(today())) == t))
        .map(|b| b.id)
        .collect();
    assert_eq!(found.len(), 1, "one D building {status:?}");
    found[0]
}

#[tokio::test]
async fn the_demo_county_has_buildings_at_every_school_in_every_disposal_stage() {
    let app = TestApp::spawn_demo().await;
    let conn = &mut app.conn();
    let all = list::all(conn, &list::Filter::default()).expect("buildings");
    for school in schools::list(conn, true).expect("schools") {
        let n = all
            .iter()
            .filter(|r| r.building.school_id == school.school.id)
            .count();
        assert!(
            (2..=5).contains(&n),
            "{}: {n} buildings",
            school.school.code
        );
    }
    for status in Status::ALL {
        assert!(
            all.iter().any(|r| r.building.status == *status),
            "a building {status:?}"
        );
    }
    let today = today();
    let overdue = list::Filter {
        overdue_on: Some(today),
        ..Default::default()
    };
    assert!(list::count(conn, &overdue).expect("overdue") >= 1);
    assert!(
        all.iter().any(|r| r.building.grade.is_none()),
        "one never appraised"
    );

    let planned: Vec<_> = all
        .iter()
        .map(|r| &r.building)
        .filter(|b| b.status == Status::DisposalPlanned && b.grade == Some(Grade::D))
        .collect();
    assert!(
        planned.iter().any(|b| b.disposal_deadline < Some(today)),
        "one past its deadline"
    );
    assert!(
        planned.iter().any(|b| b.disposal_deadline >= Some(today)),
        "one still in time"
    );
    let d: Vec<_> = all
        .iter()
        .map(|r| &r.building)
        .filter(|b| b.grade == Some(Grade::D))
        .collect();
    for status in [
        Status::Closed,
        Status::AwaitingAcceptance,
        Status::Demolished,
    ] {
        assert!(
            d.iter().any(|b| b.status == status),
            "a D building {status:?}"
        );
    }
    for b in &d {
        let hazards = of_building(conn, b.id).expect("hazards");
        assert_eq!(hazards.len(), 1, "{}: one hazard", b.name);
        let h = &hazards[0];
        assert!(h.supervised, "{}", b.name);
        assert_eq!((h.level, h.category), (Level::Major, Category::Building));
        assert_eq!(b.hazard_id, Some(h.id));
        assert!(h.title.contains(&b.name), "{}", h.title);
        assert_eq!(h.state.is_open(), !b.status.is_disposed(), "{}", b.name);
        if b.status == Status::AwaitingAcceptance {
            assert!(attachments::count(conn, KIND, b.id, Stage::After).expect("photos") >= 1);
        }
        if b.status == Status::Demolished {
            assert!(b.accepted_by.is_some() && b.accepted_by != b.reported_done_by);
        }
    }
    // Four D grades in the past year, as the county's survey found.
    let year_ago = today - chrono::Duration::days(365);
    let recent_d = all
        .iter()
        .flat_map(|r| buildings::appraisals_of(conn, r.building.id).expect("appraisals"))
        .filter(|a| a.grade == Grade::D && a.appraised_on > year_ago)
        .count();
    assert_eq!(recent_d, 4);
    // Reinforced after a D and back in use on a B.
    assert!(all.iter().any(|r| {
        let grades: Vec<Grade> = buildings::appraisals_of(conn, r.building.id)
            .expect("appraisals")
            .iter()
            .map(|a| a.grade)
            .collect();
        r.building.status == Status::InUse && grades.starts_with(&[Grade::B, Grade::D])
    }));
    // A C grade with a reinforcement plan.
    assert!(all.iter().any(|r| r.building.grade == Some(Grade::C)
        && r.building.status == Status::DisposalPlanned
        && r.building.disposal_method == Some(Method::Reinforce)));
    assert!(matches!(verify(conn), Ok(Verdict::Intact { .. })));
}

#[tokio::test]
async fn the_demo_disposals_go_on_from_where_they_stand() {
    let app = TestApp::spawn_demo().await;
    // The bureau accepts the demolition a school reported done: the hazard closes with it.
    let awaiting = d_building(&app, Status::AwaitingAcceptance, None);
    app.building_step("bureau", awaiting, BuildingAction::Accept, "");
    assert_eq!(app.building_status(awaiting), "demolished");
    let h = of_building(&mut app.conn(), awaiting).expect("hazard");
    assert!(!h[0].state.is_open());
    // The closed one gets its photo and its plan; the one planned in time is reported done.
    let closed = d_building(&app, Status::Closed, None);
    let planned = d_building(&app, Status::DisposalPlanned, Some(true));
    app.building_photo("bureau", closed, Stage::Before, 7);
    app.building_step("bureau", closed, BuildingAction::Plan, "demolish");
    assert_eq!(app.building_status(closed), "disposal_planned");
    app.building_step("bureau", planned, BuildingAction::ReportDone, "");
    assert_eq!(app.building_status(planned), "awaiting_acceptance");
    assert!(matches!(
        verify(&mut app.conn()),
        Ok(Verdict::Intact { .. })
    ));
}
