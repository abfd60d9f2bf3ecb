//! Channels (`channel-<uuid>`, R20): registration, capabilities, limits, webhook.

use super::*;

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
        /// R37: the reply a customer gets outside working hours (`null`: none).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        away_text: Option<Option<String>>,
    },
    /// R26: the integration published the channel's whole template set (replacing the last).
    TemplatesPublished { templates: Vec<Template> },
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
    /// R26
    pub templates: Vec<Template>,
    /// R37
    pub away_text: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChannelCommand {
    /// R38: the patches apply to the channel type's defaults.
    Register {
        channel_id: ChannelId,
        channel_type: ChannelType,
        name: String,
        webhook_url: Option<String>,
        capabilities: CapabilitiesPatch,
        limits: LimitsPatch,
        transport_token_hash: String,
        webhook_secret: String,
    },
    /// R38: the patches apply to the channel's current values.
    Update {
        name: Option<String>,
        webhook_url: Option<Option<String>>,
        capabilities: CapabilitiesPatch,
        limits: LimitsPatch,
        /// R37: `Some(None)` removes the away text.
        away_text: Option<Option<String>>,
    },
    /// R26: by the channel's integration.
    PublishTemplates { templates: Vec<Template> },
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
    if let ChannelCommand::PublishTemplates { templates } = &cmd.body {
        let own = matches!(cmd.by, Principal::Channel { id } if Some(id) == state.id);
        if !own {
            return Err(DomainError::Forbidden);
        }
        check_set(templates)?;
        return Ok(if *templates == state.templates {
            vec![]
        } else {
            vec![ChannelEvent::TemplatesPublished {
                templates: templates.clone(),
            }]
        });
    }
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
            let capabilities = capabilities.apply(&Capabilities::default_for(*channel_type));
            capabilities.check()?;
            Ok(vec![ChannelEvent::ChannelRegistered {
                channel_id: *channel_id,
                channel_type: *channel_type,
                name: name.clone(),
                webhook_url: webhook_url.clone(),
                capabilities,
                limits: limits.apply(&AttachmentLimits::default_for(*channel_type)),
                transport_token_hash: transport_token_hash.clone(),
                webhook_secret: webhook_secret.clone(),
            }])
        }
        ChannelCommand::PublishTemplates { .. } => unreachable!("decided above"),
        ChannelCommand::Update {
            name,
            webhook_url,
            capabilities,
            limits,
            away_text,
        } => {
            state.id.ok_or(DomainError::NotFound)?;
            if let Some(Some(t)) = away_text {
                check_name("away_text", t, crate::channel::MAX_TEXT_CHARS)?;
            }
            let channel_type = state.channel_type.ok_or(DomainError::NotFound)?;
            if let Some(n) = name {
                check_name("name", n, 200)?;
            }
            if let Some(u) = webhook_url {
                check_webhook(u)?;
            }
            let capabilities = (!capabilities.is_empty())
                .then(|| {
                    let current = state
                        .capabilities
                        .clone()
                        .unwrap_or_else(|| Capabilities::default_for(channel_type));
                    let merged = capabilities.apply(&current);
                    merged.check().map(|()| merged)
                })
                .transpose()?;
            let limits = (!limits.is_empty()).then(|| {
                limits.apply(
                    &state
                        .limits
                        .unwrap_or(AttachmentLimits::default_for(channel_type)),
                )
            });
            Ok(vec![ChannelEvent::ChannelUpdated {
                name: name.clone(),
                webhook_url: webhook_url.clone(),
                capabilities,
                limits,
                away_text: away_text.clone(),
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
                capabilities: Some(capabilities.clone()),
                limits: Some(*limits),
                transport_token_hash: transport_token_hash.clone(),
                webhook_secret: webhook_secret.clone(),
                templates: Vec::new(),
                away_text: None,
            }
        }
        ChannelEvent::TemplatesPublished { templates } => state.templates.clone_from(templates),
        ChannelEvent::ChannelUpdated {
            name,
            webhook_url,
            capabilities,
            limits,
            away_text,
        } => {
            if let Some(t) = away_text {
                state.away_text.clone_from(t);
            }
            if let Some(n) = name {
                state.name.clone_from(n);
            }
            if let Some(u) = webhook_url {
                state.webhook_url.clone_from(u);
            }
            if capabilities.is_some() {
                state.capabilities.clone_from(capabilities);
            }
            if limits.is_some() {
                state.limits = *limits;
            }
        }
    }
    state
}

crate::aggregate::aggregate!(
    Channel,
    ChannelEvent,
    ChannelCommand,
    decide_channel,
    evolve_channel
);
