//! Schools submit their month; the bureau sees who has and may return a submission.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::build::{MonthlyReport, ReportQuery, build};
use crate::domain::access::{Action, Target};
use crate::domain::hazard::Refusal;
use crate::domain::role::Role;
use crate::domain::time::local_minute;
use crate::error::AppError;
use crate::store::hazards::By;
use crate::store::schools::{self, SchoolRow};
use crate::store::submissions::{self, Submission};
use crate::store::{StoreError, users};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::guard::flash_redirect;
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Deserialize)]
pub struct SubmitForm {
    month: String,
}

fn conflict(e: StoreError, key: &'static str) -> AppError {
    match e {
        StoreError::Refused(Refusal::Conflict) => AppError::Conflict(key),
        other => other.into(),
    }
}

/// POST /reports/monthly/submit: the school's officer freezes their month as it reads now.
pub async fn submit(
    state: State,
    authed: Authed,
    form: web::Form<SubmitForm>,
) -> Result<HttpResponse, AppError> {
    let school_id = authed.user.school_id.ok_or(AppError::Forbidden)?;
    if authed.role() != Role::SchoolAdmin {
        return Err(AppError::Forbidden);
    }
    let q = ReportQuery {
        month: Some(form.month.clone()),
        school: None,
        township: None,
    };
    let report = build(&state, &authed, &q).await?;
    let snapshot = serde_json::to_string(&report).map_err(AppError::internal)?;
    let (actor, who, month) = (authed.event_actor(), authed.actor(), report.month.clone());
    let now = state.now();
    let result = state
        .db(move |conn| {
            let by = By {
                actor: &actor,
                who: &who,
                at: now,
            };
            Ok(submissions::submit(conn, &by, school_id, &month, &snapshot))
        })
        .await?;
    result.map_err(|e| conflict(e, "report.already_submitted"))?;
    Ok(flash_redirect(
        &format!("/reports/monthly?month={}", report.month),
        "flash.report_submitted",
    ))
}

pub struct Row {
    pub school: SchoolRow,
    pub submission: Option<Submission>,
    pub when: String,
}

#[derive(Template)]
#[template(path = "reports/submissions.html")]
struct ListPage {
    page: Page,
    month: String,
    rows: Vec<Row>,
    submitted: usize,
}

#[derive(Deserialize)]
pub struct MonthQuery {
    month: Option<String>,
}

/// GET /reports/submissions?month=: which schools have submitted.
pub async fn list(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    q: web::Query<MonthQuery>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ListSchools, Target::County)?;
    require(&authed, Action::ViewReports, Target::County)?;
    let this = crate::domain::report::Month::of(state.today());
    let month = match q.month.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(m) => {
            crate::domain::report::Month::parse(m).ok_or(AppError::Invalid("error.bad_month"))?
        }
        None => this.prev(),
    };
    let label = month.label();
    let (schools, subs) = {
        let label = label.clone();
        state
            .db(move |conn| {
                Ok((
                    schools::list(conn, false)?,
                    submissions::for_month(conn, &label)?,
                ))
            })
            .await?
    };
    let rows: Vec<Row> = schools
        .into_iter()
        .map(|school| {
            let submission = subs
                .iter()
                .find(|s| s.school_id == school.school.id)
                .cloned();
            let when = submission
                .as_ref()
                .map(|s| local_minute(s.submitted_at))
                .unwrap_or_default();
            Row {
                school,
                submission,
                when,
            }
        })
        .collect();
    let submitted = rows
        .iter()
        .filter(|r| {
            r.submission
                .as_ref()
                .is_some_and(|s| s.state == "submitted")
        })
        .count();
    render(&ListPage {
        page: Page::new(&ctx, "submissions.title"),
        month: label,
        rows,
        submitted,
    })
}

#[derive(Template)]
#[template(path = "reports/submission.html")]
struct ShowPage {
    page: Page,
    s: Submission,
    r: MonthlyReport,
    school: String,
    by: String,
    when: String,
    returned_when: String,
    can_return: bool,
}

async fn load(state: &State, authed: &Authed, id: i64) -> Result<Submission, AppError> {
    let s = state
        .db(move |conn| Ok(submissions::get(conn, id)?))
        .await?;
    require(authed, Action::ViewReports, Target::School(s.school_id))?;
    Ok(s)
}

/// GET /reports/submissions/{id}: the frozen figures, as submitted.
pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let s = load(&state, &authed, id.into_inner()).await?;
    let r: MonthlyReport = serde_json::from_str(&s.snapshot).map_err(AppError::internal)?;
    let (school_id, by_id) = (s.school_id, s.submitted_by);
    let (school, by) = state
        .db(move |conn| {
            Ok((
                schools::get(conn, school_id)?.school.name,
                users::get(conn, by_id)?.user.display_name,
            ))
        })
        .await?;
    let can_return = authed.role() == Role::Bureau && s.state == "submitted";
    let t = ShowPage {
        page: Page::new(&ctx, "submissions.show_title"),
        when: local_minute(s.submitted_at),
        returned_when: s.returned_at.map(local_minute).unwrap_or_default(),
        s,
        r,
        school,
        by,
        can_return,
    };
    render(&t)
}

#[derive(Deserialize)]
pub struct ReturnForm {
    #[serde(default)]
    comment: String,
}

/// POST /reports/submissions/{id}/return: the bureau sends a month back with a comment.
pub async fn return_submission(
    state: State,
    authed: Authed,
    id: web::Path<i64>,
    form: web::Form<ReturnForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let s = load(&state, &authed, id).await?;
    if authed.role() != Role::Bureau {
        return Err(AppError::Forbidden);
    }
    let comment = form.comment.trim().to_string();
    if comment.is_empty() || comment.chars().count() > 2000 {
        return Err(AppError::Invalid("report.return_needs_comment"));
    }
    let (actor, who) = (authed.event_actor(), authed.actor());
    let now = state.now();
    let result = state
        .db(move |conn| {
            let by = By {
                actor: &actor,
                who: &who,
                at: now,
            };
            Ok(submissions::return_submission(conn, &by, id, &comment))
        })
        .await?;
    result.map_err(|e| conflict(e, "report.not_returnable"))?;
    Ok(flash_redirect(
        &format!("/reports/submissions?month={}", s.month),
        "flash.report_returned",
    ))
}
