//! GET /education/overview?year=YYYY: the county's sessions and drills per topic per month,
//! and the schools with no drowning-prevention session before the summer holiday (by the end
//! of the month the county set). The county roles only.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Datelike;
use serde::Deserialize;

use crate::domain::education::report::topic_by_month;
use crate::domain::education::{Topic, drowning_window, rules};
use crate::error::AppError;
use crate::store::education::{self as store, remind};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::listing;
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    pub year: Option<String>,
}

#[derive(Template)]
#[template(path = "education/overview.html")]
struct OverviewPage {
    page: Page,
    year: i32,
    grid: Vec<(&'static str, Vec<i64>, i64)>,
    month_totals: Vec<i64>,
    due_month: u32,
    due_by: String,
    owing: Vec<(String, String)>,
    owing_count: usize,
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<YearQuery>,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    rules::may_list(&who)?;
    if who.is_school_scoped() {
        return Err(AppError::Forbidden);
    }
    let today = state.today();
    let year = match listing::given(&q.year) {
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or(AppError::Invalid("error.bad_filter"))?,
        None => today.year(),
    };
    let (held, due_month, owing) = state
        .db(move |conn| {
            let held = store::topics_of_year(conn, None, year)?;
            let due = remind::due_month(conn)?;
            let window = drowning_window(year, due);
            let owing = store::without_drowning(conn, None, window)?;
            Ok((held, due, owing))
        })
        .await?;
    let rows = topic_by_month(held);
    let mut month_totals = vec![0; 12];
    let grid = rows
        .into_iter()
        .map(|(t, months): (Topic, [i64; 12])| {
            for (i, n) in months.iter().enumerate() {
                month_totals[i] += n;
            }
            (t.label(), months.to_vec(), months.iter().sum())
        })
        .collect();
    render(&OverviewPage {
        page: Page::new(&ctx, "education.overview_title"),
        year,
        grid,
        month_totals,
        due_month,
        due_by: drowning_window(year, due_month).1.to_string(),
        owing_count: owing.len(),
        owing: owing
            .into_iter()
            .map(|(_, code, name)| (code, name))
            .collect(),
    })
}
