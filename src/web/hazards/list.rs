//! GET /hazards (the ledger), /hazards/overdue, /hazards/supervised and /hazards/review.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::{Item, LedgerQuery, filter, require_view};
use crate::domain::attachments::Stage;
use crate::domain::hazards::{Category, KIND, Level, Sort, Source, State, rules};
use crate::error::AppError;
use crate::store::attachments;
use crate::store::hazards::ledger::{self, PAGE_SIZE};
use crate::store::models::Attachment;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, choices};
use crate::web::listing;
use crate::web::page::{Page, render};
use crate::web::state::State as AppStateData;

pub struct StateCount {
    pub state: &'static str,
    pub key: &'static str,
    pub n: i64,
}

/// The filter bar's option lists, each marked with the current choice.
pub struct Filters {
    pub states: Vec<Choice>,
    pub schools: Vec<Choice>,
    pub townships: Vec<Choice>,
    pub sources: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub levels: Vec<Choice>,
    pub sorts: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "hazards/list.html")]
struct LedgerPage {
    page: Page,
    items: Vec<Item>,
    total: i64,
    counts: Vec<StateCount>,
    q: LedgerQuery,
    page_no: i64,
    pages: i64,
    query: String,
    filters: Filters,
    county_wide: bool,
    can_report: bool,
    path: &'static str,
}

impl LedgerPage {
    fn sel(&self, v: &Option<String>, option: &str) -> bool {
        v.as_deref() == Some(option)
    }

    fn text(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }

    fn page_link(&self, n: i64) -> String {
        listing::link(self.path, &self.query, Some(("page", n)))
    }

    fn export_link(&self, ext: &str) -> String {
        listing::link(&format!("/hazards.{ext}"), &self.query, None)
    }

    fn marked(&self, text: &str) -> Vec<listing::Mark> {
        listing::marked(text, &self.q.q)
    }

    fn last_page_link(&self) -> String {
        self.page_link(self.pages)
    }

    /// A page number past the last page: the page says so and links to the last one.
    fn past_end(&self) -> bool {
        self.page_no > self.pages
    }
}

async fn ledger_page(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: LedgerQuery,
    title: &'static str,
    path: &'static str,
) -> Result<HttpResponse, AppError> {
    require_view(&authed)?;
    let today = state.today();
    let f = filter(&state, &authed, &q, today).await?;
    let page_no = q.page();
    let county_wide = !authed.actor().is_school_scoped();
    let (rows, total, counts) = state
        .db(move |conn| Ok(ledger::page_with_counts(conn, &f, page_no)?))
        .await?;
    let (schools, townships) =
        listing::school_and_township_choices(&state, &authed, &q.school, &q.township).await?;
    let items = rows.iter().map(|r| Item::new(r, today)).collect();
    let counts = counts
        .into_iter()
        .map(|(s, n)| StateCount {
            state: s.as_str(),
            key: s.label(),
            n,
        })
        .collect();
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let filters = Filters {
        states: choices::<State>(&opt(&q.state)),
        schools,
        townships,
        sources: choices::<Source>(&opt(&q.source)),
        categories: choices::<Category>(&opt(&q.category)),
        levels: choices::<Level>(&opt(&q.level)),
        sorts: choices::<Sort>(q.sort.as_deref().unwrap_or(Sort::Newest.as_str())),
    };
    let t = LedgerPage {
        page: Page::new(&ctx, title),
        items,
        total,
        counts,
        query: q.without_page(),
        q,
        page_no,
        pages: listing::pages(total, PAGE_SIZE),
        filters,
        county_wide,
        can_report: rules::may_report_somewhere(&authed.actor()).is_ok(),
        path,
    };
    render(&t)
}

pub async fn ledger(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    ledger_page(
        state,
        ctx,
        authed,
        q.into_inner(),
        "hazards.title",
        "/hazards",
    )
    .await
}

pub async fn overdue(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    let mut q = q.into_inner();
    q.overdue = Some("1".into());
    q.sort = q.sort.or(Some("deadline".into()));
    ledger_page(
        state,
        ctx,
        authed,
        q,
        "hazards.overdue_title",
        "/hazards/overdue",
    )
    .await
}

pub async fn supervised(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<LedgerQuery>,
) -> Result<HttpResponse, AppError> {
    let mut q = q.into_inner();
    q.supervised = Some("1".into());
    ledger_page(
        state,
        ctx,
        authed,
        q,
        "hazards.supervised_title",
        "/hazards/supervised",
    )
    .await
}

pub struct ReviewItem {
    pub item: Item,
    pub measures: String,
    pub photos: Vec<Attachment>,
}

#[derive(Template)]
#[template(path = "hazards/review.html")]
struct ReviewPage {
    page: Page,
    items: Vec<ReviewItem>,
}

/// The bureau's queue: fixes awaiting acceptance, the longest waiting first, with their "after"
/// photos (read for the whole queue in one query).
pub async fn review(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
) -> Result<HttpResponse, AppError> {
    require_view(&authed)?;
    let today = state.today();
    let f = ledger::Filter {
        school_id: authed.user.school_id,
        state: Some(State::AwaitingAcceptance),
        sort: Some(ledger::Sort::Oldest),
        ..Default::default()
    };
    let (rows, photos) = state
        .db(move |conn| {
            let rows = ledger::first(conn, &f, ledger::QUEUE_MAX)?;
            let ids: Vec<i64> = rows.iter().map(|r| r.hazard.id).collect();
            Ok((rows, attachments::of_records(conn, KIND, &ids)?))
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|r| ReviewItem {
            item: Item::new(&r, today),
            measures: r.hazard.measures.clone().unwrap_or_default(),
            photos: photos
                .iter()
                .filter(|p| p.record_id == Some(r.hazard.id) && p.stage == Stage::After)
                .cloned()
                .collect(),
        })
        .collect();
    render(&ReviewPage {
        page: Page::new(&ctx, "hazards.review_title"),
        items,
    })
}
