//! A campaign's completion as its page and its export show it: every item, and a line per
//! school the user sees (every active school for the county roles, the own for an officer),
//! by code, with each item's state, day, note, the bureau's comment and the evidence files.

use std::collections::HashMap;

use crate::domain::access::Target;
use crate::domain::audit::RecordKind;
use crate::domain::campaigns::completion::{Completion, completion};
use crate::domain::campaigns::{MarkState, rules};
use crate::error::AppError;
use crate::store::attachments;
use crate::store::campaigns::{self as store, Campaign, Item, Mark};
use crate::web::ctx::Authed;
use crate::web::state::State;

pub struct CellView {
    pub item_id: i64,
    pub state: Option<MarkState>,
    pub done_on: String,
    pub note: String,
    pub comment: String,
    pub files: Vec<i64>,
}

pub struct SchoolLine {
    pub code: String,
    pub name: String,
    pub cells: Vec<CellView>,
    pub done: usize,
}

pub struct Grid {
    pub campaign: Campaign,
    pub items: Vec<Item>,
    pub lines: Vec<SchoolLine>,
    pub total: Completion,
}

fn cell(item_id: i64, m: Option<&&Mark>, files: &HashMap<i64, Vec<i64>>) -> CellView {
    CellView {
        item_id,
        state: m.map(|m| m.state),
        done_on: m
            .and_then(|m| m.done_on)
            .map(|d| d.to_string())
            .unwrap_or_default(),
        note: m.map(|m| m.note.clone()).unwrap_or_default(),
        comment: m.and_then(|m| m.comment.clone()).unwrap_or_default(),
        files: m
            .and_then(|m| files.get(&m.id).cloned())
            .unwrap_or_default(),
    }
}

/// The campaign `id` as this user sees it: 403 for a role that reads no campaign, 404 for a
/// missing one.
pub async fn load(state: &State, authed: &Authed, id: i64) -> Result<Grid, AppError> {
    let who = authed.actor();
    rules::may_list(&who)?;
    let own = match who.home() {
        Target::School(s) => Some(s),
        Target::County => None,
    };
    let now = state.now() + chrono::Duration::microseconds(1);
    let (campaign, items, schools, marks, files) = state
        .db(move |conn| {
            let campaign = store::get(conn, id)?;
            let items = store::items(conn, id)?;
            let scope = own.map(|s| vec![s]);
            let active = crate::store::security::trail::active_at(conn, scope.as_deref(), now)?;
            let mut schools: Vec<(i64, String, String)> = crate::store::schools::list(conn, false)?
                .into_iter()
                .filter(|s| active.contains(&s.school.id))
                .map(|s| (s.school.id, s.school.code, s.school.name))
                .collect();
            schools.sort_by(|a, b| a.1.cmp(&b.1));
            let marks = store::marks(conn, id, scope.as_deref())?;
            let ids: Vec<i64> = marks.iter().map(|m| m.id).collect();
            let files = attachments::of_records(conn, RecordKind::CampaignMark, &ids)?;
            Ok((campaign, items, schools, marks, files))
        })
        .await?;
    let item_ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let school_ids: Vec<i64> = schools.iter().map(|s| s.0).collect();
    let states = marks
        .iter()
        .map(|m| ((m.item_id, m.school_id), m.state))
        .collect();
    let total = completion(&item_ids, &school_ids, &states);
    let by_pair: HashMap<(i64, i64), &Mark> = marks
        .iter()
        .map(|m| ((m.item_id, m.school_id), m))
        .collect();
    let mut files_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for a in files {
        if let Some(r) = a.record_id {
            files_of.entry(r).or_default().push(a.id);
        }
    }
    let lines = schools
        .into_iter()
        .map(|(sid, code, name)| {
            let cells: Vec<CellView> = items
                .iter()
                .map(|i| cell(i.id, by_pair.get(&(i.id, sid)), &files_of))
                .collect();
            SchoolLine {
                code,
                name,
                done: cells
                    .iter()
                    .filter(|c| c.state == Some(MarkState::Done))
                    .count(),
                cells,
            }
        })
        .collect();
    Ok(Grid {
        campaign,
        items,
        lines,
        total,
    })
}
