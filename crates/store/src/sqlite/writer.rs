//! Group commit: one thread owns the write connection, takes every append waiting at that moment
//! into one transaction, and answers each caller only after that transaction is durable: after
//! its own fsync, or, with the syncer (`durable`), after that thread's fsync, which covers every
//! transaction committed while the last one ran.
//! A conflicting append fails alone: each append is checked before it writes anything, so its
//! batch-mates commit regardless. A failure of SQLite itself fails the whole batch, which is then
//! rolled back: nobody is told "done" for anything that is not on disk.

use super::durable::{self, publish, Committed, Syncer};
use super::schema::{row_to_event, to_hash, SELECT_EVENT};
use super::Shared;
use crate::hash::{chain, GENESIS};
use crate::{AppendResult, ExpectedVersion, NewEvent, Position, RecordedEvent, StoreError};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

pub struct AppendRequest {
    pub stream: String,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
    /// `hash::content_digest` of each event, computed by the caller off the writer thread.
    pub digests: Vec<[u8; 32]>,
    pub reply: oneshot::Sender<Result<AppendResult, StoreError>>,
}

/// Most events one transaction takes, so one huge wave of appends still commits in slices.
const MAX_BATCH_EVENTS: usize = 8192;
/// Longest a batch waits for writers expected back; far below one fsync.
const LINGER: Duration = Duration::from_micros(100);
/// Stream heads remembered by the writer; beyond it the cache starts afresh.
const HEAD_CACHE: usize = 200_000;
/// Appends remembered for idempotent retries with `Any`/`StreamExists`.
const RECENT_APPENDS: usize = 65_536;

#[derive(Clone, Copy)]
struct Head {
    version: u64,
    hash: [u8; 32],
}

struct RecentAppend {
    stream: String,
    ids: Vec<Uuid>,
    result: AppendResult,
}

/// A window of recent appends by first event id. `Exact`/`NoStream` retries are recognised from
/// the stream itself and need no window; `Any` retries are recognised while in the window, as in
/// KurrentDB.
#[derive(Default)]
struct Recent {
    by_first_id: HashMap<Uuid, RecentAppend>,
    order: VecDeque<Uuid>,
}

impl Recent {
    fn remember(&mut self, req: &AppendRequest, result: AppendResult) {
        let first = req.events[0].id;
        if self.order.len() >= RECENT_APPENDS {
            if let Some(old) = self.order.pop_front() {
                self.by_first_id.remove(&old);
            }
        }
        self.order.push_back(first);
        self.by_first_id.insert(
            first,
            RecentAppend {
                stream: req.stream.clone(),
                ids: req.events.iter().map(|e| e.id).collect(),
                result,
            },
        );
    }

    fn find(&self, req: &AppendRequest) -> Option<AppendResult> {
        let r = self.by_first_id.get(&req.events[0].id)?;
        (r.stream == req.stream && r.ids.iter().eq(req.events.iter().map(|e| &e.id)))
            .then_some(r.result)
    }

    fn clear(&mut self) {
        self.by_first_id.clear();
        self.order.clear();
    }
}

pub struct Writer {
    conn: Connection,
    heads: HashMap<String, Head>,
    recent: Recent,
    shared: Arc<Shared>,
    /// Position of the next event committed: ahead of the durable head while the syncer works.
    next_position: u64,
    /// None: the connection syncs each commit itself (`synchronous=FULL`).
    syncer: Option<Syncer>,
}

impl Writer {
    pub fn new(conn: Connection, shared: Arc<Shared>, syncer: Option<Syncer>) -> Self {
        Writer {
            conn,
            heads: HashMap::new(),
            recent: Recent::default(),
            next_position: shared.head() + 1,
            shared,
            syncer,
        }
    }

