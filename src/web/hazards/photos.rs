//! Photo evidence: POST /hazards/{id}/photos, and the authorised handlers that serve them.
//! Files are stored under the data dir by content hash, never under the client's name.

use actix_multipart::form::MultipartForm;
use actix_multipart::form::bytes::Bytes as FileBytes;
use actix_multipart::form::text::Text;
use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::load_visible;
use crate::domain::hazard::{self, PhotoStage};
use crate::error::AppError;
use crate::media::MediaError;
use crate::store::hazards::By;
use crate::store::hazards::photos::{self, NewPhoto};
use crate::store::{StoreError, files};
use crate::web::ctx::Authed;
use crate::web::guard::flash_redirect;
use crate::web::state::State as AppStateData;

pub use crate::store::files::Saved;

pub fn media_error_key(e: &MediaError) -> &'static str {
    match e {
        MediaError::TooLarge => "err.file_too_big",
        MediaError::NotAnImage => "err.not_an_image",
        MediaError::TooManyPixels => "err.image_too_many_pixels",
        MediaError::Undecodable(_) | MediaError::Encode(_) => "err.image_unreadable",
    }
}

/// Checks, re-encodes and stores a photo on the blocking pool. The outer error is the
/// server's; the inner one is the upload's fault, to tell the user.
pub async fn process_and_save(
    state: &AppStateData,
    bytes: Vec<u8>,
) -> Result<Result<Saved, MediaError>, AppError> {
    let _permit = state
        .media_permits
        .acquire()
        .await
        .map_err(AppError::internal)?;
    let dir = state.config.uploads_dir();
    web::block(move || files::save_photo(&dir, &bytes))
        .await?
        .map_err(|e| AppError::internal(format!("storing a photo: {e}")))
}

#[derive(MultipartForm)]
pub struct PhotoUpload {
    #[multipart(limit = "10MiB")]
    file: Option<FileBytes>,
    stage: Option<Text<String>>,
}

pub async fn upload(
    state: AppStateData,
    authed: Authed,
    id: web::Path<i64>,
    form: Result<MultipartForm<PhotoUpload>, actix_web::Error>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = load_visible(&state, &authed, id).await?;
    let MultipartForm(u) = form.map_err(|_| AppError::Invalid("err.file_too_big"))?;
    let stage = u
        .stage
        .and_then(|s| PhotoStage::parse(s.trim()))
        .ok_or(AppError::Invalid("err.photo_stage"))?;
    hazard::may_add_photo(&authed.actor(), &row.hazard.facts(), stage)
        .map_err(|r| super::refusal(r, row.hazard.state()))?;
    let bytes = u
        .file
        .map(|f| f.data.to_vec())
        .filter(|b| !b.is_empty())
        .ok_or(AppError::Invalid("err.no_file"))?;
    // Refuse before writing files when the hazard is full (the store checks again, in its
    // transaction, for two uploads racing).
    let same_stage = state
        .db(move |conn| {
            Ok(photos::list(conn, id)?
                .iter()
                .filter(|p| p.stage == stage.as_str())
                .count())
        })
        .await?;
    if same_stage as i64 >= photos::MAX_PER_STAGE {
        return Err(AppError::Invalid("err.too_many_photos"));
    }
    let saved = process_and_save(&state, bytes)
        .await?
        .map_err(|e| AppError::Invalid(media_error_key(&e)))?;
    let actor = authed.event_actor();
    let (who, school_id) = (authed.actor(), row.hazard.school_id);
    let now = state.now();
    let added = state
        .db(move |conn| {
            let p = NewPhoto {
                stage,
                sha256: &saved.sha256,
                bytes: saved.bytes,
                width: saved.width,
                height: saved.height,
            };
            let by = By {
                actor: &actor,
                who: &who,
                at: now,
            };
            Ok(photos::add(conn, &by, id, school_id, &p))
        })
        .await?;
    match added {
        Ok(_) => Ok(flash_redirect(
            &format!("/hazards/{id}"),
            "flash.photo_added",
        )),
        Err(StoreError::Invalid(f)) => Err(AppError::Invalid(
            f.first().map(|e| e.message).unwrap_or("error.invalid"),
        )),
        Err(e) => Err(e.into()),
    }
}

async fn serve(
    state: AppStateData,
    authed: Authed,
    id: i64,
    thumb: bool,
) -> Result<HttpResponse, AppError> {
    let photo = state.db(move |conn| Ok(photos::get(conn, id)?)).await?;
    let row = load_visible(&state, &authed, photo.hazard_id).await?;
    let path = files::photo_path(&state.config.uploads_dir(), &photo.sha256, thumb);
    let bytes = web::block(move || std::fs::read(path))
        .await?
        .map_err(|e| AppError::internal(format!("photo {id} is missing on disk: {e}")))?;
    let name = format!(
        "{}-{}{}.jpg",
        row.hazard.ref_no,
        photo.id,
        if thumb { "-thumb" } else { "" }
    );
    Ok(HttpResponse::Ok()
        .content_type("image/jpeg")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("inline; filename=\"{name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        .body(bytes))
}

pub async fn full(
    state: AppStateData,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    serve(state, authed, id.into_inner(), false).await
}

pub async fn thumb(
    state: AppStateData,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    serve(state, authed, id.into_inner(), true).await
}
