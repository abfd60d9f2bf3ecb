//! R28: every request is identified and observed.
//! - `X-Request-Id`: the client's, when it sent one, else a new UUID; on every response
//!   (`actix-request-identifier`).
//! - One `tracing` span per request carrying that id, so every log line written while serving
//!   it names it (`tracing-actix-web`, with our own root span: it records the route template,
//!   never the query string, which may hold a WebSocket `?token=`).
//! - Prometheus figures per route template and status (`metrics`).

use actix_request_identifier::{IdReuse, RequestId, RequestIdentifier};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use std::time::Instant;
use tracing::Span;
use tracing_actix_web::{RootSpanBuilder, TracingLogger};

/// The request-id middleware (`actix-request-identifier`): the outermost layer, so every
/// answer carries the id, the client's when it sent one.
pub fn request_ids() -> RequestIdentifier {
    RequestIdentifier::with_uuid().use_incoming_id(IdReuse::UseIncoming)
}

/// The per-request span.
pub fn spans() -> TracingLogger<RequestSpan> {
    TracingLogger::new()
}

/// What the span of a request says: method, route template, request id; then status.
pub struct RequestSpan;

fn request_id(req: &ServiceRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|id| id.as_str().to_owned())
        .unwrap_or_default()
}

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(req: &ServiceRequest) -> Span {
        tracing::info_span!(
            "request",
            method = %req.method(),
            route = %req.match_pattern().unwrap_or_else(|| "unmatched".into()),
            request_id = %request_id(req),
            status = tracing::field::Empty,
        )
    }

    fn on_request_end<B: MessageBody>(
        span: Span,
        outcome: &Result<ServiceResponse<B>, actix_web::Error>,
    ) {
        let status = match outcome {
            Ok(res) => res.status().as_u16(),
            Err(e) => e.as_response_error().status_code().as_u16(),
        };
        span.record("status", status);
        if status >= 500 {
            span.in_scope(|| tracing::warn!(status, "request failed"));
        } else {
            span.in_scope(|| tracing::debug!(status, "request served"));
        }
    }
}

/// A method as a metric label: the ones HTTP names, else `other` (a label per made-up method
/// would let any client grow the registry without bound).
fn method_label(m: &Method) -> &'static str {
    match *m {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

/// `chatd_http_requests_total` and `chatd_http_request_duration_seconds`, by method, route
/// template (`unmatched` for no route: never the raw path) and status.
pub async fn measure(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let route = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = method_label(req.method());
    let started = Instant::now();
    let res = next.call(req).await;
    let status = match &res {
        Ok(r) => r.status().as_u16(),
        Err(e) => e.as_response_error().status_code().as_u16(),
    };
    let labels = [
        ("method", method.to_owned()),
        ("route", route),
        ("status", status.to_string()),
    ];
    metrics::counter!("chatd_http_requests_total", &labels).increment(1);
    metrics::histogram!("chatd_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    res
}
