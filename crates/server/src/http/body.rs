//! Slow request bodies (R32: no caller holds the server's resources for free). actix closes a
//! connection whose request head is slow (`client_request_timeout`), but once the head is in it
//! waits for the body as long as the client likes. Here a body must have arrived within a grace
//! time plus one second per `min_rate` bytes received: a 100 MB upload over a slow line passes,
//! a body trickled one byte at a time does not. Over the deadline the request is answered 408
//! `request_timeout` and the connection is closed. WebSocket upgrades are exempt: their
//! "body" is the socket, watched by its own pings.

use super::Problem;
use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::http::ConnectionType;
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, ResponseError};
use bytes::Bytes;
use futures_util::Stream;
use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::time::{Instant, Sleep};

pub const DEFAULT_GRACE_S: u64 = 10;
pub const DEFAULT_MIN_KIB_PER_S: u64 = 16;

/// How long a body may take.
#[derive(Debug, Clone, Copy)]
pub struct BodyTiming {
    pub grace: Duration,
    /// Bytes per second a body must keep up, on average, beyond the grace time.
    pub min_rate: u64,
}

impl BodyTiming {
    pub fn new(grace_s: Option<u64>, min_kib_per_s: Option<u64>) -> BodyTiming {
        BodyTiming {
            grace: Duration::from_secs(grace_s.unwrap_or(DEFAULT_GRACE_S).max(1)),
            min_rate: min_kib_per_s.unwrap_or(DEFAULT_MIN_KIB_PER_S).max(1) * 1024,
        }
    }

    fn deadline(&self, start: Instant, received: u64) -> Instant {
        start + self.grace + Duration::from_secs(received / self.min_rate)
    }
}

impl Default for BodyTiming {
    fn default() -> Self {
        BodyTiming::new(None, None)
    }
}

/// The request's payload, failing once its deadline passes.
struct Timed {
    inner: Payload,
    timing: BodyTiming,
    start: Instant,
    received: u64,
    sleep: Pin<Box<Sleep>>,
    expired: Rc<Cell<bool>>,
}

impl Stream for Timed {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.expired.get() {
            return Poll::Ready(None);
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                let deadline = this.timing.deadline(this.start, this.received);
                this.sleep.as_mut().reset(deadline);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Pending => match this.sleep.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.expired.set(true);
                    Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the request body arrived too slowly",
                    )))))
                }
                Poll::Pending => Poll::Pending,
            },
            other => other,
        }
    }
}

/// Middleware: time every request body (not WebSocket upgrades, not bodiless requests).
pub async fn limit(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let has_body = req.headers().contains_key(header::TRANSFER_ENCODING)
        || req
            .headers()
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    let timing = req
        .app_data::<web::Data<BodyTiming>>()
        .map(|t| *t.get_ref());
    let (Some(timing), true, false) = (timing, has_body, req.head().upgrade()) else {
        return next.call(req).await.map(|r| r.map_into_left_body());
    };
    let start = Instant::now();
    let expired = Rc::new(Cell::new(false));
    let timed = Timed {
        inner: req.take_payload(),
        timing,
        start,
        received: 0,
        sleep: Box::pin(tokio::time::sleep_until(timing.deadline(start, 0))),
        expired: expired.clone(),
    };
    req.set_payload(Payload::Stream {
        payload: Box::pin(timed),
    });
    let res = next.call(req).await?;
    if !expired.get() {
        return Ok(res.map_into_left_body());
    }
    let detail = format!(
        "the request body did not arrive in time: allowed are {} s plus 1 s per {} KiB",
        timing.grace.as_secs(),
        timing.min_rate / 1024
    );
    let mut answer = Problem::request_timeout(detail).error_response();
    answer.head_mut().set_connection_type(ConnectionType::Close);
    let (req, _) = res.into_parts();
    Ok(ServiceResponse::new(req, answer).map_into_right_body())
}
