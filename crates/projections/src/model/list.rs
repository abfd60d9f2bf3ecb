//! R16: the dialog list with its filters, both sorts, opaque cursors, and the filter window's
//! facets. A page walks the ordered indexes of only the buckets the viewer may see and the
//! filter asks for, merging them by key, and stops once the page is full.

use super::dialogs::{Bucket, DialogRow, Key};
use super::ReadModel;
use chatd_domain::dialog::{sees_all, DialogStatus};
use chatd_domain::{
    Actor, Assignee, BotId, ChannelId, CustomerId, DialogId, Principal, TagId, UserId,
};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use thiserror::Error;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    LastActivity,
    ProcessingOrder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum StatusFilter {
    /// Open and not snoozed.
    #[default]
    Open,
    Closed,
    /// R37: open but snoozed.
    Snoozed,
    All,
}

impl StatusFilter {
    fn admits(self, s: DialogStatus, snoozed: bool) -> bool {
        matches!(
            (self, s, snoozed),
            (StatusFilter::All, _, _)
                | (StatusFilter::Open, DialogStatus::Open, false)
                | (StatusFilter::Snoozed, DialogStatus::Open, true)
                | (StatusFilter::Closed, DialogStatus::Closed, _)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Responsible {
    Me,
    Unassigned,
    User(UserId),
    Bot(BotId),
}

/// Who wrote the last message (R16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LastAuthor {
    Customer,
    /// A manager or a bot.
    Manager,
}

#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    pub sort: Sort,
    pub status: StatusFilter,
    pub responsible: Vec<Responsible>,
    pub channels: Vec<ChannelId>,
    /// Every one of these tags (AND).
    pub tags: Vec<TagId>,
    pub no_tags: bool,
    pub pinned_only: bool,
    pub last_message: Option<LastAuthor>,
    /// Free text on the customer's name.
    pub q: Option<String>,
    pub cursor: Option<Key>,
    pub limit: usize,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum ListError {
    #[error("processing order needs a time limit in the chat settings")]
    SortUnavailable,
}

pub struct ListPage<'a> {
    pub items: Vec<&'a DialogRow>,
    pub next_cursor: Option<Key>,
}

/// Cursors are the last row's key, hex-encoded: opaque to clients.
pub fn encode_cursor(k: &Key) -> String {
    let raw = format!("{}:{}:{}", k.0, k.1, k.2);
    raw.bytes().map(|b| format!("{b:02x}")).collect()
}

pub fn decode_cursor(s: &str) -> Option<Key> {
    if !s.len().is_multiple_of(2) || s.len() > 256 {
        return None;
    }
    let bytes: Option<Vec<u8>> = (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect();
    let raw = String::from_utf8(bytes?).ok()?;
    let mut parts = raw.splitn(3, ':');
    let rank = parts.next()?.parse().ok()?;
    let value = parts.next()?.parse().ok()?;
    let id: Uuid = parts.next()?.parse().ok()?;
    Some((rank, value, id.into()))
}

impl ReadModel {
    /// The buckets a query walks: those the viewer may see, narrowed by the responsible filter.
    fn buckets_for(&self, viewer: &Principal, q: &ListQuery) -> Vec<Bucket> {
        let me = viewer.as_assignee();
        let wanted: Option<HashSet<Option<Assignee>>> = (!q.responsible.is_empty()).then(|| {
            q.responsible
                .iter()
                .filter_map(|r| match r {
                    Responsible::Me => me.map(Some),
                    Responsible::Unassigned => Some(None),
                    Responsible::User(id) => Some(Some(Assignee::User { id: *id })),
                    Responsible::Bot(id) => Some(Some(Assignee::Bot { id: *id })),
                })
                .collect()
        });
        self.dialogs
            .buckets
            .keys()
            .filter(|b| q.status.admits(b.status, b.snoozed))
            .filter(|b| wanted.as_ref().is_none_or(|w| w.contains(&b.responsible)))
            .filter(|b| chatd_domain::dialog::visible(b.responsible, false, viewer))
            .copied()
            .collect()
    }

    fn matches(&self, row: &DialogRow, q: &ListQuery, q_lower: Option<&str>) -> bool {
        Self::row_matches(row, q) && self.customer_matches(row, q, q_lower)
    }

    /// The filters the row answers alone: channel, and who wrote last.
    fn row_matches(row: &DialogRow, q: &ListQuery) -> bool {
        if !q.channels.is_empty() && !q.channels.contains(&row.channel_id) {
            return false;
        }
        if let Some(side) = q.last_message {
            let Some(last) = &row.last_message else {
                return false;
            };
            let customer = matches!(last.author, Actor::Customer { .. });
            if customer != (side == LastAuthor::Customer) {
                return false;
            }
        }
        true
    }

    /// The filters on the row's customer: name, tags, pinned tags, no tags.
    fn customer_matches(&self, row: &DialogRow, q: &ListQuery, q_lower: Option<&str>) -> bool {
        let customer = row.customer_id.and_then(|c| self.customers.get(&c));
        if let Some(needle) = q_lower {
            if !customer.is_some_and(|c| name_matches(&c.name, needle)) {
                return false;
            }
        }
        if q.no_tags || !q.tags.is_empty() || q.pinned_only {
            let tag_ok = |t: &TagId| {
                customer.is_some_and(|c| {
                    c.tags
                        .get(t)
                        .is_some_and(|pinned| *pinned || !q.pinned_only)
                })
            };
            if q.no_tags {
                let has_any = customer.is_some_and(|c| {
                    if q.pinned_only {
                        c.pinned_tags().next().is_some()
                    } else {
                        !c.tags.is_empty()
                    }
                });
                if has_any {
                    return false;
                }
            } else if !q.tags.is_empty() {
                if !q.tags.iter().all(tag_ok) {
                    return false;
                }
            } else if q.pinned_only && customer.is_none_or(|c| c.pinned_tags().next().is_none()) {
                return false;
            }
        }
        true
    }

    /// One page of the dialog list for `viewer`.
    pub fn list(&self, viewer: &Principal, q: &ListQuery) -> Result<ListPage<'_>, ListError> {
        if q.sort == Sort::ProcessingOrder && !self.dialogs.waiting.limits.any() {
            return Err(ListError::SortUnavailable);
        }
        let limit = q.limit.clamp(1, 200);
        let q_lower =
            q.q.as_ref()
                .map(|s| s.to_lowercase())
                .filter(|s| !s.is_empty());
        if let Some(page) = self.list_by_customers(viewer, q, limit, q_lower.as_deref()) {
            return Ok(page);
        }
        let mut iters: Vec<_> = self
            .buckets_for(viewer, q)
            .into_iter()
            .filter_map(|b| self.dialogs.buckets.get(&b))
            .map(|idx| {
                let set = match q.sort {
                    Sort::LastActivity => &idx.activity,
                    Sort::ProcessingOrder => &idx.processing,
                };
                match q.cursor {
                    Some(c) => {
                        set.range((std::ops::Bound::Excluded(c), std::ops::Bound::Unbounded))
                    }
                    None => set.range(..),
                }
            })
            .collect();
        let mut heap: BinaryHeap<Reverse<(Key, usize)>> = iters
            .iter_mut()
            .enumerate()
            .filter_map(|(i, it)| it.next().map(|k| Reverse((*k, i))))
            .collect();
        let mut items = Vec::with_capacity(limit);
        let mut last = None;
        while let Some(Reverse((key, i))) = heap.pop() {
            if let Some(next) = iters[i].next() {
                heap.push(Reverse((*next, i)));
            }
            let Some(row) = self.dialogs.get(&key.2) else {
                continue;
            };
            if !self.matches(row, q, q_lower.as_deref()) {
                continue;
            }
            items.push(row);
            last = Some(key);
            if items.len() == limit {
                break;
            }
        }
        let next_cursor = if items.len() == limit && !heap.is_empty() {
            last
        } else {
            None
        };
        Ok(ListPage { items, next_cursor })
    }

    /// Filters that name customers (tags, free text) are answered from the customers they
    /// name when those are few: their dialogs are collected, filtered and sorted, instead of
    /// walking the indexes past every dialog that does not match.
    fn list_by_customers(
        &self,
        viewer: &Principal,
        q: &ListQuery,
        limit: usize,
        q_lower: Option<&str>,
    ) -> Option<ListPage<'_>> {
        const FEW: usize = 250_000;
        // Holders of every tag asked for, rarest first; a tag nobody holds matches nothing.
        let mut sets: Vec<&HashSet<CustomerId, super::IdHash>> = Vec::with_capacity(q.tags.len());
        for t in &q.tags {
            match self.customers.by_tag.get(t) {
                Some(set) if !set.is_empty() => sets.push(set),
                _ => {
                    return Some(ListPage {
                        items: vec![],
                        next_cursor: None,
                    })
                }
            }
        }
        sets.sort_by_key(|s| s.len());
        let in_every_tag = |c: &CustomerId| sets.iter().all(|s| s.contains(c));
        let by_name = q_lower.and_then(|n| self.customers.matching_words(n));
        let candidates: Vec<CustomerId> = match (sets.first(), &by_name) {
            (rarest, Some(names))
                if names.len() <= FEW || rarest.is_some_and(|r| names.len() >= r.len()) =>
            {
                names.iter().filter(|c| in_every_tag(c)).copied().collect()
            }
            (Some(rarest), _) if rarest.len() <= FEW => {
                let others = &sets[1..];
                let in_others = |c: &&CustomerId| others.iter().all(|s| s.contains(*c));
                rarest.iter().filter(in_others).copied().collect()
            }
            _ => return None,
        };
        let key_of = |row: &DialogRow| match q.sort {
            Sort::LastActivity => super::dialogs::activity_key(row),
            Sort::ProcessingOrder => super::dialogs::processing_key(row, &self.dialogs.waiting),
        };
        // The candidates hold every tag and match the name (or the text had no words), so the
        // card is read only for what it alone answers, and only for the rows that pass the rest
        // (P4: most fail the channel; each card read is a cache miss or three).
        let card_decides = q.pinned_only || q.no_tags;
        let mut found: Vec<(Key, &DialogRow)> = candidates
            .iter()
            .filter_map(|c| self.dialogs.by_customer.get(c))
            .flatten()
            .filter_map(|d| self.dialogs.get(d))
            .filter(|row| row.is_visible_to(viewer) && q.status.admits(row.status, row.snoozed()))
            .filter(|row| responsible_admits(viewer, &q.responsible, row.responsible))
            .filter(|row| Self::row_matches(row, q))
            .filter(|row| !card_decides || self.customer_matches(row, q, None))
            .map(|row| (key_of(row), row))
            .filter(|(k, _)| q.cursor.is_none_or(|c| *k > c))
            .collect();
        found.sort_unstable_by_key(|(k, _)| *k);
        let more = found.len() > limit;
        found.truncate(limit);
        let next_cursor = if more {
            found.last().map(|(k, _)| *k)
        } else {
            None
        };
        Some(ListPage {
            items: found.into_iter().map(|(_, r)| r).collect(),
            next_cursor,
        })
    }

