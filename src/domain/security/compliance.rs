//! The "4 × 100%" (四个100%): per school four ticks — full-time guards in post at least as
//! many as required, closed campus management, one-click alarm and video both linked to the
//! police, a gate guard post — each with the reason a tick is missing; per township and county
//! how many schools meet each item and all four.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use super::Item;
use crate::domain::enums::str_enum;

str_enum!(
    /// Why an item of the four is not met.
    pub Gap: "security.gap" {
    /// Fewer full-time guards in post than required.
    TooFewGuards = "too_few_guards",
    /// The school says it is not in place.
    NotInPlace = "not_in_place",
    /// Never verified.
    NotVerified = "not_verified",
    /// Verified longer ago than the county accepts.
    Lapsed = "lapsed",
}
);

/// One provision of the profile as recorded: in place or not, and when it was last verified.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Provision {
    pub in_place: bool,
    pub verified_on: Option<NaiveDate>,
}

/// What a school's ticks are read from.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SchoolFacts {
    pub guards_required: i64,
    /// Full-time guards in post.
    pub guards_in_post: i64,
    pub closed_management: Provision,
    pub alarm_linked: Provision,
    pub video_linked: Provision,
    pub guard_post: Provision,
}

/// One item's tick: met, or the reason it is not.
pub type Tick = Result<(), Gap>;

/// A school's four ticks, in CONTRACT's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ticks {
    pub guards: Tick,
    pub closed: Tick,
    pub alarm: Tick,
    pub post: Tick,
}

impl Ticks {
    pub fn get(&self, item: Item) -> Tick {
        match item {
            Item::Guards => self.guards,
            Item::Closed => self.closed,
            Item::Alarm => self.alarm,
            Item::Post => self.post,
        }
    }

    pub fn all_met(&self) -> bool {
        Item::ALL.iter().all(|i| self.get(*i).is_ok())
    }

    /// The items not met, with their reasons.
    pub fn gaps(&self) -> Vec<(Item, Gap)> {
        Item::ALL
            .iter()
            .filter_map(|i| self.get(*i).err().map(|g| (*i, g)))
            .collect()
    }
}

/// A provision counts when it is in place and was verified within `valid_days` of `today`.
pub fn provision(p: Provision, valid_days: i64, today: NaiveDate) -> Tick {
    if !p.in_place {
        return Err(Gap::NotInPlace);
    }
    match p.verified_on {
        None => Err(Gap::NotVerified),
        Some(d) if d < today - Duration::days(valid_days) => Err(Gap::Lapsed),
        Some(_) => Ok(()),
    }
}

/// A school's ticks on `today`, verifications older than `valid_days` counting as not met.
pub fn ticks(f: &SchoolFacts, valid_days: i64, today: NaiveDate) -> Ticks {
    let p = |x| provision(x, valid_days, today);
    Ticks {
        guards: if f.guards_in_post >= f.guards_required {
            Ok(())
        } else {
            Err(Gap::TooFewGuards)
        },
        closed: p(f.closed_management),
        // Both must hold: the alarm and the video are one item of the four.
        alarm: p(f.alarm_linked).and(p(f.video_linked)),
        post: p(f.guard_post),
    }
}

/// How many schools meet each item and all four, and the guards they need and have (CONTRACT's
/// `security` section's counts, and the compliance table's totals).
#[derive(Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub schools: i64,
    pub guards_required: i64,
    pub guards_in_post: i64,
    pub meet_guards: i64,
    pub meet_closed_management: i64,
    pub meet_alarm_video: i64,
    pub meet_guard_post: i64,
    pub meet_all_four: i64,
}

impl Tally {
    pub fn add(&mut self, f: &SchoolFacts, t: &Ticks) {
        self.schools += 1;
        self.guards_required += f.guards_required;
        self.guards_in_post += f.guards_in_post;
        self.meet_guards += i64::from(t.guards.is_ok());
        self.meet_closed_management += i64::from(t.closed.is_ok());
        self.meet_alarm_video += i64::from(t.alarm.is_ok());
        self.meet_guard_post += i64::from(t.post.is_ok());
        self.meet_all_four += i64::from(t.all_met());
    }

