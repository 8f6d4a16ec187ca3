//! The security section's figures for a month (CONTRACT's `security`): how many schools meet
//! each item of the "4 × 100%" and all four as of the month's last instant, the guards they
//! need and have, and the alarm tests recorded in the month.
//!
//! A school's standing at an instant is replayed from its security trail (guards added and
//! leaving, each profile recorded); the current month reads the same facts off the rows. Either
//! way the arithmetic is `figures`, so the two cannot count differently.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::compliance::{Provision, SchoolFacts, Tally, ticks};

/// The section's counts (CONTRACT's keys, flattened into the JSON).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    #[serde(flatten)]
    pub tally: Tally,
    pub alarm_tests_in_month: i64,
    pub alarm_tests_failed_in_month: i64,
}

/// One school as a month's report counts it: its facts at the month's end and its alarm tests
/// recorded in the month.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SchoolMonth {
    pub school_id: i64,
    pub facts: SchoolFacts,
    pub alarm_tests: i64,
    pub alarm_tests_failed: i64,
}

/// The profile as one recording stated it: every provision verified on the same day.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ProfileStated {
    pub closed_management: bool,
    pub alarm_linked: bool,
    pub video_linked: bool,
    pub guard_post: bool,
    pub verified_on: Option<NaiveDate>,
}

/// What a step of a school's security trail did, as far as the report cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    AddGuard { guard: i64, full_time: bool },
    GuardLeft { guard: i64 },
    Profile(ProfileStated),
    AlarmTest { failed: bool },
}

/// A school as it stood just before `to` after these steps (in time order), with the alarm
/// tests recorded in [from, to).
pub fn school_month(
    school_id: i64,
    guards_required: i64,
    steps: &[(NaiveDateTime, Step)],
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> SchoolMonth {
    let mut full_time: BTreeMap<i64, bool> = BTreeMap::new();
    let mut profile = ProfileStated::default();
    let (mut tests, mut failed) = (0, 0);
    for (at, step) in steps.iter().take_while(|(at, _)| *at < to) {
        match *step {
            Step::AddGuard {
                guard,
                full_time: f,
            } => {
                full_time.insert(guard, f);
            }
            Step::GuardLeft { guard } => {
                full_time.remove(&guard);
            }
            Step::Profile(p) => profile = p,
            Step::AlarmTest { failed: f } if *at >= from => {
                tests += 1;
                failed += i64::from(f);
            }
            Step::AlarmTest { .. } => {}
        }
    }
    let provision = |in_place| Provision {
        in_place,
        verified_on: profile.verified_on,
    };
    SchoolMonth {
        school_id,
        facts: SchoolFacts {
            guards_required,
            guards_in_post: full_time.values().filter(|f| **f).count() as i64,
            closed_management: provision(profile.closed_management),
            alarm_linked: provision(profile.alarm_linked),
            video_linked: provision(profile.video_linked),
            guard_post: provision(profile.guard_post),
        },
        alarm_tests: tests,
        alarm_tests_failed: failed,
    }
}

/// The figures of these schools, verifications judged on `last_day` against `valid_days`.
pub fn figures<'a>(
    schools: impl IntoIterator<Item = &'a SchoolMonth>,
    valid_days: i64,
    last_day: NaiveDate,
) -> Figures {
    let mut f = Figures::default();
    for s in schools {
        f.tally
            .add(&s.facts, &ticks(&s.facts, valid_days, last_day));
        f.alarm_tests_in_month += s.alarm_tests;
        f.alarm_tests_failed_in_month += s.alarm_tests_failed;
    }
    f
}

/// The figures per unit (township or school), every unit listed, those without schools too.
pub fn by_unit(
    schools: &[SchoolMonth],
    unit_of: impl Fn(i64) -> String,
    units: impl IntoIterator<Item = String>,
    valid_days: i64,
    last_day: NaiveDate,
) -> BTreeMap<String, Figures> {
    let mut groups: BTreeMap<String, Vec<&SchoolMonth>> =
        units.into_iter().map(|u| (u, Vec::new())).collect();
    for s in schools {
        groups.entry(unit_of(s.school_id)).or_default().push(s);
    }
    groups
        .into_iter()
        .map(|(u, ss)| (u, figures(ss, valid_days, last_day)))
        .collect()
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
