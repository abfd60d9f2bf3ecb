//! Routes. Handlers parse, authorise, call one operation and map its result.

mod audit;
pub mod body;
mod bot_api;
mod bots;
mod channel_views;
mod channels;
mod config;
pub mod console;
pub mod cors;
mod customers;
mod dialog_list;
mod dialogs;
pub(crate) mod extract;
pub mod files;
pub mod health;
pub mod hygiene;
pub mod json;
mod messages;
mod methods;
mod notes;
pub mod observe;
pub mod openapi;
pub mod own_writes;
mod people;
mod privacy;
pub mod problem;
mod reports;
mod settings;
mod support;
mod support_serde;
mod timing;
mod transport;
mod transport_changes;
pub mod views;

pub use problem::Problem;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.app_data(config::query())
        .app_data(config::path())
        .service(health::healthz)
        .service(health::readyz)
        .service(health::metrics)
        .service(openapi::serve)
        .service(console::index)
        .service(crate::gateway::ws::ws)
        .service(
            web::scope("/api/v1")
                .configure(people::routes)
                .configure(bots::routes)
                .configure(channels::routes)
                // Fixed paths (`/dialogs/facets`, ...) before `/dialogs/{id}`.
                .configure(dialog_list::routes)
                .configure(dialogs::routes)
                .configure(messages::routes)
                .configure(notes::routes)
                .configure(customers::routes)
                .configure(privacy::routes)
                .configure(timing::routes)
                .configure(reports::routes)
                .configure(settings::routes)
                .configure(files::manager_routes),
        )
        .service(web::scope("/api/audit/v1").configure(audit::routes))
        .service(web::scope("/api/bot/v1").configure(bot_api::routes))
        .service(
            web::scope("/api/transport/v1")
                .configure(transport::routes)
                .configure(transport_changes::routes)
                .configure(files::transport_routes),
        )
        // Last of the routes: its path is matched by a regular expression, which every request
        // routed past it would run (the API's are not under `/console`).
        .service(console::file)
        .default_service(web::to(methods::unmatched));
}