    pub fn run(mut self, mut rx: mpsc::Receiver<AppendRequest>, max_batch: usize) {
        let mut batch = Vec::with_capacity(max_batch);
        let mut last_batch = 1;
        while let Some(first) = rx.blocking_recv() {
            let mut events = first.events.len();
            batch.push(first);
            // Callers answered by the last commit are usually on their way back with the next
            // append: linger briefly for as many as that commit (or the callers now waiting) had,
            // so concurrent writers share one fsync instead of alternating in two halves.
            // With the syncer, the callers of the last commit wait for its fsync, not for this
            // thread: linger only for appends already on their way here.
            let coming = self.shared.in_flight.load(Ordering::Relaxed);
            let target = match self.syncer {
                None => last_batch.max(coming),
                Some(_) => coming.saturating_sub(self.shared.syncing.load(Ordering::Relaxed)),
            }
            .min(max_batch);
            let linger_until = Instant::now() + LINGER;
            while batch.len() < max_batch && events < MAX_BATCH_EVENTS {
                match rx.try_recv() {
                    Ok(req) => {
                        events += req.events.len();
                        batch.push(req);
                    }
                    Err(mpsc::error::TryRecvError::Empty)
                        if batch.len() < target && Instant::now() < linger_until =>
                    {
                        std::thread::yield_now();
                    }
                    Err(_) => break,
                }
            }
            last_batch = batch.len();
            self.commit_batch(&mut batch);
        }
        if let Some(syncer) = self.syncer.take() {
            syncer.finish();
        }
        tracing::debug!("event store writer stopped: every accepted append is answered");
    }

    fn commit_batch(&mut self, batch: &mut Vec<AppendRequest>) {
        // R28: appends that share one commit (group commit), for operators.
        metrics::histogram!("chatd_store_commit_batch_size").record(batch.len() as f64);
        if self.shared.failed.load(Ordering::Acquire) {
            for req in batch.drain(..) {
                let _ = req.reply.send(Err(durable::refused(durable::EARLIER)));
            }
            return;
        }
        let now = OffsetDateTime::now_utc();
        let first_position = self.next_position;
        let mut recorded: Vec<Arc<RecordedEvent>> = Vec::new();
        let mut outcomes = Vec::with_capacity(batch.len());
        let result = (|| -> Result<(), StoreError> {
            let tx = self
                .conn
                .transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut next = first_position;
            for req in batch.iter() {
                let outcome = append_one(
                    &tx,
                    &mut self.heads,
                    &self.recent,
                    req,
                    next,
                    now,
                    &mut recorded,
                );
                match &outcome {
                    Ok(Appended::New(res)) => {
                        next = res.position.commit + 1;
                        self.recent.remember(req, *res);
                    }
                    Ok(Appended::Retry(_)) => {}
                    // Refusals are the caller's; SQLite failing is everyone's.
                    Err(StoreError::Internal(e)) => return Err(StoreError::Internal(e.clone())),
                    Err(_) => {}
                }
                outcomes.push(outcome.map(Appended::result));
            }
            tx.commit()?;
            Ok(())
        })();
        match result {
            Ok(()) => {
                self.shared.commits.fetch_add(1, Ordering::Relaxed);
                self.shared
                    .appends
                    .fetch_add(batch.len() as u64, Ordering::Relaxed);
                if let Some(last) = recorded.last() {
                    self.next_position = last.position.commit + 1;
                }
                let committed = Committed {
                    recorded,
                    answers: batch.drain(..).map(|r| r.reply).zip(outcomes).collect(),
                };
                self.shared
                    .syncing
                    .fetch_add(committed.answers.len(), Ordering::Relaxed);
                match &self.syncer {
                    Some(syncer) => syncer.hand(committed),
                    None => publish(&self.shared, committed),
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "event store commit failed; the whole batch is refused");
                // The caches may hold what was rolled back.
                self.heads.clear();
                self.shared.versions.lock().expect("versions lock").clear();
                self.recent.clear();
                for req in batch.drain(..) {
                    let _ = req.reply.send(Err(e.clone()));
                }
            }
        }
        if self.heads.len() > HEAD_CACHE {
            self.heads.clear();
        }
    }
}

enum Appended {
    New(AppendResult),
    Retry(AppendResult),
}

impl Appended {
    fn result(self) -> AppendResult {
        match self {
            Appended::New(r) | Appended::Retry(r) => r,
        }
    }
}

