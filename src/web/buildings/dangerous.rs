//! GET /buildings/dangerous: every C and D building not yet demolished or reinforced, with its
//! disposal status, deadline and whether it is overdue, and (for county roles) the standing
//! buildings by grade per township, each count linked to the register filtered to it.

use actix_web::HttpResponse;
use askama::Template;

use super::{Item, require_view};
use crate::domain::buildings::Grade;
use crate::error::AppError;
use crate::store::buildings::list::{self, Filter};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State as AppStateData;

/// One township's line: its name and the count per grade (A–D, then not appraised).
pub struct TownshipLine {
    pub township: String,
    pub counts: Vec<(String, i64)>,
    pub total: i64,
}

#[derive(Template)]
#[template(path = "buildings/dangerous.html")]
struct DangerousPage {
    page: Page,
    items: Vec<Item>,
    county_wide: bool,
    /// The grade columns: their filter value and catalog key.
    grades: Vec<(&'static str, &'static str)>,
    townships: Vec<TownshipLine>,
    totals: Vec<(String, i64)>,
    overdue: usize,
    total: usize,
    /// Standing buildings whose next appraisal is past due (linked to the register's list).
    appraisals_overdue: i64,
}

impl DangerousPage {
    fn link(&self, township: &str, grade: &str) -> String {
        let mut enc = url::form_urlencoded::Serializer::new(String::new());
        if !township.is_empty() {
            enc.append_pair("township", township);
        }
        enc.append_pair("grade", grade);
        // The counts are of standing buildings: a demolished one keeps its grade.
        enc.append_pair("standing", "1");
        format!("/buildings?{}", enc.finish())
    }
}

/// The grade columns of the per-township table, `none` last.
fn grade_columns() -> Vec<(&'static str, &'static str)> {
    let mut g: Vec<_> = Grade::ALL.iter().map(|g| (g.as_str(), g.label())).collect();
    g.push(("none", "buildings.grade.none"));
    g
}

pub async fn show(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
) -> Result<HttpResponse, AppError> {
    require_view(&authed)?;
    let today = state.today();
    let county_wide = !authed.actor().is_school_scoped();
    let f = Filter {
        school_id: authed.user.school_id.filter(|_| !county_wide),
        dangerous: true,
        ..Default::default()
    };
    let overdue_filter = Filter {
        school_id: f.school_id,
        overdue_on: Some(today),
        ..Default::default()
    };
    let (rows, by_township, appraisals_overdue) = state
        .db(move |conn| {
            let rows = list::all(conn, &f)?;
            let overdue = list::count(conn, &overdue_filter)?;
            let by = if county_wide {
                list::grades_by_township(conn)?
            } else {
                Default::default()
            };
            Ok((rows, by, overdue))
        })
        .await?;
    let items: Vec<Item> = rows.iter().map(|r| Item::new(r, today)).collect();
    let grades = grade_columns();
    let key = |g: &str| Grade::parse(g);
    let townships: Vec<TownshipLine> = by_township
        .into_iter()
        .map(|(township, counts)| {
            let counts: Vec<(String, i64)> = grades
                .iter()
                .map(|(g, _)| {
                    (
                        g.to_string(),
                        counts.get(&key(g)).copied().unwrap_or_default(),
                    )
                })
                .collect();
            TownshipLine {
                township,
                total: counts.iter().map(|c| c.1).sum(),
                counts,
            }
        })
        .collect();
    let totals = grades
        .iter()
        .enumerate()
        .map(|(i, (g, _))| {
            let n = townships.iter().map(|t| t.counts[i].1).sum();
            (g.to_string(), n)
        })
        .collect();
    let overdue = items.iter().filter(|i| i.disposal_overdue).count();
    render(&DangerousPage {
        total: items.len(),
        appraisals_overdue,
        page: Page::new(&ctx, "buildings.dangerous_title"),
        items,
        county_wide,
        grades,
        townships,
        totals,
        overdue,
    })
}
