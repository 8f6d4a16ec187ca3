//! A NUL never enters the app. No field of any form takes one (the checks refuse control
//! characters), PostgreSQL cannot hold one in text, and a lookup by a typed key (a school's
//! code, a username, a search) fails there instead of finding nothing. So a query string or a
//! url-encoded body holding one is refused (422) before any handler reads it, alike on both
//! databases; multipart fields are checked where they are read (`forms::read`).

use actix_web::ResponseError;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;

use super::body;
use crate::error::AppError;

/// A NUL as it travels in a URL or a form body: raw, or percent-encoded.
pub fn has_nul(raw: &[u8]) -> bool {
    raw.contains(&0) || raw.windows(3).any(|w| w == b"%00")
}

/// Runs inside the guard, which draws the refusal as the app's own page.
fn refused(req: ServiceRequest, key: &'static str) -> ServiceResponse<BoxBody> {
    req.into_response(AppError::Invalid(key).error_response())
}

pub async fn refuse(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if has_nul(req.query_string().as_bytes()) {
        return Ok(refused(req, "error.control_chars"));
    }
    let urlencoded = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.to_ascii_lowercase()
                .starts_with("application/x-www-form-urlencoded")
        });
    if urlencoded {
        // Bounded and timed as every form is (the guard has usually read it for its token).
        let body = match body::read(&mut req, body::FORM_LIMIT).await {
            Ok(body) => body,
            Err(e) => return Ok(req.into_response(e.error_response())),
        };
        if has_nul(&body) {
            return Ok(refused(req, "error.control_chars"));
        }
        req.set_payload(body::replay(body));
    }
    next.call(req)
        .await
        .map(ServiceResponse::map_into_boxed_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_is_found_raw_or_encoded_and_nothing_else_is() {
        assert!(has_nul(b"q=a%00b"));
        assert!(has_nul(b"q=a\0b"));
        assert!(
            !has_nul(b"q=%2500"),
            "a percent sign and two zeros are text"
        );
        assert!(!has_nul(b"q=100%25&page=10"));
        assert!(!has_nul(b""));
    }
}
