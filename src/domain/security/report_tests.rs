use chrono::{Duration, NaiveDate, NaiveDateTime};

use super::*;

fn day(s: &str) -> NaiveDate {
    crate::domain::validate::parse_date(s).unwrap_or_default()
}

fn at(s: &str) -> NaiveDateTime {
    day(s).and_hms_opt(2, 0, 0).unwrap_or_default()
}

/// March 2026 in UTC, as the report's window.
fn march() -> (NaiveDateTime, NaiveDateTime) {
    (at("2026-03-01"), at("2026-04-01"))
}

fn all_in_place(on: &str) -> Step {
    Step::Profile(ProfileStated {
        closed_management: true,
        alarm_linked: true,
        video_linked: true,
        guard_post: true,
        verified_on: Some(day(on)),
    })
}

/// A school's trail in time order, with the guards its pupils then required.
#[derive(Clone, Debug, Default)]
struct Trail {
    school_id: i64,
    guards_required: i64,
    steps: Vec<(NaiveDateTime, Step)>,
}

impl Trail {
    fn month(&self, window: (NaiveDateTime, NaiveDateTime)) -> SchoolMonth {
        school_month(self.school_id, self.guards_required, &self.steps, window)
    }
}

/// A trail of these steps, put in time order as the store hands them over.
fn trail(required: i64, steps: Vec<(&str, Step)>) -> Trail {
    let mut steps: Vec<(NaiveDateTime, Step)> =
        steps.into_iter().map(|(d, s)| (at(d), s)).collect();
    steps.sort_by_key(|(at, _)| *at);
    Trail {
        school_id: 1,
        guards_required: required,
        steps,
    }
}

#[test]
fn a_school_stands_at_the_months_end_as_its_trail_left_it() {
    let t = trail(
        2,
        vec![
            (
                "2026-02-10",
                Step::AddGuard {
                    guard: 1,
                    full_time: true,
                },
            ),
            (
                "2026-02-11",
                Step::AddGuard {
                    guard: 2,
                    full_time: false,
                },
            ),
            (
                "2026-03-05",
                Step::AddGuard {
                    guard: 3,
                    full_time: true,
                },
            ),
            ("2026-03-20", Step::GuardLeft { guard: 1 }),
            (
                "2026-03-21",
                Step::AddGuard {
                    guard: 4,
                    full_time: true,
                },
            ),
            ("2026-04-02", Step::GuardLeft { guard: 4 }),
            ("2026-02-01", all_in_place("2026-02-01")),
        ],
    );
    let m = t.month(march());
    assert_eq!(
        m.facts.guards_in_post, 2,
        "guards 3 and 4, the part-timer not counted"
    );
    assert_eq!(m.facts.guards_required, 2);
    assert!(m.facts.guard_post.in_place);
    assert_eq!(
        m.facts.closed_management.verified_on,
        Some(day("2026-02-01"))
    );
    let feb = t.month((at("2026-02-01"), at("2026-03-01")));
    assert_eq!(feb.facts.guards_in_post, 1, "before March's changes");
}

#[test]
fn the_last_profile_recorded_before_the_end_is_the_one_that_counts() {
    let mut off = ProfileStated {
        closed_management: true,
        verified_on: Some(day("2026-03-10")),
        ..Default::default()
    };
    off.guard_post = false;
    let t = trail(
        1,
        vec![
            ("2026-02-01", all_in_place("2026-02-01")),
            ("2026-03-10", Step::Profile(off)),
            ("2026-04-01", all_in_place("2026-04-01")),
        ],
    );
    let m = t.month(march());
    assert!(m.facts.closed_management.in_place);
    assert!(!m.facts.alarm_linked.in_place);
    assert!(!m.facts.guard_post.in_place);
    // The window's end is exclusive: what was written at its very instant is next month's.
    assert_eq!(
        m.facts.closed_management.verified_on,
        Some(day("2026-03-10"))
    );
}

