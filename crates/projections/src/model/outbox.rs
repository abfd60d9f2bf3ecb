//! Outgoing messages and their delivery: which are still waiting for the channel's webhook (the
//! delivery worker's to-do list, driven from the log so that a restart resumes it), and how the
//! transport's status reports find a message, by our id or by the integration's.

use chatd_domain::dialog::DialogEvent;
use chatd_domain::Recorded;
use chatd_domain::{Actor, Attachment, ChannelId, DialogId, MessageId, MessageStatus, Quote};
use chatd_store::Position;
use std::collections::HashMap;
use time::OffsetDateTime;

/// A message a manager or bot sent that no report has moved past `queued` yet.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Pending {
    pub message_id: MessageId,
    pub dialog_id: DialogId,
    pub channel_id: ChannelId,
    pub external_chat_id: String,
    /// Where it was sent in the log: deliveries of one dialog go in this order.
    pub position: Position,
    pub author: Actor,
    pub text: String,
    pub attachments: Vec<Attachment>,
    pub quote: Option<Quote>,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Default)]
pub struct Outbox {
    pub pending: HashMap<MessageId, Pending>,
    /// Every outgoing message's dialog, for reports by our id.
    pub dialog_of: HashMap<MessageId, DialogId>,
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
                let message = crate::timeline::message_of(&r.event, r.meta.at);
                if let Some(msg) = message.filter(|_| at.webhook) {
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
            }
            _ => {}
        }
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
