//! The hazard ledger's pages: report, ledger and queues, the record with its actions,
//! supervision, photos and exports.

pub mod actions;
pub mod export;
pub mod list;
pub mod new;
pub mod notice;
pub mod photos;
pub mod show;
pub mod supervise;
pub mod transition;

use crate::web::routes::Routes;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::access::{Actor, Refusal, Target};
use crate::domain::hazards::{Category, HazardAction, KIND, Level, Source, State, rules};
use crate::domain::month::Month;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::hazards::HazardRow;
use crate::store::hazards::ledger::{Filter, Sort};
use crate::store::hazards::models::Hazard;
use crate::web::ctx::Authed;
use crate::web::listing::{self, given};
use crate::web::nav::Entry;
use crate::web::state::State as AppStateData;

pub fn routes(r: &mut Routes) {
    r.get("/hazards", list::ledger)
        .post("/hazards", new::submit)
        .get("/hazards.csv", export::csv)
        .get("/hazards.xlsx", export::xlsx)
        .get("/hazards/new", new::form)
        .get("/hazards/review", list::review)
        .get("/hazards/overdue", list::overdue)
        .get("/hazards/supervised", list::supervised)
        .get("/hazards/{id}", show::show)
        .get("/hazards/{id}/notice", notice::show)
        .post("/hazards/{id}/transition", transition::submit)
        .post("/hazards/{id}/supervise", supervise::submit)
        .post("/hazards/{id}/photos", photos::upload);
}

/// The ledger and, for the bureau, its review queue.
pub fn nav(a: &Actor) -> Vec<Entry> {
    let mut out = Vec::new();
    if rules::may_view(a, a.home()).is_ok() {
        out.push(("/hazards".into(), "nav.hazards"));
    }
    if rules::may_review(a).is_ok() {
        out.push(("/hazards/review".into(), "nav.review"));
    }
    out
}

/// Reads hazards at all (the admin does not); school users are limited to their school.
pub fn require_view(a: &Authed) -> Result<(), AppError> {
    let who = a.actor();
    Ok(rules::may_view(&who, who.home())?)
}

/// Loads a hazard the user may see: another school's is not found.
pub async fn load_visible(
    state: &AppStateData,
    a: &Authed,
    id: i64,
) -> Result<HazardRow, AppError> {
    require_view(a)?;
    let row = state
        .db(move |conn| Ok(crate::store::hazards::get(conn, id)?))
        .await?;
    rules::may_view(&a.actor(), Target::School(row.hazard.school_id))?;
    Ok(row)
}

/// The flash message after each action.
pub fn flash_of(a: HazardAction) -> &'static str {
    use HazardAction as A;
    match a {
        A::Register => "hazards.flash.register",
        A::Dismiss => "hazards.flash.dismiss",
        A::MarkDuplicate => "hazards.flash.mark_duplicate",
        A::Refer => "hazards.flash.refer",
        A::Assign => "hazards.flash.assign",
        A::Submit => "hazards.flash.submit",
        A::Accept => "hazards.flash.accept",
        A::Return => "hazards.flash.return",
        A::Reopen => "hazards.flash.reopen",
    }
}

/// Every catalog key the module's pages name outside their templates (for the i18n test).
pub fn labels() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = HazardAction::ALL.iter().map(|a| flash_of(*a)).collect();
    out.extend(export::COLUMNS.iter().map(|(k, _)| *k));
    out
}

/// The web's answer to a refusal of the hazard rules, naming the state it is in.
pub fn refused(r: Refusal, h: &Hazard) -> AppError {
    StoreError::refused(r, KIND, h.state).into()
}

/// One ledger row as the pages show it.
pub struct Item {
    pub id: i64,
    pub ref_no: String,
    pub school: String,
    pub title: String,
    pub location: String,
    pub state_key: &'static str,
    pub state: State,
    pub level_key: &'static str,
    pub major: bool,
    pub category_key: &'static str,
    pub source_key: &'static str,
    pub found_on: String,
    pub deadline: String,
    pub overdue: bool,
    /// How many days past its deadline an open hazard is.
    pub days_overdue: Option<i64>,
    pub supervised: bool,
    pub responsible: String,
}

