//! GET /hazards/{id}: details, before/after photos side by side, the timeline, and one form
//! per action this user may take now — nothing else.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::{Item, load_visible};
use crate::domain::hazard::{self, PhotoStage};
use crate::domain::time::local_minute;
use crate::error::AppError;
use crate::store::events;
use crate::store::hazards::{self as store, HazardRow, photos};
use crate::store::models::{Event, HazardPhoto};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State as AppStateData;

pub struct Entry {
    pub when: String,
    pub who: String,
    pub action_key: String,
    pub to_key: Option<String>,
    pub comment: Option<String>,
}

impl Entry {
    fn new(e: &Event) -> Entry {
        Entry {
            when: local_minute(e.at),
            who: e.actor.clone(),
            action_key: format!("hazard.event.{}", e.action),
            to_key: e.to_state.as_ref().map(|s| format!("hazard.state.{s}")),
            comment: e.comment.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "hazards/show.html")]
struct ShowPage {
    page: Page,
    row: HazardRow,
    item: Item,
    before: Vec<HazardPhoto>,
    after: Vec<HazardPhoto>,
    timeline: Vec<Entry>,
    actions: Vec<&'static str>,
    can_supervise: bool,
    photo_stages: Vec<&'static str>,
    errors: FormErrors,
    failed: Option<String>,
}

impl ShowPage {
    fn can(&self, action: &str) -> bool {
        self.actions.contains(&action)
    }

    fn opt<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }

    fn how_found_key(&self) -> String {
        format!("hazard.how_found.{}", self.row.hazard.how_found)
    }

    fn failed_here(&self, action: &str) -> bool {
        self.failed.as_deref() == Some(action)
    }

    fn field_error(&self, field: &str) -> Option<&'static str> {
        self.errors.get(field)
    }
}

/// Draws the record; `errors` belong to the form of `failed` (422), if any.
pub async fn page(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    row: HazardRow,
    errors: FormErrors,
    failed: Option<String>,
) -> Result<HttpResponse, AppError> {
    let id = row.hazard.id;
    let (photos, events, policy) = state
        .db(move |conn| {
            Ok((
                photos::list(conn, id)?,
                events::for_record(conn, store::KIND, id)?,
                store::policy(conn)?,
            ))
        })
        .await?;
    let today = state.today();
    let who = authed.actor();
    let facts = row.hazard.facts();
    let actions = hazard::available(&who, &facts, policy)
        .into_iter()
        .map(|a| a.as_str())
        .collect();
    let photo_stages = PhotoStage::ALL
        .iter()
        .filter(|s| hazard::may_add_photo(&who, &facts, **s).is_ok())
        .map(|s| s.as_str())
        .collect();
    let (before, after) = photos
        .into_iter()
        .partition(|p| p.stage == PhotoStage::Before.as_str());
    let status = if failed.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let t = ShowPage {
        page: Page::new(ctx, "hazards.show_title"),
        item: Item::new(&row, today),
        row,
        before,
        after,
        timeline: events.iter().map(Entry::new).collect(),
        actions,
        can_supervise: hazard::may_supervise(&who, &facts).is_ok(),
        photo_stages,
        errors,
        failed,
    };
    render_status(&t, status)
}

pub async fn show(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let row = load_visible(&state, &authed, id.into_inner()).await?;
    page(&state, &ctx, &authed, row, FormErrors::default(), None).await
}
