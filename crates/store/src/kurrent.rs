//! The clustered backend: KurrentDB (EventStoreDB) through the official `kurrentdb` gRPC client.
//!
//! Mapping:
//! - versions are stream revisions; `ExpectedVersion` becomes `StreamState` (an `Any` append is
//!   turned into an exact revision, because the hash chain needs the predecessor it links to);
//! - positions keep both commit and prepare parts; reads and subscriptions from a position are
//!   exclusive, as the trait says (KurrentDB's `$all` reads include the start, so it is skipped);
//! - chatd's schema version, metadata and hash chain travel in the event's custom metadata as
//!   `{"chatd": 1, "v": <schema version>, "prev": <hex>, "hash": <hex>, "meta": <metadata>}`;
//!   data and metadata bytes are kept exactly (raw JSON), so hashes verify after a round trip;
//! - `chrono` timestamps become `time` at this boundary, and the crate's errors become
//!   `StoreError` (wrong expected version, not-leader, deadlines, access denied).
//! - The subscription resubscribes after a dropped connection from the last position it
//!   delivered, so consumers see neither a gap nor a duplicate.

use crate::hash::{chain, content_digests, GENESIS};
use crate::subscription::Subscription;
use crate::{
    AppendResult, Direction, EventStore, ExpectedVersion, NewEvent, Position, RecordedEvent,
    StoreError,
};
use async_trait::async_trait;
use kurrentdb::{
    AppendToStreamOptions, Client, ClientSettings, CurrentRevision, EventData, ReadAllOptions,
    ReadStreamOptions, StreamPosition, StreamState, SubscribeToAllOptions, SubscriptionFilter,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;
use time::OffsetDateTime;

/// How many times an append re-reads and retries when the stream moved under an `Any` append.
const APPEND_ATTEMPTS: usize = 16;
/// Pause before resubscribing after a dropped subscription.
const RESUBSCRIBE_AFTER: Duration = Duration::from_millis(500);

pub struct KurrentStore {
    client: Client,
    closed: AtomicBool,
    /// Leases and presence are this process's only on KurrentDB so far: run the work that must
    /// happen once on one node (docs/KURRENTDB.md).
    cluster: crate::cluster::LocalCluster,
}

impl KurrentStore {
    /// Connect with a connection string such as `kurrentdb://localhost:2113?tls=false`.
    /// The client connects lazily: an unreachable server shows on the first call.
    pub fn connect(connection: &str) -> Result<Arc<KurrentStore>, StoreError> {
        let settings: ClientSettings = connection
            .parse()
            .map_err(|e| StoreError::Invalid(format!("KurrentDB connection string: {e}")))?;
        let client = Client::new(settings).map_err(|e| StoreError::Unavailable(e.to_string()))?;
        Ok(Arc::new(KurrentStore {
            cluster: Default::default(),
            client,
            closed: AtomicBool::new(false),
        }))
    }

    /// Whether the server answers (for tests and start-up checks).
    pub async fn ping(&self) -> Result<(), StoreError> {
        self.head().await.map(|_| ())
    }
}

/// chatd's part of an event's custom metadata.
#[derive(Serialize, Deserialize)]
struct Envelope<'a> {
    chatd: u32,
    v: u32,
    prev: String,
    hash: String,
    #[serde(borrow, default, skip_serializing_if = "Option::is_none")]
    meta: Option<&'a RawValue>,
    /// Metadata that is not JSON, in hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    meta_hex: Option<String>,
}

fn map_err(stream: &str, expected: ExpectedVersion, e: kurrentdb::Error) -> StoreError {
    use kurrentdb::Error as K;
    match e {
        K::WrongExpectedVersion { current, .. } => StoreError::WrongExpectedVersion {
            stream: stream.to_owned(),
            expected,
            actual: match current {
                CurrentRevision::Current(v) => Some(v),
                CurrentRevision::NoStream => None,
            },
        },
        K::NotLeaderException(leader) => StoreError::Unavailable(format!(
            "this node is not the leader (leader: {}:{}); retry",
            leader.host, leader.port
        )),
        K::DeadlineExceeded => StoreError::Unavailable("KurrentDB deadline exceeded".into()),
        K::AccessDenied => StoreError::Unavailable(
            "KurrentDB denied access: check the credentials in the connection string".into(),
        ),
        K::ConnectionClosed | K::GrpcConnectionError(_) => {
            StoreError::Unavailable(format!("KurrentDB connection: {e}"))
        }
        other => StoreError::Internal(format!("KurrentDB: {other}")),
    }
}

