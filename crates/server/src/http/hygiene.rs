//! Headers every response carries (R32): `X-Content-Type-Options: nosniff`, so a browser never
//! reads a JSON answer or a downloaded file as something else, and `Cache-Control: no-store`
//! unless the handler said otherwise (file bytes and previews are content-addressed and say
//! `private, immutable`), so no shared cache keeps what one user was allowed to see.

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;

pub fn headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::CACHE_CONTROL, "no-store"))
}
