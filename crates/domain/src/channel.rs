//! Channel types, what a channel can carry (R20) and its attachment size limits (R7).

use crate::error::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::sync::Arc;
use time::OffsetDateTime;

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

/// What a channel declares it can carry (R20, R21–R23).
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// Longest text the channel carries; the effective limit is the lower of this and R8's 2000.
    pub text_max_len: usize,
    pub quoting: bool,
    /// R21: sent messages can be edited (and the integration reports customers' edits).
    pub editing: bool,
    /// R22: sent messages can be deleted (and the integration reports customers' deletions).
    pub deleting: bool,
    /// The integration reports `delivered`.
    pub delivered_status: bool,
    /// The integration reports `read`.
    pub read_status: bool,
    pub max_attachments: usize,
    /// R21: an outgoing message can be edited only this many seconds after it was sent;
    /// `null`: no limit.
    #[serde(default)]
    pub edit_window_s: Option<u64>,
    /// R23: the channel carries reactions.
    #[serde(default)]
    pub reactions: bool,
    /// R25: free-form messages only until this many seconds after the customer's latest
    /// message; `null`: no window.
    #[serde(default)]
    pub reply_window_s: Option<u64>,
    /// R23: the emoji it carries; `null`: any. Shared: a profile is copied into every message
    /// command, the list is not.
    #[serde(default)]
    #[cfg_attr(feature = "schema", schema(value_type = Option<Vec<String>>))]
    pub reaction_emoji: Option<Arc<[String]>>,
}

/// Telegram's reaction set (Bot API `ReactionTypeEmoji`): a chat carries these and no others.
pub const TELEGRAM_REACTIONS: &[&str] = &[
    "👍",
    "👎",
    "❤",
    "🔥",
    "🥰",
    "👏",
    "😁",
    "🤔",
    "🤯",
    "😱",
    "🤬",
    "😢",
    "🎉",
    "🤩",
    "🤮",
    "💩",
    "🙏",
    "👌",
    "🕊",
    "🤡",
    "🥱",
    "🥴",
    "😍",
    "🐳",
    "❤\u{200d}🔥",
    "🌚",
    "🌭",
    "💯",
    "🤣",
    "⚡",
    "🍌",
    "🏆",
    "💔",
    "🤨",
    "😐",
    "🍓",
    "🍾",
    "💋",
    "🖕",
    "😈",
    "😴",
    "😭",
    "🤓",
    "👻",
    "👨\u{200d}💻",
    "👀",
    "🎃",
    "🙈",
    "😇",
    "😨",
    "🤝",
    "✍",
    "🤗",
    "🫡",
    "🎅",
    "🎄",
    "☃",
    "💅",
    "🤪",
    "🗿",
    "🆒",
    "💘",
    "🙉",
    "🦄",
    "😘",
    "💊",
    "🙊",
    "😎",
    "👾",
    "🤷\u{200d}♂",
    "🤷",
    "🤷\u{200d}♀",
    "😡",
];

/// Instagram's messaging API sends and reports one reaction: a heart.
pub const INSTAGRAM_REACTIONS: &[&str] = &["❤️"];

/// WhatsApp lets a message be edited for 15 minutes after it was sent.
pub const WHATSAPP_EDIT_WINDOW_S: u64 = 15 * 60;
/// Messenger lets a message be edited for 15 minutes after it was sent.
pub const MESSENGER_EDIT_WINDOW_S: u64 = 15 * 60;
/// Telegram lets a business account's messages be edited for 48 hours.
pub const TELEGRAM_EDIT_WINDOW_S: u64 = 48 * 3600;

/// The most emoji a channel may list, and the longest one (bytes): bounds on what is stored.
pub const MAX_REACTION_EMOJI: usize = 200;
pub const MAX_EMOJI_BYTES: usize = 32;

