//! What each hazard form must hold, checked before anything is written.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Category, HazardAction, HowFound, Level, Source};
use crate::domain::validate::{Errors, FieldError, parse_date};

pub const TITLE_MAX: usize = 100;
pub const TEXT_MAX: usize = 2000;
pub const LOCATION_MAX: usize = 200;
pub const UNIT_MAX: usize = 100;
pub const PERSON_MAX: usize = 50;
pub const FUNDING_MAX: usize = 100;
pub const DEPARTMENT_MAX: usize = 100;
/// `YH-YYYY-NNNNN` at most.
pub const REF_MAX: usize = 16;

/// A report as typed.
/// Deserialised straight from the form; blank fields are empty strings.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReportDraft {
    pub source: String,
    pub category: String,
    pub title: String,
    pub description: String,
    pub location: String,
    pub level: String,
    pub how_found: String,
    pub found_on: String,
    pub found_by: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub source: Source,
    pub category: Category,
    pub title: String,
    pub description: String,
    pub location: String,
    pub level: Level,
    pub how_found: HowFound,
    pub found_on: NaiveDate,
    pub found_by: String,
}

/// `today` is the county's date (Asia/Shanghai): nothing is found in the future.
pub fn validate_report(d: &ReportDraft, today: NaiveDate) -> Result<Report, Vec<FieldError>> {
    let mut e = Errors::default();
    let source = e.choice::<Source>("source", &d.source);
    let category = e.choice::<Category>("category", &d.category);
    let title = e.text("title", &d.title, true, TITLE_MAX);
    let description = e.text("description", &d.description, false, TEXT_MAX);
    let location = e.text("location", &d.location, false, LOCATION_MAX);
    let level = e.choice::<Level>("level", &d.level);
    let how_found = if d.how_found.trim().is_empty() {
        Some(HowFound::Daily)
    } else {
        e.choice::<HowFound>("how_found", &d.how_found)
    };
    let found_by = e.text("found_by", &d.found_by, false, PERSON_MAX);
    let found_on = match e.date("found_on", &d.found_on, true) {
        Some(day) if day > today => {
            e.add("found_on", "error.date_future");
            None
        }
        day => day,
    };
    match (source, category, level, how_found, found_on) {
        (Some(source), Some(category), Some(level), Some(how_found), Some(found_on))
            if e.is_empty() =>
        {
            Ok(Report {
                source,
                category,
                title,
                description,
                location,
                level,
                how_found,
                found_on,
                found_by,
            })
        }
        _ => Err(e.0),
    }
}

/// A transition form as typed; each action reads the fields it needs.
/// Deserialised straight from the form; blank fields are empty strings.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TransitionDraft {
    pub comment: String,
    pub deadline: String,
    pub responsible_unit: String,
    pub responsible_person: String,
    pub measures: String,
    pub interim_controls: String,
    pub funding: String,
    pub department: String,
    pub duplicate_of: String,
}

/// The checked fields of one transition; `None` where the action does not set a field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transition {
    pub comment: Option<String>,
    pub deadline: Option<NaiveDate>,
    pub responsible_unit: Option<String>,
    pub responsible_person: Option<String>,
    pub measures: Option<String>,
    pub interim_controls: Option<String>,
    pub funding: Option<String>,
    pub department: Option<String>,
    pub duplicate_of: Option<String>,
}

/// `YH-YYYY-NNNN`, with more digits once a year passes 9999 reports.
pub fn valid_ref_no(s: &str) -> bool {
    let b = s.as_bytes();
    (12..=16).contains(&b.len())
        && s.starts_with("YH-")
        && b[3..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..].iter().all(u8::is_ascii_digit)
}

