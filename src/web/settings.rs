//! GET/POST /settings: the county's choices, for the admin. Each change is an audit event.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::write_tx;
use crate::domain::access::{Action, Target};
use crate::domain::hazard::SETTING_SCHOOLS_ACCEPT_GENERAL;
use crate::error::AppError;
use crate::store::events::{self, NewEvent};
use crate::store::{hazards, settings};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::guard::flash_redirect;
use crate::web::page::{Page, render};
use crate::web::state::State;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    page: Page,
    schools_accept_general: bool,
}

pub async fn form(state: State, ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSettings, Target::County)?;
    let policy = state.db(|conn| Ok(hazards::policy(conn)?)).await?;
    render(&SettingsPage {
        page: Page::new(&ctx, "settings.title"),
        schools_accept_general: policy.schools_accept_general,
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    /// A checkbox: present ("1") when ticked.
    #[serde(default)]
    schools_accept_general: Option<String>,
}

pub async fn submit(
    state: State,
    authed: Authed,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSettings, Target::County)?;
    let on = match form.schools_accept_general.as_deref() {
        None => false,
        Some("1") => true,
        Some(_) => return Err(AppError::Invalid("error.invalid")),
    };
    let actor = authed.event_actor();
    state
        .db(move |conn| {
            write_tx(conn, |conn| {
                settings::set(
                    conn,
                    SETTING_SCHOOLS_ACCEPT_GENERAL,
                    if on { "true" } else { "false" },
                )?;
                let changes = serde_json::json!({ SETTING_SCHOOLS_ACCEPT_GENERAL: on });
                events::append(
                    conn,
                    &actor,
                    NewEvent::new("setting", None, "edit").changes(changes),
                )
            })
            .map_err(AppError::from)
        })
        .await?;
    Ok(flash_redirect("/settings", "flash.settings_saved"))
}
