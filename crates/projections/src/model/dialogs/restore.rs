//! Restoring the dialogs from a snapshot: every row goes in as it is read, and each bucket's sort
//! indexes are built once at the end from all their keys.

use super::{placement, Bucket, DialogRow, Dialogs, Index, Key, Waiting};
use chatd_domain::{CustomerId, DialogId};
use std::collections::HashMap;

/// Dialogs being restored from a snapshot: rows go in as they are read, with every index kept in
/// step but the buckets' sort indexes, which are built once at the end from all their keys (a bulk
/// build from sorted keys, not a million tree inserts).
pub(crate) struct Restoring {
    dialogs: Dialogs,
    /// Boxed as they are read, as the table will hold them (one allocation a row).
    #[allow(clippy::vec_box)]
    rows: Vec<Box<DialogRow>>,
    /// Each row's customer, in the rows' order.
    pinned: Vec<(CustomerId, DialogId)>,
    keys: HashMap<Bucket, (Vec<Key>, Vec<Key>)>,
}

impl Restoring {
    pub fn new(waiting: Waiting) -> Self {
        Restoring {
            dialogs: Dialogs {
                waiting,
                ..Dialogs::default()
            },
            rows: Vec::new(),
            pinned: Vec::new(),
            keys: HashMap::new(),
        }
    }

    pub fn reserve(&mut self, rows: usize) {
        self.rows.reserve(rows);
        self.pinned.reserve(rows);
    }

    pub fn insert(&mut self, row: DialogRow) {
        self.dialogs.index_restored(&row);
        if let Some(c) = row.customer_id {
            self.pinned.push((c, row.id));
        }
        if let Some(p) = placement(&row, &self.dialogs.waiting) {
            let (activity, processing) = self.keys.entry(p.bucket).or_default();
            activity.push(p.activity);
            processing.push(p.processing);
        }
        self.rows.push(Box::new(row));
    }

    pub fn finish(self) -> Dialogs {
        let mut dialogs = self.dialogs;
        dialogs.rows.extend_new(self.rows);
        dialogs.link_all(self.pinned);
        for (bucket, (mut activity, mut processing)) in self.keys {
            activity.sort_unstable();
            processing.sort_unstable();
            dialogs.buckets.insert(
                bucket,
                Index {
                    activity: activity.into_iter().collect(),
                    processing: processing.into_iter().collect(),
                },
            );
        }
        dialogs
    }
}

impl Dialogs {
    /// Link each customer to their dialogs, in the order of the customers' places in the table
    /// (it is written from one end to the other rather than at random, P7); a customer's
    /// dialogs keep their order.
    fn link_all(&mut self, mut pinned: Vec<(CustomerId, DialogId)>) {
        use std::hash::BuildHasher;
        self.by_customer.reserve(pinned.len());
        let mask = super::super::by_id::in_order_mask(self.by_customer.capacity());
        let hasher = self.by_customer.hasher().clone();
        pinned.sort_by_cached_key(|(c, _)| hasher.hash_one(c) & mask);
        for (c, d) in pinned {
            self.link(Some(c), d, true);
        }
    }

    /// Every index and counter but the buckets' sort indexes and the customers' links, for a
    /// row being restored.
    fn index_restored(&mut self, row: &DialogRow) {
        let id = row.id;
        if !row.deleted && row.inbound_count > 0 {
            self.count_inbound(Some(row.responsible), 1);
        }
        if let Some(p) = row.users() {
            for (user, seen) in &p.read_seen {
                if row.inbound_count > 0 && *seen >= row.inbound_count {
                    self.caught_up.entry(*user).or_default().insert(id);
                }
            }
            for user in &p.marked_unread {
                self.marked.entry(*user).or_default().insert(id);
            }
        }
    }
}
