//! The buildings' monthly figures "as of" the last instant of a month, from each building's
//! trail, so a past month reads the same whatever happened since (CONTRACT's `buildings`).
//!
//! Definitions: a building counts (`total`, `by_grade`) from its registration until it is
//! demolished; its grade is its latest appraisal's (`none` before the first);
//! `dangerous_open` is C or D and neither demolished nor reinforced; an appraisal is overdue
//! on the month's last day when its due date lies before that day.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{Grade, Status, appraisal_overdue, rules};

/// One step of a building's trail, as the report needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: NaiveDateTime,
    /// The status the step left the building in.
    pub status: Status,
    /// The grade an appraisal set (None for other steps: the grade stays).
    pub grade: Option<Grade>,
    /// The next appraisal's due date an appraisal set (an appraisal of D clears it).
    pub due: Option<NaiveDate>,
    /// An appraisal: it sets `grade` and `due`.
    pub appraisal: bool,
}

/// A building's steps, oldest first, with the unit (township or school) it is counted under.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    pub school_id: i64,
    pub steps: Vec<Step>,
}

/// How a building stood at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub status: Status,
    pub grade: Option<Grade>,
    pub due: Option<NaiveDate>,
}

impl History {
    /// How it stood just before `at`; None when it was not registered yet.
    pub fn at(&self, at: NaiveDateTime) -> Option<Standing> {
        let mut now: Option<Standing> = None;
        for s in self.steps.iter().take_while(|s| s.at < at) {
            let before = now.unwrap_or(Standing {
                status: s.status,
                grade: None,
                due: None,
            });
            now = Some(if s.appraisal {
                Standing {
                    status: s.status,
                    grade: s.grade,
                    due: s.due,
                }
            } else {
                Standing {
                    status: s.status,
                    ..before
                }
            });
        }
        now
    }

    /// Whether a step within [from, to) moved it to `status`.
    fn moved_to(&self, status: Status, from: NaiveDateTime, to: NaiveDateTime) -> bool {
        self.steps
            .iter()
            .any(|s| s.at >= from && s.at < to && s.status == status && !s.appraisal)
    }
}

/// A building as its row stands now, with the disposals accepted since a month began: what
/// the current month needs, read without its whole trail. The row is what the trail left it
/// (each write sets both in one transaction), so its history reads the same as the replay's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Current {
    pub school_id: i64,
    pub standing: Standing,
    /// When each acceptance in the period was, and what it left the building (demolished or
    /// reinforced).
    pub accepted: Vec<(NaiveDateTime, Status)>,
}

impl Current {
    /// The history the month's figures read at `now`: the period's acceptances in time order,
    /// then the row's standing as one step at `now` that sets status, grade and due date alike
    /// (as an appraisal does, so it is not itself counted as a move).
    pub fn history(&self, now: NaiveDateTime) -> History {
        let mut accepted = self.accepted.clone();
        accepted.sort();
        let mut steps: Vec<Step> = accepted
            .into_iter()
            .filter(|(at, _)| *at <= now)
            .map(|(at, status)| Step {
                at,
                status,
                grade: None,
                due: None,
                appraisal: false,
            })
            .collect();
        steps.push(Step {
            at: now,
            status: self.standing.status,
            grade: self.standing.grade,
            due: self.standing.due,
            appraisal: true,
        });
        History {
            school_id: self.school_id,
            steps,
        }
    }
}

/// The counts by grade, `none` for a building never appraised (CONTRACT's keys).
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct ByGrade {
    #[serde(rename = "A")]
    pub a: i64,
    #[serde(rename = "B")]
    pub b: i64,
    #[serde(rename = "C")]
    pub c: i64,
    #[serde(rename = "D")]
    pub d: i64,
    pub none: i64,
}

impl ByGrade {
    fn add(&mut self, g: Option<Grade>) {
        match g {
            Some(Grade::A) => self.a += 1,
            Some(Grade::B) => self.b += 1,
            Some(Grade::C) => self.c += 1,
            Some(Grade::D) => self.d += 1,
            None => self.none += 1,
        }
    }

    /// The counts in the order the report lists them, `none` last.
    pub fn lines(&self) -> [(Option<Grade>, i64); 5] {
        [
            (Some(Grade::A), self.a),
            (Some(Grade::B), self.b),
            (Some(Grade::C), self.c),
            (Some(Grade::D), self.d),
            (None, self.none),
        ]
    }
}

/// A month's figures for a set of buildings.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub total: i64,
    pub by_grade: ByGrade,
    pub dangerous_open: i64,
    pub demolished_in_month: i64,
    pub reinforced_in_month: i64,
    pub appraisals_overdue: i64,
}

/// The figures of the month [from, to) whose last day is `last_day`.
pub fn figures<'a>(
    histories: impl IntoIterator<Item = &'a History>,
    (from, to): (NaiveDateTime, NaiveDateTime),
    last_day: NaiveDate,
) -> Figures {
    let mut f = Figures::default();
    for h in histories {
        if h.moved_to(Status::Demolished, from, to) {
            f.demolished_in_month += 1;
        }
        if h.moved_to(Status::Reinforced, from, to) {
            f.reinforced_in_month += 1;
        }
        let Some(s) = h.at(to) else { continue };
        if s.status == Status::Demolished {
            continue;
        }
        f.total += 1;
        f.by_grade.add(s.grade);
        if rules::dangerous_open(s.grade, s.status) {
            f.dangerous_open += 1;
        }
        if appraisal_overdue(s.status, s.due, last_day) {
            f.appraisals_overdue += 1;
        }
    }
    f
}

/// The figures per unit (every unit named, those with nothing too), for the report's lines.
pub fn by_unit<'a>(
    histories: &'a [History],
    unit_of: impl Fn(i64) -> String,
    units: impl IntoIterator<Item = String>,
    window: (NaiveDateTime, NaiveDateTime),
    last_day: NaiveDate,
) -> BTreeMap<String, Figures> {
    let mut groups: BTreeMap<String, Vec<&'a History>> =
        units.into_iter().map(|u| (u, Vec::new())).collect();
    for h in histories {
        groups.entry(unit_of(h.school_id)).or_default().push(h);
    }
    groups
        .into_iter()
        .map(|(u, hs)| (u, figures(hs, window, last_day)))
        .collect()
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
