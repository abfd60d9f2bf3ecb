//! The transport API's inbound door (R1, R4, R6): a customer message from a channel integration.
//! Idempotent on `(channel, external_id)`: ids are derived from the integration's own ids, so a
//! retry, however concurrent, meets the first attempt on the same streams and records nothing new.

use super::extract::Transport;
use super::json::Json;
use super::support::written;
use super::views::InboundOut;
#[allow(unused_imports)]
use super::views::{Empty, Items, Page, Written};
use super::Problem;
use crate::app::usecases::{inbound, statuses};
use crate::app::App;
use actix_web::http::StatusCode;
use actix_web::{post, put, web, HttpResponse};
use chatd_domain::customer::Utm;
use chatd_domain::setup::{Channel, ChannelCommand};
use chatd_domain::template::Template;
use chatd_domain::{MessageError, MessageId, MessageStatus};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
#[allow(unused_imports)]
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Deserialize, ToSchema)]
pub struct InboundCustomer {
    external_id: String,
    name: String,
    avatar_url: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    #[serde(default)]
    utm: Utm,
}

#[derive(Deserialize, ToSchema)]
pub struct InboundMessage {
    external_id: String,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    attachment_ids: Vec<Uuid>,
    quote_external_id: Option<String>,
    #[serde(default, with = "time::serde::rfc3339::option")]
    created_at: Option<OffsetDateTime>,
}

#[derive(Deserialize, ToSchema)]
pub struct InboundBody {
    external_chat_id: String,
    customer: InboundCustomer,
    message: InboundMessage,
}

/// An integration's id: 1 to 512 bytes, not blank.
pub(super) fn non_empty(field: &str, v: &str) -> Result<(), Problem> {
    if v.trim().is_empty() || v.len() > 512 {
        return Err(Problem::validation_failed(format!(
            "{field} must be 1 to 512 bytes"
        )));
    }
    Ok(())
}

#[utoipa::path(operation_id = "transport_receive_message", post, path = "/api/transport/v1/messages", tag = "transport", request_body = InboundBody, security(("transport" = [])), responses((status = 200, body = Written<InboundOut>), (status = 401, body = Problem), (status = 403, description = "customer_blocked", body = Problem), (status = 413, description = "attachment_too_large: bigger than the channel carries for its kind (R7)", body = Problem), (status = 422, description = "empty_message, unsupported_by_channel, too_many_attachments, unknown_file, validation_failed", body = Problem)))]
#[post("/messages")]
async fn receive(
    app: web::Data<App>,
    transport: Transport,
    body: Json<InboundBody>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    non_empty("external_chat_id", &body.external_chat_id)?;
    non_empty("customer.external_id", &body.customer.external_id)?;
    non_empty("message.external_id", &body.message.external_id)?;
    let c = body.customer;
    let message = inbound::Message {
        external_chat_id: body.external_chat_id,
        contact: inbound::Contact {
            external_id: c.external_id,
            name: c.name,
            avatar_url: c.avatar_url,
            phone: c.phone,
            email: c.email,
            utm: c.utm,
        },
        external_id: body.message.external_id,
        text: body.message.text.unwrap_or_default(),
        attachment_ids: body.message.attachment_ids,
        quote_external_id: body.message.quote_external_id,
        created_at: body.message.created_at,
    };
    let got = inbound::receive(&app, transport.channel_id, message).await?;
    written(
        StatusCode::OK,
        InboundOut {
            message_id: got.message_id.0,
            dialog_id: got.dialog_id.0,
        },
        got.position,
    )
}

#[derive(Deserialize, ToSchema)]
pub struct AckBody {
    /// Our id of the message (the webhook's `id`), or
    message_id: Option<Uuid>,
    /// the integration's id, as it answered the webhook.
    external_message_id: Option<String>,
    status: MessageStatus,
    error: Option<MessageError>,
}

/// A status report's effect.
#[derive(Serialize, ToSchema)]
pub struct AckOut {
    message_id: Uuid,
    dialog_id: Uuid,
    /// `false` when the report moved nothing (a late or repeated one, R14).
    changed: bool,
}

