//! Restoring the dialogs from a snapshot: every row goes in as it is read, and each bucket's sort
//! indexes are built once at the end from all their keys.

use super::{placement, Bucket, DialogRow, Dialogs, Index, Key, Waiting};
use std::collections::HashMap;

/// Dialogs being restored from a snapshot: rows go in as they are read, with every index kept in
/// step but the buckets' sort indexes, which are built once at the end from all their keys (a bulk
/// build from sorted keys, not a million tree inserts).
pub(crate) struct Restoring {
    dialogs: Dialogs,
    keys: HashMap<Bucket, (Vec<Key>, Vec<Key>)>,
}

impl Restoring {
    pub fn new(waiting: Waiting) -> Self {
        Restoring {
            dialogs: Dialogs {
                waiting,
                ..Dialogs::default()
            },
            keys: HashMap::new(),
        }
    }

    pub fn reserve(&mut self, rows: usize) {
        self.dialogs.rows.reserve(rows);
        self.dialogs.by_customer.reserve(rows);
    }

    pub fn insert(&mut self, row: DialogRow) {
        self.dialogs.index_restored(&row);
        if let Some(p) = placement(&row, &self.dialogs.waiting) {
            let (activity, processing) = self.keys.entry(p.bucket).or_default();
            activity.push(p.activity);
            processing.push(p.processing);
        }
        self.dialogs.rows.insert_new(Box::new(row));
    }

    pub fn finish(self) -> Dialogs {
        let mut dialogs = self.dialogs;
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
    /// Every index and counter but the buckets' sort indexes, for a row being restored.
    fn index_restored(&mut self, row: &DialogRow) {
        let id = row.id;
        self.link(row.customer_id, id, true);
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
