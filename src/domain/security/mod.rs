//! Security staffing (人防 物防 技防): each school's guards, its security profile (closed
//! management, one-click alarm and video linked to the police, gate guard post) with when each
//! was last verified, its alarm tests, and the "4 × 100%" per school, township and county.
//! `guards` is the required-guards rule and the guards' warnings, `compliance` the four ticks
//! and their tally, `input` what each form must hold, `rules` who may do what, `notify` whom
//! each event tells.

pub mod compliance;
pub mod guards;
pub mod input;
pub mod notify;
pub mod report;
pub mod rules;

use chrono::{Duration, NaiveDate};

use super::audit::RecordKind;
use super::enums::str_enum;

str_enum!(
    /// The four items of the "4 × 100%", as CONTRACT names them (`gap`, `item`).
    pub Item: "security.item" {
    Guards = "guards",
    Closed = "closed",
    Alarm = "alarm",
    Post = "post",
}
);

str_enum!(pub AlarmResult: "security.result" { Pass = "pass", Fail = "fail" });

str_enum!(
    /// What the security module's events in the audit trail say happened (on the school's
    /// security record).
    pub SecurityEvent: "security.event" {
    AddGuard = "add_guard",
    GuardLeft = "guard_left",
    Profile = "profile",
    AlarmTest = "alarm_test",
    RaiseGap = "raise_gap",
}
);

/// The record kind of a school's security record in the audit trail.
pub const KIND: RecordKind = RecordKind::Security;

/// The county's choices for the module (settings), with their defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settings {
    pub rule: guards::Rule,
    pub ages: guards::AgeRange,
    /// A verification older than this many days counts as not met.
    pub verification_days: i64,
    /// A school without an alarm test in this many days is listed.
    pub alarm_test_days: i64,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            rule: guards::Rule::Gbt29315,
            ages: guards::AgeRange::default(),
            verification_days: 180,
            alarm_test_days: 30,
        }
    }
}

pub const SETTING_RULE: &str = "security.rule";
pub const SETTING_AGE_MIN: &str = "security.age_min";
pub const SETTING_AGE_MAX: &str = "security.age_max";
pub const SETTING_VERIFICATION_DAYS: &str = "security.verification_days";
pub const SETTING_ALARM_TEST_DAYS: &str = "security.alarm_test_days";

/// A school is overdue for its alarm test when the last one is older than the county's days
/// (or there is none).
pub fn alarm_test_overdue(last: Option<NaiveDate>, days: i64, today: NaiveDate) -> bool {
    last.is_none_or(|d| d < today - Duration::days(days))
}

/// Every catalog key the module's words need (checked against both catalogs by a test).
pub fn labels() -> Vec<&'static str> {
    [
        Item::labels(),
        AlarmResult::labels(),
        SecurityEvent::labels(),
        guards::Rule::labels(),
        guards::Warning::labels(),
        guards::arith_labels(),
        compliance::Gap::labels(),
        notify::SecurityNotice::labels(),
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alarm_test_is_overdue_the_day_after_its_days_run_out() {
        let today = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap_or_default();
        let on = |d| Some(today - Duration::days(d));
        assert!(!alarm_test_overdue(on(30), 30, today));
        assert!(alarm_test_overdue(on(31), 30, today));
        assert!(alarm_test_overdue(None, 30, today), "never tested");
        assert!(!alarm_test_overdue(on(31), 60, today));
    }
}
