//! Schools submit their month; the bureau sees who has and may return a submission.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::formats::draw_sections;
use super::scope::{ReportQuery, build};
use crate::domain::access::{Refusal, Target};
use crate::domain::month::Month;
use crate::domain::reports::input::{ReturnDraft, validate_return};
use crate::domain::reports::{SubmissionState, rules};
use crate::domain::time::local_minute;
use crate::error::AppError;
use crate::report::MonthlyReport;
use crate::store::reports::submissions::{self, Submission};
use crate::store::schools::{self, SchoolRow};
use crate::store::{StoreError, users};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms::{self, DraftQuery, Site};
use crate::web::guard::flash_redirect;
use crate::web::page::{FormErrors, Page, render, render_status};
use crate::web::state::State;

/// Read whole even without a month: who may submit is answered (403) before the month (422).
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SubmitForm {
    month: String,
}

fn conflict(e: StoreError, key: &'static str) -> AppError {
    match e {
        StoreError::Refused(Refusal::Conflict) => AppError::Conflict(key),
        StoreError::Invalid(fields) if !fields.is_empty() => AppError::Invalid(fields[0].message),
        other => other.into(),
    }
}

/// POST /reports/monthly/submit: the school's officer freezes their month as it reads now.
pub async fn submit(
    state: State,
    authed: Authed,
    form: web::Form<SubmitForm>,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    if !rules::submits(&who) {
        return Err(AppError::Forbidden);
    }
    let school_id = who.school_id.ok_or(AppError::Forbidden)?;
    if form.month.trim().is_empty() {
        return Err(AppError::Invalid("error.bad_month"));
    }
    let q = ReportQuery {
        month: Some(form.month.clone()),
        school: None,
        township: None,
    };
    let report = build(&state, &authed, &q).await?;
    let snapshot = report.json().to_string();
    let (by, month) = (authed.by(state.now()), report.month.clone());
    let result = state
        .db(move |conn| Ok(submissions::submit(conn, &by, school_id, &month, &snapshot)))
        .await?;
    result.map_err(|e| conflict(e, "reports.already_submitted"))?;
    Ok(flash_redirect(
        &format!("/reports/monthly?month={}", report.month),
        "reports.flash.submitted",
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
    rules::may_list_submissions(&authed.actor())?;
    let this = Month::of(state.today());
    let month = match q.month.as_deref().filter(|m| !m.trim().is_empty()) {
        Some(m) => Month::parse(m).ok_or(AppError::Invalid("error.bad_month"))?,
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
                .is_some_and(|s| s.state == SubmissionState::Submitted)
        })
        .count();
    render(&ListPage {
        page: Page::new(&ctx, "reports.submissions.title"),
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
    sections: Vec<String>,
    school: String,
    by: String,
    when: String,
    returned_when: String,
    can_return: bool,
    /// A refused return's comment, kept.
    comment: String,
    errors: FormErrors,
}

async fn load(state: &State, authed: &Authed, id: i64) -> Result<Submission, AppError> {
    let s = state
        .db(move |conn| Ok(submissions::get(conn, id)?))
        .await?;
    rules::may_view(&authed.actor(), Target::School(s.school_id))?;
    Ok(s)
}

fn return_form(id: i64) -> String {
    format!("reports/submissions/{id}/return")
}

/// GET /reports/submissions/{id}: the frozen figures, as submitted.
pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    let s = load(&state, &authed, id.into_inner()).await?;
    let refused = forms::kept(&state, &ctx, q.draft.as_deref(), &return_form(s.id)).await?;
    page(&state, &ctx, &authed, s, refused).await
}

/// The frozen submission, with a refused return's comment and errors (422), if any.
async fn page(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    s: Submission,
    refused: Option<(ReturnDraft, FormErrors)>,
) -> Result<HttpResponse, AppError> {
    let r = MonthlyReport::parse(&s.snapshot).map_err(AppError::internal)?;
    let sections = draw_sections(&r, ctx.lang.catalog(), true)?;
    let (school_id, by_id) = (s.school_id, s.submitted_by);
    let (school, by) = state
        .db(move |conn| {
            Ok((
                schools::get(conn, school_id)?.school.name,
                users::get(conn, by_id)?.user.display_name,
            ))
        })
        .await?;
    let can_return = rules::may_return(&authed.actor(), s.state).is_ok();
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (typed, errors) = refused.unwrap_or_default();
    let t = ShowPage {
        page: Page::new(ctx, "reports.submissions.show_title"),
        sections,
        when: local_minute(s.submitted_at),
        returned_when: s.returned_at.map(local_minute).unwrap_or_default(),
        s,
        school,
        by,
        can_return,
        comment: typed.comment,
        errors,
    };
    render_status(&t, status)
}

/// POST /reports/submissions/{id}/return: the bureau sends a month back with a comment.
pub async fn return_submission(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    form: web::Form<ReturnDraft>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let s = load(&state, &authed, id).await?;
    // The role first: only then does the state (already returned) matter.
    rules::may_return(&authed.actor(), SubmissionState::Submitted)?;
    let typed = form.into_inner();
    let comment = match validate_return(&typed) {
        Ok(c) => c,
        Err(fields) => {
            let site = Site {
                form: return_form(id),
                page: format!("/reports/submissions/{id}"),
                anchor: "form-return".into(),
            };
            let kept = forms::pairs(&typed);
            return forms::refuse_or(&state, &ctx, &req, &site, kept, &fields, |_, e| {
                page(&state, &ctx, &authed, s, Some((typed, e)))
            })
            .await;
        }
    };
    let by = authed.by(state.now());
    let result = state
        .db(move |conn| Ok(submissions::return_submission(conn, &by, id, &comment)))
        .await?;
    result.map_err(|e| conflict(e, "reports.not_returnable"))?;
    forms::succeeded(&state, &ctx, &return_form(id)).await;
    Ok(flash_redirect(
        &format!("/reports/submissions?month={}", s.month),
        "reports.flash.returned",
    ))
}
