//! Loads what the bullying section of the monthly report counts: each case's steps before an
//! instant (states, determinations, deadlines — never a word typed), and the screenings
//! recorded in a window, per school.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::Value;

use crate::db::schema::{bullying_cases as bc, bullying_screenings as bs, events};
use crate::db::{DbConn, read_snapshot};
use crate::domain::bullying::report::{History, Step};
use crate::domain::bullying::{BullyingEvent, Determination, KIND, State};

/// The cases of these schools (all when None) with their steps before `upto`; a case not
/// reported by then is left out.
pub fn histories(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    upto: NaiveDateTime,
) -> QueryResult<Vec<History>> {
    read_snapshot(conn, |conn| {
        let mut q = bc::table.select((bc::id, bc::school_id)).into_boxed();
        if let Some(ids) = schools {
            q = q.filter(bc::school_id.eq_any(ids.to_vec()));
        }
        let school_of: HashMap<i64, i64> = q.load::<(i64, i64)>(conn)?.into_iter().collect();
        let mut e = events::table
            .filter(events::record_kind.eq(KIND))
            .filter(events::record_id.is_not_null())
            .filter(events::at.lt(upto))
            .select((
                events::id,
                events::record_id,
                events::at,
                events::action,
                events::to_state,
                events::changes,
            ))
            .into_boxed();
        if let Some(ids) = schools {
            e = e.filter(events::school_id.eq_any(ids.to_vec()));
        }
        type Row = (
            i64,
            Option<i64>,
            NaiveDateTime,
            String,
            Option<String>,
            Option<String>,
        );
        let mut steps: HashMap<i64, Vec<(i64, Step)>> = HashMap::new();
        for (id, record, at, action, to, changes) in e.load::<Row>(conn)? {
            let (Some(case), Some(event)) = (
                record.filter(|r| school_of.contains_key(r)),
                BullyingEvent::parse(&action),
            ) else {
                continue;
            };
            let c = changes.and_then(|c| serde_json::from_str::<Value>(&c).ok());
            let word = |k: &str| c.as_ref().and_then(|c| c.get(k)).and_then(Value::as_str);
            steps.entry(case).or_default().push((
                id,
                Step {
                    at,
                    event,
                    to: to.as_deref().and_then(State::parse),
                    determination: word("determination").and_then(Determination::parse),
                    deadline: word("deadline")
                        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
                },
            ));
        }
        Ok(steps
            .into_iter()
            .filter_map(|(case, mut s)| {
                s.sort_unstable_by_key(|(id, st)| (st.at, *id));
                Some(History {
                    school_id: *school_of.get(&case)?,
                    steps: s.into_iter().map(|(_, st)| st).collect(),
                })
            })
            .collect())
    })
}

/// Screenings recorded in [from, to), per school.
pub fn screenings(
    conn: &mut DbConn,
    schools: Option<&[i64]>,
    (from, to): (NaiveDateTime, NaiveDateTime),
) -> QueryResult<BTreeMap<i64, i64>> {
    let mut q = bs::table
        .filter(bs::recorded_at.ge(from))
        .filter(bs::recorded_at.lt(to))
        .select(bs::school_id)
        .into_boxed();
    if let Some(ids) = schools {
        q = q.filter(bs::school_id.eq_any(ids.to_vec()));
    }
    let mut out = BTreeMap::new();
    for s in q.load::<i64>(conn)? {
        *out.entry(s).or_insert(0) += 1;
    }
    Ok(out)
}
