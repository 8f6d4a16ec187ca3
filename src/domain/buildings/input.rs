//! What each building form must hold, checked before anything is written.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{BuildingAction, Grade, Method, Structure, Use};
use crate::domain::hazards::input::{SuperviseDraft, Supervision, validate_supervision};
use crate::domain::validate::{Errors, FieldError, parse_date};

pub const NAME_MAX: usize = 100;
pub const AGENCY_MAX: usize = 100;
pub const REPORT_NO_MAX: usize = 50;
pub const TEXT_MAX: usize = 2000;
pub const FUNDING_MAX: usize = 100;
pub const FLOORS_MAX: i32 = 100;
/// m²: the largest single school building is far below this.
pub const AREA_MAX: f64 = 1_000_000.0;
/// The oldest year a school building in use may claim.
pub const YEAR_MIN: i32 = 1800;

/// A new building as typed. Deserialised straight from the form; blank fields are empty.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct BuildingDraft {
    pub name: String,
    #[serde(rename = "use")]
    pub usage: String,
    pub structure: String,
    pub floors: String,
    pub floor_area: String,
    pub year_built: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Building {
    pub name: String,
    pub usage: Use,
    pub structure: Structure,
    pub floors: i32,
    /// m², to two decimals.
    pub floor_area: f64,
    pub year_built: i32,
}

/// `today` is the county's date: nothing is built in a future year.
pub fn validate_building(d: &BuildingDraft, today: NaiveDate) -> Result<Building, Vec<FieldError>> {
    let mut e = Errors::default();
    let name = e.text("name", &d.name, true, NAME_MAX);
    let usage = e.choice::<Use>("use", &d.usage);
    let structure = e.choice::<Structure>("structure", &d.structure);
    let floors = whole(&mut e, "floors", &d.floors, 1, FLOORS_MAX);
    let floor_area = area(&mut e, &d.floor_area);
    let year_built = whole(&mut e, "year_built", &d.year_built, YEAR_MIN, today.year());
    match (usage, structure, floors, floor_area, year_built) {
        (Some(usage), Some(structure), Some(floors), Some(floor_area), Some(year_built))
            if e.is_empty() =>
        {
            Ok(Building {
                name,
                usage,
                structure,
                floors,
                floor_area,
                year_built,
            })
        }
        _ => Err(e.0),
    }
}

/// A required whole number in `min..=max`, the bounds named in the message.
fn whole(e: &mut Errors, field: &'static str, raw: &str, min: i32, max: i32) -> Option<i32> {
    let v = raw.trim();
    if v.is_empty() {
        e.add(field, "error.required");
        return None;
    }
    match v.parse::<i32>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            e.0.push(FieldError {
                field,
                message: "buildings.error.between",
                arg: Some(format!("{min}–{max}")),
            });
            None
        }
    }
}

/// A floor area in m²: positive, at most two decimals, below `AREA_MAX`.
fn area(e: &mut Errors, raw: &str) -> Option<f64> {
    let v = raw.trim();
    if v.is_empty() {
        e.add("floor_area", "error.required");
        return None;
    }
    let decimals = v.split_once('.').map_or(0, |(_, frac)| frac.len());
    let plain = v.chars().all(|c| c.is_ascii_digit() || c == '.');
    match v.parse::<f64>() {
        Ok(a) if plain && decimals <= 2 && a > 0.0 && a <= AREA_MAX => Some(a),
        _ => {
            e.add("floor_area", "buildings.error.area");
            None
        }
    }
}

/// An appraisal as typed: the appraisal itself, and for a D grade the supervision's five
/// items under the names the hazard's supervision form uses.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AppraisalDraft {
    pub appraised_on: String,
    pub agency: String,
    pub report_no: String,
    pub grade: String,
    pub notes: String,
    #[serde(flatten)]
    pub supervision: SuperviseDraft,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appraisal {
    pub appraised_on: NaiveDate,
    pub agency: String,
    pub report_no: String,
    pub grade: Grade,
    pub notes: String,
    /// The supervised hazard's five items: present exactly when the grade is D.
    pub supervision: Option<Supervision>,
}

/// Neither in the future nor before the building was built; a D grade needs the five items
/// of its supervised hazard (their deadline not before the appraisal, nor already past).
pub fn validate_appraisal(
    d: &AppraisalDraft,
    year_built: i32,
    today: NaiveDate,
) -> Result<Appraisal, Vec<FieldError>> {
    let mut e = Errors::default();
    let appraised_on = match e.date("appraised_on", &d.appraised_on, true) {
        Some(day) if day > today => {
            e.add("appraised_on", "buildings.error.appraised_future");
            None
        }
        Some(day) if day.year() < year_built => {
            e.0.push(FieldError {
                field: "appraised_on",
                message: "buildings.error.before_built",
                arg: Some(year_built.to_string()),
            });
            None
        }
        day => day,
    };
    let agency = e.text("agency", &d.agency, true, AGENCY_MAX);
    let report_no = e.text("report_no", &d.report_no, true, REPORT_NO_MAX);
    let grade = e.choice::<Grade>("grade", &d.grade);
    let notes = e.text("notes", &d.notes, false, TEXT_MAX);
    let supervision = match grade {
        Some(Grade::D) => {
            let from = appraised_on.unwrap_or(today);
            match validate_supervision(&d.supervision, from, today) {
                Ok(s) => Some(s),
                Err(fields) => {
                    e.0.extend(fields);
                    None
                }
            }
        }
        _ => None,
    };
    match (appraised_on, grade) {
        (Some(appraised_on), Some(grade)) if e.is_empty() => Ok(Appraisal {
            appraised_on,
            agency,
            report_no,
            grade,
            notes,
            supervision,
        }),
        _ => Err(e.0),
    }
}

/// A disposal step as typed; each action reads the fields it needs.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TransitionDraft {
    pub method: String,
    pub deadline: String,
    pub funding: String,
    pub measures: String,
    pub comment: String,
}

/// The checked fields of one step; `None` where the action does not set a field.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transition {
    pub method: Option<Method>,
    pub deadline: Option<NaiveDate>,
    pub funding: Option<String>,
    pub measures: Option<String>,
    pub comment: Option<String>,
}

/// Whether a step must say why (a return).
pub fn comment_required(action: BuildingAction) -> bool {
    action == BuildingAction::Return
}

fn some(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

/// Checks the fields `action` needs. A plan's deadline is today or later (`today` is the app
/// clock's).
pub fn validate_transition(
    action: BuildingAction,
    d: &TransitionDraft,
    today: NaiveDate,
) -> Result<Transition, Vec<FieldError>> {
    let mut e = Errors::default();
    let comment = some(e.text("comment", &d.comment, comment_required(action), TEXT_MAX));
    let mut t = Transition {
        comment,
        ..Default::default()
    };
    match action {
        BuildingAction::Plan => {
            t.method = e.choice::<Method>("method", &d.method);
            t.deadline = match parse_date(&d.deadline) {
                Some(day) if day < today => {
                    e.add("deadline", "hazards.error.deadline_past");
                    None
                }
                Some(day) => Some(day),
                None if d.deadline.trim().is_empty() => {
                    e.add("deadline", "error.required");
                    None
                }
                None => {
                    e.add("deadline", "error.date_format");
                    None
                }
            };
            t.funding = some(e.text("funding", &d.funding, true, FUNDING_MAX));
        }
        BuildingAction::ReportDone => {
            t.measures = some(e.text("measures", &d.measures, true, TEXT_MAX));
        }
        BuildingAction::Accept | BuildingAction::Return => {}
    }
    e.into_result(t)
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;
