//! One log line per request: its id, method, path (never the query, which may carry a token),
//! status and duration. The id is also sent back (`X-Request-Id`) and named on error pages.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};

/// The id of the request being served.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

pub async fn log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = crate::auth::token::random_token()[..12].to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    let (method, path) = (req.method().to_string(), req.path().to_string());
    let started = Instant::now();
    let res = next.call(req).await;
    let ms = (started.elapsed().as_secs_f64() * 1000.0 * 10.0).round() / 10.0;
    match res {
        Ok(mut res) => {
            let status = res.status().as_u16();
            tracing::info!(request = %id, %method, %path, status, ms, "served");
            if let Ok(v) = HeaderValue::from_str(&id) {
                res.headers_mut()
                    .insert(HeaderName::from_static("x-request-id"), v);
            }
            Ok(res)
        }
        Err(e) => {
            tracing::warn!(request = %id, %method, %path, ms, "failed: {e}");
            Err(e)
        }
    }
}
