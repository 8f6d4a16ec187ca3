//! Bullying cases (防欺凌) under the "three-early" measures (早发现·早预防·早控制): a case runs
//! reported → investigating (the clock starts on acceptance) → determined (by the school's
//! bullying committee) → follow_up → closed, with the appeal to the county and the referral to
//! the police as side paths. Minors' privacy comes first: `rules` decides who reads a case at
//! all, `mask_name` is how a pupil is named everywhere but the case page, and nothing here ever
//! puts a name into an event, a notice or a report. `clock` is the investigation's deadline,
//! `input` what each form must hold, `report` the monthly counts, `three_early` each school's
//! status per semester, `notify` whom each step tells.

pub mod clock;
pub mod input;
pub mod notify;
pub mod report;
pub mod rules;
pub mod three_early;

use chrono::NaiveDate;

use super::audit::RecordKind;
use super::enums::str_enum;

str_enum!(pub State: "bullying.state" {
    Reported = "reported",
    Investigating = "investigating",
    Determined = "determined",
    FollowUp = "follow_up",
    Closed = "closed",
    Appealed = "appealed",
    Referred = "referred",
});

str_enum!(pub Action: "bullying.action" {
    Accept = "accept",
    Determine = "determine",
    FollowUp = "follow_up",
    Close = "close",
    Appeal = "appeal",
    Reexamine = "reexamine",
    ReferPolice = "refer_police",
});

str_enum!(pub Determination: "bullying.determination" {
    Bullying = "bullying",
    NotBullying = "not_bullying",
    Horseplay = "horseplay",
});

str_enum!(pub ReporterKind: "bullying.reporter" {
    Pupil = "pupil",
    Parent = "parent",
    Teacher = "teacher",
    Anonymous = "anonymous",
    Screening = "screening",
});

str_enum!(pub PartyRole: "bullying.party" {
    Victim = "victim",
    Alleged = "alleged",
    Witness = "witness",
});

str_enum!(pub MeasureKind: "bullying.measure" {
    Education = "education",
    WarningTalk = "warning_talk",
    Discipline = "discipline",
    Reprimand = "reprimand",
    SpecialSchool = "special_school",
    Counselling = "counselling",
    ParentMeeting = "parent_meeting",
});

str_enum!(
    /// The county's re-examination of an appealed determination.
    pub Outcome: "bullying.outcome" { Upheld = "upheld", Changed = "changed" }
);

str_enum!(
    /// What a case's events in the audit trail say happened. None of them carries a name.
    pub BullyingEvent: "bullying.event" {
    Report = "report",
    Accept = "accept",
    Determine = "determine",
    FollowUp = "follow_up",
    Close = "close",
    Appeal = "appeal",
    Reexamine = "reexamine",
    ReferPolice = "refer_police",
    AddParty = "add_party",
    AddMeasure = "add_measure",
    /// A school's screening recorded (an event of the school, no case).
    Screening = "screening",
    /// A prevention session recorded.
    Session = "session",
}
);

/// The record kind of cases in the audit trail.
pub const KIND: RecordKind = RecordKind::Bullying;

impl From<Action> for BullyingEvent {
    fn from(a: Action) -> BullyingEvent {
        match a {
            Action::Accept => BullyingEvent::Accept,
            Action::Determine => BullyingEvent::Determine,
            Action::FollowUp => BullyingEvent::FollowUp,
            Action::Close => BullyingEvent::Close,
            Action::Appeal => BullyingEvent::Appeal,
            Action::Reexamine => BullyingEvent::Reexamine,
            Action::ReferPolice => BullyingEvent::ReferPolice,
        }
    }
}

impl State {
    /// Still being dealt with: everything but closed (a case referred to the police stays
    /// open at the school until it is closed).
    pub fn is_open(self) -> bool {
        self != State::Closed
    }

    pub fn open() -> Vec<State> {
        State::ALL.iter().copied().filter(|s| s.is_open()).collect()
    }
}

/// What the rules need to know about a case.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Facts {
    pub school_id: i64,
    pub state: State,
    pub determination: Option<Determination>,
}

/// The county's choices for the module (settings), with their defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    /// Days from acceptance to the committee's determination.
    pub investigation_days: i64,
    /// Anonymous tips one school accepts per hour.
    pub tips_per_school_hour: i32,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            investigation_days: 10,
            tips_per_school_hour: 5,
        }
    }
}

