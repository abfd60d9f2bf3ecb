//! What administrators and managers set up: channels (`channel-<uuid>`, R20), tags (`tag-<uuid>`,
//! R19), quick replies (`quickreply-<uuid>`, R10) and chat settings (`settings-chat`, R15).

use crate::actor::{Principal, Right, Role};
use crate::channel::{AttachmentLimits, Capabilities, ChannelType};
use crate::error::DomainError;
use crate::event::{Command, DomainEvent, Recorded};
use crate::ids::{ChannelId, MessageId, QuickReplyId, TagId, UserId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn require_right(by: &Principal, right: Right) -> Result<(), DomainError> {
    if by.has_right(right) || *by == Principal::System {
        Ok(())
    } else {
        Err(DomainError::MissingRight(right))
    }
}

fn require_staff(by: &Principal) -> Result<(), DomainError> {
    match by {
        Principal::User { role, .. } if *role != Role::Auditor => Ok(()),
        Principal::System => Ok(()),
        _ => Err(DomainError::Forbidden),
    }
}

fn check_name(field: &'static str, name: &str, max: usize) -> Result<(), DomainError> {
    if name.trim().is_empty() {
        Err(DomainError::invalid(field, "must not be empty"))
    } else if name.chars().count() > max {
        Err(DomainError::invalid(
            field,
            format!("at most {max} characters"),
        ))
    } else {
        Ok(())
    }
}

// ---- channels ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum ChannelEvent {
    ChannelRegistered {
        channel_id: ChannelId,
        channel_type: ChannelType,
        name: String,
        webhook_url: Option<String>,
        capabilities: Capabilities,
        limits: AttachmentLimits,
        /// SHA-256 of the transport token; the token itself is shown once.
        transport_token_hash: String,
        /// Key of the webhook HMAC; the audit API redacts it.
        webhook_secret: String,
    },
    ChannelUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        webhook_url: Option<Option<String>>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        capabilities: Option<Capabilities>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        limits: Option<AttachmentLimits>,
    },
}

