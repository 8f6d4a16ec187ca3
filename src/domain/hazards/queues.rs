//! What waits for whom: the queues a home page counts for each role. Which queues a role acts on
//! is policy; which rows fill each queue is the ledger's filter (`store::hazards::ledger`).

use chrono::NaiveDate;

use super::{Facts, HazardAction, Policy, State, rules};
use crate::domain::access::Actor;
use crate::domain::enums::str_enum;
use crate::domain::role::Role;
use crate::domain::today::{Reason, Why, by_deadline};

str_enum!(pub Queue: "hazards.queue" {
    /// The user's own reports still open.
    MyOpen = "my_open",
    ToRegister = "to_register",
    ToAssign = "to_assign",
    ToFix = "to_fix",
    /// Being fixed again after the bureau returned the fix.
    Returned = "returned",
    ToReview = "to_review",
    Overdue = "overdue",
    Supervised = "supervised",
    Major = "major",
});

/// One queue on a home page, and whether a non-empty one needs this user's action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Waiting {
    pub queue: Queue,
    pub urgent: bool,
}

/// The queues this user sees, in order.
pub fn for_actor(actor: &Actor) -> Vec<Waiting> {
    use Queue as Q;
    let w = |queue, urgent| Waiting { queue, urgent };
    match actor.role {
        // A teacher follows their reports; fixing them is the safety officer's work.
        Role::Staff => vec![w(Q::MyOpen, false), w(Q::Overdue, false)],
        Role::SchoolAdmin => vec![
            w(Q::ToRegister, true),
            w(Q::ToAssign, true),
            w(Q::ToFix, false),
            w(Q::Returned, true),
            w(Q::Overdue, true),
        ],
        Role::Bureau | Role::Viewer => {
            // A viewer reads the same queues but acts on none of them.
            let acts = rules::may_review(actor).is_ok();
            vec![
                w(Q::ToReview, acts),
                w(Q::Overdue, acts),
                w(Q::Supervised, false),
                w(Q::Major, acts),
            ]
        }
        Role::Admin => Vec::new(),
    }
}

/// Whether this user acts on hazards at all, and so has a today list to read.
pub fn keeps_today(actor: &Actor) -> bool {
    match actor.role {
        Role::SchoolAdmin => true,
        Role::Bureau => rules::may_review(actor).is_ok(),
        _ => false,
    }
}

/// What a hazard's today list needs of it.
#[derive(Clone, Copy, Debug)]
pub struct TodayFacts {
    pub facts: Facts,
    pub deadline: Option<NaiveDate>,
    /// Being fixed again after the bureau returned the fix.
    pub returned: bool,
}

