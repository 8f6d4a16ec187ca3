//! GET /bullying: the cases of the officer's school, or the county's for the bureau, with
//! CONTRACT's filters (`state`, `school`, `overdue=1`, `page`); pupils named only masked.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::access::Target;
use crate::domain::bullying::clock::{Standing, standing};
use crate::domain::bullying::{State, rules};
use crate::error::AppError;
use crate::store::bullying::list::{self, Filter, PAGE_SIZE, Row};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::{Choice, choices};
use crate::web::listing;
use crate::web::page::{Page, render};
use crate::web::state::State as AppState;

#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    pub state: Option<String>,
    pub school: Option<String>,
    pub overdue: Option<String>,
    pub page: Option<String>,
}

/// One line of the list as the page shows it.
pub struct Item {
    pub id: i64,
    pub ref_no: String,
    pub school: String,
    pub reported_on: String,
    pub reporter_key: &'static str,
    pub state_key: &'static str,
    pub determination_key: Option<&'static str>,
    /// The parties, masked: (role's key, 张*).
    pub parties: Vec<(&'static str, String)>,
    pub days_left: Option<i64>,
    pub overdue_by: Option<i64>,
}

impl Item {
    pub fn new(r: &Row, today: chrono::NaiveDate) -> Item {
        let c = &r.case;
        let (days_left, overdue_by) = match standing(c.state, c.deadline, today) {
            Standing::DaysLeft(n) => (Some(n), None),
            Standing::Overdue(n) => (None, Some(n)),
            Standing::Stopped => (None, None),
        };
        Item {
            id: c.id,
            ref_no: c.ref_no.clone(),
            school: r.school_name.clone(),
            reported_on: c.reported_on.to_string(),
            reporter_key: c.reporter_kind.label(),
            state_key: c.state.label(),
            determination_key: c.determination.map(|d| d.label()),
            parties: r
                .parties
                .iter()
                .map(|(role, n)| (role.label(), n.clone()))
                .collect(),
            days_left,
            overdue_by,
        }
    }
}

#[derive(Template)]
#[template(path = "bullying/list.html")]
struct ListPage {
    page: Page,
    items: Vec<Item>,
    total: i64,
    page_no: i64,
    pages: i64,
    query: String,
    states: Vec<Choice>,
    schools: Vec<Choice>,
    overdue: bool,
    county_wide: bool,
}

impl ListPage {
    fn export_link(&self, ext: &str) -> String {
        listing::link(&format!("/bullying.{ext}"), &self.query, None)
    }

    fn page_link(&self, n: &i64) -> String {
        listing::link("/bullying", &self.query, Some(("page", *n)))
    }
}

/// The list's filter from its query, within the user's scope (a school officer's own school;
/// another school's code is 404), for the page and its exports alike.
pub async fn filter(state: &AppState, authed: &Authed, q: &ListQuery) -> Result<Filter, AppError> {
    let who = authed.actor();
    rules::may_list(&who)?;
    let school_id = match (who.home(), listing::given(&q.school)) {
        (Target::School(id), _) => Some(id),
        (Target::County, Some(code)) => Some(listing::school_filter(state, authed, code).await?),
        (Target::County, None) => None,
    };
    let case_state = match listing::given(&q.state) {
        Some(s) => Some(State::parse(s).ok_or(AppError::Invalid("error.bad_filter"))?),
        None => None,
    };
    let overdue = listing::given(&q.overdue) == Some("1");
    Ok(Filter {
        school_id,
        state: case_state,
        overdue_on: overdue.then_some(state.today()),
    })
}

pub async fn show(
    state: AppState,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    let q = q.into_inner();
    let today = state.today();
    let f = filter(&state, &authed, &q).await?;
    let overdue = f.overdue_on.is_some();
    let page_no = listing::page_number(&q.page);
    let (rows, total) = state
        .db(move |conn| Ok(list::page(conn, &f, page_no)?))
        .await?;
    let (schools, _) =
        listing::school_and_township_choices(&state, &authed, &q.school, &None).await?;
    let t = ListPage {
        page: Page::new(&ctx, "bullying.title"),
        items: rows.iter().map(|r| Item::new(r, today)).collect(),
        total,
        page_no,
        pages: listing::pages(total, PAGE_SIZE),
        query: listing::query_string(&[
            ("state", &q.state),
            ("school", &q.school),
            ("overdue", &q.overdue),
        ]),
        states: choices::<State>(q.state.as_deref().unwrap_or("")),
        schools,
        overdue,
        county_wide: !who.is_school_scoped(),
    };
    render(&t)
}