/// The client's `chrono` timestamp as `time`, at this boundary only.
fn time_of(e: &kurrentdb::RecordedEvent) -> OffsetDateTime {
    e.created
        .timestamp_nanos_opt()
        .and_then(|n| OffsetDateTime::from_unix_timestamp_nanos(i128::from(n)).ok())
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

fn hex32(s: &str) -> [u8; 32] {
    let mut out = [0u8; 32];
    if s.len() == 64 {
        for (i, b) in out.iter_mut().enumerate() {
            *b = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap_or(0);
        }
    }
    out
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .filter_map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok())
        .collect()
}

/// One KurrentDB event as chatd's `RecordedEvent`.
fn recorded(e: &kurrentdb::RecordedEvent) -> RecordedEvent {
    let envelope = serde_json::from_slice::<Envelope>(&e.custom_metadata)
        .ok()
        .filter(|env| env.chatd == 1);
    let (schema_version, metadata, prev_hash, hash) = match envelope {
        Some(env) => (
            env.v,
            match (env.meta, &env.meta_hex) {
                (Some(raw), _) => raw.get().as_bytes().to_vec(),
                (None, Some(h)) => unhex(h),
                (None, None) => Vec::new(),
            },
            hex32(&env.prev),
            hex32(&env.hash),
        ),
        // Written by someone else: no chain to speak of.
        None => (1, e.custom_metadata.to_vec(), GENESIS, GENESIS),
    };
    RecordedEvent {
        stream: e.stream_id().to_owned(),
        version: e.revision,
        id: e.id,
        event_type: e.event_type.clone(),
        schema_version,
        data: e.data.to_vec(),
        metadata,
        position: Position {
            commit: e.position.commit,
            prepare: e.position.prepare,
        },
        recorded_at: time_of(e),
        prev_hash,
        hash,
    }
}

fn is_system(stream: &str) -> bool {
    stream.starts_with('$')
}

fn to_kurrent(p: Position) -> kurrentdb::Position {
    kurrentdb::Position {
        commit: p.commit,
        prepare: p.prepare,
    }
}

/// An event as KurrentDB stores it, with chatd's envelope.
fn event_data(e: &NewEvent, prev: &[u8; 32], hash: &[u8; 32]) -> Result<EventData, StoreError> {
    let data = match serde_json::from_slice::<&RawValue>(&e.data) {
        Ok(raw) => EventData::json(&e.event_type, &raw)
            .map_err(|err| StoreError::Invalid(err.to_string()))?,
        Err(_) => EventData::binary(&e.event_type, e.data.clone().into()),
    };
    let meta = serde_json::from_slice::<&RawValue>(&e.metadata).ok();
    let envelope = Envelope {
        chatd: 1,
        v: e.schema_version,
        prev: crate::hash::hex(prev),
        hash: crate::hash::hex(hash),
        meta,
        meta_hex: match meta {
            None if !e.metadata.is_empty() => Some(crate::hash::hex(&e.metadata)),
            _ => None,
        },
    };
    data.id(e.id)
        .metadata_as_json(&envelope)
        .map_err(|err| StoreError::Invalid(err.to_string()))
}

impl KurrentStore {
    async fn read(
        &self,
        stream: &str,
        from: StreamPosition<u64>,
        backwards: bool,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let options = ReadStreamOptions::default().position(from).max_count(limit);
        let options = if backwards {
            options.backwards()
        } else {
            options.forwards()
        };
        let err = |e| map_err(stream, ExpectedVersion::Any, e);
        let mut read = match self.client.read_stream(stream, &options).await {
            Ok(r) => r,
            Err(kurrentdb::Error::ResourceNotFound) => return Ok(Vec::new()),
            Err(e) => return Err(err(e)),
        };
        let mut out = Vec::new();
        loop {
            match read.next().await {
                Ok(Some(e)) => out.push(recorded(e.get_original_event())),
                Ok(None) => return Ok(out),
                Err(kurrentdb::Error::ResourceNotFound) => return Ok(out),
                Err(e) => return Err(err(e)),
            }
        }
    }

