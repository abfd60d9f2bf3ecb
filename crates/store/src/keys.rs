//! The data keys of crypto-shredding (R35): one key per data subject (a customer, a file),
//! kept outside the log so that destroying it makes the subject's sealed fields unreadable while
//! the log, its hash chains and every checkpoint stay as they were.
//!
//! The store keeps keys *wrapped* (encrypted under the master key, which it never sees) and
//! knows nothing of what they protect. A destroyed key leaves a tombstone, so a subject's key is
//! never made again: what was sealed under it stays unreadable, and a writer that still holds an
//! event for the subject learns it is gone instead of sealing under a fresh key.

use crate::StoreError;
use async_trait::async_trait;
use uuid::Uuid;

/// What the store holds for a subject.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoredKey {
    /// Never had a key.
    Absent,
    /// The wrapped key.
    Live(Vec<u8>),
    /// Had one; it was destroyed.
    Destroyed,
}

#[async_trait]
pub trait KeyStore: Send + Sync {
    /// Keep `wrapped` as `subject`'s key unless the subject has one, or had one: what the store
    /// holds for it afterwards (the first writer's key when several create at once). Durable
    /// before it answers, since events sealed under the key follow.
    async fn create(&self, subject: Uuid, wrapped: &[u8]) -> Result<StoredKey, StoreError>;

    /// What the store holds for `subject`.
    async fn get(&self, subject: Uuid) -> Result<StoredKey, StoreError>;

    /// Every subject with a live or destroyed key (loaded once at start).
    async fn all(&self) -> Result<Vec<(Uuid, StoredKey)>, StoreError>;

    /// Destroy `subject`'s key (a tombstone stays): whether a live key was there.
    async fn destroy(&self, subject: Uuid) -> Result<bool, StoreError>;
}

pub use crate::sqlite::keys::SqliteKeys;
