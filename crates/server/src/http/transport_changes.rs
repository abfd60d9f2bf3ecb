//! The transport API's reports of what customers change (R21–R23) and of their typing (R24).
//! A message is named by our id (`message_id`, as the webhook gave it) or by the integration's
//! own (`external_id`); a customer's own message, named by the integration's id, is found
//! through its chat, so such reports name `external_chat_id` too (every platform's edit,
//! deletion and reaction notice carries the chat).

use super::extract::Transport;
use super::json::Json;
use super::support::written;
use super::transport::non_empty;
#[allow(unused_imports)]
use super::views::{Empty, Items, Page, Written};
use super::Problem;
use crate::app::usecases::changes::{self, Change, Named};
use crate::app::usecases::typing;
use crate::app::App;
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chatd_domain::MessageId;
use serde::{Deserialize, Serialize};
#[allow(unused_imports)]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Which message: our id, or the integration's.
#[derive(Deserialize, ToSchema)]
pub struct NamedMessage {
    external_id: Option<String>,
    message_id: Option<Uuid>,
}

#[derive(Deserialize, ToSchema)]
pub struct EditedMessage {
    external_id: Option<String>,
    message_id: Option<Uuid>,
    /// The new text.
    text: String,
}

#[derive(Deserialize, ToSchema)]
pub struct ReportedEdit {
    /// The chat the message is in: needed to find a customer's message by `external_id`.
    external_chat_id: Option<String>,
    message: EditedMessage,
}

#[derive(Deserialize, ToSchema)]
pub struct ReportedDeletion {
    /// The chat the message is in: needed to find a customer's message by `external_id`.
    external_chat_id: Option<String>,
    message: NamedMessage,
}

#[derive(Deserialize, ToSchema)]
pub struct ReportedReaction {
    /// The chat the message is in: needed to find a customer's message by `external_id`.
    external_chat_id: Option<String>,
    /// The message, or give `message_id` at the top level.
    message: Option<NamedMessage>,
    message_id: Option<Uuid>,
    /// The customer's reaction, or `null` when they removed it.
    emoji: Option<String>,
}

/// What a report did.
#[derive(Serialize, ToSchema)]
pub struct ReportedOut {
    dialog_id: Uuid,
    message_id: Uuid,
    /// `false` when the report changed nothing (a repeated one).
    changed: bool,
}

fn check_ids(chat: Option<&str>, external_id: Option<&str>) -> Result<(), Problem> {
    for (field, v) in [
        ("external_chat_id", chat),
        ("message.external_id", external_id),
    ] {
        v.map_or(Ok(()), |v| non_empty(field, v))?;
    }
    Ok(())
}

async fn report(
    app: &App,
    transport: Transport,
    chat: Option<String>,
    (message_id, external_id): (Option<Uuid>, Option<String>),
    c: Change,
) -> Result<HttpResponse, Problem> {
    check_ids(chat.as_deref(), external_id.as_deref())?;
    let named = Named {
        message_id: message_id.map(MessageId::from),
        external_id: external_id.as_deref(),
        external_chat_id: chat.as_deref(),
    };
    let (dialog, message, out) = changes::reported(app, transport.channel_id, named, c)
        .await
        .map_err(|e| match e {
            crate::app::AppError::Domain(chatd_domain::DomainError::NotAuthor) => {
                Problem::not_the_customers_message()
            }
            other => other.into(),
        })?;
    written(
        StatusCode::OK,
        ReportedOut {
            dialog_id: dialog.0,
            message_id: message.0,
            changed: !out.events.is_empty(),
        },
        out.position,
    )
}

