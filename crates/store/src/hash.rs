//! The per-stream hash chain that makes history tamper-evident.
//!
//! An event's hash is `SHA-256("chatd-event-v1" ‖ prev_hash ‖ version ‖ content)`, where
//! `content = SHA-256(stream ‖ id ‖ type ‖ schema_version ‖ data ‖ metadata)` with every field
//! length-prefixed, so no two different events encode alike. Splitting off `content` lets callers
//! hash their payload in parallel while the single writer only chains 72 bytes per event.
//! The store's own timestamp is outside the hash (a cluster assigns it after the hash is made);
//! the domain's `at` is in the metadata and so covered.

use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const GENESIS: [u8; 32] = [0; 32];

/// Digest of everything an event says, without its place in the stream.
pub fn content_digest(
    stream: &str,
    id: &Uuid,
    event_type: &str,
    schema_version: u32,
    data: &[u8],
    metadata: &[u8],
) -> [u8; 32] {
    let mut h = Sha256::new();
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(stream.as_bytes());
    field(id.as_bytes());
    field(event_type.as_bytes());
    field(&schema_version.to_be_bytes());
    field(data);
    field(metadata);
    h.finalize().into()
}

/// The content digests of events about to be appended to `stream` (computed by the caller's
/// task, so the single writer only chains them).
pub fn content_digests(stream: &str, events: &[crate::NewEvent]) -> Vec<[u8; 32]> {
    events
        .iter()
        .map(|e| {
            content_digest(
                stream,
                &e.id,
                &e.event_type,
                e.schema_version,
                &e.data,
                &e.metadata,
            )
        })
        .collect()
}

/// Link an event's content to its predecessor.
pub fn chain(prev: &[u8; 32], version: u64, content: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"chatd-event-v1");
    h.update(prev);
    h.update(version.to_be_bytes());
    h.update(content);
    h.finalize().into()
}

/// Recompute a recorded event's hash from its parts.
pub fn recompute(e: &crate::RecordedEvent) -> [u8; 32] {
    let content = content_digest(
        &e.stream,
        &e.id,
        &e.event_type,
        e.schema_version,
        &e.data,
        &e.metadata,
    );
    chain(&e.prev_hash, e.version, &content)
}

pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}
