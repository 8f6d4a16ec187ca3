//! GET /bullying/three-early: the semester's three-early status — a school's own, with its
//! screenings and prevention sessions and the forms to record them, or every school's for the
//! bureau. POST /bullying/screenings and /bullying/sessions record them (the school's officer).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::access::Target;
use crate::domain::bullying::input::{
    ScreeningDraft, SessionDraft, validate_screening, validate_session,
};
use crate::domain::bullying::three_early::Status;
use crate::domain::bullying::{Semester, rules};
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::bullying::{activities as store, models::Screening};
use crate::store::schools;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms;
use crate::web::guard::flash_redirect;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State;

pub struct SchoolLine {
    pub name: String,
    pub status: Status,
}

#[derive(Template)]
#[template(path = "bullying/three_early.html")]
struct ThreeEarlyPage {
    page: Page,
    semester: String,
    lines: Vec<SchoolLine>,
    /// The school's own activities (an officer's page).
    screenings: Vec<Screening>,
    sessions: Vec<(chrono::NaiveDate, i32, String)>,
    records: bool,
    today: String,
    errors: FormErrors,
    typed: Vec<(String, String)>,
}

impl ThreeEarlyPage {
    fn typed(&self, name: &str) -> String {
        self.typed
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }
}

async fn page(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    errors: FormErrors,
    typed: Vec<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    rules::may_list(&who)?;
    let today = state.today();
    let semester = Semester::of(today);
    let own = match who.home() {
        Target::School(id) => Some(id),
        Target::County => None,
    };
    let (lines, screenings, sessions) = state
        .db(move |conn| {
            let scope = own.map(|id| vec![id]);
            let status = store::three_early(conn, scope.as_deref(), semester, today)?;
            let mut lines: Vec<SchoolLine> = schools::list(conn, false)?
                .into_iter()
                .filter_map(|s| {
                    status.get(&s.school.id).map(|st| SchoolLine {
                        name: s.school.name,
                        status: *st,
                    })
                })
                .collect();
            lines.sort_by_key(|l| l.status.all_met());
            let (screenings, sessions) = match own {
                Some(id) => (
                    store::screenings(conn, id, 20)?,
                    store::sessions(conn, id, 20)?,
                ),
                None => (Vec::new(), Vec::new()),
            };
            Ok((lines, screenings, sessions))
        })
        .await?;
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let t = ThreeEarlyPage {
        page: Page::new(ctx, "bullying.three_early_title"),
        semester: ctx.lang.catalog().get(semester.label()).replacen(
            "{}",
            &semester.year.to_string(),
            1,
        ),
        lines,
        screenings,
        sessions,
        records: own.is_some_and(|id| rules::may_record_activity(&who, id).is_ok()),
        today: today.to_string(),
        errors,
        typed,
    };
    render_status(&t, status)
}

pub async fn show(state: State, ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    page(&state, &ctx, &authed, FormErrors::default(), Vec::new()).await
}

/// The officer's own school: activities are recorded for it alone.
fn own_school(a: &Authed) -> Result<i64, AppError> {
    match a.actor().home() {
        Target::School(id) => {
            rules::may_record_activity(&a.actor(), id)?;
            Ok(id)
        }
        Target::County => Err(AppError::Forbidden),
    }
}

async fn answer(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    typed: Vec<(String, String)>,
    result: Result<(), StoreError>,
    flash: &'static str,
) -> Result<HttpResponse, AppError> {
    match result {
        Ok(()) => Ok(flash_redirect("/bullying/three-early", flash)),
        Err(StoreError::Invalid(e)) => {
            page(state, ctx, authed, FormErrors::from_fields(&e), typed).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn screening(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let school = own_school(&authed)?;
    let posted = forms::read(&req, payload).await?;
    let d: ScreeningDraft = posted.parse()?;
    let result = match validate_screening(&d, state.today()) {
        Ok(s) => {
            let by = authed.by(state.now());
            state
                .db(move |conn| Ok(store::record_screening(conn, &by, school, &s)))
                .await?
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let typed = posted.typed().to_vec();
    answer(
        &state,
        &ctx,
        &authed,
        typed,
        result,
        "bullying.flash.screening",
    )
    .await
}

pub async fn session(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let school = own_school(&authed)?;
    let posted = forms::read(&req, payload).await?;
    let d: SessionDraft = posted.parse()?;
    let result = match validate_session(&d, state.today()) {
        Ok(v) => {
            let by = authed.by(state.now());
            state
                .db(move |conn| Ok(store::record_session(conn, &by, school, &v)))
                .await?
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let typed = posted.typed().to_vec();
    answer(
        &state,
        &ctx,
        &authed,
        typed,
        result,
        "bullying.flash.session",
    )
    .await
}
