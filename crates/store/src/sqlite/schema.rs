//! The embedded store's file layout and row mapping.

use crate::{Position, RecordedEvent, Scanned, UnreadableRow};
use rusqlite::types::ValueRef;
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

/// A column as chatd wrote it, or why it is not (`want` names the type chatd writes).
fn typed<'a, T>(
    row: &'a Row<'_>,
    i: usize,
    name: &str,
    want: impl FnOnce() -> String,
    get: impl FnOnce(ValueRef<'a>) -> Option<T>,
) -> Result<T, String> {
    let value = row.get_ref(i).map_err(|e| format!("column {name}: {e}"))?;
    let found = match value {
        ValueRef::Null => "NULL",
        ValueRef::Integer(_) => "INTEGER",
        ValueRef::Real(_) => "REAL",
        ValueRef::Text(_) => "TEXT",
        ValueRef::Blob(_) => "BLOB",
    };
    get(value).ok_or_else(|| format!("column {name} holds {found} where chatd writes {}", want()))
}

fn text(row: &Row<'_>, i: usize, name: &str) -> Result<String, String> {
    typed(
        row,
        i,
        name,
        || "UTF-8 TEXT".into(),
        |v| match v {
            ValueRef::Text(t) => std::str::from_utf8(t).ok().map(str::to_owned),
            _ => None,
        },
    )
}

fn int(row: &Row<'_>, i: usize, name: &str, max: i64) -> Result<i64, String> {
    typed(
        row,
        i,
        name,
        || "a non-negative INTEGER in range".into(),
        |v| match v {
            ValueRef::Integer(n) if (0..=max).contains(&n) => Some(n),
            _ => None,
        },
    )
}

fn blob(row: &Row<'_>, i: usize, name: &str) -> Result<Vec<u8>, String> {
    typed(
        row,
        i,
        name,
        || "BLOB".into(),
        |v| match v {
            ValueRef::Blob(b) => Some(b.to_vec()),
            _ => None,
        },
    )
}

fn fixed<const N: usize>(row: &Row<'_>, i: usize, name: &str) -> Result<[u8; N], String> {
    typed(
        row,
        i,
        name,
        || format!("a BLOB of {N} bytes"),
        |v| match v {
            ValueRef::Blob(b) => b.try_into().ok(),
            _ => None,
        },
    )
}

/// Read a row as an event, or say what is wrong with it: a row chatd could not have written
/// (a cell of another type, a hash of the wrong length) is never silently converted.
pub fn scan_row(row: &Row<'_>) -> rusqlite::Result<Scanned> {
    let position = Position::single(row.get::<_, i64>(0)? as u64);
    let stream = text(row, 1, "stream");
    let version = int(row, 2, "version", i64::MAX);
    let rest = (|| {
        Ok((
            Uuid::from_bytes(fixed::<16>(row, 3, "id")?),
            text(row, 4, "event_type")?,
            int(row, 5, "schema_version", u32::MAX as i64)? as u32,
            blob(row, 6, "data")?,
            blob(row, 7, "metadata")?,
            int(row, 8, "recorded_at", i64::MAX)?,
            fixed::<32>(row, 9, "prev_hash")?,
            fixed::<32>(row, 10, "hash")?,
        ))
    })();
    Ok(match (stream, version, rest) {
        (
            Ok(stream),
            Ok(version),
            Ok((id, event_type, schema_version, data, metadata, recorded_at, prev_hash, hash)),
        ) => Ok(RecordedEvent {
            position,
            stream,
            version: version as u64,
            id,
            event_type,
            schema_version,
            data,
            metadata,
            recorded_at: OffsetDateTime::from_unix_timestamp_nanos(recorded_at as i128)
                .unwrap_or(OffsetDateTime::UNIX_EPOCH),
            prev_hash,
            hash,
        }),
        (stream, version, rest) => {
            let reason = [
                stream.as_ref().err(),
                version.as_ref().err(),
                rest.as_ref().err(),
            ]
            .into_iter()
            .flatten()
            .next()
            .cloned()
            .unwrap_or_default();
            Err(UnreadableRow {
                position,
                stream: stream.ok(),
                version: version.ok().map(|v| v as u64),
                reason,
            })
        }
    })
}

/// Read a row as an event; a row that is not one fails the read, naming it.
pub fn row_to_event(row: &Row<'_>) -> rusqlite::Result<RecordedEvent> {
    scan_row(row)?.map_err(|bad| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Blob,
            format!("{bad} (run `chatd audit verify`)").into(),
        )
    })
}
