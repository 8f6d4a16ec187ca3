//! GET /campaigns/{id}: the campaign's items and its completion per school × item — every
//! school for the county roles (30 a page, by code), the own school for its officer, with the
//! forms of the steps each may take on each item.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::grid::{Grid, SchoolLine, load};
use crate::domain::campaigns::completion::Completion;
use crate::domain::campaigns::{MarkState, reference, rules};
use crate::error::AppError;
use crate::report::Cell as ReportCell;
use crate::store::campaigns::{Campaign, Item};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::listing;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State;

const SCHOOLS_PER_PAGE: usize = 30;

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    pub page: Option<String>,
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
    let Grid {
        campaign,
        items,
        lines,
        total,
    } = load(state, authed, id).await?;
    let pages = listing::pages(lines.len() as i64, SCHOOLS_PER_PAGE as i64);
    let page_no = page_no.min(pages);
    let lines = lines
        .into_iter()
        .skip((page_no as usize - 1) * SCHOOLS_PER_PAGE)
        .take(SCHOOLS_PER_PAGE)
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