/// Why this hazard is on the user's today list, if it is: the school's safety officer takes in
/// new reports, assigns them and sees the fixes through (their deadlines, the returned ones);
/// the bureau chases what is overdue; whoever the rules let accept a fix (the bureau, or the
/// school's officers where the county allows it) has it to accept. Everyone else acts on none.
pub fn today(actor: &Actor, h: &TodayFacts, policy: Policy, today: NaiveDate) -> Option<Why> {
    let plain = |reason| Some(Why { reason, days: None });
    if h.facts.state == State::AwaitingAcceptance {
        let accepts = rules::decide(actor, HazardAction::Accept, &h.facts, policy).is_ok();
        return accepts.then_some(Why {
            reason: Reason::ToAccept,
            days: None,
        });
    }
    match actor.role {
        Role::SchoolAdmin => match h.facts.state {
            State::Reported => plain(Reason::ToTakeIn),
            State::Registered => plain(Reason::ToAssign),
            State::Rectifying => by_deadline(h.deadline, today).or_else(|| {
                h.returned.then_some(Why {
                    reason: Reason::Returned,
                    days: None,
                })
            }),
            _ => None,
        },
        Role::Bureau if rules::may_review(actor).is_ok() && h.facts.state.is_open() => {
            by_deadline(h.deadline, today).filter(|w| w.reason == Reason::Overdue)
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: 1,
            role,
            school_id: role.is_school_scoped().then_some(1),
        }
    }

    #[test]
    fn the_today_list_holds_what_each_role_must_act_on() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default();
        let now = day("2026-03-10");
        let h = |state, deadline: Option<&str>, returned| TodayFacts {
            facts: Facts {
                school_id: 1,
                state,
                level: super::super::Level::General,
                supervised: false,
                submitted_by: Some(99),
                from_building: false,
            },
            deadline: deadline.map(day),
            returned,
        };
        let strict = Policy::default();
        let why =
            |role, f: TodayFacts| today(&actor(role), &f, strict, now).map(|w| (w.reason, w.days));
        use Role as R;
        use State as S;
        assert_eq!(
            why(R::SchoolAdmin, h(S::Reported, None, false)),
            Some((Reason::ToTakeIn, None))
        );
        assert_eq!(
            why(R::SchoolAdmin, h(S::Registered, None, false)),
            Some((Reason::ToAssign, None))
        );
        let late = h(S::Rectifying, Some("2026-03-07"), true);
        assert_eq!(
            why(R::SchoolAdmin, late),
            Some((Reason::Overdue, Some(3))),
            "overdue first"
        );
        let returned = h(S::Rectifying, Some("2026-04-30"), true);
        assert_eq!(
            why(R::SchoolAdmin, returned),
            Some((Reason::Returned, None))
        );
        assert_eq!(
            why(R::SchoolAdmin, h(S::Rectifying, Some("2026-04-30"), false)),
            None
        );
        assert_eq!(
            why(R::SchoolAdmin, h(S::Rectifying, Some("2026-03-12"), false)),
            Some((Reason::DueSoon, Some(2)))
        );
        assert_eq!(
            why(R::SchoolAdmin, h(S::AwaitingAcceptance, None, false)),
            None
        );
        assert_eq!(
            why(R::Bureau, h(S::AwaitingAcceptance, None, false)),
            Some((Reason::ToAccept, None))
        );
        assert_eq!(why(R::Bureau, late), Some((Reason::Overdue, Some(3))));
        assert_eq!(
            why(R::Bureau, h(S::Rectifying, Some("2026-03-12"), false)),
            None,
            "not the bureau's to meet"
        );
        for role in [R::Staff, R::Viewer, R::Admin] {
            assert_eq!(why(role, late), None, "{role:?} acts on none");
            assert_eq!(why(role, h(S::AwaitingAcceptance, None, false)), None);
        }
        // Where the county lets schools accept their general hazards, the officer has them to
        // accept — unless they submitted the fix themselves.
        let lenient = Policy {
            schools_accept_general: true,
        };
        let fixed = h(S::AwaitingAcceptance, None, false);
        let officer = actor(R::SchoolAdmin);
        assert_eq!(
            today(&officer, &fixed, lenient, now).map(|w| w.reason),
            Some(Reason::ToAccept)
        );
        let own = TodayFacts {
            facts: Facts {
                submitted_by: Some(officer.user_id),
                from_building: false,
                ..fixed.facts
            },
            ..fixed
        };
        assert_eq!(today(&officer, &own, lenient, now), None);
    }

    #[test]
    fn each_role_sees_the_queues_it_works_from() {
        let queues =
            |role| -> Vec<Queue> { for_actor(&actor(role)).iter().map(|w| w.queue).collect() };
        assert_eq!(queues(Role::Staff), vec![Queue::MyOpen, Queue::Overdue]);
        assert_eq!(queues(Role::SchoolAdmin)[0], Queue::ToRegister);
        assert_eq!(queues(Role::Bureau)[0], Queue::ToReview);
        assert!(queues(Role::Admin).is_empty());
    }

    #[test]
    fn only_who_accepts_is_urged_to_review() {
        let urgent = |role| for_actor(&actor(role)).iter().any(|w| w.urgent);
        assert!(urgent(Role::Bureau));
        assert!(!urgent(Role::Viewer), "a viewer reads, never acts");
    }
}
