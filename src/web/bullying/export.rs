//! GET /bullying.csv and /bullying.xlsx: the case list as its filters give it — references,
//! schools, dates, kinds and states only. No export holds a pupil's name, the summary or a
//! note: those stay on the case page.

use actix_web::{HttpResponse, web};

use super::list::{ListQuery, filter};
use crate::domain::bullying::clock;
use crate::error::AppError;
use crate::i18n::Catalog;
use crate::store::bullying::list::{self, Row};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::download;
use crate::web::state::State;

/// Column headings' catalog keys and widths (in characters) for the spreadsheet.
pub const COLUMNS: [(&str, f64); 8] = [
    ("bullying.col.ref_no", 14.0),
    ("field.school", 22.0),
    ("bullying.col.reported_on", 12.0),
    ("bullying.col.reporter", 10.0),
    ("field.state", 10.0),
    ("bullying.col.determination", 12.0),
    ("bullying.col.deadline", 12.0),
    ("bullying.col.overdue", 8.0),
];

fn cells(r: &Row, cat: &Catalog, today: chrono::NaiveDate) -> Vec<String> {
    let c = &r.case;
    let overdue = clock::overdue(c.state, c.deadline, today);
    vec![
        c.ref_no.clone(),
        r.school_name.clone(),
        c.reported_on.to_string(),
        cat.get(c.reporter_kind.label()).to_string(),
        cat.get(c.state.label()).to_string(),
        c.determination
            .map(|d| cat.get(d.label()).to_string())
            .unwrap_or_default(),
        c.deadline.map(|d| d.to_string()).unwrap_or_default(),
        if overdue {
            cat.get("value.yes").to_string()
        } else {
            String::new()
        },
    ]
}

fn header(cat: &Catalog) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|(k, _)| cat.get(k).to_string())
        .collect()
}

async fn rows(state: &State, authed: &Authed, q: &ListQuery) -> Result<Vec<Row>, AppError> {
    let f = filter(state, authed, q).await?;
    state.db(move |conn| Ok(list::all(conn, &f)?)).await
}

pub async fn csv(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let rows = rows(&state, &authed, &q).await?;
    let (cat, today) = (ctx.lang.catalog(), state.today());
    let lines: Vec<Vec<String>> = rows.iter().map(|r| cells(r, cat, today)).collect();
    let bytes = download::csv_bytes(&header(cat), lines)?;
    Ok(download::csv(&format!("bullying-{today}.csv"), bytes))
}

pub async fn xlsx(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let rows = rows(&state, &authed, &q).await?;
    let (cat, today) = (ctx.lang.catalog(), state.today());
    let sheet = download::Sheet {
        name: cat.get("bullying.report.sheet").to_string(),
        columns: COLUMNS
            .iter()
            .map(|(k, w)| (cat.get(k).to_string(), *w))
            .collect(),
    };
    let mut batch = Some(rows);
    download::xlsx_rows(
        state.pool.clone(),
        state.config.data_dir.clone(),
        &format!("bullying-{today}.xlsx"),
        sheet,
        move |_conn| Ok(batch.take().unwrap_or_default()),
        move |r| cells(r, cat, today),
    )
    .await
}
