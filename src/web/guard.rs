//! The one gate every request passes: language, session, CSRF and Origin checks, the
//! login and password-change redirects, and error pages drawn in the layout.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, web};
use askama::Template;

use super::body;
use super::ctx::{Authed, Flash, RequestCtx};
use super::page::{Page, render_status};
use super::state::AppState;
use crate::auth::token;
use crate::domain::time;
use crate::error::{AppError, ErrorPage, redirect};
use crate::i18n::Lang;
use crate::store::{notifications, schools, sessions};

pub const SESSION_COOKIE: &str = "xiaoan_session";
pub const ANON_CSRF_COOKIE: &str = "xiaoan_csrf";
pub const LANG_COOKIE: &str = "xiaoan_lang";
pub const FLASH_COOKIE: &str = "xiaoan_flash";

/// Paths that need no session.
fn is_public(path: &str) -> bool {
    // The anonymous bullying tip and its receipt lookup need no account, by design.
    matches!(path, "/login" | "/tip" | "/tip/status") || passes_through(path)
}

/// Paths served without looking at the session at all: health, static files, the icon.
fn passes_through(path: &str) -> bool {
    path == "/healthz"
        || path == "/readyz"
        || path == "/favicon.ico"
        || path.starts_with("/static/")
}

/// While a password must be changed, only these pages answer.
fn allowed_before_password_change(path: &str) -> bool {
    path == "/account/password" || path == "/logout"
}

pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // HEAD is GET without the body (actix-http drops it, keeping the headers): monitors and
    // link checkers see what a browser would.
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    let path = req.path().to_string();
    if passes_through(&path) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Err(AppError::internal("app state missing").into());
    };

    let query_lang = web::Query::<Vec<(String, String)>>::from_query(req.query_string())
        .ok()
        .and_then(|q| {
            q.iter()
                .find(|(k, _)| k == "lang")
                .and_then(|(_, v)| Lang::parse(v))
        });
    let lang = query_lang
        .or_else(|| req.cookie(LANG_COOKIE).and_then(|c| Lang::parse(c.value())))
        .unwrap_or_else(|| {
            let header = req
                .headers()
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok());
            Lang::from_accept_language(header.unwrap_or(""))
        });

    let authed = match req.cookie(SESSION_COOKIE) {
        Some(c) => load_session(&state, c.value().to_string()).await?,
        None => None,
    };
    let now_unix = time::now().and_utc().timestamp();
    let planted = |c: Cookie<'_>| token::verify_anon_csrf(&state.csrf_key, c.value(), now_unix);
    let (csrf, new_anon_csrf) = match (&authed, req.cookie(ANON_CSRF_COOKIE).and_then(planted)) {
        (Some(a), _) => (a.session.csrf_token.clone(), None),
        (None, Some(t)) => (t, None),
        (None, None) => {
            let (t, cookie) = token::issue_anon_csrf(&state.csrf_key, now_unix);
            (t, Some(cookie))
        }
    };
    let flash = req.cookie(FLASH_COOKIE).map(|c| parse_flash(c.value()));
    let ip = client_ip(&req, state.config.trust_proxy);
    let request_id = req
        .extensions()
        .get::<super::logging::RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let ctx = RequestCtx {
        lang,
        authed: authed.clone(),
        csrf: csrf.clone(),
        flash: flash.clone(),
        path: path.clone(),
        query: req.query_string().to_string(),
        ip,
        request_id,
    };
    req.extensions_mut().insert(ctx);

    // The session first: a private route's body is never read for a stranger.
    let early: Option<AppError> = if authed.is_none() && !is_public(&path) {
        Some(AppError::LoginRequired)
    } else if authed.as_ref().is_some_and(|a| a.user.must_change_password)
        && !allowed_before_password_change(&path)
    {
        Some(AppError::MustChangePassword)
    } else if req.method() == Method::POST {
        match body::limit(&mut req, &state.config) {
            Err(e) => Some(e),
            Ok(()) => match csrf_ok(&mut req, &csrf, state.config.public_origin.as_deref()).await {
                Ok(true) => None,
                Ok(false) => Some(AppError::Csrf),
                Err(e) => Some(e),
            },
        }
    } else {
        None
    };
    let mut res = match early {
        Some(e) => {
            if matches!(e, AppError::Csrf) {
                tracing::warn!(path = %path, "refused a POST without a valid CSRF token or origin");
            }
            let (http_req, _) = req.into_parts();
            let response = actix_web::ResponseError::error_response(&e);
            ServiceResponse::new(http_req, response)
        }
        None => next.call(req).await?.map_into_boxed_body(),
    };

    let error = res.response().extensions().get::<ErrorPage>().cloned();
    if let Some(page) = error {
        let body = error_page(res.request(), &page);
        res = res.into_response(body);
    }
    // Nothing a signed-in page shows may come back from a cache after logout (a shared
    // school PC's back button); the login page holds a token, so it is not kept either.
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    let secure = state.config.tls;
    if secure {
        // Handlers set the flash without knowing about TLS: mark it here, like every cookie.
        let flashes: Vec<Cookie<'static>> = res
            .response()
            .cookies()
            .filter(|c| c.name() == FLASH_COOKIE && c.secure() != Some(true))
            .map(|c| c.into_owned())
            .collect();
        if !flashes.is_empty() {
            res.response_mut().del_cookie(FLASH_COOKIE);
            for mut c in flashes {
                c.set_secure(true);
                let _ = res.response_mut().add_cookie(&c);
            }
        }
    }
    if let Some(l) = query_lang {
        let c = cookie(LANG_COOKIE, l.code().to_string(), secure, false)
            .max_age(CookieDuration::days(365))
            .finish();
        let _ = res.response_mut().add_cookie(&c);
    }
    if let Some(t) = new_anon_csrf {
        let c = cookie(ANON_CSRF_COOKIE, t, secure, true).finish();
        let _ = res.response_mut().add_cookie(&c);
    }
    if flash.is_some() && res.status() != StatusCode::SEE_OTHER {
        let _ = res
            .response_mut()
            .add_removal_cookie(&cookie(FLASH_COOKIE, String::new(), secure, true).finish());
    }
    Ok(res)
}

