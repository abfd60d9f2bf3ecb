use super::timing::{self, Away, Planned};
use super::writing::{receive, send};
use super::{lifecycle, notes, Dialog, DialogEvent, DialogStatus, WakeReason};
use crate::actor::{Assignee, Principal, Right, Role};
use crate::channel::{ChannelProfile, MAX_TEXT_CHARS};
use crate::error::DomainError;
use crate::event::Command;
use crate::ids::{ChannelId, CustomerId, DialogId, MessageId, NoteId, ScheduleId, UserId};
use crate::message::{Attachment, MessageError, MessageStatus};
use crate::template::Template;
use time::OffsetDateTime;

/// An inbound customer message as the transport delivers it, with what the caller looked up.
#[derive(Debug, Clone, PartialEq)]
pub struct Inbound {
    /// The id to open the dialog under if it does not exist yet.
    pub dialog_id: DialogId,
    pub channel_id: ChannelId,
    pub external_chat_id: String,
    pub customer_id: Option<CustomerId>,
    pub message_id: MessageId,
    pub external_id: String,
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub quote_external_id: Option<String>,
    pub sent_at: Option<OffsetDateTime>,
    pub customer_blocked: bool,
    pub channel: ChannelProfile,
    /// R35: earlier customers of the same contact, erased; their dialogs take no more messages.
    pub erased_customers: Vec<CustomerId>,
    /// R37: the channel's away reply, when the message arrives while the shop is closed.
    pub away: Option<Away>,
}

/// A message a manager or bot writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    pub message_id: MessageId,
    /// For a template (R26): the caller looked it up in the channel's set; the text is rendered
    /// here.
    pub template: Option<(Template, Vec<String>)>,
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub quote_message_id: Option<MessageId>,
    pub customer_blocked: bool,
    pub channel: ChannelProfile,
}

#[derive(Debug, Clone, PartialEq)]
pub enum DialogCommand {
    /// R1, R4, R6: a customer message from the channel's transport.
    Receive(Box<Inbound>),
    /// R3, R4, R6, R7, R8, R9, R11, R20.
    Send(Box<Outgoing>),
    /// R2. `target_active`: the caller looked the target up and found an active user or bot.
    Reassign { to: Assignee, target_active: bool },
    /// R4
    Close,
    /// R5
    MarkRead,
    /// R5
    MarkUnread,
    /// R11; an empty text clears the draft.
    SaveDraft { text: String },
    /// R11
    ClearDraft,
    /// R12
    UnpinCustomer,
    /// R12
    PinCustomer { customer_id: CustomerId },
    /// R13
    Delete,
    /// R14: a delivery report from the transport or the delivery worker.
    RecordStatus {
        message_id: MessageId,
        status: MessageStatus,
        error: Option<MessageError>,
        external_message_id: Option<String>,
        channel: ChannelProfile,
    },
    /// R18: the distribution bot gives the dialog to a manager: an unassigned one, or one whose
    /// manager became unavailable. The caller found the bot's rule for the channel and checked
    /// that the manager takes part; `target_active`: the manager is an active user.
    /// `from`: the responsible the caller saw; if it changed meanwhile, nothing happens (the bot
    /// acted on a stale view, or acted already).
    Distribute {
        to: UserId,
        from: Option<UserId>,
        target_active: bool,
    },
    /// R14: the customer read everything we sent up to `until`.
    ReadUntil {
        until: OffsetDateTime,
        channel: ChannelProfile,
    },
    /// R21: a manager's or bot's edit, or a customer's as the integration reports it.
    Edit {
        message_id: MessageId,
        text: String,
        channel: ChannelProfile,
    },
    /// R22
    DeleteMessage {
        message_id: MessageId,
        channel: ChannelProfile,
    },
    /// R23: `emoji: None` clears the actor's reaction.
    React {
        message_id: MessageId,
        emoji: Option<String>,
        channel: ChannelProfile,
    },
    /// R27: `mentions_valid`: the caller found every mentioned id an active, non-auditor user.
    AddNote {
        note_id: NoteId,
        text: String,
        mentions: Vec<UserId>,
        mentions_valid: bool,
    },
    /// R27
    EditNote { note_id: NoteId, text: String },
    /// R27
    DeleteNote { note_id: NoteId },
    /// R27: the caller closes their mention in the note.
    MentionDone { note_id: NoteId },
    /// The delivery worker finished a webhook notice (`error`: gave up).
    NoticeDelivered {
        event_id: uuid::Uuid,
        error: Option<MessageError>,
    },
    /// R37
    Snooze { until: OffsetDateTime },
    /// R37: by hand.
    Unsnooze,
    /// R37: the timer of the snooze that ends at `until` (System).
    Wake { until: OffsetDateTime },
    /// R37: a user schedules a message.
    Schedule(Box<Planned>),
    /// R37: its author edits a pending scheduled message.
    EditScheduled(Box<Planned>),
    /// R37
    CancelScheduled { schedule_id: ScheduleId },
    /// R37: the timer sends a due scheduled message as its author, through the ordinary send.
    SendScheduled {
        schedule_id: ScheduleId,
        outgoing: Box<Outgoing>,
    },
    /// R37: what the caller found makes a due scheduled message fail (System).
    FailScheduled {
        schedule_id: ScheduleId,
        error: DomainError,
    },
}

