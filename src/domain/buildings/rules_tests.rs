//! Every (status × action × role) combination of the disposal run, every grade's consequence
//! and the photo and appraisal rules, against the design's table written out independently.

use super::*;
use crate::domain::buildings::BuildingAction as A;
use crate::domain::buildings::Status as S;

const SCHOOL: i64 = 7;
const REPORTER: i64 = 100;

fn actor(role: Role, user_id: i64) -> Actor {
    Actor {
        user_id,
        role,
        school_id: role.is_school_scoped().then_some(SCHOOL),
    }
}

fn facts(status: Status, method: Option<Method>) -> Facts {
    Facts {
        school_id: SCHOOL,
        status,
        grade: Some(Grade::D),
        method,
        reported_done_by: (status == S::AwaitingAcceptance).then_some(REPORTER),
    }
}

/// DESIGN "Buildings" and CONTRACT's transitions, written out.
fn expected(
    role: Role,
    status: Status,
    action: BuildingAction,
    method: Option<Method>,
) -> Decision<Status> {
    if role == Role::Admin {
        return Err(Refusal::Forbidden);
    }
    let who_ok = match action {
        A::Plan | A::ReportDone => [Role::SchoolAdmin, Role::Bureau].contains(&role),
        A::Accept | A::Return => role == Role::Bureau,
    };
    if !who_ok {
        return Err(Refusal::Forbidden);
    }
    let accepted = match method {
        Some(Method::Demolish) => Some(S::Demolished),
        Some(Method::Reinforce) => Some(S::Reinforced),
        None => None,
    };
    let table = [
        (S::Closed, A::Plan, Some(S::DisposalPlanned)),
        (S::Restricted, A::Plan, Some(S::DisposalPlanned)),
        (
            S::DisposalPlanned,
            A::ReportDone,
            Some(S::AwaitingAcceptance),
        ),
        (S::AwaitingAcceptance, A::Accept, accepted),
        (S::AwaitingAcceptance, A::Return, Some(S::DisposalPlanned)),
    ];
    table
        .iter()
        .find(|(from, a, _)| *from == status && *a == action)
        .and_then(|(_, _, to)| *to)
        .ok_or(Refusal::Conflict)
}

