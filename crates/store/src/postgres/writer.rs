//! The append path on PostgreSQL: one writer task per process takes every append waiting at that
//! moment (group commit) into one transaction. The transaction first locks the log's one head
//! row (`SELECT … FOR UPDATE`), so transactions of every process commit one after another, and
//! positions are `head + 1, head + 2, …` in commit order: a follower reading by position can
//! never miss an event that commits after a later position became visible (DECISIONS,
//! "PostgreSQL: one lock row"). Each append is checked against its stream's head before it is
//! written; a refused append fails alone. Callers are answered after COMMIT.

use super::schema::SELECT_EVENT;
use super::{error, Connector};
use crate::hash::{chain, GENESIS};
use crate::{AppendResult, ExpectedVersion, NewEvent, Position, StoreError};
use std::collections::{HashMap, HashSet};
use std::time::Duration;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};
use tokio_postgres::{Client, Transaction};

/// A batch that does not commit within this is answered `Unavailable` (the database is down or
/// stuck), never left hanging.
pub const BATCH_TIMEOUT: Duration = Duration::from_secs(5);

pub struct AppendRequest {
    pub stream: String,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
    pub digests: Vec<[u8; 32]>,
    pub reply: oneshot::Sender<Result<AppendResult, StoreError>>,
}

/// The writer's loop until every sender is gone; it (re)connects as it needs to.
pub async fn run(connector: Connector, mut rx: mpsc::Receiver<AppendRequest>, max_batch: usize) {
    let mut client: Option<Client> = None;
    while let Some(first) = rx.recv().await {
        let mut batch = vec![first];
        while batch.len() < max_batch {
            match rx.try_recv() {
                Ok(r) => batch.push(r),
                Err(_) => break,
            }
        }
        let outcome = tokio::time::timeout(BATCH_TIMEOUT, async {
            if client.as_ref().is_none_or(Client::is_closed) {
                client = Some(connector.connect().await?);
            }
            let c = client.as_mut().expect("connected above");
            commit(c, &batch).await
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
                // the same event ids, which the store recognises). Start afresh next time.
                client = None;
                for req in batch {
                    let _ = req.reply.send(Err(e.clone()));
                }
            }
        }
    }
}

/// One transaction for the whole batch; each request's own result (a refusal fails only it).
async fn commit(
    client: &mut Client,
    batch: &[AppendRequest],
) -> Result<Vec<Result<AppendResult, StoreError>>, StoreError> {
    let tx = client.transaction().await.map_err(error)?;
    let head: i64 = tx
        .query_one("SELECT position FROM chatd_log_head FOR UPDATE", &[])
        .await
        .map_err(error)?
        .get(0);
    let now = OffsetDateTime::now_utc();
    let mut next = head + 1;
    let mut heads: HashMap<String, (u64, [u8; 32])> = HashMap::new();
    let insert = tx
        .prepare(
            "INSERT INTO chatd_events (position, stream, version, id, event_type, schema_version, \
             data, metadata, recorded_at, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .await
        .map_err(error)?;
    let mut results = Vec::with_capacity(batch.len());
    for req in batch {
        results.push(append_one(&tx, &insert, &mut heads, req, &mut next, now).await?);
    }
    if next > head + 1 {
        tx.execute("UPDATE chatd_log_head SET position = $1", &[&(next - 1)])
            .await
            .map_err(error)?;
        // A hint for followers (delivered at commit); they also poll.
        tx.batch_execute("NOTIFY chatd_log").await.map_err(error)?;
    }
    tx.commit().await.map_err(error)?;
    Ok(results)
}

/// Check and write one append inside the batch's transaction. `Ok(Err(_))` is a refusal of this
/// append alone; `Err(_)` fails the batch (the database failed).
async fn append_one(
    tx: &Transaction<'_>,
    insert: &tokio_postgres::Statement,
    heads: &mut HashMap<String, (u64, [u8; 32])>,
    req: &AppendRequest,
    next: &mut i64,
    now: OffsetDateTime,
) -> Result<Result<AppendResult, StoreError>, StoreError> {
    if req.events.is_empty() {
        return Ok(Err(StoreError::Invalid(
            "an append needs at least one event".into(),
        )));
    }
    let ids: Vec<uuid::Uuid> = req.events.iter().map(|e| e.id).collect();
    if ids.iter().collect::<HashSet<_>>().len() != ids.len() {
        return Ok(Err(StoreError::Invalid(
            "an append names one event id twice".into(),
        )));
    }
    // Event ids are idempotency keys for ever: ids already in the stream make this a retry (the
    // same ids in the same order) or a conflict.
    let stored = tx
        .query(
            &format!("{SELECT_EVENT} WHERE stream = $1 AND id = ANY($2) ORDER BY version"),
            &[&req.stream, &ids],
        )
        .await
        .map_err(error)?;
    if !stored.is_empty() {
        let stored = stored
            .iter()
            .map(super::schema::event)
            .collect::<Result<Vec<_>, _>>()?;
        let same = stored.len() == ids.len()
            && stored.iter().zip(&ids).all(|(s, id)| s.id == *id)
            && stored.windows(2).all(|w| w[1].version == w[0].version + 1);
        let last = stored.last().expect("not empty");
        return Ok(if same {
            Ok(AppendResult {
                version: last.version,
                position: last.position,
            })
        } else {
            Err(StoreError::IdempotencyConflict(stored[0].id))
        });
    }
    let head = match heads.get(&req.stream) {
        Some(h) => Some(*h),
        None => tx
            .query_opt(
                "SELECT version, hash FROM chatd_events WHERE stream = $1 ORDER BY version DESC LIMIT 1",
                &[&req.stream],
            )
            .await
            .map_err(error)?
            .map(|r| {
                let hash: &[u8] = r.get(1);
                (
                    r.get::<_, i64>(0) as u64,
                    hash.try_into().unwrap_or(GENESIS),
                )
            }),
    };
    let current = head.map(|h| h.0);
    let matches = match req.expected {
        ExpectedVersion::Any => true,
        ExpectedVersion::NoStream => current.is_none(),
        ExpectedVersion::StreamExists => current.is_some(),
        ExpectedVersion::Exact(v) => current == Some(v),
    };
    if !matches {
        return Ok(Err(StoreError::WrongExpectedVersion {
            stream: req.stream.clone(),
            expected: req.expected,
            actual: current,
        }));
    }
    let mut prev = head.map_or(GENESIS, |h| h.1);
    let mut version = current.map_or(0, |v| v + 1);
    let recorded_at = now.unix_timestamp_nanos() as i64;
    for (e, digest) in req.events.iter().zip(&req.digests) {
        let hash = chain(&prev, version, digest);
        tx.execute(
            insert,
            &[
                &*next,
                &req.stream,
                &(version as i64),
                &e.id,
                &e.event_type,
                &(e.schema_version as i32),
                &e.data,
                &e.metadata,
                &recorded_at,
                &prev.as_slice(),
                &hash.as_slice(),
            ],
        )
        .await
        .map_err(error)?;
        prev = hash;
        version += 1;
        *next += 1;
    }
    let last = version - 1;
    heads.insert(req.stream.clone(), (last, prev));
    Ok(Ok(AppendResult {
        version: last,
        position: Position::single((*next - 1) as u64),
    }))
}
