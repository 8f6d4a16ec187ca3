//! Property tests of the hazard loop: random sequences of steps, each by a random person with
//! a random role (their role may change between steps, as an admin can change it), in or out
//! of the hazard's school, applied through `decide` and `may_supervise` the way the store
//! applies them (`store::hazards::transition`, `supervise`). Whatever the sequence, the
//! invariants below hold after every step.

use proptest::prelude::*;

use super::*;
use crate::domain::hazards::queues::{self, TodayFacts};
use crate::domain::today::Reason;

const SCHOOL: i64 = 7;
const OTHER_SCHOOL: i64 = 8;
/// A few people, so that the same person submits and then tries to accept.
const PEOPLE: i64 = 4;

/// A hazard as the store keeps it: what the rules read, plus what the store's writes set.
#[derive(Clone, Debug)]
struct Record {
    facts: Facts,
    version: i32,
    accepted_by: Option<i64>,
}

/// Which action a step tries: any of them, or (so that sequences get far into the loop) the
/// n-th of those `available` offers this actor now.
#[derive(Clone, Copy, Debug)]
enum Pick {
    Any(HazardAction),
    Offered(usize),
}

#[derive(Clone, Debug)]
enum Step {
    Act(Actor, Pick),
    Supervise(Actor, bool),
    /// The admin changes the county's acceptance rule between steps.
    Policy(bool),
}

fn role() -> impl Strategy<Value = Role> {
    proptest::sample::select(Role::ALL.to_vec())
}

fn actor() -> impl Strategy<Value = Actor> {
    // Mostly the hazard's own school, sometimes another, so that scope refusals come up.
    let school = prop_oneof![4 => Just(SCHOOL), 1 => Just(OTHER_SCHOOL)];
    (1..=PEOPLE, role(), school).prop_map(|(user_id, role, school)| Actor {
        user_id,
        role,
        school_id: role.is_school_scoped().then_some(school),
    })
}

fn step() -> impl Strategy<Value = Step> {
    let pick = prop_oneof![
        proptest::sample::select(HazardAction::ALL.to_vec()).prop_map(Pick::Any),
        (0..9usize).prop_map(Pick::Offered),
    ];
    prop_oneof![
        8 => (actor(), pick).prop_map(|(a, x)| Step::Act(a, x)),
        2 => (actor(), any::<bool>()).prop_map(|(a, on)| Step::Supervise(a, on)),
        1 => any::<bool>().prop_map(Step::Policy),
    ]
}

fn fresh(level: Level) -> Record {
    Record {
        facts: Facts {
            school_id: SCHOOL,
            state: State::Reported,
            level,
            supervised: false,
            submitted_by: None,
            from_building: false,
        },
        version: 1,
        accepted_by: None,
    }
}

fn level() -> impl Strategy<Value = Level> {
    proptest::sample::select(Level::ALL.to_vec())
}

/// The action a step takes on this record.
fn action_of(s: &Step, r: &Record, policy: Policy) -> Option<(Actor, HazardAction)> {
    match *s {
        Step::Act(who, Pick::Any(a)) => Some((who, a)),
        Step::Act(who, Pick::Offered(n)) => {
            let offered = available(&who, &r.facts, policy);
            let a = offered.get(n % offered.len().max(1)).copied();
            Some((who, a.unwrap_or(HazardAction::Accept)))
        }
        _ => None,
    }
}

/// One step as the store takes it: refused, nothing changes; allowed, the state moves, the
/// version grows by one and the step's own columns are set (`transition.rs`, `supervise.rs`).
fn apply(r: &mut Record, policy: &mut Policy, s: &Step) -> Option<Refusal> {
    if let Some((who, action)) = action_of(s, r, *policy) {
        return act(r, *policy, who, action);
    }
    match *s {
        Step::Policy(on) => {
            policy.schools_accept_general = on;
            None
        }
        Step::Supervise(who, on) => match may_supervise(&who, &r.facts) {
            Ok(()) => {
                r.facts.supervised = on;
                r.version += 1;
                None
            }
            Err(e) => Some(e),
        },
        Step::Act(..) => None,
    }
}

