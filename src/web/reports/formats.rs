//! GET /reports/monthly[.csv|.xlsx|.json]: one report, four formats, the same figures.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;

use super::build::{Line, MonthlyReport, ReportQuery, build};
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::web::charts::{Bar, chart};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Template)]
#[template(path = "reports/monthly.html")]
struct ReportPage {
    page: Page,
    r: MonthlyReport,
    /// The school's submissions of this month, newest first (school scope only).
    submissions: Vec<crate::store::submissions::Submission>,
    can_submit: bool,
    bars: Vec<Bar>,
    line: String,
    query: String,
}

impl ReportPage {
    /// The ledger of the hazards behind "found" or "closed", within the report's scope.
    fn list_link(&self, which: &str) -> String {
        let mut enc = url::form_urlencoded::Serializer::new(String::new());
        enc.append_pair(which, &self.r.month);
        match (
            self.r.scope.kind.as_str(),
            &self.r.scope.code,
            &self.r.scope.name,
        ) {
            ("school", Some(code), _) => {
                enc.append_pair("school", code);
            }
            ("township", _, Some(name)) => {
                enc.append_pair("township", name);
            }
            _ => {}
        }
        format!("/hazards?{}", enc.finish())
    }

    fn rate(&self, v: &Option<f64>) -> String {
        v.map(|r| format!("{:.1}%", r * 100.0))
            .unwrap_or_else(|| "—".into())
    }

    fn days(&self, v: &Option<f64>) -> String {
        v.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into())
    }

    fn key(&self, prefix: &str, k: &str) -> String {
        format!("{prefix}.{k}")
    }

    fn when(&self, t: &chrono::NaiveDateTime) -> String {
        crate::domain::time::local_minute(*t)
    }

    fn state_key(&self, s: &str) -> String {
        format!("submissions.state.{s}")
    }

    fn scope_name(&self) -> String {
        self.r.scope.name.clone().unwrap_or_default()
    }

    fn generated_local(&self) -> String {
        generated_local(&self.r)
    }

    fn is_county(&self) -> bool {
        self.r.scope.kind == "county"
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

pub async fn html(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let r = build(&state, &authed, &q).await?;
    let (bars, line) = chart(&r.hazards.trend, true);
    let query = query_string(&q, &r.month);
    let school = r.scope.code.clone();
    let month = r.month.clone();
    let submissions = match school {
        Some(code) => {
            state
                .db(move |conn| {
                    let Some(s) = crate::store::schools::find_by_code(conn, &code)? else {
                        return Ok(Vec::new());
                    };
                    Ok(crate::store::submissions::history(conn, s.id, &month)?)
                })
                .await?
        }
        None => Vec::new(),
    };
    let current = submissions.first().map(|s| s.state());
    let can_submit = r.scope.kind == "school"
        && authed.user.school_id.is_some_and(|id| {
            crate::domain::submission::may_submit(&authed.actor(), id, current).is_ok()
        });
    render(&ReportPage {
        page: Page::new(&ctx, "report.title"),
        r,
        submissions,
        can_submit,
        bars,
        line,
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
        .json(r))
}

/// The report's rows as (section, item, counts…), in the user's language.
pub(super) fn rows(r: &MonthlyReport, cat: &Catalog) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let counts = |section: &str, item: String, l: &super::build::Counts| {
        vec![
            section.to_string(),
            item,
            l.found.to_string(),
            l.closed.to_string(),
            l.open_at_month_end.to_string(),
            l.overdue_at_month_end.to_string(),
            l.supervised_open.to_string(),
            l.closure_rate
                .map(|v| format!("{:.1}%", v * 100.0))
                .unwrap_or_default(),
            l.median_days_to_close
                .map(|d| format!("{d:.1}"))
                .unwrap_or_default(),
        ]
    };
    out.push(counts(
        cat.get("report.section.total"),
        cat.get("report.all").to_string(),
        &r.hazards.totals,
    ));
    let mut section = |name: &str, prefix: Option<&str>, lines: &[Line]| {
        for l in lines {
            let item = match prefix {
                Some(p) => cat.get(&format!("{p}.{}", l.key)).to_string(),
                None => l.key.clone(),
            };
            out.push(counts(name, item, &l.counts));
        }
    };
    section(
        cat.get("report.section.source"),
        Some("hazard.source"),
        &r.hazards.by_source,
    );
    section(
        cat.get("report.section.category"),
        Some("hazard.category"),
        &r.hazards.by_category,
    );
    section(
        cat.get("report.section.level"),
        Some("hazard.level"),
        &r.hazards.by_level,
    );
    section(cat.get("report.section.unit"), None, &r.hazards.by_unit);
    out
}

pub(super) fn header_row(cat: &Catalog) -> Vec<String> {
    [
        "section",
        "item",
        "found",
        "closed",
        "open",
        "overdue",
        "supervised",
        "closure_rate",
        "median_days",
    ]
    .iter()
    .map(|k| cat.get(&format!("report.col.{k}")).to_string())
    .collect()
}

pub(super) fn file_name(r: &MonthlyReport, ext: &str) -> String {
    let scope = r
        .scope
        .code
        .clone()
        .unwrap_or_else(|| r.scope.kind.to_string());
    format!("monthly-{}-{}.{ext}", r.month, scope)
}

pub async fn csv(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let r = build(&state, &authed, &q).await?;
    let cat = ctx.lang.catalog();
    let bytes = download::csv_bytes(&header_row(cat), rows(&r, cat))?;
    Ok(download::csv(&file_name(&r, "csv"), bytes))
}

/// When the report was generated, in the county's time.
pub(super) fn generated_local(r: &MonthlyReport) -> String {
    chrono::NaiveDateTime::parse_from_str(&r.generated_at, "%Y-%m-%dT%H:%M:%SZ")
        .map(crate::domain::time::local_minute)
        .unwrap_or_else(|_| r.generated_at.clone())
}
