//! Files of records, for every module: one authorised handler serves them (asking the owning
//! module through `store::attachments`), and uploads are checked, re-encoded and stored here
//! before a module's form attaches or keeps them.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::ctx::Authed;
use super::routes::Routes;
use super::state::State;
use crate::domain::attachments::Stage;
use crate::domain::audit::RecordKind;
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::media::MediaError;
use crate::store::attachments;
use crate::store::files::{self, Saved};
use crate::store::models::Attachment;

pub fn routes(r: &mut Routes) {
    r.get("/attachments/{id}", full)
        .get("/attachments/{id}/thumb", thumb);
}

/// The catalog key saying what is wrong with an upload.
pub fn media_error_key(e: &MediaError) -> &'static str {
    match e {
        MediaError::TooLarge => "error.file_too_big",
        MediaError::NotAnImage => "error.not_an_image",
        MediaError::TooManyPixels => "error.image_too_many_pixels",
        MediaError::Undecodable(_) | MediaError::Encode(_) => "error.image_unreadable",
        MediaError::NotADocument => "error.not_a_document",
        MediaError::ActivePdf => "error.active_pdf",
    }
}

/// What a stored upload is saved by: its bytes in, the stored file or the upload's fault out.
type Saver = fn(&std::path::Path, &[u8]) -> std::io::Result<Result<Saved, MediaError>>;

/// Checks and stores an upload on the blocking pool, one at a time per server and a few per
/// user. The outer error is the server's (`what` names it in the log); the inner one is the
/// upload's fault, to tell the user.
async fn save(
    state: &State,
    authed: &Authed,
    bytes: Vec<u8>,
    saver: Saver,
    what: &'static str,
) -> Result<Result<Saved, MediaError>, AppError> {
    let _turn = state.media.enter(authed.user.id).await?;
    let dir = state.config.uploads_dir();
    web::block(move || saver(&dir, &bytes))
        .await?
        .map_err(|e| AppError::io(what, &e))
}

/// A photo: checked, re-encoded (metadata dropped) and stored.
pub async fn save_photo(
    state: &State,
    authed: &Authed,
    bytes: Vec<u8>,
) -> Result<Result<Saved, MediaError>, AppError> {
    save(state, authed, bytes, files::save_photo, "storing a photo").await
}

/// A report file: a PDF checked and kept as it is, or an image stored like a photo.
pub async fn save_document(
    state: &State,
    authed: &Authed,
    bytes: Vec<u8>,
) -> Result<Result<Saved, MediaError>, AppError> {
    save(
        state,
        authed,
        bytes,
        files::save_document,
        "storing a report file",
    )
    .await
}

/// Photos chosen in a form, stored and kept for the session and the form until it succeeds.
/// Returns the kept ids, or the field error of the first file that is not a usable photo.
pub async fn keep_photos(
    state: &State,
    authed: &Authed,
    form: &str,
    kind: RecordKind,
    stage: Stage,
    photos: Vec<Vec<u8>>,
    field: &'static str,
) -> Result<Result<Vec<i64>, FieldError>, AppError> {
    let mut ids = Vec::new();
    for bytes in photos {
        let saved = match save_photo(state, authed, bytes).await? {
            Ok(s) => s,
            Err(e) => return Ok(Err(FieldError::new(field, media_error_key(&e)))),
        };
        let (by, session, form) = (authed.by(state.now()), authed.session.id, form.to_string());
        ids.push(
            state
                .db(move |conn| {
                    Ok(attachments::keep_pending(
                        conn, &by, session, &form, kind, stage, &saved,
                    )?)
                })
                .await?,
        );
    }
    Ok(Ok(ids))
}

/// The files a session keeps for a form, and which of them the form lists.
pub async fn kept(
    state: &State,
    authed: &Authed,
    form: &str,
    listed: &[i64],
) -> Result<Vec<Attachment>, AppError> {
    let (session, form, listed) = (authed.session.id, form.to_string(), listed.to_vec());
    let all = state
        .db(move |conn| Ok(attachments::pending(conn, session, &form)?))
        .await?;
    Ok(all.into_iter().filter(|a| listed.contains(&a.id)).collect())
}

async fn serve(
    state: State,
    authed: Authed,
    id: i64,
    thumb: bool,
) -> Result<HttpResponse, AppError> {
    let (who, session) = (authed.actor(), authed.session.id);
    let (a, name) = state
        .db(move |conn| {
            let a = attachments::get(conn, id)?;
            let name = attachments::may_view(conn, &who, session, &a)?;
            Ok((a, name))
        })
        .await?;
    let path = files::stored_path(
        &state.config.uploads_dir(),
        &a.sha256,
        &a.content_type,
        thumb && a.is_image(),
    );
    let bytes = web::block(move || std::fs::read(path))
        .await?
        .map_err(|e| AppError::internal(format!("attachment {id} is missing on disk: {e}")))?;
    let ext = std::path::Path::new(&a.file_name)
        .extension()
        .and_then(|e| e.to_str())
        .filter(|e| e.chars().all(|c| c.is_ascii_alphanumeric()))
        .unwrap_or("jpg");
    let file = format!("{name}-{}{}.{ext}", a.id, if thumb { "-thumb" } else { "" });
    // A PDF is downloaded, never shown inside the app's origin: its viewer runs its own code.
    let disposition = if a.is_image() { "inline" } else { "attachment" };
    Ok(HttpResponse::Ok()
        .content_type(a.content_type.as_str())
        // Already compressed: the compression middleware leaves it as it is.
        .insert_header((header::CONTENT_ENCODING, "identity"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("{disposition}; filename=\"{file}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, max-age=3600"))
        // Opened on its own, a file runs nothing of ours and reaches nothing of our origin.
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            format!("{}; sandbox", super::CSP),
        ))
        .body(bytes))
}

pub async fn full(
    state: State,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    serve(state, authed, id.into_inner(), false).await
}

pub async fn thumb(
    state: State,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    serve(state, authed, id.into_inner(), true).await
}
