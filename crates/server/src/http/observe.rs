//! R28: every request is identified and observed.
//! - `X-Request-Id`: the client's, when it sent one, else a new UUID; on every response
//!   (`actix-request-identifier`).
//! - One `tracing` span per request carrying that id, so every log line written while serving
//!   it names it. It records the route template, never the query string (which may hold a
//!   WebSocket `?token=`).
//! - Prometheus figures per route template and status (`metrics`).
//!
//! The span and the figures are one middleware: `tracing-actix-web` did the span as well, at
//! the price of a second request id, a boxed future and a wrapped body per request, which cost
//! the manager API several per cent of its throughput in `make bench` P2 (docs/PERFORMANCE.md).

use actix_request_identifier::{IdReuse, RequestId, RequestIdentifier};
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::HttpMessage;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::Instant;
use tracing::Instrument;

/// The request-id middleware (`actix-request-identifier`): the outermost layer, so every
/// answer carries the id, the client's when it sent one.
pub fn request_ids() -> RequestIdentifier {
    RequestIdentifier::with_uuid().use_incoming_id(IdReuse::UseIncoming)
}

fn request_id(req: &ServiceRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|id| id.as_str().to_owned())
        .unwrap_or_default()
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

/// Route templates by path shape (the path with its UUID segments as `{}`), at most this many.
const ROUTE_CACHE: usize = 4096;

/// The route template of `req` (`unmatched` for none: never the raw path). Actix finds it by
/// walking every route, which measurably slowed the routes registered late; the answer is
/// kept per path shape, so a path with new ids costs a lookup.
fn route_of(req: &ServiceRequest) -> Arc<str> {
    static CACHE: OnceLock<RwLock<HashMap<String, Arc<str>>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    let path = req.path();
    let mut shape = String::with_capacity(path.len());
    for (i, seg) in path.split('/').enumerate() {
        if i > 0 {
            shape.push('/');
        }
        let id = seg.len() == 36 && uuid::Uuid::parse_str(seg).is_ok();
        shape.push_str(if id { "{}" } else { seg });
    }
    if let Some(route) = cache.read().expect("route cache").get(&shape) {
        return route.clone();
    }
    let route: Arc<str> = req
        .match_pattern()
        .unwrap_or_else(|| "unmatched".to_owned())
        .into();
    let mut cache = cache.write().expect("route cache");
    if cache.len() < ROUTE_CACHE {
        cache.insert(shape, route.clone());
    }
    route
}

/// The request's span (method, route template, request id; then status), and
/// `chatd_http_requests_total` and `chatd_http_request_duration_seconds` by method, route
/// template and status.
pub async fn measure(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let route = route_of(&req);
    let method = method_label(req.method());
    let span = tracing::info_span!(
        "request",
        method,
        route = %route,
        request_id = %request_id(&req),
        status = tracing::field::Empty,
    );
    let started = Instant::now();
    let res = next.call(req).instrument(span.clone()).await;
    let status = match &res {
        Ok(r) => r.status().as_u16(),
        Err(e) => e.as_response_error().status_code().as_u16(),
    };
    span.record("status", status);
    if status >= 500 {
        span.in_scope(|| tracing::warn!(status, "request failed"));
    } else {
        span.in_scope(|| tracing::debug!(status, "request served"));
    }
    let labels = [
        ("method", method.to_owned()),
        ("route", route.to_string()),
        ("status", status.to_string()),
    ];
    metrics::counter!("chatd_http_requests_total", &labels).increment(1);
    metrics::histogram!("chatd_http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    res
}
