//! POST /hazards/{id}/transition: one step of the loop, url-encoded or multipart (a submit's
//! "after" photos come with it). 404 outside scope, 403 for a role that may not, 409 when the
//! state does not allow it (or changed meanwhile), 422 for missing or bad fields; nothing is
//! written unless all of it holds.

use actix_web::{HttpRequest, HttpResponse, web};

use super::show::{self, form_key};
use super::{load_visible, refused};
use crate::domain::attachments::Stage;
use crate::domain::hazards::input::{TransitionDraft, validate_transition};
use crate::domain::hazards::{HazardAction, KIND, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::attachments::Kept;
use crate::store::hazards::{self as store, HazardRow};
use crate::web::attachments::keep_photos;
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
    let action = HazardAction::parse(posted.get("action").trim())
        .ok_or(AppError::Invalid("error.unknown_action"))?;
    // The rules first, so a forbidden or impossible action is 403/409 whatever the fields say.
    let policy = state.db(|conn| Ok(store::policy(conn)?)).await?;
    rules::decide(&authed.actor(), action, &row.hazard.facts(), policy)
        .map_err(|r| refused(r, &row.hazard))?;
    let draft: TransitionDraft = posted.parse()?;
    let form = form_key(id, action.as_str());
    let mut kept = posted.ids("kept");
    let photos = posted.files("file");
    if !photos.is_empty() {
        if action != HazardAction::Submit {
            return Err(AppError::Invalid("error.invalid"));
        }
        match keep_photos(&state, &authed, &form, KIND, Stage::After, photos, "file").await? {
            Ok(ids) => kept.extend(ids),
            Err(e) => return again(&state, &ctx, &authed, &req, row, &posted, kept, vec![e]).await,
        }
    }
    let t = match validate_transition(action, &draft, row.hazard.found_on, state.today()) {
        Ok(t) => t,
        Err(fields) => return again(&state, &ctx, &authed, &req, row, &posted, kept, fields).await,
    };
    let version = posted.get("version").trim().parse::<i32>().ok();
    let (by, session) = (authed.by(state.now()), authed.session.id);
    let (form_name, ids) = (form.clone(), kept.clone());
    let result = state
        .db(move |conn| {
            let photos = Kept {
                session_id: session,
                form: &form_name,
                ids: &ids,
            };
            Ok(store::transition(
                conn,
                &by,
                id,
                action,
                &t,
                version,
                Some(photos),
            ))
        })
        .await?;
    match result {
        Ok(_) => {
            forms::succeeded(&state, &ctx, &form).await;
            Ok(flash_redirect(
                &format!("/hazards/{id}"),
                crate::web::hazards::flash_of(action),
            ))
        }
        Err(StoreError::Invalid(fields)) => {
            again(&state, &ctx, &authed, &req, row, &posted, kept, fields).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form again, values kept (and the photos it keeps listed), the errors at their fields.
#[allow(clippy::too_many_arguments)]
async fn again(
    state: &AppStateData,
    ctx: &RequestCtx,
    authed: &Authed,
    req: &HttpRequest,
    row: HazardRow,
    posted: &Posted,
    kept: Vec<i64>,
    errors: Vec<FieldError>,
) -> Result<HttpResponse, AppError> {
    let action = posted.get("action").trim().to_string();
    let mut fields = posted.typed();
    fields.extend(kept.iter().map(|k| ("kept".to_string(), k.to_string())));
    show::refuse(state, ctx, authed, req, row, &action, fields, &errors).await
}
