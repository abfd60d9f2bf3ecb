//! The transport API's inbound door (R1, R4, R6): a customer message from a channel integration.
//! Idempotent on `(channel, external_id)`: ids are derived from the integration's own ids, so a
//! retry, however concurrent, meets the first attempt on the same streams and records nothing new.

use super::extract::Transport;
use super::support::{command, written};
use super::views::InboundOut;
#[allow(unused_imports)]
use super::views::{Empty, Items, Page, Written};
use super::Problem;
use crate::app::{App, AppError};
use actix_web::http::StatusCode;
use actix_web::{post, web, HttpResponse};
use chatd_domain::customer::{self, CustomerCommand, Registration, Source, Utm};
use chatd_domain::dialog::{self, DialogCommand, Inbound};
use chatd_domain::event::stream_name;
use chatd_domain::{ChannelId, CustomerId, DialogId, DomainError, MessageId};
use serde::Deserialize;
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

fn derived(kind: &str, channel: ChannelId, parts: &[&str]) -> Uuid {
    let mut name = format!("chatd:{kind}:{channel}");
    for p in parts {
        name.push(':');
        name.push_str(p);
    }
    Uuid::new_v5(&Uuid::NAMESPACE_OID, name.as_bytes())
}

fn non_empty(field: &str, v: &str) -> Result<(), Problem> {
    if v.trim().is_empty() || v.len() > 512 {
        return Err(Problem::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
            format!("{field} must be 1 to 512 bytes"),
        ));
    }
    Ok(())
}

#[utoipa::path(post, path = "/api/transport/v1/messages", tag = "transport", request_body = InboundBody, security(("transport" = [])), responses((status = 200, body = Written<InboundOut>), (status = 401, body = Problem), (status = 403, description = "customer_blocked", body = Problem), (status = 413, description = "attachment_too_large: bigger than the channel carries for its kind (R7)", body = Problem), (status = 422, description = "empty_message, unsupported_by_channel, too_many_attachments, unknown_file, validation_failed", body = Problem)))]
#[post("/messages")]
async fn receive(
    app: web::Data<App>,
    transport: Transport,
    body: web::Json<InboundBody>,
) -> Result<HttpResponse, Problem> {
    let body = body.into_inner();
    non_empty("external_chat_id", &body.external_chat_id)?;
    non_empty("customer.external_id", &body.customer.external_id)?;
    non_empty("message.external_id", &body.message.external_id)?;
    let channel_id = transport.channel_id;
    let (profile, channel_type, attachments) = {
        let m = app.model();
        let ids = &body.message.attachment_ids;
        let attachments = super::files::attachments(&m, &transport.principal, ids)?;
        let c = m
            .catalog
            .channels
            .get(&channel_id)
            .ok_or_else(Problem::not_found)?;
        (c.profile(), c.channel_type, attachments)
    };

    // R1: the customer of this external contact, registered on first contact.
    let customer_id = CustomerId::from(derived(
        "customer",
        channel_id,
        &[&body.customer.external_id],
    ));
    let customer_stream = stream_name("customer", &customer_id.0);
    let c = &body.customer;
    let register = command(
        transport.principal,
        CustomerCommand::Register(Box::new(Registration {
            customer_id,
            external_id: c.external_id.clone(),
            name: c.name.clone(),
            avatar_url: c.avatar_url.clone(),
            phone: c.phone.clone(),
            email: c.email.clone(),
            source: Source {
                channel_id,
                channel_type,
                utm: c.utm.clone(),
            },
        })),
    );
    app.execute(
        &customer_stream,
        &register,
        customer::evolve,
        customer::decide,
    )
    .await?;
    let customer = app.current(&customer_stream, customer::evolve).await?;
    let text = body.message.text.clone().unwrap_or_default();

    // R6: a blocked customer's message is refused and kept for the audit trail only.
    if customer.blocked {
        let refuse = command(
            transport.principal,
            CustomerCommand::RecordRefusedInbound {
                channel_id,
                external_chat_id: body.external_chat_id.clone(),
                external_message_id: body.message.external_id.clone(),
                text,
            },
        );
        app.execute(
            &customer_stream,
            &refuse,
            customer::evolve,
            customer::decide,
        )
        .await?;
        return Err(Problem::new(
            StatusCode::FORBIDDEN,
            "customer_blocked",
            "the customer is blocked",
        ));
    }

    let message_id = MessageId::from(derived("message", channel_id, &[&body.message.external_id]));
    // R1: one live dialog per external chat; after a deletion the next generation opens.
    for generation in 0u32.. {
        let dialog_id = DialogId::from(derived(
            "dialog",
            channel_id,
            &[&body.external_chat_id, &generation.to_string()],
        ));
        let cmd = command(
            transport.principal,
            DialogCommand::Receive(Box::new(Inbound {
                dialog_id,
                channel_id,
                external_chat_id: body.external_chat_id.clone(),
                customer_id: Some(customer_id),
                message_id,
                external_id: body.message.external_id.clone(),
                text: text.clone(),
                attachments: attachments.clone(),
                quote_external_id: body.message.quote_external_id.clone(),
                sent_at: body.message.created_at,
                customer_blocked: false,
                channel: profile,
            })),
        );
        match app
            .execute(
                &stream_name("dialog", &dialog_id.0),
                &cmd,
                dialog::evolve,
                dialog::decide,
            )
            .await
        {
            Ok(out) => {
                return written(
                    StatusCode::OK,
                    super::views::InboundOut {
                        message_id: message_id.0,
                        dialog_id: dialog_id.0,
                    },
                    out.position,
                )
            }
            Err(AppError::Domain(DomainError::DialogDeleted)) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    unreachable!("some generation of the dialog is not deleted")
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(receive);
}
