//! GET /schools/lookup?q=: the school picker's suggestions as one types (JSON), townships
//! first, then schools, each a bounded few. For those who read the registry.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use serde_json::json;

use crate::domain::access::{Action, Target};
use crate::error::AppError;
use crate::store::pick;
use crate::web::authz::require;
use crate::web::ctx::Authed;
use crate::web::state::State;

#[derive(Deserialize)]
pub struct LookupQuery {
    pub q: Option<String>,
}

pub async fn show(
    state: State,
    authed: Authed,
    q: web::Query<LookupQuery>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ListSchools, Target::County)?;
    let typed = q.into_inner().q.unwrap_or_default();
    let (townships, schools) = state
        .db(move |conn| Ok(pick::lookup(conn, &typed)?))
        .await?;
    let schools: Vec<_> = schools
        .into_iter()
        .map(|s| json!({ "code": s.code, "name": s.name, "township": s.township }))
        .collect();
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "private, max-age=60"))
        .json(json!({ "townships": townships, "schools": schools })))
}
