//! What a message's arrival or sending decides (R1, R3, R4, R6–R9, R11, R20, R25, R26): a
//! customer's message from the transport, a manager's or bot's message, and who may write.

use super::decide::{Inbound, Outgoing};
use super::{Dialog, DialogEvent, DialogStatus};
use crate::actor::{Actor, Assignee, Principal, Role};
use crate::error::DomainError;
use crate::ids::MessageId;
use crate::message::Quote;
use crate::template::{render, window_open, TemplateStatus, TemplateUse};
use time::OffsetDateTime;

pub(super) fn receive(
    state: &Dialog,
    by: &Principal,
    m: &Inbound,
    now: OffsetDateTime,
) -> Result<Vec<DialogEvent>, DomainError> {
    match by {
        Principal::Channel { id } if *id == m.channel_id => {}
        Principal::System => {}
        _ => return Err(DomainError::Forbidden),
    }
    // R35: a dialog of an erased customer is closed to their contact, as a deleted one is: the
    // contact's next message opens the next generation, under the fresh customer.
    if state.deleted
        || state
            .customer_id
            .is_some_and(|c| m.erased_customers.contains(&c))
    {
        return Err(DomainError::DialogDeleted);
    }
    if state.exists() && state.channel_id != Some(m.channel_id) {
        return Err(DomainError::NotFound);
    }
    // Idempotent on the integration's message id: a retry records nothing new.
    if state.external_ids.contains_key(&m.external_id) {
        return Ok(vec![]);
    }
    if m.customer_blocked {
        return Err(DomainError::CustomerBlocked);
    }
    if m.text.trim().is_empty() && m.attachments.is_empty() {
        return Err(DomainError::EmptyMessage);
    }
    m.channel.check_attachments(&m.attachments)?;
    let mut events = Vec::with_capacity(2);
    if !state.exists() {
        events.push(DialogEvent::DialogOpened {
            dialog_id: m.dialog_id,
            channel_id: m.channel_id,
            external_chat_id: m.external_chat_id.clone(),
            customer_id: m.customer_id,
        });
    } else if state.status == DialogStatus::Closed {
        events.push(DialogEvent::DialogReopened {});
    }
    // A quote of a message we do not know (older than chatd, say) is dropped, not refused:
    // the customer already sent it.
    let quote = m
        .quote_external_id
        .as_ref()
        .and_then(|ext| state.external_ids.get(ext))
        .and_then(|id| quote_of(state, *id));
    let customer_id = if state.exists() {
        state.customer_id
    } else {
        m.customer_id
    };
    // R37: the customer's message brings a snoozed dialog back.
    events.extend(super::timing::woken(state, super::WakeReason::Customer));
    events.push(DialogEvent::MessageReceived {
        message_id: m.message_id,
        external_id: m.external_id.clone(),
        author: Actor::Customer { id: customer_id },
        text: m.text.clone(),
        attachments: m.attachments.clone(),
        quote,
        sent_at: m.sent_at.unwrap_or(now),
    });
    events.extend(
        super::timing::away_reply(state, m, now)
            .into_iter()
            .flatten(),
    );
    Ok(events)
}

pub(super) fn send(
    state: &Dialog,
    by: &Principal,
    m: &Outgoing,
    now: OffsetDateTime,
) -> Result<Vec<DialogEvent>, DomainError> {
    // R32: a user who cannot see the dialog is not told it exists. A bot is answered as R3 says
    // (403 `not_responsible`): it writes only where it is the responsible, and lists those.
    if matches!(by, Principal::User { .. }) && !state.is_visible_to(by) {
        return Err(DomainError::NotFound);
    }
    let take = write_access(state.responsible, by)?;
    if m.customer_blocked {
        return Err(DomainError::CustomerBlocked);
    }
    if state.messages.contains_key(&m.message_id) {
        return Ok(vec![]);
    }
    // R26: a template is what the platform approved, inside or outside the window; R25: anything
    // else only while the window is open.
    let (text, template) = match &m.template {
        Some((t, params)) => {
            if t.status != TemplateStatus::Approved {
                return Err(DomainError::TemplateNotApproved);
            }
            if !m.text.is_empty() || !m.attachments.is_empty() {
                return Err(DomainError::invalid(
                    "template",
                    "a template is sent alone, without text or attachments",
                ));
            }
            let used = TemplateUse {
                code: t.code.clone(),
                language: t.language.clone(),
                params: params.clone(),
            };
            (render(t, params)?, Some(used))
        }
        None => {
            let window = m.channel.capabilities.reply_window_s;
            if !window_open(state.last_customer_message, window, now) {
                return Err(DomainError::ReplyWindowClosed);
            }
            (m.text.clone(), None)
        }
    };
    m.channel.check_text(&text, !m.attachments.is_empty())?;
    m.channel.check_attachments(&m.attachments)?;
    let quote = match m.quote_message_id {
        None => None,
        Some(_) if !m.channel.capabilities.quoting => {
            return Err(DomainError::UnsupportedByChannel {
                what: "quoting".into(),
            })
        }
        Some(id) => Some(quote_of(state, id).ok_or(DomainError::QuoteNotFound)?),
    };
    let mut events = Vec::with_capacity(4);
    if let Some(to) = take {
        events.push(DialogEvent::Reassigned { from: None, to });
    }
    if state.status == DialogStatus::Closed {
        events.push(DialogEvent::DialogReopened {});
    }
    events.push(DialogEvent::MessageSent {
        message_id: m.message_id,
        author: by.actor(),
        text,
        attachments: m.attachments.clone(),
        quote,
        template,
    });
    if let Some(user_id) = by.user_id() {
        if state.drafts.contains_key(&user_id) {
            events.push(DialogEvent::DraftCleared { user_id });
        }
    }
    Ok(events)
}

/// R3: may `by` write to the customer of a dialog whose responsible is `responsible`?
/// `Ok(Some(assignee))` when writing makes them responsible. Sending, reacting (R23) and typing
/// (R24) all reach the customer, so all three ask this.
pub fn write_access(
    responsible: Option<Assignee>,
    by: &Principal,
) -> Result<Option<Assignee>, DomainError> {
    if by.is_chat_admin() {
        return Ok(None);
    }
    match (by, responsible) {
        (
            Principal::User {
                role: Role::Manager,
                id,
                ..
            },
            None,
        ) => Ok(Some(Assignee::User { id: *id })),
        (p, Some(r)) if p.as_assignee() == Some(r) => Ok(None),
        _ => Err(DomainError::NotResponsible),
    }
}

/// A deleted message is not quoted (R22).
fn quote_of(state: &Dialog, id: MessageId) -> Option<Quote> {
    state
        .messages
        .get(&id)
        .filter(|m| !m.deleted)
        .map(|m| Quote {
            message_id: id,
            author: m.author,
            text: m.text.clone(),
        })
}
