//! What the hazard loop tells, and whom: each step that hands the hazard to someone tells the
//! people who must act next (CONTRACT "Notifications"); the daily check reminds the school of
//! deadlines near or passed.

use chrono::NaiveDate;

use super::{HazardEvent, KIND, State};
use crate::domain::enums::str_enum;
use crate::domain::notify::{self, Audience, Deadline, Notice};

str_enum!(pub HazardNotice: "hazards.notice" {
    Reported = "reported",
    Assigned = "assigned",
    Submitted = "submitted",
    Accepted = "accepted",
    Returned = "returned",
    Reopened = "reopened",
    Supervised = "supervised",
    DeadlineDue = "deadline_due",
    Overdue = "overdue",
});

impl HazardNotice {
    /// The notice an event of the trail sends, if any. One line per notice.
    pub fn of(event: HazardEvent) -> Option<HazardNotice> {
        use HazardEvent as E;
        match event {
            E::Report => Some(HazardNotice::Reported),
            E::Assign => Some(HazardNotice::Assigned),
            E::Submit => Some(HazardNotice::Submitted),
            E::Accept => Some(HazardNotice::Accepted),
            E::Return => Some(HazardNotice::Returned),
            E::Reopen => Some(HazardNotice::Reopened),
            E::Supervise => Some(HazardNotice::Supervised),
            E::Register | E::Dismiss | E::MarkDuplicate | E::Refer | E::Photo | E::Unsupervise => {
                None
            }
        }
    }

    /// Who must act now: the school for everything it fixes, the bureau for what it accepts
    /// (and the school's officers too where they may accept it, `school_accepts`); an
    /// acceptance also tells whoever reported the hazard.
    pub fn audience(self, reported_by: i64, school_accepts: bool) -> Vec<Audience> {
        use HazardNotice as N;
        match self {
            N::Reported
            | N::Assigned
            | N::Returned
            | N::Reopened
            | N::Supervised
            | N::DeadlineDue
            | N::Overdue => vec![Audience::SchoolAdmins],
            N::Submitted if school_accepts => vec![Audience::Bureau, Audience::SchoolAdmins],
            N::Submitted => vec![Audience::Bureau],
            N::Accepted => vec![Audience::User(reported_by), Audience::SchoolAdmins],
        }
    }

    /// The notice with its audience, for the store.
    pub fn notice(self, reported_by: i64, school_accepts: bool) -> Notice {
        Notice {
            kind: KIND,
            event: self.as_str(),
            audience: self.audience(reported_by, school_accepts),
        }
    }
}

/// The daily reminder of a hazard's deadline: only while the school has the next move (not
/// while the bureau reviews its fix), when the deadline is near or passed.
pub fn deadline_notice(
    state: State,
    deadline: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<HazardNotice> {
    if !state.is_open() || state == State::AwaitingAcceptance {
        return None;
    }
    match notify::deadline(deadline?, today)? {
        Deadline::Due => Some(HazardNotice::DeadlineDue),
        Deadline::Passed => Some(HazardNotice::Overdue),
    }
}

/// The states the daily reminder looks at, for its query.
pub fn reminded_states() -> Vec<State> {
    State::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open() && *s != State::AwaitingAcceptance)
        .collect()
}

/// A hazard's page: where its notices link.
pub fn path(id: i64) -> String {
    format!("/hazards/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn each_step_that_hands_the_hazard_on_tells_who_acts_next() {
        use HazardEvent as E;
        let reporter = 7;
        let told = |e| HazardNotice::of(e).map(|n| n.audience(reporter, false));
        let school = Some(vec![Audience::SchoolAdmins]);
        assert_eq!(told(E::Report), school);
        assert_eq!(told(E::Assign), school);
        assert_eq!(told(E::Return), school);
        assert_eq!(told(E::Reopen), school);
        assert_eq!(told(E::Supervise), school);
        assert_eq!(told(E::Submit), Some(vec![Audience::Bureau]));
        assert_eq!(
            told(E::Accept),
            Some(vec![Audience::User(7), Audience::SchoolAdmins])
        );
        for quiet in [
            E::Register,
            E::Dismiss,
            E::MarkDuplicate,
            E::Refer,
            E::Photo,
            E::Unsupervise,
        ] {
            assert_eq!(told(quiet), None, "{quiet:?}");
        }
    }

    #[test]
    fn every_notice_is_named_in_the_catalogs_by_its_word() {
        for n in HazardNotice::ALL {
            assert_eq!(notify::label(KIND, n.as_str()), Some(n.label()));
        }
        assert_eq!(notify::label(KIND, "no_such_word"), None);
    }

    #[test]
    fn the_school_is_reminded_of_deadlines_while_it_has_the_next_move() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap_or_default();
        let soon = Some(today + Duration::days(3));
        let later = Some(today + Duration::days(4));
        let passed = Some(today - Duration::days(1));
        let n = |s, d| deadline_notice(s, d, today);
        assert_eq!(n(State::Rectifying, soon), Some(HazardNotice::DeadlineDue));
        assert_eq!(n(State::Rectifying, passed), Some(HazardNotice::Overdue));
        assert_eq!(n(State::Registered, passed), Some(HazardNotice::Overdue));
        assert_eq!(n(State::Rectifying, later), None);
        assert_eq!(n(State::Rectifying, None), None, "no deadline set");
        assert_eq!(
            n(State::AwaitingAcceptance, passed),
            None,
            "the bureau's turn"
        );
        for s in [
            State::Closed,
            State::Dismissed,
            State::Duplicate,
            State::Referred,
        ] {
            assert_eq!(n(s, passed), None, "{s:?}");
        }
        for s in State::ALL {
            assert_eq!(
                reminded_states().contains(s),
                n(*s, passed).is_some(),
                "the query's states match the rule: {s:?}"
            );
        }
    }
}
