//! The auditors' side (R29): every stored event as they read it (through the audit API and
//! `chatd audit export`); `verify`, the walk over the whole log; `key`, the Ed25519 key chatd
//! signs with; `checkpoint`, the signed commitment to every stream's head; `cli`, the
//! `chatd audit` commands.

pub mod checkpoint;
pub mod cli;
pub mod key;
pub mod verify;

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
/// written, data as written but for redacted secrets), with its place and its chain links.
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

pub fn audit_event(e: &RecordedEvent) -> AuditEvent {
    let mut data = json_or_text(&e.data);
    redact(&mut data);
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
