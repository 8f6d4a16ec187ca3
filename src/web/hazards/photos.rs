//! POST /hazards/{id}/photos: photo evidence, "before" or "after", one or several at once.
//! Files are checked by content, re-encoded (metadata dropped) and stored by content hash; a
//! refused upload comes back to the form with its message. They are served by `/attachments`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::show;
use super::{load_visible, refused};
use crate::domain::hazards::rules;
use crate::error::AppError;
use crate::store::hazards::photos::HAZARD_PHOTOS;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms;
use crate::web::guard::flash_redirect;
use crate::web::photo_upload;
use crate::web::state::State as AppStateData;

pub async fn upload(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = load_visible(&state, &authed, id).await?;
    // Whoever adds no photo of any stage is refused before the form is read (403, not 422).
    rules::may_report(&authed.actor(), row.hazard.school_id)
        .map_err(|r| refused(r, &row.hazard))?;
    let posted = forms::read(&req, payload).await?;
    let allowed = |stage| -> Result<(), AppError> {
        rules::may_add_photo(&authed.actor(), &row.hazard.facts(), stage)
            .map_err(|r| refused(r, &row.hazard))
    };
    let added = photo_upload::add_posted(
        &state,
        &authed,
        &posted,
        &HAZARD_PHOTOS,
        id,
        &rules::PHOTO_STAGES,
        allowed,
    )
    .await?;
    match added {
        Ok(_) => {
            forms::succeeded(&state, &ctx, &show::form_key(id, "photos")).await;
            Ok(flash_redirect(
                &format!("/hazards/{id}#photos"),
                "attachments.flash.added",
            ))
        }
        Err(e) => {
            let errors = photo_upload::refused_errors(&posted, e);
            let fields = posted.typed();
            show::refuse(&state, &ctx, &authed, &req, row, "photos", fields, &errors).await
        }
    }
}
