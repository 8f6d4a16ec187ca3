//! POST /hazards/{id}/supervise: the bureau sets supervision (挂牌督办) with its five items, or
//! clears it.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{load_visible, refusal, show};
use crate::domain::hazard;
use crate::domain::hazard_input::{SuperviseDraft, validate_supervision};
use crate::error::AppError;
use crate::store::hazards::By;
use crate::store::{StoreError, hazards as store};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::guard::flash_redirect;
use crate::web::page::FormErrors;
use crate::web::state::State as AppStateData;

#[derive(Deserialize, Default)]
pub struct SuperviseFields {
    #[serde(default)]
    on: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    responsible_person: String,
    #[serde(default)]
    funding: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    contingency_plan: String,
    /// The version the form was drawn from: a stale form is refused (409).
    #[serde(default)]
    version: String,
}

pub async fn submit(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    form: web::Form<SuperviseFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = load_visible(&state, &authed, id).await?;
    hazard::may_supervise(&authed.actor(), &row.hazard.facts())
        .map_err(|r| refusal(r, row.hazard.state()))?;
    let f = form.into_inner();
    let version = f.version.trim().parse::<i32>().ok();
    let on = match f.on.trim() {
        "1" => true,
        "0" => false,
        _ => return Err(AppError::Invalid("error.invalid")),
    };
    let supervision = if on {
        let draft = SuperviseDraft {
            measures: f.measures,
            responsible_person: f.responsible_person,
            funding: f.funding,
            deadline: f.deadline,
            contingency_plan: f.contingency_plan,
        };
        match validate_supervision(&draft, row.hazard.found_on) {
            Ok(s) => Some(s),
            Err(fields) => {
                return show::page(
                    &state,
                    &ctx,
                    &authed,
                    row,
                    FormErrors::from_fields(&fields),
                    Some("supervise".into()),
                )
                .await;
            }
        }
    } else {
        None
    };
    let (actor, who) = (authed.event_actor(), authed.actor());
    let now = state.now();
    let result = state
        .db(move |conn| {
            let by = By {
                actor: &actor,
                who: &who,
                at: now,
            };
            Ok(store::supervise(
                conn,
                &by,
                id,
                supervision.as_ref(),
                version,
            ))
        })
        .await?;
    match result {
        Ok(()) => Ok(flash_redirect(
            &format!("/hazards/{id}"),
            if on {
                "flash.hazard.supervise"
            } else {
                "flash.hazard.unsupervise"
            },
        )),
        Err(StoreError::Invalid(fields)) => {
            show::page(
                &state,
                &ctx,
                &authed,
                row,
                FormErrors::from_fields(&fields),
                Some("supervise".into()),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
