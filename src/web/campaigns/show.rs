//! GET /campaigns/{id}: the campaign's items and its completion per school × item — every
//! school for the county roles (30 a page, by code), the own school for its officer, with the
//! forms of the steps each may take on each item.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::access::Target;
use crate::domain::audit::RecordKind;
use crate::domain::campaigns::completion::{Completion, completion};
use crate::domain::campaigns::{MarkState, reference, rules};
use crate::error::AppError;
use crate::report::Cell as ReportCell;
use crate::store::attachments;
use crate::store::campaigns::{self as store, Campaign, Item, Mark};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::listing;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State;

const SCHOOLS_PER_PAGE: usize = 30;

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    pub page: Option<String>,
}

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

#[derive(Template)]
#[template(path = "campaigns/show.html")]
struct ShowPage {
    page: Page,
    campaign: Campaign,
    reference: String,
    items: Vec<Item>,
    lines: Vec<SchoolLine>,
    total: Completion,
    rate: String,
    marks: bool,
    /// The campaign has begun: items may be marked done.
    started: bool,
    returns: bool,
    today: String,
    page_no: i64,
    pages: i64,
    errors: FormErrors,
}

impl ShowPage {
    fn page_link(&self, n: &i64) -> String {
        format!("/campaigns/{}?page={n}", self.campaign.id)
    }
}

/// The campaign page, with a refused step's errors when there are some (422).
pub async fn page(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    id: i64,
    page_no: i64,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
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
    let pages = listing::pages(schools.len() as i64, SCHOOLS_PER_PAGE as i64);
    let page_no = page_no.min(pages);
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
        .iter()
        .skip((page_no as usize - 1) * SCHOOLS_PER_PAGE)
        .take(SCHOOLS_PER_PAGE)
        .map(|(sid, code, name)| {
            let cells: Vec<CellView> = items
                .iter()
                .map(|i| {
                    let m = by_pair.get(&(i.id, *sid));
                    CellView {
                        item_id: i.id,
                        state: m.map(|m| m.state),
                        done_on: m
                            .and_then(|m| m.done_on)
                            .map(|d| d.to_string())
                            .unwrap_or_default(),
                        note: m.map(|m| m.note.clone()).unwrap_or_default(),
                        comment: m.and_then(|m| m.comment.clone()).unwrap_or_default(),
                        files: m
                            .and_then(|m| files_of.get(&m.id).cloned())
                            .unwrap_or_default(),
                    }
                })
                .collect();
            SchoolLine {
                code: code.clone(),
                name: name.clone(),
                done: cells
                    .iter()
                    .filter(|c| c.state == Some(MarkState::Done))
                    .count(),
                cells,
            }
        })
        .collect();
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let campaign_started = campaign.starts_on <= state.today();
    let t = ShowPage {
        page: Page::new(ctx, "campaigns.title"),
        reference: reference(campaign.id),
        rate: ReportCell::Rate(total.completion_rate).shown(),
        campaign,
        items,
        lines,
        total,
        marks: rules::marks_own_school(&who),
        started: campaign_started,
        returns: rules::may_create(&who).is_ok(),
        today: state.today().to_string(),
        page_no,
        pages,
        errors,
    };
    render_status(&t, status)
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    q: web::Query<ShowQuery>,
) -> Result<HttpResponse, AppError> {
    let n = listing::page_number(&q.page);
    page(
        &state,
        &ctx,
        &authed,
        id.into_inner(),
        n,
        FormErrors::default(),
    )
    .await
}
