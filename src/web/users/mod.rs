//! Accounts, managed by the admin: create with a temporary password, edit, disable, reset.

pub mod active;
pub mod edit;
pub mod import;
pub mod list;
pub mod new;
pub mod reset;

use actix_web::{HttpRequest, HttpResponse};

use crate::web::routes::Routes;
use askama::Template;

use crate::domain::access::{Action, Actor, Target};
use crate::domain::user::{self, UserDraft};
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::store::schools::{self, SchoolRow};
use crate::web::ctx::RequestCtx;
use crate::web::fields::{Choice, Field, Kind, choices_of};
use crate::web::forms::{self, Site};
use crate::web::nav::Entry;
use crate::web::page::{FormErrors, Page, render_status};
use crate::web::state::State;

pub fn routes(r: &mut Routes) {
    r.get("/users", list::show)
        .post("/users", new::submit)
        .get("/users/new", new::form)
        .get("/users/import", import::form)
        .post("/users/import", import::submit)
        .post("/users/{id}", edit::submit)
        .get("/users/{id}/edit", edit::form)
        .post("/users/{id}/active", active::submit)
        .post("/users/{id}/password", reset::submit);
}

#[derive(Template)]
#[template(path = "users/form.html")]
pub struct UserFormPage {
    pub page: Page,
    pub action: String,
    pub f: UserDraft,
    pub errors: FormErrors,
    pub is_new: bool,
    pub schools: Vec<SchoolRow>,
}

impl UserFormPage {
    /// The form's fields, with the limits the rules check; the username is fixed once made.
    fn fields(&self) -> Vec<Field> {
        let (f, e) = (&self.f, &self.errors);
        let field = |name, label, kind| Field::new("user", name, label, kind).errors(e);
        let schools = self
            .schools
            .iter()
            .map(|s| Choice {
                value: s.school.code.clone(),
                label: format!("{} {}", s.school.code, s.school.name),
                keyed: false,
                selected: s.school.code == f.school,
            })
            .collect();
        let username = field("username", "field.username", Kind::Text)
            .value(f.username.clone())
            .max(user::USERNAME_MAX)
            .readonly(!self.is_new)
            .required(self.is_new);
        vec![
            if self.is_new {
                username.hint("users.username_hint")
            } else {
                username
            },
            field("display_name", "field.display_name", Kind::Text)
                .value(f.display_name.clone())
                .max(user::DISPLAY_NAME_MAX),
            field("role", "field.role", Kind::Select)
                .required(true)
                .choices(choices_of(user::ROLES, &f.role)),
            field("school", "field.school", Kind::Select)
                .choices(schools)
                .blank("users.no_school")
                .hint("users.school_hint"),
        ]
    }
}

/// Accounts are the admin's.
pub fn nav(a: &Actor) -> Vec<Entry> {
    crate::domain::access::decide(a, Action::ManageUsers, Target::County)
        .map(|_| vec![("/users".into(), "nav.users")])
        .unwrap_or_default()
}

/// The user form, new or of user `id`, with a refused try's values and errors (422).
pub async fn form_page(
    state: &State,
    ctx: &RequestCtx,
    id: Option<i64>,
    f: UserDraft,
    errors: FormErrors,
) -> Result<HttpResponse, AppError> {
    let schools = state.db(|conn| Ok(schools::list(conn, false)?)).await?;
    let status = if errors.any() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    let (title, action) = match id {
        Some(id) => ("users.edit_title", format!("/users/{id}")),
        None => ("users.new_title", "/users".to_string()),
    };
    render_status(
        &UserFormPage {
            page: Page::new(ctx, title),
            action,
            f,
            errors,
            is_new: id.is_none(),
            schools,
        },
        status,
    )
}

/// A refused user form: kept and redirected to for a browser, drawn again (422) otherwise.
pub async fn refuse(
    state: &State,
    ctx: &RequestCtx,
    req: &HttpRequest,
    id: Option<i64>,
    f: UserDraft,
    errors: &[FieldError],
) -> Result<HttpResponse, AppError> {
    let (form, page) = match id {
        Some(id) => (edit::form_name(id), format!("/users/{id}/edit")),
        None => (new::FORM.to_string(), "/users/new".to_string()),
    };
    let site = Site {
        form,
        page,
        anchor: "form-user".into(),
    };
    let fields = forms::pairs(&f);
    forms::refuse_or(state, ctx, req, &site, fields, errors, |_, e| {
        form_page(state, ctx, id, f, e)
    })
    .await
}

/// Shown once after creating, resetting or importing: who got which temporary password.
#[derive(Template)]
#[template(path = "users/issued.html")]
pub struct IssuedPage {
    pub page: Page,
    pub issued: Vec<(String, String)>,
}

pub fn issued(
    ctx: &RequestCtx,
    title: &'static str,
    issued: Vec<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let mut res = render_status(
        &IssuedPage {
            page: Page::new(ctx, title),
            issued,
        },
        actix_web::http::StatusCode::OK,
    )?;
    // A page holding passwords must not be kept by any cache.
    res.headers_mut().insert(
        actix_web::http::header::CACHE_CONTROL,
        actix_web::http::header::HeaderValue::from_static("no-store"),
    );
    Ok(res)
}
