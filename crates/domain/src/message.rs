//! Message parts shared by events and read models: attachments, quotes and delivery statuses.

use crate::actor::Actor;
use crate::channel::AttachmentKind;
use crate::ids::{FileId, MessageId};
use serde::{Deserialize, Serialize};

/// A file attached to a message; the bytes live in the file store under `file_id`.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attachment {
    pub file_id: FileId,
    pub kind: AttachmentKind,
    pub name: String,
    pub mime: String,
    pub size: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub width: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height: Option<u32>,
}

/// R9: the quoted message's text and author, embedded at the time of quoting.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub message_id: MessageId,
    pub author: Actor,
    pub text: String,
}

/// R14: delivery status of an outgoing message. Forward only: queued < sent < delivered < read;
/// `failed` is terminal and reachable before delivery only.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MessageStatus {
    Queued,
    Sent,
    Delivered,
    Read,
    Failed,
}

impl MessageStatus {
    fn rank(self) -> u8 {
        match self {
            MessageStatus::Queued => 0,
            MessageStatus::Sent => 1,
            MessageStatus::Delivered => 2,
            MessageStatus::Read => 3,
            MessageStatus::Failed => 4,
        }
    }

    /// Whether a report of `next` moves a message that is `self` forward.
    pub fn advances_to(self, next: MessageStatus) -> bool {
        match (self, next) {
            (MessageStatus::Failed, _) => false,
            (MessageStatus::Queued | MessageStatus::Sent, MessageStatus::Failed) => true,
            (_, MessageStatus::Failed) => false,
            (cur, next) => next.rank() > cur.rank(),
        }
    }
}

/// Why a message failed: `{code, message}`.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageError {
    pub code: String,
    pub message: String,
}
