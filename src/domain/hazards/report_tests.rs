//! The as-of arithmetic on hand-made histories.

use super::*;
use crate::domain::month::Month;
use chrono::Duration;

fn month(s: &str) -> Month {
    Month::parse(s).unwrap_or(Month {
        year: 1999,
        month: 1,
    })
}

/// A Shanghai wall-clock time as stored (UTC).
fn at(s: &str) -> NaiveDateTime {
    let local = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default();
    local - Duration::hours(8)
}

fn step(when: &str, action: &str, to: Option<State>, deadline: Option<&str>) -> Step {
    Step {
        at: at(when),
        act: HazardEvent::parse(action)
            .map(Act::of)
            .unwrap_or(Act::Other),
        to_state: to,
        deadline: deadline.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
    }
}

fn history(steps: Vec<Step>) -> History {
    History {
        keys: Keys {
            school_id: 1,
            source: Source::Campus,
            category: Category::Fire,
            level: Level::General,
        },
        steps,
    }
}

fn of(m: &str, hs: &[History]) -> Figures {
    let (from, to) = month(m).bounds_utc();
    figures(hs, from, to)
}

#[test]
fn a_hazard_created_in_one_month_and_closed_in_another() {
    let h = history(vec![
        step("2026-03-30 10:00", "report", Some(State::Reported), None),
        step(
            "2026-03-31 09:00",
            "register",
            Some(State::Registered),
            None,
        ),
        step(
            "2026-03-31 10:00",
            "assign",
            Some(State::Rectifying),
            Some("2026-04-10"),
        ),
        step(
            "2026-04-08 10:00",
            "submit",
            Some(State::AwaitingAcceptance),
            None,
        ),
        step("2026-04-09 10:00", "accept", Some(State::Closed), None),
    ]);
    let march = of("2026-03", std::slice::from_ref(&h));
    assert_eq!(
        (
            march.found,
            march.closed,
            march.open_at_end,
            march.overdue_at_end
        ),
        (1, 0, 1, 0)
    );
    assert_eq!(march.closure_rate, Some(0.0));
    let april = of("2026-04", std::slice::from_ref(&h));
    assert_eq!((april.found, april.closed, april.open_at_end), (0, 1, 0));
    assert_eq!(april.closure_rate, Some(1.0));
    assert_eq!(april.median_days_to_close, Some(10.0));
}

#[test]
fn the_last_instant_of_the_month_is_shanghais() {
    // Dismissed at 00:30 on 1 April in the county, which is still 31 March in UTC: April's.
    let h = history(vec![
        step("2026-03-01 08:00", "report", Some(State::Reported), None),
        step("2026-04-01 00:30", "dismiss", Some(State::Dismissed), None),
    ]);
    let march = of("2026-03", std::slice::from_ref(&h));
    assert_eq!(
        march.open_at_end, 1,
        "dismissed after midnight local time: still open in March"
    );
    assert_eq!(of("2026-04", std::slice::from_ref(&h)).open_at_end, 0);
}

#[test]
fn a_hazard_reopened_after_closure_is_open_again_and_counted_closed_once_per_month() {
    let h = history(vec![
        step("2026-01-05 10:00", "report", Some(State::Reported), None),
        step(
            "2026-01-05 11:00",
            "register",
            Some(State::Registered),
            None,
        ),
        step(
            "2026-01-06 10:00",
            "assign",
            Some(State::Rectifying),
            Some("2026-01-20"),
        ),
        step(
            "2026-01-10 10:00",
            "submit",
            Some(State::AwaitingAcceptance),
            None,
        ),
        step("2026-01-11 10:00", "accept", Some(State::Closed), None),
        step(
            "2026-02-15 10:00",
            "reopen",
            Some(State::Rectifying),
            Some("2026-02-20"),
        ),
        step(
            "2026-02-18 10:00",
            "submit",
            Some(State::AwaitingAcceptance),
            None,
        ),
        step("2026-02-19 10:00", "return", Some(State::Rectifying), None),
    ]);
    let jan = of("2026-01", std::slice::from_ref(&h));
    assert_eq!((jan.closed, jan.open_at_end), (1, 0));
    let feb = of("2026-02", std::slice::from_ref(&h));
    assert_eq!(
        (feb.found, feb.closed, feb.open_at_end, feb.overdue_at_end),
        (0, 0, 1, 1),
        "reopened, past its new deadline"
    );
    // January reads the same after February's events.
    assert_eq!(of("2026-01", std::slice::from_ref(&h)), jan);
}

#[test]
fn many_moves_within_a_month_count_by_where_they_end() {
    let h = history(vec![
        step("2026-05-01 09:00", "report", Some(State::Reported), None),
        step(
            "2026-05-02 09:00",
            "register",
            Some(State::Registered),
            None,
        ),
        step(
            "2026-05-03 09:00",
            "assign",
            Some(State::Rectifying),
            Some("2026-05-05"),
        ),
        step(
            "2026-05-04 09:00",
            "submit",
            Some(State::AwaitingAcceptance),
            None,
        ),
        step("2026-05-05 09:00", "return", Some(State::Rectifying), None),
        step("2026-05-06 09:00", "supervise", None, Some("2026-06-30")),
        step(
            "2026-05-07 09:00",
            "submit",
            Some(State::AwaitingAcceptance),
            None,
        ),
    ]);
    let may = of("2026-05", std::slice::from_ref(&h));
    assert_eq!(
        (may.found, may.closed, may.open_at_end, may.supervised_open),
        (1, 0, 1, 1)
    );
    assert_eq!(
        may.overdue_at_end, 0,
        "supervision moved the deadline to June"
    );
}