/// Decide what a command does to a dialog: the events to append, or why not. Pure.
pub fn decide(
    state: &Dialog,
    cmd: &Command<DialogCommand>,
) -> Result<Vec<DialogEvent>, DomainError> {
    let by = &cmd.by;
    if let DialogCommand::Receive(inbound) = &cmd.body {
        return receive(state, by, inbound, cmd.at);
    }
    if !state.exists() || state.deleted {
        return Err(DomainError::NotFound);
    }
    if matches!(
        by,
        Principal::User {
            role: Role::Auditor,
            ..
        }
    ) {
        return Err(DomainError::Forbidden);
    }
    match &cmd.body {
        DialogCommand::Send(outgoing) => return send(state, by, outgoing, cmd.at),
        // The author may no longer see the dialog: that is a reason to fail, not to hide.
        DialogCommand::SendScheduled {
            schedule_id,
            outgoing,
        } => return timing::send_scheduled(state, by, *schedule_id, outgoing, cmd.at),
        DialogCommand::FailScheduled { schedule_id, error } => {
            return timing::fail(state, by, *schedule_id, error)
        }
        DialogCommand::Wake { until } => return timing::wake(state, by, *until, cmd.at),
        _ => {}
    }
    // R27: a mentioned user acts on notes of a dialog R2 hides from them.
    match &cmd.body {
        DialogCommand::AddNote {
            note_id,
            text,
            mentions,
            mentions_valid,
        } => return notes::add(state, by, *note_id, text, mentions, *mentions_valid),
        DialogCommand::EditNote { note_id, text } => return notes::edit(state, by, *note_id, text),
        DialogCommand::DeleteNote { note_id } => return notes::delete(state, by, *note_id),
        DialogCommand::MentionDone { note_id } => return notes::done(state, by, *note_id),
        _ => {}
    }
    // The distribution bot acts on dialogs it does not see yet (R18).
    if let DialogCommand::Distribute {
        to,
        from,
        target_active,
    } = &cmd.body
    {
        return distribute(state, by, *to, *from, *target_active);
    }
    if !state.is_visible_to(by) {
        return Err(DomainError::NotFound);
    }
    match &cmd.body {
        DialogCommand::Receive(_)
        | DialogCommand::Send(_)
        | DialogCommand::SendScheduled { .. }
        | DialogCommand::FailScheduled { .. }
        | DialogCommand::Wake { .. } => unreachable!("handled above"),
        DialogCommand::Snooze { until } => timing::snooze(state, by, *until, cmd.at),
        DialogCommand::Unsnooze => timing::unsnooze(state, by),
        DialogCommand::Schedule(p) => timing::schedule(state, by, p, cmd.at),
        DialogCommand::EditScheduled(p) => timing::edit(state, by, p, cmd.at),
        DialogCommand::CancelScheduled { schedule_id } => timing::cancel(state, by, *schedule_id),
        DialogCommand::Reassign { to, target_active } => reassign(state, by, *to, *target_active),
        DialogCommand::Close => {
            require_manage(state, by)?;
            Ok(match state.status {
                DialogStatus::Closed => vec![],
                DialogStatus::Open => timing::woken(state, WakeReason::Closed)
                    .into_iter()
                    .chain([DialogEvent::DialogClosed {}])
                    .collect(),
            })
        }
        DialogCommand::MarkRead => {
            let user_id = by.user_id().ok_or(DomainError::Forbidden)?;
            let seen = state.read_seen.get(&user_id).copied().unwrap_or(0);
            Ok(
                if seen == state.inbound_count && !state.marked_unread.contains(&user_id) {
                    vec![]
                } else {
                    vec![DialogEvent::DialogRead {
                        user_id,
                        inbound_seen: state.inbound_count,
                    }]
                },
            )
        }
        DialogCommand::MarkUnread => {
            let user_id = by.user_id().ok_or(DomainError::Forbidden)?;
            Ok(if state.marked_unread.contains(&user_id) {
                vec![]
            } else {
                vec![DialogEvent::DialogMarkedUnread { user_id }]
            })
        }
        DialogCommand::SaveDraft { text } => {
            let user_id = by.user_id().ok_or(DomainError::Forbidden)?;
            if text.trim().is_empty() {
                return Ok(clear_draft(state, user_id));
            }
            if text.chars().count() > MAX_TEXT_CHARS {
                return Err(DomainError::TextTooLong {
                    max: MAX_TEXT_CHARS,
                });
            }
            Ok(if state.drafts.get(&user_id) == Some(text) {
                vec![]
            } else {
                vec![DialogEvent::DraftSaved {
                    user_id,
                    text: text.clone(),
                }]
            })
        }
        DialogCommand::ClearDraft => {
            let user_id = by.user_id().ok_or(DomainError::Forbidden)?;
            Ok(clear_draft(state, user_id))
        }
        DialogCommand::UnpinCustomer => {
            require_manage(state, by)?;
            let customer_id = state.customer_id.ok_or(DomainError::CustomerNotPinned)?;
            Ok(vec![DialogEvent::CustomerUnpinned { customer_id }])
        }
        DialogCommand::PinCustomer { customer_id } => {
            require_manage(state, by)?;
            match state.customer_id {
                Some(c) if c == *customer_id => Ok(vec![]),
                Some(_) => Err(DomainError::CustomerAlreadyPinned),
                None => Ok(vec![DialogEvent::CustomerPinned {
                    customer_id: *customer_id,
                }]),
            }
        }
        DialogCommand::Delete => {
            may_delete(by)?;
            Ok(vec![DialogEvent::DialogDeleted {}])
        }
        DialogCommand::Distribute { .. }
        | DialogCommand::AddNote { .. }
        | DialogCommand::EditNote { .. }
        | DialogCommand::DeleteNote { .. }
        | DialogCommand::MentionDone { .. } => unreachable!("handled above"),
        DialogCommand::RecordStatus {
            message_id,
            status,
            error,
            external_message_id,
            channel,
        } => record_status(
            state,
            by,
            *message_id,
            *status,
            error.clone(),
            external_message_id.clone(),
            channel,
        ),
        DialogCommand::Edit {
            message_id,
            text,
            channel,
        } => lifecycle::edit(state, by, *message_id, text, channel, cmd.at),
        DialogCommand::DeleteMessage {
            message_id,
            channel,
        } => lifecycle::delete(state, by, *message_id, channel),
        DialogCommand::React {
            message_id,
            emoji,
            channel,
        } => lifecycle::react(state, by, *message_id, emoji.as_deref(), channel),
        DialogCommand::NoticeDelivered { event_id, error } => {
            if *by != Principal::System {
                return Err(DomainError::Forbidden);
            }
            Ok(vec![DialogEvent::NoticeDelivered {
                event_id: *event_id,
                error: error.clone(),
            }])
        }
        DialogCommand::ReadUntil { until, channel } => {
            require_transport(by)?;
            if !channel.capabilities.read_status {
                return Err(DomainError::UnsupportedByChannel {
                    what: "read statuses".into(),
                });
            }
            let mut read: Vec<_> = state
                .messages
                .iter()
                .filter(|(_, m)| {
                    m.at <= *until && m.status.is_some_and(|s| s.advances_to(MessageStatus::Read))
                })
                .map(|(id, m)| (m.at, *id))
                .collect();
            read.sort();
            Ok(read
                .into_iter()
                .map(|(_, message_id)| DialogEvent::MessageStatusChanged {
                    message_id,
                    status: MessageStatus::Read,
                    error: None,
                    external_message_id: None,
                })
                .collect())
        }
    }
}

