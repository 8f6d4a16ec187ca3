//! GET /hazards (the ledger), /hazards/overdue, /hazards/supervised and /hazards/review.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::{Item, LedgerQuery, filter, require_view};
use crate::domain::hazard::{self, Category, State};
use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::hazards::ledger::{self, PAGE_SIZE};
use crate::store::hazards::photos;
use crate::store::models::HazardPhoto;
use crate::store::models::Township;
use crate::store::schools::{self, SchoolRow};
use crate::store::townships;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State as AppStateData;

pub struct StateCount {
    pub state: &'static str,
    pub key: String,
    pub n: i64,
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
    schools: Vec<SchoolRow>,
    townships: Vec<Township>,
    county_wide: bool,
    can_report: bool,
    path: &'static str,
}

impl LedgerPage {
    fn sel(&self, v: &Option<String>, option: &str) -> bool {
        v.as_deref() == Some(option)
    }

    fn states(&self) -> &'static [State] {
        super::states()
    }

    fn categories(&self) -> &'static [Category] {
        super::categories()
    }

    fn state_key(&self, s: &State) -> String {
        format!("hazard.state.{}", s.as_str())
    }

    fn category_key(&self, c: &Category) -> String {
        format!("hazard.category.{}", c.as_str())
    }

    fn text(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }

    fn page_link(&self, n: i64) -> String {
        if self.query.is_empty() {
            format!("{}?page={n}", self.path)
        } else {
            format!("{}?{}&page={n}", self.path, self.query)
        }
    }

    fn export_link(&self, ext: &str) -> String {
        if self.query.is_empty() {
            format!("/hazards.{ext}")
        } else {
            format!("/hazards.{ext}?{}", self.query)
        }
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
    let county_wide = !authed.role().is_school_scoped();
    let (rows, total, counts, schools, townships) = state
        .db(move |conn| {
            let (rows, total) = ledger::page(conn, &f, page_no)?;
            let counts = ledger::counts_by_state(conn, &f)?;
            let (schools, townships) = if county_wide {
                (schools::list(conn, false)?, townships::list(conn)?)
            } else {
                (Vec::new(), Vec::new())
            };
            Ok((rows, total, counts, schools, townships))
        })
        .await?;
    let items = rows.iter().map(|r| Item::new(r, today)).collect();
    let counts = counts
        .into_iter()
        .map(|(s, n)| StateCount {
            state: s.as_str(),
            key: format!("hazard.state.{}", s.as_str()),
            n,
        })
        .collect();
    let role = authed.role();
    let t = LedgerPage {
        page: Page::new(&ctx, title),
        items,
        total,
        counts,
        query: q.without_page(),
        q,
        page_no,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        schools,
        townships,
        county_wide,
        can_report: matches!(role, Role::Staff | Role::SchoolAdmin | Role::Bureau),
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
    pub photos: Vec<HazardPhoto>,
}

#[derive(Template)]
#[template(path = "hazards/review.html")]
struct ReviewPage {
    page: Page,
    items: Vec<ReviewItem>,
}

/// The bureau's queue: fixes awaiting acceptance, the longest waiting first, with their photos.
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
        sort: ledger::Sort::Oldest,
        ..Default::default()
    };
    let rows = state
        .db(move |conn| {
            let rows = ledger::all(conn, &f)?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let photos = photos::list(conn, r.hazard.id)?;
                out.push((r, photos));
            }
            Ok(out)
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|(r, photos)| ReviewItem {
            item: Item::new(&r, today),
            measures: r.hazard.measures.clone().unwrap_or_default(),
            photos: photos
                .into_iter()
                .filter(|p| p.stage == hazard::PhotoStage::After.as_str())
                .collect(),
        })
        .collect();
    render(&ReviewPage {
        page: Page::new(&ctx, "hazards.review_title"),
        items,
    })
}
