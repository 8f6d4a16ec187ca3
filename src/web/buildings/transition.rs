//! POST /buildings/{id}/transition: one disposal step, url-encoded or multipart (a
//! `report_done`'s "after" photos may come with it). 404 outside scope, 403 for a role that may
//! not (and for whoever reported it done accepting it), 409 when the status does not allow it
//! (or changed meanwhile), 422 for missing or bad fields; nothing is written unless all holds.

use actix_web::{HttpRequest, HttpResponse, web};

use super::show;
use super::{flash_of, load_visible};
use crate::domain::buildings::input::{TransitionDraft, validate_transition};
use crate::domain::buildings::{BuildingAction, KIND, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::buildings::{self as store, BuildingRow};
use crate::store::files::Saved;
use crate::web::attachments::{media_error_key, save_photo};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms::{self, Posted};
use crate::web::guard::flash_redirect;
use crate::web::state::State as AppStateData;

pub async fn submit(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = load_visible(&state, &authed, id).await?;
    let posted = forms::read(&req, payload).await?;
    let action = BuildingAction::parse(posted.get("action").trim())
        .ok_or(AppError::Invalid("error.unknown_action"))?;
    // The rules first, so a forbidden or impossible step is 403/409 whatever the fields say.
    rules::decide(&authed.actor(), action, &row.building.facts())
        .map_err(|r| StoreError::refused(r, KIND, row.building.status))?;
    let draft: TransitionDraft = posted.parse()?;
    let t = match validate_transition(action, &draft, state.today()) {
        Ok(t) => t,
        Err(fields) => return again(&state, &ctx, &authed, &req, row, &posted, fields).await,
    };
    let photos = posted.files("file");
    if !photos.is_empty() && action != BuildingAction::ReportDone {
        return Err(AppError::Invalid("error.invalid"));
    }
    let mut saved: Vec<Saved> = Vec::with_capacity(photos.len());
    for bytes in photos {
        match save_photo(&state, &authed, bytes).await? {
            Ok(s) => saved.push(s),
            Err(e) => {
                let e = FieldError::new("file", media_error_key(&e));
                return again(&state, &ctx, &authed, &req, row, &posted, vec![e]).await;
            }
        }
    }
    let version = posted.get("version").trim().parse::<i32>().ok();
    let by = authed.by(state.now());
    let result = state
        .db(move |conn| {
            Ok(store::transition(
                conn, &by, id, action, &t, version, &saved,
            ))
        })
        .await?;
    match result {
        Ok(_) => {
            forms::succeeded(&state, &ctx, &show::form_key(id, action.as_str())).await;
            Ok(flash_redirect(
                &format!("/buildings/{id}"),
                flash_of(action),
            ))
        }
        Err(StoreError::Invalid(fields)) => {
            again(&state, &ctx, &authed, &req, row, &posted, fields).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form again, values kept, the errors at their fields.
async fn again(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    req: &HttpRequest,
    row: BuildingRow,
    posted: &Posted,
    mut errors: Vec<FieldError>,
) -> Result<HttpResponse, AppError> {
    if !posted.files.is_empty() && !errors.iter().any(|e| e.field == "file") {
        errors.push(FieldError::new("file", "attachments.error.choose_again"));
    }
    let action = posted.get("action").trim().to_string();
    show::refuse(
        state,
        ctx,
        authed,
        req,
        row,
        &action,
        posted.typed(),
        &errors,
    )
    .await
}
