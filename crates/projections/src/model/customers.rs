//! Customer cards: contact, source, tags, blocked; and the lookup from a channel's external
//! contact to the customer.

use super::by_id::{ById, Keyed};
pub use super::card_source::CardSource;
use chatd_domain::customer::CustomerEvent;
use chatd_domain::{ChannelId, CustomerId, Principal, Recorded, TagId};
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CustomerView {
    pub id: CustomerId,
    pub external_id: String,
    pub name: String,
    /// The slot of the lowercased name earlier builds kept (R16's free text lowercases the
    /// name's words as it matches them, as the word index does).
    #[serde(default, rename = "name_lower")]
    retired_name_lower: super::compact::Retired,
    pub avatar_url: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[serde(with = "super::compact::card_source")]
    pub source: CardSource,
    pub blocked: bool,
    /// tag -> pinned
    pub tags: BTreeMap<TagId, bool>,
    /// R35: the customer's personal data was erased.
    #[serde(default)]
    pub erased: bool,
    /// R35: files their refused messages carried (they go with the customer).
    #[serde(default)]
    pub refused_files: Vec<chatd_domain::FileId>,
}

impl Keyed for CustomerView {
    type Id = CustomerId;
    fn id(&self) -> CustomerId {
        self.id
    }
}

impl CustomerView {
    /// A card as the customer registered.
    fn registered(reg: &chatd_domain::customer::Registration) -> Self {
        CustomerView {
            id: reg.customer_id,
            external_id: reg.external_id.clone(),
            name: reg.name.clone(),
            retired_name_lower: Default::default(),
            avatar_url: reg.avatar_url.clone(),
            phone: reg.phone.clone(),
            email: reg.email.clone(),
            source: CardSource::of(&reg.source),
            blocked: false,
            tags: BTreeMap::new(),
            erased: false,
            refused_files: Vec::new(),
        }
    }

    pub fn pinned_tags(&self) -> impl Iterator<Item = TagId> + '_ {
        self.tags.iter().filter(|(_, p)| **p).map(|(t, _)| *t)
    }
}

/// Customer cards being restored from a snapshot. The cards and their contacts are gathered and
/// go into their tables at the end in the order of their places there; the name words are
/// gathered and sorted once, then built into their tree in one go.
#[derive(Default)]
pub(crate) struct Restoring {
    customers: Customers,
    /// Boxed as they are read, as the table will hold them (one allocation a card).
    #[allow(clippy::vec_box)]
    cards: Vec<Box<CustomerView>>,
    /// The contacts of the cards not erased, hashed, in the cards' order.
    contacts: Vec<(u64, CustomerId)>,
    words: Vec<(String, CustomerId)>,
}

impl Restoring {
    pub fn reserve(&mut self, cards: usize) {
        self.cards.reserve(cards);
        self.contacts.reserve(cards);
        self.words.reserve(cards * 2);
    }

    pub fn insert(&mut self, c: CustomerView) {
        let all = &mut self.customers;
        let (id, erased) = (c.id, c.erased);
        if !erased {
            self.words.extend(words(&c.name).map(|w| (w, id)));
            let hash = all.by_external.hash(contact(&c));
            self.contacts.push((hash, id));
        }
        for t in c.tags.keys() {
            all.by_tag.entry(*t).or_default().insert(id);
        }
        self.cards.push(Box::new(c));
    }

    pub fn finish(mut self) -> Customers {
        let all = &mut self.customers;
        all.by_id.extend_new(self.cards);
        all.by_external.extend(&all.by_id, self.contacts);
        self.words.sort_unstable();
        let mut grouped: Vec<(Box<str>, Holders)> = Vec::new();
        for (w, id) in self.words {
            match grouped.last_mut() {
                Some((last, ids)) if **last == *w => ids.push(id),
                _ => grouped.push((w.into_boxed_str(), smallvec::smallvec![id])),
            }
        }
        self.customers.by_word = grouped.into_iter().collect();
        self.customers
    }
}

#[derive(Debug, Default)]
pub struct Customers {
    /// Boxed, as the dialog rows are (P6, P7).
    pub by_id: ById<CustomerView>,
    by_external: External,
    /// Customers holding each tag: R16's tag filters start from the rarest tag.
    pub by_tag: HashMap<TagId, HashSet<CustomerId, super::IdHash>>,
    /// Lowercased words of customer names: R16's free text matches word prefixes through it.
    /// A word that one customer holds (most, with a name like "Customer 123456") costs no
    /// allocation for its holders (P6, P7).
    pub by_word: BTreeMap<Box<str>, Holders>,
}

