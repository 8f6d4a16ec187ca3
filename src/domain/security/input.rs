//! What each security form must hold, checked before anything is written. No field takes a
//! value shaped like a national ID number (18 characters with a valid check character), whatever
//! the field was meant for.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::AlarmResult;
use crate::domain::validate::{Errors, FieldError};

pub const NAME_MAX: usize = 50;
pub const LICENCE_MAX: usize = 30;
pub const EMPLOYER_MAX: usize = 100;
pub const NOTE_MAX: usize = 500;
/// The oldest birth year a guard in post may give.
pub const BIRTH_YEAR_MIN: i32 = 1930;
/// The longest response the alarm test form takes, in seconds (an hour).
pub const RESPONSE_MAX: i32 = 3600;

/// A `1|0` checkbox or select: blank is no.
fn flag(e: &mut Errors, field: &'static str, raw: &str) -> bool {
    match raw.trim() {
        "1" => true,
        "0" | "" => false,
        _ => {
            e.add(field, "error.choice");
            false
        }
    }
}

/// A guard as typed. Deserialised straight from the form; blank fields are empty.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct GuardDraft {
    pub name: String,
    pub licence_no: String,
    pub birth_year: String,
    pub employer: String,
    pub full_time: String,
    pub hired_on: String,
    pub insured: String,
    pub trained_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Guard {
    pub name: String,
    /// None when the guard has none yet (a warning, not a refusal).
    pub licence_no: Option<String>,
    pub birth_year: i32,
    pub employer: String,
    pub full_time: bool,
    pub hired_on: NaiveDate,
    pub insured: bool,
    pub trained_on: Option<NaiveDate>,
}

pub fn validate_guard(d: &GuardDraft, today: NaiveDate) -> Result<Guard, Vec<FieldError>> {
    let mut e = Errors::default();
    let name = e.personal("name", &d.name, true, NAME_MAX);
    let licence = e
        .personal("licence_no", &d.licence_no, false, LICENCE_MAX)
        .to_uppercase();
    let birth_year = match d.birth_year.trim().parse::<i32>() {
        Ok(y) if (BIRTH_YEAR_MIN..=today.year()).contains(&y) => Some(y),
        _ if d.birth_year.trim().is_empty() => {
            e.add("birth_year", "error.required");
            None
        }
        _ => {
            e.0.push(FieldError {
                field: "birth_year",
                message: "security.error.birth_year",
                arg: Some(format!("{BIRTH_YEAR_MIN}–{}", today.year())),
            });
            None
        }
    };
    let employer = e.personal("employer", &d.employer, false, EMPLOYER_MAX);
    let full_time = flag(&mut e, "full_time", &d.full_time);
    let insured = flag(&mut e, "insured", &d.insured);
    let hired_on = e.past_date("hired_on", &d.hired_on, true, today);
    let trained_on = e.past_date("trained_on", &d.trained_on, false, today);
    match (birth_year, hired_on) {
        (Some(birth_year), Some(hired_on)) if e.is_empty() => Ok(Guard {
            name,
            licence_no: (!licence.is_empty()).then_some(licence),
            birth_year,
            employer,
            full_time,
            hired_on,
            insured,
            trained_on,
        }),
        _ => Err(e.0),
    }
}

/// A guard's leaving: not before the hiring, not in the future.
pub fn validate_leave(
    raw: &str,
    hired_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, Vec<FieldError>> {
    let mut e = Errors::default();
    match e.past_date("left_on", raw, true, today) {
        Some(d) if d < hired_on => Err(vec![FieldError {
            field: "left_on",
            message: "security.error.left_before_hired",
            arg: Some(hired_on.to_string()),
        }]),
        Some(d) => Ok(d),
        None => Err(e.0),
    }
}

/// The profile as typed: the four provisions (`1|0`) and the day they were verified.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ProfileDraft {
    pub closed_management: String,
    pub alarm_linked: String,
    pub video_linked: String,
    pub guard_post: String,
    pub verified_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    pub closed_management: bool,
    pub alarm_linked: bool,
    pub video_linked: bool,
    pub guard_post: bool,
    pub verified_on: NaiveDate,
}

pub fn validate_profile(d: &ProfileDraft, today: NaiveDate) -> Result<Profile, Vec<FieldError>> {
    let mut e = Errors::default();
    let closed_management = flag(&mut e, "closed_management", &d.closed_management);
    let alarm_linked = flag(&mut e, "alarm_linked", &d.alarm_linked);
    let video_linked = flag(&mut e, "video_linked", &d.video_linked);
    let guard_post = flag(&mut e, "guard_post", &d.guard_post);
    match e.past_date("verified_on", &d.verified_on, true, today) {
        Some(verified_on) if e.is_empty() => Ok(Profile {
            closed_management,
            alarm_linked,
            video_linked,
            guard_post,
            verified_on,
        }),
        _ => Err(e.0),
    }
}

