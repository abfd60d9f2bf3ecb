//! Messages that change after they are sent (R21–R23): edits, deletions and reactions, from
//! managers and bots through the API and from customers through the channel's integration.

use super::{Dialog, DialogEvent, MessageInfo};
use crate::actor::{Actor, Principal};
use crate::channel::ChannelProfile;
use crate::error::DomainError;
use crate::ids::MessageId;
use time::OffsetDateTime;

/// Who acts on a message: a user or bot of ours, or the integration reporting the customer.
fn from_transport(by: &Principal) -> bool {
    matches!(by, Principal::Channel { .. } | Principal::System)
}

/// The message, if it exists and is not deleted.
fn live(state: &Dialog, id: MessageId) -> Result<&MessageInfo, DomainError> {
    let m = state.messages.get(&id).ok_or(DomainError::NotFound)?;
    if m.deleted {
        return Err(DomainError::MessageDeleted);
    }
    Ok(m)
}

/// R21, R22: the author (or admin, chat_admin) changes our messages; the integration reports
/// changes of the customer's.
fn may_change(m: &MessageInfo, by: &Principal) -> Result<(), DomainError> {
    let customers = matches!(m.author, Actor::Customer { .. });
    let allowed = if from_transport(by) {
        customers
    } else {
        !customers && (by.is_chat_admin() || m.author == by.actor())
    };
    if allowed {
        Ok(())
    } else {
        Err(DomainError::NotAuthor)
    }
}

/// R21
pub fn edit(
    state: &Dialog,
    by: &Principal,
    id: MessageId,
    text: &str,
    channel: &ChannelProfile,
    now: OffsetDateTime,
) -> Result<Vec<DialogEvent>, DomainError> {
    let m = live(state, id)?;
    may_change(m, by)?;
    if from_transport(by) {
        // The platform allowed the customer's edit; only that the channel carries edits counts.
        channel.check_edit(m.at, m.at)?;
    } else {
        channel.check_edit(m.at, now)?;
    }
    channel.check_text(text, m.has_attachments)?;
    if m.text == text {
        return Ok(vec![]);
    }
    Ok(vec![DialogEvent::MessageEdited {
        message_id: id,
        text: text.to_owned(),
    }])
}

/// R22: deleting a deleted message changes nothing.
pub fn delete(
    state: &Dialog,
    by: &Principal,
    id: MessageId,
    channel: &ChannelProfile,
) -> Result<Vec<DialogEvent>, DomainError> {
    let m = state.messages.get(&id).ok_or(DomainError::NotFound)?;
    may_change(m, by)?;
    channel.check_delete()?;
    if m.deleted {
        return Ok(vec![]);
    }
    Ok(vec![DialogEvent::MessageDeleted { message_id: id }])
}

/// R23: one reaction per actor per message, set or cleared. A user or bot reacts as itself; the
/// integration reports the customer's.
pub fn react(
    state: &Dialog,
    by: &Principal,
    id: MessageId,
    emoji: Option<&str>,
    channel: &ChannelProfile,
) -> Result<Vec<DialogEvent>, DomainError> {
    let m = live(state, id)?;
    if !from_transport(by) {
        // R3: a reaction reaches the customer, so only who may write to them reacts.
        super::write_access(state.responsible, by)?;
    }
    channel.check_reaction(emoji)?;
    let actor = if from_transport(by) {
        Actor::Customer {
            id: state.customer_id,
        }
    } else {
        by.actor()
    };
    let current = m
        .reactions
        .iter()
        .find(|(a, _)| *a == actor)
        .map(|(_, e)| e.as_str());
    if current == emoji {
        return Ok(vec![]);
    }
    Ok(vec![DialogEvent::ReactionSet {
        message_id: id,
        by: actor,
        emoji: emoji.map(str::to_owned),
    }])
}

/// Fold R21–R23's events into the dialog's state.
pub fn evolve(state: &mut Dialog, event: &DialogEvent) {
    match event {
        DialogEvent::MessageEdited { message_id, text } => {
            if let Some(m) = state.messages.get_mut(message_id) {
                m.text.clone_from(text);
            }
        }
        DialogEvent::MessageDeleted { message_id } => {
            if let Some(m) = state.messages.get_mut(message_id) {
                m.deleted = true;
                m.text.clear();
                m.has_attachments = false;
                m.reactions.clear();
            }
        }
        DialogEvent::ReactionSet {
            message_id,
            by,
            emoji,
        } => {
            if let Some(m) = state.messages.get_mut(message_id) {
                m.reactions.retain(|(a, _)| a != by);
                if let Some(e) = emoji {
                    m.reactions.push((*by, e.clone()));
                }
            }
        }
        _ => {}
    }
}