/// R13: deleting dialogs needs the group right `dialogs.delete` (admin holds every right). A
/// bulk delete asks once before it touches any dialog.
pub fn may_delete(by: &Principal) -> Result<(), DomainError> {
    if by.has_right(Right::DialogsDelete) {
        Ok(())
    } else {
        Err(DomainError::MissingRight(Right::DialogsDelete))
    }
}

/// Close, pin and unpin: the responsible (user or bot), admin or chat_admin.
pub(super) fn require_manage(state: &Dialog, by: &Principal) -> Result<(), DomainError> {
    if by.is_chat_admin() || (state.responsible.is_some() && by.as_assignee() == state.responsible)
    {
        Ok(())
    } else {
        Err(DomainError::NotResponsible)
    }
}

fn require_transport(by: &Principal) -> Result<(), DomainError> {
    match by {
        Principal::Channel { .. } | Principal::System => Ok(()),
        _ => Err(DomainError::Forbidden),
    }
}

fn reassign(
    state: &Dialog,
    by: &Principal,
    to: Assignee,
    target_active: bool,
) -> Result<Vec<DialogEvent>, DomainError> {
    let allowed = by.is_chat_admin()
        || (state.responsible.is_some() && by.as_assignee() == state.responsible)
        || (state.responsible.is_none()
            && matches!(
                by,
                Principal::User {
                    role: Role::Manager,
                    ..
                }
            )
            && by.as_assignee() == Some(to));
    if !allowed {
        return Err(DomainError::NotResponsible);
    }
    if !target_active {
        return Err(DomainError::InvalidAssignee);
    }
    if state.responsible == Some(to) {
        return Ok(vec![]);
    }
    // A closed dialog stays closed (R2).
    Ok(vec![DialogEvent::Reassigned {
        from: state.responsible,
        to,
    }])
}

