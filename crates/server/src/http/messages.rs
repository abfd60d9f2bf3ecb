//! Messages that change after they are sent (R21–R23) and typing (R24): the manager API's edit,
//! delete and reaction routes on one message, and a dialog's typing notice. Bots use the same
//! use cases (a bot edits what it wrote).

use super::extract::Caller;
use super::json::Json;
use super::support::written;
#[allow(unused_imports)]
use super::views::{Empty, Items, Page, Written};
use super::{views, Problem};
use crate::app::usecases::changes::{self, Change};
use crate::app::usecases::typing;
use crate::app::App;
use actix_web::http::StatusCode;
use actix_web::{delete, patch, post, put, web, HttpResponse};
use chatd_domain::{DialogId, MessageId};
use chatd_projections::timeline::Entry;
use serde::{Deserialize, Serialize};
#[allow(unused_imports)]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// The message as it is now, folded from its dialog's stream.
pub(super) async fn message_now(
    app: &App,
    dialog: DialogId,
    message: MessageId,
) -> Result<Option<views::MessageOut>, Problem> {
    let entries = super::dialogs::timeline_now(app, dialog.0).await?;
    let m = app.model();
    Ok(entries.iter().find_map(|e| match e {
        Entry::Message(msg) if msg.id == message => Some(views::message(&m, dialog.0, msg)),
        _ => None,
    }))
}

/// Run one change as the caller and answer the message as it is now.
async fn change_as(
    app: &App,
    caller: Caller,
    (dialog, message): (Uuid, Uuid),
    c: Change,
) -> Result<HttpResponse, Problem> {
    let (dialog, message) = (DialogId::from(dialog), MessageId::from(message));
    let out = changes::change(app, caller.principal, dialog, message, c).await?;
    let msg = message_now(app, dialog, message).await?;
    written(StatusCode::OK, msg, out.position)
}

#[derive(Deserialize, ToSchema)]
pub struct EditBody {
    /// The new text (R8: at most 2000 characters; empty only when the message has attachments).
    text: String,
}

#[utoipa::path(patch, path = "/api/v1/dialogs/{id}/messages/{message_id}", tag = "dialogs", params(("id" = uuid::Uuid, Path), ("message_id" = uuid::Uuid, Path)), security(("bearer" = [])), request_body = EditBody, responses((status = 200, description = "R21: the message as it is now (`edited_at` set); the same text again changes nothing", body = Written<views::MessageOut>), (status = 403, description = "not_author: only the message's author, an admin or a chat admin edits it (a customer's message is edited by the customer)", body = Problem), (status = 404, description = "not_found: no such dialog or message in it, or not visible to the caller", body = Problem), (status = 409, description = "message_deleted", body = Problem), (status = 422, description = "unsupported_by_channel (no `editing`), edit_window_passed, text_too_long, empty_message", body = Problem)))]
#[patch("/dialogs/{id}/messages/{message_id}")]
async fn edit_message(
    app: web::Data<App>,
    caller: Caller,
    ids: web::Path<(Uuid, Uuid)>,
    body: Json<EditBody>,
) -> Result<HttpResponse, Problem> {
    let text = body.into_inner().text;
    change_as(&app, caller, ids.into_inner(), Change::Edit { text }).await
}

#[utoipa::path(delete, path = "/api/v1/dialogs/{id}/messages/{message_id}", tag = "dialogs", params(("id" = uuid::Uuid, Path), ("message_id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "R22: the message as it is now (`deleted: true`, `text: null`, no attachments); deleting it again changes nothing", body = Written<views::MessageOut>), (status = 403, description = "not_author", body = Problem), (status = 404, description = "not_found: no such dialog or message in it, or not visible to the caller", body = Problem), (status = 422, description = "unsupported_by_channel (no `deleting`)", body = Problem)))]
#[delete("/dialogs/{id}/messages/{message_id}")]
async fn delete_message(
    app: web::Data<App>,
    caller: Caller,
    ids: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, Problem> {
    change_as(&app, caller, ids.into_inner(), Change::Delete).await
}

#[derive(Deserialize, ToSchema)]
pub struct ReactionBody {
    /// The emoji, or `null` to clear the caller's reaction.
    emoji: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/dialogs/{id}/messages/{message_id}/reaction", tag = "dialogs", params(("id" = uuid::Uuid, Path), ("message_id" = uuid::Uuid, Path)), security(("bearer" = [])), request_body = ReactionBody, responses((status = 200, description = "R23: the caller's one reaction set (or cleared); the message as it is now", body = Written<views::MessageOut>), (status = 403, description = "forbidden: auditors do not react", body = Problem), (status = 404, description = "not_found: no such dialog or message in it, or not visible to the caller", body = Problem), (status = 409, description = "message_deleted", body = Problem), (status = 422, description = "unsupported_by_channel: the channel carries no reactions, or not this emoji; validation_failed: not an emoji", body = Problem)))]
#[put("/dialogs/{id}/messages/{message_id}/reaction")]
async fn set_reaction(
    app: web::Data<App>,
    caller: Caller,
    ids: web::Path<(Uuid, Uuid)>,
    body: Json<ReactionBody>,
) -> Result<HttpResponse, Problem> {
    let emoji = body.into_inner().emoji;
    change_as(&app, caller, ids.into_inner(), Change::React { emoji }).await
}

/// R24's answer.
#[derive(Serialize, ToSchema)]
pub struct TypingOut {
    /// `false` when a typing notice for this dialog went out less than 3 s ago (nothing sent).
    pub sent: bool,
}

#[utoipa::path(operation_id = "send_typing", post, path = "/api/v1/dialogs/{id}/typing", tag = "dialogs", params(("id" = uuid::Uuid, Path)), security(("bearer" = [])), responses((status = 200, description = "R24: a `typing` frame to the other users who see the dialog and a `typing` body to the channel's webhook, at most once per dialog every 3 s; nothing is stored", body = TypingOut), (status = 403, description = "forbidden: auditors", body = Problem), (status = 404, description = "not_found: no such dialog, or not visible to the caller", body = Problem)))]
#[post("/dialogs/{id}/typing")]
async fn dialog_typing(
    app: web::Data<App>,
    caller: Caller,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, Problem> {
    let sent = typing::typing(&app, caller.principal, DialogId::from(*id)).await?;
    Ok(HttpResponse::Ok().json(TypingOut { sent }))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(edit_message)
        .service(delete_message)
        .service(set_reaction)
        .service(dialog_typing);
}
