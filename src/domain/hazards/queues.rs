//! What waits for whom: the queues a home page counts for each role. Which queues a role acts on
//! is policy; which rows fill each queue is the ledger's filter (`store::hazards::ledger`).

use super::rules;
use crate::domain::access::Actor;
use crate::domain::enums::str_enum;
use crate::domain::role::Role;

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
        Role::Staff => vec![w(Q::MyOpen, false), w(Q::Overdue, true)],
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
