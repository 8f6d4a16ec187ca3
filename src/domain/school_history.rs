//! A school's registry entry as it stood at an earlier instant: its row as it stands now, with
//! the changes written since undone. A report of a past month counts the schools registered and
//! active at its end, with the pupils they had then.

use chrono::NaiveDateTime;

/// A change to the registry entry, as its event recorded it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    /// Pupils and boarders before the edit (None: that one did not change).
    Sizes {
        pupils: Option<i32>,
        boarders: Option<i32>,
    },
    /// Activated (true) or deactivated (false).
    Active(bool),
}

/// The entry as it stands now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub created_at: NaiveDateTime,
    pub active: bool,
    pub pupils: i32,
    pub boarders: i32,
}

/// What a report needs of a school at an instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sizes {
    pub pupils: i32,
    pub boarders: i32,
}

impl Entry {
    /// The school's sizes just before `at`, or None when it was not registered yet or not
    /// active. `changes` are the entry's changes in time order; those before `at` are ignored.
    pub fn before(&self, at: NaiveDateTime, changes: &[(NaiveDateTime, Change)]) -> Option<Sizes> {
        if self.created_at >= at {
            return None;
        }
        let mut now = (
            self.active,
            Sizes {
                pupils: self.pupils,
                boarders: self.boarders,
            },
        );
        for (_, c) in changes.iter().rev().take_while(|(t, _)| *t >= at) {
            match *c {
                Change::Sizes { pupils, boarders } => {
                    now.1.pupils = pupils.unwrap_or(now.1.pupils);
                    now.1.boarders = boarders.unwrap_or(now.1.boarders);
                }
                Change::Active(to) => now.0 = !to,
            }
        }
        now.0.then_some(now.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap_or_default()
    }

    fn entry(active: bool) -> Entry {
        Entry {
            id: 1,
            created_at: at("2026-01-10 08:00"),
            active,
            pupils: 620,
            boarders: 40,
        }
    }

    #[test]
    fn a_school_counts_from_its_registration_on() {
        let e = entry(true);
        assert_eq!(e.before(at("2026-01-10 08:00"), &[]), None);
        assert_eq!(
            e.before(at("2026-01-10 08:01"), &[]),
            Some(Sizes {
                pupils: 620,
                boarders: 40
            })
        );
    }

    #[test]
    fn edits_after_the_instant_are_undone_latest_first() {
        let changes = [
            (
                at("2026-02-01 08:00"),
                Change::Sizes {
                    pupils: Some(90),
                    boarders: None,
                },
            ),
            (
                at("2026-03-01 08:00"),
                Change::Sizes {
                    pupils: Some(300),
                    boarders: Some(0),
                },
            ),
        ];
        let e = entry(true);
        let sizes = |s| e.before(at(s), &changes).map(|s| (s.pupils, s.boarders));
        assert_eq!(sizes("2026-01-20 00:00"), Some((90, 0)));
        assert_eq!(sizes("2026-02-20 00:00"), Some((300, 0)));
        assert_eq!(sizes("2026-03-20 00:00"), Some((620, 40)));
    }

    #[test]
    fn a_school_deactivated_later_counted_until_then_and_not_after() {
        let changes = [
            (at("2026-02-01 08:00"), Change::Active(false)),
            (at("2026-03-01 08:00"), Change::Active(true)),
            (at("2026-04-01 08:00"), Change::Active(false)),
        ];
        let e = entry(false);
        let counted = |s| e.before(at(s), &changes).is_some();
        assert!(counted("2026-01-20 00:00"));
        assert!(!counted("2026-02-20 00:00"));
        assert!(counted("2026-03-20 00:00"));
        assert!(!counted("2026-04-20 00:00"));
    }
}
