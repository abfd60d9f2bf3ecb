//! What every response carries (R32), whichever handler or layer produced it:
//! - `X-Content-Type-Options: nosniff`, so a browser never reads a JSON answer or a downloaded
//!   file as something else;
//! - `Cache-Control: no-store` unless the handler said otherwise (file bytes and previews are
//!   content-addressed and say `private, immutable`), so no shared cache keeps what one user was
//!   allowed to see;
//! - an error as a problem document: an error answered by actix itself rather than by a
//!   handler (an extractor without a configured handler, a body the framework refused) is given
//!   the problem body its status calls for. Requests the HTTP parser cannot read at all (a
//!   malformed request line, a head over the parser's limit) are answered by actix-http's codec
//!   before any of this runs; see docs/SECURITY.md.

use super::Problem;
use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::header;
#[cfg(test)]
use actix_web::http::StatusCode;
use actix_web::middleware::{DefaultHeaders, ErrorHandlerResponse, ErrorHandlers};
use actix_web::ResponseError;

pub fn headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::CACHE_CONTROL, "no-store"))
}

pub fn problems<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(as_problem)
}

fn as_problem<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_problem = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/problem+json"));
    if is_problem {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let problem = Problem::of_status(res.status()).error_response();
    let (req, old) = res.into_parts();
    let mut new = problem;
    // Keep what the layer said beyond the body (e.g. `Allow` on a 405).
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.headers_mut().insert(name.clone(), value.clone());
        }
    }
    let res: ServiceResponse<EitherBody<B, BoxBody>> =
        ServiceResponse::new(req, new).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(res))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::{test, web, App, HttpResponse};

    fn h(v: &str) -> actix_web::http::header::HeaderValue {
        actix_web::http::header::HeaderValue::from_str(v).unwrap()
    }

    #[actix_web::test]
    async fn an_error_without_a_problem_body_gets_one_and_keeps_its_headers() {
        let app = test::init_service(
            App::new()
                .wrap(problems())
                .wrap(headers())
                .route(
                    "/bare",
                    web::get().to(|| async {
                        HttpResponse::MethodNotAllowed()
                            .insert_header((header::ALLOW, "POST"))
                            .finish()
                    }),
                )
                .route(
                    "/problem",
                    web::get().to(|| async {
                        Err::<HttpResponse, _>(Problem::new(
                            StatusCode::CONFLICT,
                            "customer_blocked",
                            "blocked",
                        ))
                    }),
                )
                .route("/ok", web::get().to(HttpResponse::Ok)),
        )
        .await;
        let res =
            test::call_service(&app, test::TestRequest::get().uri("/bare").to_request()).await;
        assert_eq!(res.status(), 405);
        assert_eq!(res.headers().get(header::ALLOW).unwrap(), h("POST"));
        assert_eq!(
            res.headers().get(header::CONTENT_TYPE).unwrap(),
            h("application/problem+json")
        );
        assert_eq!(
            res.headers().get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            h("nosniff")
        );
        let body: serde_json::Value = test::read_body_json(res).await;
        assert_eq!(body["code"], "method_not_allowed");
        assert_eq!(body["status"], 405);
        // A handler's own problem document is left as it is.
        let res =
            test::call_service(&app, test::TestRequest::get().uri("/problem").to_request()).await;
        let body: serde_json::Value = test::read_body_json(res).await;
        assert_eq!(body["code"], "customer_blocked");
        let res = test::call_service(&app, test::TestRequest::get().uri("/ok").to_request()).await;
        assert_eq!(
            res.headers().get(header::CACHE_CONTROL).unwrap(),
            h("no-store")
        );
    }
}