impl DomainEvent for ChannelEvent {
    const CATEGORY: &'static str = "channel";
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Channel {
    pub id: Option<ChannelId>,
    pub channel_type: Option<ChannelType>,
    pub name: String,
    pub webhook_url: Option<String>,
    pub capabilities: Option<Capabilities>,
    pub limits: Option<AttachmentLimits>,
    pub transport_token_hash: String,
    pub webhook_secret: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelCommand {
    Register {
        channel_id: ChannelId,
        channel_type: ChannelType,
        name: String,
        webhook_url: Option<String>,
        capabilities: Option<Capabilities>,
        limits: Option<AttachmentLimits>,
        transport_token_hash: String,
        webhook_secret: String,
    },
    Update {
        name: Option<String>,
        webhook_url: Option<Option<String>>,
        capabilities: Option<Capabilities>,
        limits: Option<AttachmentLimits>,
    },
}

fn check_webhook(url: &Option<String>) -> Result<(), DomainError> {
    match url {
        Some(u) if !(u.starts_with("http://") || u.starts_with("https://")) => Err(
            DomainError::invalid("webhook_url", "must be an http:// or https:// URL"),
        ),
        _ => Ok(()),
    }
}

pub fn decide_channel(
    state: &Channel,
    cmd: &Command<ChannelCommand>,
) -> Result<Vec<ChannelEvent>, DomainError> {
    require_right(&cmd.by, Right::SettingsManage)?;
    match &cmd.body {
        ChannelCommand::Register {
            channel_id,
            channel_type,
            name,
            webhook_url,
            capabilities,
            limits,
            transport_token_hash,
            webhook_secret,
        } => {
            if state.id.is_some() {
                return Err(DomainError::AlreadyExists);
            }
            check_name("name", name, 200)?;
            check_webhook(webhook_url)?;
            Ok(vec![ChannelEvent::ChannelRegistered {
                channel_id: *channel_id,
                channel_type: *channel_type,
                name: name.clone(),
                webhook_url: webhook_url.clone(),
                capabilities: capabilities.unwrap_or(Capabilities::default_for(*channel_type)),
                limits: limits.unwrap_or(AttachmentLimits::default_for(*channel_type)),
                transport_token_hash: transport_token_hash.clone(),
                webhook_secret: webhook_secret.clone(),
            }])
        }
        ChannelCommand::Update {
            name,
            webhook_url,
            capabilities,
            limits,
        } => {
            state.id.ok_or(DomainError::NotFound)?;
            if let Some(n) = name {
                check_name("name", n, 200)?;
            }
            if let Some(u) = webhook_url {
                check_webhook(u)?;
            }
            Ok(vec![ChannelEvent::ChannelUpdated {
                name: name.clone(),
                webhook_url: webhook_url.clone(),
                capabilities: *capabilities,
                limits: *limits,
            }])
        }
    }
}

pub fn evolve_channel(mut state: Channel, recorded: &Recorded<ChannelEvent>) -> Channel {
    match &recorded.event {
        ChannelEvent::ChannelRegistered {
            channel_id,
            channel_type,
            name,
            webhook_url,
            capabilities,
            limits,
            transport_token_hash,
            webhook_secret,
        } => {
            state = Channel {
                id: Some(*channel_id),
                channel_type: Some(*channel_type),
                name: name.clone(),
                webhook_url: webhook_url.clone(),
                capabilities: Some(*capabilities),
                limits: Some(*limits),
                transport_token_hash: transport_token_hash.clone(),
                webhook_secret: webhook_secret.clone(),
            }
        }
        ChannelEvent::ChannelUpdated {
            name,
            webhook_url,
            capabilities,
            limits,
        } => {
            if let Some(n) = name {
                state.name.clone_from(n);
            }
            if let Some(u) = webhook_url {
                state.webhook_url.clone_from(u);
            }
            if capabilities.is_some() {
                state.capabilities = *capabilities;
            }
            if limits.is_some() {
                state.limits = *limits;
            }
        }
    }
    state
}

// ---- tags ----

/// R19: one of twelve colours.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TagColor {
    Red,
    Orange,
    Yellow,
    Lime,
    Green,
    Teal,
    Cyan,
    Blue,
    Indigo,
    Purple,
    Pink,
    Grey,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum TagEvent {
    TagCreated {
        tag_id: TagId,
        name: String,
        color: TagColor,
    },
    TagUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        color: Option<TagColor>,
    },
}

impl DomainEvent for TagEvent {
    const CATEGORY: &'static str = "tag";
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tag {
    pub id: Option<TagId>,
    pub name: String,
    pub color: Option<TagColor>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagCommand {
    Create {
        tag_id: TagId,
        name: String,
        color: TagColor,
    },
    Update {
        name: Option<String>,
        color: Option<TagColor>,
    },
}

pub fn decide_tag(state: &Tag, cmd: &Command<TagCommand>) -> Result<Vec<TagEvent>, DomainError> {
    require_staff(&cmd.by)?;
    match &cmd.body {
        TagCommand::Create {
            tag_id,
            name,
            color,
        } => {
            if state.id.is_some() {
                return Err(DomainError::AlreadyExists);
            }
            check_name("name", name, 100)?;
            Ok(vec![TagEvent::TagCreated {
                tag_id: *tag_id,
                name: name.clone(),
                color: *color,
            }])
        }
        TagCommand::Update { name, color } => {
            state.id.ok_or(DomainError::NotFound)?;
            if let Some(n) = name {
                check_name("name", n, 100)?;
            }
            Ok(vec![TagEvent::TagUpdated {
                name: name.clone(),
                color: *color,
            }])
        }
    }
}

pub fn evolve_tag(mut state: Tag, recorded: &Recorded<TagEvent>) -> Tag {
    match &recorded.event {
        TagEvent::TagCreated {
            tag_id,
            name,
            color,
        } => {
            state = Tag {
                id: Some(*tag_id),
                name: name.clone(),
                color: Some(*color),
            }
        }
        TagEvent::TagUpdated { name, color } => {
            if let Some(n) = name {
                state.name.clone_from(n);
            }
            if color.is_some() {
                state.color = *color;
            }
        }
    }
    state
}

// ---- quick replies ----

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum QuickReplyEvent {
    QuickReplyCreated {
        quick_reply_id: QuickReplyId,
        /// `None`: shared with everyone; otherwise personal to this user.
        owner: Option<UserId>,
        name: String,
        text: String,
        /// R10 "lightning": created from this message.
        from_message_id: Option<MessageId>,
    },
    QuickReplyUpdated {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        name: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    QuickReplyUsed {},
    QuickReplyDeleted {},
}

impl DomainEvent for QuickReplyEvent {
    const CATEGORY: &'static str = "quickreply";
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuickReply {
    pub id: Option<QuickReplyId>,
    pub owner: Option<UserId>,
    pub name: String,
    pub text: String,
    pub uses: u64,
    pub deleted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuickReplyCommand {
    Create {
        quick_reply_id: QuickReplyId,
        shared: bool,
        name: String,
        text: String,
        from_message_id: Option<MessageId>,
    },
    Update {
        name: Option<String>,
        text: Option<String>,
    },
    Use,
    Delete,
}

fn check_reply_text(text: &str) -> Result<(), DomainError> {
    if text.trim().is_empty() {
        return Err(DomainError::EmptyMessage);
    }
    let max = crate::channel::MAX_TEXT_CHARS;
    if text.chars().count() > max {
        return Err(DomainError::TextTooLong { max });
    }
    Ok(())
}

/// Shared replies need `quick_replies.manage_shared`; personal ones belong to their owner.
fn require_reply_owner(state: &QuickReply, by: &Principal) -> Result<(), DomainError> {
    match state.owner {
        None => require_right(by, Right::QuickRepliesManageShared),
        Some(owner) if by.user_id() == Some(owner) => Ok(()),
        Some(_) => Err(DomainError::NotFound),
    }
}

pub fn decide_quick_reply(
    state: &QuickReply,
    cmd: &Command<QuickReplyCommand>,
) -> Result<Vec<QuickReplyEvent>, DomainError> {
    require_staff(&cmd.by)?;
    if let QuickReplyCommand::Create {
        quick_reply_id,
        shared,
        name,
        text,
        from_message_id,
    } = &cmd.body
    {
        if state.id.is_some() {
            return Err(DomainError::AlreadyExists);
        }
        let owner = if *shared {
            require_right(&cmd.by, Right::QuickRepliesManageShared)?;
            None
        } else {
            Some(cmd.by.user_id().ok_or(DomainError::Forbidden)?)
        };
        check_name("name", name, 100)?;
        check_reply_text(text)?;
        return Ok(vec![QuickReplyEvent::QuickReplyCreated {
            quick_reply_id: *quick_reply_id,
            owner,
            name: name.clone(),
            text: text.clone(),
            from_message_id: *from_message_id,
        }]);
    }
    if state.id.is_none() || state.deleted {
        return Err(DomainError::NotFound);
    }
    match &cmd.body {
        QuickReplyCommand::Create { .. } => unreachable!("handled above"),
        QuickReplyCommand::Use => match state.owner {
            Some(owner) if cmd.by.user_id() != Some(owner) => Err(DomainError::NotFound),
            _ => Ok(vec![QuickReplyEvent::QuickReplyUsed {}]),
        },
        QuickReplyCommand::Update { name, text } => {
            require_reply_owner(state, &cmd.by)?;
            if let Some(n) = name {
                check_name("name", n, 100)?;
            }
            if let Some(t) = text {
                check_reply_text(t)?;
            }
            Ok(vec![QuickReplyEvent::QuickReplyUpdated {
                name: name.clone(),
                text: text.clone(),
            }])
        }
        QuickReplyCommand::Delete => {
            require_reply_owner(state, &cmd.by)?;
            Ok(vec![QuickReplyEvent::QuickReplyDeleted {}])
        }
    }
}

pub fn evolve_quick_reply(
    mut state: QuickReply,
    recorded: &Recorded<QuickReplyEvent>,
) -> QuickReply {
    match &recorded.event {
        QuickReplyEvent::QuickReplyCreated {
            quick_reply_id,
            owner,
            name,
            text,
            ..
        } => {
            state = QuickReply {
                id: Some(*quick_reply_id),
                owner: *owner,
                name: name.clone(),
                text: text.clone(),
                uses: 0,
                deleted: false,
            }
        }
        QuickReplyEvent::QuickReplyUpdated { name, text } => {
            if let Some(n) = name {
                state.name.clone_from(n);
            }
            if let Some(t) = text {
                state.text.clone_from(t);
            }
        }
        QuickReplyEvent::QuickReplyUsed {} => state.uses += 1,
        QuickReplyEvent::QuickReplyDeleted {} => state.deleted = true,
    }
    state
}

// ---- settings ----

/// R15: seconds, multiples of 10, at least 10; `warning_after <= limit`.
#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimit {
    pub warning_after: u32,
    pub limit: u32,
}

impl TimeLimit {
    pub fn validate(&self) -> Result<(), DomainError> {
        for (field, v) in [("warning_after", self.warning_after), ("limit", self.limit)] {
            if v < 10 || v % 10 != 0 {
                return Err(DomainError::invalid(
                    field,
                    "seconds, a multiple of 10 and at least 10",
                ));
            }
        }
        if self.warning_after > self.limit {
            return Err(DomainError::invalid(
                "warning_after",
                "must not be later than limit",
            ));
        }
        Ok(())
    }
}

#[cfg_attr(feature = "schema", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeLimits {
    pub default: Option<TimeLimit>,
    #[serde(default)]
    pub channels: BTreeMap<ChannelId, TimeLimit>,
}

impl TimeLimits {
    /// The limit that applies to a dialog of `channel`, if any.
    pub fn for_channel(&self, channel: ChannelId) -> Option<TimeLimit> {
        self.channels.get(&channel).copied().or(self.default)
    }

    /// Whether any time limit is configured (R15: otherwise `processing_order` is unavailable).
    pub fn any(&self) -> bool {
        self.default.is_some() || !self.channels.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
pub enum SettingsEvent {
    TimeLimitsSet(TimeLimits),
}

impl DomainEvent for SettingsEvent {
    const CATEGORY: &'static str = "settings";
}

/// The id of the one settings stream, `settings-chat`.
pub const SETTINGS_ID: &str = "chat";
/// The one `settings-chat` stream.
pub const SETTINGS_STREAM: &str = "settings-chat";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    pub time_limits: TimeLimits,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsCommand {
    SetTimeLimits(TimeLimits),
}

pub fn decide_settings(
    state: &Settings,
    cmd: &Command<SettingsCommand>,
) -> Result<Vec<SettingsEvent>, DomainError> {
    require_right(&cmd.by, Right::SettingsManage)?;
    let SettingsCommand::SetTimeLimits(limits) = &cmd.body;
    if let Some(d) = &limits.default {
        d.validate()?;
    }
    for l in limits.channels.values() {
        l.validate()?;
    }
    Ok(if *limits == state.time_limits {
        vec![]
    } else {
        vec![SettingsEvent::TimeLimitsSet(limits.clone())]
    })
}

pub fn evolve_settings(mut state: Settings, recorded: &Recorded<SettingsEvent>) -> Settings {
    let SettingsEvent::TimeLimitsSet(limits) = &recorded.event;
    state.time_limits = limits.clone();
    state
}

crate::aggregate::aggregate!(
    Channel,
    ChannelEvent,
    ChannelCommand,
    decide_channel,
    evolve_channel
);
crate::aggregate::aggregate!(Tag, TagEvent, TagCommand, decide_tag, evolve_tag);
crate::aggregate::aggregate!(
    QuickReply,
    QuickReplyEvent,
    QuickReplyCommand,
    decide_quick_reply,
    evolve_quick_reply
);
crate::aggregate::aggregate!(
    Settings,
    SettingsEvent,
    SettingsCommand,
    decide_settings,
    evolve_settings
);
