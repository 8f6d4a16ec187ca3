//! The building register's pages: the register and the bureau's dangerous-buildings view, a
//! new building, the building with its appraisals, photos, hazards, timeline and the steps of
//! its disposal, and the exports.

pub mod actions;
pub mod appraise;
pub mod dangerous;
pub mod edit;
pub mod export;
pub mod list;
pub mod new;
pub mod photos;
pub mod show;
pub mod transition;

use chrono::NaiveDate;
use serde::Deserialize;

use crate::domain::access::{Actor, Target};
use crate::domain::buildings::{BuildingAction, Grade, Status, Use, appraisal_overdue, rules};
use crate::error::AppError;
use crate::store::buildings::BuildingRow;
use crate::store::buildings::list::{Filter, GradeFilter};
use crate::web::ctx::Authed;
use crate::web::listing::{self, given};
use crate::web::nav::Entry;
use crate::web::routes::Routes;
use crate::web::state::State as AppStateData;

pub fn routes(r: &mut Routes) {
    r.get("/buildings", list::show)
        .post("/buildings", new::submit)
        .get("/buildings.csv", export::csv)
        .get("/buildings.xlsx", export::xlsx)
        .get("/buildings/new", new::form)
        .get("/buildings/dangerous", dangerous::show)
        .get("/buildings/{id}", show::show)
        .post("/buildings/{id}", edit::submit)
        .get("/buildings/{id}/edit", edit::form)
        .post("/buildings/{id}/appraisals", appraise::submit)
        .post("/buildings/{id}/transition", transition::submit)
        .post("/buildings/{id}/photos", photos::upload);
}

/// The register, and for county roles the dangerous buildings.
pub fn nav(a: &Actor) -> Vec<Entry> {
    let mut out = Vec::new();
    if rules::may_view(a, a.home()).is_ok() {
        out.push(("/buildings".into(), "nav.buildings"));
    }
    if rules::may_view(a, a.home()).is_ok() && !a.is_school_scoped() {
        out.push(("/buildings/dangerous".into(), "nav.dangerous_buildings"));
    }
    out
}

/// Reads the register at all (the admin does not); school users are limited to their school.
pub fn require_view(a: &Authed) -> Result<(), AppError> {
    let who = a.actor();
    Ok(rules::may_view(&who, who.home())?)
}

/// Loads a building the user may see: another school's is not found.
pub async fn load_visible(
    state: &AppStateData,
    a: &Authed,
    id: i64,
) -> Result<BuildingRow, AppError> {
    require_view(a)?;
    let row = state
        .db(move |conn| Ok(crate::store::buildings::get(conn, id)?))
        .await?;
    rules::may_view(&a.actor(), Target::School(row.building.school_id))?;
    Ok(row)
}

/// The flash message after each step.
pub fn flash_of(a: BuildingAction) -> &'static str {
    match a {
        BuildingAction::Plan => "buildings.flash.plan",
        BuildingAction::ReportDone => "buildings.flash.report_done",
        BuildingAction::Accept => "buildings.flash.accept",
        BuildingAction::Return => "buildings.flash.return",
    }
}

/// Every catalog key the module's pages name outside their templates (for the i18n test).
pub fn labels() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = BuildingAction::ALL.iter().map(|a| flash_of(*a)).collect();
    out.extend(export::COLUMNS.iter().map(|(k, _)| *k));
    out.extend([
        "buildings.flash.registered",
        "buildings.flash.edited",
        "buildings.flash.appraised",
        "buildings.flash.appraised_d",
        "buildings.hazard_title",
        "buildings.hazard_description",
        "buildings.grade.none",
    ]);
    out
}

/// One register row as the pages show it.
pub struct Item {
    pub id: i64,
    pub name: String,
    pub school: String,
    pub township: String,
    pub use_key: &'static str,
    pub structure_key: &'static str,
    pub floors: i32,
    pub floor_area: String,
    pub year_built: i32,
    pub status: Status,
    pub status_key: &'static str,
    pub grade: Option<Grade>,
    /// `A`…`D`, or empty when never appraised.
    pub grade_text: &'static str,
    pub grade_key: &'static str,
    pub grade_meaning: Option<&'static str>,
    pub dangerous: bool,
    pub appraised_on: String,
    pub appraisal_due: String,
    pub appraisal_overdue: bool,
    pub method_key: Option<&'static str>,
    pub deadline: String,
    pub disposal_overdue: bool,
    pub needs_plan: bool,
}

