//! GET /hazards/{id}/notice: the printable rectification notice (整改通知书) of an assigned
//! hazard — its reference, what and where, the deadline, the responsible unit and person, the
//! interim controls, and the lines it is signed and received on.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::{load_visible, refused};
use crate::domain::hazards::rules;
use crate::error::AppError;
use crate::store::hazards::HazardRow;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State as AppStateData;

#[derive(Template)]
#[template(path = "hazards/notice.html")]
struct NoticePage {
    page: Page,
    row: HazardRow,
    /// Who issues the notice: the bureau's name when set, else the school.
    issuer: String,
    today: String,
}

impl NoticePage {
    fn opt<'a>(&self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }

    fn deadline(&self) -> String {
        self.row
            .hazard
            .deadline
            .map(|d| d.to_string())
            .unwrap_or_default()
    }
}

pub async fn show(
    state: AppStateData,
    ctx: RequestCtx,
    authed: Authed,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let row = load_visible(&state, &authed, id.into_inner()).await?;
    rules::notice(&authed.actor(), &row.hazard.facts()).map_err(|r| refused(r, &row.hazard))?;
    // A school's own hazard is notified by the school; a supervised one by the bureau.
    let bureau = if row.hazard.supervised {
        state
            .db(|conn| {
                Ok(crate::store::settings::get(
                    conn,
                    crate::domain::county::SETTING_BUREAU,
                )?)
            })
            .await?
            .filter(|b| !b.is_empty())
    } else {
        None
    };
    let issuer = bureau.unwrap_or_else(|| row.school_name.clone());
    render(&NoticePage {
        page: Page::new(&ctx, "hazards.rectification.title"),
        today: state.today().to_string(),
        issuer,
        row,
    })
}
