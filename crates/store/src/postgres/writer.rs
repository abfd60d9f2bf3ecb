//! The append path on PostgreSQL: one writer task per process takes every append waiting at that
//! moment (group commit) into one transaction. The transaction first locks the log's one head
//! row (`SELECT … FOR UPDATE`), so transactions of every process commit one after another, and
//! positions are `head + 1, head + 2, …` in commit order: a follower reading by position can
//! never miss an event that commits after a later position became visible (DECISIONS,
//! "PostgreSQL: one lock row"). Each append is checked against its stream's head before it is
//! written; a refused append fails alone. Callers are answered after COMMIT.

use super::{error, Connector};
use crate::cluster::{stale, Fence};
use crate::copy::{check_continues, StreamHeads};
use crate::hash::{chain, GENESIS};
use crate::{AppendResult, ExpectedVersion, NewEvent, Position, RecordedEvent, StoreError};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::ToStatement;
use tokio_postgres::{Client, GenericClient, Row, Statement};

/// A batch that does not commit within this is answered `Unavailable` (the database is down or
/// stuck), never left hanging.
pub const BATCH_TIMEOUT: Duration = Duration::from_secs(5);
/// Longest a batch waits for writers expected back; a fraction of one commit.
const LINGER: Duration = Duration::from_micros(500);

pub struct AppendRequest {
    pub stream: String,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
    pub digests: Vec<[u8; 32]>,
    /// Work done under a lease (R34): refused unless this is still the lease's fence.
    pub fence: Option<Fence>,
    pub reply: oneshot::Sender<Result<AppendResult, StoreError>>,
}

/// The writer's loop until every sender is gone; it (re)connects as it needs to.
pub async fn run(connector: Connector, mut rx: mpsc::Receiver<AppendRequest>, max_batch: usize) {
    let mut conn: Option<Conn> = None;
    let mut last_batch = 1;
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        // Callers answered by the last commit are usually on their way back with their next
        // append: linger briefly for as many as that commit had, so concurrent writers share
        // one commit instead of alternating in two halves (as on SQLite).
        let target = last_batch.min(max_batch);
        let linger_until = std::time::Instant::now() + LINGER;
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(r) => batch.push(r),
                Err(mpsc::error::TryRecvError::Empty)
                    if batch.len() < target && std::time::Instant::now() < linger_until =>
                {
                    tokio::task::yield_now().await
                }
                Err(_) => break,
            }
        }
        last_batch = batch.len();
        let outcome = tokio::time::timeout(BATCH_TIMEOUT, async {
            if conn.as_ref().is_none_or(|c| c.client.is_closed()) {
                conn = Some(Conn::open(&connector).await?);
            }
            commit(conn.as_ref().expect("connected above"), &batch).await
        })
        .await
        .unwrap_or_else(|_| {
            Err(StoreError::Unavailable(format!(
                "PostgreSQL did not commit within {} s",
                BATCH_TIMEOUT.as_secs()
            )))
        });
        match outcome {
            Ok(results) => {
                for (req, result) in batch.into_iter().zip(results) {
                    let _ = req.reply.send(result);
                }
            }
            Err(e) => {
                // Nothing of the batch is committed (or it is unknown: the caller retries with
                // the same event ids, which the store recognises). Start afresh next time: the
                // dropped connection's open transaction, if any, is rolled back by the server.
                conn = None;
                for req in batch {
                    let _ = req.reply.send(Err(e.clone()));
                }
            }
        }
    }
}

const LOCK: &str = "SELECT position FROM chatd_log_head FOR UPDATE";
// One backwards index probe per stream (`DISTINCT ON` would read every version of every stream
// of the batch, so a long dialog would slow each of its appends).
const HEADS: &str = "SELECT s.stream, h.version, h.hash FROM unnest($1::text[]) AS s(stream) \
    CROSS JOIN LATERAL (SELECT version, hash FROM chatd_events e \
    WHERE e.stream = s.stream ORDER BY version DESC LIMIT 1) h";