    /// The count of schools meeting an item.
    pub fn meeting(&self, item: Item) -> i64 {
        match item {
            Item::Guards => self.meet_guards,
            Item::Closed => self.meet_closed_management,
            Item::Alarm => self.meet_alarm_video,
            Item::Post => self.meet_guard_post,
        }
    }

    /// The share of schools meeting an item (None when there are no schools to divide by).
    pub fn rate(&self, item: Item) -> Option<f64> {
        share(self.meeting(item), self.schools)
    }

    pub fn rate_all_four(&self) -> Option<f64> {
        share(self.meet_all_four, self.schools)
    }
}

fn share(n: i64, of: i64) -> Option<f64> {
    (of > 0).then(|| n as f64 / of as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::domain::validate::parse_date(s).unwrap_or_default()
    }

    fn verified(on: &str) -> Provision {
        Provision {
            in_place: true,
            verified_on: Some(day(on)),
        }
    }

    fn full(today: &str) -> SchoolFacts {
        SchoolFacts {
            guards_required: 2,
            guards_in_post: 2,
            closed_management: verified(today),
            alarm_linked: verified(today),
            video_linked: verified(today),
            guard_post: verified(today),
        }
    }

    #[test]
    fn a_school_meeting_everything_has_four_ticks() {
        let t = ticks(&full("2026-06-01"), 180, day("2026-06-01"));
        assert!(t.all_met());
        assert!(t.gaps().is_empty());
    }

    #[test]
    fn each_missing_tick_says_why() {
        let today = day("2026-06-01");
        let mut f = full("2026-06-01");
        f.guards_in_post = 1;
        f.closed_management.in_place = false;
        f.video_linked.verified_on = None;
        f.guard_post = verified("2025-12-02");
        let t = ticks(&f, 180, today);
        assert_eq!(
            t.gaps(),
            vec![
                (Item::Guards, Gap::TooFewGuards),
                (Item::Closed, Gap::NotInPlace),
                (Item::Alarm, Gap::NotVerified),
                (Item::Post, Gap::Lapsed),
            ]
        );
        assert!(!t.all_met());
    }

    #[test]
    fn a_verification_holds_for_exactly_the_days_the_county_sets() {
        let today = day("2026-06-30");
        let on_the_edge = verified("2026-01-01"); // 180 days before
        assert_eq!(provision(on_the_edge, 180, today), Ok(()));
        assert_eq!(
            provision(verified("2025-12-31"), 180, today),
            Err(Gap::Lapsed)
        );
        assert_eq!(provision(verified("2025-12-31"), 365, today), Ok(()));
    }

    #[test]
    fn the_alarm_item_needs_both_the_alarm_and_the_video() {
        let today = day("2026-06-01");
        let mut f = full("2026-06-01");
        f.alarm_linked.in_place = false;
        assert_eq!(ticks(&f, 180, today).alarm, Err(Gap::NotInPlace));
        let mut f = full("2026-06-01");
        f.video_linked = verified("2025-01-01");
        assert_eq!(ticks(&f, 180, today).alarm, Err(Gap::Lapsed));
    }

    #[test]
    fn the_tally_counts_each_item_and_all_four_with_their_rates() {
        let today = day("2026-06-01");
        let mut t = Tally::default();
        let all = full("2026-06-01");
        let mut few = full("2026-06-01");
        few.guards_in_post = 0;
        few.guards_required = 3;
        let mut no_post = full("2026-06-01");
        no_post.guard_post.in_place = false;
        for f in [all, few, no_post] {
            t.add(&f, &ticks(&f, 180, today));
        }
        assert_eq!(
            t,
            Tally {
                schools: 3,
                guards_required: 7,
                guards_in_post: 4,
                meet_guards: 2,
                meet_closed_management: 3,
                meet_alarm_video: 3,
                meet_guard_post: 2,
                meet_all_four: 1,
            }
        );
        assert_eq!(t.rate(Item::Closed), Some(1.0));
        assert_eq!(t.rate_all_four().map(|r| (r * 1000.0).round()), Some(333.0));
        assert_eq!(
            Tally::default().rate(Item::Guards),
            None,
            "nothing to divide"
        );
    }
}
