//! GET /reports/monthly[.csv|.json]: one report, several formats, the same figures. Each
//! module's section draws its own part of the page and its own tables.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::scope::{ReportQuery, build};
use crate::domain::month::Month;
use crate::domain::reports::{SubmissionState, rules};
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::report::{MonthlyReport, ScopeKind, Table, View};
use crate::store::reports::submissions::{self, Submission};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Template)]
#[template(path = "reports/monthly.html")]
struct ReportPage {
    page: Page,
    r: MonthlyReport,
    /// Each module's section, drawn.
    sections: Vec<String>,
    /// The school's submissions of this month, newest first (school scope only).
    submissions: Vec<Submission>,
    /// The user submits their school's months (whether or not this one may be now).
    submits: bool,
    can_submit: bool,
    /// The month is over: only then is it submitted.
    month_ended: bool,
    /// The townships a county user may pick a report of; empty for school users.
    townships: Vec<String>,
    query: String,
}

impl ReportPage {
    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::domain::time::local_minute(*t)
    }

    fn is_school(&self) -> bool {
        self.r.scope.kind == ScopeKind::School
    }

    fn picks_scope(&self) -> bool {
        !self.townships.is_empty()
    }

    fn is_township(&self, name: &str) -> bool {
        self.r.scope.kind == ScopeKind::Township && self.r.scope.name.as_deref() == Some(name)
    }

    fn school_code(&self) -> String {
        self.r.scope.code.clone().unwrap_or_default()
    }
}

fn query_string(q: &ReportQuery, month: &str) -> String {
    let mut enc = url::form_urlencoded::Serializer::new(String::new());
    enc.append_pair("month", month);
    if let Some(s) = q.school.as_deref().filter(|s| !s.trim().is_empty()) {
        enc.append_pair("school", s);
    }
    if let Some(t) = q.township.as_deref().filter(|s| !s.trim().is_empty()) {
        enc.append_pair("township", t);
    }
    enc.finish()
}

/// Every section of a report drawn for a page, live or frozen.
pub fn draw_sections(
    r: &MonthlyReport,
    catalog: &'static Catalog,
    frozen: bool,
) -> Result<Vec<String>, AppError> {
    let view = View {
        catalog,
        month: &r.month,
        scope: &r.scope,
        frozen,
    };
    r.sections
        .iter()
        .map(|s| s.html(&view).map_err(AppError::from))
        .collect()
}

pub async fn html(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let r = build(&state, &authed, &q).await?;
    let query = query_string(&q, &r.month);
    let (school, month) = (r.scope.code.clone(), r.month.clone());
    let submissions = match school.filter(|_| r.scope.kind == ScopeKind::School) {
        Some(code) => {
            state
                .db(move |conn| {
                    let Some(s) = crate::store::schools::find_by_code(conn, &code)? else {
                        return Ok(Vec::new());
                    };
                    Ok(submissions::history(conn, s.id, &month)?)
                })
                .await?
        }
        None => Vec::new(),
    };
    let current: Option<SubmissionState> = submissions.first().map(|s| s.state);
    let who = authed.actor();
    let month_ended = Month::parse(&r.month).is_some_and(|m| m.ended(state.now()));
    let submits = r.scope.kind == ScopeKind::School && rules::submits(&who);
    let can_submit = submits
        && month_ended
        && who
            .school_id
            .is_some_and(|id| rules::may_submit(&who, id, current).is_ok());
    let townships = if rules::may_view_township(&who).is_ok() {
        state
            .db(|conn| Ok(crate::store::townships::list(conn)?))
            .await?
            .into_iter()
            .map(|t| t.name)
            .collect()
    } else {
        Vec::new()
    };
    let sections = draw_sections(&r, ctx.lang.catalog(), false)?;
    render(&ReportPage {
        page: Page::new(&ctx, "reports.title"),
        r,
        sections,
        submissions,
        submits,
        can_submit,
        month_ended,
        townships,
        query,
    })
}

pub async fn json(
    state: State,
    authed: Authed,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let r = build(&state, &authed, &q).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(r.json()))
}

pub(super) fn file_name(r: &MonthlyReport, ext: &str) -> String {
    let scope = r.scope.code.clone().unwrap_or_else(|| {
        match r.scope.kind {
            ScopeKind::County => "county",
            ScopeKind::Township => "township",
            ScopeKind::School => "school",
        }
        .to_string()
    });
    format!("monthly-{}-{}.{ext}", r.month, scope)
}

/// The CSV: each section's tables one after another, a blank line between them.
fn csv_bytes(tables: &[Table]) -> Result<Vec<u8>, AppError> {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut header = Vec::new();
    for (i, t) in tables.iter().filter(|t| t.in_csv).enumerate() {
        if i == 0 {
            header = t.header.clone();
        } else {
            rows.push(Vec::new());
            rows.push(t.header.clone());
        }
        rows.extend(t.rows.iter().map(|r| r.iter().map(|c| c.text()).collect()));
    }
    download::csv_bytes(&header, rows)
}

pub async fn csv(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let r = build(&state, &authed, &q).await?;
    let bytes = csv_bytes(&r.tables(ctx.lang.catalog()))?;
    Ok(download::csv(&file_name(&r, "csv"), bytes))
}
