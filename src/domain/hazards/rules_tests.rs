//! Every (state × action × role) combination of the hazard machine.

use super::*;
use crate::domain::hazards::Category;

const SCHOOL: i64 = 7;
const SUBMITTER: i64 = 100;

fn actor(role: Role, user_id: i64) -> Actor {
    let school_id = role.is_school_scoped().then_some(SCHOOL);
    Actor {
        user_id,
        role,
        school_id,
    }
}

fn facts(state: State, level: Level, supervised: bool) -> Facts {
    let submitted_by = (state == State::AwaitingAcceptance).then_some(SUBMITTER);
    Facts {
        school_id: SCHOOL,
        state,
        level,
        supervised,
        submitted_by,
        from_building: false,
    }
}

/// The design's table, written out independently of `next_state` and `role_may`.
fn expected(
    role: Role,
    state: State,
    action: HazardAction,
    policy: Policy,
    level: Level,
    supervised: bool,
) -> Result<State, Refusal> {
    use HazardAction as A;
    use State as S;
    let who_ok = match action {
        A::Register | A::Dismiss | A::MarkDuplicate | A::Refer | A::Assign => {
            [Role::SchoolAdmin, Role::Bureau].contains(&role)
        }
        A::Submit => role == Role::SchoolAdmin,
        A::Accept | A::Return => {
            role == Role::Bureau
                || (role == Role::SchoolAdmin
                    && policy.schools_accept_general
                    && level == Level::General
                    && !supervised)
        }
        A::Reopen => role == Role::Bureau,
    };
    if !who_ok {
        return Err(Refusal::Forbidden);
    }
    let table = [
        (S::Reported, A::Register, S::Registered),
        (S::Reported, A::Dismiss, S::Dismissed),
        (S::Reported, A::MarkDuplicate, S::Duplicate),
        (S::Reported, A::Refer, S::Referred),
        (S::Registered, A::Refer, S::Referred),
        (S::Registered, A::Assign, S::Rectifying),
        (S::Rectifying, A::Submit, S::AwaitingAcceptance),
        (S::AwaitingAcceptance, A::Accept, S::Closed),
        (S::AwaitingAcceptance, A::Return, S::Rectifying),
        (S::Closed, A::Reopen, S::Rectifying),
    ];
    table
        .iter()
        .find(|(from, a, _)| *from == state && *a == action)
        .map(|(_, _, to)| *to)
        .ok_or(Refusal::Conflict)
}

