//! What the campaigns section reads: the campaigns running in a period and known by its end,
//! their items, and every mark's steps before an instant, from the trail.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::Campaign;
use crate::db::schema::{campaign_items as ci, campaign_marks as cm, campaigns as c, events};
use crate::db::{DbConn, read_snapshot};
use crate::domain::audit::RecordKind;
use crate::domain::campaigns::MarkState;
use crate::domain::campaigns::completion::Step;

/// A campaign as the report counts it: its name, items, and each mark's steps.
#[derive(Clone, Debug)]
pub struct Running {
    pub campaign: Campaign,
    pub items: Vec<i64>,
    /// (school, item, state) in the order taken.
    pub steps: Vec<Step>,
}

/// Campaigns whose period meets [from, to] (days), created before `upto`, with their marks'
/// steps before `upto`, the earliest start first.
pub fn running(
    conn: &mut DbConn,
    (from, to): (NaiveDate, NaiveDate),
    upto: NaiveDateTime,
) -> QueryResult<Vec<Running>> {
    read_snapshot(conn, |conn| {
        let found: Vec<Campaign> = c::table
            .filter(c::starts_on.le(to))
            .filter(c::ends_on.ge(from))
            .filter(c::created_at.lt(upto))
            .order((c::starts_on.asc(), c::id.asc()))
            .select(Campaign::as_select())
            .load(conn)?;
        let ids: Vec<i64> = found.iter().map(|x| x.id).collect();
        let mut items: HashMap<i64, Vec<i64>> = HashMap::new();
        for (campaign, item) in ci::table
            .filter(ci::campaign_id.eq_any(ids.clone()))
            .order(ci::position.asc())
            .select((ci::campaign_id, ci::id))
            .load::<(i64, i64)>(conn)?
        {
            items.entry(campaign).or_default().push(item);
        }
        let marks: HashMap<i64, (i64, i64, i64)> = cm::table
            .filter(cm::campaign_id.eq_any(ids))
            .select((cm::id, cm::campaign_id, cm::item_id, cm::school_id))
            .load::<(i64, i64, i64, i64)>(conn)?
            .into_iter()
            .map(|(id, campaign, item, school)| (id, (campaign, item, school)))
            .collect();
        let mut steps: HashMap<i64, Vec<Step>> = HashMap::new();
        for (record, to_state) in events::table
            .filter(events::record_kind.eq(RecordKind::CampaignMark))
            .filter(events::at.lt(upto))
            .filter(events::to_state.is_not_null())
            .order((events::at.asc(), events::id.asc()))
            .select((events::record_id, events::to_state))
            .load::<(Option<i64>, Option<String>)>(conn)?
        {
            let (Some(&(campaign, item_id, school_id)), Some(state)) = (
                record.and_then(|r| marks.get(&r)),
                to_state.as_deref().and_then(MarkState::parse),
            ) else {
                continue;
            };
            steps.entry(campaign).or_default().push(Step {
                item_id,
                school_id,
                state,
            });
        }
        Ok(found
            .into_iter()
            .map(|campaign| Running {
                items: items.remove(&campaign.id).unwrap_or_default(),
                steps: steps.remove(&campaign.id).unwrap_or_default(),
                campaign,
            })
            .collect())
    })
}