/// A floor area as people write it: no trailing zeros (2360.5, 880).
pub fn area_text(a: f64) -> String {
    let s = format!("{a:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

impl Item {
    pub fn new(r: &BuildingRow, today: NaiveDate) -> Item {
        let b = &r.building;
        Item {
            id: b.id,
            name: b.name.clone(),
            school: r.school_name.clone(),
            township: r.township.clone().unwrap_or_default(),
            use_key: b.usage.label(),
            structure_key: b.structure.label(),
            floors: b.floors,
            floor_area: area_text(b.floor_area),
            year_built: b.year_built,
            status: b.status,
            status_key: b.status.label(),
            grade: b.grade,
            grade_text: b.grade.map(|g| g.as_str()).unwrap_or(""),
            grade_key: b.grade.map(|g| g.label()).unwrap_or("buildings.grade.none"),
            grade_meaning: b.grade.map(Grade::meaning),
            dangerous: rules::dangerous_open(b.grade, b.status),
            appraised_on: b.appraised_on.map(|d| d.to_string()).unwrap_or_default(),
            appraisal_due: b.appraisal_due.map(|d| d.to_string()).unwrap_or_default(),
            appraisal_overdue: appraisal_overdue(b.status, b.appraisal_due, today),
            method_key: b.disposal_method.map(|m| m.label()),
            deadline: b
                .disposal_deadline
                .map(|d| d.to_string())
                .unwrap_or_default(),
            disposal_overdue: rules::disposal_overdue(b.status, b.disposal_deadline, today),
            needs_plan: rules::needs_plan(b.status) && b.grade.is_some_and(Grade::is_dangerous),
        }
    }
}

/// The register's query string (CONTRACT: school, township, grade, status, use,
/// appraisal_overdue, q, page).
#[derive(Deserialize, Default, Clone)]
pub struct ListQuery {
    pub school: Option<String>,
    pub township: Option<String>,
    pub grade: Option<String>,
    pub status: Option<String>,
    #[serde(rename = "use")]
    pub usage: Option<String>,
    pub appraisal_overdue: Option<String>,
    pub q: Option<String>,
    pub page: Option<String>,
    /// `1`: C and D buildings not yet dealt with (the dangerous view's links).
    pub dangerous: Option<String>,
    /// `1`: standing buildings only, not the demolished (the per-township counts' links).
    pub standing: Option<String>,
}

impl ListQuery {
    pub fn page(&self) -> i64 {
        listing::page_number(&self.page)
    }

    /// The query as a string, without `page`, for links that keep the filters.
    pub fn without_page(&self) -> String {
        listing::query_string(&[
            ("school", &self.school),
            ("township", &self.township),
            ("grade", &self.grade),
            ("status", &self.status),
            ("use", &self.usage),
            ("appraisal_overdue", &self.appraisal_overdue),
            ("q", &self.q),
            ("dangerous", &self.dangerous),
            ("standing", &self.standing),
        ])
    }
}

/// Turns the query into a filter within the user's scope. Unknown values are refused (422)
/// rather than silently showing everything; another school's code is not found (404).
pub async fn filter(
    state: &AppStateData,
    a: &Authed,
    q: &ListQuery,
    today: NaiveDate,
) -> Result<Filter, AppError> {
    let bad = || AppError::Invalid("error.bad_filter");
    let mut f = Filter {
        school_id: a.user.school_id.filter(|_| a.actor().is_school_scoped()),
        ..Default::default()
    };
    if let Some(g) = given(&q.grade) {
        f.grade = Some(match g {
            "none" => GradeFilter::None,
            other => GradeFilter::Is(Grade::parse(other).ok_or_else(bad)?),
        });
    }
    if let Some(s) = given(&q.status) {
        f.status = Some(Status::parse(s).ok_or_else(bad)?);
    }
    if let Some(u) = given(&q.usage) {
        f.usage = Some(Use::parse(u).ok_or_else(bad)?);
    }
    f.overdue_on = match given(&q.appraisal_overdue) {
        Some("1") => Some(today),
        Some("0") | None => None,
        Some(_) => return Err(bad()),
    };
    f.dangerous = given(&q.dangerous) == Some("1");
    f.standing = given(&q.standing) == Some("1");
    f.text = given(&q.q).map(|t| t.chars().take(100).collect());
    if let Some(code) = given(&q.school) {
        f.school_id = Some(listing::school_filter(state, a, code).await?);
    }
    if let Some(t) = given(&q.township) {
        f.township = Some(listing::township_filter(state, t).await?);
    }
    Ok(f)
}