impl Capabilities {
    /// What each platform allows (documented in `docs/CHANNELS.md`): editing and deleting where
    /// the platform's API carries them, its edit window, and the reactions it carries.
    pub fn default_for(channel: ChannelType) -> Self {
        use ChannelType::*;
        let (delivered, read) = match channel {
            Telegram => (false, false),
            _ => (true, true),
        };
        let (editing, edit_window_s, deleting) = match channel {
            Telegram => (true, Some(TELEGRAM_EDIT_WINDOW_S), true),
            WhatsappQr | WhatsappBusiness => (true, Some(WHATSAPP_EDIT_WINDOW_S), true),
            // Messenger lets a message be edited for 15 minutes; both report unsent messages.
            Facebook => (true, Some(MESSENGER_EDIT_WINDOW_S), true),
            Instagram => (false, None, true),
            Livechat | Custom => (true, None, true),
        };
        let reaction_emoji = match channel {
            Telegram => Some(TELEGRAM_REACTIONS),
            Instagram => Some(INSTAGRAM_REACTIONS),
            _ => None,
        };
        Capabilities {
            text_max_len: MAX_TEXT_CHARS,
            quoting: true,
            editing,
            deleting,
            delivered_status: delivered,
            read_status: read,
            max_attachments: MAX_ATTACHMENTS,
            edit_window_s,
            reply_window_s: match channel {
                WhatsappBusiness | Facebook | Instagram => Some(crate::template::DAY_S),
                _ => None,
            },
            reactions: true,
            reaction_emoji: reaction_emoji.map(|l| l.iter().map(|e| (*e).to_owned()).collect()),
        }
    }

    /// What a registration or an update may declare.
    pub fn check(&self) -> Result<(), DomainError> {
        if let Some(list) = &self.reaction_emoji {
            if list.len() > MAX_REACTION_EMOJI {
                return Err(DomainError::invalid(
                    "capabilities.reaction_emoji",
                    format!("at most {MAX_REACTION_EMOJI} emoji"),
                ));
            }
            for e in list.iter() {
                check_emoji(e)?;
            }
        }
        Ok(())
    }
}

/// R23: what counts as a reaction: a short string of symbols (no letters, digits, spaces or
/// control characters), as messengers send them.
pub fn check_emoji(e: &str) -> Result<(), DomainError> {
    let bad = e.is_empty()
        || e.len() > MAX_EMOJI_BYTES
        || e.chars()
            .any(|c| c.is_alphanumeric() || c.is_whitespace() || c.is_control());
    if bad {
        return Err(DomainError::invalid(
            "emoji",
            format!("must be one emoji (1 to {MAX_EMOJI_BYTES} bytes, no letters or spaces)"),
        ));
    }
    Ok(())
}

/// `Option<Option<T>>` from JSON: absent is `None` (keep), `null` is `Some(None)` (clear).
fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// R38: a partial `capabilities` object. What it names replaces the current value (on an
/// update) or the channel type's default (on registration); the rest is kept.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct CapabilitiesPatch {
    pub text_max_len: Option<usize>,
    pub quoting: Option<bool>,
    pub editing: Option<bool>,
    pub deleting: Option<bool>,
    pub delivered_status: Option<bool>,
    pub read_status: Option<bool>,
    pub max_attachments: Option<usize>,
    /// `null`: no edit window.
    #[serde(default, deserialize_with = "double_option")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<u64>))]
    pub edit_window_s: Option<Option<u64>>,
    pub reactions: Option<bool>,
    /// `null`: no reply window.
    #[serde(default, deserialize_with = "double_option")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<u64>))]
    pub reply_window_s: Option<Option<u64>>,
    /// `null`: any emoji.
    #[serde(default, deserialize_with = "double_option")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<Vec<String>>))]
    pub reaction_emoji: Option<Option<Arc<[String]>>>,
}

impl CapabilitiesPatch {
    pub fn is_empty(&self) -> bool {
        *self == CapabilitiesPatch::default()
    }

    /// `base` with what this patch names replaced.
    pub fn apply(&self, base: &Capabilities) -> Capabilities {
        let mut c = base.clone();
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = &self.$f { c.$f = v.clone(); } )* };
        }
        set!(
            text_max_len,
            quoting,
            editing,
            deleting,
            delivered_status,
            read_status,
            max_attachments,
            edit_window_s,
            reactions,
            reply_window_s,
            reaction_emoji
        );
        c
    }
}

