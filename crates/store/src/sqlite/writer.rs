//! Group commit: one thread owns the write connection, takes every append waiting at that moment
//! into one transaction, and answers each caller only after that transaction is durable.
//! A conflicting append fails alone: each append runs in its own savepoint and is checked before
//! it writes, so its batch-mates commit regardless.

use super::schema::{to_hash, SELECT_EVENT};
use super::Shared;
use crate::hash::{event_hash, GENESIS};
use crate::{AppendResult, ExpectedVersion, NewEvent, Position, RecordedEvent, StoreError};
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::sync::Arc;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

pub struct AppendRequest {
    pub stream: String,
    pub expected: ExpectedVersion,
    pub events: Vec<NewEvent>,
    pub reply: oneshot::Sender<Result<AppendResult, StoreError>>,
}

/// Most events one transaction takes, so one huge wave of appends still commits in slices.
const MAX_BATCH_EVENTS: usize = 8192;

pub fn run(
    mut conn: Connection,
    mut rx: mpsc::Receiver<AppendRequest>,
    max_batch: usize,
    shared: Arc<Shared>,
) {
    let mut batch = Vec::with_capacity(max_batch);
    while let Some(first) = rx.blocking_recv() {
        let mut events = first.events.len();
        batch.push(first);
        while batch.len() < max_batch && events < MAX_BATCH_EVENTS {
            match rx.try_recv() {
                Ok(req) => {
                    events += req.events.len();
                    batch.push(req);
                }
                Err(_) => break,
            }
        }
        commit_batch(&mut conn, &mut batch, &shared);
    }
    tracing::debug!("event store writer stopped: every accepted append is answered");
}

fn commit_batch(conn: &mut Connection, batch: &mut Vec<AppendRequest>, shared: &Shared) {
    let head = shared.head();
    let now = OffsetDateTime::now_utc();
    let mut next = head + 1;
    let mut outcomes: Vec<Result<AppendResult, StoreError>> = Vec::with_capacity(batch.len());
    let mut recorded: Vec<Arc<RecordedEvent>> = Vec::new();
    let result = (|| -> Result<(), StoreError> {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        for req in batch.iter() {
            let sp = tx.unchecked_transaction_savepoint()?;
            let before = recorded.len();
            match append_one(&sp, req, next, now, &mut recorded) {
                Ok(res) => {
                    sp.commit()?;
                    next += (recorded.len() - before) as u64;
                    outcomes.push(Ok(res));
                }
                Err(e) => {
                    recorded.truncate(before);
                    drop(sp); // rolls back this append only
                    outcomes.push(Err(e));
                }
            }
        }
        tx.commit()?;
        Ok(())
    })();
    match result {
        Ok(()) => {
            shared.set_head(next - 1);
            if !recorded.is_empty() {
                // Nobody listening is fine: subscribers catch up from the file.
                let _ = shared.live.send(Arc::new(recorded));
            }
            for (req, outcome) in batch.drain(..).zip(outcomes) {
                let _ = req.reply.send(outcome);
            }
        }
        Err(e) => {
            tracing::error!(error = %e, "event store commit failed; the whole batch is refused");
            for req in batch.drain(..) {
                let _ = req.reply.send(Err(e.clone()));
            }
        }
    }
}

/// A savepoint inside the batch transaction; dropping it rolls back to where it began.
trait SavepointExt {
    fn unchecked_transaction_savepoint(&self) -> rusqlite::Result<Savepoint<'_>>;
}

struct Savepoint<'c> {
    conn: &'c Connection,
    done: bool,
}

impl SavepointExt for rusqlite::Transaction<'_> {
    fn unchecked_transaction_savepoint(&self) -> rusqlite::Result<Savepoint<'_>> {
        self.execute_batch("SAVEPOINT append")?;
        Ok(Savepoint {
            conn: self,
            done: false,
        })
    }
}

impl Savepoint<'_> {
    fn commit(mut self) -> rusqlite::Result<()> {
        self.done = true;
        self.conn.execute_batch("RELEASE append")
    }
}

