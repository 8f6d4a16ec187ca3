//! Request bodies: refused at once when they declare more than any route takes, and given a
//! deadline, so a client that stalls (or trickles a byte at a time) cannot hold a worker, a
//! connection or a shutdown.

use std::time::Duration;

use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::{HttpMessage, web};
use futures_util::StreamExt;
use tokio::time::Instant;

use crate::config::Config;
use crate::error::AppError;

/// Uploads are at most 10 MiB of photo plus a few fields; nothing else is as large.
pub const MULTIPART_LIMIT: usize = 12 * 1024 * 1024;
/// A url-encoded form's most bytes: a form larger than this is not a form of ours.
pub const FORM_LIMIT: usize = 256 * 1024;

/// A body already read, handed on so the next reader (the handler) finds it whole.
pub fn replay(body: web::Bytes) -> Payload {
    let (_, mut payload) = actix_http::h1::Payload::create(true);
    payload.unread_data(body);
    Payload::from(payload)
}

/// Refuses a body that declares more than `MULTIPART_LIMIT` (413, before a byte is read) and
/// puts the deadline on the rest.
pub fn limit(req: &mut ServiceRequest, config: &Config) -> Result<(), AppError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MULTIPART_LIMIT as u64) {
        return Err(AppError::TooLarge);
    }
    let payload = req.take_payload();
    req.set_payload(with_deadline(
        payload,
        config.body_idle,
        config.body_min_rate,
    ));
    Ok(())
}

/// The body must start within `grace`, never pause longer than `grace`, and after `grace`
/// keep an average of `min_rate` bytes a second: a phone's slow upload passes, a slowloris
/// does not. The stream then ends with a timed-out error.
pub fn with_deadline(payload: Payload, grace: Duration, min_rate: u64) -> Payload {
    let start = Instant::now();
    let min_rate = min_rate.max(1);
    let stream = futures_util::stream::unfold(
        (payload, 0u64, false),
        move |(mut payload, received, over)| async move {
            if over {
                return None;
            }
            let behind = start + grace + Duration::from_secs_f64(received as f64 / min_rate as f64);
            let wait_until = behind.min(Instant::now() + grace);
            match tokio::time::timeout_at(wait_until, payload.next()).await {
                Ok(Some(Ok(chunk))) => {
                    let received = received + chunk.len() as u64;
                    Some((Ok(chunk), (payload, received, false)))
                }
                Ok(Some(Err(e))) => Some((Err(e), (payload, received, true))),
                Ok(None) => None,
                Err(_) => Some((Err(timed_out()), (payload, received, true))),
            }
        },
    );
    // Fused: multipart readers poll again after the end.
    Payload::Stream {
        payload: Box::pin(stream.fuse()),
    }
}

fn timed_out() -> PayloadError {
    PayloadError::Io(std::io::Error::new(
        std::io::ErrorKind::TimedOut,
        "the request body did not arrive in time",
    ))
}

/// Reads the whole body (at most `limit` bytes): 413 past the limit, 408 when it stalls.
pub async fn read(req: &mut ServiceRequest, limit: usize) -> Result<web::Bytes, AppError> {
    let mut payload = req.take_payload();
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match &e {
            PayloadError::Io(io) if io.kind() == std::io::ErrorKind::TimedOut => {
                AppError::BodyTimeout
            }
            _ => AppError::Invalid("error.invalid"),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(AppError::TooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
