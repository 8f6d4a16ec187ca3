//! GET /schools/{id}/edit and POST /schools/{id}: the admin corrects a school's record. A
//! refused form keeps what was typed.

use actix_web::{HttpRequest, HttpResponse, web};

use super::new::{page, site};
use crate::domain::access::{Action, Target};
use crate::domain::school::{self, SchoolDraft};
use crate::error::AppError;
use crate::store::{StoreError, schools};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::forms::{self, DraftQuery};
use crate::web::guard::flash_redirect;
use crate::web::page::FormErrors;
use crate::web::state::State;

pub async fn form(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    q: web::Query<DraftQuery>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = state.db(move |conn| Ok(schools::get(conn, id)?)).await?;
    require(&authed, Action::ManageSchools, Target::School(id))?;
    let form = site(Some(id)).form;
    if let Some((f, errors)) = forms::kept(&state, &ctx, q.draft.as_deref(), &form).await? {
        return page(&ctx, Some(id), f, errors);
    }
    let s = row.school;
    let f = SchoolDraft {
        code: s.code,
        name: s.name,
        township: row.township.unwrap_or_default(),
        kind: s.kind.as_str().to_string(),
        pupils: s.pupils.to_string(),
        boarders: s.boarders.to_string(),
        staff: s.staff.to_string(),
        principal: s.principal,
        phone: s.phone,
    };
    page(&ctx, Some(id), f, FormErrors::default())
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    req: HttpRequest,
    id: web::Path<i64>,
    form: web::Form<SchoolDraft>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    state.db(move |conn| Ok(schools::get(conn, id)?)).await?;
    require(&authed, Action::ManageSchools, Target::School(id))?;
    let f = form.into_inner();
    let errors = match school::validate(&f) {
        Ok(input) => {
            let actor = authed.event_actor();
            match state
                .db(move |conn| Ok(schools::update(conn, &actor, id, &input)))
                .await?
            {
                Ok(()) => {
                    forms::succeeded(&state, &ctx, &site(Some(id)).form).await;
                    return Ok(flash_redirect(
                        &format!("/schools/{id}"),
                        "schools.flash.saved",
                    ));
                }
                Err(StoreError::Invalid(fields)) => fields,
                Err(e) => return Err(e.into()),
            }
        }
        Err(fields) => fields,
    };
    let fields = forms::pairs(&f);
    forms::refuse_or(
        &state,
        &ctx,
        &req,
        &site(Some(id)),
        fields,
        &errors,
        |_, e| async { page(&ctx, Some(id), f, e) },
    )
    .await
}
