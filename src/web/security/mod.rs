//! Security staffing's pages: the county's "4 × 100%" table (and its exports), one school's
//! page with its four items, guards, alarm tests and forms, and the forms' handlers.

pub mod export;
pub mod school;
pub mod table;
pub mod tiles;
pub mod write;

use serde::Deserialize;

use crate::domain::access::{Actor, Target};
use crate::domain::security::{Item, rules};
use crate::error::AppError;
use crate::store::schools::{self, SchoolRow};
use crate::web::ctx::Authed;
use crate::web::nav::Entry;
use crate::web::routes::Routes;
use crate::web::state::State;

pub fn routes(r: &mut Routes) {
    r.get("/security", table::show)
        .get("/security.csv", export::csv)
        .get("/security.xlsx", export::xlsx)
        .get("/security/schools/{code}", school::show)
        .post("/security/schools/{code}/profile", write::profile)
        .post("/security/schools/{code}/guards", write::guard)
        .post("/security/schools/{code}/alarm-tests", write::alarm_test)
        .post("/security/schools/{code}/gaps", write::gap)
        .post("/security/guards/{id}/leave", write::leave);
}

/// The county table for county roles, a school's own page for school users.
pub fn nav(a: &Actor) -> Vec<Entry> {
    if rules::may_view(a, a.home()).is_ok() {
        vec![("/security".into(), "nav.security")]
    } else {
        Vec::new()
    }
}

/// The school a `{code}` names, if the user may see its security record (404 for another
/// school or none, 403 for the admin).
pub async fn load_school(state: &State, a: &Authed, code: &str) -> Result<SchoolRow, AppError> {
    let who = a.actor();
    rules::may_view(&who, who.home())?;
    let code = code.to_string();
    let found = state
        .db(move |conn| Ok(schools::find_by_code(conn, &code)?))
        .await?
        .ok_or(AppError::NotFound)?;
    rules::may_view(&who, Target::School(found.id))?;
    let id = found.id;
    state.db(move |conn| Ok(schools::get(conn, id)?)).await
}

/// The table's query (CONTRACT: `township`, `gap`).
#[derive(Deserialize, Default, Clone)]
pub struct TableQuery {
    pub township: Option<String>,
    pub gap: Option<String>,
}

/// Which schools the table shows: all, those missing one item, or those missing any.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GapFilter {
    Item(Item),
    Any,
}

/// Every catalog key the module's pages name outside their templates (for the i18n test).
pub fn labels() -> Vec<&'static str> {
    let mut out = vec![
        "security.flash.profile",
        "security.flash.guard",
        "security.flash.alarm_test",
        "security.flash.leave",
        "security.flash.gap",
        "security.sheet_name",
    ];
    out.extend(export::COLUMNS.iter().map(|(k, _)| *k));
    out
}
