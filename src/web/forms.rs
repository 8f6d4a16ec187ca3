//! Form patterns every module inherits.
//!
//! - [`read`] takes a POST as posted, url-encoded or multipart, fields and files alike, and
//!   `Posted::parse` turns the fields into the module's draft struct (no copying field by field).
//! - A refused form keeps every typed value. For a person's browser [`refuse`] keeps the values
//!   and errors for the session and redirects to the form's page with `?draft=` and an anchor,
//!   so the page opens at the form and a refresh does not post again; other programs get the
//!   form at once with 422 (CONTRACT). The page reads the draft back with [`draft`].
//! - A file chosen in a refused form is kept as a pending attachment of the session and the
//!   form (`store::attachments::keep_pending`); the form lists it as kept until it succeeds.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::{StreamExt, TryStreamExt};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::ctx::RequestCtx;
use super::page::FormErrors;
use super::state::State;
use crate::domain::validate::FieldError;
use crate::error::{AppError, redirect};
use crate::store::drafts::{self, Draft};

/// A text field longer than this is not a form of ours.
const FIELD_MAX: usize = 64 * 1024;
/// One file's bytes at most (a photo; the guard bounds the whole body).
pub const FILE_MAX: usize = 10 * 1024 * 1024;

/// What a form posted.
#[derive(Debug, Default)]
pub struct Posted {
    pub fields: Vec<(String, String)>,
    /// (field name, bytes) of each file chosen; an empty file input sends none.
    pub files: Vec<(String, Vec<u8>)>,
}

impl Posted {
    /// The first value of a field, or "".
    pub fn get(&self, name: &str) -> &str {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Every value of a field that repeats (several checkboxes of one name), trimmed.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .collect()
    }

    /// Every value of a field that repeats, such as the files a form lists as kept.
    pub fn ids(&self, name: &str) -> Vec<i64> {
        ids(&self.fields, name)
    }

    /// The bytes of each file posted under this name.
    pub fn files(&self, name: &str) -> Vec<Vec<u8>> {
        self.files
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// What the user typed, to show again: every field but the token and the kept files' ids
    /// (the page lists those itself).
    pub fn typed(&self) -> Vec<(String, String)> {
        self.fields
            .iter()
            .filter(|(k, _)| k != "csrf_token" && k != "kept")
            .cloned()
            .collect()
    }

    /// The fields as a module's draft struct (every field a string, missing ones default).
    pub fn parse<T: DeserializeOwned>(&self) -> Result<T, AppError> {
        from_pairs(&self.fields)
    }
}

/// The ids a form's repeated field lists (the files it keeps: `kept`).
pub fn ids(fields: &[(String, String)], name: &str) -> Vec<i64> {
    fields
        .iter()
        .filter(|(k, _)| k == name)
        .filter_map(|(_, v)| v.trim().parse().ok())
        .collect()
}

/// The fields as (name, value) pairs, the first value of each name.
fn from_pairs<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, AppError> {
    let mut m = serde_json::Map::new();
    for (k, v) in pairs {
        m.entry(k.clone())
            .or_insert_with(|| serde_json::Value::String(v.clone()));
    }
    serde_json::from_value(serde_json::Value::Object(m))
        .map_err(|_| AppError::Invalid("error.invalid"))
}

/// A draft struct as (name, value) pairs, to keep it.
pub fn pairs<T: Serialize>(t: &T) -> Vec<(String, String)> {
    match serde_json::to_value(t) {
        Ok(serde_json::Value::Object(m)) => m
            .into_iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
            .collect(),
        _ => Vec::new(),
    }
}

/// A refused form's values as the module's draft struct.
pub fn restore_pairs<T: DeserializeOwned + Default>(pairs: &[(String, String)]) -> T {
    from_pairs(pairs).unwrap_or_default()
}

fn is_multipart(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Reads a POST's fields and files, bounded.
pub async fn read(req: &HttpRequest, payload: web::Payload) -> Result<Posted, AppError> {
    let too_big = || AppError::Invalid("error.file_too_big");
    if !is_multipart(req) {
        let mut body = web::BytesMut::new();
        let mut payload = payload;
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| AppError::Invalid("error.invalid"))?;
            if body.len() + chunk.len() > super::body::FORM_LIMIT {
                return Err(AppError::Invalid("error.invalid"));
            }
            body.extend_from_slice(&chunk);
        }
        return Ok(Posted {
            fields: url::form_urlencoded::parse(&body).into_owned().collect(),
            files: Vec::new(),
        });
    }
    let mut form = actix_multipart::Multipart::new(req.headers(), payload);
    let mut posted = Posted::default();
    while let Some(mut field) = form
        .try_next()
        .await
        .map_err(|_| AppError::Invalid("error.invalid"))?
    {
        let name = field.name().unwrap_or("").to_string();
        let is_file = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .is_some();
        let limit = if is_file { FILE_MAX } else { FIELD_MAX };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| too_big())?;
            if bytes.len() + chunk.len() > limit {
                return Err(too_big());
            }
            bytes.extend_from_slice(&chunk);
        }
        if is_file {
            if !bytes.is_empty() {
                posted.files.push((name, bytes));
            }
        } else {
            let text = String::from_utf8(bytes).map_err(|_| AppError::Invalid("error.invalid"))?;
            // As for url-encoded bodies (`web::nul`): no field takes one, PostgreSQL holds none.
            if text.contains('\0') {
                return Err(AppError::Invalid("error.control_chars"));
            }
            posted.fields.push((name, text));
        }
    }
    Ok(posted)
}

