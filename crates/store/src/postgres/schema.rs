//! The PostgreSQL schema chatd creates and migrates at start. Versioned: `chatd_schema` holds
//! the version the data is at; each migration moves it one step, in one transaction; a database
//! at a version newer than this binary knows is refused, naming both.

use crate::{Position, RecordedEvent, StoreError};
use time::OffsetDateTime;
use tokio_postgres::{Client, Row};

/// The migrations, in order: migration `n` brings the schema to version `n + 1`.
const MIGRATIONS: &[&str] = &[
    // 1: the log, and the one row every append locks (see DECISIONS, "PostgreSQL: one lock row").
    "CREATE TABLE chatd_events (
        position bigint PRIMARY KEY,
        stream text NOT NULL,
        version bigint NOT NULL,
        id uuid NOT NULL,
        event_type text NOT NULL,
        schema_version integer NOT NULL,
        data bytea NOT NULL,
        metadata bytea NOT NULL,
        recorded_at bigint NOT NULL,
        prev_hash bytea NOT NULL,
        hash bytea NOT NULL,
        UNIQUE (stream, version),
        UNIQUE (stream, id)
    );
    CREATE TABLE chatd_log_head (
        only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
        position bigint NOT NULL
    );
    INSERT INTO chatd_log_head (position) VALUES (0);",
    // 2 (R34): leases with their fences, and which node holds whose sockets.
    "CREATE TABLE chatd_leases (
        name text PRIMARY KEY,
        holder text NOT NULL,
        fence bigint NOT NULL,
        expires_at timestamptz NOT NULL
    );
    CREATE TABLE chatd_presence (
        node text PRIMARY KEY,
        users uuid[] NOT NULL,
        expires_at timestamptz NOT NULL
    );",
    // 3 (R35): data keys, wrapped under the master key; NULL once destroyed (a tombstone).
    "CREATE TABLE chatd_keys (
        subject uuid PRIMARY KEY,
        wrapped bytea
    );",
    // 4 (R28 across nodes, R34): failed logins in a row, by a digest of login (and address).
    "CREATE TABLE chatd_login_failures (
        key text PRIMARY KEY,
        failures integer NOT NULL,
        last_at timestamptz NOT NULL
    );",
];

/// The schema version this binary writes.
pub const CURRENT: i32 = MIGRATIONS.len() as i32;

/// Bring the database to [`CURRENT`]; refuse one that is newer. Several processes may start at
/// once: the migration runs under an advisory lock.
pub async fn migrate(client: &mut Client) -> Result<(), StoreError> {
    let tx = client.transaction().await.map_err(super::error)?;
    tx.batch_execute(
        "SELECT pg_advisory_xact_lock(7157890311);
         CREATE TABLE IF NOT EXISTS chatd_schema (version integer NOT NULL);",
    )
    .await
    .map_err(super::error)?;
    let found: Option<i32> = tx
        .query_opt("SELECT version FROM chatd_schema", &[])
        .await
        .map_err(super::error)?
        .map(|r| r.get(0));
    let at = found.unwrap_or(0);
    if at > CURRENT {
        return Err(StoreError::Invalid(format!(
            "the database's chatd schema is at version {at}, newer than this chatd knows \
             ({CURRENT}): run the newer chatd, or restore a backup made by this one"
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(at as usize) {
        tx.batch_execute(sql).await.map_err(super::error)?;
        tracing::info!(version = i + 1, "PostgreSQL schema migrated");
    }
    if found.is_none() {
        tx.execute(
            "INSERT INTO chatd_schema (version) VALUES ($1)",
            &[&CURRENT],
        )
        .await
        .map_err(super::error)?;
    } else if at < CURRENT {
        tx.execute("UPDATE chatd_schema SET version = $1", &[&CURRENT])
            .await
            .map_err(super::error)?;
    }
    tx.commit().await.map_err(super::error)
}

/// The columns of an event, in the order [`event`] reads them.
pub const SELECT_EVENT: &str = "SELECT position, stream, version, id, event_type, schema_version, \
    data, metadata, recorded_at, prev_hash, hash FROM chatd_events";

fn hash(row: &Row, i: usize) -> Result<[u8; 32], StoreError> {
    let bytes: &[u8] = row.get(i);
    bytes
        .try_into()
        .map_err(|_| StoreError::Internal(format!("a stored hash has {} bytes", bytes.len())))
}

pub fn event(row: &Row) -> Result<RecordedEvent, StoreError> {
    let position: i64 = row.get(0);
    let nanos: i64 = row.get(8);
    Ok(RecordedEvent {
        position: Position::single(position as u64),
        stream: row.get(1),
        version: row.get::<_, i64>(2) as u64,
        id: row.get(3),
        event_type: row.get(4),
        schema_version: row.get::<_, i32>(5) as u32,
        data: row.get(6),
        metadata: row.get(7),
        recorded_at: OffsetDateTime::from_unix_timestamp_nanos(i128::from(nanos))
            .map_err(|e| StoreError::Internal(e.to_string()))?,
        prev_hash: hash(row, 9)?,
        hash: hash(row, 10)?,
    })
}
