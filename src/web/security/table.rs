//! GET /security: for county roles the "4 × 100%" table — a row per school (guards required and
//! in post, the four ticks with the reason one is missing, guards with warnings, the last alarm
//! test) and per township and county the share of schools meeting each item and all four.
//! School users are sent to their own school's page.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use askama::Template;

use super::{GapFilter, TableQuery};
use crate::domain::security::compliance::{Tally, Ticks};
use crate::domain::security::{Item, rules};
use crate::error::{AppError, redirect};
use crate::store::security::{self as store, table::Row};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::fields::Choice;
use crate::web::listing::{self, given};
use crate::web::page::{Page, render};
use crate::web::state::State;

/// One tick as the table draws it: met, or the catalog key of why not.
pub struct Cell {
    pub met: bool,
    pub reason: &'static str,
}

pub fn cells(t: &Ticks) -> Vec<Cell> {
    Item::ALL
        .iter()
        .map(|i| match t.get(*i) {
            Ok(()) => Cell {
                met: true,
                reason: "",
            },
            Err(g) => Cell {
                met: false,
                reason: g.label(),
            },
        })
        .collect()
}

/// A tally's line: its name (a township, or the county), its counts and rates in words.
pub struct TallyLine {
    pub name: String,
    pub t: Tally,
}

impl TallyLine {
    /// The share meeting an item as a percentage, "—" with no schools.
    pub fn rate(&self, item: &Item) -> String {
        percent(self.t.rate(*item))
    }

    pub fn count(&self, item: &Item) -> i64 {
        self.t.meeting(*item)
    }

    pub fn rate_all(&self) -> String {
        percent(self.t.rate_all_four())
    }
}

fn percent(r: Option<f64>) -> String {
    r.map(|r| format!("{:.1}%", r * 100.0))
        .unwrap_or_else(|| "—".into())
}

#[derive(Template)]
#[template(path = "security/table.html")]
struct TablePage {
    page: Page,
    items: Vec<Item>,
    rows: Vec<(Row, Vec<Cell>)>,
    townships: Vec<TallyLine>,
    county: TallyLine,
    filter_townships: Vec<Choice>,
    gaps: Vec<Choice>,
    query: String,
}

impl TablePage {
    fn export_link(&self, ext: &str) -> String {
        listing::link(&format!("/security.{ext}"), &self.query, None)
    }
}

/// The table's filter as asked, refused (422) when it names nothing known.
pub async fn gap_filter(q: &TableQuery) -> Result<Option<GapFilter>, AppError> {
    Ok(match given(&q.gap) {
        None => None,
        Some("any") => Some(GapFilter::Any),
        Some(g) => Some(GapFilter::Item(
            Item::parse(g).ok_or(AppError::Invalid("error.bad_filter"))?,
        )),
    })
}

/// The table's rows for the query, within the county.
pub async fn table_rows(state: &State, q: &TableQuery) -> Result<Vec<Row>, AppError> {
    let township = match given(&q.township) {
        Some(t) => Some(listing::township_filter(state, t).await?),
        None => None,
    };
    let gap = gap_filter(q).await?;
    let today = state.today();
    let rows = state
        .db(move |conn| {
            let s = store::settings(conn)?;
            Ok(store::table::rows(conn, &s, today, township.as_deref())?)
        })
        .await?;
    Ok(rows
        .into_iter()
        .filter(|r| match gap {
            None => true,
            Some(GapFilter::Any) => !r.ticks.all_met(),
            Some(GapFilter::Item(i)) => r.ticks.get(i).is_err(),
        })
        .collect())
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<TableQuery>,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    rules::may_view(&who, who.home())?;
    if !rules::sees_county_table(&who) {
        let Some(id) = authed.user.school_id else {
            return Err(AppError::NotFound);
        };
        let school = state
            .db(move |conn| Ok(crate::store::schools::get(conn, id)?))
            .await?;
        return Ok(redirect(&format!(
            "/security/schools/{}",
            school.school.code
        )));
    }
    let q = q.into_inner();
    let rows = table_rows(&state, &q).await?;
    let mut by_township: BTreeMap<String, Tally> = BTreeMap::new();
    let mut county = Tally::default();
    for r in &rows {
        county.add(&r.facts, &r.ticks);
        by_township
            .entry(r.school.township.clone().unwrap_or_default())
            .or_default()
            .add(&r.facts, &r.ticks);
    }
    let (_, filter_townships) =
        listing::school_and_township_choices(&state, &authed, &None, &q.township).await?;
    let mut gaps: Vec<Choice> = Item::ALL
        .iter()
        .map(|i| Choice {
            value: i.as_str().into(),
            label: i.label().into(),
            keyed: true,
            selected: q.gap.as_deref() == Some(i.as_str()),
        })
        .collect();
    gaps.push(Choice {
        value: "any".into(),
        label: "security.gap_any".into(),
        keyed: true,
        selected: q.gap.as_deref() == Some("any"),
    });
    let query = listing::query_string(&[("township", &q.township), ("gap", &q.gap)]);
    render(&TablePage {
        page: Page::new(&ctx, "security.title"),
        items: Item::ALL.to_vec(),
        rows: rows
            .into_iter()
            .map(|r| {
                let c = cells(&r.ticks);
                (r, c)
            })
            .collect(),
        townships: by_township
            .into_iter()
            .map(|(name, t)| TallyLine { name, t })
            .collect(),
        county: TallyLine {
            name: String::new(),
            t: county,
        },
        filter_townships,
        gaps,
        query,
    })
}