fn some(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Whether an action must say why (dismiss, refer, return, reopen).
pub fn comment_required(action: HazardAction) -> bool {
    use HazardAction as A;
    matches!(action, A::Dismiss | A::Refer | A::Return | A::Reopen)
}

/// A deadline is neither before the hazard was found nor already past (`today` is the app
/// clock's, so the demo's past-dated history still sets the deadlines it had then).
fn check_deadline(
    e: &mut Errors,
    raw: &str,
    found_on: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match parse_date(raw) {
        Some(day) if day < found_on => {
            e.add("deadline", "hazards.error.deadline_before_found");
            None
        }
        Some(day) if day < today => {
            e.add("deadline", "hazards.error.deadline_past");
            None
        }
        Some(day) => Some(day),
        None if raw.trim().is_empty() => {
            e.add("deadline", "error.required");
            None
        }
        None => {
            e.add("deadline", "error.date_format");
            None
        }
    }
}

/// Checks the fields `action` needs. The deadline lies between `found_on` (or `today`, the
/// later) and any time after.
pub fn validate_transition(
    action: HazardAction,
    d: &TransitionDraft,
    found_on: NaiveDate,
    today: NaiveDate,
) -> Result<Transition, Vec<FieldError>> {
    use HazardAction as A;
    let mut e = Errors::default();
    let comment = some(e.text("comment", &d.comment, comment_required(action), TEXT_MAX));
    let mut t = Transition {
        comment,
        ..Default::default()
    };
    match action {
        A::Assign | A::Reopen => {
            t.deadline = check_deadline(&mut e, &d.deadline, found_on, today);
            let required = action == A::Assign;
            t.responsible_unit =
                some(e.text("responsible_unit", &d.responsible_unit, required, UNIT_MAX));
            t.responsible_person = some(e.text(
                "responsible_person",
                &d.responsible_person,
                required,
                PERSON_MAX,
            ));
            t.measures = some(e.text("measures", &d.measures, false, TEXT_MAX));
            t.interim_controls =
                some(e.text("interim_controls", &d.interim_controls, false, TEXT_MAX));
            t.funding = some(e.text("funding", &d.funding, false, FUNDING_MAX));
        }
        A::Submit => t.measures = some(e.text("measures", &d.measures, true, TEXT_MAX)),
        A::Refer => t.department = some(e.text("department", &d.department, true, DEPARTMENT_MAX)),
        A::MarkDuplicate => {
            let r = d.duplicate_of.trim().to_uppercase();
            if r.is_empty() {
                e.add("duplicate_of", "error.required");
            } else if !valid_ref_no(&r) {
                e.add("duplicate_of", "hazards.error.ref_format");
            }
            t.duplicate_of = some(r);
        }
        A::Register | A::Dismiss | A::Accept | A::Return => {}
    }
    e.into_result(t)
}

/// The five items that supervision (挂牌督办) requires.
/// Deserialised straight from the form; blank fields are empty strings.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SuperviseDraft {
    pub measures: String,
    pub responsible_person: String,
    pub funding: String,
    pub deadline: String,
    pub contingency_plan: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Supervision {
    pub measures: String,
    pub responsible_person: String,
    pub funding: String,
    pub deadline: NaiveDate,
    pub contingency_plan: String,
}

pub fn validate_supervision(
    d: &SuperviseDraft,
    found_on: NaiveDate,
    today: NaiveDate,
) -> Result<Supervision, Vec<FieldError>> {
    let mut e = Errors::default();
    let measures = e.text("measures", &d.measures, true, TEXT_MAX);
    let responsible_person = e.text(
        "responsible_person",
        &d.responsible_person,
        true,
        PERSON_MAX,
    );
    let funding = e.text("funding", &d.funding, true, FUNDING_MAX);
    let contingency_plan = e.text("contingency_plan", &d.contingency_plan, true, TEXT_MAX);
    let deadline = check_deadline(&mut e, &d.deadline, found_on, today);
    match deadline {
        Some(deadline) if e.is_empty() => Ok(Supervision {
            measures,
            responsible_person,
            funding,
            deadline,
            contingency_plan,
        }),
        _ => Err(e.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap_or_default()
    }

    fn report() -> ReportDraft {
        ReportDraft {
            source: "periphery".into(),
            category: "vendors".into(),
            title: "校门口流动摊贩占道".into(),
            description: "放学时段摊贩占用人行道".into(),
            location: "南门".into(),
            level: "general".into(),
            how_found: "".into(),
            found_on: "2026-03-02".into(),
            found_by: "张丽".into(),
        }
    }

    fn fields(
        r: Result<impl std::fmt::Debug, Vec<FieldError>>,
    ) -> Vec<(&'static str, &'static str)> {
        r.err()
            .unwrap_or_default()
            .iter()
            .map(|f| (f.field, f.message))
            .collect()
    }

    #[test]
    fn a_complete_report_passes_with_daily_as_the_default_way_found() {
        let r = validate_report(&report(), day("2026-03-05")).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(r.how_found, HowFound::Daily);
        assert_eq!(r.found_on, day("2026-03-02"));
    }

    #[test]
    fn a_report_needs_its_fields_and_a_real_past_date() {
        let mut d = report();
        d.title = " ".into();
        d.category = "ghosts".into();
        d.found_on = "2026-02-30".into();
        assert_eq!(
            fields(validate_report(&d, day("2026-03-05"))),
            vec![
                ("category", "error.choice"),
                ("title", "error.required"),
                ("found_on", "error.date_format")
            ]
        );
        let mut d = report();
        d.found_on = "2026-03-06".into();
        assert_eq!(
            fields(validate_report(&d, day("2026-03-05"))),
            vec![("found_on", "error.date_future")]
        );
        d.found_on = String::new();
        assert_eq!(
            fields(validate_report(&d, day("2026-03-05"))),
            vec![("found_on", "error.required")]
        );
    }

    #[test]
    fn each_action_needs_its_own_fields() {
        let found = day("2026-03-02");
        let empty = TransitionDraft::default();
        use HazardAction as A;
        assert!(validate_transition(A::Register, &empty, found, found).is_ok());
        assert!(validate_transition(A::Accept, &empty, found, found).is_ok());
        assert_eq!(
            fields(validate_transition(A::Dismiss, &empty, found, found)),
            vec![("comment", "error.required")]
        );
        assert_eq!(
            fields(validate_transition(A::Return, &empty, found, found)),
            vec![("comment", "error.required")]
        );
        assert_eq!(
            fields(validate_transition(A::Refer, &empty, found, found)),
            vec![
                ("comment", "error.required"),
                ("department", "error.required")
            ]
        );
        assert_eq!(
            fields(validate_transition(A::Submit, &empty, found, found)),
            vec![("measures", "error.required")]
        );
        assert_eq!(
            fields(validate_transition(A::Assign, &empty, found, found)),
            vec![
                ("deadline", "error.required"),
                ("responsible_unit", "error.required"),
                ("responsible_person", "error.required")
            ]
        );
        assert_eq!(
            fields(validate_transition(A::Reopen, &empty, found, found)),
            vec![
                ("comment", "error.required"),
                ("deadline", "error.required")
            ]
        );
        assert_eq!(
            fields(validate_transition(A::MarkDuplicate, &empty, found, found)),
            vec![("duplicate_of", "error.required")]
        );
    }

    #[test]
    fn a_deadline_before_the_found_date_is_refused() {
        let d = TransitionDraft {
            deadline: "2026-03-01".into(),
            responsible_unit: "总务处".into(),
            responsible_person: "王强".into(),
            ..Default::default()
        };
        assert_eq!(
            fields(validate_transition(
                HazardAction::Assign,
                &d,
                day("2026-03-02"),
                day("2026-03-02")
            )),
            vec![("deadline", "hazards.error.deadline_before_found")]
        );
        let ok = validate_transition(
            HazardAction::Assign,
            &TransitionDraft {
                deadline: "2026-03-02".into(),
                ..d
            },
            day("2026-03-02"),
            day("2026-03-02"),
        );
        assert_eq!(ok.map(|t| t.deadline), Ok(Some(day("2026-03-02"))));
    }

    #[test]
    fn a_deadline_already_past_is_refused_at_assign_reopen_and_supervision() {
        let (found, today) = (day("2026-03-02"), day("2026-03-20"));
        let d = TransitionDraft {
            deadline: "2026-03-19".into(),
            responsible_unit: "总务处".into(),
            responsible_person: "王强".into(),
            comment: "整改不到位".into(),
            ..Default::default()
        };
        for action in [HazardAction::Assign, HazardAction::Reopen] {
            assert_eq!(
                fields(validate_transition(action, &d, found, today)),
                vec![("deadline", "hazards.error.deadline_past")],
                "{action:?}"
            );
            let on_the_day = TransitionDraft {
                deadline: "2026-03-20".into(),
                ..d.clone()
            };
            assert_eq!(
                validate_transition(action, &on_the_day, found, today).map(|t| t.deadline),
                Ok(Some(today)),
                "today itself is still a deadline"
            );
        }
        let s = SuperviseDraft {
            measures: "设置隔离栏".into(),
            responsible_person: "王强".into(),
            funding: "县财政 5 万元".into(),
            deadline: "2026-03-19".into(),
            contingency_plan: "雨天封闭该区域".into(),
        };
        assert_eq!(
            fields(validate_supervision(&s, found, today)),
            vec![("deadline", "hazards.error.deadline_past")]
        );
    }

    #[test]
    fn duplicate_references_must_look_like_reference_numbers() {
        assert!(valid_ref_no("YH-2026-0031"));
        assert!(!valid_ref_no("YH-26-31"));
        assert!(!valid_ref_no("XX-2026-0031"));
        assert!(valid_ref_no("YH-2026-10000"), "a busy year has five digits");
        assert!(!valid_ref_no("YH-2026-00001234567"));
        let d = TransitionDraft {
            duplicate_of: "yh-2026-0031".into(),
            ..Default::default()
        };
        let t = validate_transition(
            HazardAction::MarkDuplicate,
            &d,
            day("2026-01-01"),
            day("2026-01-01"),
        );
        assert_eq!(
            t.map(|t| t.duplicate_of),
            Ok(Some("YH-2026-0031".to_string()))
        );
    }

    #[test]
    fn supervision_needs_all_five_items() {
        let found = day("2026-03-02");
        let empty = SuperviseDraft::default();
        assert_eq!(
            validate_supervision(&empty, found, found)
                .err()
                .map(|e| e.len()),
            Some(5)
        );
        let full = SuperviseDraft {
            measures: "设置隔离栏".into(),
            responsible_person: "王强".into(),
            funding: "县财政 5 万元".into(),
            deadline: "2026-04-30".into(),
            contingency_plan: "雨天封闭该区域".into(),
        };
        assert!(validate_supervision(&full, found, found).is_ok());
    }
}
