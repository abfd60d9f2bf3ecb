//! Bad input anywhere becomes a problem document with a stable code, never a 500.

use super::Problem;
use actix_web::error::{PathError, QueryPayloadError};
use actix_web::web;

/// Largest JSON body accepted (a message is at most 2000 characters; files go elsewhere); the
/// strict extractor (`http::json`) reads bodies under it.
pub const JSON_LIMIT: usize = 256 * 1024;

pub fn query() -> web::QueryConfig {
    web::QueryConfig::default()
        .error_handler(|err: QueryPayloadError, _| Problem::invalid_query(err.to_string()).into())
}

/// A malformed id in a path names nothing that exists.
pub fn path() -> web::PathConfig {
    web::PathConfig::default().error_handler(|_: PathError, _| Problem::not_found().into())
}
