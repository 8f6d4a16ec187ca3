//! The bullying section's counts for a month (CONTRACT's `bullying`), as of the month's last
//! instant, replayed from each case's trail: cases reported in the month, determined bullying
//! in the month, open at its end, investigations overdue at its end, and screenings recorded in
//! it. Counts only: a case is a number here, never a name.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};

use super::{BullyingEvent, Determination, State, clock};

/// CONTRACT's keys.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub reported_in_month: i64,
    pub determined_bullying_in_month: i64,
    pub open: i64,
    pub investigations_overdue: i64,
    pub screenings_in_month: i64,
}

/// One step of a case's trail, as far as the report cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: NaiveDateTime,
    pub event: BullyingEvent,
    /// The state the step left the case in (none for a detail added).
    pub to: Option<State>,
    /// The determination the step made (determine; a re-examination that changed it).
    pub determination: Option<Determination>,
    /// The investigation's deadline the step set (accept).
    pub deadline: Option<NaiveDate>,
}

/// A case's trail in time order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct History {
    pub school_id: i64,
    pub steps: Vec<Step>,
}

/// What a case contributes to a window [from, to), judged overdue on `last_day`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    pub reported: bool,
    pub determined_bullying: bool,
    pub open: bool,
    pub overdue: bool,
}

impl History {
    pub fn counted(
        &self,
        (from, to): (NaiveDateTime, NaiveDateTime),
        last_day: NaiveDate,
    ) -> Counted {
        let mut c = Counted::default();
        let mut state = None;
        let mut deadline = None;
        for s in self.steps.iter().take_while(|s| s.at < to) {
            let within = s.at >= from;
            if s.event == BullyingEvent::Report {
                c.reported |= within;
            }
            if within && s.determination == Some(Determination::Bullying) {
                c.determined_bullying = true;
            }
            if let Some(d) = s.deadline {
                deadline = Some(d);
            }
            if let Some(t) = s.to {
                state = Some(t);
            }
        }
        if let Some(state) = state {
            c.open = state.is_open();
            c.overdue = clock::overdue(state, deadline, last_day);
        }
        c
    }
}

/// The figures of these cases, with the screenings recorded in the window.
pub fn figures<'a>(
    cases: impl IntoIterator<Item = &'a History>,
    screenings: i64,
    window: (NaiveDateTime, NaiveDateTime),
    last_day: NaiveDate,
) -> Figures {
    let mut f = Figures {
        screenings_in_month: screenings,
        ..Figures::default()
    };
    for h in cases {
        let c = h.counted(window, last_day);
        f.reported_in_month += i64::from(c.reported);
        f.determined_bullying_in_month += i64::from(c.determined_bullying);
        f.open += i64::from(c.open);
        f.investigations_overdue += i64::from(c.overdue);
    }
    f
}

/// The figures per unit, every unit listed; `screenings` gives each school's count.
pub fn by_unit(
    cases: &[History],
    screenings: &BTreeMap<i64, i64>,
    unit_of: impl Fn(i64) -> String,
    units: impl IntoIterator<Item = String>,
    window: (NaiveDateTime, NaiveDateTime),
    last_day: NaiveDate,
) -> BTreeMap<String, Figures> {
    let mut groups: BTreeMap<String, (Vec<&History>, i64)> =
        units.into_iter().map(|u| (u, (Vec::new(), 0))).collect();
    for h in cases {
        groups.entry(unit_of(h.school_id)).or_default().0.push(h);
    }
    for (school, n) in screenings {
        groups.entry(unit_of(*school)).or_default().1 += n;
    }
    groups
        .into_iter()
        .map(|(u, (hs, n))| (u, figures(hs, n, window, last_day)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn day(s: &str) -> NaiveDate {
        crate::domain::validate::parse_date(s).unwrap_or_default()
    }

    fn step(when: &str, event: BullyingEvent, to: Option<State>) -> Step {
        Step {
            at: at(when),
            event,
            to,
            determination: None,
            deadline: None,
        }
    }

    const MARCH: (&str, &str) = ("2026-03-01 00:00", "2026-04-01 00:00");

    fn march() -> (NaiveDateTime, NaiveDateTime) {
        (at(MARCH.0), at(MARCH.1))
    }

    fn case(steps: Vec<Step>) -> History {
        History {
            school_id: 1,
            steps,
        }
    }

    #[test]
    fn a_case_reported_accepted_and_left_past_its_deadline_is_overdue_at_the_end() {
        let mut accept = step(
            "2026-03-02 09:00",
            BullyingEvent::Accept,
            Some(State::Investigating),
        );
        accept.deadline = Some(day("2026-03-12"));
        let h = case(vec![
            step(
                "2026-03-01 09:00",
                BullyingEvent::Report,
                Some(State::Reported),
            ),
            accept,
            step("2026-03-03 09:00", BullyingEvent::AddParty, None),
        ]);
        let c = h.counted(march(), day("2026-03-31"));
        assert_eq!(
            c,
            Counted {
                reported: true,
                determined_bullying: false,
                open: true,
                overdue: true
            }
        );
        assert!(
            !h.counted(march(), day("2026-03-12")).overdue,
            "on the deadline"
        );
    }

    #[test]
    fn a_determination_counts_in_its_month_and_a_closed_case_is_not_open() {
        let mut determine = step(
            "2026-03-05 09:00",
            BullyingEvent::Determine,
            Some(State::Determined),
        );
        determine.determination = Some(Determination::Bullying);
        let h = case(vec![
            step(
                "2026-02-20 09:00",
                BullyingEvent::Report,
                Some(State::Reported),
            ),
            step(
                "2026-02-21 09:00",
                BullyingEvent::Accept,
                Some(State::Investigating),
            ),
            determine,
            step(
                "2026-03-20 09:00",
                BullyingEvent::FollowUp,
                Some(State::FollowUp),
            ),
            step(
                "2026-04-02 09:00",
                BullyingEvent::Close,
                Some(State::Closed),
            ),
        ]);
        let m = h.counted(march(), day("2026-03-31"));
        assert!(!m.reported && m.determined_bullying && m.open);
        let april = h.counted(
            (at("2026-04-01 00:00"), at("2026-05-01 00:00")),
            day("2026-04-30"),
        );
        assert!(!april.open && !april.determined_bullying);
    }

    #[test]
    fn a_case_not_reported_yet_counts_nowhere_and_units_are_all_listed() {
        let later = History {
            school_id: 2,
            steps: vec![step(
                "2026-04-03 09:00",
                BullyingEvent::Report,
                Some(State::Reported),
            )],
        };
        let now = case(vec![step(
            "2026-03-03 09:00",
            BullyingEvent::Report,
            Some(State::Reported),
        )]);
        let screenings = BTreeMap::from([(2, 3)]);
        let units = by_unit(
            &[now, later],
            &screenings,
            |s| {
                if s == 1 {
                    "辰阳镇".into()
                } else {
                    "孝坪镇".into()
                }
            },
            ["辰阳镇".to_string(), "孝坪镇".into(), "田湾镇".into()],
            march(),
            day("2026-03-31"),
        );
        let got: Vec<(&str, i64, i64, i64)> = units
            .iter()
            .map(|(k, f)| {
                (
                    k.as_str(),
                    f.reported_in_month,
                    f.open,
                    f.screenings_in_month,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("孝坪镇", 0, 0, 3),
                ("田湾镇", 0, 0, 0),
                ("辰阳镇", 1, 1, 0)
            ]
        );
    }
}