#[test]
fn only_the_months_alarm_tests_count_and_the_failed_among_them() {
    let t = trail(
        1,
        vec![
            ("2026-02-28", Step::AlarmTest { failed: true }),
            ("2026-03-01", Step::AlarmTest { failed: false }),
            ("2026-03-15", Step::AlarmTest { failed: true }),
            ("2026-03-31", Step::AlarmTest { failed: false }),
            ("2026-04-01", Step::AlarmTest { failed: true }),
        ],
    );
    let m = t.month(march());
    assert_eq!((m.alarm_tests, m.alarm_tests_failed), (3, 1));
}

#[test]
fn a_school_without_a_trail_meets_only_what_needs_nothing() {
    let m = trail(0, vec![]).month(march());
    let f = figures([&m], 180, day("2026-03-31"));
    assert_eq!(f.tally.schools, 1);
    assert_eq!(f.tally.meet_guards, 1, "none required, none in post");
    assert_eq!(
        (
            f.tally.meet_closed_management,
            f.tally.meet_alarm_video,
            f.tally.meet_guard_post,
            f.tally.meet_all_four
        ),
        (0, 0, 0, 0)
    );
}

#[test]
fn figures_add_every_school_and_judge_verifications_on_the_last_day() {
    let full = trail(
        1,
        vec![
            (
                "2026-03-02",
                Step::AddGuard {
                    guard: 1,
                    full_time: true,
                },
            ),
            ("2026-03-02", all_in_place("2026-03-02")),
            ("2026-03-03", Step::AlarmTest { failed: false }),
        ],
    )
    .month(march());
    // Verified 181 days before 31 March: lapsed by the month's end, not earlier.
    let lapsing = Trail {
        school_id: 2,
        ..trail(
            2,
            vec![
                ("2025-10-01", all_in_place("2025-10-01")),
                ("2026-03-04", Step::AlarmTest { failed: true }),
            ],
        )
    }
    .month(march());
    let last_day = day("2026-03-31");
    let f = figures([&full, &lapsing], 180, last_day);
    assert_eq!(
        f,
        Figures {
            tally: Tally {
                schools: 2,
                guards_required: 3,
                guards_in_post: 1,
                meet_guards: 1,
                meet_closed_management: 1,
                meet_alarm_video: 1,
                meet_guard_post: 1,
                meet_all_four: 1,
            },
            alarm_tests_in_month: 2,
            alarm_tests_failed_in_month: 1,
        }
    );
    let earlier = figures([&full, &lapsing], 180, last_day - Duration::days(2));
    assert_eq!(earlier.tally.meet_closed_management, 2);
}

#[test]
fn every_unit_is_listed_even_without_schools() {
    let a = trail(0, vec![]).month(march());
    let b = Trail {
        school_id: 2,
        ..trail(0, vec![])
    }
    .month(march());
    let units = by_unit(
        &[a, b],
        |id| {
            if id == 1 {
                "辰阳镇".into()
            } else {
                "孝坪镇".into()
            }
        },
        ["辰阳镇".to_string(), "孝坪镇".into(), "田湾镇".into()],
        180,
        day("2026-03-31"),
    );
    let schools: Vec<(&str, i64)> = units
        .iter()
        .map(|(k, f)| (k.as_str(), f.tally.schools))
        .collect();
    assert_eq!(schools, [("孝坪镇", 1), ("田湾镇", 0), ("辰阳镇", 1)]);
}

#[test]
fn the_json_names_contracts_keys_flat() {
    let v = serde_json::to_value(Figures::default()).unwrap_or_default();
    let mut keys: Vec<&str> = v
        .as_object()
        .map(|o| o.keys().map(String::as_str).collect())
        .unwrap_or_default();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "alarm_tests_failed_in_month",
            "alarm_tests_in_month",
            "guards_in_post",
            "guards_required",
            "meet_alarm_video",
            "meet_all_four",
            "meet_closed_management",
            "meet_guard_post",
            "meet_guards",
            "schools",
        ]
    );
}