// By (stream, id), the unique index's order: a lookup by id alone would scan the table.
const STORED: &str = "SELECT k.stream, k.id, e.version, e.position \
    FROM unnest($1::text[], $2::uuid[]) AS k(stream, id) \
    CROSS JOIN LATERAL (SELECT version, position FROM chatd_events e \
    WHERE e.stream = k.stream AND e.id = k.id) e";
// The leases named by the batch's fenced appends: holder, fence, and whether it still runs.
const LEASES: &str = "SELECT name, holder, fence, expires_at > clock_timestamp() \
    FROM chatd_leases WHERE name = ANY($1)";
const INSERT: &str = "INSERT INTO chatd_events (position, stream, version, id, event_type, \
    schema_version, data, metadata, recorded_at, prev_hash, hash) \
    SELECT * FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::uuid[], $5::text[], \
    $6::integer[], $7::bytea[], $8::bytea[], $9::bigint[], $10::bytea[], $11::bytea[])";

/// The writer's connection with its statements prepared, so that the statements of a batch can
/// be pipelined: the server runs a pipeline in order, and an unprepared statement would first
/// need a round trip of its own to be prepared.
struct Conn {
    client: Client,
    lock: Statement,
    heads: Statement,
    stored: Statement,
    leases: Statement,
    insert: Statement,
}

impl Conn {
    async fn open(connector: &Connector) -> Result<Conn, StoreError> {
        let client = connector.connect().await?;
        // Plan each execution with its parameters: a generic plan, made while the table was small,
        // joins the batch's keys to a scan of the whole table (seen: a third of the throughput).
        client
            .batch_execute("SET plan_cache_mode = force_custom_plan")
            .await
            .map_err(error)?;
        let (lock, heads, stored, leases, insert) = tokio::try_join!(
            client.prepare(LOCK),
            client.prepare(HEADS),
            client.prepare(STORED),
            client.prepare(LEASES),
            client.prepare(INSERT)
        )
        .map_err(error)?;
        Ok(Conn {
            client,
            lock,
            heads,
            stored,
            leases,
            insert,
        })
    }
}

/// One transaction for the whole batch; each request's own result (a refusal fails only it).
/// Whatever the batch's size, it costs two round trips: BEGIN, the head row's lock, the
/// streams' heads and the ids already stored, pipelined (the server runs them in order, so the
/// reads see every commit before the lock); then the multi-row insert, the head's update and
/// COMMIT, pipelined. A failure anywhere fails the batch; the caller drops the connection, which
/// rolls back what it began.
async fn commit(
    conn: &Conn,
    batch: &[AppendRequest],
) -> Result<Vec<Result<AppendResult, StoreError>>, StoreError> {
    let c = &conn.client;
    let streams: Vec<&str> = batch
        .iter()
        .map(|r| r.stream.as_str())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let (keys_streams, keys_ids): (Vec<&str>, Vec<uuid::Uuid>) = batch
        .iter()
        .flat_map(|r| r.events.iter().map(|e| (r.stream.as_str(), e.id)))
        .unzip();
    let lease_names: Vec<&str> = batch
        .iter()
        .filter_map(|r| r.fence.as_ref().map(|f| f.lease.as_str()))
        .collect();
    let (_, head, heads, stored, leases) = tokio::try_join!(
        async { c.batch_execute("BEGIN").await.map_err(error) },
        async { c.query_one(&conn.lock, &[]).await.map_err(error) },
        stream_heads(c, &conn.heads, &streams),
        async {
            c.query(&conn.stored, &[&keys_streams, &keys_ids])
                .await
                .map_err(error)
        },
        async {
            if lease_names.is_empty() {
                return Ok(Vec::new());
            }
            c.query(&conn.leases, &[&lease_names]).await.map_err(error)
        },
    )?;
    let head: i64 = head.get(0);
    let (mut heads, mut stored) = (heads, stored_ids(&stored));
    let leases: HashMap<String, (String, u64, bool)> = leases
        .iter()
        .map(|r| {
            (
                r.get::<_, String>(0),
                (r.get(1), r.get::<_, i64>(2) as u64, r.get(3)),
            )
        })
        .collect();
    let now = OffsetDateTime::now_utc();
    let mut rows = Rows::default();
    let mut next = head + 1;
    let results: Vec<_> = batch
        .iter()
        .map(|req| {
            if let Some(f) = &req.fence {
                let held = leases
                    .get(&f.lease)
                    .is_some_and(|(holder, fence, running)| {
                        *holder == f.holder && *fence == f.fence && *running
                    });
                if !held {
                    return Err(stale(f));
                }
            }
            append_one(&mut heads, &mut stored, req, &mut next, now, &mut rows)
        })
        .collect();
    // The rows, then the new head, a hint for followers (delivered at commit; they also poll)
    // and COMMIT, pipelined. Should the insert fail, the server refuses the rest in the aborted
    // transaction and the error fails the batch.
    let finish = if next > head + 1 {
        format!(
            "UPDATE chatd_log_head SET position = {}; NOTIFY chatd_log; COMMIT",
            next - 1
        )
    } else {
        "COMMIT".to_owned()
    };
    tokio::try_join!(
        async {
            if rows.position.is_empty() {
                Ok(())
            } else {
                rows.insert(c, &conn.insert).await
            }
        },
        async { c.batch_execute(&finish).await.map_err(error) }
    )?;
    Ok(results)
}

