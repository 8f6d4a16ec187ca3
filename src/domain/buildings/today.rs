//! Why a building is on a user's today list (今日待办): the school's safety officer plans the
//! disposal of each dangerous building and sees it through by its deadline; the bureau accepts
//! the disposals reported done. Everyone else acts on none.

use chrono::NaiveDate;

use super::{BuildingAction, Facts, rules};
use crate::domain::access::Actor;
use crate::domain::role::Role;
use crate::domain::today::{Reason, Why, by_deadline};

/// What a building's today line needs of it.
#[derive(Clone, Copy, Debug)]
pub struct TodayFacts {
    pub facts: Facts,
    pub deadline: Option<NaiveDate>,
}

/// Whether this user acts on buildings' disposals at all, and so has lines of them.
pub fn keeps_today(actor: &Actor) -> bool {
    matches!(actor.role, Role::SchoolAdmin | Role::Bureau)
}

/// Why this building is on the user's list, if it is: awaiting acceptance for whoever may
/// accept it; for the school's safety officer, a disposal whose deadline is near or passed, and
/// a C or D building without a plan yet.
pub fn today(actor: &Actor, b: &TodayFacts, today: NaiveDate) -> Option<Why> {
    let may = |a| rules::decide(actor, a, &b.facts).is_ok();
    let plain = |reason| Some(Why { reason, days: None });
    if may(BuildingAction::Accept) {
        return plain(Reason::ToAccept);
    }
    if actor.role != Role::SchoolAdmin {
        return None;
    }
    if may(BuildingAction::ReportDone) {
        return by_deadline(b.deadline, today);
    }
    if rules::needs_plan(b.facts.status) && may(BuildingAction::Plan) {
        return plain(Reason::ToPlan);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::buildings::{Grade, Method, Status};

    const SCHOOL: i64 = 7;

    fn actor(role: Role, user_id: i64, school: i64) -> Actor {
        Actor {
            user_id,
            role,
            school_id: role.is_school_scoped().then_some(school),
        }
    }

    fn b(status: Status, grade: Grade, deadline: Option<&str>) -> TodayFacts {
        TodayFacts {
            facts: Facts {
                school_id: SCHOOL,
                status,
                grade: Some(grade),
                method: Some(Method::Demolish),
                reported_done_by: (status == Status::AwaitingAcceptance).then_some(100),
            },
            deadline: deadline.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    fn why(a: &Actor, f: &TodayFacts) -> Option<(Reason, Option<i64>)> {
        today(a, f, day("2026-03-10")).map(|w| (w.reason, w.days))
    }

    #[test]
    fn the_bureau_has_each_disposal_reported_done_to_accept_and_nothing_else() {
        let bureau = actor(Role::Bureau, 1, 0);
        let done = b(Status::AwaitingAcceptance, Grade::D, Some("2026-03-01"));
        assert_eq!(why(&bureau, &done), Some((Reason::ToAccept, None)));
        for f in [
            b(Status::Closed, Grade::D, None),
            b(Status::Restricted, Grade::C, None),
            b(Status::DisposalPlanned, Grade::D, Some("2026-03-01")),
            b(Status::InUse, Grade::A, None),
        ] {
            assert_eq!(why(&bureau, &f), None, "{:?}", f.facts.status);
        }
        // Whoever reported it done does not accept it.
        let reporter = actor(Role::Bureau, 100, 0);
        assert_eq!(why(&reporter, &done), None);
    }

    #[test]
    fn the_safety_officer_has_their_disposal_deadlines_and_the_dangerous_buildings_to_plan() {
        let officer = actor(Role::SchoolAdmin, 2, SCHOOL);
        let planned = |d| b(Status::DisposalPlanned, Grade::D, Some(d));
        assert_eq!(
            why(&officer, &planned("2026-03-07")),
            Some((Reason::Overdue, Some(3)))
        );
        assert_eq!(
            why(&officer, &planned("2026-03-12")),
            Some((Reason::DueSoon, Some(2)))
        );
        assert_eq!(why(&officer, &planned("2026-03-20")), None, "not yet");
        assert_eq!(
            why(&officer, &b(Status::Closed, Grade::D, None)),
            Some((Reason::ToPlan, None))
        );
        assert_eq!(
            why(&officer, &b(Status::Restricted, Grade::C, None)),
            Some((Reason::ToPlan, None))
        );
        for f in [
            b(Status::AwaitingAcceptance, Grade::D, Some("2026-03-01")),
            b(Status::Demolished, Grade::D, None),
            b(Status::Reinforced, Grade::D, None),
            b(Status::InUse, Grade::B, None),
        ] {
            assert_eq!(why(&officer, &f), None, "{:?}", f.facts.status);
        }
    }

    #[test]
    fn another_schools_officer_and_the_other_roles_have_no_building_lines() {
        let mine = [
            b(Status::Closed, Grade::D, None),
            b(Status::DisposalPlanned, Grade::D, Some("2026-03-01")),
            b(Status::AwaitingAcceptance, Grade::D, None),
        ];
        let others = [
            actor(Role::SchoolAdmin, 3, SCHOOL + 1),
            actor(Role::Staff, 4, SCHOOL),
            actor(Role::Viewer, 5, 0),
            actor(Role::Admin, 6, 0),
        ];
        for a in &others {
            for f in &mine {
                assert_eq!(why(a, f), None, "{:?} {:?}", a.role, f.facts.status);
            }
        }
        assert!(!others[1..].iter().any(keeps_today), "staff, viewer, admin");
        assert!(keeps_today(&actor(Role::Bureau, 1, 0)));
        assert!(keeps_today(&actor(Role::SchoolAdmin, 2, SCHOOL)));
    }
}
