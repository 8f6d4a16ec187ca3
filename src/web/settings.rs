//! GET/POST /settings: the county's choices, for the admin. Each change is an audit event.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::write_tx;
use crate::domain::access::{Action, Target};
use crate::domain::county;
use crate::domain::hazard::SETTING_SCHOOLS_ACCEPT_GENERAL;
use crate::error::AppError;
use crate::store::events::{self, NewEvent};
use crate::store::{hazards, settings};
use crate::web::authz::require;
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::guard::flash_redirect;
use crate::web::page::{FormErrors, Page, render, render_status};
use crate::web::state::State;

#[derive(Template)]
#[template(path = "settings.html")]
struct SettingsPage {
    page: Page,
    county_name: String,
    schools_accept_general: bool,
    errors: FormErrors,
}

pub async fn form(state: State, ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSettings, Target::County)?;
    let (policy, county_name) = state
        .db(|conn| {
            Ok((
                hazards::policy(conn)?,
                settings::get(conn, county::SETTING_NAME)?.unwrap_or_default(),
            ))
        })
        .await?;
    render(&SettingsPage {
        page: Page::new(&ctx, "settings.title"),
        county_name,
        schools_accept_general: policy.schools_accept_general,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct SettingsForm {
    /// Absent (an older form, another client): the name is left as it is.
    #[serde(default)]
    county_name: Option<String>,
    /// A checkbox: present ("1") when ticked.
    #[serde(default)]
    schools_accept_general: Option<String>,
}

pub async fn submit(
    state: State,
    ctx: RequestCtx,
    authed: Authed,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    require(&authed, Action::ManageSettings, Target::County)?;
    let on = match form.schools_accept_general.as_deref() {
        None => false,
        Some("1") => true,
        Some(_) => return Err(AppError::Invalid("error.invalid")),
    };
    let name = match form
        .county_name
        .as_deref()
        .map(county::parse_name)
        .transpose()
    {
        Ok(name) => name,
        Err(fields) => {
            let page = SettingsPage {
                page: Page::new(&ctx, "settings.title"),
                county_name: form.county_name.clone().unwrap_or_default(),
                schools_accept_general: on,
                errors: FormErrors::from_fields(&fields),
            };
            return render_status(&page, StatusCode::UNPROCESSABLE_ENTITY);
        }
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
                let mut changes = serde_json::json!({ SETTING_SCHOOLS_ACCEPT_GENERAL: on });
                if let Some(name) = &name {
                    settings::set(conn, county::SETTING_NAME, name)?;
                    changes[county::SETTING_NAME] = serde_json::json!(name);
                }
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
