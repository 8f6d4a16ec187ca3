//! The investigation's clock: from the day a case is accepted, the school's bullying committee
//! has the county's days (default 10) to determine it. The clock only runs while the case is
//! being investigated; a determination stops it.

use chrono::{Duration, NaiveDate};

use super::State;

/// The last day the committee may determine a case accepted on `accepted_on`.
pub fn deadline(accepted_on: NaiveDate, days: i64) -> NaiveDate {
    accepted_on + Duration::days(days)
}

/// Where a case's clock stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// Not running: not accepted yet, or already determined.
    Stopped,
    /// Running, this many days left (0 on the deadline itself).
    DaysLeft(i64),
    /// Running past the deadline by this many days.
    Overdue(i64),
}

/// The clock of a case in `state` with `deadline`, on `today`.
pub fn standing(state: State, deadline: Option<NaiveDate>, today: NaiveDate) -> Standing {
    match (state, deadline) {
        (State::Investigating, Some(d)) if today > d => Standing::Overdue((today - d).num_days()),
        (State::Investigating, Some(d)) => Standing::DaysLeft((d - today).num_days()),
        _ => Standing::Stopped,
    }
}

/// An investigation overdue on `today`.
pub fn overdue(state: State, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    matches!(standing(state, deadline, today), Standing::Overdue(_))
}

/// The reminder's window: the deadline is two days away or nearer, not passed.
pub const NEAR_DAYS: i64 = 2;

pub fn near(state: State, deadline: Option<NaiveDate>, today: NaiveDate) -> bool {
    matches!(standing(state, deadline, today), Standing::DaysLeft(n) if n <= NEAR_DAYS)
}

/// A case was determined inside its clock: on or before its deadline.
pub fn determined_in_time(deadline: Option<NaiveDate>, determined_on: Option<NaiveDate>) -> bool {
    matches!((deadline, determined_on), (Some(d), Some(on)) if on <= d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::domain::validate::parse_date(s).unwrap_or_default()
    }

    #[test]
    fn the_clock_counts_down_to_the_deadline_and_then_up() {
        let d = Some(deadline(day("2026-03-02"), 10));
        assert_eq!(d, Some(day("2026-03-12")));
        let on = |s| standing(State::Investigating, d, day(s));
        assert_eq!(on("2026-03-02"), Standing::DaysLeft(10));
        assert_eq!(on("2026-03-10"), Standing::DaysLeft(2));
        assert_eq!(on("2026-03-12"), Standing::DaysLeft(0));
        assert_eq!(on("2026-03-13"), Standing::Overdue(1));
        assert!(near(State::Investigating, d, day("2026-03-10")));
        assert!(!near(State::Investigating, d, day("2026-03-09")));
        assert!(
            !near(State::Investigating, d, day("2026-03-13")),
            "overdue, not near"
        );
        assert!(overdue(State::Investigating, d, day("2026-03-13")));
    }

    #[test]
    fn the_clock_runs_only_while_investigating() {
        let d = Some(day("2026-03-12"));
        for s in State::ALL.iter().filter(|s| **s != State::Investigating) {
            assert_eq!(
                standing(*s, d, day("2026-04-01")),
                Standing::Stopped,
                "{s:?}"
            );
            assert!(!overdue(*s, d, day("2026-04-01")));
        }
        assert_eq!(
            standing(State::Investigating, None, day("2026-04-01")),
            Standing::Stopped
        );
    }

    #[test]
    fn in_time_means_on_or_before_the_deadline() {
        let d = Some(day("2026-03-12"));
        assert!(determined_in_time(d, Some(day("2026-03-12"))));
        assert!(!determined_in_time(d, Some(day("2026-03-13"))));
        assert!(!determined_in_time(d, None), "not determined yet");
        assert!(!determined_in_time(None, Some(day("2026-03-01"))));
    }
}
