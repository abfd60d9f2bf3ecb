//! A dialog's timeline, folded on demand from its own stream: messages (with their latest
//! delivery status) and system entries (opened, closed, reopened, reassigned by whom from whom to
//! whom, customer unpinned or pinned). Newest first. Built from the stream rather than kept in
//! memory, so it costs nothing until someone opens the dialog.

use chatd_domain::dialog::{DialogEvent, ScheduledContent, ScheduledStatus, WakeReason};
use chatd_domain::template::TemplateUse;
use chatd_domain::{
    Actor, Assignee, Attachment, MessageError, MessageId, MessageStatus, NoteId, Quote, Recorded,
    ScheduleId, UserId,
};
use std::collections::{HashMap, HashSet};
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq)]
pub struct TimelineMessage {
    pub id: MessageId,
    pub author: Actor,
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub quote: Option<Quote>,
    pub status: Option<MessageStatus>,
    pub error: Option<MessageError>,
    pub external_id: Option<String>,
    pub created_at: OffsetDateTime,
    /// R21: when the text last changed.
    pub edited_at: Option<OffsetDateTime>,
    /// R22: text and attachments are gone from the view (the log keeps them).
    pub deleted: bool,
    /// R23: one per actor, in the order they were set.
    pub reactions: Vec<(Actor, String)>,
    /// R26: the approved template it was rendered from.
    pub template: Option<TemplateUse>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemKind {
    Opened,
    Closed,
    Reopened,
    Reassigned {
        from: Option<Assignee>,
        to: Assignee,
    },
    CustomerUnpinned,
    CustomerPinned,
    /// R37
    Snoozed {
        until: OffsetDateTime,
    },
    /// R37
    Woke {
        reason: WakeReason,
    },
}

/// R37: a scheduled message as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineScheduled {
    pub id: ScheduleId,
    pub author: Actor,
    pub send_at: OffsetDateTime,
    pub content: ScheduledContent,
    pub status: ScheduledStatus,
    pub error: Option<MessageError>,
    /// The message it was sent as.
    pub message_id: Option<MessageId>,
    pub created_at: OffsetDateTime,
    pub updated_at: OffsetDateTime,
}

