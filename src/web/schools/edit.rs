//! GET /schools/{id}/edit and POST /schools/{id}: the admin corrects a school's record.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};

use super::new::SchoolFormPage;
use crate::domain::access::{Action, Target};
use crate::domain::school;
use crate::domain::school::SchoolDraft;
use crate::error::AppError;
use crate::store::{StoreError, schools};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::guard::flash_redirect;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State;

fn page(
    ctx: &RequestCtx,
    id: i64,
    f: SchoolDraft,
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let page = Page::new(ctx, "schools.edit_title");
    render_status(
        &SchoolFormPage {
            page,
            action: format!("/schools/{id}"),
            f,
            errors,
            is_new: false,
        },
        status,
    )
}

pub async fn form(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row = state.db(move |conn| Ok(schools::get(conn, id)?)).await?;
    require(&authed, Action::ManageSchools, Target::School(id))?;
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
    page(&ctx, id, f, FormErrors::default(), StatusCode::OK)
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
    form: web::Form<SchoolDraft>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    state.db(move |conn| Ok(schools::get(conn, id)?)).await?;
    require(&authed, Action::ManageSchools, Target::School(id))?;
    let f = form.into_inner();
    let input = match school::validate(&f) {
        Ok(i) => i,
        Err(fields) => {
            return page(
                &ctx,
                id,
                f,
                FormErrors::from_fields(&fields),
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let actor = authed.event_actor();
    match state
        .db(move |conn| Ok(schools::update(conn, &actor, id, &input)))
        .await?
    {
        Ok(()) => Ok(flash_redirect(
            &format!("/schools/{id}"),
            "schools.flash.saved",
        )),
        Err(StoreError::Invalid(fields)) => page(
            &ctx,
            id,
            f,
            FormErrors::from_fields(&fields),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Err(e) => Err(e.into()),
    }
}
