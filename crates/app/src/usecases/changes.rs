//! R21–R23: messages that change after they are sent. Managers and bots edit, delete and react
//! through the API; a channel's integration reports the customer's edits, deletions and
//! reactions, naming the message by our id or by its own.

use super::statuses::{find_outgoing, profile};
use crate::{App, AppError, Outcome};
use chatd_domain::channel::ChannelProfile;
use chatd_domain::dialog::{Dialog, DialogCommand, DialogEvent};
use chatd_domain::{identity, ChannelId, DialogId, DomainError, MessageId, Principal};

/// What happens to a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// R21
    Edit { text: String },
    /// R22
    Delete,
    /// R23: `None` clears the actor's reaction.
    React { emoji: Option<String> },
}

impl Change {
    fn command(self, message_id: MessageId, channel: ChannelProfile) -> DialogCommand {
        match self {
            Change::Edit { text } => DialogCommand::Edit {
                message_id,
                text,
                channel,
            },
            Change::Delete => DialogCommand::DeleteMessage {
                message_id,
                channel,
            },
            Change::React { emoji } => DialogCommand::React {
                message_id,
                emoji,
                channel,
            },
        }
    }
}

/// `by` (a user or bot) changes a message of `dialog`. Someone who cannot see the dialog, or a
/// message of another dialog, is answered `not_found`.
pub async fn change(
    app: &App,
    by: Principal,
    dialog: DialogId,
    message: MessageId,
    c: Change,
) -> Result<Outcome<DialogEvent>, AppError> {
    let channel = app
        .model()
        .dialogs
        .get(&dialog)
        .filter(|r| r.is_visible_to(&by))
        .map(|r| r.channel_id)
        .ok_or(DomainError::NotFound)?;
    let cmd = c.command(message, profile(app, channel)?);
    app.execute::<Dialog>(dialog, &app.command(by, cmd)).await
}

/// How the integration names a message.
pub struct Named<'a> {
    /// Our id (the webhook's `message_id`), or
    pub message_id: Option<MessageId>,
    /// the integration's own id of it,
    pub external_id: Option<&'a str>,
    /// in this chat (needed for a customer's message named by the integration's id).
    pub external_chat_id: Option<&'a str>,
}

/// The integration of `channel` reports the customer's change of a message.
pub async fn reported(
    app: &App,
    channel: ChannelId,
    named: Named<'_>,
    c: Change,
) -> Result<(DialogId, MessageId, Outcome<DialogEvent>), AppError> {
    let (dialog, message) = find(app, channel, &named).await?;
    let cmd = c.command(message, profile(app, channel)?);
    let out = app
        .execute::<Dialog>(
            dialog,
            &app.command(Principal::Channel { id: channel }, cmd),
        )
        .await?;
    Ok((dialog, message, out))
}

/// The dialog and our id of the message the integration names.
async fn find(
    app: &App,
    channel: ChannelId,
    named: &Named<'_>,
) -> Result<(DialogId, MessageId), AppError> {
    if named.message_id.is_none() && named.external_id.is_none() {
        return Err(DomainError::invalid(
            "message",
            "name the message by message_id or external_id",
        )
        .into());
    }
    if let Some(chat) = named.external_chat_id {
        let dialog = live_dialog(app, channel, chat).await?;
        let message = match (named.message_id, named.external_id) {
            (Some(id), _) => id,
            (None, Some(ext)) => {
                let state = app.current::<Dialog>(dialog).await?;
                *state.external_ids.get(ext).ok_or(DomainError::NotFound)?
            }
            (None, None) => unreachable!("checked above"),
        };
        return Ok((dialog, message));
    }
    // Without the chat: a message we sent, by our id or the integration's answer.
    match find_outgoing(app, channel, named.message_id, named.external_id).await {
        Err(AppError::Domain(DomainError::NotFound)) => Err(AppError::ChatRequired),
        other => other,
    }
}

/// The chat's live dialog: the first generation that is not deleted.
pub async fn live_dialog(
    app: &App,
    channel: ChannelId,
    external_chat_id: &str,
) -> Result<DialogId, AppError> {
    for generation in 0u32.. {
        let dialog_id = identity::dialog_of(channel, external_chat_id, generation);
        let state = app.current::<Dialog>(dialog_id).await?;
        if !state.exists() {
            return Err(DomainError::NotFound.into());
        }
        if !state.deleted {
            return Ok(dialog_id);
        }
    }
    unreachable!("some generation of the dialog is not deleted")
}
