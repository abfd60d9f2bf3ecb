//! The transport's inbound door (R1, R4, R6): a customer message from a channel integration.
//! Idempotent on `(channel, external_id)`: ids are derived from the integration's own ids
//! (`chatd_domain::identity`), so a retry, however concurrent, meets the first attempt on the
//! same streams and records nothing new.

use super::attachments;
use crate::{App, AppError};
use chatd_domain::calendar::OpenState;
use chatd_domain::customer::{
    Customer, CustomerCommand, RefusedMessage, Registration, Source, Utm,
};
use chatd_domain::dialog::{Away, Dialog, DialogCommand, Inbound};
use chatd_domain::{identity, ChannelId, DialogId, DomainError, MessageId, Principal};
use chatd_store::Position;
use time::OffsetDateTime;
use uuid::Uuid;

/// Who wrote, as the integration knows them.
pub struct Contact {
    pub external_id: String,
    pub name: String,
    pub avatar_url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub utm: Utm,
}

/// A customer message as the integration reports it.
pub struct Message {
    pub external_chat_id: String,
    pub contact: Contact,
    pub external_id: String,
    pub text: String,
    pub attachment_ids: Vec<Uuid>,
    pub quote_external_id: Option<String>,
    pub created_at: Option<OffsetDateTime>,
}

/// Where the message went.
pub struct Received {
    pub message_id: MessageId,
    pub dialog_id: DialogId,
    pub position: Option<Position>,
}

/// R1, R4, R6: register the customer on first contact, refuse a blocked customer (recording
/// the refusal for the audit trail), and record the message in the chat's live dialog, opening
/// or reopening it.
pub async fn receive(app: &App, channel_id: ChannelId, msg: Message) -> Result<Received, AppError> {
    let received = receive_one(app, channel_id, msg).await;
    // R28: inbound messages by outcome.
    let outcome = match &received {
        Ok(_) => "accepted",
        Err(AppError::InboundRefused) => "refused_blocked",
        Err(_) => "refused",
    };
    metrics::counter!("chatd_inbound_messages_total", "outcome" => outcome).increment(1);
    received
}

async fn receive_one(app: &App, channel_id: ChannelId, msg: Message) -> Result<Received, AppError> {
    let by = Principal::Channel { id: channel_id };
    let message_id = identity::message_of(channel_id, &msg.external_id);
    let (profile, channel_type, attachments, away) = {
        let m = app.model();
        let attachments = attachments(&m, &by, &msg.attachment_ids)?;
        let c = m
            .catalog
            .channels
            .get(&channel_id)
            .ok_or(DomainError::NotFound)?;
        let away = away_reply(&m, c, message_id, app.now());
        (c.profile(), c.channel_type, attachments, away)
    };

    // R1: the customer of this external contact, registered on first contact. R35: after an
    // erasure the contact is a fresh customer (the next generation).
    let mut erased_customers = Vec::new();
    let (customer_id, mut customer) = loop {
        let generation = erased_customers.len() as u32;
        let id = identity::customer_generation(channel_id, &msg.contact.external_id, generation);
        // Registered already, as nearly always: one read of the customer's stream, no write.
        let customer = app.current::<Customer>(id).await?;
        if !customer.erased {
            break (id, customer);
        }
        erased_customers.push(id);
    };
    if customer.registration.is_none() {
        let c = &msg.contact;
        let register = CustomerCommand::Register(Box::new(Registration {
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
        }));
        app.execute::<Customer>(customer_id, &app.command(by, register))
            .await?;
        customer = app.current::<Customer>(customer_id).await?;
    }

    // R6: a blocked customer's message is refused and kept for the audit trail only.
    if customer.blocked {
        let refuse = CustomerCommand::RecordRefusedInbound {
            channel_id,
            external_chat_id: msg.external_chat_id.clone(),
            message: RefusedMessage {
                external_id: msg.external_id.clone(),
                text: msg.text.clone(),
                attachment_ids: attachments.iter().map(|a| a.file_id).collect(),
            },
        };
        app.execute::<Customer>(customer_id, &app.command(by, refuse))
            .await?;
        return Err(AppError::InboundRefused);
    }

    // R1: one live dialog per external chat; after a deletion the next generation opens.
    for generation in 0u32.. {
        let dialog_id = identity::dialog_of(channel_id, &msg.external_chat_id, generation);
        let cmd = app.command(
            by,
            DialogCommand::Receive(Box::new(Inbound {
                dialog_id,
                channel_id,
                external_chat_id: msg.external_chat_id.clone(),
                customer_id: Some(customer_id),
                message_id,
                external_id: msg.external_id.clone(),
                text: msg.text.clone(),
                attachments: attachments.clone(),
                quote_external_id: msg.quote_external_id.clone(),
                sent_at: msg.created_at,
                customer_blocked: false,
                channel: profile.clone(),
                erased_customers: erased_customers.clone(),
                away: away.clone(),
            })),
        );
        match app.execute::<Dialog>(dialog_id, &cmd).await {
            Ok(out) => {
                return Ok(Received {
                    message_id,
                    dialog_id,
                    position: out.position,
                })
            }
            Err(AppError::Domain(DomainError::DialogDeleted)) => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("some generation of the dialog is not deleted")
}

/// R37: the channel's away reply, if it has one and the shop is closed now: with the closed
/// period it would answer for. Whether it is sent is the dialog's decision.
fn away_reply(
    m: &chatd_projections::ReadModel,
    channel: &chatd_projections::model::catalog::ChannelView,
    message: MessageId,
    now: OffsetDateTime,
) -> Option<Away> {
    let text = channel
        .away_text
        .as_ref()
        .filter(|t| !t.trim().is_empty())?;
    let calendar = m.calendar.as_ref()?;
    match calendar.state(Some(channel.id), now) {
        OpenState::Open { .. } => None,
        OpenState::Closed { since, opens } => Some(Away {
            message_id: MessageId::from(Uuid::new_v5(&message.0, b"away-reply")),
            text: text.clone(),
            since,
            until: opens,
        }),
    }
}