    /// The stream's last event, if any.
    async fn last(&self, stream: &str) -> Result<Option<RecordedEvent>, StoreError> {
        Ok(self.read(stream, StreamPosition::End, true, 1).await?.pop())
    }

    fn check_open(&self) -> Result<(), StoreError> {
        if self.closed.load(Ordering::Acquire) {
            Err(StoreError::Closed)
        } else {
            Ok(())
        }
    }
}

/// The result of an append already made with exactly these ids, if `found` is it.
fn same_append(found: &[RecordedEvent], events: &[NewEvent]) -> Option<AppendResult> {
    let last = found.last()?;
    (found.len() == events.len() && found.iter().zip(events).all(|(f, e)| f.id == e.id)).then_some(
        AppendResult {
            version: last.version,
            position: last.position,
        },
    )
}

#[async_trait]
impl EventStore for KurrentStore {
    async fn append(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
    ) -> Result<AppendResult, StoreError> {
        self.check_open()?;
        if events.is_empty() {
            return Err(StoreError::Invalid(
                "an append needs at least one event".into(),
            ));
        }
        let n = events.len();
        let wrong = |actual: Option<u64>| StoreError::WrongExpectedVersion {
            stream: stream.to_owned(),
            expected,
            actual,
        };
        for _ in 0..APPEND_ATTEMPTS {
            // Where the chain continues (`base`: the predecessor's version), after recognising a
            // retry of an append that already happened.
            let base: Option<RecordedEvent> = match expected {
                ExpectedVersion::Exact(v) => {
                    let found = self
                        .read(stream, StreamPosition::Position(v), false, n + 1)
                        .await?;
                    match found.first() {
                        Some(first) if first.version == v => {
                            if let Some(r) = same_append(&found[1..], &events) {
                                return Ok(r);
                            }
                            if found.len() > 1 {
                                return Err(wrong(self.last(stream).await?.map(|e| e.version)));
                            }
                            Some(first.clone())
                        }
                        _ => return Err(wrong(self.last(stream).await?.map(|e| e.version))),
                    }
                }
                ExpectedVersion::NoStream => {
                    let found = self.read(stream, StreamPosition::Start, false, n).await?;
                    if let Some(r) = same_append(&found, &events) {
                        return Ok(r);
                    }
                    if !found.is_empty() {
                        return Err(wrong(self.last(stream).await?.map(|e| e.version)));
                    }
                    None
                }
                ExpectedVersion::Any | ExpectedVersion::StreamExists => {
                    let mut found = self.read(stream, StreamPosition::End, true, n).await?;
                    found.reverse();
                    if let Some(r) = same_append(&found, &events) {
                        return Ok(r);
                    }
                    if found.is_empty() && expected == ExpectedVersion::StreamExists {
                        return Err(wrong(None));
                    }
                    found.pop()
                }
            };
            let mut prev = base.as_ref().map_or(GENESIS, |b| b.hash);
            let first = base.as_ref().map_or(0, |b| b.version + 1);
            let mut data = Vec::with_capacity(n);
            for ((version, e), content) in
                (first..).zip(&events).zip(content_digests(stream, &events))
            {
                let hash = chain(&prev, version, &content);
                data.push(event_data(e, &prev, &hash)?);
                prev = hash;
            }
            let state = base.as_ref().map_or(StreamState::NoStream, |b| {
                StreamState::StreamRevision(b.version)
            });
            let options = AppendToStreamOptions::default().stream_state(state);
            match self.client.append_to_stream(stream, &options, data).await {
                Ok(w) => {
                    // The position of the last event, read back so that a retry (which finds the
                    // events by reading) answers exactly the same.
                    let last = self
                        .read(
                            stream,
                            StreamPosition::Position(w.next_expected_version),
                            false,
                            1,
                        )
                        .await?;
                    let position = last.first().map_or(
                        Position {
                            commit: w.position.commit,
                            prepare: w.position.prepare,
                        },
                        |e| e.position,
                    );
                    return Ok(AppendResult {
                        version: w.next_expected_version,
                        position,
                    });
                }
                // Another writer got there first: look again (a retry of ours is recognised,
                // an `Any` append links to the new last event, anything else is a conflict).
                Err(kurrentdb::Error::WrongExpectedVersion { .. }) => continue,
                Err(e) => return Err(map_err(stream, expected, e)),
            }
        }
        Err(StoreError::Unavailable(format!(
            "stream {stream} kept moving during {APPEND_ATTEMPTS} attempts"
        )))
    }