fn head_of(
    conn: &Connection,
    heads: &HashMap<String, Head>,
    stream: &str,
) -> Result<Option<Head>, StoreError> {
    if let Some(h) = heads.get(stream) {
        return Ok(Some(*h));
    }
    Ok(conn
        .prepare_cached(
            "SELECT version, hash FROM events WHERE stream = ?1 ORDER BY version DESC LIMIT 1",
        )?
        .query_row([stream], |r| {
            Ok(Head {
                version: r.get::<_, i64>(0)? as u64,
                hash: to_hash(r.get(1)?)?,
            })
        })
        .optional()?)
}

fn append_one(
    conn: &Connection,
    heads: &mut HashMap<String, Head>,
    recent: &Recent,
    req: &AppendRequest,
    first_position: u64,
    now: OffsetDateTime,
    recorded: &mut Vec<Arc<RecordedEvent>>,
) -> Result<Appended, StoreError> {
    if req.events.is_empty() {
        return Err(StoreError::Invalid(
            "an append needs at least one event".into(),
        ));
    }
    let head = head_of(conn, heads, &req.stream)?;
    let current = head.map(|h| h.version);
    if !req.expected.admits(current) {
        return earlier_append(conn, req).and_then(|found| {
            found
                .map(Appended::Retry)
                .ok_or_else(|| StoreError::WrongExpectedVersion {
                    stream: req.stream.clone(),
                    expected: req.expected,
                    actual: current,
                })
        });
    }
    if matches!(
        req.expected,
        ExpectedVersion::Any | ExpectedVersion::StreamExists
    ) {
        if let Some(done) = recent.find(req) {
            return Ok(Appended::Retry(done));
        }
    }
    let mut prev = head.map_or(GENESIS, |h| h.hash);
    let mut version = current.map_or(0, |v| v + 1);
    let mut position = first_position;
    let recorded_at = now.unix_timestamp_nanos() as i64;
    let mut insert = conn.prepare_cached(
        "INSERT INTO events (position, stream, version, id, event_type, schema_version, data, \
         metadata, recorded_at, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for (e, digest) in req.events.iter().zip(&req.digests) {
        let hash = chain(&prev, version, digest);
        insert.execute(params![
            position as i64,
            req.stream,
            version as i64,
            e.id.as_bytes(),
            e.event_type,
            e.schema_version,
            e.data,
            e.metadata,
            recorded_at,
            prev,
            hash
        ])?;
        recorded.push(Arc::new(RecordedEvent {
            stream: req.stream.clone(),
            version,
            id: e.id,
            event_type: e.event_type.clone(),
            schema_version: e.schema_version,
            data: e.data.clone(),
            metadata: e.metadata.clone(),
            position: Position::single(position),
            recorded_at: now,
            prev_hash: prev,
            hash,
        }));
        prev = hash;
        version += 1;
        position += 1;
    }
    let last = version - 1;
    heads.insert(
        req.stream.clone(),
        Head {
            version: last,
            hash: prev,
        },
    );
    Ok(Appended::New(AppendResult {
        version: last,
        position: Position::single(position - 1),
    }))
}

/// A retry of an append whose expected version no longer holds: it is the same append when the
/// events right after the expected version carry the same ids, and then the first append's result
/// is the answer. Events there with other ids make it a real conflict.
fn earlier_append(
    conn: &Connection,
    req: &AppendRequest,
) -> Result<Option<AppendResult>, StoreError> {
    let from = match req.expected {
        ExpectedVersion::NoStream => 0,
        ExpectedVersion::Exact(v) => v + 1,
        ExpectedVersion::Any | ExpectedVersion::StreamExists => return Ok(None),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "{SELECT_EVENT} WHERE stream = ?1 AND version >= ?2 ORDER BY version LIMIT ?3"
    ))?;
    let stored = stmt
        .query_map(
            params![req.stream, from as i64, req.events.len() as i64],
            row_to_event,
        )?
        .collect::<Result<Vec<_>, _>>()?;
    let same = stored.len() == req.events.len()
        && stored.iter().zip(&req.events).all(|(s, e)| s.id == e.id);
    if same {
        let last = stored.last().expect("non-empty append");
        return Ok(Some(AppendResult {
            version: last.version,
            position: last.position,
        }));
    }
    if stored.first().is_some_and(|s| s.id == req.events[0].id) {
        // Begins like the earlier append but differs after: not a retry of it.
        return Err(StoreError::IdempotencyConflict(req.events[0].id));
    }
    Ok(None)
}
