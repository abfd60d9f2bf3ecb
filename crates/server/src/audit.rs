//! The auditors' side: every stored event as they read it (through the audit API and `chatd audit
//! export`), and `chatd audit verify`, which re-walks every stream's hash chain.

use chatd_projections::codec::{decode_event, DecodeFailure};
use chatd_store::hash::{hex, recompute, GENESIS};
use chatd_store::{Direction, EventStore, Position, RecordedEvent, StoreError};
use serde::Serialize;
use std::collections::HashMap;
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

/// Where a chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Break {
    pub stream: String,
    pub version: u64,
    pub position: Position,
    pub reason: String,
}

impl std::fmt::Display for Break {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stream {} version {} (position {}): {}",
            self.stream, self.version, self.position, self.reason
        )
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Verified {
    pub events: u64,
    pub streams: u64,
    /// Events of streams outside chatd's categories, not chained by chatd.
    pub foreign: u64,
}

/// Re-walk every stream's hash chain over the global log: each event must follow its stream's
/// previous version, link to its hash, and hash to what is stored. Stops at the first break.
pub async fn verify(store: &dyn EventStore) -> Result<Result<Verified, Break>, StoreError> {
    let mut heads: HashMap<String, (u64, [u8; 32])> = HashMap::new();
    let mut report = Verified::default();
    let mut after = None;
    loop {
        let page = store.read_all(after, 4096).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.position);
        for e in &page {
            if matches!(decode_event(e), Err(DecodeFailure::UnknownCategory(_))) {
                report.foreign += 1;
                continue;
            }
            let broken = |reason: String| Break {
                stream: e.stream.clone(),
                version: e.version,
                position: e.position,
                reason,
            };
            let (expected_version, expected_prev) = match heads.get(&e.stream) {
                Some((v, h)) => (v + 1, *h),
                None => (0, GENESIS),
            };
            if e.version != expected_version {
                return Ok(Err(broken(format!(
                    "expected version {expected_version}: an event is missing or out of place"
                ))));
            }
            if e.prev_hash != expected_prev {
                return Ok(Err(broken(
                    "its link to the previous event does not match that event's hash".into(),
                )));
            }
            if recompute(e) != e.hash {
                return Ok(Err(broken(
                    "its content does not match its hash: the event was altered".into(),
                )));
            }
            if e.version == 0 {
                report.streams += 1;
            }
            heads.insert(e.stream.clone(), (e.version, e.hash));
            report.events += 1;
        }
    }
    Ok(Ok(report))
}
