//! Which report a request asks for: the month and the scope, within the user's rights (school
//! users see their own school only; a township is the county roles').

use serde::Deserialize;

use crate::domain::access::Target;
use crate::domain::month::Month;
use crate::domain::reports::rules;
use crate::error::AppError;
use crate::report::{Ask, MonthlyReport, Scope};
use crate::store::{schools, townships};
use crate::web::ctx::Authed;
use crate::web::state::State;

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    pub month: Option<String>,
    pub school: Option<String>,
    pub township: Option<String>,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The scope asked for, within the user's rights.
async fn scope(state: &State, a: &Authed, q: &ReportQuery) -> Result<Scope, AppError> {
    let who = a.actor();
    rules::may_view(&who, who.home())?;
    // The scope picker sends both fields: a school, the narrower, wins over its township.
    let (code, township) = (given(&q.school), given(&q.township));
    if let Some(t) = township.filter(|_| code.is_none()) {
        // A township's figures hold other schools'.
        rules::may_view_township(&who)?;
        let known = state.db(|conn| Ok(townships::list(conn)?)).await?;
        if !known.iter().any(|k| k.name == t) {
            return Err(AppError::NotFound);
        }
        let name = t.clone();
        let ids = state
            .db(move |conn| Ok(schools::units(conn, Some(&name))?))
            .await?
            .into_iter()
            .map(|(id, _, _)| id)
            .collect();
        return Ok(Scope::township(t, ids));
    }
    let own = match who.home() {
        Target::School(id) => Some(id),
        Target::County => None,
    };
    let school = match (code, own) {
        (Some(c), _) => Some(
            state
                .db(move |conn| Ok(schools::find_by_code(conn, &c)?))
                .await?
                .ok_or(AppError::NotFound)?,
        ),
        (None, Some(id)) => Some(
            state
                .db(move |conn| Ok(schools::get(conn, id)?))
                .await?
                .school,
        ),
        (None, None) => None,
    };
    if let Some(s) = school {
        rules::may_view(&who, Target::School(s.id))?;
        return Ok(Scope::school(s.id, s.code, s.name));
    }
    Ok(Scope::county())
}

/// What `q` asks for: a month up to this one (default the last that has ended: the one to
/// sign and send) and a scope.
pub async fn ask(state: &State, a: &Authed, q: &ReportQuery) -> Result<Ask, AppError> {
    let now = state.now();
    let this_month = Month::at(now);
    let month = match given(&q.month) {
        Some(m) => Month::parse(&m).ok_or(AppError::Invalid("error.bad_month"))?,
        None => Month::last_ended(now),
    };
    if month > this_month {
        return Err(AppError::Invalid("error.bad_month"));
    }
    Ok(Ask {
        scope: scope(state, a, q).await?,
        month,
        now,
    })
}

/// The report `q` asks for, every module's section computed.
pub async fn build(state: &State, a: &Authed, q: &ReportQuery) -> Result<MonthlyReport, AppError> {
    let ask = ask(state, a, q).await?;
    let by = a.user.display_name.clone();
    state
        .db(move |conn| Ok(crate::report::build(conn, &ask, &by)?))
        .await
}
