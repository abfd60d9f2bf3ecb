//! The embedded store's file layout and row mapping.

use crate::{Position, RecordedEvent};
use rusqlite::{Connection, Row};
use time::OffsetDateTime;
use uuid::Uuid;

/// `position` is the global log's sequence (the rowid: monotonic, never reused because nothing is
/// ever deleted); `(stream, version)` is unique and is the only index, so an append writes one
/// random index page per stream it touches. Event ids are idempotency keys within their stream
/// (as in KurrentDB), not globally indexed: a global index on random ids halves throughput.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS events (
    position       INTEGER PRIMARY KEY,
    stream         TEXT    NOT NULL,
    version        INTEGER NOT NULL,
    id             BLOB    NOT NULL,
    event_type     TEXT    NOT NULL,
    schema_version INTEGER NOT NULL,
    data           BLOB    NOT NULL,
    metadata       BLOB    NOT NULL,
    recorded_at    INTEGER NOT NULL,
    prev_hash      BLOB    NOT NULL,
    hash           BLOB    NOT NULL,
    UNIQUE (stream, version)
);
";

pub const SELECT_EVENT: &str = "SELECT position, stream, version, id, event_type, schema_version, \
     data, metadata, recorded_at, prev_hash, hash FROM events";

/// Open a connection with the pragmas every connection of the store uses.
pub fn open(path: &std::path::Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a commit is on disk (WAL fsynced) before anyone is told it happened.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "cache_size", -32768)?;
    Ok(conn)
}

pub fn to_hash(bytes: Vec<u8>) -> rusqlite::Result<[u8; 32]> {
    bytes.try_into().map_err(|b: Vec<u8>| {
        rusqlite::Error::FromSqlConversionFailure(
            b.len(),
            rusqlite::types::Type::Blob,
            "hash of wrong length".into(),
        )
    })
}

pub fn row_to_event(row: &Row<'_>) -> rusqlite::Result<RecordedEvent> {
    let position: i64 = row.get(0)?;
    let id: Vec<u8> = row.get(3)?;
    let id = Uuid::from_slice(&id).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(3, rusqlite::types::Type::Blob, Box::new(e))
    })?;
    let recorded_at: i64 = row.get(8)?;
    Ok(RecordedEvent {
        position: Position::single(position as u64),
        stream: row.get(1)?,
        version: row.get::<_, i64>(2)? as u64,
        id,
        event_type: row.get(4)?,
        schema_version: row.get(5)?,
        data: row.get(6)?,
        metadata: row.get(7)?,
        recorded_at: OffsetDateTime::from_unix_timestamp_nanos(recorded_at as i128)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH),
        prev_hash: to_hash(row.get(9)?)?,
        hash: to_hash(row.get(10)?)?,
    })
}
