//! Customer cards: contact, source, tags, blocked; and the lookup from a channel's external
//! contact to the customer.

use chatd_domain::customer::{CustomerEvent, Source};
use chatd_domain::{ChannelId, CustomerId, Recorded, TagId};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerView {
    pub id: CustomerId,
    pub external_id: String,
    pub name: String,
    pub avatar_url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub source: Source,
    pub blocked: bool,
    /// tag -> pinned
    pub tags: BTreeMap<TagId, bool>,
}

impl CustomerView {
    pub fn pinned_tags(&self) -> impl Iterator<Item = TagId> + '_ {
        self.tags.iter().filter(|(_, p)| **p).map(|(t, _)| *t)
    }
}

#[derive(Debug, Default)]
pub struct Customers {
    pub by_id: HashMap<CustomerId, CustomerView>,
    by_external: HashMap<(ChannelId, String), CustomerId>,
}

impl Customers {
    pub fn by_external(&self, channel: ChannelId, external_id: &str) -> Option<&CustomerView> {
        self.by_external
            .get(&(channel, external_id.to_owned()))
            .and_then(|id| self.by_id.get(id))
    }

    pub fn get(&self, id: &CustomerId) -> Option<&CustomerView> {
        self.by_id.get(id)
    }

    pub fn apply(&mut self, r: &Recorded<CustomerEvent>, stream_id: CustomerId) {
        if let CustomerEvent::CustomerRegistered(reg) = &r.event {
            self.by_external.insert(
                (reg.source.channel_id, reg.external_id.clone()),
                reg.customer_id,
            );
            self.by_id.insert(
                reg.customer_id,
                CustomerView {
                    id: reg.customer_id,
                    external_id: reg.external_id.clone(),
                    name: reg.name.clone(),
                    avatar_url: reg.avatar_url.clone(),
                    phone: reg.phone.clone(),
                    email: reg.email.clone(),
                    source: reg.source.clone(),
                    blocked: false,
                    tags: BTreeMap::new(),
                },
            );
            return;
        }
        let Some(c) = self.by_id.get_mut(&stream_id) else {
            return;
        };
        match &r.event {
            CustomerEvent::CustomerBlocked {} => c.blocked = true,
            CustomerEvent::CustomerUnblocked {} => c.blocked = false,
            CustomerEvent::CustomerTagged { tag_id, pinned } => {
                c.tags.insert(*tag_id, *pinned);
            }
            CustomerEvent::CustomerUntagged { tag_id } => {
                c.tags.remove(tag_id);
            }
            CustomerEvent::CustomerRegistered(_) | CustomerEvent::InboundRefused { .. } => {}
        }
    }
}
