//! R14: delivery reports from a channel's integration: a status for one outgoing message (named
//! by our id or by the integration's), or "the customer read everything up to a time".

use crate::{App, AppError};
use chatd_domain::channel::ChannelProfile;
use chatd_domain::dialog::{Dialog, DialogCommand};
use chatd_domain::{
    ChannelId, DialogId, DomainError, MessageError, MessageId, MessageStatus, Principal,
};
use chatd_store::Position;
use time::OffsetDateTime;

/// A status report for one outgoing message.
pub struct Report {
    /// Our id (the webhook's `id`), or
    pub message_id: Option<MessageId>,
    /// the integration's, as it answered the webhook.
    pub external_message_id: Option<String>,
    pub status: MessageStatus,
    pub error: Option<MessageError>,
}

/// What a report did.
pub struct Reported {
    pub dialog_id: DialogId,
    pub message_id: MessageId,
    /// `false` when the report moved nothing (a late or repeated one).
    pub changed: bool,
    pub position: Option<Position>,
}

pub(super) fn profile(app: &App, channel: ChannelId) -> Result<ChannelProfile, AppError> {
    Ok(app
        .model()
        .catalog
        .channels
        .get(&channel)
        .ok_or(DomainError::NotFound)?
        .profile())
}

/// The outgoing message a report names, in one of this channel's live dialogs.
pub(super) async fn find_outgoing(
    app: &App,
    channel: ChannelId,
    ours: Option<MessageId>,
    theirs: Option<&str>,
) -> Result<(DialogId, MessageId), AppError> {
    let lookup = || {
        let m = app.model();
        m.outbox.find(channel, ours, theirs).filter(|(d, _)| {
            m.dialogs
                .get(d)
                .is_some_and(|r| r.channel_id == channel && !r.deleted)
        })
    };
    if let Some(found) = lookup() {
        return Ok(found);
    }
    // The webhook's answer may be a moment ahead of the read models: catch up once.
    app.caught_up_with_head().await?;
    Ok(lookup().ok_or(DomainError::NotFound)?)
}

/// Record a status the integration reports (forward only, R14).
pub async fn report(app: &App, channel: ChannelId, r: Report) -> Result<Reported, AppError> {
    if r.message_id.is_none() && r.external_message_id.is_none() {
        return Err(DomainError::invalid(
            "message",
            "name the message by message_id or external_message_id",
        )
        .into());
    }
    let (dialog_id, message_id) =
        find_outgoing(app, channel, r.message_id, r.external_message_id.as_deref()).await?;
    let cmd = DialogCommand::RecordStatus {
        message_id,
        status: r.status,
        error: r.error,
        // Named by our id, the report tells us the integration's.
        external_message_id: r.external_message_id.filter(|_| r.message_id.is_some()),
        channel: profile(app, channel)?,
    };
    let out = app
        .execute::<Dialog>(
            dialog_id,
            &app.command(Principal::Channel { id: channel }, cmd),
        )
        .await?;
    Ok(Reported {
        dialog_id,
        message_id,
        changed: !out.events.is_empty(),
        position: out.position,
    })
}

/// The customer of an external chat read everything we sent up to `until`: those messages
/// become `read` in the chat's live dialog. Returns the dialog and how many moved.
pub async fn read_until(
    app: &App,
    channel: ChannelId,
    external_chat_id: &str,
    until: OffsetDateTime,
) -> Result<(DialogId, usize, Option<Position>), AppError> {
    let profile = profile(app, channel)?;
    let dialog_id = super::changes::live_dialog(app, channel, external_chat_id).await?;
    let cmd = DialogCommand::ReadUntil {
        until,
        channel: profile,
    };
    let out = app
        .execute::<Dialog>(
            dialog_id,
            &app.command(Principal::Channel { id: channel }, cmd),
        )
        .await?;
    Ok((dialog_id, out.events.len(), out.position))
}