impl Item {
    pub fn new(r: &HazardRow, today: NaiveDate) -> Item {
        let h = &r.hazard;
        Item {
            id: h.id,
            ref_no: h.ref_no.clone(),
            school: r.school_name.clone(),
            title: h.title.clone(),
            location: h.location.clone(),
            state_key: h.state.label(),
            state: h.state,
            level_key: h.level.label(),
            major: h.level == Level::Major,
            category_key: h.category.label(),
            source_key: h.source.label(),
            found_on: h.found_on.to_string(),
            deadline: h.deadline.map(|d| d.to_string()).unwrap_or_default(),
            overdue: rules::is_overdue(h.state, h.deadline, today),
            days_overdue: h
                .deadline
                .filter(|_| rules::is_overdue(h.state, h.deadline, today))
                .map(|d| (today - d).num_days()),
            supervised: h.supervised,
            responsible: [
                h.responsible_unit.as_deref(),
                h.responsible_person.as_deref(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" "),
        }
    }
}

/// The ledger's query string (CONTRACT: state, school, source, category, level, overdue,
/// supervised, q, page), plus township and sort.
#[derive(Deserialize, Default, Clone)]
pub struct LedgerQuery {
    pub state: Option<String>,
    pub school: Option<String>,
    pub township: Option<String>,
    pub source: Option<String>,
    pub category: Option<String>,
    pub level: Option<String>,
    pub overdue: Option<String>,
    pub supervised: Option<String>,
    pub q: Option<String>,
    pub page: Option<String>,
    pub sort: Option<String>,
    /// `1`: open hazards only.
    pub open: Option<String>,
    /// `1`: hazards being fixed again after the bureau returned them.
    pub returned: Option<String>,
    /// `YYYY-MM`: reported in that month (the report's "found").
    pub found: Option<String>,
    /// `YYYY-MM`: accepted in that month (the report's "closed").
    pub closed: Option<String>,
}

impl LedgerQuery {
    pub fn page(&self) -> i64 {
        listing::page_number(&self.page)
    }

    /// The query as a string, without `page`, for links that keep the filters.
    pub fn without_page(&self) -> String {
        listing::query_string(&[
            ("state", &self.state),
            ("school", &self.school),
            ("township", &self.township),
            ("source", &self.source),
            ("category", &self.category),
            ("level", &self.level),
            ("overdue", &self.overdue),
            ("supervised", &self.supervised),
            ("q", &self.q),
            ("sort", &self.sort),
            ("open", &self.open),
            ("returned", &self.returned),
            ("found", &self.found),
            ("closed", &self.closed),
        ])
    }
}

/// Turns the query into a filter within the user's scope. Unknown values are refused (422)
/// rather than silently showing everything.
pub async fn filter(
    state: &AppStateData,
    a: &Authed,
    q: &LedgerQuery,
    today: NaiveDate,
) -> Result<Filter, AppError> {
    let bad = || AppError::Invalid("error.bad_filter");
    let mut f = Filter {
        school_id: a.user.school_id,
        ..Default::default()
    };
    if let Some(s) = given(&q.state) {
        f.state = Some(State::parse(s).ok_or_else(bad)?);
    }
    if let Some(s) = given(&q.source) {
        f.source = Some(Source::parse(s).ok_or_else(bad)?);
    }
    if let Some(s) = given(&q.category) {
        f.category = Some(Category::parse(s).ok_or_else(bad)?);
    }
    if let Some(s) = given(&q.level) {
        f.level = Some(Level::parse(s).ok_or_else(bad)?);
    }
    f.overdue_on = (given(&q.overdue) == Some("1")).then_some(today);
    f.supervised = given(&q.supervised) == Some("1");
    f.open_only = given(&q.open) == Some("1");
    f.returned = given(&q.returned) == Some("1");
    f.text = given(&q.q).map(|t| t.chars().take(100).collect());
    // `YYYY-MM` (a monthly report's figure) or `YYYY` (the year-end summary's).
    let month = |v: &str| match v.parse::<i32>() {
        Ok(year) => Month::parse(&format!("{year:04}-01"))
            .zip(Month::parse(&format!("{year:04}-12")))
            .map(|(jan, dec)| (jan.bounds_utc().0, dec.bounds_utc().1))
            .ok_or_else(bad),
        Err(_) => Month::parse(v).map(Month::bounds_utc).ok_or_else(bad),
    };
    f.found_in = given(&q.found).map(month).transpose()?;
    f.closed_in = given(&q.closed).map(month).transpose()?;
    f.sort = given(&q.sort)
        .map(|s| Sort::parse(s).ok_or_else(bad))
        .transpose()?;
    if let Some(code) = given(&q.school) {
        // Another school's code reads as unknown to a school user.
        f.school_id = Some(listing::school_filter(state, a, code).await?);
    }
    if let Some(t) = given(&q.township) {
        f.township = Some(listing::township_filter(state, t).await?);
    }
    Ok(f)
}