#[utoipa::path(post, path = "/api/transport/v1/messages/edit", tag = "transport", request_body = ReportedEdit, security(("transport" = [])), responses((status = 200, description = "R21: the customer's message has the new text", body = Written<ReportedOut>), (status = 403, description = "not_author: only the customer's own messages are edited this way", body = Problem), (status = 404, description = "no such message in this channel's live dialogs", body = Problem), (status = 409, description = "message_deleted", body = Problem), (status = 422, description = "unsupported_by_channel (no `editing`), text_too_long, empty_message, validation_failed; chat_required: a message that is not one we sent, named without `external_chat_id`", body = Problem)))]
#[post("/messages/edit")]
async fn transport_edit_message(
    app: web::Data<App>,
    transport: Transport,
    body: Json<ReportedEdit>,
) -> Result<HttpResponse, Problem> {
    let b = body.into_inner();
    let named = (b.message.message_id, b.message.external_id);
    let change = Change::Edit {
        text: b.message.text,
    };
    report(&app, transport, b.external_chat_id, named, change).await
}

#[utoipa::path(post, path = "/api/transport/v1/messages/delete", tag = "transport", request_body = ReportedDeletion, security(("transport" = [])), responses((status = 200, description = "R22: the customer's message is deleted (the log keeps it for auditors)", body = Written<ReportedOut>), (status = 403, description = "not_author", body = Problem), (status = 404, description = "no such message in this channel's live dialogs", body = Problem), (status = 422, description = "unsupported_by_channel (no `deleting`), validation_failed; chat_required: a message that is not one we sent, named without `external_chat_id`", body = Problem)))]
#[post("/messages/delete")]
async fn transport_delete_message(
    app: web::Data<App>,
    transport: Transport,
    body: Json<ReportedDeletion>,
) -> Result<HttpResponse, Problem> {
    let b = body.into_inner();
    let named = (b.message.message_id, b.message.external_id);
    report(&app, transport, b.external_chat_id, named, Change::Delete).await
}

#[utoipa::path(operation_id = "transport_set_reaction", post, path = "/api/transport/v1/messages/reaction", tag = "transport", request_body = ReportedReaction, security(("transport" = [])), responses((status = 200, description = "R23: the customer's one reaction to the message, set or cleared", body = Written<ReportedOut>), (status = 404, description = "no such message in this channel's live dialogs", body = Problem), (status = 409, description = "message_deleted", body = Problem), (status = 422, description = "unsupported_by_channel: no reactions, or not this emoji; validation_failed; chat_required: a message that is not one we sent, named without `external_chat_id`", body = Problem)))]
#[post("/messages/reaction")]
async fn transport_reaction(
    app: web::Data<App>,
    transport: Transport,
    body: Json<ReportedReaction>,
) -> Result<HttpResponse, Problem> {
    let b = body.into_inner();
    let named = match b.message {
        Some(m) => (m.message_id.or(b.message_id), m.external_id),
        None => (b.message_id, None),
    };
    let change = Change::React { emoji: b.emoji };
    report(&app, transport, b.external_chat_id, named, change).await
}

#[derive(Deserialize, ToSchema)]
pub struct ReportedTyping {
    external_chat_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct TypingReported {
    dialog_id: Uuid,
    /// `false` when the customer's typing in this dialog was passed on less than 3 s ago.
    sent: bool,
}

#[utoipa::path(post, path = "/api/transport/v1/typing", tag = "transport", request_body = ReportedTyping, security(("transport" = [])), responses((status = 200, description = "R24: a `typing` frame to every user who sees the dialog, at most once per dialog every 3 s; nothing is stored", body = TypingReported), (status = 404, description = "no live dialog for this chat", body = Problem), (status = 422, description = "validation_failed", body = Problem)))]
#[post("/typing")]
async fn transport_typing(
    app: web::Data<App>,
    transport: Transport,
    body: Json<ReportedTyping>,
) -> Result<HttpResponse, Problem> {
    let chat = body.into_inner().external_chat_id;
    non_empty("external_chat_id", &chat)?;
    let (dialog, sent) = typing::customer_typing(&app, transport.channel_id, &chat).await?;
    Ok(HttpResponse::Ok().json(TypingReported {
        dialog_id: dialog.0,
        sent,
    }))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(transport_edit_message)
        .service(transport_delete_message)
        .service(transport_reaction)
        .service(transport_typing);
}