#[utoipa::path(operation_id = "transport_ack", post, path = "/api/transport/v1/messages/ack", tag = "transport", request_body = AckBody, security(("transport" = [])), responses((status = 200, body = Written<AckOut>), (status = 404, description = "no such outgoing message in this channel", body = Problem), (status = 422, description = "unsupported_by_channel: a status the channel does not declare; validation_failed", body = Problem)))]
#[post("/messages/ack")]
async fn ack(
    app: web::Data<App>,
    transport: Transport,
    body: Json<AckBody>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    let report = statuses::Report {
        message_id: body.message_id.map(MessageId::from),
        external_message_id: body.external_message_id,
        status: body.status,
        error: body.error,
    };
    let done = statuses::report(&app, transport.channel_id, report).await?;
    written(
        StatusCode::OK,
        AckOut {
            message_id: done.message_id.0,
            dialog_id: done.dialog_id.0,
            changed: done.changed,
        },
        done.position,
    )
}

#[derive(Deserialize, ToSchema)]
pub struct ReadUntilBody {
    external_chat_id: String,
    /// The customer read every message we sent up to this time.
    #[serde(with = "time::serde::rfc3339")]
    until: OffsetDateTime,
}

#[derive(Serialize, ToSchema)]
pub struct ReadUntilOut {
    dialog_id: Uuid,
    /// How many messages became `read`.
    read: usize,
}

#[utoipa::path(operation_id = "transport_read_until", post, path = "/api/transport/v1/messages/read-until", tag = "transport", request_body = ReadUntilBody, security(("transport" = [])), responses((status = 200, body = Written<ReadUntilOut>), (status = 404, description = "no live dialog for this chat", body = Problem), (status = 422, description = "unsupported_by_channel: the channel does not declare read statuses", body = Problem)))]
#[post("/messages/read-until")]
async fn read_until(
    app: web::Data<App>,
    transport: Transport,
    body: Json<ReadUntilBody>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    non_empty("external_chat_id", &body.external_chat_id)?;
    let (dialog_id, read, position) = statuses::read_until(
        &app,
        transport.channel_id,
        &body.external_chat_id,
        body.until,
    )
    .await?;
    written(
        StatusCode::OK,
        ReadUntilOut {
            dialog_id: dialog_id.0,
            read,
        },
        position,
    )
}

#[derive(Deserialize, ToSchema)]
pub struct TemplateSet {
    /// The channel's whole set: templates not listed are gone.
    templates: Vec<Template>,
}

/// What a publication did.
#[derive(Serialize, ToSchema)]
pub struct TemplatesOut {
    /// How many templates the channel has now.
    templates: usize,
    /// `false` when the set was the same as before.
    changed: bool,
}

#[utoipa::path(operation_id = "transport_publish_templates", put, path = "/api/transport/v1/templates", tag = "transport", request_body = TemplateSet, security(("transport" = [])), responses((status = 200, description = "R26: the channel's template set, replacing the last one (an event on the channel's stream)", body = Written<TemplatesOut>), (status = 401, body = Problem), (status = 422, description = "validation_failed: a code listed twice, a field too long, placeholders not `{{1}}…{{n}}` first used in order (the detail names the template's code)", body = Problem)))]
#[put("/templates")]
async fn publish_templates(
    app: web::Data<App>,
    transport: Transport,
    body: Json<TemplateSet>,
) -> Result<HttpResponse, Problem> {
    let templates = body.into_inner().templates;
    let count = templates.len();
    let by = chatd_domain::Principal::Channel {
        id: transport.channel_id,
    };
    let cmd = app.command(by, ChannelCommand::PublishTemplates { templates });
    let out = app.execute::<Channel>(transport.channel_id.0, &cmd).await?;
    written(
        StatusCode::OK,
        TemplatesOut {
            templates: count,
            changed: !out.events.is_empty(),
        },
        out.position,
    )
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(receive)
        .service(ack)
        .service(read_until)
        .service(publish_templates);
}
