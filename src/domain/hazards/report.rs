//! Monthly figures "as of" the last instant of a month (Asia/Shanghai), computed from the
//! audit trail, so a past month reads the same whatever happened since.

use chrono::{NaiveDate, NaiveDateTime};

use super::{Category, HazardEvent, Level, Source, State};

/// What a hazard is grouped by in the breakdowns (its current values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Keys {
    pub school_id: i64,
    pub source: Source,
    pub category: Category,
    pub level: Level,
}

/// How one hazard stood over a window [from, to): what the figures count.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Seen {
    pub reported_at: Option<NaiveDateTime>,
    /// Its last acceptance (销号) within the window.
    pub accepted: Option<NaiveDateTime>,
    /// Its state just before `to`; None when it did not exist yet.
    pub end: Option<State>,
    pub deadline: Option<NaiveDate>,
    pub supervised: bool,
}

/// A hazard as the report reads it: from its trail (any window), or from its row as it stands
/// now (windows that end now).
pub trait Reading {
    fn keys(&self) -> &Keys;
    fn seen(&self, from: NaiveDateTime, to: NaiveDateTime) -> Seen;
}

/// What a step of a trail did, as far as the report cares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Act {
    Report,
    Accept,
    Supervise,
    Unsupervise,
    Other,
}

impl Act {
    pub fn of(event: HazardEvent) -> Act {
        match event {
            HazardEvent::Report => Act::Report,
            HazardEvent::Accept => Act::Accept,
            HazardEvent::Supervise => Act::Supervise,
            HazardEvent::Unsupervise => Act::Unsupervise,
            _ => Act::Other,
        }
    }

    /// Whether a step of this event may set a deadline (assign, reopen, supervise).
    pub fn sets_deadline(event: HazardEvent) -> bool {
        matches!(
            event,
            HazardEvent::Assign | HazardEvent::Reopen | HazardEvent::Supervise
        )
    }
}

/// One event of a hazard's trail, as the report needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    pub at: NaiveDateTime,
    pub act: Act,
    pub to_state: Option<State>,
    /// A deadline this step set (assign, reopen, supervise).
    pub deadline: Option<NaiveDate>,
}

/// A hazard with the parts of its trail up to the report's instant, oldest first.
#[derive(Clone, Debug)]
pub struct History {
    pub keys: Keys,
    pub steps: Vec<Step>,
}

impl History {
    /// The state just before instant `t`; None when it did not exist yet.
    pub fn state_at(&self, t: NaiveDateTime) -> Option<State> {
        self.seen(t, t).end
    }

    pub fn deadline_at(&self, t: NaiveDateTime) -> Option<NaiveDate> {
        self.seen(t, t).deadline
    }

    pub fn supervised_at(&self, t: NaiveDateTime) -> bool {
        self.seen(t, t).supervised
    }

    pub fn reported_at(&self) -> Option<NaiveDateTime> {
        self.steps
            .iter()
            .find(|s| s.act == Act::Report)
            .map(|s| s.at)
    }
}

impl Reading for History {
    fn keys(&self) -> &Keys {
        &self.keys
    }

    /// One pass over the trail (the report calls this for every hazard and window).
    fn seen(&self, from: NaiveDateTime, to: NaiveDateTime) -> Seen {
        let mut seen = Seen {
            reported_at: self.reported_at(),
            ..Seen::default()
        };
        for s in self.steps.iter().take_while(|s| s.at < to) {
            if let Some(state) = s.to_state {
                seen.end = Some(state);
            }
            if let Some(d) = s.deadline {
                seen.deadline = Some(d);
            }
            match s.act {
                Act::Supervise => seen.supervised = true,
                Act::Unsupervise => seen.supervised = false,
                Act::Accept if s.at >= from => seen.accepted = Some(s.at),
                _ => {}
            }
        }
        seen
    }
}

/// A hazard as its row stands now, with its acceptances since some instant: enough for windows
/// that end now and begin after that instant (this month, the year to date), without a replay.
#[derive(Clone, Debug)]
pub struct Current {
    pub keys: Keys,
    pub reported_at: NaiveDateTime,
    pub state: State,
    pub deadline: Option<NaiveDate>,
    pub supervised: bool,
    pub accepts: Vec<NaiveDateTime>,
}