/// The customers whose names hold a word.
pub type Holders = smallvec::SmallVec<[CustomerId; 1]>;

/// The lowercased words of a name.
pub fn words(name: &str) -> impl Iterator<Item = String> + '_ {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

type Cards = ById<CustomerView>;

/// The lookup from a channel's external contact to its customer: the ids alone, hashed by the
/// contact their cards hold, so the index keeps no copy of the external id (P6, P7: a million
/// customers made a million strings and 120 MB of table for it).
#[derive(Default)]
struct External {
    ids: hashbrown::HashTable<CustomerId>,
    hasher: Hasher,
}

impl std::fmt::Debug for External {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "External({} contacts)", self.ids.len())
    }
}

/// SipHash, seeded per process: a channel's external ids are chosen outside chatd (DECISIONS).
type Hasher = std::collections::hash_map::RandomState;

/// A channel and the external id the customer has there.
type Contact<'a> = (ChannelId, &'a str);

fn contact(c: &CustomerView) -> Contact<'_> {
    (c.source.channel_id, &c.external_id)
}

fn contact_hash(hasher: &Hasher, contact: Contact<'_>) -> u64 {
    use std::hash::BuildHasher;
    hasher.hash_one(contact)
}

/// The hash of the contact on `id`'s card (every id in the table has its card in `cards`).
fn card_hash(hasher: &Hasher, cards: &Cards, id: &CustomerId) -> u64 {
    cards
        .get(id)
        .map_or(0, |c| contact_hash(hasher, contact(c)))
}

/// Whether an id's card holds this contact.
fn holds<'a>(cards: &'a Cards, wanted: Contact<'a>) -> impl Fn(&CustomerId) -> bool + 'a {
    move |id| cards.get(id).is_some_and(|c| contact(c) == wanted)
}

impl External {
    fn hash(&self, contact: Contact<'_>) -> u64 {
        contact_hash(&self.hasher, contact)
    }

    fn reserve(&mut self, cards: &Cards, n: usize) {
        let Self { ids, hasher } = self;
        ids.reserve(n, |id| card_hash(hasher, cards, id));
    }

    fn get(&self, cards: &Cards, wanted: Contact<'_>) -> Option<CustomerId> {
        let hash = self.hash(wanted);
        self.ids.find(hash, holds(cards, wanted)).copied()
    }

    /// Point the contact of `id`'s card (in `cards` already) at `id`, in place of any customer
    /// it pointed at before.
    fn put(&mut self, cards: &Cards, id: CustomerId) {
        let Some(card) = cards.get(&id) else { return };
        let hash = self.hash(contact(card));
        self.put_hashed(cards, id, hash);
    }

    /// `put` for many, with their contacts' hashes, in the cards' order (a later card takes a
    /// contact from an earlier one), going into the table in the order of their places there.
    fn extend(&mut self, cards: &Cards, mut contacts: Vec<(u64, CustomerId)>) {
        self.reserve(cards, contacts.len());
        super::by_id::sort_by_place(&mut contacts, self.ids.capacity());
        for (hash, id) in contacts {
            self.put_hashed(cards, id, hash);
        }
    }

    fn put_hashed(&mut self, cards: &Cards, id: CustomerId, hash: u64) {
        let Self { ids, hasher } = self;
        // Only an id whose hash tag matches is compared, by both cards' contacts.
        let same_contact = |other: &CustomerId| {
            *other == id
                || cards
                    .get(&id)
                    .map(contact)
                    .is_some_and(|c| holds(cards, c)(other))
        };
        match ids.entry(hash, same_contact, |other| card_hash(hasher, cards, other)) {
            hashbrown::hash_table::Entry::Occupied(mut e) => *e.get_mut() = id,
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(id);
            }
        }
    }

    /// Forget `id`'s contact (before its card loses it), if it still points at `id`.
    fn remove(&mut self, cards: &Cards, id: CustomerId) {
        let hash = card_hash(&self.hasher, cards, &id);
        if let Ok(e) = self.ids.find_entry(hash, |x| *x == id) {
            e.remove();
        }
    }
}

impl Customers {
    pub fn by_external(&self, channel: ChannelId, external_id: &str) -> Option<&CustomerView> {
        self.by_external
            .get(&self.by_id, (channel, external_id))
            .and_then(|id| self.get(&id))
    }

