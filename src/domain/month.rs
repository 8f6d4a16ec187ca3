//! The county's calendar months (Asia/Shanghai), which every monthly report counts by, and when a
//! month's figures are settled.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Asia::Shanghai;

/// A calendar month of the county.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// `YYYY-MM`, from 2000 to 2100.
    pub fn parse(s: &str) -> Option<Month> {
        let (y, m) = s.trim().split_once('-')?;
        if y.len() != 4 || m.len() != 2 {
            return None;
        }
        let (year, month) = (y.parse().ok()?, m.parse().ok()?);
        ((2000..=2100).contains(&year) && (1..=12).contains(&month))
            .then_some(Month { year, month })
    }

    pub fn of(day: NaiveDate) -> Month {
        Month {
            year: day.year(),
            month: day.month(),
        }
    }

    /// The month an instant falls in, in the county.
    pub fn at(t: NaiveDateTime) -> Month {
        Month::of(super::time::local_date(t))
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).unwrap_or_default()
    }

    pub fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    pub fn prev(self) -> Month {
        if self.month == 1 {
            Month {
                year: self.year - 1,
                month: 12,
            }
        } else {
            Month {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    /// January of the same year.
    pub fn january(self) -> Month {
        Month {
            year: self.year,
            month: 1,
        }
    }

    /// The last day of the month.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or_default()
    }

    /// [start, end) of the month in UTC, the month's days being Shanghai's.
    pub fn bounds_utc(self) -> (NaiveDateTime, NaiveDateTime) {
        (
            local_midnight_utc(self.first_day()),
            local_midnight_utc(self.next().first_day()),
        )
    }

    /// The twelve months ending with this one, oldest first.
    pub fn last_twelve(self) -> Vec<Month> {
        let mut out = vec![self];
        for _ in 0..11 {
            let m = out[out.len() - 1].prev();
            out.push(m);
        }
        out.reverse();
        out
    }

    pub fn label(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// Whether the month is over at `now` (its last instant, county time, has passed): only an
    /// ended month is submitted, and a report opens on the last one by default.
    pub fn ended(self, now: NaiveDateTime) -> bool {
        now >= self.bounds_utc().1
    }

    /// The last month that has ended at `now`.
    pub fn last_ended(now: NaiveDateTime) -> Month {
        Month::at(now).prev()
    }
}

fn local_midnight_utc(day: NaiveDate) -> NaiveDateTime {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Shanghai
        .from_local_datetime(&midnight)
        .single()
        .map(|t| t.naive_utc())
        .unwrap_or(midnight - chrono::Duration::hours(8))
}

/// A month's figures are settled, and may be kept, an hour after it ends. An event's time is
/// set by the server while it handles the request, moments before the event's transaction
/// commits; the hour covers waiting for a connection or the write lock, a slow transaction, and
/// clocks a little apart between app instances.
pub fn settled(month: Month, now: NaiveDateTime) -> bool {
    now >= month.bounds_utc().1 + chrono::Duration::hours(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_month_ends_at_midnight_in_the_county_not_in_utc() {
        let nov = Month {
            year: 2026,
            month: 11,
        };
        // 1 December 00:00 in Shanghai is 30 November 16:00 UTC.
        let midnight = NaiveDate::from_ymd_opt(2026, 11, 30)
            .and_then(|d| d.and_hms_opt(16, 0, 0))
            .unwrap_or_default();
        assert!(!nov.ended(midnight - Duration::seconds(1)));
        assert!(nov.ended(midnight));
        assert_eq!(Month::last_ended(midnight), nov);
        assert_eq!(
            Month::last_ended(midnight - Duration::seconds(1)),
            Month {
                year: 2026,
                month: 10
            }
        );
    }

    fn month(s: &str) -> Month {
        Month::parse(s).unwrap_or(Month {
            year: 1999,
            month: 1,
        })
    }

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default() - Duration::hours(8)
    }

    #[test]
    fn month_bounds_are_shanghai_days() {
        let (from, to) = month("2026-03").bounds_utc();
        assert_eq!(from, at("2026-03-01 00:00"));
        assert_eq!(to, at("2026-04-01 00:00"));
        assert_eq!(month("2026-12").next(), month("2027-01"));
        assert_eq!(month("2026-01").prev(), month("2025-12"));
        assert_eq!(month("2026-02").last_day().to_string(), "2026-02-28");
        assert_eq!(month("2026-05").january(), month("2026-01"));
        assert_eq!(Month::at(at("2026-04-01 00:00")), month("2026-04"));
        assert_eq!(
            month("2026-05").last_twelve().first().copied(),
            Some(month("2025-06"))
        );
        assert!(
            Month::parse("2026-13").is_none()
                && Month::parse("26-01").is_none()
                && Month::parse("x").is_none()
        );
    }

    #[test]
    fn a_month_is_settled_an_hour_after_it_ends() {
        let m = month("2026-03");
        assert!(!settled(m, at("2026-04-01 00:59")));
        assert!(settled(m, at("2026-04-01 01:00")));
    }
}
