//! Assembles one month's report for a scope from the trail: totals, breakdowns, year to date
//! and the twelve-month trend. Every format renders this one structure.

use serde::{Deserialize, Serialize};

use crate::domain::access::{Action, Target};
use crate::domain::county;
use crate::domain::report::{Figures, Month};
use crate::domain::time;
use crate::error::AppError;
use crate::store::{schools, settings, townships};
use crate::web::authz::require;
use crate::web::ctx::Authed;
use crate::web::reports::section::{self, Ask, Units};
use crate::web::state::State;

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    pub month: Option<String>,
    pub school: Option<String>,
    pub township: Option<String>,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct Scope {
    /// `county`, `township` or `school`.
    pub kind: String,
    pub code: Option<String>,
    pub name: Option<String>,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct Counts {
    pub found: i64,
    pub closed: i64,
    pub open_at_month_end: i64,
    pub overdue_at_month_end: i64,
    pub supervised_open: i64,
    pub closure_rate: Option<f64>,
    pub median_days_to_close: Option<f64>,
}

impl From<&Figures> for Counts {
    fn from(f: &Figures) -> Counts {
        Counts {
            found: f.found,
            closed: f.closed,
            open_at_month_end: f.open_at_end,
            overdue_at_month_end: f.overdue_at_end,
            supervised_open: f.supervised_open,
            closure_rate: f.closure_rate.map(|r| (r * 1000.0).round() / 1000.0),
            median_days_to_close: f.median_days_to_close.map(|d| (d * 10.0).round() / 10.0),
        }
    }
}

/// One line of a breakdown: its key (a code such as `fire`, or a name) and its figures.
#[derive(Serialize, Deserialize, Clone)]
pub struct Line {
    pub key: String,
    #[serde(flatten)]
    pub counts: Counts,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct TrendPoint {
    pub month: String,
    pub found: i64,
    pub closed: i64,
    pub open_at_month_end: i64,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct YearToDate {
    pub found: i64,
    pub closed: i64,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct HazardSection {
    #[serde(flatten)]
    pub totals: Counts,
    pub year_to_date: YearToDate,
    pub by_source: Vec<Line>,
    pub by_category: Vec<Line>,
    pub by_level: Vec<Line>,
    /// Townships of the county, or schools of a township.
    pub by_unit: Vec<Line>,
    pub trend: Vec<TrendPoint>,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct MonthlyReport {
    /// The county's name from the settings; None until an admin sets it.
    #[serde(default)]
    pub county: Option<String>,
    pub month: String,
    pub scope: Scope,
    /// UTC, ISO 8601.
    pub generated_at: String,
    pub generated_by: String,
    /// The instant the figures are "as of": the month's end, or now for the current month.
    pub as_of: String,
    pub hazards: HazardSection,
}

/// Resolves the scope within the user's rights: school users see their own school only.
async fn scope(
    state: &State,
    a: &Authed,
    q: &ReportQuery,
) -> Result<(Scope, Option<Vec<i64>>), AppError> {
    let target = a
        .user
        .school_id
        .map(Target::School)
        .unwrap_or(Target::County);
    require(a, Action::ViewReports, target)?;
    let code = q
        .school
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    let township = q
        .township
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if code.is_some() && township.is_some() {
        return Err(AppError::Invalid("error.bad_filter"));
    }
    let own = a.user.school_id;
    if own.is_some() && township.is_some() {
        // A township's figures hold other schools'.
        return Err(AppError::Forbidden);
    }
    let school = match (code, own) {
        (Some(c), _) => Some(
            state
                .db(move |conn| Ok(schools::find_by_code(conn, &c)?))
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        (None, Some(id)) => Some(
            state
                .db(move |conn| Ok(schools::get(conn, id)?))
                .await?
                .school,
        ),
        (None, None) => None,
    };
    if let Some(s) = school {
        require(a, Action::ViewReports, Target::School(s.id))?;
        let scope = Scope {
            kind: "school".into(),
            code: Some(s.code.clone()),
            name: Some(s.name.clone()),
        };
        return Ok((scope, Some(vec![s.id])));
    }
    if let Some(t) = township {
        let known = state.db(|conn| Ok(townships::list(conn)?)).await?;
        if !known.iter().any(|k| k.name == t) {
            return Err(AppError::NotFound);
        }
        let name = t.clone();
        let ids = state
            .db(move |conn| Ok(schools::units(conn, Some(&name))?))
            .await?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        return Ok((
            Scope {
                kind: "township".into(),
                code: None,
                name: Some(t),
            },
            Some(ids),
        ));
    }
    Ok((
        Scope {
            kind: "county".into(),
            code: None,
            name: None,
        },
        None,
    ))
}

pub async fn build(state: &State, a: &Authed, q: &ReportQuery) -> Result<MonthlyReport, AppError> {
    let now = state.now();
    let this_month = Month::of(time::local_date(now));
    let month = match q.month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => Month::parse(m).ok_or(AppError::Invalid("error.bad_month"))?,
        None => this_month,
    };
    if month > this_month {
        return Err(AppError::Invalid("error.bad_month"));
    }
    let (scope, schools) = scope(state, a, q).await?;
    let scope_key = match (scope.kind.as_str(), &schools) {
        ("school", Some(ids)) => format!("school:{}", ids.first().copied().unwrap_or_default()),
        ("township", _) => format!("township:{}", scope.name.clone().unwrap_or_default()),
        _ => "county".to_string(),
    };
    let by_unit = match scope.kind.as_str() {
        "county" => Some(Units::Townships),
        "township" => Some(Units::Schools(scope.name.clone().unwrap_or_default())),
        _ => None,
    };
    let ask = Ask {
        scope_key,
        schools,
        by_unit,
        month,
        now,
    };
    let (hazards, county) = state
        .db(move |conn| {
            Ok((
                section::hazard_section(conn, &ask)?,
                settings::get(conn, county::SETTING_NAME)?.filter(|n| !n.is_empty()),
            ))
        })
        .await?;
    let (_, end) = month.bounds_utc();
    let as_of = end.min(now + chrono::Duration::microseconds(1));
    Ok(MonthlyReport {
        county,
        month: month.label(),
        generated_at: now.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        generated_by: a.user.display_name.clone(),
        // Shown as the last minute the figures cover (23:59 of the month's last day).
        as_of: time::local_minute(as_of - chrono::Duration::microseconds(1)),
        scope,
        hazards,
    })
}
