//! Time: stored in UTC at microsecond precision (what both databases keep), shown in
//! Asia/Shanghai, where the county's days and months begin.

use chrono::{NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Asia::Shanghai;

/// Now, in UTC, cut to microseconds so a value reads back exactly as it was written.
pub fn now() -> NaiveDateTime {
    truncate(Utc::now().naive_utc())
}

/// Where the hazard and report pages take "now" from: the system, or an instant set by hand, so
/// an integration test can build last month's history through the HTTP interface. Sessions and
/// login throttling always use the system clock.
#[derive(Clone, Debug, Default)]
pub enum Clock {
    #[default]
    System,
    Manual(std::sync::Arc<std::sync::Mutex<NaiveDateTime>>),
}

impl Clock {
    pub fn manual(at: NaiveDateTime) -> Clock {
        Clock::Manual(std::sync::Arc::new(std::sync::Mutex::new(truncate(at))))
    }

    pub fn now(&self) -> NaiveDateTime {
        match self {
            Clock::System => now(),
            Clock::Manual(at) => *at.lock().unwrap_or_else(|p| p.into_inner()),
        }
    }

    /// Moves a manual clock; the system clock cannot be moved.
    pub fn set(&self, to: NaiveDateTime) {
        if let Clock::Manual(at) = self {
            *at.lock().unwrap_or_else(|p| p.into_inner()) = truncate(to);
        }
    }

    /// Today in the county.
    pub fn today(&self) -> chrono::NaiveDate {
        local_date(self.now())
    }
}

pub fn truncate(t: NaiveDateTime) -> NaiveDateTime {
    let micros = t.nanosecond() / 1_000 * 1_000;
    t.with_nanosecond(micros).unwrap_or(t)
}

/// The county's calendar date (Asia/Shanghai) at a UTC instant.
pub fn local_date(t: NaiveDateTime) -> chrono::NaiveDate {
    Shanghai.from_utc_datetime(&t).date_naive()
}

/// A UTC instant as local (Asia/Shanghai) wall-clock text, to the minute.
pub fn local_minute(t: NaiveDateTime) -> String {
    Shanghai
        .from_utc_datetime(&t)
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn local_time_is_eight_hours_ahead_of_utc() {
        let t = NaiveDate::from_ymd_opt(2026, 1, 31)
            .and_then(|d| d.and_hms_opt(17, 30, 0))
            .unwrap_or_default();
        assert_eq!(local_minute(t), "2026-02-01 01:30");
    }

    #[test]
    fn now_keeps_whole_microseconds_only() {
        assert_eq!(now().nanosecond() % 1_000, 0);
    }
}