impl Reading for Current {
    fn keys(&self) -> &Keys {
        &self.keys
    }

    fn seen(&self, from: NaiveDateTime, to: NaiveDateTime) -> Seen {
        Seen {
            reported_at: Some(self.reported_at),
            accepted: self
                .accepts
                .iter()
                .filter(|a| **a >= from && **a < to)
                .max()
                .copied(),
            end: (self.reported_at < to).then_some(self.state),
            deadline: self.deadline,
            supervised: self.supervised,
        }
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
    /// 整改销号率 of the window: closed in it ÷ (closed in it + open at its end); None when
    /// there is nothing to divide. The one definition every format shows.
    pub closure_rate: Option<f64>,
    /// Days from report to acceptance of the hazards closed in the month.
    pub median_days_to_close: Option<f64>,
}

/// Figures being counted over `[from, to)`, one hazard at a time, so a report can fill its
/// totals and every breakdown in one pass over the hazards.
#[derive(Clone, Debug)]
pub struct Tally {
    from: NaiveDateTime,
    to: NaiveDateTime,
    end_day: NaiveDate,
    f: Figures,
    /// Closed in the window and still closed at its end: the rate's numerator, so a hazard
    /// closed and reopened in the window counts once, as open.
    closed_and_stayed: i64,
    days: Vec<f64>,
}

impl Tally {
    pub fn new(from: NaiveDateTime, to: NaiveDateTime) -> Tally {
        Tally {
            from,
            to,
            end_day: crate::domain::time::local_date(to - chrono::Duration::microseconds(1)),
            f: Figures::default(),
            closed_and_stayed: 0,
            days: Vec::new(),
        }
    }

    /// Counts one hazard, seen over this tally's window.
    pub fn add(&mut self, seen: &Seen) {
        let f = &mut self.f;
        if seen
            .reported_at
            .is_some_and(|r| r >= self.from && r < self.to)
        {
            f.found += 1;
        }
        if let Some(accepted) = seen.accepted {
            f.closed += 1;
            if let Some(r) = seen.reported_at {
                self.days
                    .push((accepted - r).num_seconds() as f64 / 86_400.0);
            }
        }
        let open_at_end = seen.end.is_some_and(State::is_open);
        if seen.accepted.is_some() && !open_at_end {
            self.closed_and_stayed += 1;
        }
        if open_at_end {
            f.open_at_end += 1;
            if seen.deadline.is_some_and(|d| d < self.end_day) {
                f.overdue_at_end += 1;
            }
            if seen.supervised {
                f.supervised_open += 1;
            }
        }
    }

    pub fn finish(mut self) -> Figures {
        self.f.closure_rate = closure_rate(self.closed_and_stayed, self.f.open_at_end);
        self.f.median_days_to_close = median(&mut self.days);
        self.f
    }
}

/// 整改销号率: of the hazards closed in a window or still open at its end, the share closed
/// (each hazard once: one closed and reopened in the window is open).
pub fn closure_rate(closed: i64, open_at_end: i64) -> Option<f64> {
    let all = closed + open_at_end;
    (all > 0).then(|| closed as f64 / all as f64)
}

/// Figures over `[from, to)`; "at end" means just before `to`.
pub fn figures<'a, R: Reading + 'a>(
    hazards: impl IntoIterator<Item = &'a R>,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Figures {
    let mut t = Tally::new(from, to);
    for h in hazards {
        t.add(&h.seen(from, to));
    }
    t.finish()
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

/// Figures per group (source, category, level, school…), in key order: what a section's
/// breakdowns hold, computed one group at a time (the report's `Tally` does it in one pass).
pub fn breakdown<R: Reading, K: Ord + Clone>(
    hazards: &[R],
    key: impl Fn(&Keys) -> K,
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<(K, Figures)> {
    let mut groups: std::collections::BTreeMap<K, Vec<&R>> = std::collections::BTreeMap::new();
    for h in hazards {
        groups.entry(key(h.keys())).or_default().push(h);
    }
    groups
        .into_iter()
        .map(|(k, hs)| (k, figures(hs, from, to)))
        .collect()
}

#[cfg(test)]
#[path = "report_tests.rs"]
mod tests;