impl std::ops::Deref for Savepoint<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn
    }
}

impl Drop for Savepoint<'_> {
    fn drop(&mut self) {
        if !self.done {
            let _ = self
                .conn
                .execute_batch("ROLLBACK TO append; RELEASE append");
        }
    }
}

fn append_one(
    conn: &Connection,
    req: &AppendRequest,
    first_position: u64,
    now: OffsetDateTime,
    recorded: &mut Vec<Arc<RecordedEvent>>,
) -> Result<AppendResult, StoreError> {
    let Some(first) = req.events.first() else {
        return Err(StoreError::Invalid(
            "an append needs at least one event".into(),
        ));
    };
    if let Some(done) = earlier_append(conn, req, first)? {
        return Ok(done);
    }
    let head: Option<(u64, [u8; 32])> = conn
        .prepare_cached("SELECT version, hash FROM streams WHERE name = ?1")?
        .query_row([&req.stream], |r| {
            Ok((r.get::<_, i64>(0)? as u64, to_hash(r.get(1)?)?))
        })
        .optional()?;
    let current = head.map(|(v, _)| v);
    let ok = match req.expected {
        ExpectedVersion::Any => true,
        ExpectedVersion::NoStream => current.is_none(),
        ExpectedVersion::StreamExists => current.is_some(),
        ExpectedVersion::Exact(v) => current == Some(v),
    };
    if !ok {
        return Err(StoreError::WrongExpectedVersion {
            stream: req.stream.clone(),
            expected: req.expected,
            actual: current,
        });
    }
    let mut prev = head.map(|(_, h)| h).unwrap_or(GENESIS);
    let mut version = current.map_or(0, |v| v + 1);
    let mut position = first_position;
    let recorded_at = now.unix_timestamp_nanos() as i64;
    let mut insert = conn.prepare_cached(
        "INSERT INTO events (position, stream, version, id, event_type, schema_version, data, \
         metadata, recorded_at, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )?;
    for e in &req.events {
        let hash = event_hash(
            &prev,
            &req.stream,
            version,
            &e.id,
            &e.event_type,
            e.schema_version,
            &e.data,
            &e.metadata,
        );
        insert
            .execute(params![
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
            ])
            .map_err(|err| match err.sqlite_error_code() {
                // The same event id twice, in this append or one before: not a retry.
                Some(rusqlite::ErrorCode::ConstraintViolation) => {
                    StoreError::IdempotencyConflict(e.id)
                }
                _ => err.into(),
            })?;
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
    conn.prepare_cached(
        "INSERT INTO streams (name, version, hash) VALUES (?1, ?2, ?3) \
         ON CONFLICT(name) DO UPDATE SET version = excluded.version, hash = excluded.hash",
    )?
    .execute(params![req.stream, (version - 1) as i64, prev])?;
    Ok(AppendResult {
        version: version - 1,
        position: Position::single(position - 1),
    })
}

/// A retry: the first event id is stored already. It is the same append only if every id is
/// stored, in this stream, at consecutive versions; then the first append's result is returned.
fn earlier_append(
    conn: &Connection,
    req: &AppendRequest,
    first: &NewEvent,
) -> Result<Option<AppendResult>, StoreError> {
    let mut by_id = conn.prepare_cached(&format!("{SELECT_EVENT} WHERE id = ?1"))?;
    let Some(stored) = by_id
        .query_row([first.id.as_bytes()], super::schema::row_to_event)
        .optional()?
    else {
        return Ok(None);
    };
    if stored.stream != req.stream {
        return Err(StoreError::IdempotencyConflict(first.id));
    }
    let mut last = stored;
    for (i, e) in req.events.iter().enumerate().skip(1) {
        let found = by_id
            .query_row([e.id.as_bytes()], super::schema::row_to_event)
            .optional()?;
        match found {
            Some(s) if s.stream == req.stream && s.version == last.version + 1 => last = s,
            _ => return Err(StoreError::IdempotencyConflict(req.events[i].id)),
        }
    }
    Ok(Some(AppendResult {
        version: last.version,
        position: last.position,
    }))
}
