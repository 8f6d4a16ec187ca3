//! GET /: what waits for this user. Until the modules exist, it says who you are, your
//! school, and what each module will show you.

use actix_web::HttpResponse;
use askama::Template;

use crate::domain::role::Role;
use crate::error::AppError;
use crate::store::{schools, users};
use crate::web::ctx::{Authed, RequestCtx};
use crate::web::page::{Page, render};
use crate::web::state::State;

pub struct ModuleCard {
    pub title: &'static str,
    pub text: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    username: String,
    role_key: String,
    role_text_key: String,
    school: Option<String>,
    modules: Vec<ModuleCard>,
    schools_count: Option<i64>,
    users_count: Option<i64>,
}

const MODULES: [&str; 6] = [
    "hazards",
    "buildings",
    "security",
    "bullying",
    "education",
    "reports",
];

pub async fn show(state: State, ctx: RequestCtx, authed: Authed) -> Result<HttpResponse, AppError> {
    let role = authed.role();
    let is_admin = role == Role::Admin;
    let (schools_count, users_count) = if role.is_school_scoped() {
        (None, None)
    } else {
        state
            .db(move |conn| {
                let users = if is_admin {
                    Some(users::count(conn)?)
                } else {
                    None
                };
                Ok((Some(schools::count_active(conn)?), users))
            })
            .await?
    };
    let page = Page::new(&ctx, "home.title");
    let group = if role.is_school_scoped() {
        "school"
    } else if role == Role::Admin {
        "admin"
    } else {
        "county"
    };
    // Pupils' cases are not for staff, viewers or admins: their cards say so.
    let modules = MODULES
        .iter()
        .map(|m| ModuleCard {
            title: module_title(m),
            text: page.t(format!("home.module.{m}.{group}")),
        })
        .collect();
    let t = HomePage {
        username: authed.user.username.clone(),
        role_key: format!("role.{}", role.as_str()),
        role_text_key: format!("home.role_text.{}", role.as_str()),
        school: authed.school_name.clone(),
        modules,
        schools_count,
        users_count,
        page,
    };
    render(&t)
}

fn module_title(m: &str) -> &'static str {
    match m {
        "hazards" => "module.hazards",
        "buildings" => "module.buildings",
        "security" => "module.security",
        "bullying" => "module.bullying",
        "education" => "module.education",
        _ => "module.reports",
    }
}
