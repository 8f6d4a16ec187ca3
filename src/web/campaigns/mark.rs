//! POST /campaigns/{id}/items/{item_id}/done (the school's officer: done_on, note, optional
//! file) and /return (the bureau: school, comment). A refused step draws the campaign page
//! with its errors (422); a step the item's state does not allow is 409.

use actix_web::{HttpRequest, HttpResponse, web};

use super::show::page;
use crate::domain::access::Target;
use crate::domain::campaigns::input::{DoneDraft, ReturnDraft, validate_done, validate_return};
use crate::domain::campaigns::rules;
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::campaigns as store;
use crate::web::attachments::{media_error_key, save_document};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms;
use crate::web::guard::flash_redirect;
use crate::web::listing;
use crate::web::page::FormErrors;
use crate::web::state::State;

async fn answer(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    id: i64,
    result: Result<(), StoreError>,
    flash: &'static str,
) -> Result<HttpResponse, AppError> {
    match result {
        Ok(()) => Ok(flash_redirect(&format!("/campaigns/{id}"), flash)),
        Err(StoreError::Invalid(e)) => {
            page(state, ctx, authed, id, 1, FormErrors::from_fields(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn done(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    path: web::Path<(i64, i64)>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (id, item_id) = path.into_inner();
    let who = authed.actor();
    rules::may_list(&who)?;
    let school = match who.home() {
        Target::School(s) if rules::marks_own_school(&who) => s,
        _ => return Err(AppError::Forbidden),
    };
    let campaign = state.db(move |conn| Ok(store::get(conn, id)?)).await?;
    let posted = forms::read(&req, payload).await?;
    let d: DoneDraft = posted.parse()?;
    let today = state.today();
    let mut errors: Vec<FieldError> = Vec::new();
    let checked = match validate_done(&d, campaign.starts_on, today) {
        Ok(v) => Some(v),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let mut evidence = None;
    if let Some(bytes) = posted.files("file").into_iter().next() {
        match save_document(&state, &authed, bytes).await? {
            Ok(saved) => evidence = Some(saved),
            Err(e) => errors.push(FieldError::new("file", media_error_key(&e))),
        }
    }
    let result = match (checked, errors.is_empty()) {
        (Some(v), true) => {
            let by = authed.by(state.now());
            state
                .db(move |conn| {
                    Ok(store::mark_done(
                        conn,
                        &by,
                        (id, item_id, school),
                        &v,
                        evidence.as_ref(),
                        today,
                    ))
                })
                .await?
        }
        _ => Err(StoreError::Invalid(errors)),
    };
    answer(&state, &ctx, &authed, id, result, "campaigns.flash.done").await
}

pub async fn return_item(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    path: web::Path<(i64, i64)>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let (id, item_id) = path.into_inner();
    rules::may_create(&authed.actor())?;
    state.db(move |conn| Ok(store::get(conn, id)?)).await?;
    let posted = forms::read(&req, payload).await?;
    let d: ReturnDraft = posted.parse()?;
    // The bureau names the school: an unknown or inactive one is the field's error (422).
    let school = listing::school_for_new(&state, &authed, &d.school)
        .await?
        .ok();
    let result = match (school, validate_return(&d)) {
        (Some(school), Ok(comment)) => {
            let by = authed.by(state.now());
            state
                .db(move |conn| {
                    Ok(store::return_item(
                        conn,
                        &by,
                        (id, item_id, school),
                        &comment,
                    ))
                })
                .await?
        }
        (None, r) => {
            let mut e = FieldError::only("school", "error.unknown_school");
            e.extend(r.err().unwrap_or_default());
            Err(StoreError::Invalid(e))
        }
        (Some(_), Err(e)) => Err(StoreError::Invalid(e)),
    };
    answer(
        &state,
        &ctx,
        &authed,
        id,
        result,
        "campaigns.flash.returned",
    )
    .await
}
