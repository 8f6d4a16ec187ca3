//! The case page's forms: a party, a measure, a step. Each loads the case (403 for a role that
//! reads no case, 404 for another school's), checks the fields (422, values kept) and calls the
//! store, which decides again in its transaction.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};

use super::load_case;
use super::show::{self, form_key};
use crate::domain::bullying::Action;
use crate::domain::bullying::input::{
    MeasureDraft, PartyDraft, StepDraft, validate_measure, validate_party, validate_step,
};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::bullying::{details, models::Case, step};
use crate::store::{By, Conn, StoreError, StoreResult};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms::{self, Posted, Refused, Site};
use crate::web::guard::flash_redirect;
use crate::web::state::State;

/// The case page again at `form`, with what was typed and what was wrong.
#[allow(clippy::too_many_arguments)]
async fn answer(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    req: &HttpRequest,
    c: Case,
    form: &str,
    anchor: &str,
    posted: &Posted,
    result: Result<(), StoreError>,
    flash: &'static str,
) -> Result<HttpResponse, AppError> {
    let key = form_key(c.id, form);
    match result {
        Ok(()) => {
            forms::succeeded(state, ctx, &key).await;
            Ok(flash_redirect(&format!("/bullying/{}", c.id), flash))
        }
        Err(StoreError::Invalid(errors)) => {
            let site = Site {
                form: key.clone(),
                page: format!("/bullying/{}", c.id),
                anchor: anchor.to_string(),
            };
            again(state, ctx, authed, req, c, &site, posted, &errors).await
        }
        Err(e) => Err(e.into()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn again(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    req: &HttpRequest,
    c: Case,
    site: &Site,
    posted: &Posted,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let key = site.form.clone();
    forms::refuse_or(
        state,
        ctx,
        req,
        site,
        posted.typed(),
        errors,
        |fields, errors| {
            let refused = Refused {
                form: key,
                fields,
                errors,
            };
            show::page(state, ctx, authed, c, Some(refused))
        },
    )
    .await
}

/// One of the case page's detail forms: its name and anchor, how its draft is checked and
/// stored, and the flash after it.
struct DetailWrite<D, V> {
    form: &'static str,
    anchor: &'static str,
    check: fn(&D, chrono::NaiveDate) -> Result<V, Vec<FieldError>>,
    save: fn(&mut Conn, &By, i64, &V) -> StoreResult<()>,
    flash: &'static str,
}

/// Loads the case (403/404), checks the draft (422, values kept) and stores it.
async fn detail<D, V>(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: i64,
    payload: web::Payload,
    w: DetailWrite<D, V>,
) -> Result<HttpResponse, AppError>
where
    D: serde::de::DeserializeOwned,
    V: Send + 'static,
{
    let c = load_case(&state, &authed, id).await?;
    let posted = forms::read(&req, payload).await?;
    let d: D = posted.parse()?;
    let result = match (w.check)(&d, state.today()) {
        Ok(v) => {
            let (by, id, save) = (authed.by(state.now()), c.id, w.save);
            state.db(move |conn| Ok(save(conn, &by, id, &v))).await?
        }
        Err(f) => Err(StoreError::Invalid(f)),
    };
    answer(
        &state, &ctx, &authed, &req, c, w.form, w.anchor, &posted, result, w.flash,
    )
    .await
}

pub async fn party(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let w = DetailWrite::<PartyDraft, _> {
        form: "parties",
        anchor: "form-party",
        check: |d, _| validate_party(d),
        save: details::add_party,
        flash: "bullying.flash.party",
    };
    detail(state, ctx, authed, req, id.into_inner(), payload, w).await
}

pub async fn measure(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let w = DetailWrite::<MeasureDraft, _> {
        form: "measures",
        anchor: "form-measure",
        check: validate_measure,
        save: details::add_measure,
        flash: "bullying.flash.measure",
    };
    detail(state, ctx, authed, req, id.into_inner(), payload, w).await
}

/// A step's form: the step, and the case's version the page was drawn from.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct StepForm {
    #[serde(flatten)]
    step: StepDraft,
    version: String,
}

pub async fn transition(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let c = load_case(&state, &authed, id.into_inner()).await?;
    let posted = forms::read(&req, payload).await?;
    let f: StepForm = posted.parse()?;
    let version = f.version.trim().parse::<i32>().ok();
    // The form's name from a known action only: the draft key never holds what was typed.
    let form = match Action::parse(f.step.action.trim()) {
        Some(a) => format!("step-{}", a.as_str()),
        None => "step".to_string(),
    };
    let result = match validate_step(&f.step) {
        Ok(s) => {
            let (by, id) = (authed.by(state.now()), c.id);
            state
                .db(move |conn| Ok(step::step(conn, &by, id, &s, version).map(|_| ())))
                .await?
        }
        Err(e) => Err(StoreError::Invalid(e)),
    };
    let anchor = format!("form-{form}");
    answer(
        &state,
        &ctx,
        &authed,
        &req,
        c,
        &form,
        &anchor,
        &posted,
        result,
        "bullying.flash.step",
    )
    .await
}