/// The client's address: the socket peer, or behind a trusted proxy the first forwarded hop.
fn client_ip(req: &ServiceRequest, trust_proxy: bool) -> String {
    let peer = || req.peer_addr().map(|a| a.ip().to_string());
    let forwarded = || {
        let info = req.connection_info();
        info.realip_remote_addr().map(|a| {
            // "host:port" or a bare address; IPv6 may come bracketed.
            a.parse::<std::net::SocketAddr>()
                .map(|s| s.ip().to_string())
                .unwrap_or_else(|_| a.to_string())
        })
    };
    let ip = if trust_proxy {
        forwarded().or_else(peer)
    } else {
        peer()
    };
    ip.unwrap_or_else(|| "unknown".into())
}

pub fn cookie(
    name: &'static str,
    value: String,
    secure: bool,
    http_only: bool,
) -> actix_web::cookie::CookieBuilder<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(http_only)
        .same_site(SameSite::Lax)
        .secure(secure)
}

async fn load_session(
    state: &web::Data<AppState>,
    token: String,
) -> Result<Option<Authed>, AppError> {
    let life = state.config.session;
    state
        .db(move |conn| {
            let Some((session, user)) = sessions::lookup(conn, &token, life, time::now())? else {
                return Ok(None);
            };
            let school_name = match user.school_id {
                Some(id) => Some(schools::get(conn, id)?.school.name),
                None => None,
            };
            // With the session's read: the header of every page shows it.
            let unread = notifications::unread_count(conn, user.id)?;
            Ok(Some(Authed {
                user,
                session,
                school_name,
                unread,
            }))
        })
        .await
}

/// The token from the form body, the `X-CSRF-Token` header, or (for multipart uploads, whose
/// body is not read here) the query string; plus an Origin/Referer check when present.
async fn csrf_ok(
    req: &mut ServiceRequest,
    expected: &str,
    public_origin: Option<&str>,
) -> Result<bool, AppError> {
    if !same_origin(req.request(), public_origin) {
        return Ok(false);
    }
    if let Some(h) = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return Ok(token::matches(h, expected));
    }
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let given = if content_type.starts_with("application/x-www-form-urlencoded") {
        let body = body::read(req, body::FORM_LIMIT).await?;
        let found = url::form_urlencoded::parse(&body)
            .find(|(k, _)| k == "csrf_token")
            .map(|(_, v)| v.into_owned());
        req.set_payload(body::replay(body));
        found
    } else if let Some(t) = url::form_urlencoded::parse(req.query_string().as_bytes())
        .find(|(k, _)| k == "csrf_token")
        .map(|(_, v)| v.into_owned())
    {
        Some(t)
    } else if content_type.starts_with("multipart/form-data") {
        // The token as a form field of an upload: read the body once (bounded as the
        // upload handlers bound it), find the field, and hand the body on untouched.
        let body = body::read(req, body::MULTIPART_LIMIT).await?;
        let found = multipart_token(req.headers(), body.clone()).await;
        req.set_payload(body::replay(body));
        found
    } else {
        None
    };
    Ok(given.is_some_and(|g| token::matches(&g, expected)))
}