    async fn read_stream(
        &self,
        stream: &str,
        from: u64,
        direction: Direction,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        let start = if from == u64::MAX {
            StreamPosition::End
        } else {
            StreamPosition::Position(from)
        };
        self.read(stream, start, direction == Direction::Backwards, limit)
            .await
    }

    async fn read_all(
        &self,
        after: Option<Position>,
        limit: usize,
    ) -> Result<Vec<RecordedEvent>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        let options = ReadAllOptions::default()
            .forwards()
            .position(after.map_or(StreamPosition::Start, |p| {
                StreamPosition::Position(to_kurrent(p))
            }))
            .filter(SubscriptionFilter::on_stream_name().exclude_system_events())
            .max_count(limit + 1);
        let err = |e| map_err("$all", ExpectedVersion::Any, e);
        let mut read = self.client.read_all(&options).await.map_err(err)?;
        let mut out = Vec::with_capacity(limit);
        while out.len() < limit {
            match read.next().await.map_err(err)? {
                Some(e) => {
                    let e = recorded(e.get_original_event());
                    // `$all` reads include their start: the trait's are exclusive.
                    if !is_system(&e.stream) && after.is_none_or(|a| e.position > a) {
                        out.push(e);
                    }
                }
                None => break,
            }
        }
        Ok(out)
    }

    async fn subscribe_all(&self, after: Option<Position>) -> Result<Subscription, StoreError> {
        self.check_open()?;
        let client = self.client.clone();
        Ok(Subscription::spawn(move |tx| async move {
            let mut last = after;
            loop {
                let options = SubscribeToAllOptions::default()
                    .position(last.map_or(StreamPosition::Start, |p| {
                        StreamPosition::Position(to_kurrent(p))
                    }))
                    .filter(SubscriptionFilter::on_stream_name().exclude_system_events());
                let mut sub = client.subscribe_to_all(&options).await;
                loop {
                    match sub.next().await {
                        Ok(e) => {
                            let e = recorded(e.get_original_event());
                            // Exclusive start, and no duplicate after a resubscription.
                            if is_system(&e.stream) || last.is_some_and(|l| e.position <= l) {
                                continue;
                            }
                            last = Some(e.position);
                            if tx.send(Ok(Arc::new(e))).await.is_err() {
                                return; // the consumer is gone
                            }
                        }
                        Err(e) => {
                            let e = map_err("$all", ExpectedVersion::Any, e);
                            match e {
                                // A dropped connection or a leader change: resubscribe from the
                                // last position delivered.
                                StoreError::Unavailable(reason) => {
                                    tracing::warn!(%reason, "KurrentDB subscription dropped; resubscribing");
                                    tokio::time::sleep(RESUBSCRIBE_AFTER).await;
                                    break;
                                }
                                other => {
                                    let _ = tx.send(Err(other)).await;
                                    return;
                                }
                            }
                        }
                    }
                }
            }
        }))
    }

    async fn append_fenced(
        &self,
        stream: &str,
        expected: ExpectedVersion,
        events: Vec<NewEvent>,
        fence: &crate::cluster::Fence,
    ) -> Result<AppendResult, StoreError> {
        if !self.cluster.admits(fence) {
            return Err(crate::cluster::stale(fence));
        }
        self.append(stream, expected, events).await
    }

    fn cluster(&self) -> &dyn crate::cluster::Cluster {
        &self.cluster
    }

    async fn head(&self) -> Result<Option<Position>, StoreError> {
        let options = ReadAllOptions::default()
            .backwards()
            .position(StreamPosition::End)
            .filter(SubscriptionFilter::on_stream_name().exclude_system_events())
            .max_count(1);
        let err = |e| map_err("$all", ExpectedVersion::Any, e);
        let mut read = self.client.read_all(&options).await.map_err(err)?;
        while let Some(e) = read.next().await.map_err(err)? {
            let e = e.get_original_event();
            if !is_system(e.stream_id()) {
                return Ok(Some(Position {
                    commit: e.position.commit,
                    prepare: e.position.prepare,
                }));
            }
        }
        Ok(None)
    }

    async fn close(&self) {
        // Appends are answered by the server before they return: nothing is pending here.
        self.closed.store(true, Ordering::Release);
    }
}
