//! Signing in and out, and changing one's own password.

pub mod login;
pub mod logout;
pub mod password;

use actix_web::HttpResponse;
use actix_web::cookie::time::Duration as CookieDuration;

use super::guard::{SESSION_COOKIE, cookie};
use super::nav::Entry;
use crate::domain::access::Actor;

/// Everyone changes their own password.
pub fn nav(_: &Actor) -> Vec<Entry> {
    vec![("/account/password".into(), "nav.password")]
}

/// Puts a new session token in its cookie: HttpOnly, SameSite=Lax, Secure behind TLS. The
/// cookie lives for the browser session; the server decides when the session ends.
pub fn set_session_cookie(res: &mut HttpResponse, token: String, secure: bool) {
    let _ = res.add_cookie(&cookie(SESSION_COOKIE, token, secure, true).finish());
}

pub fn clear_session_cookie(res: &mut HttpResponse, secure: bool) {
    let c = cookie(SESSION_COOKIE, String::new(), secure, true)
        .max_age(CookieDuration::ZERO)
        .finish();
    let _ = res.add_cookie(&c);
}
