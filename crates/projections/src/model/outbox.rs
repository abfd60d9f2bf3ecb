//! Outgoing messages and their delivery: which are still waiting for the channel's webhook (the
//! delivery worker's to-do list, driven from the log so that a restart resumes it), which
//! notices of changes (R21–R23: edits, deletions, reactions of ours) are still to be told, and
//! how the transport's status reports find a message, by our id or by the integration's.

use chatd_domain::dialog::DialogEvent;
use chatd_domain::Recorded;
use chatd_domain::{Actor, Attachment, ChannelId, DialogId, MessageId, MessageStatus, Quote};
use chatd_store::Position;
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// A message a manager or bot sent that no report has moved past `queued` yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    pub message_id: MessageId,
    pub dialog_id: DialogId,
    pub channel_id: ChannelId,
    pub external_chat_id: String,
    /// Where it was sent in the log: deliveries of one dialog go in this order.
    pub position: Position,
    #[serde(with = "super::compact::actor")]
    pub author: Actor,
    pub text: String,
    #[serde(with = "super::compact::attachments")]
    pub attachments: Vec<Attachment>,
    #[serde(with = "super::compact::quote")]
    pub quote: Option<Quote>,
    pub created_at: OffsetDateTime,
    /// R26
    #[serde(default)]
    pub template: Option<chatd_domain::template::TemplateUse>,
}

/// What a notice tells the channel's webhook.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NoticeKind {
    /// R21: `message_updated` with the new text.
    Updated { text: String },
    /// R22: `message_deleted`.
    Deleted,
    /// R23: `reaction_set` (`None` clears).
    Reaction { emoji: Option<String> },
    /// R35: `customer_erased`, once per dialog of an erased customer (no message named).
    CustomerErased,
}

/// A change a manager or bot made to a message (R21–R23) that the channel's webhook has not
/// been told of yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Notice {
    /// The body's `event_id`: derived from where the change is in the log, so it is the same
    /// on every attempt and after a restart.
    pub event_id: Uuid,
    pub message_id: MessageId,
    pub dialog_id: DialogId,
    pub channel_id: ChannelId,
    pub external_chat_id: String,
    pub position: Position,
    /// Who made the change.
    #[serde(with = "super::compact::actor")]
    pub by: Actor,
    pub kind: NoticeKind,
    pub at: OffsetDateTime,
}

/// The `event_id` of the webhook body for the dialog event at `position`: unique, and the
/// same however often the body is sent.
pub fn event_id(dialog: DialogId, position: Position) -> Uuid {
    Uuid::new_v5(
        &Uuid::NAMESPACE_OID,
        format!(
            "chatd:webhook:{dialog}:{}:{}",
            position.commit, position.prepare
        )
        .as_bytes(),
    )
}

#[derive(Debug, Default)]
pub struct Outbox {
    pub pending: HashMap<MessageId, Pending>,
    pub notices: HashMap<Uuid, Notice>,
    /// Every outgoing message's dialog, for reports by our id.
    pub dialog_of: HashMap<MessageId, DialogId, super::IdHash>,
    /// The integration's ids of outgoing messages, per channel.
    pub by_external: HashMap<(ChannelId, String), MessageId>,
}

/// Where a dialog event happened, as the outbox needs it.
pub struct At<'a> {
    pub dialog_id: DialogId,
    pub channel_id: ChannelId,
    pub external_chat_id: &'a str,
    pub position: Position,
    /// Whether the channel has a webhook to deliver to.
    pub webhook: bool,
}

impl Outbox {
    pub fn apply(&mut self, r: &Recorded<DialogEvent>, at: At<'_>) {
        match &r.event {
            DialogEvent::MessageSent { message_id, .. } => {
                self.dialog_of.insert(*message_id, at.dialog_id);
                // The message is copied only for a channel with a webhook to deliver it to.
                let message = at
                    .webhook
                    .then(|| crate::timeline::message_of(&r.event, r.meta.at))
                    .flatten();
                if let Some(msg) = message {
                    self.pending.insert(
                        *message_id,
                        Pending {
                            message_id: msg.id,
                            dialog_id: at.dialog_id,
                            channel_id: at.channel_id,
                            external_chat_id: at.external_chat_id.to_owned(),
                            position: at.position,
                            author: msg.author,
                            text: msg.text,
                            attachments: msg.attachments,
                            quote: msg.quote,
                            created_at: msg.created_at,
                            template: msg.template,
                        },
                    );
                }
            }
            DialogEvent::MessageStatusChanged {
                message_id,
                status,
                external_message_id,
                ..
            } => {
                if *status != MessageStatus::Queued {
                    self.pending.remove(message_id);
                }
                if let Some(ext) = external_message_id {
                    self.by_external
                        .insert((at.channel_id, ext.clone()), *message_id);
                }
            }
            DialogEvent::DialogDeleted {} => {
                self.pending.retain(|_, p| p.dialog_id != at.dialog_id);
                self.notices.retain(|_, n| n.dialog_id != at.dialog_id);
            }
            DialogEvent::MessageEdited { message_id, text } => {
                let kind = NoticeKind::Updated { text: text.clone() };
                self.notice(r.meta.actor, *message_id, kind, r, at);
            }
            DialogEvent::MessageDeleted { message_id } => {
                self.notice(r.meta.actor, *message_id, NoticeKind::Deleted, r, at);
            }
            DialogEvent::ReactionSet {
                message_id,
                by,
                emoji,
            } => {
                let kind = NoticeKind::Reaction {
                    emoji: emoji.clone(),
                };
                self.notice(*by, *message_id, kind, r, at);
            }
            DialogEvent::NoticeDelivered { event_id, .. } => {
                self.notices.remove(event_id);
            }
            _ => {}
        }
    }

    /// Changes made by a user or bot are told to a channel with a webhook; what the integration
    /// reported (the customer's) came from it.
    fn notice(
        &mut self,
        by: Actor,
        message_id: MessageId,
        kind: NoticeKind,
        r: &Recorded<DialogEvent>,
        at: At<'_>,
    ) {
        if !at.webhook || !matches!(by, Actor::User { .. } | Actor::Bot { .. }) {
            return;
        }
        let event_id = event_id(at.dialog_id, at.position);
        self.notices.insert(
            event_id,
            Notice {
                event_id,
                message_id,
                dialog_id: at.dialog_id,
                channel_id: at.channel_id,
                external_chat_id: at.external_chat_id.to_owned(),
                position: at.position,
                by,
                kind,
                at: r.meta.at,
            },
        );
    }

    /// The dialog of an outgoing message named by our id or by the integration's.
    pub fn find(
        &self,
        channel: ChannelId,
        ours: Option<MessageId>,
        theirs: Option<&str>,
    ) -> Option<(DialogId, MessageId)> {
        let id = match (ours, theirs) {
            (Some(id), _) => id,
            (None, Some(ext)) => *self.by_external.get(&(channel, ext.to_owned()))?,
            (None, None) => return None,
        };
        self.dialog_of.get(&id).map(|d| (*d, id))
    }
}
