use super::*;

const SCHOOL: i64 = 3;
const OTHER: i64 = 4;

fn actor(role: Role, school: Option<i64>) -> Actor {
    Actor {
        user_id: 1,
        role,
        school_id: school,
    }
}

fn case(state: State, determination: Option<Determination>) -> Facts {
    Facts {
        school_id: SCHOOL,
        state,
        determination,
    }
}

/// The machine as the design states it, written out once by hand: (from, action, to).
const MOVES: &[(State, Action, State)] = &[
    (State::Reported, Action::Accept, State::Investigating),
    (State::Investigating, Action::Determine, State::Determined),
    (State::Determined, Action::FollowUp, State::FollowUp),
    (State::FollowUp, Action::FollowUp, State::FollowUp),
    (State::FollowUp, Action::Close, State::Closed),
    (State::Referred, Action::Close, State::Closed),
    (State::Determined, Action::Appeal, State::Appealed),
    (State::FollowUp, Action::Appeal, State::Appealed),
    (State::Appealed, Action::Reexamine, State::Determined),
    (State::Reported, Action::ReferPolice, State::Referred),
    (State::Investigating, Action::ReferPolice, State::Referred),
    (State::Determined, Action::ReferPolice, State::Referred),
    (State::FollowUp, Action::ReferPolice, State::Referred),
    (State::Appealed, Action::ReferPolice, State::Referred),
];

fn expected(
    who: &Actor,
    school: i64,
    state: State,
    action: Action,
    d: Option<Determination>,
) -> Decision<State> {
    if !matches!(who.role, Role::SchoolAdmin | Role::Bureau) {
        return Err(Refusal::Forbidden);
    }
    let other_school = who.role.is_school_scoped() && who.school_id != Some(school);
    if other_school {
        return Err(Refusal::NotFound);
    }
    if action == Action::Reexamine && who.role != Role::Bureau {
        return Err(Refusal::Forbidden);
    }
    let listed = MOVES
        .iter()
        .find(|(f, a, _)| *f == state && *a == action)
        .map(|(_, _, to)| *to);
    // A determined case closes at once unless it was bullying (then it is followed up first).
    let closes_at_once =
        state == State::Determined && action == Action::Close && d != Some(Determination::Bullying);
    listed
        .or(closes_at_once.then_some(State::Closed))
        .ok_or(Refusal::Conflict)
}

#[test]
fn every_state_action_role_and_school_gets_the_designed_answer() {
    let roles = [
        actor(Role::Admin, None),
        actor(Role::Bureau, None),
        actor(Role::Viewer, None),
        actor(Role::SchoolAdmin, Some(SCHOOL)),
        actor(Role::SchoolAdmin, Some(OTHER)),
        actor(Role::Staff, Some(SCHOOL)),
        actor(Role::Staff, Some(OTHER)),
    ];
    let determinations = [
        None,
        Some(Determination::Bullying),
        Some(Determination::NotBullying),
        Some(Determination::Horseplay),
    ];
    let mut checked = 0;
    for who in &roles {
        for state in State::ALL {
            for action in Action::ALL {
                for d in determinations {
                    let got = decide(who, *action, &case(*state, d));
                    let want = expected(who, SCHOOL, *state, *action, d);
                    assert_eq!(got, want, "{who:?} {action:?} on {state:?} ({d:?})");
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 7 * 7 * 7 * 4);
}

#[test]
fn a_bullying_determination_is_followed_up_before_it_closes() {
    let officer = actor(Role::SchoolAdmin, Some(SCHOOL));
    let bullying = case(State::Determined, Some(Determination::Bullying));
    assert_eq!(
        decide(&officer, Action::Close, &bullying),
        Err(Refusal::Conflict)
    );
    assert_eq!(
        available(&officer, &bullying),
        vec![Action::FollowUp, Action::Appeal, Action::ReferPolice]
    );
    let horseplay = case(State::Determined, Some(Determination::Horseplay));
    assert_eq!(
        decide(&officer, Action::Close, &horseplay),
        Ok(State::Closed)
    );
}

#[test]
fn only_the_bureau_reexamines_an_appeal() {
    let appealed = case(State::Appealed, Some(Determination::Bullying));
    let bureau = actor(Role::Bureau, None);
    assert_eq!(
        available(&bureau, &appealed),
        vec![Action::Reexamine, Action::ReferPolice]
    );
    let officer = actor(Role::SchoolAdmin, Some(SCHOOL));
    assert_eq!(available(&officer, &appealed), vec![Action::ReferPolice]);
}

#[test]
fn nobody_but_the_schools_officer_and_the_bureau_reads_a_case() {
    for (who, want) in [
        (actor(Role::SchoolAdmin, Some(SCHOOL)), Ok(())),
        (actor(Role::Bureau, None), Ok(())),
        (
            actor(Role::SchoolAdmin, Some(OTHER)),
            Err(Refusal::NotFound),
        ),
        (actor(Role::Staff, Some(SCHOOL)), Err(Refusal::Forbidden)),
        (actor(Role::Staff, Some(OTHER)), Err(Refusal::Forbidden)),
        (actor(Role::Viewer, None), Err(Refusal::Forbidden)),
        (actor(Role::Admin, None), Err(Refusal::Forbidden)),
    ] {
        assert_eq!(may_read(&who, SCHOOL), want, "{who:?}");
    }
    assert_eq!(
        may_read_access_log(&actor(Role::SchoolAdmin, Some(SCHOOL)), SCHOOL),
        Err(Refusal::Forbidden),
        "the access log is the bureau's"
    );
    assert_eq!(
        may_read_access_log(&actor(Role::Bureau, None), SCHOOL),
        Ok(())
    );
}

#[test]
fn a_teacher_may_report_and_then_sees_only_a_receipt() {
    let teacher = actor(Role::Staff, Some(SCHOOL));
    assert_eq!(may_report(&teacher, SCHOOL), Ok(()));
    assert_eq!(may_report(&teacher, OTHER), Err(Refusal::NotFound));
    assert!(!sees_case_after_reporting(&teacher));
    assert_eq!(
        may_report_somewhere(&actor(Role::Viewer, None)),
        Err(Refusal::Forbidden)
    );
    assert!(sees_case_after_reporting(&actor(Role::Bureau, None)));
}

#[test]
fn details_are_added_while_the_case_is_open_and_activities_by_the_school() {
    let officer = actor(Role::SchoolAdmin, Some(SCHOOL));
    assert_eq!(
        may_add_detail(&officer, &case(State::FollowUp, None)),
        Ok(())
    );
    assert_eq!(
        may_add_detail(&officer, &case(State::Closed, None)),
        Err(Refusal::Conflict)
    );
    assert_eq!(may_record_activity(&officer, SCHOOL), Ok(()));
    assert_eq!(
        may_record_activity(&actor(Role::Bureau, None), SCHOOL),
        Err(Refusal::Forbidden)
    );
}