/// R18: the distribution bot assigns `to`.
fn distribute(
    state: &Dialog,
    by: &Principal,
    to: UserId,
    from: Option<UserId>,
    target_active: bool,
) -> Result<Vec<DialogEvent>, DomainError> {
    if !matches!(by, Principal::Bot { .. }) {
        return Err(DomainError::Forbidden);
    }
    // Another bot's dialog is that bot's business.
    if matches!(state.responsible, Some(Assignee::Bot { .. })) {
        return Err(DomainError::NotResponsible);
    }
    if state.responsible != from.map(|id| Assignee::User { id }) {
        return Ok(vec![]);
    }
    if !target_active {
        return Err(DomainError::InvalidAssignee);
    }
    let to = Assignee::User { id: to };
    if state.responsible == Some(to) {
        return Ok(vec![]);
    }
    Ok(vec![DialogEvent::Reassigned {
        from: state.responsible,
        to,
    }])
}

fn clear_draft(state: &Dialog, user_id: crate::ids::UserId) -> Vec<DialogEvent> {
    if state.drafts.contains_key(&user_id) {
        vec![DialogEvent::DraftCleared { user_id }]
    } else {
        vec![]
    }
}

fn record_status(
    state: &Dialog,
    by: &Principal,
    message_id: MessageId,
    status: MessageStatus,
    error: Option<MessageError>,
    external_message_id: Option<String>,
    channel: &ChannelProfile,
) -> Result<Vec<DialogEvent>, DomainError> {
    require_transport(by)?;
    let current = state
        .messages
        .get(&message_id)
        .and_then(|m| m.status)
        .ok_or(DomainError::NotFound)?;
    let declared = match status {
        MessageStatus::Queued => {
            return Err(DomainError::invalid("status", "queued is not a report"))
        }
        MessageStatus::Delivered => channel.capabilities.delivered_status,
        MessageStatus::Read => channel.capabilities.read_status,
        MessageStatus::Sent | MessageStatus::Failed => true,
    };
    if !declared {
        return Err(DomainError::UnsupportedByChannel {
            what: format!("{status:?} statuses").to_lowercase(),
        });
    }
    if !current.advances_to(status) {
        // A late or out-of-order report never moves a status back (R14).
        return Ok(vec![]);
    }
    let error = match status {
        MessageStatus::Failed => Some(error.unwrap_or_else(|| MessageError {
            code: "unknown".into(),
            message: "the integration reported a failure".into(),
        })),
        _ => None,
    };
    Ok(vec![DialogEvent::MessageStatusChanged {
        message_id,
        status,
        error,
        external_message_id,
    }])
}
