//! GET /reports/monthly[.csv|.xlsx|.json]: one report, four formats, the same figures.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use rust_xlsxwriter::{Format, Workbook};

use super::build::{Line, MonthlyReport, ReportQuery, TrendPoint, build};
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State;

/// One month of the trend chart, in SVG units (the chart is 600 × 200).
pub struct Bar {
    pub x: i64,
    pub found_y: i64,
    pub found_h: i64,
    pub closed_y: i64,
    pub closed_h: i64,
    pub label: String,
}

const CHART_H: i64 = 180;

/// Bars of found and closed per month, and (when `with_line`) the open-at-month-end line.
pub fn chart(trend: &[TrendPoint], with_line: bool) -> (Vec<Bar>, String) {
    let max = trend
        .iter()
        .map(|p| p.found.max(p.closed).max(p.open_at_month_end))
        .max()
        .unwrap_or(0)
        .max(1);
    let scale = |v: i64| v * CHART_H / max;
    let bars = trend
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let x = 20 + i as i64 * 48;
            Bar {
                x,
                found_y: CHART_H - scale(p.found),
                found_h: scale(p.found),
                closed_y: CHART_H - scale(p.closed),
                closed_h: scale(p.closed),
                label: p.month[5..].to_string(),
            }
        })
        .collect();
    if !with_line {
        return (bars, String::new());
    }
    let line = trend
        .iter()
        .enumerate()
        .map(|(i, p)| {
            format!(
                "{},{}",
                36 + i as i64 * 48,
                CHART_H - scale(p.open_at_month_end)
            )
        })
        .collect::<Vec<_>>()
        .join(" ");
    (bars, line)
}

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
fn rows(r: &MonthlyReport, cat: &Catalog) -> Vec<Vec<String>> {
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

fn header_row(cat: &Catalog) -> Vec<String> {
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

fn attachment(name: String) -> (header::HeaderName, String) {
    (
        header::CONTENT_DISPOSITION,
        format!("attachment; filename=\"{name}\""),
    )
}

fn file_name(r: &MonthlyReport, ext: &str) -> String {
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
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(header_row(cat))
        .map_err(AppError::internal)?;
    for row in rows(&r, cat) {
        let row: Vec<String> = row
            .iter()
            .map(|c| crate::web::hazards::export::neutralise(c))
            .collect();
        w.write_record(&row).map_err(AppError::internal)?;
    }
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(&w.into_inner().map_err(AppError::internal)?);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(attachment(file_name(&r, "csv")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}

pub async fn xlsx(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ReportQuery>,
) -> Result<HttpResponse, AppError> {
    let r = build(&state, &authed, &q).await?;
    let cat = ctx.lang.catalog();
    let title = format!(
        "{} {} {}",
        r.month,
        r.scope.name.clone().unwrap_or_default(),
        cat.get("report.title")
    );
    let name = file_name(&r, "xlsx");
    let bytes = web::block(move || -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let head = Format::new()
            .set_bold()
            .set_background_color("D9E2F3")
            .set_border(rust_xlsxwriter::FormatBorder::Thin);
        let cell = Format::new().set_border(rust_xlsxwriter::FormatBorder::Thin);
        let sheet = book.add_worksheet();
        sheet.set_name(cat.get("report.sheet_hazards"))?;
        sheet.write_string_with_format(0, 0, &title, &bold)?;
        sheet.write_string(1, 0, format!("{} {}", cat.get("report.as_of"), r.as_of))?;
        for (c, h) in header_row(cat).iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            sheet.write_string_with_format(3, c, h, &head)?;
            sheet.set_column_width(c, if c < 2 { 18.0 } else { 11.0 })?;
        }
        for (i, row) in rows(&r, cat).iter().enumerate() {
            let rr = u32::try_from(i + 4).unwrap_or(u32::MAX);
            for (c, v) in row.iter().enumerate() {
                let c = u16::try_from(c).unwrap_or(0);
                match v.parse::<f64>() {
                    Ok(n) if c >= 2 => sheet.write_number_with_format(rr, c, n, &cell)?,
                    _ => sheet.write_string_with_format(rr, c, v, &cell)?,
                };
            }
        }
        sheet.set_freeze_panes(4, 0)?;
        let trend = book.add_worksheet();
        trend.set_name(cat.get("report.sheet_trend"))?;
        trend.write_string_with_format(0, 0, &title, &bold)?;
        for (c, k) in ["month", "found", "closed", "open"].iter().enumerate() {
            trend.write_string_with_format(
                2,
                c as u16,
                cat.get(&format!("report.col.{k}")),
                &head,
            )?;
        }
        for (i, p) in r.hazards.trend.iter().enumerate() {
            let rr = u32::try_from(i + 3).unwrap_or(u32::MAX);
            trend.write_string_with_format(rr, 0, &p.month, &cell)?;
            trend.write_number_with_format(rr, 1, p.found as f64, &cell)?;
            trend.write_number_with_format(rr, 2, p.closed as f64, &cell)?;
            trend.write_number_with_format(rr, 3, p.open_at_month_end as f64, &cell)?;
        }
        let total_row = u32::try_from(r.hazards.trend.len() + 3).unwrap_or(u32::MAX);
        trend.write_string_with_format(total_row, 0, cat.get("report.total_row"), &head)?;
        trend.write_number_with_format(
            total_row,
            1,
            r.hazards.trend.iter().map(|p| p.found).sum::<i64>() as f64,
            &head,
        )?;
        trend.write_number_with_format(
            total_row,
            2,
            r.hazards.trend.iter().map(|p| p.closed).sum::<i64>() as f64,
            &head,
        )?;
        book.save_to_buffer()
    })
    .await?
    .map_err(AppError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header(attachment(name))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(bytes))
}
