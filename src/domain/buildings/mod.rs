//! School buildings (校舍): the register, their appraisals under JGJ 125-2016 (grades A–D) and
//! what a dangerous grade sets going: a D grade closes the building and raises a supervised
//! hazard, then disposal runs to the bureau's acceptance. The words live here; `rules` is the
//! machine and the policy, `input` what each form must hold, `report` the monthly arithmetic,
//! `notify` whom each step tells.

pub mod input;
pub mod notify;
pub mod report;
pub mod rules;
pub mod today;

use chrono::{Months, NaiveDate};

use super::audit::RecordKind;
use super::enums::str_enum;
use super::validate::FieldError;

str_enum!(pub Use: "buildings.use" {
    Teaching = "teaching",
    Dormitory = "dormitory",
    Canteen = "canteen",
    Office = "office",
    Library = "library",
    Gym = "gym",
    Other = "other",
});

str_enum!(pub Structure: "buildings.structure" {
    BrickConcrete = "brick_concrete",
    Frame = "frame",
    BrickWood = "brick_wood",
    Masonry = "masonry",
    Steel = "steel",
    Other = "other",
});

str_enum!(
    /// The appraisal grades of JGJ 125-2016 (危险房屋鉴定标准).
    pub Grade: "buildings.grade" {
    A = "A",
    B = "B",
    C = "C",
    D = "D",
}
);

str_enum!(pub Status: "buildings.status" {
    InUse = "in_use",
    Restricted = "restricted",
    Closed = "closed",
    DisposalPlanned = "disposal_planned",
    AwaitingAcceptance = "awaiting_acceptance",
    Demolished = "demolished",
    Reinforced = "reinforced",
});

str_enum!(pub Method: "buildings.method" { Demolish = "demolish", Reinforce = "reinforce" });

str_enum!(pub BuildingAction: "buildings.action" {
    Plan = "plan",
    ReportDone = "report_done",
    Accept = "accept",
    Return = "return",
});

str_enum!(
    /// What a building's events in the audit trail say happened.
    pub BuildingEvent: "buildings.event" {
    Register = "register",
    Edit = "edit",
    Appraise = "appraise",
    Plan = "plan",
    ReportDone = "report_done",
    Accept = "accept",
    Return = "return",
    File = "file",
}
);

/// The record kind of buildings in the audit trail and among attachments.
pub const KIND: RecordKind = RecordKind::Building;

impl Grade {
    /// The catalog key of what the grade means under JGJ 125-2016, shown beside it.
    pub fn meaning(self) -> &'static str {
        match self {
            Grade::A => "buildings.grade_meaning.A",
            Grade::B => "buildings.grade_meaning.B",
            Grade::C => "buildings.grade_meaning.C",
            Grade::D => "buildings.grade_meaning.D",
        }
    }

    /// C and D are dangerous (危房): listed for the bureau until disposed of.
    pub fn is_dangerous(self) -> bool {
        matches!(self, Grade::C | Grade::D)
    }

    pub fn meanings() -> Vec<&'static str> {
        Grade::ALL.iter().map(|g| g.meaning()).collect()
    }
}

impl Status {
    /// Disposal is finished: nothing more happens to it unless a new appraisal says so.
    pub fn is_disposed(self) -> bool {
        matches!(self, Status::Demolished | Status::Reinforced)
    }

    /// In the disposal run, between the dangerous grade and the bureau's acceptance.
    pub fn in_disposal(self) -> bool {
        matches!(
            self,
            Status::Closed | Status::DisposalPlanned | Status::AwaitingAcceptance
        )
    }
}

impl From<BuildingAction> for BuildingEvent {
    fn from(a: BuildingAction) -> BuildingEvent {
        match a {
            BuildingAction::Plan => BuildingEvent::Plan,
            BuildingAction::ReportDone => BuildingEvent::ReportDone,
            BuildingAction::Accept => BuildingEvent::Accept,
            BuildingAction::Return => BuildingEvent::Return,
        }
    }
}

/// How long an appraisal holds before the next is due, by grade (a county setting).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reappraisal {
    pub ab_years: u32,
    pub c_years: u32,
}

impl Default for Reappraisal {
    fn default() -> Reappraisal {
        Reappraisal {
            ab_years: 5,
            c_years: 1,
        }
    }
}