/// An alarm test as typed.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AlarmTestDraft {
    pub tested_on: String,
    pub result: String,
    pub response_seconds: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlarmTest {
    pub tested_on: NaiveDate,
    pub result: AlarmResult,
    /// How long the police took to answer; None when it was not timed.
    pub response_seconds: Option<i32>,
    pub note: String,
}

pub fn validate_alarm_test(
    d: &AlarmTestDraft,
    today: NaiveDate,
) -> Result<AlarmTest, Vec<FieldError>> {
    let mut e = Errors::default();
    let tested_on = e.past_date("tested_on", &d.tested_on, true, today);
    let result = e.choice::<AlarmResult>("result", &d.result);
    let response_seconds = match d.response_seconds.trim() {
        "" => None,
        raw => match raw.parse::<i32>() {
            Ok(n) if (0..=RESPONSE_MAX).contains(&n) => Some(n),
            _ => {
                e.0.push(FieldError {
                    field: "response_seconds",
                    message: "security.error.response_seconds",
                    arg: Some(RESPONSE_MAX.to_string()),
                });
                None
            }
        },
    };
    let note = e.personal("note", &d.note, false, NOTE_MAX);
    match (tested_on, result) {
        (Some(tested_on), Some(result)) if e.is_empty() => Ok(AlarmTest {
            tested_on,
            result,
            response_seconds,
            note,
        }),
        _ => Err(e.0),
    }
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;

/// The module's settings as the settings form types them; an absent field is left as it is.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SettingsDraft {
    pub security_rule: Option<String>,
    pub guard_age_min: Option<String>,
    pub guard_age_max: Option<String>,
    pub verification_days: Option<String>,
    pub alarm_test_days: Option<String>,
}

/// The settings to save (key, value), or what is wrong with them.
pub fn validate_settings(
    d: &SettingsDraft,
) -> Result<Vec<(&'static str, String)>, Vec<FieldError>> {
    use super::{
        SETTING_AGE_MAX, SETTING_AGE_MIN, SETTING_ALARM_TEST_DAYS, SETTING_RULE,
        SETTING_VERIFICATION_DAYS,
    };
    let mut e = Errors::default();
    let mut out = Vec::new();
    if let Some(r) = &d.security_rule
        && let Some(rule) = e.choice::<super::guards::Rule>("security_rule", r)
    {
        out.push((SETTING_RULE, rule.as_str().to_string()));
    }
    let mut number =
        |field: &'static str, key: &'static str, v: &Option<String>, min: i64, max: i64| {
            let Some(v) = v else { return None };
            match v.trim().parse::<i64>() {
                Ok(n) if (min..=max).contains(&n) => {
                    out.push((key, n.to_string()));
                    Some(n)
                }
                _ => {
                    e.0.push(FieldError {
                        field,
                        message: "buildings.error.between",
                        arg: Some(format!("{min}–{max}")),
                    });
                    None
                }
            }
        };
    let lo = number("guard_age_min", SETTING_AGE_MIN, &d.guard_age_min, 16, 70);
    let hi = number("guard_age_max", SETTING_AGE_MAX, &d.guard_age_max, 16, 80);
    number(
        "verification_days",
        SETTING_VERIFICATION_DAYS,
        &d.verification_days,
        1,
        3650,
    );
    number(
        "alarm_test_days",
        SETTING_ALARM_TEST_DAYS,
        &d.alarm_test_days,
        1,
        365,
    );
    if let (Some(lo), Some(hi)) = (lo, hi)
        && lo > hi
    {
        e.add("guard_age_max", "security.error.age_range");
    }
    e.into_result(out)
}

#[cfg(test)]
mod settings_tests {
    use super::*;

    #[test]
    fn the_settings_take_a_known_rule_and_sane_numbers_and_leave_absent_ones_alone() {
        let d = SettingsDraft {
            security_rule: Some("gbt29315_boarders".into()),
            guard_age_min: Some("20".into()),
            guard_age_max: Some("55".into()),
            verification_days: Some("90".into()),
            alarm_test_days: None,
        };
        let saved = validate_settings(&d).unwrap_or_default();
        assert_eq!(saved.len(), 4, "the absent one is not saved: {saved:?}");
        assert!(saved.contains(&("security.rule", "gbt29315_boarders".to_string())));
        let bad = SettingsDraft {
            security_rule: Some("whatever".into()),
            guard_age_min: Some("50".into()),
            guard_age_max: Some("40".into()),
            verification_days: Some("0".into()),
            alarm_test_days: Some("x".into()),
        };
        let fields: Vec<&str> = validate_settings(&bad)
            .err()
            .unwrap_or_default()
            .iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(
            fields,
            [
                "security_rule",
                "verification_days",
                "alarm_test_days",
                "guard_age_max"
            ]
        );
    }
}
