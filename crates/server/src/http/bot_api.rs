//! The Bot API (`X-Bot-Token`, under `/api/bot/v1`): an integrated bot lists the dialogs assigned
//! to it, writes into them, hands them to a manager or another bot, and closes them. The same
//! rules as for managers apply (R2–R4, R7–R9, R20): only the bot's own dialogs are visible and
//! writable.

use super::dialog_list::{list_as, ListParams};
use super::dialogs::{reassign_as, run, send_as, ReassignBody, SendBody};
use super::extract::BotCaller;
use super::json::Json;
use super::support::written;
#[allow(unused_imports)]
use super::views::{self, Empty, Written};
use super::Problem;
use crate::app::App;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chatd_domain::dialog::DialogCommand;
use uuid::Uuid;

#[utoipa::path(get, path = "/api/bot/v1/dialogs", tag = "bot", operation_id = "bot_list_dialogs", params(ListParams), security(("bot" = [])), responses((status = 200, description = "the dialogs assigned to the bot, with every filter of the manager list", body = views::DialogList), (status = 400, body = Problem), (status = 401, description = "unknown token, or the bot is deactivated", body = Problem)))]
#[get("/dialogs")]
async fn list(
    app: web::Data<App>,
    bot: BotCaller,
    p: web::Query<ListParams>,
) -> Result<HttpResponse, Problem> {
    list_as(&app, &bot.principal, &p).await
}

#[utoipa::path(post, path = "/api/bot/v1/dialogs/{id}/messages", operation_id = "bot_send_message", tag = "bot", params(("id" = uuid::Uuid, Path)), security(("bot" = [])), request_body = SendBody, responses((status = 201, body = Written<views::MessageOut>), (status = 403, description = "not_responsible: the dialog is not assigned to this bot", body = Problem), (status = 404, description = "not_found; template_not_found (R26)", body = Problem), (status = 409, description = "customer_blocked; reply_window_closed (R25)", body = Problem), (status = 422, body = Problem)))]
#[post("/dialogs/{id}/messages")]
async fn send(
    app: web::Data<App>,
    bot: BotCaller,
    id: web::Path<Uuid>,
    body: Json<SendBody>,
) -> Result<HttpResponse, Problem> {
    send_as(&app, bot.principal, *id, body.into_inner()).await
}

#[utoipa::path(post, path = "/api/bot/v1/dialogs/{id}/reassign", operation_id = "bot_reassign_dialog", tag = "bot", params(("id" = uuid::Uuid, Path)), security(("bot" = [])), request_body = ReassignBody, responses((status = 200, body = Written<Empty>), (status = 403, description = "not_responsible", body = Problem), (status = 422, description = "invalid_assignee", body = Problem)))]
#[post("/dialogs/{id}/reassign")]
async fn reassign(
    app: web::Data<App>,
    bot: BotCaller,
    id: web::Path<Uuid>,
    body: Json<ReassignBody>,
) -> Result<HttpResponse, Problem> {
    reassign_as(&app, bot.principal, *id, body.to).await
}

#[utoipa::path(post, path = "/api/bot/v1/dialogs/{id}/close", operation_id = "bot_close_dialog", tag = "bot", params(("id" = uuid::Uuid, Path)), security(("bot" = [])), responses((status = 200, body = Written<Empty>), (status = 403, description = "not_responsible", body = Problem), (status = 404, body = Problem)))]
#[post("/dialogs/{id}/close")]
async fn close(
    app: web::Data<App>,
    bot: BotCaller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let out = run(&app, bot.principal, *id, DialogCommand::Close).await?;
    written(StatusCode::OK, Empty {}, out.position)
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(send)
        .service(reassign)
        .service(close);
}
