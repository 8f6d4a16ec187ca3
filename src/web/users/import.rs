//! GET/POST /users/import: a CSV of accounts, all or none, each with a temporary password.

use actix_multipart::form::MultipartForm;
use actix_web::HttpResponse;

use super::issued;
use crate::auth::token::temporary_password;
use crate::domain::access::{Action, Target};
use crate::error::AppError;
use crate::store::import::{USER_COLUMNS, parse_users};
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
    example: "username,display_name,role,school\nli.na,李娜,school_admin,CX-0301\nzhou.jie,周杰,bureau,",
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
    let rows = match import::bytes(upload).and_then(|b| parse_users(&b)) {
        Ok(rows) => rows,
        Err(errors) => return import::page(&ctx, &SPEC, &errors),
    };
    let mut with_passwords = Vec::with_capacity(rows.len());
    let mut issued_list = Vec::with_capacity(rows.len());
    for (line, u) in rows {
        let password = temporary_password();
        let hash = state.hash_password(password.clone()).await?;
        issued_list.push((u.username.clone(), password));
        with_passwords.push((line, u, hash));
    }
    let actor = authed.event_actor();
    match state
        .db(move |conn| Ok(users::import(conn, &actor, &with_passwords)))
        .await?
    {
        Ok(_) => issued(&ctx, "users.imported_title", issued_list),
        Err(StoreError::ImportRefused(errors)) => import::page(&ctx, &SPEC, &errors),
        Err(e) => Err(e.into()),
    }
}
