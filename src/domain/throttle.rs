//! Login throttling: failures counted per key (an account or an IP address) within a
//! window; at the limit the key is locked for a while, even for the right password.

use chrono::{Duration, NaiveDateTime};

#[derive(Clone, Copy, Debug)]
pub struct Policy {
    pub limit: i32,
    pub window: Duration,
    pub lockout: Duration,
}

/// Per account: ten wrong passwords in fifteen minutes lock it for fifteen minutes.
pub const ACCOUNT: Policy = Policy {
    limit: 10,
    window: Duration::minutes(15),
    lockout: Duration::minutes(15),
};

/// Per IP address: a school's PCs share one address, so the limit is higher.
pub const IP: Policy = Policy {
    limit: 50,
    window: Duration::minutes(15),
    lockout: Duration::minutes(15),
};

/// Anonymous bullying tips per IP address: a few an hour (a school's pupils may share one).
pub const TIP_IP: Policy = Policy {
    limit: 10,
    window: Duration::hours(1),
    lockout: Duration::hours(1),
};

/// Anonymous tips per school: the county's number an hour (a setting).
pub fn tip_school(limit: i32) -> Policy {
    Policy {
        limit,
        window: Duration::hours(1),
        lockout: Duration::hours(1),
    }
}

/// The longest window of any policy: a key idle longer than this holds nothing worth keeping.
pub const LONGEST_WINDOW: Duration = Duration::hours(1);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct State {
    pub failures: i32,
    pub window_started_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
}

/// How long the key must still wait, if it is locked now.
pub fn wait(state: Option<&State>, now: NaiveDateTime) -> Option<Duration> {
    let until = state?.locked_until?;
    (until > now).then(|| until - now)
}

/// The state after one more failure at `now`.
pub fn after_failure(policy: &Policy, state: Option<&State>, now: NaiveDateTime) -> State {
    let fresh = State {
        failures: 0,
        window_started_at: now,
        locked_until: None,
    };
    let mut s = match state {
        Some(s) if now - s.window_started_at <= policy.window => *s,
        _ => fresh,
    };
    s.failures += 1;
    if s.failures >= policy.limit {
        s.locked_until = Some(now + policy.lockout);
        // The next window starts when the lock ends, so one more failure does not re-lock at once.
        s.failures = 0;
        s.window_started_at = now + policy.lockout;
    }
    s
}

/// Minutes to show the user, rounded up so "0 minutes" never appears.
pub fn wait_minutes(wait: Duration) -> i64 {
    (wait.num_seconds() + 59) / 60
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn t0() -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, 1)
            .and_then(|d| d.and_hms_opt(8, 0, 0))
            .unwrap_or_default()
    }

    #[test]
    fn the_tenth_failure_locks_the_account_for_fifteen_minutes() {
        let mut s: Option<State> = None;
        for i in 0..9 {
            s = Some(after_failure(
                &ACCOUNT,
                s.as_ref(),
                t0() + Duration::seconds(i),
            ));
            assert_eq!(wait(s.as_ref(), t0() + Duration::seconds(i)), None);
        }
        s = Some(after_failure(
            &ACCOUNT,
            s.as_ref(),
            t0() + Duration::seconds(9),
        ));
        let w = wait(s.as_ref(), t0() + Duration::seconds(10));
        assert_eq!(w.map(wait_minutes), Some(15));
        assert_eq!(wait(s.as_ref(), t0() + Duration::minutes(16)), None);
    }

    #[test]
    fn failures_outside_the_window_start_counting_again() {
        let mut s = None;
        for i in 0..9 {
            s = Some(after_failure(
                &ACCOUNT,
                s.as_ref(),
                t0() + Duration::seconds(i),
            ));
        }
        let later = t0() + Duration::minutes(20);
        let s = after_failure(&ACCOUNT, s.as_ref(), later);
        assert_eq!(s.failures, 1);
        assert_eq!(wait(Some(&s), later), None);
    }

    #[test]
    fn wait_is_rounded_up_to_whole_minutes() {
        assert_eq!(wait_minutes(Duration::seconds(1)), 1);
        assert_eq!(wait_minutes(Duration::seconds(60)), 1);
        assert_eq!(wait_minutes(Duration::seconds(61)), 2);
    }
}
