//! The layout's context and the render helper. Every template has a `page: Page` field and
//! takes every visible word from `page.t(...)`.

use std::collections::HashMap;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::assets;
use super::ctx::{Flash, RequestCtx};
use crate::domain::role::Role;
use crate::domain::validate::FieldError;
use crate::error::AppError;
use crate::i18n::{Catalog, Lang};

pub struct NavItem {
    pub href: String,
    pub label: &'static str,
    pub active: bool,
}

pub struct Page {
    pub lang: Lang,
    catalog: &'static Catalog,
    pub csrf: String,
    pub user_name: Option<String>,
    pub role_key: Option<String>,
    pub school_name: Option<String>,
    pub flash: Option<Flash>,
    pub nav: Vec<NavItem>,
    pub path: String,
    pub title: &'static str,
}

impl Page {
    pub fn new(ctx: &RequestCtx, title: &'static str) -> Page {
        let catalog = ctx.lang.catalog();
        let mut nav = Vec::new();
        if let Some(a) = &ctx.authed {
            let mut add = |href: String, label| {
                nav.push(NavItem {
                    href,
                    label,
                    active: false,
                });
            };
            add("/".into(), "nav.home");
            if a.role() != Role::Admin {
                add("/hazards".into(), "nav.hazards");
            }
            if a.role() == Role::Bureau {
                add("/hazards/review".into(), "nav.review");
            }
            if a.role() != Role::Admin {
                add("/reports/monthly".into(), "nav.reports");
            }
            if matches!(a.role(), Role::Bureau | Role::Viewer) {
                add("/reports/submissions".into(), "nav.submissions");
            }
            match a.role() {
                Role::Staff | Role::SchoolAdmin => {
                    if let Some(id) = a.user.school_id {
                        add(format!("/schools/{id}"), "nav.my_school");
                    }
                }
                Role::Bureau | Role::Viewer => add("/schools".into(), "nav.schools"),
                Role::Admin => {
                    add("/schools".into(), "nav.schools");
                    add("/users".into(), "nav.users");
                    add("/settings".into(), "nav.settings");
                }
            }
            add("/account/password".into(), "nav.password");
        }
        // The most specific item under which this page lies is the current one.
        let under = |href: &str| {
            ctx.path == href || (href != "/" && ctx.path.starts_with(&format!("{href}/")))
        };
        if let Some(best) = nav
            .iter_mut()
            .filter(|i| under(&i.href))
            .max_by_key(|i| i.href.len())
        {
            best.active = true;
        }
        Page {
            lang: ctx.lang,
            catalog,
            csrf: ctx.csrf.clone(),
            user_name: ctx.authed.as_ref().map(|a| a.user.display_name.clone()),
            role_key: ctx
                .authed
                .as_ref()
                .map(|a| format!("role.{}", a.role().as_str())),
            school_name: ctx.authed.as_ref().and_then(|a| a.school_name.clone()),
            flash: ctx.flash.clone(),
            nav,
            path: ctx.path.clone(),
            title,
        }
    }

    /// The text for a catalog key in the page's language.
    pub fn t(&self, key: impl AsRef<str>) -> String {
        self.catalog.get(key.as_ref()).to_string()
    }

    /// A text with one `{}` filled in (the argument is escaped by the template).
    pub fn t1(&self, key: &str, arg: &dyn std::fmt::Display) -> String {
        self.catalog.get(key).replacen("{}", &arg.to_string(), 1)
    }

    pub fn flash_text(&self) -> Option<String> {
        let f = self.flash.as_ref()?;
        // Only catalog messages are shown, so a forged cookie cannot put words on the page.
        if !self.catalog.has(&f.key) {
            return None;
        }
        Some(match &f.arg {
            Some(arg) => self.t1(&f.key, arg),
            None => self.t(&f.key),
        })
    }

    pub fn html_lang(&self) -> &'static str {
        self.lang.code()
    }

    pub fn is_en(&self) -> bool {
        self.lang == Lang::En
    }

    pub fn css(&self) -> String {
        assets::url("css/app.css")
    }

    pub fn js(&self) -> String {
        assets::url("js/app.js")
    }

    pub fn is_signed_in(&self) -> bool {
        self.user_name.is_some()
    }
}

/// Field errors of a form, by field name, as catalog keys.
#[derive(Default)]
pub struct FormErrors(HashMap<&'static str, &'static str>);

impl FormErrors {
    pub fn from_fields(fields: &[FieldError]) -> FormErrors {
        let mut m = HashMap::new();
        for f in fields {
            m.entry(f.field).or_insert(f.message);
        }
        FormErrors(m)
    }

    pub fn get(&self, field: &str) -> Option<&'static str> {
        self.0.get(field).copied()
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

pub fn render<T: Template>(t: &T) -> Result<HttpResponse, AppError> {
    render_status(t, StatusCode::OK)
}

pub fn render_status<T: Template>(t: &T, status: StatusCode) -> Result<HttpResponse, AppError> {
    let body = t.render()?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}
