//! Bad input anywhere becomes a problem document with a stable code, never a 500.

use super::Problem;
use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};
use actix_web::web;

/// Largest JSON body accepted (a message is at most 2000 characters; files go elsewhere).
pub const JSON_LIMIT: usize = 256 * 1024;

pub fn json() -> web::JsonConfig {
    web::JsonConfig::default()
        .limit(JSON_LIMIT)
        .error_handler(|err, _| json_problem(&err).into())
}

fn json_problem(err: &JsonPayloadError) -> Problem {
    match err {
        JsonPayloadError::OverflowKnownLength { .. } | JsonPayloadError::Overflow { .. } => {
            Problem::body_too_large(format!("JSON bodies are limited to {JSON_LIMIT} bytes"))
        }
        JsonPayloadError::ContentType => Problem::unsupported_media_type("send application/json"),
        JsonPayloadError::Deserialize(e) if e.is_data() => Problem::invalid_body(e.to_string()),
        JsonPayloadError::Deserialize(e) => Problem::malformed_json(e.to_string()),
        other => Problem::malformed_json(other.to_string()),
    }
}

pub fn query() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err: QueryPayloadError, _| Problem::invalid_query(err.to_string()).into())
}

/// A malformed id in a path names nothing that exists.
pub fn path() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_: PathError, _| Problem::not_found().into())
}
