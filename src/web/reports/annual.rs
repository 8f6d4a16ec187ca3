//! GET /reports/annual?year=YYYY (HTML, printable on A4), `.json` and `.xlsx`: the county's
//! year-end summary, for the bureau and the viewers. The drafted safety paragraph is editable
//! on the page before printing; each of its figures links to the list behind it.

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Datelike;
use rust_xlsxwriter::{Format, Workbook, XlsxError};
use serde::Deserialize;

use crate::domain::annual::{Behind, Clause, paragraph};
use crate::domain::reports::rules;
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::report::Cell;
use crate::report::annual::{Annual, annual};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::listing;
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Deserialize, Default)]
pub struct AnnualQuery {
    pub year: Option<String>,
}

async fn load(state: &State, authed: &Authed, q: &AnnualQuery) -> Result<Annual, AppError> {
    rules::may_list_submissions(&authed.actor())?;
    let year = match listing::given(&q.year) {
        Some(y) => y
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or(AppError::Invalid("error.bad_filter"))?,
        None => state.today().year(),
    };
    let (now, by) = (state.now(), authed.user.display_name.clone());
    state
        .db(move |conn| Ok(annual(conn, year, now, &by)?))
        .await
}

/// Where a figure's list is, for the year.
fn link(b: Behind, year: i32, campaign: Option<i64>) -> String {
    match b {
        Behind::HazardsFound(None) => format!("/hazards?found={year}"),
        Behind::HazardsFound(Some(s)) => format!("/hazards?found={year}&source={s}"),
        Behind::HazardsClosed(None) => format!("/hazards?closed={year}"),
        Behind::HazardsClosed(Some(s)) => format!("/hazards?closed={year}&source={s}"),
        Behind::DangerousBuildings => "/buildings?grade=D".into(),
        Behind::Security => "/security".into(),
        Behind::LegalVps => "/legal-vps?in_office=1".into(),
        Behind::Education(None) => format!("/education?year={year}"),
        Behind::Education(Some(t)) => format!("/education?year={year}&topic={t}"),
        Behind::Bullying => "/bullying/three-early".into(),
        Behind::Campaigns => campaign
            .map(|id| format!("/campaigns/{id}"))
            .unwrap_or_else(|| "/campaigns".into()),
    }
}

/// One clause as the page draws it: the words around its number, the number, its link.
pub struct Shown {
    pub before: String,
    pub n: String,
    pub after: String,
    pub href: String,
}

fn shown(words: &str, n: String, href: String) -> Shown {
    let (before, after) = words.split_once("{}").unwrap_or((words, ""));
    Shown {
        before: before.to_string(),
        n,
        after: after.to_string(),
        href,
    }
}

fn clauses(a: &Annual, cat: &Catalog) -> Vec<Shown> {
    let mut out: Vec<Shown> = paragraph(&a.figures)
        .into_iter()
        .map(|Clause { key, n, behind }| {
            shown(cat.get(key), n.to_string(), link(behind, a.year, None))
        })
        .collect();
    for c in &a.campaigns {
        let words = cat.get("annual.p.campaign").replacen("{name}", &c.name, 1);
        let rate = Cell::Rate(c.completion.completion_rate).shown();
        out.push(shown(
            &words,
            rate,
            link(Behind::Campaigns, a.year, Some(c.id)),
        ));
    }
    out
}

