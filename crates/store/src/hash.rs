//! The per-stream hash chain that makes history tamper-evident. Each event's hash covers its
//! stream, version, id, type, schema version, data, metadata and the previous event's hash, in a
//! length-prefixed encoding so no two different events encode alike. The store's own timestamp is
//! deliberately outside it (a cluster assigns it after the hash is made); the domain's `at` is in
//! the metadata and so covered.

use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const GENESIS: [u8; 32] = [0; 32];

#[allow(clippy::too_many_arguments)]
pub fn event_hash(
    prev: &[u8; 32],
    stream: &str,
    version: u64,
    id: &Uuid,
    event_type: &str,
    schema_version: u32,
    data: &[u8],
    metadata: &[u8],
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"chatd-event-v1");
    h.update(prev);
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(stream.as_bytes());
    field(&version.to_be_bytes());
    field(id.as_bytes());
    field(event_type.as_bytes());
    field(&schema_version.to_be_bytes());
    field(data);
    field(metadata);
    h.finalize().into()
}

/// Recompute a recorded event's hash from its parts.
pub fn recompute(e: &crate::RecordedEvent) -> [u8; 32] {
    event_hash(
        &e.prev_hash,
        &e.stream,
        e.version,
        &e.id,
        &e.event_type,
        e.schema_version,
        &e.data,
        &e.metadata,
    )
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
