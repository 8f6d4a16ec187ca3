//! What each bullying form must hold, checked before anything is written. Dates are not in the
//! future; no field takes a value shaped like a national ID number.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Action, Determination, MeasureKind, Outcome, PartyRole, ReporterKind};
use crate::domain::validate::{Errors, FieldError};

pub const SUMMARY_MAX: usize = 2000;
pub const PLACE_MAX: usize = 100;
pub const NAME_MAX: usize = 20;
pub const GRADE_CLASS_MAX: usize = 30;
pub const NOTE_MAX: usize = 1000;
pub const CLASSES_MAX: usize = 200;
/// The ages a pupil's form takes.
pub const AGE_MIN: i32 = 3;
pub const AGE_MAX: i32 = 25;
pub const PUPILS_MAX: i32 = 100_000;

/// A case as reported by someone signed in. `school` is the bureau's choice; a school user's
/// own school is taken from the session.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct CaseDraft {
    pub school: String,
    pub reported_on: String,
    pub reporter_kind: String,
    pub summary: String,
    pub place: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCase {
    pub reported_on: NaiveDate,
    /// When it happened, if the reporter said (the anonymous form asks).
    pub happened_on: Option<NaiveDate>,
    pub reporter_kind: ReporterKind,
    pub summary: String,
    pub place: String,
}

pub fn validate_case(d: &CaseDraft, today: NaiveDate) -> Result<NewCase, Vec<FieldError>> {
    let mut e = Errors::default();
    let reported_on = e.past_date("reported_on", &d.reported_on, true, today);
    let reporter_kind = e.choice::<ReporterKind>("reporter_kind", &d.reporter_kind);
    let summary = e.personal("summary", &d.summary, true, SUMMARY_MAX);
    let place = e.personal("place", &d.place, false, PLACE_MAX);
    match (reported_on, reporter_kind) {
        (Some(reported_on), Some(reporter_kind)) if e.is_empty() => Ok(NewCase {
            reported_on,
            happened_on: None,
            reporter_kind,
            summary,
            place,
        }),
        _ => Err(e.0),
    }
}

/// An anonymous tip: no account, no name, the school by its public code.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TipDraft {
    pub school: String,
    pub summary: String,
    pub place: String,
    pub happened_on: String,
}

pub fn validate_tip(d: &TipDraft, today: NaiveDate) -> Result<NewCase, Vec<FieldError>> {
    let mut e = Errors::default();
    e.text("school", &d.school, true, 32);
    let happened_on = e.past_date("happened_on", &d.happened_on, false, today);
    let summary = e.personal("summary", &d.summary, true, SUMMARY_MAX);
    let place = e.personal("place", &d.place, false, PLACE_MAX);
    e.into_result(())?;
    Ok(NewCase {
        reported_on: today,
        happened_on,
        reporter_kind: ReporterKind::Anonymous,
        summary,
        place,
    })
}

/// A party to a case: victim, alleged or witness.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PartyDraft {
    pub role: String,
    pub name: String,
    pub grade_class: String,
    pub age: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    pub role: PartyRole,
    pub name: String,
    pub grade_class: String,
    pub age: Option<i32>,
}

pub fn validate_party(d: &PartyDraft) -> Result<Party, Vec<FieldError>> {
    let mut e = Errors::default();
    let role = e.choice::<PartyRole>("role", &d.role);
    let name = e.personal("name", &d.name, true, NAME_MAX);
    let grade_class = e.personal("grade_class", &d.grade_class, false, GRADE_CLASS_MAX);
    let age = match d.age.trim() {
        "" => None,
        a => match a.parse::<i32>() {
            Ok(n) if (AGE_MIN..=AGE_MAX).contains(&n) => Some(n),
            _ => {
                e.0.push(FieldError {
                    field: "age",
                    message: "bullying.error.age",
                    arg: Some(format!("{AGE_MIN}–{AGE_MAX}")),
                });
                None
            }
        },
    };
    match role {
        Some(role) if e.is_empty() => Ok(Party {
            role,
            name,
            grade_class,
            age,
        }),
        _ => Err(e.0),
    }
}

/// A measure taken (several per case, each dated).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct MeasureDraft {
    pub kind: String,
    pub taken_on: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measure {
    pub kind: MeasureKind,
    pub taken_on: NaiveDate,
    pub note: String,
}

pub fn validate_measure(d: &MeasureDraft, today: NaiveDate) -> Result<Measure, Vec<FieldError>> {
    let mut e = Errors::default();
    let kind = e.choice::<MeasureKind>("kind", &d.kind);
    let taken_on = e.past_date("taken_on", &d.taken_on, true, today);
    let note = e.personal("note", &d.note, false, NOTE_MAX);
    match (kind, taken_on) {
        (Some(kind), Some(taken_on)) if e.is_empty() => Ok(Measure {
            kind,
            taken_on,
            note,
        }),
        _ => Err(e.0),
    }
}

