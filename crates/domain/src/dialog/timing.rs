//! R37 in a dialog: snooze and wake, the away reply, and scheduled messages. Time comes in with
//! the command; the timers that fire `Wake` and `SendScheduled` are the application's, and
//! these decisions make a late or repeated firing append nothing.

use super::decide::{Inbound, Outgoing};
use super::events::{ScheduledContent, WakeReason};
use super::writing::{send, write_access};
use super::{Dialog, DialogEvent, DialogStatus};
use crate::actor::{Actor, Assignee, Principal};
use crate::error::DomainError;
use crate::ids::{MessageId, ScheduleId, UserId};
use crate::message::MessageError;
use crate::template::window_open;
use time::{Duration, OffsetDateTime};

/// How far ahead a snooze or a scheduled message may be set.
pub const MAX_AHEAD: Duration = Duration::days(366);
/// Scheduled messages waiting in one dialog at most.
pub const MAX_SCHEDULED: usize = 50;

/// R37: a scheduled message as the dialog remembers it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scheduled {
    pub author: UserId,
    pub send_at: OffsetDateTime,
    pub content: ScheduledContent,
    pub status: ScheduledStatus,
}

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScheduledStatus {
    Pending,
    Sent,
    Failed,
    Cancelled,
}

/// R37: the away reply an inbound message may get, as the caller found it: the channel's away
/// text, and the closed period the message falls in (by when it began and when it ends).
#[derive(Debug, Clone, PartialEq)]
pub struct Away {
    pub message_id: MessageId,
    pub text: String,
    pub since: Option<OffsetDateTime>,
    pub until: Option<OffsetDateTime>,
}

/// The away reply to a customer message received at `now`, if one is due: once per closed
/// period and dialog, never after a reply already given in the period (a person's, a bot's or
/// an earlier away reply), never in a bot's dialog (the bot answers), and only while R25's
/// window is open.
pub(super) fn away_reply(
    state: &Dialog,
    m: &Inbound,
    now: OffsetDateTime,
) -> Option<[DialogEvent; 2]> {
    let away = m.away.as_ref()?;
    if matches!(state.responsible, Some(Assignee::Bot { .. })) {
        return None;
    }
    let replied = state
        .last_reply_at
        .is_some_and(|last| away.since.is_none_or(|since| last >= since));
    if replied || !window_open(Some(now), m.channel.capabilities.reply_window_s, now) {
        return None;
    }
    m.channel.check_text(&away.text, false).ok()?;
    Some([
        DialogEvent::MessageSent {
            message_id: away.message_id,
            author: Actor::System,
            text: away.text.clone(),
            attachments: vec![],
            quote: None,
            template: None,
        },
        DialogEvent::AwayReplySent {
            message_id: away.message_id,
            until: away.until,
        },
    ])
}

