use crate::actor::{Actor, Assignee};
use crate::event::DomainEvent;
use crate::ids::{ChannelId, CustomerId, DialogId, MessageId, NoteId, ScheduleId, UserId};
use crate::message::{Attachment, MessageError, MessageStatus, Quote};
use crate::template::TemplateUse;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

/// Events of the `dialog-<uuid>` stream. The catalogue with examples is `docs/EVENTS.md`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum DialogEvent {
    /// R1: the first customer message of an external chat opened a dialog.
    DialogOpened {
        dialog_id: DialogId,
        channel_id: ChannelId,
        external_chat_id: String,
        customer_id: Option<CustomerId>,
    },
    /// A customer message arrived through the channel's transport.
    MessageReceived {
        message_id: MessageId,
        external_id: String,
        author: Actor,
        text: String,
        attachments: Vec<Attachment>,
        quote: Option<Quote>,
        /// When the customer wrote it, as the integration reports; otherwise the receipt time.
        #[serde(with = "time::serde::rfc3339")]
        sent_at: OffsetDateTime,
    },
    /// A manager or bot wrote a message; its status starts `queued`. `template` (R26): the
    /// approved template it was rendered from (absent for free-form messages).
    MessageSent {
        message_id: MessageId,
        author: Actor,
        text: String,
        attachments: Vec<Attachment>,
        quote: Option<Quote>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        template: Option<TemplateUse>,
    },
    /// R14: the delivery status of an outgoing message moved forward.
    MessageStatusChanged {
        message_id: MessageId,
        status: MessageStatus,
        error: Option<MessageError>,
        external_message_id: Option<String>,
    },
    /// R2: who reassigned is the event's actor.
    Reassigned {
        from: Option<Assignee>,
        to: Assignee,
    },
    DialogClosed {},
    /// R4: a message from the customer or a manager reopened a closed dialog.
    DialogReopened {},
    /// R5: `user_id` has read every customer message so far (`inbound_seen` of them).
    DialogRead {
        user_id: UserId,
        inbound_seen: u64,
    },
    /// R5: "mark as unread" for one user only.
    DialogMarkedUnread {
        user_id: UserId,
    },
    /// R11
    DraftSaved {
        user_id: UserId,
        text: String,
    },
    /// R11
    DraftCleared {
        user_id: UserId,
    },
    /// R12
    CustomerUnpinned {
        customer_id: CustomerId,
    },
    /// R12
    CustomerPinned {
        customer_id: CustomerId,
    },
    /// R13: history stays for auditors.
    DialogDeleted {},
    /// R21: a message's text changed; the earlier text stays in the log. Who edited it is the
    /// event's actor (the channel, for a customer's edit its integration reported).
    MessageEdited {
        message_id: MessageId,
        text: String,
    },
    /// R22: a message was deleted; its text and attachments stay in the log for auditors.
    MessageDeleted {
        message_id: MessageId,
    },
    /// R23: `by`'s one reaction to a message; `emoji: null` clears it.
    ReactionSet {
        message_id: MessageId,
        by: Actor,
        emoji: Option<String>,
    },
    /// R27: an internal note by the event's actor; never reaches the channel. Each mentioned
    /// user has an open mention until `mention_done`.
    NoteAdded {
        note_id: NoteId,
        text: String,
        mentions: Vec<UserId>,
    },
    /// R27: its author changed a note's text.
    NoteEdited {
        note_id: NoteId,
        text: String,
    },
    /// R27: its author deleted a note (its mentions close with it).
    NoteDeleted {
        note_id: NoteId,
    },
    /// R27: `user_id` closed their mention in a note.
    MentionDone {
        note_id: NoteId,
        user_id: UserId,
    },
    /// A webhook notice of ours (an edit, deletion or reaction, named by its `event_id`) was
    /// delivered, or given up on with `error`.
    NoticeDelivered {
        event_id: Uuid,
        error: Option<MessageError>,
    },
    /// R37: out of the open lists until `until` (or the customer's next message).
    DialogSnoozed {
        #[serde(with = "time::serde::rfc3339")]
        until: OffsetDateTime,
    },
    /// R37: back in the open lists.
    DialogWoke {
        reason: WakeReason,
    },
    /// R37: the `message_sent` just before is the channel's away reply for the closed period
    /// that ends at `until` (when the shop opens; `null`: no opening within a year).
    AwayReplySent {
        message_id: MessageId,
        #[serde(with = "time::serde::rfc3339::option")]
        until: Option<OffsetDateTime>,
    },
    /// R37: the event's actor (a user) scheduled a message for `send_at`.
    MessageScheduled {
        schedule_id: ScheduleId,
        #[serde(with = "time::serde::rfc3339")]
        send_at: OffsetDateTime,
        #[serde(flatten)]
        content: ScheduledContent,
    },
    /// R37: its author changed a scheduled message (time and content, as now).
    ScheduledMessageEdited {
        schedule_id: ScheduleId,
        #[serde(with = "time::serde::rfc3339")]
        send_at: OffsetDateTime,
        #[serde(flatten)]
        content: ScheduledContent,
    },
    /// R37: cancelled before it was sent.
    ScheduledMessageCancelled {
        schedule_id: ScheduleId,
    },
    /// R37: sent as `message_id` (the `message_sent` just before).
    ScheduledMessageSent {
        schedule_id: ScheduleId,
        message_id: MessageId,
    },
    /// R37: at its time the rules did not allow it; `error.code` is the refusal's API code.
    /// `author`: who scheduled it, told of the failure even if the dialog is no longer theirs.
    ScheduledMessageFailed {
        schedule_id: ScheduleId,
        author: UserId,
        error: MessageError,
    },
}