/// R37: the dialog's scheduled messages, in the order they were scheduled.
pub fn scheduled(events: &[Recorded<DialogEvent>]) -> Vec<TimelineScheduled> {
    let mut out: Vec<TimelineScheduled> = Vec::new();
    for r in events {
        let at = r.meta.at;
        let find = |out: &mut Vec<TimelineScheduled>, id: &ScheduleId| {
            out.iter_mut().position(|s| s.id == *id)
        };
        match &r.event {
            DialogEvent::MessageScheduled {
                schedule_id,
                send_at,
                content,
            } => out.push(TimelineScheduled {
                id: *schedule_id,
                author: r.meta.actor,
                send_at: *send_at,
                content: content.clone(),
                status: ScheduledStatus::Pending,
                error: None,
                message_id: None,
                created_at: at,
                updated_at: at,
            }),
            DialogEvent::ScheduledMessageEdited {
                schedule_id,
                send_at,
                content,
            } => {
                if let Some(i) = find(&mut out, schedule_id) {
                    let s = &mut out[i];
                    s.send_at = *send_at;
                    s.content = content.clone();
                    s.updated_at = at;
                }
            }
            DialogEvent::ScheduledMessageCancelled { schedule_id }
            | DialogEvent::ScheduledMessageSent { schedule_id, .. }
            | DialogEvent::ScheduledMessageFailed { schedule_id, .. } => {
                if let Some(i) = find(&mut out, schedule_id) {
                    let s = &mut out[i];
                    s.updated_at = at;
                    match &r.event {
                        DialogEvent::ScheduledMessageSent { message_id, .. } => {
                            s.status = ScheduledStatus::Sent;
                            s.message_id = Some(*message_id);
                        }
                        DialogEvent::ScheduledMessageFailed { error, .. } => {
                            s.status = ScheduledStatus::Failed;
                            s.error = Some(error.clone());
                        }
                        _ => s.status = ScheduledStatus::Cancelled,
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// R27: an internal note as it is now.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineNote {
    pub id: NoteId,
    pub author: Actor,
    pub text: String,
    pub mentions: Vec<UserId>,
    pub created_at: OffsetDateTime,
    pub edited_at: Option<OffsetDateTime>,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    Message(Box<TimelineMessage>),
    Note(Box<TimelineNote>),
    System {
        kind: SystemKind,
        by: Actor,
        at: OffsetDateTime,
    },
}

/// The message a `message_received` or `message_sent` records, as it was recorded (`at`: when
/// the event was); `None` for every other event. The one place a message event becomes a
/// message: the timeline, the live feed and webhook delivery all start here.
pub fn message_of(event: &DialogEvent, at: OffsetDateTime) -> Option<TimelineMessage> {
    match event {
        DialogEvent::MessageReceived {
            message_id,
            external_id,
            author,
            text,
            attachments,
            quote,
            sent_at,
        } => Some(TimelineMessage {
            id: *message_id,
            author: *author,
            text: text.clone(),
            attachments: attachments.clone(),
            quote: quote.clone(),
            status: None,
            error: None,
            external_id: Some(external_id.clone()),
            created_at: *sent_at,
            edited_at: None,
            deleted: false,
            reactions: Vec::new(),
            template: None,
        }),
        DialogEvent::MessageSent {
            message_id,
            author,
            text,
            attachments,
            quote,
            template,
        } => Some(TimelineMessage {
            id: *message_id,
            author: *author,
            text: text.clone(),
            attachments: attachments.clone(),
            quote: quote.clone(),
            status: Some(MessageStatus::Queued),
            error: None,
            external_id: None,
            created_at: at,
            edited_at: None,
            deleted: false,
            reactions: Vec::new(),
            template: template.clone(),
        }),
        _ => None,
    }
}

/// Oldest first; callers page from the end.
pub fn build(events: &[Recorded<DialogEvent>]) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut by_id: HashMap<MessageId, usize> = HashMap::new();
    let mut notes: HashMap<NoteId, usize> = HashMap::new();
    for r in events {
        let (by, at) = (r.meta.actor, r.meta.at);
        let system = |kind| Entry::System { kind, by, at };
        match &r.event {
            DialogEvent::DialogOpened { .. } => out.push(system(SystemKind::Opened)),
            DialogEvent::MessageReceived { message_id, .. }
            | DialogEvent::MessageSent { message_id, .. } => {
                by_id.insert(*message_id, out.len());
                out.extend(message_of(&r.event, at).map(|m| Entry::Message(Box::new(m))));
            }
            DialogEvent::MessageStatusChanged {
                message_id,
                status,
                error,
                external_message_id,
            } => {
                if let Some(Entry::Message(m)) = by_id.get(message_id).and_then(|i| out.get_mut(*i))
                {
                    m.status = Some(*status);
                    m.error.clone_from(error);
                    if external_message_id.is_some() {
                        m.external_id.clone_from(external_message_id);
                    }
                }
            }
            DialogEvent::Reassigned { from, to } => out.push(system(SystemKind::Reassigned {
                from: *from,
                to: *to,
            })),
            DialogEvent::DialogClosed {} => out.push(system(SystemKind::Closed)),
            DialogEvent::DialogReopened {} => out.push(system(SystemKind::Reopened)),
            DialogEvent::CustomerUnpinned { .. } => out.push(system(SystemKind::CustomerUnpinned)),
            DialogEvent::CustomerPinned { .. } => out.push(system(SystemKind::CustomerPinned)),
            DialogEvent::MessageEdited { message_id, .. }
            | DialogEvent::MessageDeleted { message_id }
            | DialogEvent::ReactionSet { message_id, .. } => {
                if let Some(Entry::Message(m)) = by_id.get(message_id).and_then(|i| out.get_mut(*i))
                {
                    change(m, &r.event, at);
                }
            }
            DialogEvent::NoteAdded {
                note_id,
                text,
                mentions,
            } => {
                notes.insert(*note_id, out.len());
                out.push(Entry::Note(Box::new(TimelineNote {
                    id: *note_id,
                    author: by,
                    text: text.clone(),
                    mentions: mentions.clone(),
                    created_at: at,
                    edited_at: None,
                    deleted: false,
                })));
            }
            DialogEvent::NoteEdited { note_id, text } => {
                if let Some(Entry::Note(n)) = notes.get(note_id).and_then(|i| out.get_mut(*i)) {
                    n.text.clone_from(text);
                    n.edited_at = Some(at);
                }
            }
            DialogEvent::NoteDeleted { note_id } => {
                if let Some(Entry::Note(n)) = notes.get(note_id).and_then(|i| out.get_mut(*i)) {
                    n.text.clear();
                    n.deleted = true;
                }
            }
            DialogEvent::MentionDone { .. }
            | DialogEvent::DialogRead { .. }
            | DialogEvent::DialogMarkedUnread { .. }
            | DialogEvent::DraftSaved { .. }
            | DialogEvent::DraftCleared { .. }
            | DialogEvent::NoticeDelivered { .. }
            | DialogEvent::DialogDeleted {}
            | DialogEvent::AwayReplySent { .. }
            | DialogEvent::MessageScheduled { .. }
            | DialogEvent::ScheduledMessageEdited { .. }
            | DialogEvent::ScheduledMessageCancelled { .. }
            | DialogEvent::ScheduledMessageSent { .. }
            | DialogEvent::ScheduledMessageFailed { .. } => {}
            DialogEvent::DialogSnoozed { until } => {
                out.push(system(SystemKind::Snoozed { until: *until }))
            }
            DialogEvent::DialogWoke { reason } => {
                out.push(system(SystemKind::Woke { reason: *reason }))
            }
        }
    }
    // R22: a quote of a message deleted since shows nothing of it.
    let deleted: HashSet<MessageId> = out
        .iter()
        .filter_map(|e| match e {
            Entry::Message(m) if m.deleted => Some(m.id),
            _ => None,
        })
        .collect();
    if !deleted.is_empty() {
        for e in &mut out {
            if let Entry::Message(m) = e {
                if let Some(q) = m.quote.as_mut().filter(|q| deleted.contains(&q.message_id)) {
                    q.text.clear();
                }
            }
        }
    }
    out
}

/// R21–R23 on a message as shown: an edit, a deletion or a reaction.
pub fn change(m: &mut TimelineMessage, event: &DialogEvent, at: OffsetDateTime) {
    match event {
        DialogEvent::MessageEdited { text, .. } => {
            m.text.clone_from(text);
            m.edited_at = Some(at);
        }
        DialogEvent::MessageDeleted { .. } => {
            m.deleted = true;
            m.text.clear();
            m.attachments.clear();
            m.quote = None;
            m.reactions.clear();
        }
        DialogEvent::ReactionSet { by, emoji, .. } => {
            m.reactions.retain(|(a, _)| a != by);
            if let Some(e) = emoji {
                m.reactions.push((*by, e.clone()));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatd_domain::EventMeta;
    use uuid::Uuid;

    fn rec(event: DialogEvent) -> Recorded<DialogEvent> {
        Recorded {
            meta: EventMeta {
                at: OffsetDateTime::UNIX_EPOCH,
                actor: Actor::System,
            },
            event,
        }
    }

    #[test]
    fn r21_to_r23_show_the_message_as_it_is_now_and_quotes_of_a_deleted_one_show_nothing() {
        let (a, b) = (MessageId(Uuid::from_u128(1)), MessageId(Uuid::from_u128(2)));
        let author = Actor::Customer { id: None };
        let sent = |id, text: &str, quote| DialogEvent::MessageSent {
            message_id: id,
            author,
            text: text.into(),
            attachments: vec![],
            quote,
            template: None,
        };
        let quote = Quote {
            message_id: a,
            author,
            text: "first".into(),
        };
        let built = build(&[
            rec(sent(a, "first", None)),
            rec(sent(b, "second", Some(quote))),
            rec(DialogEvent::MessageEdited {
                message_id: b,
                text: "second, edited".into(),
            }),
            rec(DialogEvent::ReactionSet {
                message_id: b,
                by: author,
                emoji: Some("👍".into()),
            }),
            rec(DialogEvent::MessageDeleted { message_id: a }),
        ]);
        let [Entry::Message(first), Entry::Message(second)] = &built[..] else {
            panic!("two messages: {built:?}");
        };
        assert!(first.deleted && first.text.is_empty());
        assert_eq!(second.text, "second, edited");
        assert_eq!(second.edited_at, Some(OffsetDateTime::UNIX_EPOCH));
        assert_eq!(second.reactions, vec![(author, "👍".to_owned())]);
        assert_eq!(second.quote.as_ref().map(|q| q.text.as_str()), Some(""));
    }
}
