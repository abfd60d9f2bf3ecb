//! A table of boxed records found by the id each one holds: the table keeps one pointer a record
//! and no copy of its id (P6, P7: a million dialogs and a million customers kept two million
//! 16-byte ids, and their tables' empty half as much again).

use std::hash::{BuildHasher, Hash};

/// A record that knows its own id.
pub trait Keyed {
    type Id: Copy + Eq + Hash;
    fn id(&self) -> Self::Id;
}

pub struct ById<T: Keyed> {
    table: hashbrown::HashTable<Box<T>>,
    hasher: super::IdHash,
}

impl<T: Keyed> Default for ById<T> {
    fn default() -> Self {
        ById {
            table: hashbrown::HashTable::new(),
            hasher: super::IdHash::default(),
        }
    }
}

impl<T: Keyed> std::fmt::Debug for ById<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ById({} records)", self.table.len())
    }
}

impl<T: Keyed> ById<T> {
    fn hash(&self, id: T::Id) -> u64 {
        self.hasher.hash_one(id)
    }

    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    fn reserve(&mut self, n: usize) {
        let hasher = &self.hasher;
        self.table.reserve(n, |r| hasher.hash_one(r.id()));
    }

    pub fn get(&self, id: &T::Id) -> Option<&T> {
        let id = *id;
        self.table
            .find(self.hash(id), |r| r.id() == id)
            .map(Box::as_ref)
    }

    pub fn get_mut(&mut self, id: &T::Id) -> Option<&mut T> {
        let id = *id;
        let hash = self.hash(id);
        self.table.find_mut(hash, |r| r.id() == id).map(Box::as_mut)
    }

    pub fn contains_key(&self, id: &T::Id) -> bool {
        self.get(id).is_some()
    }

    /// Put `record` in place of any with its id; the one it replaced.
    pub fn insert(&mut self, record: Box<T>) -> Option<Box<T>> {
        let id = record.id();
        let hash = self.hash(id);
        let Self { table, hasher } = self;
        match table.entry(hash, |r| r.id() == id, |r| hasher.hash_one(r.id())) {
            hashbrown::hash_table::Entry::Occupied(mut e) => {
                Some(std::mem::replace(e.get_mut(), record))
            }
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(record);
                None
            }
        }
    }

    /// Add records whose ids the table does not hold and which are all distinct (a restore,
    /// from a snapshot written from a table like this one), in the order of their places in the
    /// table, so the table is written from one end to the other rather than at random (P7).
    pub fn extend_new(&mut self, records: Vec<Box<T>>) {
        self.reserve(records.len());
        let hasher = &self.hasher;
        let mut placed: Vec<(u64, Box<T>)> = records
            .into_iter()
            .map(|r| (hasher.hash_one(r.id()), r))
            .collect();
        sort_by_place(&mut placed, self.table.capacity());
        for (hash, r) in placed {
            self.table
                .insert_unique(hash, r, |r| hasher.hash_one(r.id()));
        }
    }

    /// Every record, in no order.
    pub fn values(&self) -> impl Iterator<Item = &T> {
        self.table.iter().map(Box::as_ref)
    }
}

/// Order entries, each with its hash, by the place each takes first in a hashbrown table of
/// `capacity` (a power of two buckets, seven eighths of them usable, so the place is the hash's
/// low bits): inserted in this order, the table is written from one end to the other rather
/// than at random (P7). Entries of one place keep their order.
pub(crate) fn sort_by_place<T>(entries: &mut [(u64, T)], capacity: usize) {
    let mask = (capacity.max(1).next_power_of_two() - 1) as u64;
    entries.sort_by_key(|(hash, _)| hash & mask);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    struct Rec(u64, &'static str);

    impl Keyed for Rec {
        type Id = u64;
        fn id(&self) -> u64 {
            self.0
        }
    }

    /// Records are found by their own ids after the table grew from empty, a second record
    /// with an id replaces the first (and is handed back), and absent ids find nothing.
    #[test]
    fn records_are_found_by_their_ids_and_replaced_by_id() {
        let mut t = ById::default();
        for i in 0..5000 {
            assert!(t.insert(Box::new(Rec(i, "first"))).is_none());
        }
        assert_eq!(t.len(), 5000);
        assert_eq!(
            t.insert(Box::new(Rec(42, "second"))).map(|r| r.1),
            Some("first")
        );
        assert_eq!(t.len(), 5000);
        assert_eq!(t.get(&42), Some(&Rec(42, "second")));
        assert_eq!(t.get(&4999).map(|r| r.1), Some("first"));
        assert!(t.get(&5000).is_none() && !t.contains_key(&7777));
        t.get_mut(&7).unwrap().1 = "changed";
        assert_eq!(t.get(&7).map(|r| r.1), Some("changed"));
        t.extend_new((5000..9000).map(|i| Box::new(Rec(i, "new"))).collect());
        assert_eq!(t.get(&5000).map(|r| r.1), Some("new"));
        assert_eq!(t.get(&8999).map(|r| r.1), Some("new"));
        assert_eq!(t.len(), 9000);
        let mut ids: Vec<u64> = t.values().map(|r| r.0).collect();
        ids.sort_unstable();
        assert_eq!(ids, (0..9000).collect::<Vec<_>>());
    }
}