/// R37: why a snoozed dialog came back.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WakeReason {
    /// Its time came.
    Time,
    /// The customer wrote.
    Customer,
    /// Someone un-snoozed it.
    Manual,
    /// It was closed.
    Closed,
}

/// R37: what a scheduled message will send: text and attachments, or a template (R26) by code
/// with its parameters, looked up in the channel's set when it is sent.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledContent {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub template: Option<ScheduledTemplate>,
}

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduledTemplate {
    pub code: String,
    #[serde(default)]
    pub params: Vec<String>,
}

impl DomainEvent for DialogEvent {
    const CATEGORY: &'static str = "dialog";

    /// R35: everything said in the dialog (messages, quotes, file names, template parameters,
    /// drafts, notes) and the chat's external id; the customer's key seals it.
    fn personal_mut(&mut self, f: &mut dyn FnMut(&mut String)) {
        fn parts(
            text: &mut String,
            attachments: &mut [Attachment],
            quote: &mut Option<Quote>,
            f: &mut dyn FnMut(&mut String),
        ) {
            f(text);
            for a in attachments {
                f(&mut a.name);
            }
            if let Some(q) = quote {
                f(&mut q.text);
            }
        }
        match self {
            DialogEvent::DialogOpened {
                external_chat_id, ..
            } => f(external_chat_id),
            DialogEvent::MessageReceived {
                text,
                attachments,
                quote,
                ..
            } => parts(text, attachments, quote, f),
            DialogEvent::MessageSent {
                text,
                attachments,
                quote,
                template,
                ..
            } => {
                parts(text, attachments, quote, f);
                for p in template.iter_mut().flat_map(|t| t.params.iter_mut()) {
                    f(p);
                }
            }
            DialogEvent::MessageScheduled { content, .. }
            | DialogEvent::ScheduledMessageEdited { content, .. } => {
                parts(&mut content.text, &mut content.attachments, &mut None, f);
                for p in content
                    .template
                    .iter_mut()
                    .flat_map(|t| t.params.iter_mut())
                {
                    f(p);
                }
            }
            DialogEvent::DraftSaved { text, .. }
            | DialogEvent::MessageEdited { text, .. }
            | DialogEvent::NoteAdded { text, .. }
            | DialogEvent::NoteEdited { text, .. } => f(text),
            _ => {}
        }
    }
}
