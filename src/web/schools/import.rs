//! GET/POST /schools/import: a CSV of schools, all rows or none.

use actix_multipart::form::MultipartForm;
use actix_web::HttpResponse;

use crate::domain::access::{Action, Target};
use crate::error::AppError;
use crate::store::import::{SCHOOL_COLUMNS, SCHOOL_EXAMPLE, parse_schools};
use crate::store::{StoreError, schools};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::guard::with_flash;
use crate::web::import::{self, ImportSpec, Upload};
use crate::web::state::State;

const SPEC: ImportSpec = ImportSpec {
    title: "schools.import_title",
    action: "/schools/import",
    back: "/schools",
    columns: &SCHOOL_COLUMNS,
    example: SCHOOL_EXAMPLE,
};

pub async fn form(ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSchools, Target::County)?;
    import::page(&ctx, &SPEC, &[])
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    MultipartForm(upload): MultipartForm<Upload>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSchools, Target::County)?;
    let parsed = match import::bytes(upload).and_then(|b| parse_schools(&b)) {
        Ok(parsed) => parsed,
        Err(errors) => return import::page(&ctx, &SPEC, &errors),
    };
    let actor = authed.event_actor();
    match state
        .db(move |conn| Ok(schools::import(conn, &actor, &parsed)))
        .await?
    {
        Ok(n) => Ok(with_flash(
            crate::error::redirect("/schools"),
            "schools.flash.imported",
            Some(&n.to_string()),
        )),
        Err(StoreError::ImportRefused(errors)) => import::page(&ctx, &SPEC, &errors),
        Err(e) => Err(e.into()),
    }
}
