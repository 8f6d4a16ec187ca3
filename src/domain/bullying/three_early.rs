//! A school's three-early status (三早) for a semester: detected early — at least one screening
//! or survey this semester; prevented early — at least one prevention education session; and
//! controlled early — every case accepted this semester determined inside its clock (none
//! overdue now, none determined late).

use chrono::NaiveDate;

use super::{State, clock};

/// One case's clock, as the status reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CaseClock {
    pub state: State,
    pub deadline: Option<NaiveDate>,
    pub determined_on: Option<NaiveDate>,
}

/// A school's three ticks for a semester.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Status {
    pub screened: bool,
    pub educated: bool,
    pub in_time: bool,
    /// Cases accepted this semester, for the page's words.
    pub cases: i64,
    /// Of them, determined late or overdue now.
    pub late: i64,
}

impl Status {
    pub fn all_met(&self) -> bool {
        self.screened && self.educated && self.in_time
    }
}

/// A case counts against the school when it ran past its deadline: determined after it, or
/// still undetermined and overdue on `today`.
fn late(c: &CaseClock, today: NaiveDate) -> bool {
    match c.determined_on {
        Some(_) => !clock::determined_in_time(c.deadline, c.determined_on),
        None => clock::overdue(c.state, c.deadline, today),
    }
}

/// The status of a school with these screenings and sessions this semester, and the clocks of
/// the cases accepted in it.
pub fn status(screenings: i64, sessions: i64, cases: &[CaseClock], today: NaiveDate) -> Status {
    let late = cases.iter().filter(|c| late(c, today)).count() as i64;
    Status {
        screened: screenings > 0,
        educated: sessions > 0,
        in_time: late == 0,
        cases: cases.len() as i64,
        late,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::domain::validate::parse_date(s).unwrap_or_default()
    }

    fn clocked(state: State, deadline: &str, determined: Option<&str>) -> CaseClock {
        CaseClock {
            state,
            deadline: Some(day(deadline)),
            determined_on: determined.map(day),
        }
    }

    #[test]
    fn a_school_meets_the_three_with_a_screening_a_session_and_every_case_in_time() {
        let today = day("2026-10-20");
        let cases = [
            clocked(State::FollowUp, "2026-10-10", Some("2026-10-08")),
            clocked(State::Investigating, "2026-10-25", None),
        ];
        let s = status(1, 2, &cases, today);
        assert!(s.all_met(), "{s:?}");
        assert_eq!((s.cases, s.late), (2, 0));
    }

    #[test]
    fn a_late_determination_or_an_overdue_case_breaks_the_third_and_nothing_breaks_the_others() {
        let today = day("2026-10-20");
        let late = [clocked(State::Determined, "2026-10-10", Some("2026-10-11"))];
        assert!(!status(1, 1, &late, today).in_time);
        let overdue = [clocked(State::Investigating, "2026-10-19", None)];
        let s = status(0, 0, &overdue, today);
        assert_eq!(
            (s.screened, s.educated, s.in_time, s.late),
            (false, false, false, 1)
        );
        assert!(status(1, 1, &[], today).all_met(), "no case is no delay");
    }
}
