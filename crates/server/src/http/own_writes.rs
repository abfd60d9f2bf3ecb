//! R38: every request sees the caller's own earlier writes. The read models apply the log a
//! moment after an append is acknowledged, so a client that creates a tag and puts it on a
//! customer at once could otherwise be told the tag does not exist. Each write's answer
//! (`support::written`) marks its position on the response; this layer remembers the highest
//! one per credential (bearer, transport or bot token) and, before the caller's next request of
//! any kind, waits (bounded, 5 s, then 503 `projection_lagging`) until the read models have
//! applied it, and also until the `min_position` the client sent, on writes as on reads.
//!
//! Memory is bounded: at most [`CAPACITY`] credentials are remembered; past that the map starts
//! afresh (callers then rely on the `min_position` they send, as the TypeScript client does).

use super::support::parse_position;
use super::Problem;
use crate::app::App;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, ResponseError};
use chatd_store::Position;
use std::collections::hash_map::RandomState;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Mutex;

/// Credentials remembered at once.
pub const CAPACITY: usize = 100_000;

/// The position of the write a response answers (set by `support::written`).
#[derive(Debug, Clone, Copy)]
pub struct WrittenAt(pub Position);

/// The highest position each credential has written, keyed by a keyed hash of the credential.
pub struct OwnWrites {
    /// Whether credentials' writes are remembered (the client's `min_position` is always
    /// honoured); off only to measure what remembering costs.
    remember: bool,
    hasher: RandomState,
    last: Mutex<HashMap<u64, Position>>,
}

impl OwnWrites {
    pub fn new(remember: bool) -> OwnWrites {
        OwnWrites {
            remember,
            hasher: RandomState::new(),
            last: Mutex::new(HashMap::new()),
        }
    }

    fn key(&self, req: &ServiceRequest) -> Option<u64> {
        if !self.remember {
            return None;
        }
        let h = req.headers();
        ["authorization", "x-transport-token", "x-bot-token"]
            .iter()
            .find_map(|name| h.get(*name))
            .map(|v| self.hasher.hash_one(v.as_bytes()))
    }

    fn get(&self, key: u64) -> Option<Position> {
        self.last.lock().expect("own writes").get(&key).copied()
    }

    fn record(&self, key: u64, at: Position) {
        let mut last = self.last.lock().expect("own writes");
        if last.len() >= CAPACITY && !last.contains_key(&key) {
            last.clear();
        }
        let e = last.entry(key).or_insert(at);
        *e = (*e).max(at);
    }
}

/// The `min_position` of the query string, if any.
fn min_position(req: &ServiceRequest) -> Result<Option<Position>, Problem> {
    let value = req
        .query_string()
        .split('&')
        .find_map(|kv| kv.strip_prefix("min_position="));
    parse_position(value)
}

pub async fn wait(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let (Some(own), Some(app)) = (
        req.app_data::<web::Data<OwnWrites>>().cloned(),
        req.app_data::<web::Data<App>>().cloned(),
    ) else {
        return next.call(req).await.map(|r| r.map_into_left_body());
    };
    let key = own.key(&req);
    let waited = match min_position(&req) {
        Ok(client) => {
            let min = key.and_then(|k| own.get(k)).max(client);
            app.wait_for(min, crate::app::MIN_POSITION_WAIT)
                .await
                .map_err(Problem::from)
        }
        Err(p) => Err(p),
    };
    if let Err(problem) = waited {
        let res = problem.error_response();
        return Ok(req.into_response(res).map_into_right_body());
    }
    let res = next.call(req).await?;
    if let (Some(key), Some(at)) = (key, res.response().extensions().get::<WrittenAt>()) {
        own.record(key, at.0);
    }
    Ok(res.map_into_left_body())
}
