//! The auditors' side (R29): every stored event as they read it (through the audit API and
//! `chatd audit export`); `verify`, the walk over the whole log; `key`, the Ed25519 key chatd
//! signs with; `checkpoint`, the signed commitment to every stream's head; `cli`, the
//! `chatd audit` commands.

pub mod checkpoint;
pub mod cli;
pub mod key;
pub mod verify;

use chatd_projections::codec::subject_of;
use chatd_projections::privacy::Keyring;
use chatd_store::hash::hex;
use chatd_store::{Direction, EventStore, RecordedEvent, StoreError};
use serde::Serialize;
use time::OffsetDateTime;
use utoipa::ToSchema;

/// Fields that hold secrets or their hashes: shown as `"[redacted]"`.
const REDACTED: [&str; 4] = [
    "password_hash",
    "token_hash",
    "transport_token_hash",
    "webhook_secret",
];

/// One stored event as an auditor reads it: exactly as stored (type and schema version as
/// written, data as written but for redacted secrets and, R35, with sealed personal strings
/// opened, or `"[erased]"` once their customer was erased), with its place and its chain links.
#[derive(Serialize, ToSchema)]
pub struct AuditEvent {
    pub stream: String,
    /// Version within the stream (0-based).
    pub version: u64,
    /// Global position: pass as `after` to continue.
    pub position: String,
    pub id: uuid::Uuid,
    /// When the store recorded it.
    #[serde(with = "time::serde::rfc3339")]
    pub recorded_at: OffsetDateTime,
    /// When it happened, as the domain recorded it (`metadata.at`).
    pub at: Option<String>,
    /// Who did it (`metadata.actor`): `{type: user|bot|customer|channel|system, id}`.
    #[schema(value_type = Object)]
    pub author: serde_json::Value,
    /// The stored metadata, whole.
    #[schema(value_type = Object)]
    pub metadata: serde_json::Value,
    #[serde(rename = "type")]
    pub event_type: String,
    pub schema_version: u32,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// SHA-256 chain: this event's hash and its stream predecessor's.
    pub hash: String,
    pub prev_hash: String,
}

fn redact(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if REDACTED.contains(&k.as_str()) {
                    *v = serde_json::Value::String("[redacted]".into());
                } else {
                    redact(v);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(redact),
        _ => {}
    }
}

fn json_or_text(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes)
        .unwrap_or_else(|_| serde_json::Value::String(String::from_utf8_lossy(bytes).into_owned()))
}

/// R35: sealed personal strings as their subject's key opens them, or `"[erased]"` once it is
/// destroyed. The hashes still cover what is stored (the sealed form).
fn reveal(v: &mut serde_json::Value, keys: &Keyring, subject: uuid::Uuid) {
    match v {
        serde_json::Value::String(s) => {
            if let Some(clear) = keys.reveal(subject, s) {
                *s = clear;
            }
        }
        serde_json::Value::Object(map) => map.values_mut().for_each(|v| reveal(v, keys, subject)),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| reveal(v, keys, subject)),
        _ => {}
    }
}

/// Learn the keys of `events`' subjects that this node does not know yet (made on another node).
pub async fn learn_keys(
    keys: &chatd_app::privacy::Keys,
    store: &dyn EventStore,
    events: &[RecordedEvent],
) -> Result<(), StoreError> {
    for e in events {
        if let Some(subject) = subject_of(e) {
            if let chatd_projections::privacy::Lookup::Unknown = keys.ring.lookup(subject) {
                keys.fetch(store, subject).await?;
            }
        }
    }
    Ok(())
}

pub fn audit_event(e: &RecordedEvent, keys: &Keyring) -> AuditEvent {
    let mut data = json_or_text(&e.data);
    redact(&mut data);
    if let Some(subject) = subject_of(e) {
        reveal(&mut data, keys, subject);
    }
    let metadata = json_or_text(&e.metadata);
    AuditEvent {
        at: metadata["at"].as_str().map(str::to_owned),
        author: metadata["actor"].clone(),
        stream: e.stream.clone(),
        version: e.version,
        position: e.position.to_string(),
        id: e.id,
        recorded_at: e.recorded_at,
        metadata,
        event_type: e.event_type.clone(),
        schema_version: e.schema_version,
        data,
        hash: hex(&e.hash),
        prev_hash: hex(&e.prev_hash),
    }
}

/// Every event of one stream, oldest first.
pub async fn stream_events(
    store: &dyn EventStore,
    stream: &str,
) -> Result<Vec<RecordedEvent>, StoreError> {
    let mut out = Vec::new();
    loop {
        let page = store
            .read_stream(stream, out.len() as u64, Direction::Forwards, 1024)
            .await?;
        let full = page.len() == 1024;
        out.extend(page);
        if !full {
            return Ok(out);
        }
    }
}
