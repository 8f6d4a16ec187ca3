//! GET /legal-vps: the register (`unit_kind`, `school`, `in_office=1`, `page`), and the schools
//! no VP in office serves today. A school's officer sees those serving the own school.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::access::Target;
use crate::domain::legal_vps::{UnitKind, may_keep, may_list};
use crate::error::AppError;
use crate::store::legal_vps::{self as store, Filter, PAGE_SIZE, Row};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, choices};
use crate::web::listing;
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    pub unit_kind: Option<String>,
    pub school: Option<String>,
    pub in_office: Option<String>,
    pub q: Option<String>,
    pub page: Option<String>,
}

pub async fn filter(state: &State, authed: &Authed, q: &ListQuery) -> Result<Filter, AppError> {
    let who = authed.actor();
    may_list(&who)?;
    let schools = match (who.home(), listing::given(&q.school)) {
        // Another school's code is not found for a school user, as an unknown one is.
        (Target::School(id), Some(code)) => {
            listing::school_filter(state, authed, code).await?;
            Some(vec![id])
        }
        (Target::School(id), None) => Some(vec![id]),
        (Target::County, Some(code)) => {
            Some(vec![listing::school_filter(state, authed, code).await?])
        }
        (Target::County, None) => None,
    };
    let unit_kind = listing::given(&q.unit_kind)
        .map(|s| UnitKind::parse(s).ok_or(AppError::Invalid("error.bad_filter")))
        .transpose()?;
    Ok(Filter {
        schools,
        unit_kind,
        in_office_on: (listing::given(&q.in_office) == Some("1")).then_some(state.today()),
        text: listing::given(&q.q).map(str::to_string),
    })
}

pub struct Item {
    pub id: i64,
    pub name: String,
    pub unit_key: &'static str,
    pub unit_name: String,
    pub appointed_on: String,
    pub term_ends_on: String,
    pub schools: Vec<String>,
    pub in_office: bool,
}

impl Item {
    pub fn new(r: &Row, today: chrono::NaiveDate) -> Item {
        let v = &r.vp;
        Item {
            id: v.id,
            name: v.name.clone(),
            unit_key: v.unit_kind.label(),
            unit_name: v.unit_name.clone(),
            appointed_on: v.appointed_on.to_string(),
            term_ends_on: v.term_ends_on.map(|d| d.to_string()).unwrap_or_default(),
            schools: r.schools.iter().map(|s| s.2.clone()).collect(),
            in_office: crate::domain::legal_vps::in_office(v.appointed_on, v.term_ends_on, today),
        }
    }
}

#[derive(Template)]
#[template(path = "legal_vps/list.html")]
struct ListPage {
    page: Page,
    items: Vec<Item>,
    total: i64,
    page_no: i64,
    pages: i64,
    query: String,
    units: Vec<Choice>,
    schools: Vec<Choice>,
    in_office: bool,
    text: String,
    county_wide: bool,
    keeps: bool,
    without: Vec<(String, String)>,
    without_count: usize,
}

impl ListPage {
    fn marked(&self, text: &str) -> Vec<listing::Mark> {
        listing::marked(text, &Some(self.text.clone()))
    }

    fn export_link(&self, ext: &str) -> String {
        listing::link(&format!("/legal-vps.{ext}"), &self.query, None)
    }

    fn page_link(&self, n: &i64) -> String {
        listing::link("/legal-vps", &self.query, Some(("page", *n)))
    }
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    let q = q.into_inner();
    let f = filter(&state, &authed, &q).await?;
    let page_no = listing::page_number(&q.page);
    let today = state.today();
    let scope = match who.home() {
        Target::School(id) => Some(vec![id]),
        Target::County => None,
    };
    let (rows, total, without) = state
        .db(move |conn| {
            let (rows, total) = store::page(conn, &f, page_no)?;
            let without = store::schools_without(conn, scope.as_deref(), today)?;
            Ok((rows, total, without))
        })
        .await?;
    let (schools, _) =
        listing::school_and_township_choices(&state, &authed, &q.school, &None).await?;
    render(&ListPage {
        page: Page::new(&ctx, "legal_vps.title"),
        items: rows.iter().map(|r| Item::new(r, today)).collect(),
        total,
        page_no,
        pages: listing::pages(total, PAGE_SIZE),
        query: listing::query_string(&[
            ("unit_kind", &q.unit_kind),
            ("school", &q.school),
            ("in_office", &q.in_office),
            ("q", &q.q),
        ]),
        units: choices::<UnitKind>(q.unit_kind.as_deref().unwrap_or("")),
        schools,
        in_office: listing::given(&q.in_office) == Some("1"),
        text: q.q.clone().unwrap_or_default(),
        county_wide: !who.is_school_scoped(),
        keeps: may_keep(&who).is_ok(),
        without_count: without.len(),
        without,
    })
}
