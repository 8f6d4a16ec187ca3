//! A response body written by a blocking task: the task reads the database a batch at a time
//! and writes encoded bytes into a `Sink`; the sink hands them to the response in chunks over
//! a bounded channel, so a slow client makes the task wait instead of the server buffering
//! the whole file for it.

use std::io::{self, Write};

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::error::AppError;

/// Bytes gathered before a chunk goes out.
const CHUNK: usize = 64 * 1024;
/// Chunks waiting for a client at most: with `CHUNK`, about 256 KiB per download in flight.
const IN_FLIGHT: usize = 4;

type Message = Result<Bytes, AppError>;

/// Where an export writes its file. `Write` for libraries that write into one (the workbook's
/// zip); a write fails once the client has gone, which stops the task.
pub struct Sink {
    tx: mpsc::Sender<Message>,
    buf: Vec<u8>,
    gone: bool,
}

/// Tells a task whether its client is still there, between batches: a workbook's rows are all
/// written before its first byte goes out.
pub struct Watch(mpsc::Sender<Message>);

impl Watch {
    pub fn client_left(&self) -> bool {
        self.0.is_closed()
    }
}

impl Sink {
    pub fn watch(&self) -> Watch {
        Watch(self.tx.clone())
    }

    /// Sends what is gathered. Blocks while the client is `IN_FLIGHT` chunks behind.
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        if self.tx.blocking_send(Ok(chunk)).is_err() {
            self.gone = true;
            return Err(io::Error::new(io::ErrorKind::BrokenPipe, "the client left"));
        }
        Ok(())
    }
}

impl Write for Sink {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(bytes.len())
    }

    /// Chunks go out by size, and the rest when the task ends: a writer's flushes would only
    /// make them smaller.
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Runs `produce` on the blocking pool and answers once its first chunk is ready, so a
/// failure before any byte (the first batch, a workbook's rows) is the usual error page. A
/// failure later is logged and the body cut off without its end, so the browser reports a
/// failed download instead of saving a short file that looks whole.
pub async fn respond<P>(
    content_type: &str,
    file_name: &str,
    produce: P,
) -> Result<HttpResponse, AppError>
where
    P: FnOnce(&mut Sink) -> Result<(), AppError> + Send + 'static,
{
    let (tx, mut rx) = mpsc::channel::<Message>(IN_FLIGHT);
    actix_web::rt::task::spawn_blocking(move || {
        let mut sink = Sink {
            tx,
            buf: Vec::with_capacity(CHUNK),
            gone: false,
        };
        let done = produce(&mut sink).and_then(|()| sink.send().map_err(AppError::internal));
        match done {
            Ok(()) => {}
            Err(_) if sink.gone || sink.tx.is_closed() => {
                tracing::debug!("a download's client left before its end")
            }
            Err(e) => {
                // Taken by the handler (before the first chunk) or by the body (after it).
                let _ = sink.tx.blocking_send(Err(e));
            }
        }
    });
    let first = match rx.recv().await {
        Some(Ok(bytes)) => bytes,
        Some(Err(e)) => return Err(e),
        None => Bytes::new(),
    };
    let rest = futures_util::stream::unfold(rx, |mut rx| async move {
        let next = rx.recv().await?;
        Some((next, rx))
    })
    .map(|message| {
        message.map_err(|e| {
            tracing::error!(cause = %e, "a download failed midway; its body was cut off");
            io::Error::other(e.to_string())
        })
    });
    let body = futures_util::stream::once(async move { Ok::<_, io::Error>(first) }).chain(rest);
    Ok(super::attachment_headers(content_type, file_name).streaming(body))
}

/// A workbook is a zip already: compressing it again gains nothing.
pub(super) fn no_compression(res: &mut HttpResponse) {
    res.headers_mut().insert(
        header::CONTENT_ENCODING,
        header::HeaderValue::from_static("identity"),
    );
}
