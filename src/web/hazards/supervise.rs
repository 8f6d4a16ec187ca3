//! POST /hazards/{id}/supervise: the bureau sets supervision (挂牌督办) with its five items, or
//! clears it.

use actix_web::{HttpRequest, HttpResponse, web};

use super::show::{self, form_key};
use super::{load_visible, refused};
use crate::domain::hazards::input::{SuperviseDraft, validate_supervision};
use crate::domain::hazards::rules;
use crate::error::AppError;
use crate::store::StoreError;
use crate::store::hazards as store;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms;
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
    rules::may_supervise(&authed.actor(), &row.hazard.facts())
        .map_err(|r| refused(r, &row.hazard))?;
    let posted = forms::read(&req, payload).await?;
    let version = posted.get("version").trim().parse::<i32>().ok();
    let on = match posted.get("on").trim() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::Invalid("error.invalid")),
    };
    let form = form_key(id, "supervise");
    let errors = if on {
        let draft: SuperviseDraft = posted.parse()?;
        match validate_supervision(&draft, row.hazard.found_on, state.today()) {
            Ok(s) => {
                let by = authed.by(state.now());
                let result = state
                    .db(move |conn| Ok(store::supervise(conn, &by, id, Some(&s), version)))
                    .await?;
                match result {
                    Ok(()) => Vec::new(),
                    Err(StoreError::Invalid(fields)) => fields,
                    Err(e) => return Err(e.into()),
                }
            }
            Err(fields) => fields,
        }
    } else {
        let by = authed.by(state.now());
        state
            .db(move |conn| Ok(store::supervise(conn, &by, id, None, version)?))
            .await?;
        Vec::new()
    };
    if errors.is_empty() {
        forms::succeeded(&state, &ctx, &form).await;
        let flash = if on {
            "hazards.flash.supervise"
        } else {
            "hazards.flash.unsupervise"
        };
        return Ok(flash_redirect(&format!("/hazards/{id}"), flash));
    }
    let fields = posted.typed();
    show::refuse(
        &state,
        &ctx,
        &authed,
        &req,
        row,
        "supervise",
        fields,
        &errors,
    )
    .await
}
