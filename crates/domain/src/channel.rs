//! Channel types, what a channel can carry (R20) and its attachment size limits (R7).

use crate::error::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One megabyte in the seed's table: 1 MiB.
pub const MB: u64 = 1024 * 1024;
/// R8: the most characters (Unicode scalar values) a message may hold.
pub const MAX_TEXT_CHARS: usize = 2000;
/// R7: the most attachments one message may hold.
pub const MAX_ATTACHMENTS: usize = 10;

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChannelType {
    Telegram,
    WhatsappQr,
    WhatsappBusiness,
    Facebook,
    Instagram,
    Livechat,
    Custom,
}

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentKind {
    Image,
    Audio,
    Video,
    File,
}

impl AttachmentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttachmentKind::Image => "image",
            AttachmentKind::Audio => "audio",
            AttachmentKind::Video => "video",
            AttachmentKind::File => "file",
        }
    }
}

impl fmt::Display for AttachmentKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Per-kind size limits in bytes; `None` means the kind is not carried at all.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentLimits {
    pub image: Option<u64>,
    pub audio: Option<u64>,
    pub video: Option<u64>,
    pub file: Option<u64>,
}

impl AttachmentLimits {
    const fn mb(image: Option<u64>, audio: Option<u64>, video: Option<u64>, file: u64) -> Self {
        const fn m(v: Option<u64>) -> Option<u64> {
            match v {
                Some(n) => Some(n * MB),
                None => None,
            }
        }
        AttachmentLimits {
            image: m(image),
            audio: m(audio),
            video: m(video),
            file: Some(file * MB),
        }
    }

    /// The seed's table (R7); live chat and custom channels get 25 MB for every kind.
    pub const fn default_for(channel: ChannelType) -> Self {
        match channel {
            ChannelType::Facebook | ChannelType::Instagram => Self::mb(Some(8), Some(25), None, 25),
            ChannelType::WhatsappQr => Self::mb(Some(64), Some(64), Some(64), 100),
            ChannelType::WhatsappBusiness => Self::mb(Some(5), Some(16), Some(16), 100),
            ChannelType::Telegram => Self::mb(Some(10), Some(50), Some(50), 50),
            ChannelType::Livechat | ChannelType::Custom => {
                Self::mb(Some(25), Some(25), Some(25), 25)
            }
        }
    }

    pub fn limit(&self, kind: AttachmentKind) -> Option<u64> {
        match kind {
            AttachmentKind::Image => self.image,
            AttachmentKind::Audio => self.audio,
            AttachmentKind::Video => self.video,
            AttachmentKind::File => self.file,
        }
    }
}

/// What a channel declares it can carry (R20).
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// Longest text the channel carries; the effective limit is the lower of this and R8's 2000.
    pub text_max_len: usize,
    pub quoting: bool,
    pub editing: bool,
    pub deleting: bool,
    /// The integration reports `delivered`.
    pub delivered_status: bool,
    /// The integration reports `read`.
    pub read_status: bool,
    pub max_attachments: usize,
}

impl Capabilities {
    pub const fn default_for(channel: ChannelType) -> Self {
        let (delivered, read) = match channel {
            ChannelType::Telegram => (false, false),
            _ => (true, true),
        };
        Capabilities {
            text_max_len: MAX_TEXT_CHARS,
            quoting: true,
            editing: false,
            deleting: false,
            delivered_status: delivered,
            read_status: read,
            max_attachments: MAX_ATTACHMENTS,
        }
    }
}

/// Everything the dialog rules need to know about the dialog's channel at decision time.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelProfile {
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    pub capabilities: Capabilities,
    pub limits: AttachmentLimits,
}

impl ChannelProfile {
    pub const fn default_for(channel_type: ChannelType) -> Self {
        ChannelProfile {
            channel_type,
            capabilities: Capabilities::default_for(channel_type),
            limits: AttachmentLimits::default_for(channel_type),
        }
    }

    /// R8 and R20 on the text of a message we send.
    pub fn check_text(&self, text: &str, has_attachments: bool) -> Result<(), DomainError> {
        let chars = text.chars().count();
        if chars == 0 && !has_attachments {
            return Err(DomainError::EmptyMessage);
        }
        if text.trim().is_empty() && !has_attachments {
            return Err(DomainError::EmptyMessage);
        }
        if chars > MAX_TEXT_CHARS {
            return Err(DomainError::TextTooLong {
                max: MAX_TEXT_CHARS,
            });
        }
        if chars > self.capabilities.text_max_len {
            return Err(DomainError::UnsupportedByChannel {
                what: format!(
                    "texts longer than {} characters",
                    self.capabilities.text_max_len
                ),
            });
        }
        Ok(())
    }

    /// R7 and R20 on a message's attachments: count, kind and per-kind size.
    pub fn check_attachments(&self, attachments: &[crate::Attachment]) -> Result<(), DomainError> {
        let max = self.capabilities.max_attachments.min(MAX_ATTACHMENTS);
        if attachments.len() > max {
            return Err(DomainError::TooManyAttachments { max });
        }
        for a in attachments {
            match self.limits.limit(a.kind) {
                None => {
                    return Err(DomainError::UnsupportedByChannel {
                        what: format!("{} attachments", a.kind),
                    })
                }
                Some(limit) if a.size > limit => {
                    return Err(DomainError::AttachmentTooLarge {
                        kind: a.kind,
                        size: a.size,
                        limit,
                    })
                }
                Some(_) => {}
            }
        }
        Ok(())
    }
}
