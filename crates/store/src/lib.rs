//! The event store: one trait, shaped so that both the embedded SQLite store and KurrentDB fit it,
//! and one contract suite (`contract`) that every backend passes.
//!
//! Invariants every backend keeps:
//! - an append is all or nothing, guarded by its expected version, and answered only once durable;
//! - appending the same event ids again returns the first result and writes nothing (retries);
//! - global positions strictly increase in commit order, and `$all` readers see no gaps;
//! - each event carries the hash of its stream predecessor (`hash`).
//!
//! Module map:
//! - `types`: positions, expected versions, new and recorded events, `StoreError`;
//! - `sqlite`: the embedded default (one file, WAL, group commit on one writer thread);
//! - `kurrent`: KurrentDB / EventStoreDB through the official `kurrentdb` crate;
//! - `postgres`: PostgreSQL (R33), commits serialised on one lock row so positions follow
//!   commit order;
//! - `ahead`: whole-log walks with the next page read while the current one is handled;
//! - `subscription`: the catch-up subscription both backends hand out;
//! - `hash`: the per-stream SHA-256 chain;
//! - `chains`: the auditor's walk over a scan of the log (chains, gaps, heads, checkpoints);
//! - `cluster` (R34): leases with fences and presence, for several nodes on one store;
//! - `copy`: moving a whole log between stores exactly as recorded (`chatd store copy`);
//! - `contract`: the suite every backend passes (`contract_suite!`).

pub mod ahead;
pub mod chains;
pub mod cluster;
pub mod contract;
pub mod copy;
pub mod hash;
pub mod keys;
pub mod kurrent;
pub mod postgres;
pub mod sqlite;
mod subscription;
mod types;

pub use kurrent::KurrentStore;
pub use postgres::PostgresStore;
pub use sqlite::{SqliteConfig, SqliteImport, SqliteStore, WriterStats};
pub use subscription::Subscription;
pub use types::*;

use async_trait::async_trait;

/// What [`EventStore::tap_live`] calls with each durable batch. It runs on the store's own
/// thread while appends wait for it, so it never blocks for long. It answers whether it wants
/// more (an empty batch only asks); `false` removes it.
pub type LiveTap = Box<dyn FnMut(&[std::sync::Arc<RecordedEvent>]) -> bool + Send>;

#[async_trait]
pub trait EventStore: Send + Sync + 'static {
    /// Append `events` to `stream` if its version is as `expected`.
    async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError>;

    /// Up to `limit` events of a stream, starting at version `from` (inclusive; `u64::MAX` reads
    /// backwards from the end).
    async fn read_stream(
        &self,
        stream: &str,
        from: u64,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Up to `limit` events of the global log after `after` (exclusive; `None` from the start).
    async fn read_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError>;

    /// Like `read_all`, for auditors: a row that cannot be read as an event is handed back as
    /// what could be read of it instead of failing the whole read. Backends whose reads cannot
    /// meet such a row keep this default.
    async fn scan_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<Scanned>, StoreError> {
        Ok(self
            .read_all(after, limit)
            .await?
            .into_iter()
            .map(Ok)
            .collect())
    }

    /// Whether global positions are 1, 2, 3, … with no hole (the embedded store's rowids): then
    /// a missing position is a removed event. KurrentDB's positions are byte offsets.
    fn contiguous_positions(&self) -> bool {
        false
    }

    /// Every event after `after` (exclusive), first from history, then live, with no gap and no
    /// duplicate at the seam.
    async fn subscribe_all(&self, after: Option<Position>) -> Result<Subscription, StoreError>;

    /// The stream's current version when the store knows it without I/O, reflecting at least
    /// every append it has answered; `None` when it does not know (then read the stream). Lets a
    /// caller holding a folded state skip re-reading a stream nobody else has written to.
    fn cached_version(&self, stream: &str) -> Option<u64> {
        let _ = stream;
        None
    }

    /// `append`, refused with `StoreError::LeaseLost` (nothing written) unless `fence` is still
    /// its lease's: work done under a lease (R34) cannot be done by a holder that lost it.
    async fn append_fenced(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        fence: &cluster::Fence,
    ) -> Result<AppendResult, StoreError>;

    /// Leases and presence shared by every node on this store (R34).
    fn cluster(&self) -> &dyn cluster::Cluster;

    /// R35's data keys, when this store keeps them (shared by every node on it); `None`: the
    /// caller keeps them beside the store (`keys::SqliteKeys` in the data directory).
    fn keys(&self) -> Option<&dyn keys::KeyStore> {
        None
    }

    /// A consumer that has applied every event up to `after` may take the rest of the log on
    /// the thread that makes it durable: `tap` is then called with each durable batch, in
    /// commit order, before anyone hears of it (the appenders' answers, subscribers, the head),
    /// and the consumer can drop its subscription. No thread hand-over between a durable event
    /// and its consumer (SPEC §7's P3; DECISIONS: "The read models follow on the sync thread").
    /// Refused (the tap handed back) unless `after` is the durable head at that instant, or while
    /// another tap still wants batches, or when the backend has no such thread (this default):
    /// the consumer goes on subscribing.
    fn tap_live(&self, after: Option<Position>, tap: LiveTap) -> Result<(), LiveTap> {
        let _ = after;
        Err(tap)
    }

    /// Position of the last event in the global log.
    async fn head(&self) -> Result<Option<Position>, StoreError>;

    /// Finish the appends already accepted, then refuse new ones.
    async fn close(&self);
}
