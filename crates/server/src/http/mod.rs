//! Routes. Handlers parse, authorise, call one operation and map its result.

mod health;
pub mod problem;

pub use problem::Problem;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(health::healthz)
        .default_service(web::to(|| async {
            Err::<actix_web::HttpResponse, _>(Problem::not_found())
        }));
}