/// A step's form: the action and what it needs.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct StepDraft {
    pub action: String,
    pub determination: String,
    pub outcome: String,
    pub comment: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub action: Action,
    /// The committee's (or the county's changed) determination.
    pub determination: Option<Determination>,
    pub outcome: Option<Outcome>,
    pub comment: String,
}

/// A step's fields: `determine` needs the determination; `reexamine` the outcome, and when the
/// county changes it the new determination; an appeal and a referral say why in the comment
/// (CONTRACT names it for them); a follow-up visit may say what was found.
pub fn validate_step(d: &StepDraft) -> Result<Step, Vec<FieldError>> {
    let mut e = Errors::default();
    let action = e.choice::<Action>("action", &d.action);
    let needs_comment = matches!(action, Some(Action::Appeal | Action::ReferPolice));
    let comment = e.personal("comment", &d.comment, needs_comment, NOTE_MAX);
    let outcome = match action {
        Some(Action::Reexamine) => e.choice::<Outcome>("outcome", &d.outcome),
        _ => None,
    };
    let determination = match (action, outcome) {
        (Some(Action::Determine), _) | (Some(Action::Reexamine), Some(Outcome::Changed)) => {
            e.choice::<Determination>("determination", &d.determination)
        }
        _ => None,
    };
    match action {
        Some(action) if e.is_empty() => Ok(Step {
            action,
            determination,
            outcome,
            comment,
        }),
        _ => Err(e.0),
    }
}

/// A screening or survey (排查/问卷) of some classes.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ScreeningDraft {
    pub held_on: String,
    pub classes: String,
    pub pupils_covered: String,
    pub findings: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Screening {
    pub held_on: NaiveDate,
    pub classes: String,
    pub pupils_covered: i32,
    pub findings: String,
}

pub fn validate_screening(
    d: &ScreeningDraft,
    today: NaiveDate,
) -> Result<Screening, Vec<FieldError>> {
    let mut e = Errors::default();
    let held_on = e.past_date("held_on", &d.held_on, true, today);
    let classes = e.personal("classes", &d.classes, true, CLASSES_MAX);
    if d.pupils_covered.trim().is_empty() {
        e.add("pupils_covered", "error.required");
    }
    let pupils_covered = e.count("pupils_covered", &d.pupils_covered, PUPILS_MAX);
    let findings = e.personal("findings", &d.findings, false, SUMMARY_MAX);
    match held_on {
        Some(held_on) if e.is_empty() => Ok(Screening {
            held_on,
            classes,
            pupils_covered,
            findings,
        }),
        _ => Err(e.0),
    }
}

/// A prevention session (反欺凌教育) as typed on the three-early page.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SessionDraft {
    pub session_held_on: String,
    pub participants: String,
    pub session_note: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub held_on: NaiveDate,
    pub participants: i32,
    pub note: String,
}

pub fn validate_session(d: &SessionDraft, today: NaiveDate) -> Result<Session, Vec<FieldError>> {
    let mut e = Errors::default();
    let held_on = e.past_date("session_held_on", &d.session_held_on, true, today);
    if d.participants.trim().is_empty() {
        e.add("participants", "error.required");
    }
    let participants = e.count("participants", &d.participants, PUPILS_MAX);
    let note = e.personal("session_note", &d.session_note, false, NOTE_MAX);
    match held_on {
        Some(held_on) if e.is_empty() => Ok(Session {
            held_on,
            participants,
            note,
        }),
        _ => Err(e.0),
    }
}

/// The module's settings as the settings form types them; an absent field is left as it is.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SettingsDraft {
    pub bullying_investigation_days: Option<String>,
    pub bullying_tips_per_school_hour: Option<String>,
}

/// The settings to save (key, value), or what is wrong with them.
pub fn validate_settings(
    d: &SettingsDraft,
) -> Result<Vec<(&'static str, String)>, Vec<FieldError>> {
    let mut e = Errors::default();
    let mut out = Vec::new();
    let mut number = |field: &'static str, key: &'static str, v: &Option<String>, max: i64| {
        let Some(v) = v else { return };
        match v.trim().parse::<i64>() {
            Ok(n) if (1..=max).contains(&n) => out.push((key, n.to_string())),
            _ => e.0.push(FieldError {
                field,
                message: "bullying.error.between",
                arg: Some(format!("1–{max}")),
            }),
        }
    };
    number(
        "bullying_investigation_days",
        super::SETTING_INVESTIGATION_DAYS,
        &d.bullying_investigation_days,
        INVESTIGATION_DAYS_MAX,
    );
    number(
        "bullying_tips_per_school_hour",
        super::SETTING_TIPS_PER_SCHOOL_HOUR,
        &d.bullying_tips_per_school_hour,
        i64::from(TIPS_PER_HOUR_MAX),
    );
    e.into_result(out)
}

/// The settings' upper bounds (the store reads a stored value only within them).
pub const INVESTIGATION_DAYS_MAX: i64 = 60;
pub const TIPS_PER_HOUR_MAX: i32 = 100;

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;
