//! The security forms' handlers: the profile, a new guard, a guard leaving, an alarm test, a gap
//! raised as a hazard. Each loads the school within scope (404), asks the rule (403), checks the
//! fields (422, values kept) and calls the store, which decides again in its transaction.

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::NaiveDate;

use super::load_school;
use super::school::{self, form_key};
use crate::domain::access::{Actor, Decision, Target};
use crate::domain::security::input::{
    AlarmTestDraft, GuardDraft, ProfileDraft, validate_alarm_test, validate_guard, validate_leave,
    validate_profile,
};
use crate::domain::security::{Item, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::schools::{self, SchoolRow};
use crate::store::{By, Conn, StoreError, StoreResult, security as store};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms::{self, Posted, Refused, Site};
use crate::web::guard::flash_redirect;
use crate::web::state::State;

/// The school page again at `form`, with what was typed and what was wrong.
#[allow(clippy::too_many_arguments)]
async fn again(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    req: &HttpRequest,
    school: SchoolRow,
    form: &str,
    posted: &Posted,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let code = school.school.code.clone();
    let anchor = match form {
        "alarm-tests" => "form-alarm".to_string(),
        "guards" => "form-guard".to_string(),
        f => format!("form-{f}"),
    };
    let site = Site {
        form: form_key(&code, form),
        page: format!("/security/schools/{code}"),
        anchor,
    };
    let key = site.form.clone();
    forms::refuse_or(
        state,
        ctx,
        req,
        &site,
        posted.typed(),
        errors,
        |fields, errors| {
            let refused = Refused {
                form: key,
                fields,
                errors,
            };
            school::page(state, ctx, authed, school, Some(refused))
        },
    )
    .await
}

/// The write's answer: back to the school page with its flash, or the form again.
#[allow(clippy::too_many_arguments)]
async fn answer(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    req: &HttpRequest,
    school: SchoolRow,
    form: &str,
    posted: &Posted,
    result: Result<(), StoreError>,
    flash: &'static str,
) -> Result<HttpResponse, AppError> {
    match result {
        Ok(()) => {
            forms::succeeded(state, ctx, &form_key(&school.school.code, form)).await;
            Ok(flash_redirect(
                &format!("/security/schools/{}", school.school.code),
                flash,
            ))
        }
        Err(StoreError::Invalid(errors)) => {
            again(state, ctx, authed, req, school, form, posted, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

/// One of a school's own forms: its name (draft and anchor), who may post it, how its draft is
/// checked and stored, and the flash after it.
struct SchoolWrite<D, V> {
    form: &'static str,
    allowed: fn(&Actor, i64) -> Decision,
    check: fn(&D, NaiveDate) -> Result<V, Vec<FieldError>>,
    save: fn(&mut Conn, &By, i64, &V) -> StoreResult<()>,
    flash: &'static str,
}

/// Loads the school within scope (404), asks the rule (403), checks the draft (422, values
/// kept) and stores it.
async fn submit<D, V>(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    code: &str,
    payload: web::Payload,
    w: SchoolWrite<D, V>,
) -> Result<HttpResponse, AppError>
where
    D: serde::de::DeserializeOwned,
    V: Send + 'static,
{
    let school = load_school(&state, &authed, code).await?;
    let id = school.school.id;
    (w.allowed)(&authed.actor(), id)?;
    let posted = forms::read(&req, payload).await?;
    let d: D = posted.parse()?;
    let result = match (w.check)(&d, state.today()) {
        Ok(v) => {
            let (by, save) = (authed.by(state.now()), w.save);
            state.db(move |conn| Ok(save(conn, &by, id, &v))).await?
        }
        Err(f) => Err(StoreError::Invalid(f)),
    };
    answer(
        &state, &ctx, &authed, &req, school, w.form, &posted, result, w.flash,
    )
    .await
}

pub async fn profile(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    code: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let w = SchoolWrite::<ProfileDraft, _> {
        form: "profile",
        allowed: rules::may_verify,
        check: validate_profile,
        save: store::save_profile,
        flash: "security.flash.profile",
    };
    submit(state, ctx, authed, req, &code, payload, w).await
}

pub async fn guard(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    code: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let w = SchoolWrite::<GuardDraft, _> {
        form: "guards",
        allowed: rules::may_keep,
        check: validate_guard,
        save: |conn, by, id, g| store::add_guard(conn, by, id, g).map(|_| ()),
        flash: "security.flash.guard",
    };
    submit(state, ctx, authed, req, &code, payload, w).await
}

pub async fn alarm_test(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    code: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let w = SchoolWrite::<AlarmTestDraft, _> {
        form: "alarm-tests",
        allowed: rules::may_keep,
        check: validate_alarm_test,
        save: store::record_alarm_test,
        flash: "security.flash.alarm_test",
    };
    submit(state, ctx, authed, req, &code, payload, w).await
}

pub async fn gap(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    code: web::Path<String>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let school = load_school(&state, &authed, &code).await?;
    let id = school.school.id;
    rules::may_verify(&authed.actor(), id)?;
    let posted = forms::read(&req, payload).await?;
    let Some(item) = Item::parse(posted.get("item").trim()) else {
        let e = FieldError::new("item", "error.choice");
        return again(&state, &ctx, &authed, &req, school, "gaps", &posted, &[e]).await;
    };
    let by = authed.by(state.now());
    let (hazard, _) = state
        .db(move |conn| Ok(store::raise_gap(conn, &by, id, item)?))
        .await?;
    forms::succeeded(&state, &ctx, &form_key(&school.school.code, "gaps")).await;
    Ok(flash_redirect(
        &format!("/hazards/{hazard}"),
        "security.flash.gap",
    ))
}

pub async fn leave(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let who = authed.actor();
    rules::may_view(&who, who.home())?;
    let g = state.db(move |conn| Ok(store::guard(conn, id)?)).await?;
    rules::may_view(&who, Target::School(g.school_id))?;
    rules::may_keep(&who, g.school_id)?;
    let school_id = g.school_id;
    let school = state
        .db(move |conn| Ok(schools::get(conn, school_id)?))
        .await?;
    let posted = forms::read(&req, payload).await?;
    let result = match validate_leave(posted.get("left_on"), g.hired_on, state.today()) {
        Ok(on) => {
            let by = authed.by(state.now());
            state
                .db(move |conn| Ok(store::guard_leaves(conn, &by, id, on)))
                .await?
        }
        Err(f) => Err(StoreError::Invalid(f)),
    };
    answer(
        &state,
        &ctx,
        &authed,
        &req,
        school,
        &format!("leave-{id}"),
        &posted,
        result,
        "security.flash.leave",
    )
    .await
}
