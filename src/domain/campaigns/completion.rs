//! A campaign's completion: each (item, school) is done when its last step was "done" (a
//! return undoes it until the school does it again); the rate is the done pairs over items ×
//! schools, None when there is nothing to divide. The same replay reads the trail as of any
//! instant, so a past month's figures read the same next year.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::MarkState;

/// One step of the trail: this item of this school moved to this state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Step {
    pub item_id: i64,
    pub school_id: i64,
    pub state: MarkState,
}

/// The state of each (item, school) after these steps, in the order they were taken.
pub fn replay(steps: impl IntoIterator<Item = Step>) -> BTreeMap<(i64, i64), MarkState> {
    let mut out = BTreeMap::new();
    for s in steps {
        out.insert((s.item_id, s.school_id), s.state);
    }
    out
}

/// CONTRACT's `campaigns` entry's figures (the name travels beside them).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Completion {
    pub items: i64,
    pub schools: i64,
    /// (item, school) pairs done.
    pub done: i64,
    /// Schools with every item done.
    pub schools_complete: i64,
    pub completion_rate: Option<f64>,
}

/// The completion of `items` over `schools` (the scope's), given each pair's state.
pub fn completion(
    items: &[i64],
    schools: &[i64],
    states: &BTreeMap<(i64, i64), MarkState>,
) -> Completion {
    let item_set: BTreeSet<i64> = items.iter().copied().collect();
    let school_set: BTreeSet<i64> = schools.iter().copied().collect();
    let mut done_per_school: BTreeMap<i64, usize> = BTreeMap::new();
    let mut done = 0;
    for (&(item, school), state) in states {
        if *state == MarkState::Done && item_set.contains(&item) && school_set.contains(&school) {
            done += 1;
            *done_per_school.entry(school).or_insert(0) += 1;
        }
    }
    let all = (item_set.len() * school_set.len()) as i64;
    Completion {
        items: item_set.len() as i64,
        schools: school_set.len() as i64,
        done,
        schools_complete: done_per_school
            .values()
            .filter(|n| !item_set.is_empty() && **n == item_set.len())
            .count() as i64,
        completion_rate: (all > 0).then(|| done as f64 / all as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(item_id: i64, school_id: i64, state: MarkState) -> Step {
        Step {
            item_id,
            school_id,
            state,
        }
    }

    #[test]
    fn a_returned_item_is_undone_until_the_school_does_it_again() {
        let mut steps = vec![
            step(1, 10, MarkState::Done),
            step(2, 10, MarkState::Done),
            step(1, 10, MarkState::Returned),
        ];
        let c = completion(&[1, 2], &[10, 11], &replay(steps.clone()));
        assert_eq!((c.done, c.schools_complete), (1, 0));
        assert_eq!(c.completion_rate, Some(0.25));
        steps.push(step(1, 10, MarkState::Done));
        let c = completion(&[1, 2], &[10, 11], &replay(steps));
        assert_eq!((c.done, c.schools_complete), (2, 1));
        assert_eq!(c.completion_rate, Some(0.5));
    }

    #[test]
    fn full_completion_is_every_item_at_every_school() {
        let steps = [1, 2, 3]
            .into_iter()
            .flat_map(|i| [10, 11].map(|s| step(i, s, MarkState::Done)));
        let c = completion(&[1, 2, 3], &[10, 11], &replay(steps));
        assert_eq!(
            c,
            Completion {
                items: 3,
                schools: 2,
                done: 6,
                schools_complete: 2,
                completion_rate: Some(1.0)
            }
        );
    }

    #[test]
    fn schools_outside_the_scope_and_nothing_to_divide() {
        let states = replay([step(1, 99, MarkState::Done)]);
        let c = completion(&[1], &[10], &states);
        assert_eq!((c.done, c.completion_rate), (0, Some(0.0)));
        let c = completion(&[1], &[], &states);
        assert_eq!(c.completion_rate, None);
        let c = completion(&[], &[10], &states);
        assert_eq!(
            (c.items, c.schools_complete, c.completion_rate),
            (0, 0, None)
        );
    }
}