#[test]
fn every_state_action_and_role_follows_the_design_table() {
    let mut checked = 0;
    for policy in [
        Policy::default(),
        Policy {
            schools_accept_general: true,
        },
    ] {
        for &role in Role::ALL {
            for &state in State::ALL {
                for &action in HazardAction::ALL {
                    for level in [Level::General, Level::Major] {
                        for supervised in [false, true] {
                            let f = facts(state, level, supervised);
                            let got = decide(&actor(role, 1), action, &f, policy);
                            let want = expected(role, state, action, policy, level, supervised);
                            assert_eq!(
                                got, want,
                                "{role} {state:?} {action:?} {level:?} sup={supervised} {policy:?}"
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert_eq!(checked, 2 * 5 * 8 * 9 * 2 * 2);
}

#[test]
fn another_schools_hazard_is_not_found_for_school_users_whatever_the_action() {
    for role in [Role::Staff, Role::SchoolAdmin] {
        let a = Actor {
            user_id: 1,
            role,
            school_id: Some(SCHOOL + 1),
        };
        for &state in State::ALL {
            for &action in HazardAction::ALL {
                let f = facts(state, Level::General, false);
                assert_eq!(
                    decide(&a, action, &f, Policy::default()),
                    Err(Refusal::NotFound)
                );
            }
        }
        assert_eq!(may_report(&a, SCHOOL), Err(Refusal::NotFound));
    }
}

#[test]
fn the_submitter_cannot_accept_their_own_fix() {
    let policy = Policy {
        schools_accept_general: true,
    };
    let f = facts(State::AwaitingAcceptance, Level::General, false);
    let submitter = actor(Role::SchoolAdmin, SUBMITTER);
    assert_eq!(
        decide(&submitter, HazardAction::Accept, &f, policy),
        Err(Refusal::Forbidden)
    );
    assert_eq!(
        decide(&submitter, HazardAction::Return, &f, policy),
        Ok(State::Rectifying)
    );
    let colleague = actor(Role::SchoolAdmin, SUBMITTER + 1);
    assert_eq!(
        decide(&colleague, HazardAction::Accept, &f, policy),
        Ok(State::Closed)
    );
    let bureau_submitter = actor(Role::Bureau, SUBMITTER);
    assert_eq!(
        decide(&bureau_submitter, HazardAction::Accept, &f, policy),
        Err(Refusal::Forbidden)
    );
}

#[test]
fn schools_never_accept_major_or_supervised_hazards_even_when_allowed_general_ones() {
    let policy = Policy {
        schools_accept_general: true,
    };
    let a = actor(Role::SchoolAdmin, 1);
    for (level, supervised) in [
        (Level::Major, false),
        (Level::General, true),
        (Level::Major, true),
    ] {
        let f = facts(State::AwaitingAcceptance, level, supervised);
        assert_eq!(
            decide(&a, HazardAction::Accept, &f, policy),
            Err(Refusal::Forbidden)
        );
    }
    let f = facts(State::AwaitingAcceptance, Level::General, false);
    assert_eq!(
        decide(&a, HazardAction::Accept, &f, Policy::default()),
        Err(Refusal::Forbidden)
    );
}

#[test]
fn available_actions_are_exactly_the_allowed_ones() {
    let p = Policy::default();
    let f = facts(State::Reported, Level::General, false);
    use HazardAction as A;
    assert_eq!(
        available(&actor(Role::SchoolAdmin, 1), &f, p),
        vec![A::Register, A::Dismiss, A::MarkDuplicate, A::Refer]
    );
    assert!(available(&actor(Role::Staff, 1), &f, p).is_empty());
    assert!(available(&actor(Role::Viewer, 1), &f, p).is_empty());
    assert!(available(&actor(Role::Admin, 1), &f, p).is_empty());
    let f = facts(State::AwaitingAcceptance, Level::Major, true);
    assert_eq!(
        available(&actor(Role::Bureau, 1), &f, p),
        vec![A::Accept, A::Return]
    );
    assert!(available(&actor(Role::SchoolAdmin, 1), &f, p).is_empty());
    let f = facts(State::Closed, Level::General, false);
    assert_eq!(available(&actor(Role::Bureau, 1), &f, p), vec![A::Reopen]);
}

#[test]
fn only_staff_school_admins_and_the_bureau_report() {
    assert_eq!(may_report(&actor(Role::Staff, 1), SCHOOL), Ok(()));
    assert_eq!(may_report(&actor(Role::SchoolAdmin, 1), SCHOOL), Ok(()));
    assert_eq!(may_report(&actor(Role::Bureau, 1), SCHOOL), Ok(()));
    assert_eq!(
        may_report(&actor(Role::Viewer, 1), SCHOOL),
        Err(Refusal::Forbidden)
    );
    assert_eq!(
        may_report(&actor(Role::Admin, 1), SCHOOL),
        Err(Refusal::Forbidden)
    );
}

#[test]
fn only_the_bureau_supervises_and_only_open_hazards() {
    for &state in State::ALL {
        let f = facts(state, Level::General, false);
        let want = if state.is_open() {
            Ok(())
        } else {
            Err(Refusal::Conflict)
        };
        assert_eq!(
            may_supervise(&actor(Role::Bureau, 1), &f),
            want,
            "{state:?}"
        );
        for role in [Role::Staff, Role::SchoolAdmin, Role::Viewer, Role::Admin] {
            assert_eq!(may_supervise(&actor(role, 1), &f), Err(Refusal::Forbidden));
        }
    }
}

#[test]
fn overdue_means_past_the_deadline_and_still_open() {
    let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
    let today = d("2026-05-10");
    assert!(is_overdue(State::Rectifying, Some(d("2026-05-09")), today));
    assert!(
        !is_overdue(State::Rectifying, Some(d("2026-05-10")), today),
        "due today is not late"
    );
    assert!(!is_overdue(State::Rectifying, None, today));
    for s in [
        State::Closed,
        State::Dismissed,
        State::Duplicate,
        State::Referred,
    ] {
        assert!(!is_overdue(s, Some(d("2026-01-01")), today), "{s:?}");
    }
    assert!(is_overdue(
        State::AwaitingAcceptance,
        Some(d("2026-01-01")),
        today
    ));
}

#[test]
fn names_parse_back() {
    for &s in State::ALL {
        assert_eq!(State::parse(s.as_str()), Some(s));
    }
    for &a in HazardAction::ALL {
        assert_eq!(HazardAction::parse(a.as_str()), Some(a));
    }
    for &c in Category::ALL {
        assert_eq!(Category::parse(c.as_str()), Some(c));
    }
    assert_eq!(Category::ALL.len(), 13);
    assert_eq!(State::parse("open"), None);
}

#[test]
fn photos_follow_stage_role_and_state() {
    use Stage::{After, Before};
    let staff = actor(Role::Staff, 1);
    let officer = actor(Role::SchoolAdmin, 1);
    let bureau = actor(Role::Bureau, 1);
    let viewer = actor(Role::Viewer, 1);
    let reported = facts(State::Reported, Level::General, false);
    let fixing = facts(State::Rectifying, Level::General, false);
    let review = facts(State::AwaitingAcceptance, Level::General, false);
    let closed = facts(State::Closed, Level::General, false);
    assert_eq!(may_add_photo(&staff, &reported, Before), Ok(()));
    assert_eq!(
        may_add_photo(&staff, &fixing, After),
        Err(Refusal::Forbidden)
    );
    assert_eq!(may_add_photo(&officer, &fixing, After), Ok(()));
    assert_eq!(may_add_photo(&bureau, &fixing, After), Ok(()));
    assert_eq!(
        may_add_photo(&officer, &reported, After),
        Err(Refusal::Conflict)
    );
    assert_eq!(
        may_add_photo(&officer, &review, After),
        Err(Refusal::Conflict),
        "evidence under review is frozen"
    );
    assert_eq!(
        may_add_photo(&officer, &closed, Before),
        Err(Refusal::Conflict)
    );
    assert_eq!(
        may_add_photo(&viewer, &reported, Before),
        Err(Refusal::Forbidden)
    );
    let elsewhere = Actor {
        user_id: 1,
        role: Role::SchoolAdmin,
        school_id: Some(SCHOOL + 1),
    };
    assert_eq!(
        may_add_photo(&elsewhere, &fixing, After),
        Err(Refusal::NotFound)
    );
}

#[test]
fn a_hazard_takes_no_report_or_evidence_files() {
    let officer = actor(Role::SchoolAdmin, 1);
    let fixing = facts(State::Rectifying, Level::General, false);
    for stage in [Stage::Report, Stage::Evidence] {
        assert_eq!(
            may_add_photo(&officer, &fixing, stage),
            Err(Refusal::Forbidden)
        );
    }
}

#[test]
fn everyone_but_the_admin_reads_hazards_within_scope() {
    for &role in Role::ALL {
        let want = allow_if(role != Role::Admin);
        assert_eq!(
            may_view(&actor(role, 1), Target::School(SCHOOL)),
            want,
            "{role}"
        );
    }
    assert_eq!(
        may_view(&actor(Role::Staff, 1), Target::School(SCHOOL + 1)),
        Err(Refusal::NotFound)
    );
    assert_eq!(may_review(&actor(Role::Bureau, 1)), Ok(()));
    assert_eq!(
        may_review(&actor(Role::SchoolAdmin, 1)),
        Err(Refusal::Forbidden)
    );
}

#[test]
fn a_buildings_hazard_is_closed_by_the_buildings_acceptance_not_by_a_submit() {
    let officer = actor(Role::SchoolAdmin, 1);
    let bureau = actor(Role::Bureau, 2);
    let mut f = facts(State::Rectifying, Level::Major, true);
    f.from_building = true;
    assert_eq!(
        decide(&officer, HazardAction::Submit, &f, Policy::default()),
        Err(Refusal::Conflict)
    );
    assert!(!available(&officer, &f, Policy::default()).contains(&HazardAction::Submit));
    f.state = State::Closed;
    assert_eq!(
        decide(&bureau, HazardAction::Reopen, &f, Policy::default()),
        Err(Refusal::Conflict)
    );
    // It stays under supervision until the building's disposal is accepted.
    f.state = State::Rectifying;
    assert_eq!(
        may_supervise(&bureau, &f),
        Ok(()),
        "its five items may be edited"
    );
    assert_eq!(may_lift_supervision(&bureau, &f), Err(Refusal::Conflict));
    f.from_building = false;
    assert_eq!(may_lift_supervision(&bureau, &f), Ok(()));
    f.from_building = true;
    // Outside the school it is still not found, and a teacher still may not.
    let other = Actor {
        user_id: 3,
        role: Role::SchoolAdmin,
        school_id: Some(SCHOOL + 1),
    };
    assert_eq!(
        decide(&other, HazardAction::Submit, &f, Policy::default()),
        Err(Refusal::NotFound)
    );
}