/// Where a form lives: the name its draft is kept under, the page that shows it, and the
/// anchor of the form on that page.
pub struct Site {
    pub form: String,
    pub page: String,
    pub anchor: String,
}

/// A person's browser following a form (not a program, which wants the answer at once).
fn navigates(req: &HttpRequest) -> bool {
    req.headers()
        .get("sec-fetch-mode")
        .and_then(|v| v.to_str().ok())
        == Some("navigate")
}

/// A refused form. For a browser: keeps `values` and `errors` for the session and answers with
/// a redirect to the form's page, which shows them (422) at the form. For other clients: None,
/// and the caller draws the form at once with 422.
pub async fn refuse(
    state: &State,
    ctx: &RequestCtx,
    req: &HttpRequest,
    site: &Site,
    values: Vec<(String, String)>,
    errors: &[FieldError],
) -> Result<Option<HttpResponse>, AppError> {
    let Some(authed) = ctx.authed.as_ref().filter(|_| navigates(req)) else {
        return Ok(None);
    };
    let (session, form, errors) = (authed.session.id, site.form.clone(), errors.to_vec());
    let now = crate::domain::time::now();
    let token = state
        .db(move |conn| Ok(drafts::save(conn, session, &form, &values, &errors, now)?))
        .await?;
    let sep = if site.page.contains('?') { '&' } else { '?' };
    Ok(Some(redirect(&format!(
        "{}{sep}draft={token}#{}",
        site.page, site.anchor
    ))))
}

/// The session's kept draft named in the page's query, if any.
pub async fn draft(
    state: &State,
    ctx: &RequestCtx,
    token: Option<&str>,
) -> Result<Option<Draft>, AppError> {
    let (Some(authed), Some(token)) = (ctx.authed.as_ref(), token.filter(|t| !t.is_empty())) else {
        return Ok(None);
    };
    let (session, token) = (authed.session.id, token.to_string());
    state
        .db(move |conn| Ok(drafts::load(conn, session, &token)?))
        .await
}

/// The form succeeded: its kept draft is no longer wanted. Its write has committed, so a
/// failure here is logged, never answered with an error that would invite a second try.
pub async fn succeeded(state: &State, ctx: &RequestCtx, form: &str) {
    let Some(authed) = ctx.authed.as_ref() else {
        return;
    };
    let (session, form) = (authed.session.id, form.to_string());
    let cleared = state
        .db(move |conn| Ok(drafts::clear(conn, session, &form)?))
        .await;
    if let Err(e) = cleared {
        tracing::warn!("could not forget a form's draft: {e}");
    }
}

/// A refused form: for a browser, its values (`fields`, see `pairs` and `Posted::typed`) and
/// errors kept and a redirect to `site`; otherwise `render` draws the form again with the
/// errors, at once (422).
pub async fn refuse_or<F, Fut>(
    state: &State,
    ctx: &RequestCtx,
    req: &HttpRequest,
    site: &Site,
    fields: Vec<(String, String)>,
    errors: &[FieldError],
    render: F,
) -> Result<HttpResponse, AppError>
where
    F: FnOnce(Vec<(String, String)>, FormErrors) -> Fut,
    Fut: std::future::Future<Output = Result<HttpResponse, AppError>>,
{
    match refuse(state, ctx, req, site, fields.clone(), errors).await? {
        Some(res) => Ok(res),
        None => render(fields, FormErrors::from_fields(errors)).await,
    }
}

/// The session's kept draft of this form, named in the page's query, as the form's struct.
pub async fn kept<T: DeserializeOwned + Default>(
    state: &State,
    ctx: &RequestCtx,
    token: Option<&str>,
    form: &str,
) -> Result<Option<(T, FormErrors)>, AppError> {
    Ok(draft(state, ctx, token)
        .await?
        .filter(|d| d.form == form)
        .map(|d| (restore_pairs(&d.fields), FormErrors::from_kept(&d.errors))))
}

/// A form of a record's page that was just refused: which, what was typed, what was wrong.
pub struct Refused {
    pub form: String,
    pub fields: Vec<(String, String)>,
    pub errors: FormErrors,
}

impl Refused {
    pub fn from_draft(d: Draft) -> Refused {
        Refused {
            errors: FormErrors::from_kept(&d.errors),
            form: d.form,
            fields: d.fields,
        }
    }

    /// The kept files the refused try listed.
    pub fn kept(&self) -> Vec<i64> {
        ids(&self.fields, "kept")
    }

    /// What the refused try said in this field.
    pub fn value(&self, name: &str) -> Option<String> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }
}

/// The `?draft=` of a page that shows forms.
#[derive(serde::Deserialize, Default)]
pub struct DraftQuery {
    pub draft: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Serialize, Default, Debug, PartialEq)]
    #[serde(default)]
    struct Draft2 {
        title: String,
        note: String,
    }

    #[test]
    fn a_form_reads_into_its_draft_and_back() {
        let posted = Posted {
            fields: vec![
                ("title".into(), "灭火器".into()),
                ("extra".into(), "ignored".into()),
                ("title".into(), "second".into()),
            ],
            files: Vec::new(),
        };
        let d: Draft2 = posted.parse().unwrap_or_default();
        assert_eq!(d.title, "灭火器", "the first value of a field counts");
        assert_eq!(d.note, "", "a missing field is blank");
        let mut back = pairs(&d);
        back.sort();
        assert_eq!(
            back,
            vec![
                ("note".to_string(), String::new()),
                ("title".into(), "灭火器".into())
            ]
        );
    }
}
