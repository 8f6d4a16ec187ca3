//! GET/POST /users/import: a CSV of accounts, all or none, each with a temporary password.

use actix_multipart::form::MultipartForm;
use actix_web::HttpResponse;

use super::issued;
use crate::auth::token::temporary_password;
use crate::domain::access::{Action, Target};
use crate::error::AppError;
use crate::store::import::{USER_COLUMNS, USER_EXAMPLE, parse_users};
use crate::store::{StoreError, users};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::import::{self, ImportSpec, Upload};
use crate::web::state::State;

const SPEC: ImportSpec = ImportSpec {
    title: "users.import_title",
    action: "/users/import",
    back: "/users",
    columns: &USER_COLUMNS,
    example: USER_EXAMPLE,
};

pub async fn form(ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    import::page(&ctx, &SPEC, &[])
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    MultipartForm(upload): MultipartForm<Upload>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageUsers, Target::County)?;
    let parsed = match import::bytes(upload).and_then(|b| parse_users(&b)) {
        Ok(parsed) => parsed,
        Err(errors) => return import::page(&ctx, &SPEC, &errors),
    };
    // Passwords are made only for a file that reads well: a refused one needs none.
    let mut hashes = Vec::with_capacity(parsed.rows.len());
    let mut issued_list = Vec::with_capacity(parsed.rows.len());
    if parsed.errors.is_empty() {
        for (_, u) in &parsed.rows {
            let password = temporary_password();
            hashes.push(state.hash_password(password.clone()).await?);
            issued_list.push((u.username.clone(), password));
        }
    }
    let actor = authed.event_actor();
    match state
        .db(move |conn| Ok(users::import(conn, &actor, &parsed, &hashes)))
        .await?
    {
        Ok(_) => issued(&ctx, "users.imported_title", issued_list),
        Err(StoreError::ImportRefused(errors)) => import::page(&ctx, &SPEC, &errors),
        Err(e) => Err(e.into()),
    }
}
