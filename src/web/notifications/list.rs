//! GET /notifications: newest first, unread marked, a page at a time.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::notify;
use crate::domain::time;
use crate::error::AppError;
use crate::store::notifications::{self, Listed, PAGE_SIZE};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State;

/// What a notice no version of the app names any more says.
pub const UNKNOWN: &str = "notifications.unknown";

#[derive(Deserialize)]
pub struct ListQuery {
    page: Option<String>,
}

impl ListQuery {
    fn page(&self) -> i64 {
        self.page
            .as_deref()
            .and_then(|p| p.trim().parse().ok())
            .filter(|p| (1..=100_000).contains(p))
            .unwrap_or(1)
    }
}

/// One notification as the list shows it.
pub struct Item {
    pub id: i64,
    pub text_key: &'static str,
    pub reference: String,
    pub title: String,
    pub url: String,
    pub school: String,
    pub when: String,
    pub when_utc: String,
    pub unread: bool,
}

impl Item {
    fn new((n, school): Listed) -> Item {
        Item {
            id: n.id,
            text_key: notify::label(n.record_kind, &n.event).unwrap_or(UNKNOWN),
            when: time::local_minute(n.created_at),
            when_utc: n.created_at.and_utc().to_rfc3339(),
            unread: n.read_at.is_none(),
            reference: n.reference,
            title: n.title,
            url: n.url,
            school: school.unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "notifications/list.html")]
struct ListPage {
    page: Page,
    items: Vec<Item>,
    total: i64,
    unread: i64,
    page_no: i64,
    pages: i64,
}

impl ListPage {
    fn past_end(&self) -> bool {
        self.page_no > self.pages
    }
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (user_id, page_no) = (authed.user.id, q.page());
    let (rows, total) = state
        .db(move |conn| Ok(notifications::page(conn, user_id, page_no)?))
        .await?;
    render(&ListPage {
        page: Page::new(&ctx, "notifications.title"),
        items: rows.into_iter().map(Item::new).collect(),
        total,
        unread: authed.unread,
        page_no,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
    })
}