/// R38: a partial `limits` object (bytes per kind; `null`: the kind is not carried).
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct LimitsPatch {
    #[serde(default, deserialize_with = "double_option")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<u64>))]
    pub image: Option<Option<u64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<u64>))]
    pub audio: Option<Option<u64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<u64>))]
    pub video: Option<Option<u64>>,
    #[serde(default, deserialize_with = "double_option")]
    #[cfg_attr(feature = "schema", schema(value_type = Option<u64>))]
    pub file: Option<Option<u64>>,
}

impl LimitsPatch {
    pub fn is_empty(&self) -> bool {
        *self == LimitsPatch::default()
    }

    /// `base` with what this patch names replaced.
    pub fn apply(&self, base: &AttachmentLimits) -> AttachmentLimits {
        AttachmentLimits {
            image: self.image.unwrap_or(base.image),
            audio: self.audio.unwrap_or(base.audio),
            video: self.video.unwrap_or(base.video),
            file: self.file.unwrap_or(base.file),
        }
    }
}

/// Everything the dialog rules need to know about the dialog's channel at decision time.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChannelProfile {
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    pub capabilities: Capabilities,
    pub limits: AttachmentLimits,
}

impl ChannelProfile {
    pub fn default_for(channel_type: ChannelType) -> Self {
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

    /// R21: may a message sent at `sent` be edited at `now`?
    pub fn check_edit(&self, sent: OffsetDateTime, now: OffsetDateTime) -> Result<(), DomainError> {
        if !self.capabilities.editing {
            return Err(DomainError::UnsupportedByChannel {
                what: "editing".into(),
            });
        }
        match self.capabilities.edit_window_s {
            Some(w) if now - sent > time::Duration::seconds(w.min(i64::MAX as u64) as i64) => {
                Err(DomainError::EditWindowPassed { seconds: w })
            }
            _ => Ok(()),
        }
    }

    /// R22
    pub fn check_delete(&self) -> Result<(), DomainError> {
        if self.capabilities.deleting {
            Ok(())
        } else {
            Err(DomainError::UnsupportedByChannel {
                what: "deleting".into(),
            })
        }
    }

    /// R23: a reaction the channel carries (`None` clears one, always allowed where reactions are).
    pub fn check_reaction(&self, emoji: Option<&str>) -> Result<(), DomainError> {
        if !self.capabilities.reactions {
            return Err(DomainError::UnsupportedByChannel {
                what: "reactions".into(),
            });
        }
        let Some(e) = emoji else { return Ok(()) };
        check_emoji(e)?;
        match &self.capabilities.reaction_emoji {
            Some(list) if !list.iter().any(|l| l == e) => Err(DomainError::UnsupportedByChannel {
                what: format!("the reaction {e}"),
            }),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r38_a_patch_replaces_what_it_names_and_keeps_the_rest() {
        let base = Capabilities::default_for(ChannelType::WhatsappBusiness);
        let patch: CapabilitiesPatch =
            serde_json::from_str(r#"{"reply_window_s": 10, "edit_window_s": null}"#).unwrap();
        let got = patch.apply(&base);
        assert_eq!(got.reply_window_s, Some(10));
        assert_eq!(got.edit_window_s, None, "null clears");
        assert_eq!(
            Capabilities {
                reply_window_s: base.reply_window_s,
                edit_window_s: base.edit_window_s,
                ..got
            },
            base,
            "nothing else moved"
        );
        assert!(CapabilitiesPatch::default().is_empty());
        assert_eq!(CapabilitiesPatch::default().apply(&base), base);

        let limits = AttachmentLimits::default_for(ChannelType::Telegram);
        let patch: LimitsPatch = serde_json::from_str(r#"{"video": null, "file": 7}"#).unwrap();
        assert_eq!(
            patch.apply(&limits),
            AttachmentLimits {
                video: None,
                file: Some(7),
                ..limits
            }
        );
    }
}
