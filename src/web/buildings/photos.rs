//! POST /buildings/{id}/photos: photos of the building, "before" or "after" its disposal.
//! Files are checked by content, re-encoded (metadata dropped) and stored by content hash; a
//! refused upload comes back to the form with its message. They are served by `/attachments`.

use actix_web::{HttpRequest, HttpResponse, web};

use super::load_visible;
use super::show;
use crate::domain::attachments::Stage;
use crate::domain::buildings::{KIND, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::attachments;
use crate::store::buildings::files::BUILDING_FILES;
use crate::store::{StoreError, files::Saved};
use crate::web::attachments::{media_error_key, save_photo};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms;
use crate::web::guard::flash_redirect;
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
    rules::may_register(&authed.actor(), row.building.school_id)
        .map_err(|r| StoreError::refused(r, KIND, row.building.status))?;
    let posted = forms::read(&req, payload).await?;
    // A refused upload keeps no file: the page says to choose it again.
    let refuse = |row, e: FieldError| {
        let (state, ctx, authed, req) = (&state, &ctx, &authed, &req);
        let fields = posted.typed();
        let mut errors = vec![e];
        if !posted.files.is_empty() && errors[0].field != "file" {
            errors.push(FieldError::new("file", "attachments.error.choose_again"));
        }
        async move { show::refuse(state, ctx, authed, req, row, "photos", fields, &errors).await }
    };
    let Some(stage) =
        Stage::parse(posted.get("stage").trim()).filter(|s| rules::PHOTO_STAGES.contains(s))
    else {
        return refuse(row, FieldError::new("stage", "attachments.error.stage")).await;
    };
    rules::may_add_photo(&authed.actor(), &row.building.facts(), stage)
        .map_err(|r| StoreError::refused(r, KIND, row.building.status))?;
    let photos = posted.files("file");
    if photos.is_empty() {
        return refuse(row, FieldError::new("file", "error.no_file")).await;
    }
    // Refuse before processing files when the building has no room (the store checks again, in
    // its transaction, for two uploads racing).
    let room = state
        .db(move |conn| Ok(attachments::room(conn, KIND, id, stage)?))
        .await?;
    if (photos.len() as i64) > room {
        return refuse(row, attachments::too_many_error("file")).await;
    }
    let mut saved: Vec<Saved> = Vec::with_capacity(photos.len());
    for bytes in photos {
        match save_photo(&state, &authed, bytes).await? {
            Ok(s) => saved.push(s),
            Err(e) => return refuse(row, FieldError::new("file", media_error_key(&e))).await,
        }
    }
    let by = authed.by(state.now());
    let added = state
        .db(move |conn| {
            Ok(attachments::add(
                conn,
                &by,
                &BUILDING_FILES,
                id,
                stage,
                &saved,
            ))
        })
        .await?;
    match added {
        Ok(_) => {
            forms::succeeded(&state, &ctx, &show::form_key(id, "photos")).await;
            Ok(flash_redirect(
                &format!("/buildings/{id}#photos"),
                "attachments.flash.added",
            ))
        }
        Err(StoreError::Invalid(f)) => {
            let e = f
                .into_iter()
                .next()
                .unwrap_or_else(|| attachments::too_many_error("file"));
            refuse(row, e).await
        }
        Err(e) => Err(e.into()),
    }
}
