//! What the building module tells, and whom: a D grade tells the bureau at once, a disposal
//! reported done asks the bureau to accept it, a return or an acceptance tells the school, and
//! the daily check reminds the school of a disposal deadline near or passed.

use chrono::NaiveDate;

use super::{BuildingEvent, Grade, KIND, Status};
use crate::domain::enums::str_enum;
use crate::domain::notify::{self, Audience, Deadline, Notice};

str_enum!(pub BuildingNotice: "buildings.notice" {
    GradedD = "graded_d",
    Done = "done",
    Accepted = "accepted",
    Returned = "returned",
    DeadlineDue = "deadline_due",
    Overdue = "overdue",
});

impl BuildingNotice {
    /// The notice an event of the trail sends, if any: an appraisal only when it is a D.
    pub fn of(event: BuildingEvent, grade: Option<Grade>) -> Option<BuildingNotice> {
        use BuildingEvent as E;
        match event {
            E::Appraise if grade == Some(Grade::D) => Some(BuildingNotice::GradedD),
            E::ReportDone => Some(BuildingNotice::Done),
            E::Accept => Some(BuildingNotice::Accepted),
            E::Return => Some(BuildingNotice::Returned),
            E::Appraise | E::Register | E::Edit | E::Plan | E::File => None,
        }
    }

    /// Who must act now: the bureau on a D building and on a disposal to accept; the school on
    /// everything it carries out.
    pub fn audience(self) -> Vec<Audience> {
        use BuildingNotice as N;
        match self {
            N::GradedD | N::Done => vec![Audience::Bureau],
            N::Accepted | N::Returned | N::DeadlineDue | N::Overdue => vec![Audience::SchoolAdmins],
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

/// The daily reminder of a disposal's deadline: only while the school has the next move
/// (planned, not yet reported done), when the deadline is near or passed.
pub fn deadline_notice(
    status: Status,
    deadline: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<BuildingNotice> {
    if status != Status::DisposalPlanned {
        return None;
    }
    match notify::deadline(deadline?, today)? {
        Deadline::Due => Some(BuildingNotice::DeadlineDue),
        Deadline::Passed => Some(BuildingNotice::Overdue),
    }
}

/// A building's page: where its notices link.
pub fn path(id: i64) -> String {
    format!("/buildings/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_d_grade_and_a_reported_disposal_tell_the_bureau_the_rest_the_school() {
        use BuildingEvent as E;
        let told = |e, g| BuildingNotice::of(e, g).map(|n| n.audience());
        let bureau = Some(vec![Audience::Bureau]);
        let school = Some(vec![Audience::SchoolAdmins]);
        assert_eq!(told(E::Appraise, Some(Grade::D)), bureau);
        for g in [Grade::A, Grade::B, Grade::C] {
            assert_eq!(told(E::Appraise, Some(g)), None, "{g}");
        }
        assert_eq!(told(E::ReportDone, None), bureau);
        assert_eq!(told(E::Accept, None), school);
        assert_eq!(told(E::Return, None), school);
        for e in [E::Register, E::Edit, E::Plan, E::File] {
            assert_eq!(told(e, None), None, "{e}");
        }
    }

    #[test]
    fn the_deadline_reminder_runs_only_while_the_disposal_is_planned() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
        let soon = Some(today + Duration::days(2));
        let passed = Some(today - Duration::days(1));
        let far = Some(today + Duration::days(30));
        let p = Status::DisposalPlanned;
        assert_eq!(
            deadline_notice(p, soon, today),
            Some(BuildingNotice::DeadlineDue)
        );
        assert_eq!(
            deadline_notice(p, passed, today),
            Some(BuildingNotice::Overdue)
        );
        assert_eq!(deadline_notice(p, far, today), None);
        assert_eq!(deadline_notice(p, None, today), None);
        for s in [
            Status::AwaitingAcceptance,
            Status::Closed,
            Status::Demolished,
        ] {
            assert_eq!(deadline_notice(s, passed, today), None, "{s}");
        }
    }
}