pub const SETTING_INVESTIGATION_DAYS: &str = "bullying.investigation_days";
pub const SETTING_TIPS_PER_SCHOOL_HOUR: &str = "bullying.tips_per_school_hour";

/// A pupil's name as every page but the case page shows it: the first character, then one
/// `*` ("张*"; "欧*" for 欧阳娜娜), whatever its length, so the mask does not tell the length.
pub fn mask_name(name: &str) -> String {
    match name.trim().chars().next() {
        Some(c) => format!("{c}*"),
        None => String::new(),
    }
}

/// Under 14, a guardian's consent is needed for what is recorded about the pupil.
pub const CONSENT_AGE: i32 = 14;

pub fn needs_consent(age: Option<i32>) -> bool {
    age.is_some_and(|a| a < CONSENT_AGE)
}

/// A case's reference: `BL-` and the year of its report, then its number that year.
pub fn reference(year: i32, n: i64) -> String {
    format!("BL-{year}-{n:04}")
}

/// The school semester a day falls in: autumn from September to January, spring from
/// February to August (the Chinese school year).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Semester {
    /// The calendar year the semester starts in.
    pub year: i32,
    pub autumn: bool,
}

impl Semester {
    pub fn of(day: NaiveDate) -> Semester {
        use chrono::Datelike;
        match day.month() {
            1 => Semester {
                year: day.year() - 1,
                autumn: true,
            },
            2..=8 => Semester {
                year: day.year(),
                autumn: false,
            },
            _ => Semester {
                year: day.year(),
                autumn: true,
            },
        }
    }

    /// Its first and last days.
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
        if self.autumn {
            (d(self.year, 9, 1), d(self.year + 1, 1, 31))
        } else {
            (d(self.year, 2, 1), d(self.year, 8, 31))
        }
    }

    /// The catalog key of its name, and its year for the `{}`.
    pub fn label(self) -> &'static str {
        if self.autumn {
            "bullying.semester.autumn"
        } else {
            "bullying.semester.spring"
        }
    }
}

/// Every catalog key the module's words need (checked against both catalogs by a test).
pub fn labels() -> Vec<&'static str> {
    [
        State::labels(),
        Action::labels(),
        Determination::labels(),
        ReporterKind::labels(),
        PartyRole::labels(),
        MeasureKind::labels(),
        Outcome::labels(),
        BullyingEvent::labels(),
        vec!["bullying.semester.autumn", "bullying.semester.spring"],
        notify::BullyingNotice::labels(),
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
    fn a_name_is_masked_to_its_first_character_whatever_its_length() {
        assert_eq!(mask_name("张三"), "张*");
        assert_eq!(mask_name("欧阳娜娜"), "欧*");
        assert_eq!(mask_name(" 李 "), "李*");
        assert_eq!(mask_name("Tom Lee"), "T*");
        assert_eq!(mask_name(""), "");
    }

    #[test]
    fn under_fourteen_needs_a_guardians_consent() {
        assert!(needs_consent(Some(13)));
        assert!(!needs_consent(Some(14)));
        assert!(!needs_consent(None), "an age not given flags nothing");
    }

    #[test]
    fn semesters_run_autumn_september_to_january_and_spring_february_to_august() {
        let autumn = Semester {
            year: 2026,
            autumn: true,
        };
        assert_eq!(Semester::of(day("2026-09-01")), autumn);
        assert_eq!(Semester::of(day("2027-01-31")), autumn);
        assert_eq!(
            Semester::of(day("2027-02-01")),
            Semester {
                year: 2027,
                autumn: false
            }
        );
        assert_eq!(
            Semester::of(day("2026-08-31")),
            Semester {
                year: 2026,
                autumn: false
            }
        );
        assert_eq!(autumn.bounds(), (day("2026-09-01"), day("2027-01-31")));
    }

    #[test]
    fn a_reference_numbers_the_years_cases() {
        assert_eq!(reference(2026, 7), "BL-2026-0007");
        assert_eq!(reference(2026, 12345), "BL-2026-12345");
    }

    #[test]
    fn only_a_closed_case_is_no_longer_open() {
        assert_eq!(State::open().len(), State::ALL.len() - 1);
        assert!(State::Referred.is_open() && State::Appealed.is_open());
    }
}
