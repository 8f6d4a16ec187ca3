//! POST /buildings/{id}/appraisals: an appraisal, url-encoded or multipart with its report
//! file (a PDF or an image, checked by content). 404 outside scope, 403 for a role that may
//! not, 409 while the building is being disposed of, 422 for missing or bad fields — a D
//! grade needs the five supervision items; nothing is written unless all of it holds.

use actix_web::{HttpRequest, HttpResponse, web};

use super::load_visible;
use super::show::{self, form_key};
use crate::domain::buildings::input::{AppraisalDraft, validate_appraisal};
use crate::domain::buildings::{KIND, rules};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::buildings::{self as store, BuildingRow};
use crate::web::attachments::{media_error_key, save_document};
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
    // The rules first, so a forbidden or impossible appraisal is 403/409 whatever the fields.
    rules::may_appraise(&authed.actor(), &row.building.facts())
        .map_err(|r| StoreError::refused(r, KIND, row.building.status))?;
    let posted = forms::read(&req, payload).await?;
    let draft: AppraisalDraft = posted.parse()?;
    let appraisal = match validate_appraisal(&draft, row.building.year_built, state.today()) {
        Ok(a) => a,
        Err(fields) => return again(&state, &ctx, &authed, &req, row, &posted, fields).await,
    };
    let mut files = posted.files("file");
    if files.len() > 1 {
        let e = FieldError::new("file", "buildings.error.one_report");
        return again(&state, &ctx, &authed, &req, row, &posted, vec![e]).await;
    }
    let saved = match files.pop() {
        Some(bytes) => match save_document(&state, &authed, bytes).await? {
            Ok(s) => Some(s),
            Err(e) => {
                let e = FieldError::new("file", media_error_key(&e));
                return again(&state, &ctx, &authed, &req, row, &posted, vec![e]).await;
            }
        },
        None => None,
    };
    let version = posted.get("version").trim().parse::<i32>().ok();
    let by = authed.by(state.now());
    let result = state
        .db(move |conn| {
            Ok(store::appraise(
                conn,
                &by,
                id,
                &appraisal,
                saved.as_ref(),
                version,
            ))
        })
        .await?;
    match result {
        Ok(done) => {
            forms::succeeded(&state, &ctx, &form_key(id, "appraise")).await;
            let flash = if done.hazard.is_some() {
                "buildings.flash.appraised_d"
            } else {
                "buildings.flash.appraised"
            };
            Ok(flash_redirect(&format!("/buildings/{id}"), flash))
        }
        Err(StoreError::Invalid(fields)) => {
            again(&state, &ctx, &authed, &req, row, &posted, fields).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The form again, values kept, the errors at their fields; a chosen file must be chosen again.
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
    show::refuse(
        state,
        ctx,
        authed,
        req,
        row,
        "appraise",
        posted.typed(),
        &errors,
    )
    .await
}
