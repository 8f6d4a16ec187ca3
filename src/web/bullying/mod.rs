//! Anti-bullying's pages: the case list, reporting (a teacher's ends on a receipt page), the
//! case page with its parties, measures, notes and steps, the access log, the three-early view
//! with its activities, and the anonymous tip form. Every case route asks
//! `domain::bullying::rules` first: the school's officer and the bureau read cases, nobody else.

pub mod activities;
pub mod export;
pub mod list;
pub mod new;
pub mod show;
pub mod tip;
pub mod write;

use crate::domain::access::Actor;
use crate::domain::bullying::rules;
use crate::error::AppError;
use crate::store::bullying::{self as store, models::Case};
use crate::web::ctx::Authed;
use crate::web::nav::Entry;
use crate::web::routes::Routes;
use crate::web::state::State;

pub fn routes(r: &mut Routes) {
    r.get("/bullying", list::show)
        .get("/bullying.csv", export::csv)
        .get("/bullying.xlsx", export::xlsx)
        .get("/bullying/new", new::form)
        .post("/bullying", new::submit)
        .get("/bullying/received", new::received)
        .get("/bullying/three-early", activities::show)
        .post("/bullying/screenings", activities::screening)
        .post("/bullying/sessions", activities::session)
        .get("/bullying/{id}", show::show)
        .get("/bullying/{id}/access", show::access)
        .post("/bullying/{id}/parties", write::party)
        .post("/bullying/{id}/measures", write::measure)
        .post("/bullying/{id}/transition", write::transition)
        .get("/tip", tip::form)
        .post("/tip", tip::submit)
        .get("/tip/status", tip::status);
}

/// The cases for those who read them; reporting for those who only report.
pub fn nav(a: &Actor) -> Vec<Entry> {
    if rules::may_list(a).is_ok() {
        vec![("/bullying".into(), "nav.bullying")]
    } else if rules::may_report_somewhere(a).is_ok() {
        vec![("/bullying/new".into(), "nav.bullying_report")]
    } else {
        Vec::new()
    }
}

/// The case an `{id}` names, if this user reads it: 403 for every role that reads no case
/// (before any id is looked up), 404 for a missing case or another school's.
pub async fn load_case(state: &State, a: &Authed, id: i64) -> Result<Case, AppError> {
    let who = a.actor();
    rules::may_list(&who)?;
    let c = state.db(move |conn| Ok(store::case(conn, id)?)).await?;
    rules::may_read(&who, c.school_id)?;
    Ok(c)
}

/// Every catalog key the module's pages name outside their templates (for the i18n test).
pub fn labels() -> Vec<&'static str> {
    vec![
        "bullying.flash.reported",
        "bullying.flash.party",
        "bullying.flash.measure",
        "bullying.flash.step",
        "bullying.flash.screening",
        "bullying.flash.session",
        "bullying.title",
        "bullying.new_title",
        "bullying.received_title",
        "bullying.access_title",
        "bullying.three_early_title",
        "bullying.tip_title",
        "bullying.tip_status_title",
        "nav.bullying",
        "nav.bullying_report",
        "bullying.col.overdue",
        "value.yes",
    ]
}