    pub fn get(&self, id: &CustomerId) -> Option<&CustomerView> {
        self.by_id.get(id)
    }

    /// Customers whose name has a word starting with every word of `q`; `None` when `q` has no
    /// words (nothing to narrow by). Starts from the query word with the fewest holders and checks
    /// the others on each candidate's name, so a common word costs nothing.
    pub fn matching_words(&self, q: &str) -> Option<Vec<CustomerId>> {
        let query: Vec<String> = words(q).collect();
        let rarest = self.rarest(&query)?;
        let mut found: Vec<CustomerId> = self
            .prefix_holders(rarest)
            .filter(|c| {
                self.by_id
                    .get(c)
                    .is_some_and(|c| crate::model::list::name_matches(&c.name, q))
            })
            .collect();
        found.sort_unstable();
        found.dedup();
        Some(found)
    }

    /// The word with the fewest holders, found without counting a common word's all: every
    /// word is counted up to a cap that grows sixteenfold until one word stays under it (with
    /// "customer 99999" over a million customers: a few hundred ids read, not a million).
    fn rarest<'q>(&self, query: &'q [String]) -> Option<&'q String> {
        let mut cap = 256usize;
        loop {
            let (word, n) = query
                .iter()
                .map(|w| (w, self.prefix_holders(w).take(cap).count()))
                .min_by_key(|(_, n)| *n)?;
            if n < cap {
                return Some(word);
            }
            cap = cap.saturating_mul(16);
        }
    }

    fn prefix_holders<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = CustomerId> + 'a {
        self.by_word
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(k, _)| k.starts_with(prefix))
            .flat_map(|(_, ids)| ids.iter().copied())
    }

    /// A deleted tag leaves every customer that held it.
    pub(crate) fn forget_tag(&mut self, tag: TagId) {
        for c in self.by_tag.remove(&tag).unwrap_or_default() {
            if let Some(card) = self.by_id.get_mut(&c) {
                card.tags.remove(&tag);
            }
        }
    }

    /// R35: the card keeps no name or contact, and no index finds it by them.
    pub(crate) fn erase(&mut self, id: CustomerId) {
        self.by_external.remove(&self.by_id, id);
        let Some(c) = self.by_id.get_mut(&id) else {
            return;
        };
        for w in words(&c.name) {
            if let Some(ids) = self.by_word.get_mut(w.as_str()) {
                ids.retain(|x| *x != id);
                if ids.is_empty() {
                    self.by_word.remove(w.as_str());
                }
            }
        }
        super::erasure::wipe(&mut c.name);
        super::erasure::wipe(&mut c.external_id);
        c.avatar_url = None;
        c.phone = None;
        c.email = None;
        c.erased = true;
    }

    pub fn apply(&mut self, r: &Recorded<CustomerEvent>, stream_id: CustomerId) {
        if let CustomerEvent::CustomerRegistered(reg) = &r.event {
            for w in words(&reg.name) {
                let holders = self.by_word.entry(w.into_boxed_str()).or_default();
                holders.push(reg.customer_id);
            }
            self.by_id.insert(Box::new(CustomerView::registered(reg)));
            self.by_external.put(&self.by_id, reg.customer_id);
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
                self.by_tag.entry(*tag_id).or_default().insert(c.id);
            }
            CustomerEvent::CustomerUntagged { tag_id } => {
                c.tags.remove(tag_id);
                if let Some(set) = self.by_tag.get_mut(tag_id) {
                    set.remove(&c.id);
                }
            }
            CustomerEvent::InboundRefused { message, .. } => {
                for f in &message.attachment_ids {
                    if !c.refused_files.contains(f) {
                        c.refused_files.push(*f);
                    }
                }
            }
            CustomerEvent::CustomerRegistered(_) | CustomerEvent::CustomerErased { .. } => {}
        }
    }
}