fn act(r: &mut Record, policy: Policy, who: Actor, action: HazardAction) -> Option<Refusal> {
    match decide(&who, action, &r.facts, policy) {
        Ok(to) => {
            r.facts.state = to;
            r.version += 1;
            match action {
                HazardAction::Submit => r.facts.submitted_by = Some(who.user_id),
                HazardAction::Accept => r.accepted_by = Some(who.user_id),
                HazardAction::Assign | HazardAction::Reopen => r.accepted_by = None,
                _ => {}
            }
            None
        }
        Err(e) => Some(e),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The loop's invariants after every step of any sequence.
    #[test]
    fn no_sequence_of_steps_breaks_the_loop(
        start in level(),
        steps in proptest::collection::vec(step(), 1..40),
    ) {
        let mut r = fresh(start);
        let mut policy = Policy::default();
        for s in &steps {
            let before = r.clone();
            let taken = action_of(s, &r, policy);
            let refused = apply(&mut r, &mut policy, s);
            // Every state reached is one of the machine's.
            prop_assert!(State::ALL.contains(&r.facts.state));
            if let Some(why) = refused {
                // A refused step changes nothing.
                prop_assert_eq!(&r.facts, &before.facts, "{:?} refused ({:?}) but moved", s, why);
                prop_assert_eq!(r.version, before.version);
                prop_assert_eq!(r.accepted_by, before.accepted_by);
            } else if !matches!(s, Step::Policy(_)) {
                // An allowed step is one version later, never the same or earlier.
                prop_assert_eq!(r.version, before.version + 1);
            }
            if let Some((who, action)) = taken {
                let offered = available(&who, &before.facts, policy);
                if refused.is_none() {
                    // What decide allows is the machine's move, and offered on the page.
                    prop_assert_eq!(next_state(before.facts.state, action), Some(r.facts.state));
                    prop_assert!(offered.contains(&action));
                } else {
                    prop_assert!(!offered.contains(&action));
                }
                if action == HazardAction::Accept && refused.is_none() {
                    prop_assert_eq!(before.facts.state, State::AwaitingAcceptance);
                    // Supervised or major hazards are the bureau's to accept, whatever the county allows.
                    if before.facts.supervised || before.facts.level == Level::Major {
                        prop_assert_eq!(who.role, Role::Bureau);
                    }
                }
            }
            // A closed hazard has an acceptor, and it is not who submitted the fix.
            if r.facts.state == State::Closed {
                prop_assert!(r.accepted_by.is_some());
                prop_assert!(r.facts.submitted_by.is_some());
                prop_assert_ne!(r.accepted_by, r.facts.submitted_by);
            } else {
                prop_assert_eq!(r.accepted_by, None, "only a closed hazard names an acceptor");
            }
            // Awaiting acceptance always names the submitter.
            if r.facts.state == State::AwaitingAcceptance {
                prop_assert!(r.facts.submitted_by.is_some());
            }
            // Supervision changes only on an open hazard.
            if r.facts.supervised != before.facts.supervised {
                prop_assert!(before.facts.state.is_open());
            }
        }
    }

    /// Refusals come in one order: another school's hazard is not found whatever the action
    /// or state; a visible one the role may not act on is forbidden before any state conflict.
    #[test]
    fn scope_comes_before_role_and_role_before_state(
        who in actor(),
        action in proptest::sample::select(HazardAction::ALL.to_vec()),
        state in proptest::sample::select(State::ALL.to_vec()),
        lvl in level(),
        supervised in any::<bool>(),
        submitter in proptest::option::of(1..=PEOPLE),
        lenient in any::<bool>(),
    ) {
        let f = Facts { school_id: SCHOOL, state, level: lvl, supervised, submitted_by: submitter, from_building: false };
        let policy = Policy { schools_accept_general: lenient };
        let got = decide(&who, action, &f, policy);
        if !who.sees_school(SCHOOL) {
            prop_assert_eq!(got, Err(Refusal::NotFound));
            prop_assert_eq!(may_supervise(&who, &f), Err(Refusal::NotFound));
        }
        if got == Err(Refusal::Conflict) {
            prop_assert_eq!(next_state(state, action), None);
        }
        if let Ok(to) = got {
            prop_assert_eq!(next_state(state, action), Some(to));
            prop_assert!(who.role != Role::Viewer && who.role != Role::Admin && who.role != Role::Staff);
        }
        match may_supervise(&who, &f) {
            Ok(()) => prop_assert!(who.role == Role::Bureau && state.is_open()),
            Err(Refusal::Conflict) => prop_assert!(!state.is_open()),
            Err(_) => prop_assert!(who.role != Role::Bureau || !who.sees_school(SCHOOL)),
        }
    }

    /// A line on someone's today list names work the rules let them do now.
    #[test]
    fn the_today_list_asks_only_for_allowed_work(
        who in actor(),
        state in proptest::sample::select(State::ALL.to_vec()),
        lvl in level(),
        supervised in any::<bool>(),
        submitter in proptest::option::of(1..=PEOPLE),
        lenient in any::<bool>(),
        returned in any::<bool>(),
        days in -10i64..10,
    ) {
        prop_assume!(who.sees_school(SCHOOL));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default();
        let h = TodayFacts {
            facts: Facts { school_id: SCHOOL, state, level: lvl, supervised, submitted_by: submitter, from_building: false },
            deadline: Some(today + chrono::Duration::days(days)),
            returned,
        };
        let policy = Policy { schools_accept_general: lenient };
        let Some(why) = queues::today(&who, &h, policy, today) else { return Ok(()) };
        let allows = |a| decide(&who, a, &h.facts, policy).is_ok();
        match why.reason {
            Reason::ToAccept => prop_assert!(allows(HazardAction::Accept)),
            Reason::ToTakeIn => prop_assert!(allows(HazardAction::Register)),
            Reason::ToAssign => prop_assert!(allows(HazardAction::Assign)),
            Reason::Returned => prop_assert!(allows(HazardAction::Submit)),
            // Deadlines: the officer's to meet, the bureau's to chase, on open hazards only.
            Reason::Overdue | Reason::DueSoon => {
                prop_assert!(state.is_open());
                prop_assert!(matches!(who.role, Role::SchoolAdmin | Role::Bureau));
            }
            // A buildings' reason: never a hazard's.
            Reason::ToPlan => prop_assert!(false, "a hazard is never to plan"),
        }
    }
}
