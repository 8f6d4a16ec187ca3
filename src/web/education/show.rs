//! GET /education/{id}: one session with its photos, its trail and, for whoever records for
//! its school, its note and the form to add photos; POST /education/{id}/photos adds them
//! (multipart `file`, as for hazards; `stage` optional, the session's photos by default).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::domain::attachments::Stage;
use crate::domain::education::{KIND, rules};
use crate::error::AppError;
use crate::store::education::{self as store, photos::EDUCATION_PHOTOS};
use crate::store::models::Attachment;
use crate::store::{attachments, events};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms::{self, Posted};
use crate::web::guard::flash_redirect;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::photo_upload;
use crate::web::state::State;
use crate::web::timeline::{self, Entry};

#[derive(Template)]
#[template(path = "education/show.html")]
struct ShowPage {
    page: Page,
    row: store::Row,
    photos: Vec<Attachment>,
    timeline: Vec<Entry>,
    /// The note, for those who record for the school.
    note: Option<String>,
    /// The photo form, for the same.
    adds_photos: bool,
    errors: FormErrors,
}

/// The session if this user reads it: 403 for a role that reads no register (before any id is
/// looked up), 404 for a missing session or another school's.
async fn load(state: &State, authed: &Authed, id: i64) -> Result<store::Row, AppError> {
    let who = authed.actor();
    rules::may_list(&who)?;
    let row = state.db(move |conn| Ok(store::get(conn, id)?)).await?;
    rules::may_view(&who, row.session.school_id)?;
    Ok(row)
}

async fn page(
    state: &State,
    ctx: &RequestCtx,
    authed: &Authed,
    row: store::Row,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let who = authed.actor();
    let id = row.session.id;
    let (photos, entries) = state
        .db(move |conn| {
            Ok((
                attachments::list(conn, KIND, id)?,
                events::timeline(conn, KIND, id)?,
            ))
        })
        .await?;
    let school = row.session.school_id;
    let note = rules::sees_note(&who, school)
        .then(|| row.session.note.clone())
        .filter(|n| !n.is_empty());
    let status = if errors.any() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let t = ShowPage {
        page: Page::new(ctx, "education.title"),
        row,
        photos,
        timeline: timeline::entries(KIND, &entries),
        note,
        adds_photos: rules::may_record(&who, school).is_ok(),
        errors,
    };
    render_status(&t, status)
}

pub async fn show(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let row = load(&state, &authed, id.into_inner()).await?;
    page(&state, &ctx, &authed, row, FormErrors::default()).await
}

/// The stage a posted photo is of: the session's own unless the form says another.
fn with_stage(mut posted: Posted) -> Posted {
    if posted.get("stage").trim().is_empty() {
        posted.fields.retain(|(k, _)| k != "stage");
        posted
            .fields
            .push(("stage".into(), Stage::Evidence.as_str().into()));
    }
    posted
}

pub async fn photos(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = load(&state, &authed, id).await?;
    // Whoever adds no photo is refused before the form is read (403, not 422).
    rules::may_record(&authed.actor(), row.session.school_id)?;
    let posted = with_stage(forms::read(&req, payload).await?);
    let stages = [Stage::Evidence, Stage::Before, Stage::After];
    let added = photo_upload::add_posted(
        &state,
        &authed,
        &posted,
        &EDUCATION_PHOTOS,
        id,
        &stages,
        |_| Ok(()),
    )
    .await?;
    match added {
        Ok(_) => Ok(flash_redirect(
            &format!("/education/{id}#photos"),
            "attachments.flash.added",
        )),
        Err(e) => {
            let errors = FormErrors::from_fields(&photo_upload::refused_errors(&posted, e));
            page(&state, &ctx, &authed, row, errors).await
        }
    }
}