async fn multipart_token(headers: &header::HeaderMap, body: web::Bytes) -> Option<String> {
    use futures_util::{StreamExt, TryStreamExt};
    let stream =
        futures_util::stream::once(async move { Ok::<_, actix_web::error::PayloadError>(body) });
    let mut form = actix_multipart::Multipart::new(headers, stream);
    while let Ok(Some(mut field)) = form.try_next().await {
        if field.name() != Some("csrf_token") {
            continue;
        }
        let mut value = Vec::new();
        while let Some(Ok(chunk)) = field.next().await {
            value.extend_from_slice(&chunk);
            if value.len() > 256 {
                return None;
            }
        }
        return String::from_utf8(value).ok();
    }
    None
}

/// A browser's POST names its origin; it must be this site: the configured public origin
/// (scheme, host and port) when set, else the request's own Host.
fn same_origin(req: &HttpRequest, public_origin: Option<&str>) -> bool {
    let public = public_origin.and_then(|o| url::Url::parse(o).ok());
    let info = req.connection_info();
    let host = info.host().to_string();
    let matches = |url: &str| {
        url::Url::parse(url).ok().is_some_and(|u| match &public {
            Some(p) => u.origin() == p.origin(),
            None => {
                let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
                u.host_str().is_some_and(|h| format!("{h}{port}") == host)
            }
        })
    };
    if let Some(origin) = req
        .headers()
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    {
        return origin != "null" && matches(origin);
    }
    if let Some(referer) = req
        .headers()
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
    {
        return matches(referer);
    }
    true
}

fn parse_flash(v: &str) -> Flash {
    let decoded: Vec<(String, String)> = url::form_urlencoded::parse(v.as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| {
        decoded
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    Flash {
        key: get("k").unwrap_or_default(),
        arg: get("a"),
    }
}

/// Sets a flash message to be shown on the next page.
pub fn with_flash(mut res: HttpResponse, key: &str, arg: Option<&str>) -> HttpResponse {
    let mut enc = url::form_urlencoded::Serializer::new(String::new());
    enc.append_pair("k", key);
    if let Some(a) = arg {
        enc.append_pair("a", a);
    }
    let c = Cookie::build(FLASH_COOKIE, enc.finish())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::minutes(5))
        .finish();
    let _ = res.add_cookie(&c);
    res
}

pub fn flash_redirect(to: &str, key: &str) -> HttpResponse {
    with_flash(redirect(to), key, None)
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorTemplate {
    page: Page,
    code: u16,
    message: String,
    /// Named on server errors, so whoever reports one can point at its log line.
    request_id: Option<String>,
}

fn error_page(req: &HttpRequest, e: &ErrorPage) -> HttpResponse {
    let ctx = req.extensions().get::<RequestCtx>().cloned();
    let Some(ctx) = ctx else {
        return HttpResponse::build(e.status)
            .content_type("text/plain; charset=utf-8")
            .body(e.status.to_string());
    };
    let title = match e.status.as_u16() {
        403 => "error.title_403",
        404 => "error.title_404",
        408 => "error.title_408",
        409 => "error.title_409",
        413 => "error.title_413",
        422 => "error.title_422",
        429 => "error.title_429",
        507 => "error.title_507",
        _ => "error.title_500",
    };
    let page = Page::new(&ctx, title);
    let message = page.t_keys(e.message, &e.args);
    let t = ErrorTemplate {
        page,
        code: e.status.as_u16(),
        message,
        request_id: e.status.is_server_error().then(|| ctx.request_id.clone()),
    };
    render_status(&t, e.status).unwrap_or_else(|err| {
        tracing::error!("error page failed to render: {err}");
        HttpResponse::build(e.status).finish()
    })
}