/// `chatd store copy` into PostgreSQL: `events` recorded elsewhere, written as they are in one
/// transaction under the same head lock as appends (so even a serving chatd cannot interleave),
/// if they continue the log and their streams (`copy::check_continues`).
pub async fn import(client: &mut Client, events: &[RecordedEvent]) -> Result<(), StoreError> {
    let Some(last) = events.last() else {
        return Ok(());
    };
    let tx = client.transaction().await.map_err(error)?;
    let head: i64 = tx.query_one(LOCK, &[]).await.map_err(error)?.get(0);
    let streams: Vec<&str> = events
        .iter()
        .map(|e| e.stream.as_str())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let mut heads = stream_heads(&tx, HEADS, &streams).await?;
    check_continues(head as u64, events, &mut heads)?;
    let mut rows = Rows::default();
    for e in events {
        rows.push_recorded(e);
    }
    rows.insert(&tx, INSERT).await?;
    tx.batch_execute(&format!(
        "UPDATE chatd_log_head SET position = {}; NOTIFY chatd_log",
        last.position.commit
    ))
    .await
    .map_err(error)?;
    tx.commit().await.map_err(error)
}

/// Each stream's last version and hash, for the streams of the batch.
async fn stream_heads<S>(
    c: &impl GenericClient,
    statement: &S,
    streams: &[&str],
) -> Result<StreamHeads, StoreError>
where
    S: ToStatement + Sync + Send + ?Sized,
{
    let rows = c.query(statement, &[&streams]).await.map_err(error)?;
    Ok(rows
        .iter()
        .map(|r| {
            let hash: &[u8] = r.get(2);
            (
                r.get::<_, String>(0),
                (
                    r.get::<_, i64>(1) as u64,
                    hash.try_into().unwrap_or(GENESIS),
                ),
            )
        })
        .collect())
}

/// Where each event id of the batch already stands: `(stream, id) -> (version, position)`.
type Stored = HashMap<(String, uuid::Uuid), (u64, i64)>;

fn stored_ids(rows: &[Row]) -> Stored {
    rows.iter()
        .map(|r| {
            (
                (r.get::<_, String>(0), r.get::<_, uuid::Uuid>(1)),
                (r.get::<_, i64>(2) as u64, r.get::<_, i64>(3)),
            )
        })
        .collect()
}

/// The rows a batch writes, column by column, for one `INSERT … SELECT FROM unnest(…)`.
#[derive(Default)]
struct Rows {
    position: Vec<i64>,
    stream: Vec<String>,
    version: Vec<i64>,
    id: Vec<uuid::Uuid>,
    event_type: Vec<String>,
    schema_version: Vec<i32>,
    data: Vec<Vec<u8>>,
    metadata: Vec<Vec<u8>>,
    recorded_at: Vec<i64>,
    prev_hash: Vec<Vec<u8>>,
    hash: Vec<Vec<u8>>,
}

