//! The "today" list (今日待办) every home page opens with: what this user must act on now, from
//! every module, in one order — overdue first (the longest overdue at the top), then due within
//! three days (the nearest first), returned work, work awaiting the user's acceptance, new work
//! to take in, to assign, and dangerous buildings still without a disposal plan. Each module
//! says why one of its records is on the list; the order is here.

use chrono::NaiveDate;

use super::enums::str_enum;

/// How many days ahead a deadline counts as due soon.
pub const DUE_SOON_DAYS: i64 = 3;

str_enum!(pub Reason: "today.reason" {
    Overdue = "overdue",
    DueSoon = "due_soon",
    Returned = "returned",
    ToAccept = "to_accept",
    ToTakeIn = "to_take_in",
    ToAssign = "to_assign",
    ToPlan = "to_plan",
});

/// Why a record is on the list, and how many days overdue or left when a deadline says so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Why {
    pub reason: Reason,
    pub days: Option<i64>,
}

/// A deadline's reason, if it has one today: passed (how many days ago) or due within three
/// days (how many are left; 0 is today).
pub fn by_deadline(deadline: Option<NaiveDate>, today: NaiveDate) -> Option<Why> {
    let d = deadline?;
    let left = (d - today).num_days();
    if left < 0 {
        Some(Why {
            reason: Reason::Overdue,
            days: Some(-left),
        })
    } else if left <= DUE_SOON_DAYS {
        Some(Why {
            reason: Reason::DueSoon,
            days: Some(left),
        })
    } else {
        None
    }
}

/// The list's order: by reason, then the longest overdue or the nearest deadline first.
pub fn rank(w: &Why) -> (u8, i64) {
    let order = match w.reason {
        Reason::Overdue => 0,
        Reason::DueSoon => 1,
        Reason::Returned => 2,
        Reason::ToAccept => 3,
        Reason::ToTakeIn => 4,
        Reason::ToAssign => 5,
        Reason::ToPlan => 6,
    };
    let days = match w.reason {
        Reason::Overdue => -w.days.unwrap_or(0),
        _ => w.days.unwrap_or(0),
    };
    (order, days)
}

pub fn labels() -> Vec<&'static str> {
    Reason::labels()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn a_deadline_is_overdue_the_day_after_and_due_soon_three_days_before() {
        let today = day("2026-03-10");
        let why = |d: &str| by_deadline(Some(day(d)), today);
        assert_eq!(
            why("2026-03-09").map(|w| (w.reason, w.days)),
            Some((Reason::Overdue, Some(1)))
        );
        assert_eq!(
            why("2026-03-10").map(|w| (w.reason, w.days)),
            Some((Reason::DueSoon, Some(0)))
        );
        assert_eq!(
            why("2026-03-13").map(|w| (w.reason, w.days)),
            Some((Reason::DueSoon, Some(3)))
        );
        assert_eq!(why("2026-03-14"), None);
        assert_eq!(by_deadline(None, today), None);
    }

    #[test]
    fn the_longest_overdue_comes_first_then_the_nearest_deadline() {
        let w = |reason, days| Why { reason, days };
        let mut list = [
            w(Reason::ToTakeIn, None),
            w(Reason::DueSoon, Some(2)),
            w(Reason::Overdue, Some(1)),
            w(Reason::Returned, None),
            w(Reason::DueSoon, Some(0)),
            w(Reason::Overdue, Some(9)),
            w(Reason::ToPlan, None),
            w(Reason::ToAccept, None),
        ];
        list.sort_by_key(rank);
        let order: Vec<_> = list.iter().map(|w| (w.reason, w.days)).collect();
        assert_eq!(
            order,
            vec![
                (Reason::Overdue, Some(9)),
                (Reason::Overdue, Some(1)),
                (Reason::DueSoon, Some(0)),
                (Reason::DueSoon, Some(2)),
                (Reason::Returned, None),
                (Reason::ToAccept, None),
                (Reason::ToTakeIn, None),
                (Reason::ToPlan, None),
            ]
        );
    }
}
