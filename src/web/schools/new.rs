//! GET /schools/new and POST /schools: the admin registers a school.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;

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

#[derive(Template)]
#[template(path = "schools/form.html")]
pub struct SchoolFormPage {
    pub page: Page,
    pub action: String,
    pub f: SchoolDraft,
    pub errors: FormErrors,
    pub is_new: bool,
}

impl SchoolFormPage {
    fn kinds(&self) -> Vec<crate::web::fields::Choice> {
        crate::web::fields::choices::<crate::domain::school::SchoolKind>(&self.f.kind)
    }
}

pub async fn form(ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSchools, Target::County)?;
    let f = SchoolDraft {
        kind: "primary".into(),
        ..Default::default()
    };
    let page = Page::new(&ctx, "schools.new_title");
    render_status(
        &SchoolFormPage {
            page,
            action: "/schools".into(),
            f,
            errors: FormErrors::default(),
            is_new: true,
        },
        StatusCode::OK,
    )
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    form: web::Form<SchoolDraft>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSchools, Target::County)?;
    let f = form.into_inner();
    let refuse = |f: SchoolDraft, fields: &[_]| {
        let page = Page::new(&ctx, "schools.new_title");
        let errors = FormErrors::from_fields(fields);
        render_status(
            &SchoolFormPage {
                page,
                action: "/schools".into(),
                f,
                errors,
                is_new: true,
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        )
    };
    let input = match school::validate(&f) {
        Ok(i) => i,
        Err(fields) => return refuse(f, &fields),
    };
    let actor = authed.event_actor();
    let result = state
        .db(move |conn| Ok(schools::create(conn, &actor, &input)))
        .await?;
    match result {
        Ok(id) => Ok(flash_redirect(
            &format!("/schools/{id}"),
            "schools.flash.created",
        )),
        Err(StoreError::Invalid(fields)) => refuse(f, &fields),
        Err(e) => Err(e.into()),
    }
}