impl Rows {
    fn push_recorded(&mut self, e: &RecordedEvent) {
        self.position.push(e.position.commit as i64);
        self.stream.push(e.stream.clone());
        self.version.push(e.version as i64);
        self.id.push(e.id);
        self.event_type.push(e.event_type.clone());
        self.schema_version.push(e.schema_version as i32);
        self.data.push(e.data.clone());
        self.metadata.push(e.metadata.clone());
        self.recorded_at
            .push(e.recorded_at.unix_timestamp_nanos() as i64);
        self.prev_hash.push(e.prev_hash.to_vec());
        self.hash.push(e.hash.to_vec());
    }

    async fn insert<S>(&self, c: &impl GenericClient, statement: &S) -> Result<(), StoreError>
    where
        S: ToStatement + Sync + Send + ?Sized,
    {
        c.execute(
            statement,
            &[
                &self.position,
                &self.stream,
                &self.version,
                &self.id,
                &self.event_type,
                &self.schema_version,
                &self.data,
                &self.metadata,
                &self.recorded_at,
                &self.prev_hash,
                &self.hash,
            ],
        )
        .await
        .map_err(error)?;
        Ok(())
    }
}

/// Check one append of the batch and add its rows; a refusal fails only it.
fn append_one(
    heads: &mut HashMap<String, (u64, [u8; 32])>,
    stored: &mut Stored,
    req: &AppendRequest,
    next: &mut i64,
    now: OffsetDateTime,
    rows: &mut Rows,
) -> Result<AppendResult, StoreError> {
    if req.events.is_empty() {
        return Err(StoreError::Invalid(
            "an append needs at least one event".into(),
        ));
    }
    let ids: Vec<uuid::Uuid> = req.events.iter().map(|e| e.id).collect();
    if ids.iter().collect::<HashSet<_>>().len() != ids.len() {
        return Err(StoreError::Invalid(
            "an append names one event id twice".into(),
        ));
    }
    // Event ids are idempotency keys for ever: ids already in the stream make this a retry (the
    // same ids at consecutive versions) or a conflict.
    let found: Vec<(u64, i64)> = ids
        .iter()
        .filter_map(|id| stored.get(&(req.stream.clone(), *id)).copied())
        .collect();
    if !found.is_empty() {
        let same = found.len() == ids.len() && found.windows(2).all(|w| w[1].0 == w[0].0 + 1);
        let (version, position) = *found.last().expect("not empty");
        return if same {
            Ok(AppendResult {
                version,
                position: Position::single(position as u64),
            })
        } else {
            Err(StoreError::IdempotencyConflict(ids[0]))
        };
    }
    let head = heads.get(&req.stream).copied();
    let current = head.map(|h| h.0);
    if !req.expected.admits(current) {
        return Err(StoreError::WrongExpectedVersion {
            stream: req.stream.clone(),
            expected: req.expected,
            actual: current,
        });
    }
    let mut prev = head.map_or(GENESIS, |h| h.1);
    let mut version = current.map_or(0, |v| v + 1);
    let recorded_at = now.unix_timestamp_nanos() as i64;
    for (e, digest) in req.events.iter().zip(&req.digests) {
        let hash = chain(&prev, version, digest);
        rows.position.push(*next);
        rows.stream.push(req.stream.clone());
        rows.version.push(version as i64);
        rows.id.push(e.id);
        rows.event_type.push(e.event_type.clone());
        rows.schema_version.push(e.schema_version as i32);
        rows.data.push(e.data.clone());
        rows.metadata.push(e.metadata.clone());
        rows.recorded_at.push(recorded_at);
        rows.prev_hash.push(prev.to_vec());
        rows.hash.push(hash.to_vec());
        // Later appends of the same batch see this one.
        stored.insert((req.stream.clone(), e.id), (version, *next));
        prev = hash;
        version += 1;
        *next += 1;
    }
    let last = version - 1;
    heads.insert(req.stream.clone(), (last, prev));
    Ok(AppendResult {
        version: last,
        position: Position::single((*next - 1) as u64),
    })
}
