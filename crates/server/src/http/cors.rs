//! Cross-origin calls for a UI served from another origin (the SPA at `app.shop.example` calling
//! `api.shop.example`): an allow-list from configuration (`cors_origins`, default empty: same
//! origin only). Same-origin requests (the console at `/`, which sends `Origin` on writes) always
//! pass. Bearer tokens travel in `Authorization`, never cookies, so credentials are not allowed
//! and no wildcard is ever sent. A request from any other origin is refused (400) before it
//! reaches a handler; that includes the WebSocket upgrade (`GET /api/v1/ws`), so a page of
//! another origin cannot hold a user's feed (cross-site WebSocket hijacking).

use actix_cors::Cors;
use actix_web::dev::RequestHead;
use actix_web::http::header::{self, HeaderName, HeaderValue};
use std::sync::Arc;

/// Headers the API reads that a cross-origin page may send.
const REQUEST_HEADERS: [&str; 5] = [
    "authorization",
    "content-type",
    "x-request-id",
    "x-transport-token",
    "x-bot-token",
];
/// Headers of our answers a cross-origin page may read.
const EXPOSED: [&str; 5] = [
    "x-request-id",
    "retry-after",
    "allow",
    "location",
    "content-disposition",
];

/// Whether `origin` is this server's own (same host and port as the request's `Host`) or one
/// of `allowed` (exact, e.g. `https://app.shop.example`).
fn origin_allowed(origin: &[u8], host: Option<&HeaderValue>, allowed: &[String]) -> bool {
    let same = host.is_some_and(|h| {
        std::str::from_utf8(origin)
            .ok()
            .and_then(|o| o.split_once("://"))
            .is_some_and(|(_, rest)| rest.as_bytes() == h.as_bytes())
    });
    same || allowed.iter().any(|a| a.as_bytes() == origin)
}

pub fn layer(allowed: Arc<[String]>) -> Cors {
    Cors::default()
        .allowed_origin_fn(move |origin: &HeaderValue, head: &RequestHead| {
            origin_allowed(
                origin.as_bytes(),
                head.headers().get(header::HOST),
                &allowed,
            )
        })
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers(REQUEST_HEADERS.map(HeaderName::from_static))
        .expose_headers(EXPOSED.map(HeaderName::from_static))
        .max_age(600)
        .block_on_origin_mismatch(true)
}