#[derive(Template)]
#[template(path = "reports/annual.html")]
struct AnnualPage {
    page: Page,
    a: Annual,
    clauses: Vec<Shown>,
    topics: Vec<(&'static str, i64)>,
    campaigns: Vec<(i64, String, String, String)>,
    year: i32,
    months_read: usize,
}

impl AnnualPage {
    fn rows(&self) -> Vec<(&'static str, &'static str, i64)> {
        rows(&self.a)
    }
}

fn topics(a: &Annual) -> Vec<(&'static str, i64)> {
    use crate::domain::education::Topic;
    Topic::ALL
        .iter()
        .map(|t| {
            let n = a
                .figures
                .flows
                .by_topic
                .get(t.as_str())
                .copied()
                .unwrap_or(0);
            (t.label(), n)
        })
        .collect()
}

pub async fn html(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<AnnualQuery>,
) -> Result<HttpResponse, AppError> {
    let a = load(&state, &authed, &q).await?;
    let cat = ctx.lang.catalog();
    let campaigns = a
        .campaigns
        .iter()
        .map(|c| {
            (
                c.id,
                c.name.clone(),
                format!("{} – {}", c.starts_on, c.ends_on),
                Cell::Rate(c.completion.completion_rate).shown(),
            )
        })
        .collect();
    render(&AnnualPage {
        page: Page::new(&ctx, "annual.title"),
        clauses: clauses(&a, cat),
        topics: topics(&a),
        campaigns,
        year: a.year,
        months_read: a.months.len(),
        a,
    })
}

pub async fn json(
    state: State,
    authed: Authed,
    q: web::Query<AnnualQuery>,
) -> Result<HttpResponse, AppError> {
    let a = load(&state, &authed, &q).await?;
    Ok(HttpResponse::Ok().json(a.json()))
}

pub async fn xlsx(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<AnnualQuery>,
) -> Result<HttpResponse, AppError> {
    let a = load(&state, &authed, &q).await?;
    let cat = ctx.lang.catalog();
    let name = format!("annual-{}.xlsx", a.year);
    let bytes = web::block(move || workbook(&a, cat))
        .await?
        .map_err(AppError::internal)?;
    Ok(download::xlsx(&name, bytes))
}

/// The figures as (module's key, figure's key, number) rows, in the page's order.
pub fn rows(a: &Annual) -> Vec<(&'static str, &'static str, i64)> {
    let f = &a.figures.flows;
    let s = &a.figures.stocks;
    vec![
        (
            "module.hazards",
            "annual.f.periphery_found",
            f.periphery_found,
        ),
        (
            "module.hazards",
            "annual.f.periphery_closed",
            f.periphery_closed,
        ),
        ("module.hazards", "annual.f.campus_found", f.campus_found),
        ("module.hazards", "annual.f.campus_closed", f.campus_closed),
        (
            "module.hazards",
            "annual.f.open_at_year_end",
            s.hazards_open,
        ),
        ("module.buildings", "annual.f.buildings", s.buildings),
        (
            "module.buildings",
            "annual.f.d_grade_in_year",
            a.figures.d_grade_in_year,
        ),
        (
            "module.buildings",
            "annual.f.demolished",
            f.buildings_demolished,
        ),
        (
            "module.buildings",
            "annual.f.reinforced",
            f.buildings_reinforced,
        ),
        (
            "module.buildings",
            "annual.f.d_grade_at_year_end",
            s.d_grade,
        ),
        ("module.security", "annual.f.schools", s.schools),
        (
            "module.security",
            "annual.f.guards_in_post",
            s.guards_in_post,
        ),
        (
            "module.security",
            "annual.f.guards_required",
            s.guards_required,
        ),
        (
            "module.security",
            "annual.f.meeting_guards",
            s.schools_meeting_guards,
        ),
        (
            "module.security",
            "annual.f.alarm_linked",
            s.schools_alarm_linked,
        ),
        ("module.security", "annual.f.all_four", s.schools_all_four),
        ("module.security", "annual.f.alarm_tests", f.alarm_tests),
        (
            "module.legal_vps",
            "annual.f.vps_in_office",
            s.vps_in_office,
        ),
        (
            "module.legal_vps",
            "annual.f.vp_schools_covered",
            s.vp_schools_covered,
        ),
        (
            "module.legal_vps",
            "annual.f.vp_schools_without",
            s.vp_schools_without,
        ),
        (
            "module.education",
            "annual.f.sessions",
            f.education_sessions,
        ),
        ("module.education", "annual.f.drills", f.drills),
        ("module.education", "annual.f.participants", f.participants),
        (
            "module.bullying",
            "annual.f.bullying_reported",
            f.bullying_reported,
        ),
        (
            "module.bullying",
            "annual.f.bullying_determined",
            f.bullying_determined,
        ),
        ("module.bullying", "annual.f.screenings", f.screenings),
    ]
}

fn workbook(a: &Annual, cat: &'static Catalog) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = wb.add_worksheet();
    ws.set_name(cat.get("annual.sheet"))?;
    ws.set_column_width(0, 14)?;
    ws.set_column_width(1, 36)?;
    ws.set_column_width(2, 12)?;
    let title = cat
        .get("annual.heading")
        .replacen("{}", &a.year.to_string(), 1);
    ws.write_string_with_format(0, 0, &title, &bold)?;
    for (i, h) in ["annual.col.module", "annual.col.figure", "annual.col.value"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(2, i as u16, cat.get(h), &bold)?;
    }
    let mut row = 3;
    let by_topic = topics(a)
        .into_iter()
        .map(|(label, n)| ("module.education", label, n));
    for (module, key, n) in rows(a).into_iter().chain(by_topic) {
        ws.write_string(row, 0, cat.get(module))?;
        ws.write_string(row, 1, cat.get(key))?;
        ws.write_number(row, 2, n as f64)?;
        row += 1;
    }
    for c in &a.campaigns {
        ws.write_string(row, 0, cat.get("module.campaigns"))?;
        ws.write_string(row, 1, download::neutralise(&c.name))?;
        if let Some(r) = c.completion.completion_rate {
            ws.write_number_with_format(row, 2, r, &Format::new().set_num_format("0.0%"))?;
        }
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, cat.get("annual.draft"), &bold)?;
    // Each clause ends with what follows it: its punctuation, and a space where the language
    // puts one between sentences.
    let text: String = clauses(a, cat)
        .iter()
        .map(|c| format!("{}{}{}", c.before, c.n, c.after))
        .collect();
    ws.write_string(row + 1, 0, &text)?;
    wb.save_to_buffer()
}

/// Every catalog key the page names outside its template.
pub fn labels() -> Vec<&'static str> {
    let mut keys: Vec<&'static str> = crate::domain::annual::CLAUSES.to_vec();
    keys.extend([
        "annual.p.campaign",
        "annual.title",
        "annual.sheet",
        "annual.heading",
        "annual.col.module",
        "annual.col.figure",
        "annual.col.value",
        "annual.draft",
        "annual.error.year",
        "module.hazards",
        "module.buildings",
        "module.security",
        "module.legal_vps",
        "module.education",
        "module.bullying",
        "module.campaigns",
    ]);
    keys.extend(rows(&Annual::empty()).into_iter().map(|(_, k, _)| k));
    keys
}