#[test]
fn every_status_action_and_role_follows_the_design_table() {
    let mut checked = 0;
    for method in [None, Some(Method::Demolish), Some(Method::Reinforce)] {
        for &status in S::ALL {
            for &action in A::ALL {
                for &role in Role::ALL {
                    let got = decide(&actor(role, 1), action, &facts(status, method));
                    assert_eq!(
                        got,
                        expected(role, status, action, method),
                        "{role} {action} in {status} ({method:?})"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert_eq!(checked, 3 * 7 * 4 * 5);
}

#[test]
fn whoever_reported_the_disposal_done_does_not_accept_it() {
    let f = facts(S::AwaitingAcceptance, Some(Method::Demolish));
    assert_eq!(
        decide(&actor(Role::Bureau, REPORTER), A::Accept, &f),
        Err(Refusal::Forbidden)
    );
    assert_eq!(
        decide(&actor(Role::Bureau, REPORTER), A::Return, &f),
        Ok(S::DisposalPlanned),
        "they may still take it back"
    );
    assert_eq!(
        decide(&actor(Role::Bureau, 2), A::Accept, &f),
        Ok(S::Demolished)
    );
    assert_eq!(
        available(&actor(Role::Bureau, REPORTER), &f),
        vec![A::Return]
    );
    assert_eq!(
        available(&actor(Role::Bureau, 2), &f),
        vec![A::Accept, A::Return]
    );
}

#[test]
fn another_schools_building_is_not_found_whatever_the_step() {
    let other = Actor {
        user_id: 1,
        role: Role::SchoolAdmin,
        school_id: Some(SCHOOL + 1),
    };
    let f = facts(S::Closed, None);
    for &action in A::ALL {
        assert_eq!(
            decide(&other, action, &f),
            Err(Refusal::NotFound),
            "{action}"
        );
    }
    assert_eq!(may_appraise(&other, &f), Err(Refusal::NotFound));
    assert_eq!(
        may_add_photo(&other, &f, Stage::Before),
        Err(Refusal::NotFound)
    );
    assert_eq!(
        may_view(&other, Target::School(SCHOOL)),
        Err(Refusal::NotFound)
    );
}

#[test]
fn each_grade_sets_its_status_and_only_d_raises_a_hazard() {
    let expected = [
        (Grade::A, S::InUse, false),
        (Grade::B, S::InUse, false),
        (Grade::C, S::Restricted, false),
        (Grade::D, S::Closed, true),
    ];
    for (grade, status, hazard) in expected {
        assert_eq!(status_after(grade), status, "{grade}");
        assert_eq!(raises_hazard(grade), hazard, "{grade}");
    }
}

#[test]
fn appraisals_wait_for_the_disposal_and_never_follow_a_demolition() {
    for &status in S::ALL {
        for &role in Role::ALL {
            let f = Facts {
                grade: None,
                ..facts(status, None)
            };
            let want = if ![Role::SchoolAdmin, Role::Bureau].contains(&role) {
                Err(Refusal::Forbidden)
            } else if matches!(
                status,
                S::Closed | S::DisposalPlanned | S::AwaitingAcceptance | S::Demolished
            ) {
                Err(Refusal::Conflict)
            } else {
                Ok(())
            };
            assert_eq!(
                may_appraise(&actor(role, 1), &f),
                want,
                "{role} in {status}"
            );
        }
    }
}

#[test]
fn the_keepers_correct_a_building_while_it_stands() {
    for &status in S::ALL {
        for &role in Role::ALL {
            let want = if ![Role::SchoolAdmin, Role::Bureau].contains(&role) {
                Err(Refusal::Forbidden)
            } else if status == S::Demolished {
                Err(Refusal::Conflict)
            } else {
                Ok(())
            };
            assert_eq!(
                may_edit(&actor(role, 1), &facts(status, None)),
                want,
                "{role} in {status}"
            );
        }
    }
}

#[test]
fn a_c_building_under_reinforcement_may_be_found_d_and_nothing_else() {
    let keeper = actor(Role::SchoolAdmin, 1);
    for status in [S::DisposalPlanned, S::AwaitingAcceptance] {
        let c = Facts {
            grade: Some(Grade::C),
            ..facts(status, Some(Method::Reinforce))
        };
        assert_eq!(may_appraise(&keeper, &c), Ok(()), "{status}");
        assert_eq!(may_record(&keeper, &c, Grade::D), Ok(()), "{status}");
        for g in [Grade::A, Grade::B, Grade::C] {
            assert_eq!(
                may_record(&keeper, &c, g),
                Err(Refusal::Conflict),
                "{g} in {status}"
            );
        }
        // A D building's disposal is never interrupted.
        let d = facts(status, Some(Method::Demolish));
        assert_eq!(may_record(&keeper, &d, Grade::D), Err(Refusal::Conflict));
    }
    assert_eq!(
        may_record(&actor(Role::Staff, 1), &facts(S::InUse, None), Grade::A),
        Err(Refusal::Forbidden)
    );
}

#[test]
fn a_reinforced_building_returns_to_use_only_by_an_a_or_b_appraisal() {
    let f = facts(S::Reinforced, Some(Method::Reinforce));
    let keeper = actor(Role::SchoolAdmin, 1);
    assert_eq!(may_appraise(&keeper, &f), Ok(()));
    // No disposal step leads anywhere from reinforced: only an appraisal moves it.
    for &action in A::ALL {
        assert_eq!(
            decide(&actor(Role::Bureau, 2), action, &f),
            Err(Refusal::Conflict)
        );
    }
    assert_eq!(status_after(Grade::A), S::InUse);
    assert_eq!(status_after(Grade::C), S::Restricted);
    assert_eq!(status_after(Grade::D), S::Closed);
}

#[test]
fn photos_before_while_it_stands_and_after_only_during_the_disposal() {
    for &status in S::ALL {
        for &role in Role::ALL {
            let who = actor(role, 1);
            let f = facts(status, Some(Method::Demolish));
            let keeper = [Role::SchoolAdmin, Role::Bureau].contains(&role);
            let before = if !keeper {
                Err(Refusal::Forbidden)
            } else if status == S::Demolished {
                Err(Refusal::Conflict)
            } else {
                Ok(())
            };
            let after = if !keeper {
                Err(Refusal::Forbidden)
            } else if status == S::DisposalPlanned {
                Ok(())
            } else {
                Err(Refusal::Conflict)
            };
            assert_eq!(
                may_add_photo(&who, &f, Stage::Before),
                before,
                "{role} before, {status}"
            );
            assert_eq!(
                may_add_photo(&who, &f, Stage::After),
                after,
                "{role} after, {status}"
            );
            if keeper {
                assert_eq!(
                    may_add_photo(&who, &f, Stage::Report),
                    Err(Refusal::Forbidden)
                );
            }
        }
    }
}

#[test]
fn every_role_but_the_admin_reads_the_register() {
    for &role in Role::ALL {
        let want = if role == Role::Admin {
            Err(Refusal::Forbidden)
        } else {
            Ok(())
        };
        assert_eq!(
            may_view(&actor(role, 1), Target::School(SCHOOL)),
            want,
            "{role}"
        );
    }
    assert_eq!(
        may_register_somewhere(&actor(Role::Staff, 1)),
        Err(Refusal::Forbidden)
    );
    assert_eq!(
        may_register_somewhere(&actor(Role::Viewer, 1)),
        Err(Refusal::Forbidden)
    );
    assert_eq!(may_register(&actor(Role::Bureau, 1), SCHOOL + 5), Ok(()));
}

#[test]
fn a_disposal_is_overdue_only_while_planned_and_past_its_deadline() {
    let d = |s| crate::domain::validate::parse_date(s);
    let deadline = d("2026-06-30");
    let after = d("2026-07-01").unwrap_or_default();
    assert!(disposal_overdue(S::DisposalPlanned, deadline, after));
    assert!(!disposal_overdue(
        S::DisposalPlanned,
        deadline,
        d("2026-06-30").unwrap_or_default()
    ));
    assert!(!disposal_overdue(S::AwaitingAcceptance, deadline, after));
    assert!(!disposal_overdue(S::Demolished, deadline, after));
}

#[test]
fn dangerous_means_c_or_d_until_demolished_or_reinforced() {
    for &status in S::ALL {
        for grade in [
            None,
            Some(Grade::A),
            Some(Grade::B),
            Some(Grade::C),
            Some(Grade::D),
        ] {
            let want = matches!(grade, Some(Grade::C | Grade::D))
                && !matches!(status, S::Demolished | S::Reinforced);
            assert_eq!(dangerous_open(grade, status), want, "{grade:?} {status}");
        }
    }
    assert!(needs_plan(S::Closed) && needs_plan(S::Restricted));
    assert!(!needs_plan(S::DisposalPlanned));
}
