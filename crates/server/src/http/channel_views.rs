//! How a channel is shown (SPEC §5, R20, R37).

use chatd_domain::channel::{AttachmentLimits, Capabilities, ChannelType};
use chatd_projections::model::catalog::ChannelView;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Serialize, ToSchema)]
pub struct ChannelOut {
    pub id: Uuid,
    #[serde(rename = "type")]
    pub channel_type: ChannelType,
    pub name: String,
    /// `null` also for a caller without `settings.manage` (integrators put keys in URLs).
    pub webhook_url: Option<String>,
    pub capabilities: Capabilities,
    pub limits: AttachmentLimits,
    /// Shown once, on creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport_token: Option<String>,
    /// Shown once, on creation.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
    /// R37: the reply a customer gets outside working hours (`null`: none).
    pub away_text: Option<String>,
}

pub fn channel(c: &ChannelView) -> ChannelOut {
    ChannelOut {
        id: c.id.0,
        channel_type: c.channel_type,
        name: c.name.clone(),
        webhook_url: c.webhook_url.clone(),
        capabilities: c.capabilities.clone(),
        limits: c.limits,
        transport_token: None,
        webhook_secret: None,
        away_text: c.away_text.clone(),
    }
}