    /// R16's filter window: tag counts (descending, honouring `pinned_only`), bots (only if a
    /// bot exists), managers and channels, over the dialogs `viewer` sees. Each facet's counts
    /// narrow with the query's other filters (R39, the seed's window): the channel counts with
    /// the responsible, tag, author and name filters but not the channel filter, and so on, so a
    /// count says how many dialogs ticking that box would add.
    pub fn facets(&self, viewer: &Principal, q: &ListQuery) -> Facets {
        let mut tags: HashMap<TagId, u64> = HashMap::new();
        let mut responsible: HashMap<Option<Assignee>, u64> = HashMap::new();
        let mut channels: HashMap<ChannelId, u64> = HashMap::new();
        let q_lower =
            q.q.as_ref()
                .map(|s| s.to_lowercase())
                .filter(|s| !s.is_empty());
        let q_lower = q_lower.as_deref();
        let wanted: HashSet<Option<Assignee>> = self
            .buckets_for(viewer, q)
            .into_iter()
            .map(|b| b.responsible)
            .collect();
        let any_responsible = ListQuery {
            responsible: vec![],
            ..q.clone()
        };
        let any_channel = ListQuery {
            channels: vec![],
            ..q.clone()
        };
        let any_tag = ListQuery {
            tags: vec![],
            no_tags: false,
            ..q.clone()
        };
        for b in self.buckets_for(viewer, &any_responsible) {
            let Some(idx) = self.dialogs.buckets.get(&b) else {
                continue;
            };
            let responsible_ok = wanted.contains(&b.responsible);
            for (_, _, id) in &idx.activity {
                let Some(row) = self.dialogs.get(id) else {
                    continue;
                };
                if self.matches(row, q, q_lower) {
                    *responsible.entry(b.responsible).or_default() += 1;
                }
                if !responsible_ok {
                    continue;
                }
                if self.matches(row, &any_channel, q_lower) {
                    *channels.entry(row.channel_id).or_default() += 1;
                }
                if !self.matches(row, &any_tag, q_lower) {
                    continue;
                }
                if let Some(c) = row.customer_id.and_then(|c| self.customers.get(&c)) {
                    for (tag, pinned) in &c.tags {
                        if *pinned || !q.pinned_only {
                            *tags.entry(*tag).or_default() += 1;
                        }
                    }
                }
            }
        }
        let mut tags: Vec<(TagId, u64)> = tags
            .into_iter()
            .filter(|(t, _)| self.catalog.tags.contains_key(t))
            .collect();
        tags.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut managers: Vec<(UserId, u64)> = self
            .people
            .users
            .values()
            .filter(|u| u.active && u.role != chatd_domain::Role::Auditor)
            .filter(|u| sees_all(viewer) || viewer.user_id() == Some(u.id))
            .map(|u| {
                (
                    u.id,
                    responsible
                        .get(&Some(Assignee::User { id: u.id }))
                        .copied()
                        .unwrap_or(0),
                )
            })
            .collect();
        managers.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut bots: Vec<(BotId, u64)> = self
            .people
            .bots
            .values()
            .map(|b| {
                (
                    b.id,
                    responsible
                        .get(&Some(Assignee::Bot { id: b.id }))
                        .copied()
                        .unwrap_or(0),
                )
            })
            .collect();
        bots.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut channels: Vec<(ChannelId, u64)> = self
            .catalog
            .channels
            .keys()
            .map(|c| (*c, channels.get(c).copied().unwrap_or(0)))
            .collect();
        channels.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        // R37: how many snoozed dialogs the other filters leave (few: a walk of their buckets).
        let as_snoozed = ListQuery {
            status: StatusFilter::Snoozed,
            ..q.clone()
        };
        let snoozed = self
            .buckets_for(viewer, &as_snoozed)
            .iter()
            .filter_map(|b| self.dialogs.buckets.get(b))
            .flat_map(|idx| idx.activity.iter())
            .filter_map(|(_, _, id)| self.dialogs.get(id))
            .filter(|row| self.matches(row, &as_snoozed, q_lower))
            .count() as u64;
        Facets {
            tags,
            bots,
            managers,
            channels,
            unassigned: responsible.get(&None).copied().unwrap_or(0),
            snoozed,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Facets {
    pub tags: Vec<(TagId, u64)>,
    pub bots: Vec<(BotId, u64)>,
    pub managers: Vec<(UserId, u64)>,
    pub channels: Vec<(ChannelId, u64)>,
    pub unassigned: u64,
    /// R37: snoozed dialogs the other filters leave.
    pub snoozed: u64,
}

/// R16's free text: every word of the query starts some word of the name (both lowercased word
/// by word, as the word index is).
pub fn name_matches(name: &str, q: &str) -> bool {
    let name: Vec<String> = crate::model::customers::words(name).collect();
    crate::model::customers::words(q).all(|w| name.iter().any(|n| n.starts_with(&w)))
}

fn responsible_admits(
    viewer: &Principal,
    wanted: &[Responsible],
    responsible: Option<Assignee>,
) -> bool {
    wanted.is_empty()
        || wanted.iter().any(|w| match w {
            Responsible::Me => {
                viewer.as_assignee().is_some() && responsible == viewer.as_assignee()
            }
            Responsible::Unassigned => responsible.is_none(),
            Responsible::User(id) => responsible == Some(Assignee::User { id: *id }),
            Responsible::Bot(id) => responsible == Some(Assignee::Bot { id: *id }),
        })
}

/// Rows in a page are dialogs: their ids, for tests and callers that need only those.
pub fn ids(page: &ListPage<'_>) -> Vec<DialogId> {
    page.items.iter().map(|r| r.id).collect()
}
