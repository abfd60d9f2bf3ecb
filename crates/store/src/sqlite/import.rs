//! The embedded store as the target of `chatd store copy`: rows written exactly as recorded
//! elsewhere, through a connection of its own. The caller holds the data directory (no chatd
//! serves it meanwhile), so nothing else writes the file.

use super::schema::{self, row_to_event, SCHEMA, SELECT_EVENT};
use crate::copy::{check_continues, Import, StreamHeads};
use crate::{RecordedEvent, StoreError};
use async_trait::async_trait;
use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use std::path::Path;
use std::sync::{Arc, Mutex};

pub struct SqliteImport {
    conn: Arc<Mutex<Connection>>,
}

impl SqliteImport {
    /// Open (creating if need be) the store file at `path`.
    pub fn open(path: &Path) -> Result<SqliteImport, StoreError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::Unavailable(format!("{}: {e}", dir.display())))?;
        }
        let conn = schema::open(path)?;
        conn.execute_batch(SCHEMA)?;
        Ok(SqliteImport {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || f(&mut conn.lock().expect("import connection")))
            .await
            .map_err(|e| StoreError::Internal(e.to_string()))?
    }
}

#[async_trait]
impl Import for SqliteImport {
    async fn ends(&self) -> Result<Option<(RecordedEvent, RecordedEvent)>, StoreError> {
        self.with(|conn| {
            let end = |order: &str| {
                conn.query_row(
                    &format!("{SELECT_EVENT} ORDER BY position {order} LIMIT 1"),
                    [],
                    row_to_event,
                )
                .optional()
            };
            Ok(end("ASC")?.zip(end("DESC")?))
        })
        .await
    }

    async fn import(&self, events: Vec<RecordedEvent>) -> Result<(), StoreError> {
        self.with(move |conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let head: i64 =
                tx.query_row("SELECT COALESCE(MAX(position), 0) FROM events", [], |r| {
                    r.get(0)
                })?;
            let mut heads = StreamHeads::new();
            {
                let mut last = tx.prepare_cached(
                    "SELECT version, hash FROM events WHERE stream = ?1 \
                     ORDER BY version DESC LIMIT 1",
                )?;
                for e in &events {
                    if heads.contains_key(&e.stream) {
                        continue;
                    }
                    let found = last
                        .query_row(params![e.stream], |r| {
                            Ok((r.get::<_, i64>(0)? as u64, schema::to_hash(r.get(1)?)?))
                        })
                        .optional()?;
                    if let Some(found) = found {
                        heads.insert(e.stream.clone(), found);
                    }
                }
            }
            check_continues(head as u64, &events, &mut heads)?;
            {
                let mut insert = tx.prepare_cached(
                    "INSERT INTO events (position, stream, version, id, event_type, \
                     schema_version, data, metadata, recorded_at, prev_hash, hash) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )?;
                for e in &events {
                    insert.execute(params![
                        e.position.commit as i64,
                        e.stream,
                        e.version as i64,
                        e.id.as_bytes(),
                        e.event_type,
                        e.schema_version,
                        e.data,
                        e.metadata,
                        e.recorded_at.unix_timestamp_nanos() as i64,
                        e.prev_hash,
                        e.hash
                    ])?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }
}