pub const SETTING_REAPPRAISE_AB_YEARS: &str = "buildings.reappraise_ab_years";
pub const SETTING_REAPPRAISE_C_YEARS: &str = "buildings.reappraise_c_years";
/// The most years a setting may say (a sanity bound for the form).
pub const REAPPRAISE_MAX_YEARS: u32 = 20;

/// A reappraisal period as the settings form types it: whole years in `1..=20`.
pub fn parse_years(field: &'static str, value: &str) -> Result<u32, Vec<FieldError>> {
    match value.trim().parse::<u32>() {
        Ok(y) if (1..=REAPPRAISE_MAX_YEARS).contains(&y) => Ok(y),
        _ => Err(vec![FieldError {
            field,
            message: "buildings.error.between",
            arg: Some(format!("1–{REAPPRAISE_MAX_YEARS}")),
        }]),
    }
}

impl Reappraisal {
    /// When the next appraisal is due after one of this grade on this day; a D building is
    /// not appraised again on a clock: it is demolished or reinforced, then appraised.
    pub fn next_due(self, grade: Grade, on: NaiveDate) -> Option<NaiveDate> {
        let years = match grade {
            Grade::A | Grade::B => self.ab_years,
            Grade::C => self.c_years,
            Grade::D => return None,
        };
        on.checked_add_months(Months::new(years * 12))
    }
}

/// Overdue: a due date has passed on a building that stands and is in use (or restricted):
/// one being disposed of is out of use, and is appraised again once the disposal ends.
pub fn appraisal_overdue(status: Status, due: Option<NaiveDate>, today: NaiveDate) -> bool {
    status != Status::Demolished && !status.in_disposal() && due.is_some_and(|d| d < today)
}

/// The statuses whose appraisals can be overdue, for queries.
pub fn appraised_on_a_clock() -> Vec<Status> {
    Status::ALL
        .iter()
        .copied()
        .filter(|s| *s != Status::Demolished && !s.in_disposal())
        .collect()
}

/// What the rules need to know about a building.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    pub school_id: i64,
    pub status: Status,
    pub grade: Option<Grade>,
    /// The disposal's way, once planned.
    pub method: Option<Method>,
    /// Who reported the disposal done (never its acceptor).
    pub reported_done_by: Option<i64>,
}

/// Every catalog key the module's words need (checked against both catalogs by a test).
pub fn labels() -> Vec<&'static str> {
    [
        Use::labels(),
        Structure::labels(),
        Grade::labels(),
        Grade::meanings(),
        Status::labels(),
        Method::labels(),
        BuildingAction::labels(),
        BuildingEvent::labels(),
        notify::BuildingNotice::labels(),
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::domain::validate::parse_date(s).unwrap_or_default()
    }

    #[test]
    fn the_next_appraisal_is_due_by_grade_and_never_for_a_d() {
        let r = Reappraisal::default();
        let on = day("2024-02-29");
        assert_eq!(r.next_due(Grade::A, on), Some(day("2029-02-28")));
        assert_eq!(r.next_due(Grade::B, on), Some(day("2029-02-28")));
        assert_eq!(r.next_due(Grade::C, on), Some(day("2025-02-28")));
        assert_eq!(r.next_due(Grade::D, on), None);
        let custom = Reappraisal {
            ab_years: 3,
            c_years: 2,
        };
        assert_eq!(
            custom.next_due(Grade::A, day("2024-03-01")),
            Some(day("2027-03-01"))
        );
        assert_eq!(
            custom.next_due(Grade::C, day("2024-03-01")),
            Some(day("2026-03-01"))
        );
    }

    #[test]
    fn a_reappraisal_period_is_whole_years_from_one_to_twenty() {
        assert_eq!(parse_years("x", " 5 "), Ok(5));
        assert_eq!(parse_years("x", "20"), Ok(20));
        for bad in ["0", "21", "-1", "1.5", "", "five"] {
            assert!(parse_years("x", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn an_appraisal_is_overdue_the_day_after_it_was_due_on_a_building_in_use() {
        let due = Some(day("2026-05-01"));
        assert!(!appraisal_overdue(Status::InUse, due, day("2026-05-01")));
        assert!(appraisal_overdue(Status::InUse, due, day("2026-05-02")));
        assert!(appraisal_overdue(
            Status::Restricted,
            due,
            day("2026-05-02")
        ));
        assert!(!appraisal_overdue(
            Status::Demolished,
            due,
            day("2027-01-01")
        ));
        assert!(!appraisal_overdue(Status::InUse, None, day("2027-01-01")));
    }
}
