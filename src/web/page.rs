//! The layout's context and the render helper. Every template has a `page: Page` field and
//! takes every visible word from `page.t(...)`.

use std::collections::HashMap;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;

use super::assets;
use super::ctx::{Flash, RequestCtx};
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
    pub role_key: Option<&'static str>,
    pub school_name: Option<String>,
    /// The signed-in user's unread notifications (the header's count).
    pub unread: Option<i64>,
    pub flash: Option<Flash>,
    pub nav: Vec<NavItem>,
    pub path: String,
    query: String,
    pub title: &'static str,
}

impl Page {
    pub fn new(ctx: &RequestCtx, title: &'static str) -> Page {
        let catalog = ctx.lang.catalog();
        let mut nav: Vec<NavItem> = match &ctx.authed {
            Some(a) => super::nav::entries(&a.actor())
                .into_iter()
                .map(|(href, label)| NavItem {
                    href,
                    label,
                    active: false,
                })
                .collect(),
            None => Vec::new(),
        };
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
            // Masked afresh for every page: compressed pages must not reveal it (BREACH).
            csrf: crate::auth::token::mask(&ctx.csrf),
            user_name: ctx.authed.as_ref().map(|a| a.user.display_name.clone()),
            role_key: ctx.authed.as_ref().map(|a| a.role_label()),
            school_name: ctx.authed.as_ref().and_then(|a| a.school_name.clone()),
            unread: ctx.authed.as_ref().map(|a| a.unread),
            flash: ctx.flash.clone(),
            nav,
            path: ctx.path.clone(),
            query: ctx.query.clone(),
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

    /// A text with its `{}`s filled in order by the words of these keys.
    pub fn t_keys(&self, key: &str, args: &[&str]) -> String {
        args.iter()
            .fold(self.catalog.get(key).to_string(), |text, arg| {
                text.replacen("{}", self.catalog.get(arg), 1)
            })
    }

    /// A form error in words: its message, with its value (a limit) where it has one.
    pub fn error_text(&self, e: &ShownError) -> String {
        match &e.arg {
            Some(arg) => self.t1(&e.message, arg),
            None => self.t(&e.message),
        }
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

    /// This page in another language: the same query, `lang` replaced. Relative, so it stays on
    /// this page and this site whatever the path looked like.
    pub fn lang_link(&self, code: &str) -> String {
        let mut enc = url::form_urlencoded::Serializer::new(String::new());
        for (k, v) in url::form_urlencoded::parse(self.query.as_bytes()) {
            // A draft token is this session's; the link keeps it. Only `lang` is replaced.
            if k != "lang" {
                enc.append_pair(&k, &v);
            }
        }
        enc.append_pair("lang", code);
        format!("?{}", enc.finish())
    }

    pub fn css(&self) -> String {
        assets::url("css/app.css")
    }

    pub fn js(&self) -> String {
        assets::url("js/app.js")
    }

    pub fn favicon(&self) -> String {
        assets::url("img/favicon.svg")
    }

    /// The header's count of unread notifications (0 when signed out).
    pub fn unread_count(&self) -> i64 {
        self.unread.unwrap_or(0)
    }

    pub fn is_signed_in(&self) -> bool {
        self.user_name.is_some()
    }
}

/// A field's error as a page shows it.
#[derive(Clone, Debug)]
pub struct ShownError {
    pub message: String,
    pub arg: Option<String>,
}

/// Field errors of a form, by field name, in the order they were found.
#[derive(Default, Clone, Debug)]
pub struct FormErrors {
    by_field: HashMap<String, ShownError>,
    order: Vec<String>,
}

impl FormErrors {
    pub fn from_fields(fields: &[FieldError]) -> FormErrors {
        let mut e = FormErrors::default();
        for f in fields {
            e.add(f.field, f.message, f.arg.clone());
        }
        e
    }

    /// Errors read back from a kept draft: (field, message key, value).
    pub fn from_kept(errors: &[(String, String, Option<String>)]) -> FormErrors {
        let mut e = FormErrors::default();
        for (field, message, arg) in errors {
            e.add(field, message, arg.clone());
        }
        e
    }

    fn add(&mut self, field: &str, message: &str, arg: Option<String>) {
        if !self.by_field.contains_key(field) {
            self.order.push(field.to_string());
            self.by_field.insert(
                field.to_string(),
                ShownError {
                    message: message.to_string(),
                    arg,
                },
            );
        }
    }

    /// The error of this field, if it has one.
    pub fn get(&self, field: &str) -> Option<&ShownError> {
        self.by_field.get(field)
    }

    pub fn any(&self) -> bool {
        !self.order.is_empty()
    }

    /// The fields with errors, in order, each with its error: the summary at a form's top.
    pub fn all(&self) -> Vec<(&str, &ShownError)> {
        self.order
            .iter()
            .filter_map(|f| self.by_field.get(f).map(|e| (f.as_str(), e)))
            .collect()
    }

    /// The first field with an error: where the page puts the cursor.
    pub fn first(&self) -> Option<&str> {
        self.order.first().map(String::as_str)
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
