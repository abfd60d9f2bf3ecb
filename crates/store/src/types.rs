use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use thiserror::Error;
use time::OffsetDateTime;
use uuid::Uuid;

/// A place in the global log. The embedded store has one sequence (`commit == prepare`);
/// KurrentDB has two, and both are kept so a checkpoint can be handed back to it exactly.
/// Ordered by commit, then prepare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Position {
    pub commit: u64,
    pub prepare: u64,
}

impl Position {
    pub const fn single(n: u64) -> Self {
        Position {
            commit: n,
            prepare: n,
        }
    }
}

/// `"42"` when both halves agree (the embedded store), `"42.40"` otherwise.
impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.commit == self.prepare {
            write!(f, "{}", self.commit)
        } else {
            write!(f, "{}.{}", self.commit, self.prepare)
        }
    }
}

impl FromStr for Position {
    type Err = std::num::ParseIntError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.split_once('.') {
            None => s.parse().map(Position::single),
            Some((c, p)) => Ok(Position {
                commit: c.parse()?,
                prepare: p.parse()?,
            }),
        }
    }
}

/// Optimistic concurrency: what the caller believes of the stream's version (0-based; the first
/// event of a stream has version 0, like a KurrentDB revision).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpectedVersion {
    Any,
    NoStream,
    StreamExists,
    Exact(u64),
}

impl ExpectedVersion {
    /// Whether a stream whose last version is `current` (`None`: no stream) is as expected.
    pub fn admits(self, current: Option<u64>) -> bool {
        match self {
            ExpectedVersion::Any => true,
            ExpectedVersion::NoStream => current.is_none(),
            ExpectedVersion::StreamExists => current.is_some(),
            ExpectedVersion::Exact(v) => current == Some(v),
        }
    }
}

/// An event to append. `id` is chosen by the client: appending the same ids again is a retry and
/// is answered with the first append's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEvent {
    pub id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub data: Vec<u8>,
    pub metadata: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedEvent {
    pub stream: String,
    pub version: u64,
    pub id: Uuid,
    pub event_type: String,
    pub schema_version: u32,
    pub data: Vec<u8>,
    pub metadata: Vec<u8>,
    pub position: Position,
    pub recorded_at: OffsetDateTime,
    /// Hash of the stream's previous event; zeros for the first.
    pub prev_hash: [u8; 32],
    /// SHA-256 of this event's canonical encoding, see `hash::event_hash`.
    pub hash: [u8; 32],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AppendResult {
    /// Version of the last event appended.
    pub version: u64,
    /// Global position of the last event appended.
    pub position: Position,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Forwards,
    Backwards,
}

#[derive(Debug, Error, Clone, PartialEq, Eq)]
pub enum StoreError {
    #[error("stream {stream}: expected version {expected:?}, actual {actual:?}")]
    WrongExpectedVersion {
        stream: String,
        expected: ExpectedVersion,
        actual: Option<u64>,
    },
    #[error("event id {0} was already appended elsewhere")]
    IdempotencyConflict(Uuid),
    #[error("invalid append: {0}")]
    Invalid(String),
    #[error("the store is closed")]
    Closed,
    #[error("the store is unavailable: {0}")]
    Unavailable(String),
    /// An append under a lease whose fence is no longer the lease's (R34).
    #[error("{0}")]
    LeaseLost(String),
    #[error("store failure: {0}")]
    Internal(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Internal(e.to_string())
    }
}

/// A row of the log that cannot be read as an event: what could be read of it, and why not.
/// Only a store changed behind chatd's back holds one; auditors' scans report it as a break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnreadableRow {
    pub position: Position,
    pub stream: Option<String>,
    pub version: Option<u64>,
    pub reason: String,
}

impl fmt::Display for UnreadableRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the row at position {} cannot be read: {}",
            self.position, self.reason
        )
    }
}

/// One row of an auditor's scan of the log.
pub type Scanned = Result<RecordedEvent, UnreadableRow>;
