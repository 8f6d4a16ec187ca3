//! GET /education: the register of the officer's school, or the county's, with its filters
//! (`school`, `kind`, `topic`, `month` as YYYY-MM or `year`, `page`).

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::access::Target;
use crate::domain::education::{SessionKind, Topic, rules};
use crate::domain::enums::StrEnum;
use crate::domain::month::Month;
use crate::error::AppError;
use crate::store::education::{self as store, Filter, PAGE_SIZE, Row};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, choices};
use crate::web::listing;
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    pub school: Option<String>,
    pub kind: Option<String>,
    pub topic: Option<String>,
    pub month: Option<String>,
    pub year: Option<String>,
    pub q: Option<String>,
    pub page: Option<String>,
}

impl ListQuery {
    pub fn query_string(&self) -> String {
        listing::query_string(&[
            ("school", &self.school),
            ("kind", &self.kind),
            ("topic", &self.topic),
            ("month", &self.month),
            ("year", &self.year),
            ("q", &self.q),
        ])
    }
}

fn parsed<E: StrEnum>(v: &Option<String>) -> Result<Option<E>, AppError> {
    listing::given(v)
        .map(|s| E::parse(s).ok_or(AppError::Invalid("error.bad_filter")))
        .transpose()
}

/// The days a `month` or `year` filter covers.
fn period(q: &ListQuery) -> Result<(Option<NaiveDate>, Option<NaiveDate>), AppError> {
    if let Some(m) = listing::given(&q.month) {
        let m = Month::parse(m).ok_or(AppError::Invalid("error.bad_filter"))?;
        return Ok((Some(m.first_day()), Some(m.last_day())));
    }
    if let Some(y) = listing::given(&q.year) {
        let y: i32 = y
            .parse()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or(AppError::Invalid("error.bad_filter"))?;
        return Ok((
            NaiveDate::from_ymd_opt(y, 1, 1),
            NaiveDate::from_ymd_opt(y, 12, 31),
        ));
    }
    Ok((None, None))
}

/// The list's filter within the user's scope (another school's code is 404).
pub async fn filter(state: &State, authed: &Authed, q: &ListQuery) -> Result<Filter, AppError> {
    let who = authed.actor();
    rules::may_list(&who)?;
    let school_id = match (who.home(), listing::given(&q.school)) {
        // Another school's code is not found for a school user, as an unknown one is.
        (Target::School(id), Some(code)) => {
            listing::school_filter(state, authed, code).await?;
            Some(id)
        }
        (Target::School(id), None) => Some(id),
        (Target::County, Some(code)) => Some(listing::school_filter(state, authed, code).await?),
        (Target::County, None) => None,
    };
    let (from, to) = period(q)?;
    Ok(Filter {
        school_id,
        schools: None,
        kind: parsed::<SessionKind>(&q.kind)?,
        topic: parsed::<Topic>(&q.topic)?,
        from,
        to,
        // Notes are searched only by those who read them (a search is a way to read).
        text: listing::given(&q.q)
            .filter(|_| rules::may_record_somewhere(&who).is_ok())
            .map(str::to_string),
    })
}

pub struct Item {
    pub id: i64,
    pub school: String,
    pub held_on: String,
    pub kind_key: &'static str,
    pub topic_key: &'static str,
    pub participants: i32,
}

impl Item {
    pub fn new(r: &Row) -> Item {
        let s = &r.session;
        Item {
            id: s.id,
            school: r.school_name.clone(),
            held_on: s.held_on.to_string(),
            kind_key: s.kind.label(),
            topic_key: s.topic.label(),
            participants: s.participants,
        }
    }
}

#[derive(Template)]
#[template(path = "education/list.html")]
struct ListPage {
    page: Page,
    items: Vec<Item>,
    total: i64,
    page_no: i64,
    pages: i64,
    query: String,
    kinds: Vec<Choice>,
    topics: Vec<Choice>,
    schools: Vec<Choice>,
    month: String,
    year: String,
    text: String,
    /// The note search, for those who read notes.
    searches: bool,
    county_wide: bool,
    records: bool,
}

impl ListPage {
    fn export_link(&self, ext: &str) -> String {
        listing::link(&format!("/education.{ext}"), &self.query, None)
    }

    fn page_link(&self, n: &i64) -> String {
        listing::link("/education", &self.query, Some(("page", *n)))
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
    let (rows, total) = state
        .db(move |conn| Ok(store::page(conn, &f, page_no)?))
        .await?;
    let (schools, _) =
        listing::school_and_township_choices(&state, &authed, &q.school, &None).await?;
    let t = ListPage {
        page: Page::new(&ctx, "education.title"),
        items: rows.iter().map(Item::new).collect(),
        total,
        page_no,
        pages: listing::pages(total, PAGE_SIZE),
        query: q.query_string(),
        kinds: choices::<SessionKind>(q.kind.as_deref().unwrap_or("")),
        topics: choices::<Topic>(q.topic.as_deref().unwrap_or("")),
        schools,
        month: q.month.clone().unwrap_or_default(),
        year: q.year.clone().unwrap_or_default(),
        text: q.q.clone().unwrap_or_default(),
        searches: rules::may_record_somewhere(&who).is_ok(),
        county_wide: !who.is_school_scoped(),
        records: rules::may_record_somewhere(&who).is_ok(),
    };
    render(&t)
}
