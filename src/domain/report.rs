//! Monthly figures "as of" the last instant of a month (Asia/Shanghai), computed from the
//! audit trail, so a past month reads the same whatever happened since.

use chrono::{Datelike, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Asia::Shanghai;

use super::hazard::State;

/// A calendar month of the county.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
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
}

fn local_midnight_utc(day: NaiveDate) -> NaiveDateTime {
    let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
    Shanghai
        .from_local_datetime(&midnight)
        .single()
        .map(|t| t.naive_utc())
        .unwrap_or(midnight - chrono::Duration::hours(8))
}

/// One event of a hazard's trail, as the report needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: NaiveDateTime,
    pub action: String,
    pub to_state: Option<State>,
    /// A deadline this step set (assign, reopen, supervise).
    pub deadline: Option<NaiveDate>,
}

/// A hazard with the parts of its trail up to the report's instant, oldest first.
#[derive(Clone, Debug)]
pub struct History {
    pub school_id: i64,
    pub source: String,
    pub category: String,
    pub level: String,
    pub steps: Vec<Step>,
}

impl History {
    fn upto(&self, t: NaiveDateTime) -> impl Iterator<Item = &Step> {
        self.steps.iter().filter(move |s| s.at < t)
    }

    /// The state just before instant `t`; None when it did not exist yet.
    pub fn state_at(&self, t: NaiveDateTime) -> Option<State> {
        self.upto(t).filter_map(|s| s.to_state).last()
    }

    pub fn deadline_at(&self, t: NaiveDateTime) -> Option<NaiveDate> {
        self.upto(t).filter_map(|s| s.deadline).last()
    }

    pub fn supervised_at(&self, t: NaiveDateTime) -> bool {
        self.upto(t)
            .filter(|s| s.action == "supervise" || s.action == "unsupervise")
            .last()
            .is_some_and(|s| s.action == "supervise")
    }

    fn reported_at(&self) -> Option<NaiveDateTime> {
        self.steps
            .iter()
            .find(|s| s.action == "report")
            .map(|s| s.at)
    }

    fn accepted_in(&self, from: NaiveDateTime, to: NaiveDateTime) -> Option<NaiveDateTime> {
        self.steps
            .iter()
            .rev()
            .find(|s| s.action == "accept" && s.at >= from && s.at < to)
            .map(|s| s.at)
    }
}

/// The hazard figures of one scope and month.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figures {
    /// Reported in the month.
    pub found: i64,
    /// Accepted (销号) in the month, each hazard once.
    pub closed: i64,
    pub open_at_end: i64,
    pub overdue_at_end: i64,
    pub supervised_open: i64,
    /// Closed among the real hazards (closed + open) at month end; None when there are none.
    pub closure_rate: Option<f64>,
    /// Days from report to acceptance of the hazards closed in the month.
    pub median_days_to_close: Option<f64>,
}

/// Figures over `[from, to)`; "at end" means just before `to`.
pub fn figures<'a>(
    histories: impl IntoIterator<Item = &'a History>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Figures {
    let end_day = crate::domain::time::local_date(to - chrono::Duration::microseconds(1));
    let mut f = Figures::default();
    let mut closed_total = 0i64;
    let mut days = Vec::new();
    for h in histories {
        if h.reported_at().is_some_and(|r| r >= from && r < to) {
            f.found += 1;
        }
        if let Some(accepted) = h.accepted_in(from, to) {
            f.closed += 1;
            if let Some(r) = h.reported_at() {
                days.push((accepted - r).num_seconds() as f64 / 86_400.0);
            }
        }
        match h.state_at(to) {
            Some(s) if s.is_open() => {
                f.open_at_end += 1;
                if h.deadline_at(to).is_some_and(|d| d < end_day) {
                    f.overdue_at_end += 1;
                }
                if h.supervised_at(to) {
                    f.supervised_open += 1;
                }
            }
            Some(State::Closed) => closed_total += 1,
            _ => {}
        }
    }
    let real = closed_total + f.open_at_end;
    f.closure_rate = (real > 0).then(|| closed_total as f64 / real as f64);
    f.median_days_to_close = median(&mut days);
    f
}

fn median(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;

/// Figures per group (source, category, level, school…), in key order.
pub fn breakdown<K: Ord + Clone>(
    histories: &[History],
    key: impl Fn(&History) -> K,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<(K, Figures)> {
    let mut groups: std::collections::BTreeMap<K, Vec<&History>> =
        std::collections::BTreeMap::new();
    for h in histories {
        groups.entry(key(h)).or_default().push(h);
    }
    groups
        .into_iter()
        .map(|(k, hs)| (k, figures(hs, from, to)))
        .collect()
}
