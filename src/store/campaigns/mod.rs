//! Campaign checklists' rows: a campaign with its items (created with its event and a notice to
//! every school's officers, one transaction), each school's marks on its items (done with an
//! optional evidence file, returned with a comment: each step its event on the mark, and a
//! return its notice), and the reads of the campaign page and the report.

pub mod files;
pub mod trail;

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde_json::json;

use crate::db::schema::{campaign_items as ci, campaign_marks as cm, campaigns as c, schools};
use crate::db::{DbConn, write_tx};
use crate::domain::attachments::Stage;
use crate::domain::audit::RecordKind;
use crate::domain::campaigns::input::{Done, NewCampaign};
use crate::domain::campaigns::{
    CampaignEvent, CampaignNotice, KIND, MarkState, path, reference, rules,
};
use crate::store::events::{self as events, NewEvent};
use crate::store::files::Saved;
use crate::store::notifications::{self, About};
use crate::store::{By, StoreError, StoreResult, attachments};

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = c)]
pub struct Campaign {
    pub id: i64,
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub created_by: i64,
    pub created_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = ci)]
pub struct Item {
    pub id: i64,
    pub campaign_id: i64,
    pub position: i32,
    pub title: String,
}

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = cm)]
pub struct Mark {
    pub id: i64,
    pub campaign_id: i64,
    pub item_id: i64,
    pub school_id: i64,
    pub state: MarkState,
    pub done_on: Option<NaiveDate>,
    pub note: String,
    pub comment: Option<String>,
    pub updated_by: i64,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// Creates a campaign with its items and tells every active school's officers.
pub fn create(conn: &mut DbConn, by: &By, n: &NewCampaign) -> StoreResult<i64> {
    write_tx(conn, |conn| {
        rules::may_create(&by.who)?;
        diesel::insert_into(c::table)
            .values((
                c::name.eq(&n.name),
                c::starts_on.eq(n.starts_on),
                c::ends_on.eq(n.ends_on),
                c::created_by.eq(by.who.user_id),
                c::created_at.eq(by.at),
            ))
            .execute(conn)?;
        let id: i64 = c::table
            .filter(c::created_by.eq(by.who.user_id))
            .filter(c::created_at.eq(by.at))
            .order(c::id.desc())
            .select(c::id)
            .first(conn)?;
        for (i, title) in n.items.iter().enumerate() {
            diesel::insert_into(ci::table)
                .values((
                    ci::campaign_id.eq(id),
                    ci::position.eq(i as i32 + 1),
                    ci::title.eq(title),
                ))
                .execute(conn)?;
        }
        events::append(
            conn,
            &by.actor,
            NewEvent::new(KIND, Some(id), CampaignEvent::Create.as_str())
                .at(by.at)
                .changes(json!({
                    "starts_on": n.starts_on.to_string(), "ends_on": n.ends_on.to_string(),
                    "items": n.items.len(),
                })),
        )?;
        let every: Vec<i64> = schools::table
            .filter(schools::active.eq(true))
            .select(schools::id)
            .load(conn)?;
        let r = reference(id);
        for school in every {
            let about = About {
                kind: KIND,
                record_id: id,
                school_id: Some(school),
                reference: &r,
                title: &n.name,
                path: path(id),
            };
            notifications::notify(conn, by, &about, &CampaignNotice::Created.notice())?;
        }
        Ok(id)
    })
}

pub fn get(conn: &mut DbConn, id: i64) -> StoreResult<Campaign> {
    c::table
        .find(id)
        .select(Campaign::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

pub fn items(conn: &mut DbConn, campaign_id: i64) -> QueryResult<Vec<Item>> {
    ci::table
        .filter(ci::campaign_id.eq(campaign_id))
        .order(ci::position.asc())
        .select(Item::as_select())
        .load(conn)
}

/// Every campaign, the latest first, with its number of items.
pub fn list(conn: &mut DbConn) -> QueryResult<Vec<(Campaign, i64)>> {
    let all: Vec<Campaign> = c::table
        .order((c::starts_on.desc(), c::id.desc()))
        .select(Campaign::as_select())
        .load(conn)?;
    let counts: HashMap<i64, i64> = ci::table
        .group_by(ci::campaign_id)
        .select((ci::campaign_id, diesel::dsl::count_star()))
        .load::<(i64, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(all
        .into_iter()
        .map(|x| {
            let n = counts.get(&x.id).copied().unwrap_or(0);
            (x, n)
        })
        .collect())
}

/// The campaign's marks of these schools (all when None).
pub fn marks(
    conn: &mut DbConn,
    campaign_id: i64,
    schools: Option<&[i64]>,
) -> QueryResult<Vec<Mark>> {
    let mut q = cm::table
        .filter(cm::campaign_id.eq(campaign_id))
        .select(Mark::as_select())
        .into_boxed();
    if let Some(ids) = schools {
        q = q.filter(cm::school_id.eq_any(ids.to_vec()));
    }
    q.load(conn)
}

fn mark_of(conn: &mut DbConn, item_id: i64, school_id: i64) -> QueryResult<Option<Mark>> {
    cm::table
        .filter(cm::item_id.eq(item_id))
        .filter(cm::school_id.eq(school_id))
        .select(Mark::as_select())
        .first(conn)
        .optional()
}

/// The item of this campaign, or not found.
fn item_of(conn: &mut DbConn, campaign_id: i64, item_id: i64) -> StoreResult<Item> {
    ci::table
        .find(item_id)
        .filter(ci::campaign_id.eq(campaign_id))
        .select(Item::as_select())
        .first(conn)
        .optional()?
        .ok_or(StoreError::NotFound)
}

fn refused(r: crate::domain::access::Refusal, state: Option<MarkState>) -> StoreError {
    match state {
        Some(s) => StoreError::refused(r, RecordKind::CampaignMark, s),
        None => StoreError::Refused(r),
    }
}

/// A school's item done (its officer), with an optional evidence file, on the day given.
pub fn mark_done(
    conn: &mut DbConn,
    by: &By,
    (campaign_id, item_id, school_id): (i64, i64, i64),
    d: &Done,
    evidence: Option<&Saved>,
    today: NaiveDate,
) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let campaign = get(conn, campaign_id)?;
        item_of(conn, campaign_id, item_id)?;
        let before = mark_of(conn, item_id, school_id)?;
        let state = before.as_ref().map(|m| m.state);
        rules::may_mark_done(&by.who, school_id, state, campaign.starts_on, today)
            .map_err(|r| refused(r, state))?;
        let mark_id = match &before {
            Some(m) => {
                let n = diesel::update(cm::table.find(m.id).filter(cm::version.eq(m.version)))
                    .set((
                        cm::state.eq(MarkState::Done),
                        cm::done_on.eq(Some(d.done_on)),
                        cm::note.eq(&d.note),
                        cm::updated_by.eq(by.who.user_id),
                        cm::updated_at.eq(by.at),
                        cm::version.eq(m.version + 1),
                    ))
                    .execute(conn)?;
                if n == 0 {
                    return Err(StoreError::state_conflict(
                        RecordKind::CampaignMark,
                        MarkState::Done,
                    ));
                }
                m.id
            }
            None => {
                diesel::insert_into(cm::table)
                    .values((
                        cm::campaign_id.eq(campaign_id),
                        cm::item_id.eq(item_id),
                        cm::school_id.eq(school_id),
                        cm::state.eq(MarkState::Done),
                        cm::done_on.eq(Some(d.done_on)),
                        cm::note.eq(&d.note),
                        cm::updated_by.eq(by.who.user_id),
                        cm::updated_at.eq(by.at),
                        cm::version.eq(1),
                    ))
                    .execute(conn)
                    .map_err(|e| {
                        // Two officers at once: the second finds the item done.
                        if crate::store::is_unique_violation(&e) {
                            StoreError::state_conflict(RecordKind::CampaignMark, MarkState::Done)
                        } else {
                            e.into()
                        }
                    })?;
                mark_of(conn, item_id, school_id)?
                    .map(|m| m.id)
                    .ok_or(StoreError::NotFound)?
            }
        };
        events::append(
            conn,
            &by.actor,
            NewEvent::new(
                RecordKind::CampaignMark,
                Some(mark_id),
                CampaignEvent::Done.as_str(),
            )
            .at(by.at)
            .school(Some(school_id))
            .moves(state.map(|s| s.as_str()), Some(MarkState::Done.as_str()))
            .changes(json!({
                "campaign": campaign_id, "item": item_id, "done_on": d.done_on.to_string(),
            })),
        )?;
        if state == Some(MarkState::Returned) {
            let r = reference(campaign_id);
            let about = About {
                kind: RecordKind::CampaignMark,
                record_id: mark_id,
                school_id: Some(school_id),
                reference: &r,
                title: &campaign.name,
                path: path(campaign_id),
            };
            notifications::notify(conn, by, &about, &CampaignNotice::Redone.notice())?;
        }
        if let Some(f) = evidence {
            attachments::add(
                conn,
                by,
                &files::MARK_FILES,
                mark_id,
                Stage::Evidence,
                std::slice::from_ref(f),
            )?;
        }
        Ok(())
    })
}

/// The bureau returns a school's done item with a comment; the school's officers are told.
pub fn return_item(
    conn: &mut DbConn,
    by: &By,
    (campaign_id, item_id, school_id): (i64, i64, i64),
    comment: &str,
) -> StoreResult<()> {
    write_tx(conn, |conn| {
        let campaign = get(conn, campaign_id)?;
        item_of(conn, campaign_id, item_id)?;
        let before = mark_of(conn, item_id, school_id)?;
        let state = before.as_ref().map(|m| m.state);
        rules::may_return(&by.who, state).map_err(|r| refused(r, state))?;
        let Some(m) = before else {
            return Err(StoreError::Refused(
                crate::domain::access::Refusal::Conflict,
            ));
        };
        let n = diesel::update(cm::table.find(m.id).filter(cm::version.eq(m.version)))
            .set((
                cm::state.eq(MarkState::Returned),
                cm::comment.eq(Some(comment)),
                cm::updated_by.eq(by.who.user_id),
                cm::updated_at.eq(by.at),
                cm::version.eq(m.version + 1),
            ))
            .execute(conn)?;
        if n == 0 {
            return Err(StoreError::state_conflict(
                RecordKind::CampaignMark,
                MarkState::Returned,
            ));
        }
        events::append(
            conn,
            &by.actor,
            NewEvent::new(
                RecordKind::CampaignMark,
                Some(m.id),
                CampaignEvent::Returned.as_str(),
            )
            .at(by.at)
            .school(Some(school_id))
            .moves(
                Some(MarkState::Done.as_str()),
                Some(MarkState::Returned.as_str()),
            )
            .comment(Some(comment))
            .changes(json!({ "campaign": campaign_id, "item": item_id })),
        )?;
        let r = reference(campaign_id);
        let about = About {
            kind: RecordKind::CampaignMark,
            record_id: m.id,
            school_id: Some(school_id),
            reference: &r,
            title: &campaign.name,
            path: path(campaign_id),
        };
        notifications::notify(conn, by, &about, &CampaignNotice::Returned.notice())?;
        Ok(())
    })
}
