//! The education section's arithmetic: a month's sessions and drills, who took part, and the
//! count per topic (every topic listed, zeros too: a report a county signs has no missing
//! rows). A session counts in the month it was held, once it has been recorded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{SessionKind, Topic};

/// One recorded session as the report counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Held {
    pub school_id: i64,
    pub kind: SessionKind,
    pub topic: Topic,
    pub participants: i32,
}

/// CONTRACT's `education` keys.
#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct Figures {
    pub sessions_in_month: i64,
    pub drills_in_month: i64,
    pub participants_in_month: i64,
    /// Sessions and drills per topic, every topic present.
    pub by_topic: BTreeMap<String, i64>,
}

impl Figures {
    /// Nothing held: every topic at zero.
    pub fn empty() -> Figures {
        Figures {
            by_topic: Topic::ALL
                .iter()
                .map(|t| (t.as_str().to_string(), 0))
                .collect(),
            ..Figures::default()
        }
    }

    pub fn add(&mut self, h: &Held) {
        match h.kind {
            SessionKind::Education => self.sessions_in_month += 1,
            SessionKind::Drill => self.drills_in_month += 1,
        }
        self.participants_in_month += i64::from(h.participants);
        *self
            .by_topic
            .entry(h.topic.as_str().to_string())
            .or_insert(0) += 1;
    }

    /// Two periods together (a year is its months).
    pub fn plus(&self, o: &Figures) -> Figures {
        let mut by_topic = self.by_topic.clone();
        for (k, n) in &o.by_topic {
            *by_topic.entry(k.clone()).or_insert(0) += n;
        }
        Figures {
            sessions_in_month: self.sessions_in_month + o.sessions_in_month,
            drills_in_month: self.drills_in_month + o.drills_in_month,
            participants_in_month: self.participants_in_month + o.participants_in_month,
            by_topic,
        }
    }

    pub fn topic(&self, t: Topic) -> i64 {
        self.by_topic.get(t.as_str()).copied().unwrap_or(0)
    }
}

pub fn figures<'a>(held: impl IntoIterator<Item = &'a Held>) -> Figures {
    let mut f = Figures::empty();
    for h in held {
        f.add(h);
    }
    f
}

/// The totals and a line per unit (every unit named, those with nothing too).
pub fn by_unit<'a>(
    held: impl IntoIterator<Item = &'a Held>,
    unit_of: impl Fn(i64) -> String,
    units: impl IntoIterator<Item = String>,
) -> BTreeMap<String, Figures> {
    let mut out: BTreeMap<String, Figures> =
        units.into_iter().map(|u| (u, Figures::empty())).collect();
    for h in held {
        out.entry(unit_of(h.school_id))
            .or_insert_with(Figures::empty)
            .add(h);
    }
    out
}

/// The county view: sessions and drills per topic for each month (1–12) of a year.
pub fn topic_by_month(held: impl IntoIterator<Item = (u32, Topic)>) -> Vec<(Topic, [i64; 12])> {
    let mut grid: BTreeMap<Topic, [i64; 12]> = Topic::ALL.iter().map(|t| (*t, [0; 12])).collect();
    for (month, topic) in held {
        if let (Some(row), Some(i)) = (grid.get_mut(&topic), month.checked_sub(1))
            && let Some(cell) = row.get_mut(i as usize)
        {
            *cell += 1;
        }
    }
    grid.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn held(school_id: i64, kind: SessionKind, topic: Topic, participants: i32) -> Held {
        Held {
            school_id,
            kind,
            topic,
            participants,
        }
    }

    #[test]
    fn sessions_and_drills_are_counted_apart_and_topics_together() {
        let rows = [
            held(1, SessionKind::Education, Topic::Drowning, 300),
            held(1, SessionKind::Drill, Topic::Fire, 450),
            held(2, SessionKind::Education, Topic::Drowning, 120),
        ];
        let f = figures(&rows);
        assert_eq!(f.sessions_in_month, 2);
        assert_eq!(f.drills_in_month, 1);
        assert_eq!(f.participants_in_month, 870);
        assert_eq!(f.topic(Topic::Drowning), 2);
        assert_eq!(f.topic(Topic::Fire), 1);
        assert_eq!(f.by_topic.len(), Topic::ALL.len(), "every topic listed");
        assert_eq!(f.topic(Topic::Food), 0);
    }

    #[test]
    fn a_year_is_the_sum_of_its_months() {
        let a = figures(&[held(1, SessionKind::Drill, Topic::Earthquake, 10)]);
        let b = figures(&[
            held(1, SessionKind::Drill, Topic::Earthquake, 5),
            held(2, SessionKind::Education, Topic::Traffic, 7),
        ]);
        let y = a.plus(&b);
        assert_eq!(
            (
                y.sessions_in_month,
                y.drills_in_month,
                y.participants_in_month
            ),
            (1, 2, 22)
        );
        assert_eq!(y.topic(Topic::Earthquake), 2);
        assert_eq!(y.topic(Topic::Traffic), 1);
        assert_eq!(Figures::empty().plus(&Figures::empty()), Figures::empty());
    }

    #[test]
    fn every_unit_has_a_line_and_sessions_land_in_their_schools_unit() {
        let rows = [held(1, SessionKind::Drill, Topic::Fire, 10)];
        let lines = by_unit(
            &rows,
            |s| if s == 1 { "A镇".into() } else { "B镇".into() },
            ["A镇".to_string(), "B镇".to_string()],
        );
        assert_eq!(lines["A镇"].drills_in_month, 1);
        assert_eq!(lines["B镇"], Figures::empty());
    }

    #[test]
    fn the_county_view_counts_each_topic_per_month() {
        let grid = topic_by_month([
            (6, Topic::Drowning),
            (6, Topic::Drowning),
            (12, Topic::Fire),
        ]);
        let row = |t| grid.iter().find(|(x, _)| *x == t).map(|(_, r)| *r);
        assert_eq!(row(Topic::Drowning).map(|r| r[5]), Some(2));
        assert_eq!(row(Topic::Fire).map(|r| r[11]), Some(1));
        assert_eq!(grid.len(), Topic::ALL.len());
    }
}
