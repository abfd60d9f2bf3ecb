//! Signed checkpoints (R29): a commitment to every chained stream's head (version, hash,
//! position) at a position of the log, as the RFC 6962 Merkle root of the sorted heads, signed
//! with chatd's Ed25519 key. An auditor keeps one off the machine; `chatd audit verify
//! --checkpoint` later proves the log still extends it.
//!
//! The signed bytes are the UTF-8 text in `signed`, rebuilt from the other fields on every
//! check (see docs/AUDIT.md):
//!
//! ```text
//! chatd-checkpoint-v1
//! position: <position>
//! at: <RFC 3339 UTC, whole seconds>
//! streams: <count>
//! events: <count>
//! root: <64 hex digits>
//! ```

use super::key::{self, AuditKey};
use super::verify::Walk;
use chatd_store::chains::{merkle_root, merkle_root_sorted, Head, Kept};
use chatd_store::hash::hex;
use chatd_store::{EventStore, Position, StoreError};
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use utoipa::ToSchema;

pub const FORMAT: &str = "chatd-checkpoint-v1";

/// A signed checkpoint, as served and as an auditor keeps it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Checkpoint {
    /// `chatd-checkpoint-v1`.
    pub format: String,
    /// The last position of the log it covers (`"0"`: the empty log).
    pub position: String,
    /// When it was signed (RFC 3339, UTC, whole seconds).
    pub at: String,
    /// Chained streams, and the events in them.
    pub streams: u64,
    pub events: u64,
    /// Merkle root (RFC 6962) over the sorted heads, hex.
    pub root: String,
    /// The signing key: its id and its 32 bytes in hex.
    pub key_id: String,
    pub public_key: String,
    /// The exact bytes signed (UTF-8).
    pub signed: String,
    /// Ed25519 signature over `signed`, 64 bytes in hex.
    pub signature: String,
    /// Every chained stream's head, sorted by name; left out when asked for `heads=false`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heads: Option<Vec<HeadEntry>>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct HeadEntry {
    pub stream: String,
    pub version: u64,
    /// The head event's hash (hex).
    pub hash: String,
    pub position: String,
}

fn message(position: &str, at: &str, streams: u64, events: u64, root: &str) -> String {
    format!(
        "{FORMAT}\nposition: {position}\nat: {at}\nstreams: {streams}\nevents: {events}\nroot: {root}\n"
    )
}

/// Sign the heads of a log read up to `position`.
pub fn sign(
    key: &AuditKey,
    heads: &HashMap<String, Head>,
    position: Option<Position>,
    now: OffsetDateTime,
) -> Checkpoint {
    let mut sorted: Vec<(&str, &Head)> = heads.iter().map(|(s, h)| (s.as_str(), h)).collect();
    sorted.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    let root = hex(&merkle_root_sorted(&sorted));
    let position = position.map_or("0".to_owned(), |p| p.to_string());
    let at = now
        .to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(0)
        .expect("0 ns is valid")
        .format(&Rfc3339)
        .expect("a UTC time formats");
    let streams = sorted.len() as u64;
    let events = sorted.iter().map(|(_, h)| h.version + 1).sum();
    let signed = message(&position, &at, streams, events, &root);
    let public = key.public();
    Checkpoint {
        format: FORMAT.into(),
        signature: hex(&key.sign(signed.as_bytes()).to_bytes()),
        position,
        at,
        streams,
        events,
        root,
        key_id: key::key_id(&public),
        public_key: hex(public.as_bytes()),
        signed,
        heads: Some(
            sorted
                .into_iter()
                .map(|(stream, h)| HeadEntry {
                    stream: stream.to_owned(),
                    version: h.version,
                    hash: hex(&h.hash),
                    position: h.position.to_string(),
                })
                .collect(),
        ),
    }
}

