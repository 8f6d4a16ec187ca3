//! What the bullying module tells, and whom. A notice names the case by its reference only —
//! never a pupil, never the summary — in the app and in the webhook alike (CONTRACT
//! "Notifications"): a new case or tip tells the school's officers; an investigation two days
//! from its deadline or past it tells the school and the bureau; an appeal tells the bureau.

use super::{Action, KIND};
use crate::domain::enums::str_enum;
use crate::domain::notify::{Audience, Notice};

str_enum!(pub BullyingNotice: "bullying.notice" {
    Reported = "reported",
    DueSoon = "due_soon",
    Overdue = "overdue",
    Appealed = "appealed",
});

impl BullyingNotice {
    /// The notice a step sends, if any.
    pub fn of_step(action: Action) -> Option<BullyingNotice> {
        (action == Action::Appeal).then_some(BullyingNotice::Appealed)
    }

    pub fn audience(self) -> Vec<Audience> {
        match self {
            BullyingNotice::Reported => vec![Audience::SchoolAdmins],
            BullyingNotice::DueSoon | BullyingNotice::Overdue => {
                vec![Audience::SchoolAdmins, Audience::Bureau]
            }
            BullyingNotice::Appealed => vec![Audience::Bureau],
        }
    }

    pub fn notice(self) -> Notice {
        Notice {
            kind: KIND,
            event: self.as_str(),
            audience: self.audience(),
        }
    }
}

/// A case's page: where its notices link.
pub fn path(id: i64) -> String {
    format!("/bullying/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_notice_tells_whom_the_design_says() {
        assert_eq!(
            BullyingNotice::Reported.audience(),
            vec![Audience::SchoolAdmins]
        );
        assert_eq!(
            BullyingNotice::Overdue.audience(),
            vec![Audience::SchoolAdmins, Audience::Bureau]
        );
        assert_eq!(BullyingNotice::Appealed.audience(), vec![Audience::Bureau]);
        assert_eq!(
            BullyingNotice::of_step(Action::Appeal),
            Some(BullyingNotice::Appealed)
        );
        for a in Action::ALL.iter().filter(|a| **a != Action::Appeal) {
            assert_eq!(BullyingNotice::of_step(*a), None, "{a:?}");
        }
        assert_eq!(path(7), "/bullying/7");
    }
}