fn check_ahead(
    field: &'static str,
    at: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<(), DomainError> {
    if at <= now {
        Err(DomainError::invalid(field, "must be in the future"))
    } else if at > now + MAX_AHEAD {
        Err(DomainError::invalid(field, "at most a year ahead"))
    } else {
        Ok(())
    }
}

/// Snooze, un-snooze: the responsible, admin or chat_admin. A closed dialog is not snoozed: it
/// is out of the open lists already, and a customer's message brings it back either way.
pub(super) fn snooze(
    state: &Dialog,
    by: &Principal,
    until: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<Vec<DialogEvent>, DomainError> {
    super::decide::require_manage(state, by)?;
    if state.status == DialogStatus::Closed {
        return Err(DomainError::DialogClosed);
    }
    check_ahead("until", until, now)?;
    Ok(if state.snoozed_until == Some(until) {
        vec![]
    } else {
        vec![DialogEvent::DialogSnoozed { until }]
    })
}

pub(super) fn unsnooze(state: &Dialog, by: &Principal) -> Result<Vec<DialogEvent>, DomainError> {
    super::decide::require_manage(state, by)?;
    Ok(woken(state, WakeReason::Manual).into_iter().collect())
}

/// The timer's wake-up: only the snooze it was set for, and only once its time has come.
pub(super) fn wake(
    state: &Dialog,
    by: &Principal,
    until: OffsetDateTime,
    now: OffsetDateTime,
) -> Result<Vec<DialogEvent>, DomainError> {
    if *by != Principal::System {
        return Err(DomainError::Forbidden);
    }
    Ok(if state.snoozed_until == Some(until) && now >= until {
        vec![DialogEvent::DialogWoke {
            reason: WakeReason::Time,
        }]
    } else {
        vec![]
    })
}

/// The wake-up that goes with something else (a customer's message, a close), if snoozed.
pub(super) fn woken(state: &Dialog, reason: WakeReason) -> Option<DialogEvent> {
    state
        .snoozed_until
        .map(|_| DialogEvent::DialogWoke { reason })
}

/// What a scheduled message may hold, checked when it is scheduled or edited (and again, by the
/// ordinary send, when it is sent).
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub schedule_id: ScheduleId,
    pub send_at: OffsetDateTime,
    pub content: ScheduledContent,
    pub channel: crate::channel::ChannelProfile,
}

fn check_content(p: &Planned, now: OffsetDateTime) -> Result<(), DomainError> {
    check_ahead("send_at", p.send_at, now)?;
    let c = &p.content;
    if c.template.is_some() {
        if !c.text.is_empty() || !c.attachments.is_empty() {
            return Err(DomainError::invalid(
                "template",
                "a template is sent alone, without text or attachments",
            ));
        }
        return Ok(());
    }
    p.channel.check_text(&c.text, !c.attachments.is_empty())?;
    p.channel.check_attachments(&c.attachments)
}

fn author_of(by: &Principal) -> Result<UserId, DomainError> {
    match by {
        Principal::User { id, .. } => Ok(*id),
        _ => Err(DomainError::Forbidden),
    }
}

pub(super) fn schedule(
    state: &Dialog,
    by: &Principal,
    p: &Planned,
    now: OffsetDateTime,
) -> Result<Vec<DialogEvent>, DomainError> {
    let _ = author_of(by)?;
    write_access(state.responsible, by)?;
    if let Some(s) = state.scheduled.get(&p.schedule_id) {
        // A retry of the same request.
        return if s.send_at == p.send_at && s.content == p.content {
            Ok(vec![])
        } else {
            Err(DomainError::AlreadyExists)
        };
    }
    let pending = state
        .scheduled
        .values()
        .filter(|s| s.status == ScheduledStatus::Pending)
        .count();
    if pending >= MAX_SCHEDULED {
        return Err(DomainError::TooManyScheduled { max: MAX_SCHEDULED });
    }
    check_content(p, now)?;
    Ok(vec![DialogEvent::MessageScheduled {
        schedule_id: p.schedule_id,
        send_at: p.send_at,
        content: p.content.clone(),
    }])
}

fn pending(state: &Dialog, id: ScheduleId) -> Result<&Scheduled, DomainError> {
    let s = state.scheduled.get(&id).ok_or(DomainError::NotFound)?;
    if s.status == ScheduledStatus::Pending {
        Ok(s)
    } else {
        Err(DomainError::ScheduledNotPending)
    }
}

/// Only its author edits a scheduled message.
pub(super) fn edit(
    state: &Dialog,
    by: &Principal,
    p: &Planned,
    now: OffsetDateTime,
) -> Result<Vec<DialogEvent>, DomainError> {
    let s = pending(state, p.schedule_id)?;
    if author_of(by)? != s.author {
        return Err(DomainError::NotAuthor);
    }
    check_content(p, now)?;
    Ok(if s.send_at == p.send_at && s.content == p.content {
        vec![]
    } else {
        vec![DialogEvent::ScheduledMessageEdited {
            schedule_id: p.schedule_id,
            send_at: p.send_at,
            content: p.content.clone(),
        }]
    })
}

/// Its author, an admin or a chat admin cancels a scheduled message.
pub(super) fn cancel(
    state: &Dialog,
    by: &Principal,
    id: ScheduleId,
) -> Result<Vec<DialogEvent>, DomainError> {
    let s = pending(state, id)?;
    if !(by.is_chat_admin() || by.user_id() == Some(s.author)) {
        return Err(DomainError::NotAuthor);
    }
    Ok(vec![DialogEvent::ScheduledMessageCancelled {
        schedule_id: id,
    }])
}

/// The message id a scheduled message is sent under: derived, so a repeated firing meets the
/// first one.
pub fn message_of(id: ScheduleId) -> MessageId {
    MessageId::from(uuid::Uuid::new_v5(&id.0, b"scheduled-message"))
}

/// At its time, a scheduled message is sent by the ordinary send as its author (`by`, as the
/// author is now), or fails with the reason the rules give. Nothing happens before its time or
/// once it is no longer pending.
pub(super) fn send_scheduled(
    state: &Dialog,
    by: &Principal,
    id: ScheduleId,
    m: &Outgoing,
    now: OffsetDateTime,
) -> Result<Vec<DialogEvent>, DomainError> {
    let Some(s) = state.scheduled.get(&id) else {
        return Err(DomainError::NotFound);
    };
    if s.status != ScheduledStatus::Pending || now < s.send_at {
        return Ok(vec![]);
    }
    if by.user_id() != Some(s.author) || m.message_id != message_of(id) {
        return Err(DomainError::Forbidden);
    }
    // R32 would answer "not found" to an author who no longer sees the dialog: to them, the
    // reason is that it is no longer theirs.
    let sent = if state.is_visible_to(by) {
        send(state, by, m, now)
    } else {
        Err(DomainError::NotResponsible)
    };
    Ok(match sent {
        Ok(mut events) => {
            events.push(DialogEvent::ScheduledMessageSent {
                schedule_id: id,
                message_id: m.message_id,
            });
            events
        }
        Err(e) => vec![failed(id, s.author, &e)],
    })
}

/// What the caller found before the decision (the author gone, the channel gone, a template no
/// longer published) fails a pending scheduled message too.
pub(super) fn fail(
    state: &Dialog,
    by: &Principal,
    id: ScheduleId,
    error: &DomainError,
) -> Result<Vec<DialogEvent>, DomainError> {
    if *by != Principal::System {
        return Err(DomainError::Forbidden);
    }
    Ok(match state.scheduled.get(&id) {
        Some(s) if s.status == ScheduledStatus::Pending => vec![failed(id, s.author, error)],
        _ => vec![],
    })
}

fn failed(schedule_id: ScheduleId, author: UserId, e: &DomainError) -> DialogEvent {
    DialogEvent::ScheduledMessageFailed {
        schedule_id,
        author,
        error: MessageError {
            code: e.code().into(),
            message: e.to_string(),
        },
    }
}

/// Fold R37's events into the dialog's state.
pub(super) fn evolve(state: &mut Dialog, actor: Actor, e: &DialogEvent) {
    match e {
        DialogEvent::DialogSnoozed { until } => state.snoozed_until = Some(*until),
        DialogEvent::DialogWoke { .. } => state.snoozed_until = None,
        DialogEvent::AwayReplySent { .. } => {}
        DialogEvent::MessageScheduled {
            schedule_id,
            send_at,
            content,
        } => {
            if let Actor::User { id } = actor {
                state.scheduled.insert(
                    *schedule_id,
                    Scheduled {
                        author: id,
                        send_at: *send_at,
                        content: content.clone(),
                        status: ScheduledStatus::Pending,
                    },
                );
            }
        }
        DialogEvent::ScheduledMessageEdited {
            schedule_id,
            send_at,
            content,
        } => {
            if let Some(s) = state.scheduled.get_mut(schedule_id) {
                s.send_at = *send_at;
                s.content = content.clone();
            }
        }
        DialogEvent::ScheduledMessageCancelled { schedule_id } => {
            set_status(state, *schedule_id, ScheduledStatus::Cancelled)
        }
        DialogEvent::ScheduledMessageSent { schedule_id, .. } => {
            set_status(state, *schedule_id, ScheduledStatus::Sent)
        }
        DialogEvent::ScheduledMessageFailed { schedule_id, .. } => {
            set_status(state, *schedule_id, ScheduledStatus::Failed)
        }
        _ => {}
    }
}

fn set_status(state: &mut Dialog, id: ScheduleId, status: ScheduledStatus) {
    if let Some(s) = state.scheduled.get_mut(&id) {
        s.status = status;
    }
}
