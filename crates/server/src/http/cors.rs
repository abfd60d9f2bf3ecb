//! Which pages may call the API, and CORS for a UI served from another origin (the SPA at
//! `app.shop.example` calling `api.shop.example`).
//!
//! A request with an `Origin` header is served only when that origin is chatd's own or listed
//! in `cors_origins`; any other is refused with 403 `origin_not_allowed` before it reaches a
//! handler, the WebSocket upgrade (`GET /api/v1/ws`) included, so a page of another origin
//! cannot hold a user's feed (cross-site WebSocket hijacking). chatd's own origin is
//! `public_url` when it is configured. Without it, the request's `Host` counts only when it
//! names this machine by an IP address or `localhost`: a name the client's DNS resolves could
//! be an attacker's, rebound to this address (DNS rebinding), so a shop that serves the console
//! under a name sets `public_url`. Bearer tokens travel in `Authorization`, never cookies, so
//! credentials are not allowed and no wildcard is ever sent.

use super::Problem;
use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{RequestHead, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{web, ResponseError};
use std::net::IpAddr;
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

/// The origins pages may call from.
#[derive(Debug, Clone)]
pub struct Origins {
    /// chatd's own (`public_url`), exact, e.g. `https://chat.shop.example`.
    public: Option<String>,
    /// Other pages allowed to call (`cors_origins`), exact.
    listed: Arc<[String]>,
}

impl Origins {
    /// `public_url` is reduced to its origin (scheme, host, port).
    pub fn new(public_url: Option<&str>, listed: Arc<[String]>) -> Origins {
        Origins {
            public: public_url.map(origin_of),
            listed,
        }
    }

    /// Whether a page of `origin` may call; `host` is the request's `Host` header.
    pub fn allows(&self, origin: &[u8], host: Option<&[u8]>) -> bool {
        if self.listed.iter().any(|a| a.as_bytes() == origin) {
            return true;
        }
        if let Some(public) = &self.public {
            return public.as_bytes() == origin;
        }
        let Some(rest) = std::str::from_utf8(origin)
            .ok()
            .and_then(|o| o.split_once("://"))
            .map(|(_, rest)| rest)
        else {
            return false;
        };
        host.is_some_and(|h| h == rest.as_bytes()) && names_this_machine_safely(rest)
    }
}

/// `scheme://host[:port]` of a URL (a trailing path or slash dropped).
fn origin_of(url: &str) -> String {
    let url = url.trim();
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let authority = rest.split('/').next().unwrap_or(rest);
            format!("{}://{}", scheme.to_ascii_lowercase(), authority)
        }
        None => url.trim_end_matches('/').to_owned(),
    }
}

/// `host[:port]` names this machine in a way no DNS answer can change: an IP literal or
/// `localhost`.
fn names_this_machine_safely(authority: &str) -> bool {
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.rsplit_once(':').map_or(authority, |(h, port)| {
            if port.bytes().all(|b| b.is_ascii_digit()) {
                h
            } else {
                authority
            }
        })
    };
    host.eq_ignore_ascii_case("localhost") || host.parse::<IpAddr>().is_ok()
}

/// Refuse a request whose `Origin` is not allowed (403 `origin_not_allowed`).
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let refused = match (
        req.headers().get(header::ORIGIN),
        req.app_data::<web::Data<Origins>>(),
    ) {
        (Some(origin), Some(origins)) => {
            let host = req.headers().get(header::HOST).map(HeaderValue::as_bytes);
            (!origins.allows(origin.as_bytes(), host)).then(|| {
                format!(
                    "pages of {} may not call this server: set public_url to chatd's own address, \
                     or add the origin to cors_origins",
                    String::from_utf8_lossy(origin.as_bytes())
                )
            })
        }
        _ => None,
    };
    match refused {
        Some(detail) => {
            let res = Problem::origin_not_allowed(detail).error_response();
            Ok(req.into_response(res).map_into_right_body())
        }
        None => next.call(req).await.map(|r| r.map_into_left_body()),
    }
}

/// CORS headers for the allowed origins (the guard has refused the others already).
pub fn layer(origins: Origins) -> Cors {
    Cors::default()
        .allowed_origin_fn(move |origin: &HeaderValue, head: &RequestHead| {
            origins.allows(
                origin.as_bytes(),
                head.headers().get(header::HOST).map(HeaderValue::as_bytes),
            )
        })
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers(REQUEST_HEADERS.map(HeaderName::from_static))
        .expose_headers(EXPOSED.map(HeaderName::from_static))
        .max_age(600)
        .block_on_origin_mismatch(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn origins(public: Option<&str>) -> Origins {
        Origins::new(public, vec!["https://app.shop.example".to_owned()].into())
    }

    #[test]
    fn without_public_url_only_an_address_no_dns_can_change_is_same_origin() {
        let o = origins(None);
        let h = |s: &'static str| Some(s.as_bytes());
        assert!(o.allows(b"http://127.0.0.1:8080", h("127.0.0.1:8080")));
        assert!(o.allows(b"http://localhost:8080", h("localhost:8080")));
        assert!(o.allows(b"http://[::1]:8080", h("[::1]:8080")));
        assert!(o.allows(b"http://10.0.0.5", h("10.0.0.5")));
        assert!(o.allows(b"https://app.shop.example", h("127.0.0.1:8080")));
        // DNS rebinding: the attacker's name, resolved to this machine, with a matching Host.
        assert!(!o.allows(b"http://evil.example", h("evil.example")));
        assert!(!o.allows(b"http://evil.example:8080", h("evil.example:8080")));
        assert!(!o.allows(b"http://127.0.0.1:9999", h("127.0.0.1:8080")));
        assert!(!o.allows(b"null", h("127.0.0.1:8080")));
    }

    #[test]
    fn with_public_url_only_it_and_the_list_are_allowed() {
        let o = origins(Some("https://chat.shop.example/console/"));
        let h = |s: &'static str| Some(s.as_bytes());
        assert!(o.allows(b"https://chat.shop.example", h("chat.shop.example")));
        assert!(o.allows(b"https://app.shop.example", h("chat.shop.example")));
        assert!(!o.allows(b"http://127.0.0.1:8080", h("127.0.0.1:8080")));
        assert!(!o.allows(b"https://evil.example", h("evil.example")));
    }
}
