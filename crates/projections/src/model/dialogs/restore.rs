//! Restoring the dialogs from a snapshot: the rows, their customers' links and each bucket's sort
//! keys are gathered as they are read, and go into their tables and trees once at the end.

use super::{placement, Bucket, DialogRow, Dialogs, Index, Key, Waiting};
use chatd_domain::{CustomerId, DialogId};
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Dialogs being restored from a snapshot: the counters and per-user sets are kept in step as
/// rows are read; the rows and the customers' links go into their tables at the end in the order
/// of their places there, and the buckets' sort indexes are bulk-built from sorted keys (not a
/// million tree inserts).
pub(crate) struct Restoring {
    dialogs: Dialogs,
    /// Boxed as they are read, as the table will hold them (one allocation a row).
    #[allow(clippy::vec_box)]
    rows: Vec<Box<DialogRow>>,
    /// Each row's customer (hashed as `by_customer` hashes it) and the row, in the rows' order.
    pinned: Vec<(u64, (CustomerId, DialogId))>,
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
            let hash = self.dialogs.by_customer.hasher().hash_one(c);
            self.pinned.push((hash, (c, row.id)));
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
    fn link_all(&mut self, mut pinned: Vec<(u64, (CustomerId, DialogId))>) {
        self.by_customer.reserve(pinned.len());
        super::super::by_id::sort_by_place(&mut pinned, self.by_customer.capacity());
        for (_, (c, d)) in pinned {
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
