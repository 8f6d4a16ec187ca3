//! The photo form every record page has (`stage` and one or more `file`s): the stage read and
//! checked against the module's rule, the files checked and stored, then added to the record
//! in one transaction. The module's handler loads its record, asks the rule and draws the page
//! again when the upload is refused.

use super::attachments::{media_error_key, save_photo};
use super::ctx::Authed;
use super::forms::Posted;
use super::state::State;
use crate::domain::attachments::Stage;
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::attachments::{self, Owner};
use crate::store::files::Saved;

/// Adds the posted photos to record `id` of `owner`. `stages` are the stages its photo form
/// offers; `allowed` is the module's rule for a stage (its refusal is the answer: 404, 403,
/// 409). Gives the stage added, or the field error to show at the form.
pub async fn add_posted(
    state: &State,
    authed: &Authed,
    posted: &Posted,
    owner: &'static dyn Owner,
    id: i64,
    stages: &[Stage],
    allowed: impl Fn(Stage) -> Result<(), AppError>,
) -> Result<Result<Stage, FieldError>, AppError> {
    let Some(stage) = Stage::parse(posted.get("stage").trim()).filter(|s| stages.contains(s))
    else {
        return Ok(Err(FieldError::new("stage", "attachments.error.stage")));
    };
    allowed(stage)?;
    let photos = posted.files("file");
    if photos.is_empty() {
        return Ok(Err(FieldError::new("file", "error.no_file")));
    }
    // Refuse before processing files when the record has no room (the store checks again, in
    // its transaction, for two uploads racing).
    let kind = owner.kind();
    let room = state
        .db(move |conn| Ok(attachments::room(conn, kind, id, stage)?))
        .await?;
    if (photos.len() as i64) > room {
        return Ok(Err(attachments::too_many_error("file")));
    }
    let mut saved: Vec<Saved> = Vec::with_capacity(photos.len());
    for bytes in photos {
        match save_photo(state, authed, bytes).await? {
            Ok(s) => saved.push(s),
            Err(e) => return Ok(Err(FieldError::new("file", media_error_key(&e)))),
        }
    }
    let by = authed.by(state.now());
    let added = state
        .db(move |conn| Ok(attachments::add(conn, &by, owner, id, stage, &saved)))
        .await?;
    match added {
        Ok(_) => Ok(Ok(stage)),
        Err(StoreError::Invalid(f)) => Ok(Err(f
            .into_iter()
            .next()
            .unwrap_or_else(|| attachments::too_many_error("file")))),
        Err(e) => Err(e.into()),
    }
}

/// The errors a refused photo form shows: its own, and (a refused upload keeps no file) that
/// the photos must be chosen again.
pub fn refused_errors(posted: &Posted, e: FieldError) -> Vec<FieldError> {
    let again = !posted.files.is_empty() && e.field != "file";
    let mut errors = vec![e];
    if again {
        errors.push(FieldError::new("file", "attachments.error.choose_again"));
    }
    errors
}