impl super::ReadModel {
    /// The customer's card, if `p` may reach it (R32): 404 otherwise.
    pub fn visible_customer(&self, p: &Principal, id: &CustomerId) -> Option<&CustomerView> {
        self.customers
            .get(id)
            .filter(|_| self.dialogs.customer_visible_to(p, id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatd_domain::channel::ChannelType;
    use chatd_domain::customer::Source;

    fn registration(name: &str) -> chatd_domain::customer::Registration {
        chatd_domain::customer::Registration {
            customer_id: uuid::Uuid::new_v4().into(),
            external_id: name.into(),
            name: name.into(),
            avatar_url: None,
            phone: None,
            email: None,
            source: Source {
                channel_id: uuid::Uuid::nil().into(),
                channel_type: ChannelType::Telegram,
                utm: Default::default(),
            },
        }
    }

    fn card(name: &str) -> CustomerView {
        CustomerView::registered(&registration(name))
    }

    /// The contact index holds ids only, hashed through their cards: every contact finds its
    /// customer after the table grew from empty, on the right channel only; an erased customer
    /// is found by nobody, and a new registration of that contact finds the new customer.
    #[test]
    fn a_contact_finds_its_customer_on_its_channel_until_erased_then_the_new_one() {
        let other: ChannelId = uuid::Uuid::new_v4().into();
        let nil: ChannelId = uuid::Uuid::nil().into();
        let mut r = Restoring::default();
        let mut cards = Vec::new();
        for i in 0..3000 {
            let mut c = card(&format!("contact-{i}"));
            if i % 2 == 1 {
                c.source.channel_id = other;
            }
            cards.push((c.id, c.source.channel_id, c.external_id.clone()));
            r.insert(c);
        }
        // A second customer of one contact (two nodes registered it at once): the later card
        // has the contact, as it had before the snapshot.
        let mut twice = card("contact-7");
        twice.source.channel_id = other;
        let (first, later) = (cards[7].0, twice.id);
        r.insert(twice);
        cards[7].0 = later;
        let mut all = r.finish();
        assert!(all.get(&first).is_some(), "the earlier card is still there");
        for (id, channel, ext) in &cards {
            assert_eq!(all.by_external(*channel, ext).map(|c| c.id), Some(*id));
            let wrong = if *channel == other { nil } else { other };
            assert!(
                all.by_external(wrong, ext).is_none(),
                "{ext} on the other channel"
            );
        }
        assert!(all.by_external(nil, "nobody").is_none());

        let (gone, channel, ext) = cards[10].clone();
        all.erase(gone);
        assert!(
            all.by_external(channel, &ext).is_none(),
            "erased: found by nobody"
        );
        assert_eq!(
            all.by_external(channel, "contact-12").map(|c| c.id),
            Some(cards[12].0)
        );

        let again: CustomerId = uuid::Uuid::new_v4().into();
        let mut fresh = registration(&ext);
        fresh.customer_id = again;
        fresh.source.channel_id = channel;
        let registered = CustomerEvent::CustomerRegistered(fresh);
        let meta = chatd_domain::EventMeta {
            at: time::OffsetDateTime::now_utc(),
            actor: chatd_domain::Actor::Channel { id: channel },
        };
        all.apply(
            &Recorded {
                meta,
                event: registered,
            },
            again,
        );
        assert_eq!(all.by_external(channel, &ext).map(|c| c.id), Some(again));
        assert_eq!(all.get(&gone).map(|c| c.erased), Some(true));
    }

    /// R16's free text: every query word starts a word of the name, whichever word is rarest
    /// and however common the others (more holders than the first count's cap).
    #[test]
    fn a_name_search_finds_every_word_however_common_the_others() {
        let mut r = Restoring::default();
        let mut ids = HashMap::new();
        for name in (0..600)
            .map(|i| format!("Customer {i}"))
            .chain(["Anna Customer".to_string(), "Annabel Lee".to_string()])
        {
            let c = card(&name);
            ids.insert(c.id, name);
            r.insert(c);
        }
        let all = r.finish();
        let names = |q: &str| -> Option<Vec<String>> {
            let mut v: Vec<String> = all
                .matching_words(q)?
                .iter()
                .map(|c| ids[c].clone())
                .collect();
            v.sort();
            Some(v)
        };
        let expect = |v: &[&str]| Some(v.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let mut fifty_nine = vec!["Customer 59".to_string()];
        fifty_nine.extend((590..600).map(|i| format!("Customer {i}")));
        assert_eq!(names("customer 59"), Some(fifty_nine.clone()));
        assert_eq!(names("59 CUSTOMER"), Some(fifty_nine));
        assert_eq!(names("customer").map(|v| v.len()), Some(601));
        assert_eq!(names("cust ann"), expect(&["Anna Customer"]));
        assert_eq!(names("ann"), expect(&["Anna Customer", "Annabel Lee"]));
        assert_eq!(names("customer zzz"), expect(&[]));
        assert_eq!(names("  "), None);
    }
}
