//! Property tests of a building's life: random sequences of appraisals (any grade) and disposal
//! steps, each by a random person with a random role, in or out of the building's school,
//! applied through `may_appraise`, `status_after` and `decide` the way the store applies them
//! (`store::buildings::appraise`, `transition`). Whatever the sequence, the invariants below
//! hold after every step.

use proptest::prelude::*;

use super::*;

const SCHOOL: i64 = 7;
const OTHER_SCHOOL: i64 = 8;
const PEOPLE: i64 = 3;

/// A building as the store keeps it, plus what the test counts.
#[derive(Clone, Debug)]
struct Record {
    facts: Facts,
    /// Hazards raised so far, and how many are still open.
    hazards: usize,
    open_hazards: usize,
    accepted_by: Option<i64>,
}

#[derive(Clone, Debug)]
enum Step {
    Appraise(Actor, Grade),
    Act(Actor, BuildingAction, Method),
}

fn actor() -> impl Strategy<Value = Actor> {
    let school = prop_oneof![4 => Just(SCHOOL), 1 => Just(OTHER_SCHOOL)];
    let role = proptest::sample::select(Role::ALL.to_vec());
    (1..=PEOPLE, role, school).prop_map(|(user_id, role, school)| Actor {
        user_id,
        role,
        school_id: role.is_school_scoped().then_some(school),
    })
}

fn step() -> impl Strategy<Value = Step> {
    let grade = proptest::sample::select(Grade::ALL.to_vec());
    let action = proptest::sample::select(BuildingAction::ALL.to_vec());
    let method = prop_oneof![Just(Method::Demolish), Just(Method::Reinforce)];
    prop_oneof![
        1 => (actor(), grade).prop_map(|(a, g)| Step::Appraise(a, g)),
        3 => (actor(), action, method).prop_map(|(a, x, m)| Step::Act(a, x, m)),
    ]
}

/// One step as the store takes it; returns whether it was taken.
fn apply(r: &mut Record, s: &Step) -> bool {
    match s {
        Step::Appraise(who, grade) => {
            if may_record(who, &r.facts, *grade).is_err() {
                return false;
            }
            r.facts.status = status_after(*grade);
            r.facts.grade = Some(*grade);
            r.facts.method = None;
            r.facts.reported_done_by = None;
            if raises_hazard(*grade) {
                r.hazards += 1;
                r.open_hazards += 1;
            }
            true
        }
        Step::Act(who, action, method) => {
            let Ok(to) = decide(who, *action, &r.facts) else {
                return false;
            };
            match action {
                BuildingAction::Plan => r.facts.method = Some(*method),
                BuildingAction::ReportDone => r.facts.reported_done_by = Some(who.user_id),
                BuildingAction::Return => r.facts.reported_done_by = None,
                BuildingAction::Accept => {
                    r.accepted_by = Some(who.user_id);
                    r.open_hazards = 0;
                }
            }
            r.facts.status = to;
            true
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_buildings_life_keeps_its_invariants(steps in proptest::collection::vec(step(), 1..40)) {
        let mut r = Record {
            facts: Facts { school_id: SCHOOL, status: Status::InUse, grade: None, method: None, reported_done_by: None },
            hazards: 0,
            open_hazards: 0,
            accepted_by: None,
        };
        for s in &steps {
            let before = r.clone();
            let taken = apply(&mut r, s);
            let who = match s { Step::Appraise(a, _) | Step::Act(a, _, _) => *a };
            if taken {
                // Nobody outside the school, and no admin, ever moved it.
                prop_assert!(who.sees_school(SCHOOL) && who.role != Role::Admin, "{s:?}");
                prop_assert!(matches!(who.role, Role::SchoolAdmin | Role::Bureau), "{s:?}");
            }
            // A D grade is never in use: it is closed or on its way out until re-appraised.
            if r.facts.grade == Some(Grade::D) {
                prop_assert!(r.facts.status != Status::InUse && r.facts.status != Status::Restricted);
            }
            // In use only after an A or B, never straight from a disposal.
            if r.facts.status == Status::InUse {
                prop_assert!(matches!(r.facts.grade, None | Some(Grade::A | Grade::B)));
            }
            if r.facts.status == Status::Restricted {
                prop_assert_eq!(r.facts.grade, Some(Grade::C));
            }
            // Demolished or reinforced only by the bureau's acceptance, never by whoever
            // reported the work done, and the method decides which.
            if r.facts.status.is_disposed() && !before.facts.status.is_disposed() {
                let Step::Act(a, BuildingAction::Accept, _) = s else {
                    return Err(TestCaseError::fail(format!("disposed by {s:?}")));
                };
                prop_assert_eq!(a.role, Role::Bureau);
                prop_assert!(before.facts.reported_done_by != Some(a.user_id));
                let want = match before.facts.method {
                    Some(Method::Demolish) => Status::Demolished,
                    _ => Status::Reinforced,
                };
                prop_assert_eq!(r.facts.status, want);
            }
            // Awaiting acceptance always knows who reported it done and how it was planned.
            if r.facts.status == Status::AwaitingAcceptance {
                prop_assert!(r.facts.reported_done_by.is_some() && r.facts.method.is_some());
            }
            // A demolished building is the end: nothing is taken on it.
            if before.facts.status == Status::Demolished {
                prop_assert!(!taken, "{s:?} on a demolished building");
            }
            // One open hazard exactly while a D building is being dealt with, none otherwise: a
            // D never comes on top of a D's disposal, and every D raised its own.
            let d_in_disposal = r.facts.grade == Some(Grade::D) && r.facts.status.in_disposal();
            prop_assert_eq!(r.open_hazards, usize::from(d_in_disposal), "{:?}", steps);
            prop_assert!(r.hazards >= r.open_hazards);
        }
    }
}
