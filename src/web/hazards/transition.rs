//! POST /hazards/{id}/transition: one step of the loop. 404 outside scope, 403 for a role
//! that may not, 409 when the state does not allow it (or changed meanwhile), 422 for
//! missing or bad fields; nothing is written unless all of it holds.

use actix_web::{HttpResponse, web};
use serde::Deserialize;

use super::{load_visible, refusal, show};
use crate::domain::hazard::{self, HazardAction};
use crate::domain::hazard_input::{TransitionDraft, validate_transition};
use crate::error::AppError;
use crate::store::hazards::By;
use crate::store::{StoreError, hazards as store};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::guard::flash_redirect;
use crate::web::page::FormErrors;
use crate::web::state::State as AppStateData;

#[derive(Deserialize, Default)]
pub struct TransitionFields {
    #[serde(default)]
    action: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    responsible_unit: String,
    #[serde(default)]
    responsible_person: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    interim_controls: String,
    #[serde(default)]
    funding: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    duplicate_of: String,
    /// The version the form was drawn from: a stale form is refused (409).
    #[serde(default)]
    version: String,
}

pub async fn submit(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    form: web::Form<TransitionFields>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = load_visible(&state, &authed, id).await?;
    let f = form.into_inner();
    let action =
        HazardAction::parse(f.action.trim()).ok_or(AppError::Invalid("error.unknown_action"))?;
    // The rules first, so a forbidden or impossible action is 403/409 whatever the fields say.
    let policy = state.db(|conn| Ok(store::policy(conn)?)).await?;
    hazard::decide(&authed.actor(), action, &row.hazard.facts(), policy)
        .map_err(|r| refusal(r, row.hazard.state()))?;
    let draft = TransitionDraft {
        comment: f.comment,
        deadline: f.deadline,
        responsible_unit: f.responsible_unit,
        responsible_person: f.responsible_person,
        measures: f.measures,
        interim_controls: f.interim_controls,
        funding: f.funding,
        department: f.department,
        duplicate_of: f.duplicate_of,
    };
    let t = match validate_transition(action, &draft, row.hazard.found_on) {
        Ok(t) => t,
        Err(fields) => {
            return show::page(
                &state,
                &ctx,
                &authed,
                row,
                FormErrors::from_fields(&fields),
                Some(action.as_str().into()),
            )
            .await;
        }
    };
    let version = f.version.trim().parse::<i32>().ok();
    let (actor, who) = (authed.event_actor(), authed.actor());
    let now = state.now();
    let result = state
        .db(move |conn| {
            let by = By {
                actor: &actor,
                who: &who,
                at: now,
            };
            Ok(store::transition(conn, &by, id, action, &t, version))
        })
        .await?;
    match result {
        Ok(_) => Ok(flash_redirect(
            &format!("/hazards/{id}"),
            &format!("flash.hazard.{}", action.as_str()),
        )),
        Err(StoreError::Invalid(fields)) => {
            show::page(
                &state,
                &ctx,
                &authed,
                row,
                FormErrors::from_fields(&fields),
                Some(action.as_str().into()),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