#[test]
fn dismissed_duplicate_and_referred_are_neither_open_nor_in_the_rate() {
    let ended = |action: &str, s: State| {
        history(vec![
            step("2026-07-01 09:00", "report", Some(State::Reported), None),
            step("2026-07-02 09:00", action, Some(s), None),
        ])
    };
    let hs = [
        ended("dismiss", State::Dismissed),
        ended("mark_duplicate", State::Duplicate),
        ended("refer", State::Referred),
    ];
    let f = of("2026-07", &hs);
    assert_eq!((f.found, f.open_at_end, f.closure_rate), (3, 0, None));
}

#[test]
fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
    let closed = |days: i64| {
        let r = at("2026-08-01 00:00");
        history(vec![
            Step {
                at: r,
                act: Act::Report,
                to_state: Some(State::Reported),
                deadline: None,
            },
            Step {
                at: r + Duration::days(days),
                act: Act::Accept,
                to_state: Some(State::Closed),
                deadline: None,
            },
        ])
    };
    let hs = [closed(2), closed(4), closed(10), closed(20)];
    assert_eq!(of("2026-08", &hs).median_days_to_close, Some(7.0));
}

/// The row a trail leaves behind: its last state, deadline and supervision.
fn row_of(h: &History) -> Current {
    let never = at("2100-01-01 00:00");
    Current {
        keys: h.keys.clone(),
        reported_at: h.reported_at().unwrap_or(never),
        state: h.state_at(never).unwrap_or(State::Reported),
        deadline: h.deadline_at(never),
        supervised: h.supervised_at(never),
        accepts: h
            .steps
            .iter()
            .filter(|s| s.act == Act::Accept)
            .map(|s| s.at)
            .collect(),
    }
}

#[test]
fn a_row_as_it_stands_reads_like_its_trail_for_windows_that_end_now() {
    let reopened = history(vec![
        step("2026-01-05 10:00", "report", Some(State::Reported), None),
        step(
            "2026-01-06 10:00",
            "assign",
            Some(State::Rectifying),
            Some("2026-01-20"),
        ),
        step("2026-01-11 10:00", "accept", Some(State::Closed), None),
        step(
            "2026-02-15 10:00",
            "reopen",
            Some(State::Rectifying),
            Some("2026-02-20"),
        ),
        step("2026-02-16 10:00", "supervise", None, Some("2026-03-20")),
    ]);
    let closed_twice = history(vec![
        step("2026-01-02 10:00", "report", Some(State::Reported), None),
        step("2026-01-03 10:00", "accept", Some(State::Closed), None),
        step(
            "2026-02-01 10:00",
            "reopen",
            Some(State::Rectifying),
            Some("2026-02-09"),
        ),
        step("2026-02-10 10:00", "accept", Some(State::Closed), None),
    ]);
    let dismissed = history(vec![
        step("2026-02-27 10:00", "report", Some(State::Reported), None),
        step("2026-02-28 10:00", "dismiss", Some(State::Dismissed), None),
    ]);
    let trails = [reopened, closed_twice, dismissed];
    let rows: Vec<Current> = trails.iter().map(row_of).collect();
    for now in ["2026-02-28 12:00", "2026-03-15 12:00", "2026-03-31 23:59"] {
        let now = at(now);
        for from in [
            Month::of(crate::domain::time::local_date(now))
                .bounds_utc()
                .0,
            at("2026-01-01 00:00"),
        ] {
            assert_eq!(figures(&rows, from, now), figures(&trails, from, now));
        }
    }
    let feb = figures(&rows, at("2026-02-01 00:00"), at("2026-02-28 12:00"));
    assert_eq!((feb.found, feb.closed, feb.open_at_end), (1, 1, 1));
    let year = figures(&rows, at("2026-01-01 00:00"), at("2026-02-28 12:00"));
    assert_eq!(year.closed, 2, "each hazard closed once in the window");
}

#[test]
fn the_closure_rate_counts_only_the_months_closures_and_has_nothing_to_divide_when_empty() {
    // Closed in March; another reported in April and still open at April's end.
    let closed_in_march = history(vec![
        step("2026-03-01 09:00", "report", Some(State::Reported), None),
        step(
            "2026-03-02 09:00",
            "register",
            Some(State::Registered),
            None,
        ),
        step("2026-03-03 09:00", "accept", Some(State::Closed), None),
    ]);
    let open_in_april = history(vec![step(
        "2026-04-02 09:00",
        "report",
        Some(State::Reported),
        None,
    )]);
    let hs = [closed_in_march, open_in_april];
    let april = of("2026-04", &hs);
    assert_eq!((april.closed, april.open_at_end), (0, 1));
    assert_eq!(
        april.closure_rate,
        Some(0.0),
        "0 closed this month reads 0%, not March's closure carried over"
    );
    assert_eq!(of("2026-03", &hs).closure_rate, Some(1.0));
    assert_eq!(of("2026-02", &hs).closure_rate, None, "an empty month: —");
    assert_eq!(
        closure_rate(1, 2).map(|r| (r * 1000.0).round()),
        Some(333.0)
    );
    assert_eq!(closure_rate(0, 0), None);
}

#[test]
fn a_hazard_closed_and_reopened_in_the_month_counts_once_as_open_in_the_rate() {
    let h = history(vec![
        step("2026-05-02 09:00", "report", Some(State::Reported), None),
        step("2026-05-03 09:00", "accept", Some(State::Closed), None),
        step(
            "2026-05-20 09:00",
            "reopen",
            Some(State::Rectifying),
            Some("2026-06-10"),
        ),
    ]);
    let may = of("2026-05", std::slice::from_ref(&h));
    assert_eq!(
        (may.closed, may.open_at_end),
        (1, 1),
        "closed in May, open at its end"
    );
    assert_eq!(
        may.closure_rate,
        Some(0.0),
        "not 50%: the one hazard is open"
    );
}
