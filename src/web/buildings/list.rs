//! GET /buildings: the register, per school for school users and county-wide for the others,
//! with CONTRACT's filters, a page at a time.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::{Item, ListQuery, filter, require_view};
use crate::domain::buildings::{Grade, Status, Use, rules};
use crate::error::AppError;
use crate::store::buildings::list::{self, PAGE_SIZE};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, choices};
use crate::web::listing;
use crate::web::page::{Page, render};
use crate::web::state::State as AppStateData;

/// The filter bar's option lists, each marked with the current choice.
pub struct Filters {
    pub grades: Vec<Choice>,
    pub statuses: Vec<Choice>,
    pub uses: Vec<Choice>,
    pub schools: Vec<Choice>,
    pub townships: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "buildings/list.html")]
struct ListPage {
    page: Page,
    items: Vec<Item>,
    total: i64,
    q: ListQuery,
    page_no: i64,
    pages: i64,
    query: String,
    filters: Filters,
    county_wide: bool,
    can_register: bool,
}

impl ListPage {
    fn marked(&self, text: &str) -> Vec<listing::Mark> {
        listing::marked(text, &self.q.q)
    }

    fn sel(&self, v: &Option<String>, option: &str) -> bool {
        v.as_deref() == Some(option)
    }

    fn text(&self, v: &Option<String>) -> String {
        v.clone().unwrap_or_default()
    }

    fn page_link(&self, n: i64) -> String {
        listing::link("/buildings", &self.query, Some(("page", n)))
    }

    fn last_page_link(&self) -> String {
        self.page_link(self.pages)
    }

    fn export_link(&self, ext: &str) -> String {
        listing::link(&format!("/buildings.{ext}"), &self.query, None)
    }

    fn past_end(&self) -> bool {
        self.page_no > self.pages
    }
}

/// The grade choices: A–D with their meaning's name, and "not appraised".
fn grade_choices(selected: &str) -> Vec<Choice> {
    let mut out = choices::<Grade>(selected);
    out.push(Choice {
        value: "none".into(),
        label: "buildings.grade.none".into(),
        keyed: true,
        selected: selected == "none",
    });
    out
}

pub async fn show(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    require_view(&authed)?;
    let q = q.into_inner();
    let today = state.today();
    let f = filter(&state, &authed, &q, today).await?;
    let page_no = q.page();
    let county_wide = !authed.actor().is_school_scoped();
    let (rows, total) = state
        .db(move |conn| Ok(list::page(conn, &f, page_no)?))
        .await?;
    let (schools, townships) =
        listing::school_and_township_choices(&state, &authed, &q.school, &q.township).await?;
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let filters = Filters {
        grades: grade_choices(&opt(&q.grade)),
        statuses: choices::<Status>(&opt(&q.status)),
        uses: choices::<Use>(&opt(&q.usage)),
        schools,
        townships,
    };
    let t = ListPage {
        page: Page::new(&ctx, "buildings.title"),
        items: rows.iter().map(|r| Item::new(r, today)).collect(),
        total,
        query: q.without_page(),
        q,
        page_no,
        pages: listing::pages(total, PAGE_SIZE),
        filters,
        county_wide,
        can_register: rules::may_register_somewhere(&authed.actor()).is_ok(),
    };
    render(&t)
}