/// Check a kept checkpoint against the key the auditor trusts, and hand back what it commits to.
pub fn check(cp: &Checkpoint, trusted: &VerifyingKey) -> Result<Kept, String> {
    if cp.format != FORMAT {
        return Err(format!("format {:?}: this chatd reads {FORMAT}", cp.format));
    }
    if cp.public_key != hex(trusted.as_bytes()) {
        return Err(format!(
            "it is signed by key {} ({}), not by the trusted key {}",
            cp.key_id,
            cp.public_key,
            key::key_id(trusted)
        ));
    }
    let signed = message(&cp.position, &cp.at, cp.streams, cp.events, &cp.root);
    if signed != cp.signed {
        return Err("its fields do not match the text it says was signed".into());
    }
    let signature: [u8; 64] = hex::decode(&cp.signature)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or("its signature is not 64 bytes of hex")?;
    trusted
        .verify_strict(signed.as_bytes(), &Signature::from_bytes(&signature))
        .map_err(|_| "its signature does not verify: the checkpoint was forged or altered")?;
    let entries = cp
        .heads
        .as_ref()
        .ok_or("it has no heads (fetched with heads=false): keep the full checkpoint")?;
    let mut heads = HashMap::with_capacity(entries.len());
    for h in entries {
        let hash: [u8; 32] = hex::decode(&h.hash)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| format!("head of {}: the hash is not 32 bytes of hex", h.stream))?;
        let position = h
            .position
            .parse()
            .map_err(|_| format!("head of {}: bad position {:?}", h.stream, h.position))?;
        let head = Head {
            version: h.version,
            hash,
            position,
        };
        if heads.insert(h.stream.clone(), head).is_some() {
            return Err(format!("stream {} is listed twice", h.stream));
        }
    }
    let root = hex(&merkle_root(heads.iter().map(|(s, h)| (s.as_str(), h))));
    if root != cp.root || heads.len() as u64 != cp.streams {
        return Err("its heads do not hash to its signed root: the list was altered".into());
    }
    let position: Position = cp
        .position
        .parse()
        .map_err(|_| format!("bad position {:?}", cp.position))?;
    Ok(Kept {
        position: (position != Position::single(0)).then_some(position),
        heads,
    })
}

/// A fresh checkpoint is made at most this often; in between, the last one is served.
pub const REFRESH: Duration = Duration::from_secs(5);

/// The server's checkpoints: one walk of the log kept and fed what the log gained since, so a
/// request costs the new events plus the root over the heads, at most once per [`REFRESH`];
/// concurrent requests wait for the one refresh. It never signs a log that does not verify.
pub struct Checkpointer {
    key: AuditKey,
    state: tokio::sync::Mutex<State>,
}

struct State {
    walk: Option<Walk>,
    last: Option<(Instant, Arc<Served>)>,
}

/// A checkpoint rendered once for every request until the next refresh.
pub struct Served {
    pub full: bytes::Bytes,
    pub summary: bytes::Bytes,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("the log does not verify ({total} breaks), first: {first}")]
    Broken { first: String, total: u64 },
}

impl Checkpointer {
    pub fn new(key: AuditKey) -> Self {
        Checkpointer {
            key,
            state: tokio::sync::Mutex::new(State {
                walk: None,
                last: None,
            }),
        }
    }

    pub fn public(&self) -> VerifyingKey {
        self.key.public()
    }

    pub async fn current(&self, store: &dyn EventStore) -> Result<Arc<Served>, CheckpointError> {
        let mut state = self.state.lock().await;
        if let Some((made, served)) = &state.last {
            if made.elapsed() < REFRESH {
                return Ok(served.clone());
            }
        }
        let walk = state.walk.get_or_insert_with(|| Walk::new(store));
        walk.catch_up(store).await?;
        let report = walk.report();
        if !report.intact() {
            return Err(CheckpointError::Broken {
                first: report
                    .breaks
                    .first()
                    .map_or_else(String::new, ToString::to_string),
                total: report.total_breaks,
            });
        }
        let mut cp = sign(
            &self.key,
            walk.heads(),
            walk.position(),
            OffsetDateTime::now_utc(),
        );
        let full = serde_json::to_vec(&cp).expect("a checkpoint serializes");
        cp.heads = None;
        let summary = serde_json::to_vec(&cp).expect("a checkpoint serializes");
        let served = Arc::new(Served {
            full: full.into(),
            summary: summary.into(),
        });
        state.last = Some((Instant::now(), served.clone()));
        Ok(served)
    }
}
