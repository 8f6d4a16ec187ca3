//! The loop's invariants through the real store and database (the domain's own property tests,
//! `domain/hazards/rules_props.rs`, check the rules alone): random steps by random people of
//! the county, stale forms among them, against one hazard per case.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use xiaoan::domain::attachments::Stage;
use xiaoan::domain::hazards::input::{TransitionDraft, validate_transition};
use xiaoan::domain::hazards::{HazardAction, SETTING_SCHOOLS_ACCEPT_GENERAL, State};
use xiaoan::domain::role::Role;
use xiaoan::store::hazards::{self, photos::HAZARD_PHOTOS};
use xiaoan::store::{Actor, attachments, files, settings};

use crate::hazard_helpers::{fields_for, png};
use crate::helpers::*;

const PEOPLE: [(&str, Role, Option<&str>); 6] = [
    ("p.teacher", Role::Staff, Some("PR-1")),
    ("p.officer1", Role::SchoolAdmin, Some("PR-1")),
    ("p.officer2", Role::SchoolAdmin, Some("PR-1")),
    ("p.bureau", Role::Bureau, None),
    ("p.viewer", Role::Viewer, None),
    ("p.elsewhere", Role::SchoolAdmin, Some("PR-2")),
];

#[derive(Clone, Debug)]
enum Step {
    /// An action by one of PEOPLE; `stale` sends the version before the current one.
    Act(usize, HazardAction, bool),
    Supervise(usize, bool),
    AfterPhoto(usize),
    Policy(bool),
}

fn step() -> impl Strategy<Value = Step> {
    let who = 0..PEOPLE.len();
    let action = proptest::sample::select(HazardAction::ALL.to_vec());
    prop_oneof![
        10 => (who.clone(), action, proptest::bool::weighted(0.1))
            .prop_map(|(w, a, s)| Step::Act(w, a, s)),
        2 => (who.clone(), any::<bool>()).prop_map(|(w, on)| Step::Supervise(w, on)),
        2 => who.prop_map(Step::AfterPhoto),
        1 => any::<bool>().prop_map(Step::Policy),
    ]
}

/// What the row says after each step.
#[derive(Clone, Debug, PartialEq)]
struct Seen {
    state: State,
    version: i32,
    submitted_by: Option<i64>,
    accepted_by: Option<i64>,
    supervised: bool,
    events: i64,
}

fn seen(app: &TestApp, id: i64) -> Seen {
    let h = hazards::get(&mut app.conn(), id).expect("hazard").hazard;
    let events = app.count(&format!(
        "events WHERE record_kind = 'hazard' AND record_id = {id}"
    ));
    Seen {
        state: h.state,
        version: h.version,
        submitted_by: h.submitted_by,
        accepted_by: h.accepted_by,
        supervised: h.supervised,
        events,
    }
}

/// Takes one step through the store; true when it was taken.
fn take(app: &TestApp, id: i64, s: &Step, saved: &files::Saved, original: &str) -> bool {
    let by = |i: usize| app.by_name(PEOPLE[i].0);
    let conn = &mut app.conn();
    match *s {
        Step::Policy(on) => {
            let value = if on { "true" } else { "false" };
            settings::save(
                conn,
                &Actor::cli(),
                &[(SETTING_SCHOOLS_ACCEPT_GENERAL, value.into())],
            )
            .expect("settings");
            false
        }
        Step::AfterPhoto(w) => attachments::add(
            conn,
            &by(w),
            &HAZARD_PHOTOS,
            id,
            Stage::After,
            std::slice::from_ref(saved),
        )
        .is_ok(),
        Step::Supervise(w, on) => {
            let plan = on.then(|| {
                let d = xiaoan::domain::hazards::input::SuperviseDraft {
                    measures: "围挡".into(),
                    responsible_person: "王强".into(),
                    funding: "1万".into(),
                    deadline: (today() + chrono::Duration::days(30)).to_string(),
                    contingency_plan: "预案".into(),
                };
                xiaoan::domain::hazards::input::validate_supervision(&d, today(), today())
                    .expect("a valid plan")
            });
            hazards::supervise(conn, &by(w), id, plan.as_ref(), None).is_ok()
        }
        Step::Act(w, action, stale) => {
            let mut d = TransitionDraft::default();
            for (k, v) in fields_for(action) {
                match k {
                    "deadline" => d.deadline = v,
                    "responsible_unit" => d.responsible_unit = v,
                    "responsible_person" => d.responsible_person = v,
                    "measures" => d.measures = v,
                    "department" => d.department = v,
                    "comment" => d.comment = v,
                    _ => {}
                }
            }
            d.duplicate_of = original.to_string();
            let Ok(t) = validate_transition(action, &d, today(), today()) else {
                return false;
            };
            let version = hazards::get(conn, id).expect("hazard").hazard.version;
            let expected = Some(if stale { version - 1 } else { version });
            hazards::transition(conn, &by(w), id, action, &t, expected, None).is_ok()
        }
    }
}

#[tokio::test]
async fn random_steps_through_the_store_never_break_the_loop() {
    let app = TestApp::spawn().await;
    let school = app.school("PR-1");
    app.school("PR-2");
    for (name, role, school) in PEOPLE {
        app.user(name, role, school);
    }
    let saved = files::save_photo(&app.config.uploads_dir(), &png(5, 16, 16))
        .expect("disk")
        .expect("image");
    let mut runner = TestRunner::new(Config {
        cases: 48,
        failure_persistence: None,
        ..Config::default()
    });
    let first = app.report_hazard("p.teacher", school, "general");
    let original = hazards::get(&mut app.conn(), first)
        .expect("hazard")
        .hazard
        .ref_no;
    let steps_taken = std::cell::Cell::new(0usize);
    let result = runner.run(&proptest::collection::vec(step(), 1..16), |steps| {
        app.exec(&format!(
            "DELETE FROM settings WHERE key = '{SETTING_SCHOOLS_ACCEPT_GENERAL}'"
        ));
        let id = app.report_hazard("p.teacher", school, "general");
        let mut last = seen(&app, id);
        for s in &steps {
            let taken = take(&app, id, s, &saved, &original);
            steps_taken.set(steps_taken.get() + 1);
            let now = seen(&app, id);
            match s {
                Step::Act(..) | Step::Supervise(..) if taken => {
                    prop_assert_eq!(
                        now.version,
                        last.version + 1,
                        "{:?}: the version grows by one",
                        s
                    );
                    prop_assert_eq!(now.events, last.events + 1, "{:?}: one event", s);
                }
                Step::AfterPhoto(_) if taken => {
                    prop_assert_eq!(now.state, last.state);
                }
                _ => {
                    prop_assert_eq!(&now, &last, "{:?} was refused but changed the hazard", s);
                }
            }
            prop_assert!(now.version >= last.version, "a version never goes back");
            if let Err(e) = app.rollups_agree() {
                prop_assert!(false, "{:?}: {}", s, e);
            }
            if now.state == State::Closed {
                prop_assert!(
                    now.accepted_by.is_some(),
                    "a closed hazard names its acceptor"
                );
                prop_assert_ne!(
                    now.accepted_by,
                    now.submitted_by,
                    "nobody accepts their own fix"
                );
            }
            last = now;
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{e}");
    }
    println!(
        "hazard store properties: 48 cases, {} steps",
        steps_taken.get()
    );
}
