//! Safety education and drills (安全教育与演练): a school's register of sessions — which kind,
//! which topic, the day, how many took part — with photos. `rules` says who reads and records
//! them, `input` what a session must hold, `report` the month's counts and the county's
//! topic × month view, including which schools still owe a drowning-prevention session before
//! the summer holiday.

pub mod input;
pub mod report;
pub mod rules;

use chrono::{Datelike, NaiveDate};

use super::audit::RecordKind;
use super::enums::str_enum;

str_enum!(pub SessionKind: "education.kind" {
    Education = "education",
    Drill = "drill",
});

str_enum!(pub Topic: "education.topic" {
    Drowning = "drowning",
    SexualAssault = "sexual_assault",
    Bullying = "bullying",
    SchoolBus = "school_bus",
    Fire = "fire",
    Earthquake = "earthquake",
    Traffic = "traffic",
    Food = "food",
    Other = "other",
});

str_enum!(pub EducationEvent: "education.event" {
    Record = "record",
    Photo = "photo",
});

str_enum!(pub EducationNotice: "education.notice" {
    DrowningDue = "drowning_due",
});

pub const KIND: RecordKind = RecordKind::Education;

/// The month (1–12) by which every school holds a drowning-prevention session: the last month
/// before the summer holiday. A setting; June unless the county says otherwise.
pub const SETTING_DROWNING_DUE_MONTH: &str = "education.drowning_due_month";
pub const DROWNING_DUE_MONTH_DEFAULT: u32 = 6;

/// The days a drowning-prevention session counts for the year of `today`: from 1 January to
/// the last day of the due month.
pub fn drowning_window(year: i32, due_month: u32) -> (NaiveDate, NaiveDate) {
    let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_default();
    let next = if due_month >= 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, due_month.max(1) + 1, 1)
    };
    (from, next.and_then(|d| d.pred_opt()).unwrap_or(from))
}

/// Whether the reminder runs on `today`: within the due month, while a school can still act.
pub fn drowning_reminder_due(today: NaiveDate, due_month: u32) -> bool {
    today.month() == due_month
}

pub fn labels() -> Vec<&'static str> {
    [
        SessionKind::labels(),
        Topic::labels(),
        EducationEvent::labels(),
        EducationNotice::labels(),
    ]
    .concat()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn the_drowning_window_runs_from_new_year_to_the_due_months_last_day() {
        assert_eq!(
            drowning_window(2022, 6),
            (day(2022, 1, 1), day(2022, 6, 30))
        );
        assert_eq!(
            drowning_window(2024, 2),
            (day(2024, 1, 1), day(2024, 2, 29))
        );
        assert_eq!(
            drowning_window(2022, 12),
            (day(2022, 1, 1), day(2022, 12, 31))
        );
    }

    #[test]
    fn the_drowning_reminder_runs_in_the_due_month_only() {
        assert!(drowning_reminder_due(day(2022, 6, 1), 6));
        assert!(drowning_reminder_due(day(2022, 6, 30), 6));
        assert!(!drowning_reminder_due(day(2022, 5, 31), 6));
        assert!(!drowning_reminder_due(day(2022, 7, 1), 6));
    }
}
