//! Channels, tags, quick replies, orders and chat settings.

use chatd_domain::channel::{AttachmentLimits, Capabilities, ChannelProfile, ChannelType};
use chatd_domain::customer::Source;
use chatd_domain::order::{OrderEvent, OrderStatus};
use chatd_domain::setup::{ChannelEvent, QuickReplyEvent, TagColor, TagEvent};
use chatd_domain::{
    ChannelId, CustomerId, DialogId, MessageId, OrderId, QuickReplyId, Recorded, TagId, UserId,
};
use std::collections::HashMap;
use time::OffsetDateTime;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChannelView {
    pub id: ChannelId,
    pub channel_type: ChannelType,
    pub name: String,
    pub webhook_url: Option<String>,
    pub capabilities: Capabilities,
    pub limits: AttachmentLimits,
    pub transport_token_hash: String,
    pub webhook_secret: String,
}

impl ChannelView {
    pub fn profile(&self) -> ChannelProfile {
        ChannelProfile {
            channel_type: self.channel_type,
            capabilities: self.capabilities,
            limits: self.limits,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TagView {
    pub id: TagId,
    pub name: String,
    pub color: TagColor,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct QuickReplyView {
    pub id: QuickReplyId,
    pub owner: Option<UserId>,
    pub name: String,
    pub text: String,
    pub uses: u64,
    pub from_message_id: Option<MessageId>,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OrderView {
    pub id: OrderId,
    pub dialog_id: DialogId,
    pub customer_id: Option<CustomerId>,
    pub manager_id: Option<UserId>,
    pub status: OrderStatus,
    pub source: Option<Source>,
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Default)]
pub struct Catalog {
    pub channels: HashMap<ChannelId, ChannelView>,
    channel_tokens: HashMap<String, ChannelId>,
    pub tags: HashMap<TagId, TagView>,
    pub quick_replies: HashMap<QuickReplyId, QuickReplyView>,
    pub orders: HashMap<OrderId, OrderView>,
}

impl Catalog {
    pub fn channel_by_token(&self, token_hash: &str) -> Option<&ChannelView> {
        self.channel_tokens
            .get(token_hash)
            .and_then(|id| self.channels.get(id))
    }

    pub(crate) fn insert_channel(&mut self, c: ChannelView) {
        self.channel_tokens
            .insert(c.transport_token_hash.clone(), c.id);
        self.channels.insert(c.id, c);
    }

    pub fn apply_channel(&mut self, r: &Recorded<ChannelEvent>, stream_id: ChannelId) {
        match &r.event {
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
                self.channel_tokens
                    .insert(transport_token_hash.clone(), *channel_id);
                self.channels.insert(
                    *channel_id,
                    ChannelView {
                        id: *channel_id,
                        channel_type: *channel_type,
                        name: name.clone(),
                        webhook_url: webhook_url.clone(),
                        capabilities: *capabilities,
                        limits: *limits,
                        transport_token_hash: transport_token_hash.clone(),
                        webhook_secret: webhook_secret.clone(),
                    },
                );
            }
            ChannelEvent::ChannelUpdated {
                name,
                webhook_url,
                capabilities,
                limits,
            } => {
                if let Some(c) = self.channels.get_mut(&stream_id) {
                    if let Some(n) = name {
                        c.name.clone_from(n);
                    }
                    if let Some(u) = webhook_url {
                        c.webhook_url.clone_from(u);
                    }
                    if let Some(cap) = capabilities {
                        c.capabilities = *cap;
                    }
                    if let Some(l) = limits {
                        c.limits = *l;
                    }
                }
            }
        }
    }

    pub fn apply_tag(&mut self, r: &Recorded<TagEvent>, stream_id: TagId) {
        match &r.event {
            TagEvent::TagCreated {
                tag_id,
                name,
                color,
            } => {
                self.tags.insert(
                    *tag_id,
                    TagView {
                        id: *tag_id,
                        name: name.clone(),
                        color: *color,
                    },
                );
            }
            TagEvent::TagUpdated { name, color } => {
                if let Some(t) = self.tags.get_mut(&stream_id) {
                    if let Some(n) = name {
                        t.name.clone_from(n);
                    }
                    if let Some(c) = color {
                        t.color = *c;
                    }
                }
            }
        }
    }

    pub fn apply_quick_reply(&mut self, r: &Recorded<QuickReplyEvent>, stream_id: QuickReplyId) {
        match &r.event {
            QuickReplyEvent::QuickReplyCreated {
                quick_reply_id,
                owner,
                name,
                text,
                from_message_id,
            } => {
                self.quick_replies.insert(
                    *quick_reply_id,
                    QuickReplyView {
                        id: *quick_reply_id,
                        owner: *owner,
                        name: name.clone(),
                        text: text.clone(),
                        uses: 0,
                        from_message_id: *from_message_id,
                        created_at: r.meta.at,
                    },
                );
            }
            QuickReplyEvent::QuickReplyUpdated { name, text } => {
                if let Some(q) = self.quick_replies.get_mut(&stream_id) {
                    if let Some(n) = name {
                        q.name.clone_from(n);
                    }
                    if let Some(t) = text {
                        q.text.clone_from(t);
                    }
                }
            }
            QuickReplyEvent::QuickReplyUsed {} => {
                if let Some(q) = self.quick_replies.get_mut(&stream_id) {
                    q.uses += 1;
                }
            }
            QuickReplyEvent::QuickReplyDeleted {} => {
                self.quick_replies.remove(&stream_id);
            }
        }
    }

    pub fn apply_order(&mut self, r: &Recorded<OrderEvent>) {
        let OrderEvent::OrderCreated {
            order_id,
            dialog_id,
            customer_id,
            manager_id,
            status,
            source,
        } = &r.event;
        self.orders.insert(
            *order_id,
            OrderView {
                id: *order_id,
                dialog_id: *dialog_id,
                customer_id: *customer_id,
                manager_id: *manager_id,
                status: *status,
                source: source.clone(),
                created_at: r.meta.at,
            },
        );
    }
}
