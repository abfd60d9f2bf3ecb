//! Channels, tags, quick replies, orders and chat settings.

use chatd_domain::channel::{AttachmentLimits, Capabilities, ChannelProfile, ChannelType};
use chatd_domain::customer::Source;
use chatd_domain::order::{OrderEvent, OrderStatus};
use chatd_domain::setup::{
    evolve_channel, evolve_tag, Channel, ChannelEvent, QuickReplyEvent, Tag, TagColor, TagEvent,
};
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
    /// R26: the set the integration published last.
    #[serde(default)]
    pub templates: Vec<chatd_domain::template::Template>,
    /// R37: the reply a customer gets outside working hours.
    #[serde(default)]
    pub away_text: Option<String>,
}

impl ChannelView {
    pub fn profile(&self) -> ChannelProfile {
        ChannelProfile {
            channel_type: self.channel_type,
            capabilities: self.capabilities.clone(),
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
    #[serde(with = "super::compact::opt_source")]
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

    /// Channels change as the domain's `evolve_channel` says; tokens are indexed here.
    pub fn apply_channel(&mut self, r: &Recorded<ChannelEvent>, stream_id: ChannelId) {
        let state = self.channels.get(&stream_id).map(ChannelView::state);
        if let Some(c) = ChannelView::of(evolve_channel(state.unwrap_or_default(), r)) {
            self.insert_channel(c);
        }
    }

    /// Tags change as the domain's `evolve_tag` says.
    pub fn apply_tag(&mut self, r: &Recorded<TagEvent>, stream_id: TagId) {
        if matches!(r.event, TagEvent::TagDeleted {}) {
            self.tags.remove(&stream_id);
            return;
        }
        let state = self.tags.get(&stream_id).map(TagView::state);
        if let Some(t) = TagView::of(evolve_tag(state.unwrap_or_default(), r)) {
            self.tags.insert(t.id, t);
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

// Views are the domain's states with their id (and type) known; these convert both ways so
// that the read model applies events through the domain's `evolve`.

impl ChannelView {
    fn state(&self) -> Channel {
        Channel {
            id: Some(self.id),
            channel_type: Some(self.channel_type),
            name: self.name.clone(),
            webhook_url: self.webhook_url.clone(),
            capabilities: Some(self.capabilities.clone()),
            limits: Some(self.limits),
            transport_token_hash: self.transport_token_hash.clone(),
            webhook_secret: self.webhook_secret.clone(),
            templates: self.templates.clone(),
            away_text: self.away_text.clone(),
        }
    }

    fn of(c: Channel) -> Option<ChannelView> {
        Some(ChannelView {
            id: c.id?,
            channel_type: c.channel_type?,
            name: c.name,
            webhook_url: c.webhook_url,
            capabilities: c.capabilities?,
            limits: c.limits?,
            transport_token_hash: c.transport_token_hash,
            webhook_secret: c.webhook_secret,
            templates: c.templates,
            away_text: c.away_text,
        })
    }
}

impl TagView {
    fn state(&self) -> Tag {
        Tag {
            id: Some(self.id),
            name: self.name.clone(),
            color: Some(self.color),
            deleted: false,
        }
    }

    fn of(t: Tag) -> Option<TagView> {
        Some(TagView {
            id: t.id?,
            name: t.name,
            color: t.color?,
        })
    }
}
