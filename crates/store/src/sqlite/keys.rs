//! Data keys (R35) in an SQLite file: the embedded store's own file (table `chatd_keys`), or
//! `keys.db` in the data directory for a store that keeps no keys itself (KurrentDB).
//!
//! `secure_delete` makes SQLite overwrite a destroyed key's bytes in the page, and a destroy
//! ends with a WAL checkpoint that truncates the log of pages, so the wrapped key does not
//! linger in the file either.

use crate::keys::{KeyStore, StoredKey};
use crate::StoreError;
use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension};
use std::path::Path;
use std::sync::{Arc, Mutex};
use uuid::Uuid;

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS chatd_keys (
    subject BLOB PRIMARY KEY,
    wrapped BLOB
) WITHOUT ROWID;";

/// Keys in an SQLite file, on one connection of their own.
#[derive(Clone)]
pub struct SqliteKeys {
    conn: Arc<Mutex<Connection>>,
}

fn internal(e: rusqlite::Error) -> StoreError {
    StoreError::Internal(format!("key store: {e}"))
}

fn stored(wrapped: Option<Option<Vec<u8>>>) -> StoredKey {
    match wrapped {
        None => StoredKey::Absent,
        Some(Some(k)) => StoredKey::Live(k),
        Some(None) => StoredKey::Destroyed,
    }
}

impl SqliteKeys {
    pub fn open(path: &Path) -> Result<SqliteKeys, StoreError> {
        let conn = super::schema::open(path).map_err(internal)?;
        conn.pragma_update(None, "secure_delete", "ON")
            .map_err(internal)?;
        conn.execute_batch(SCHEMA).map_err(internal)?;
        Ok(SqliteKeys {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    async fn with<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
    ) -> Result<T, StoreError> {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = conn.lock().expect("key store lock");
            f(&mut c).map_err(internal)
        })
        .await
        .map_err(|e| StoreError::Internal(format!("key store task: {e}")))?
    }
}

fn read(c: &Connection, subject: Uuid) -> rusqlite::Result<StoredKey> {
    let k = c
        .query_row(
            "SELECT wrapped FROM chatd_keys WHERE subject = ?1",
            [subject.as_bytes().as_slice()],
            |r| r.get::<_, Option<Vec<u8>>>(0),
        )
        .optional()?;
    Ok(stored(k))
}

#[async_trait]
impl KeyStore for SqliteKeys {
    async fn create(&self, subject: Uuid, wrapped: &[u8]) -> Result<StoredKey, StoreError> {
        let wrapped = wrapped.to_vec();
        self.with(move |c| {
            c.execute(
                "INSERT INTO chatd_keys (subject, wrapped) VALUES (?1, ?2) \
                 ON CONFLICT (subject) DO NOTHING",
                rusqlite::params![subject.as_bytes().as_slice(), wrapped],
            )?;
            read(c, subject)
        })
        .await
    }

    async fn get(&self, subject: Uuid) -> Result<StoredKey, StoreError> {
        self.with(move |c| read(c, subject)).await
    }

    async fn all(&self) -> Result<Vec<(Uuid, StoredKey)>, StoreError> {
        self.with(|c| {
            let mut stmt = c.prepare("SELECT subject, wrapped FROM chatd_keys")?;
            let rows = stmt.query_map([], |r| {
                Ok((r.get::<_, Vec<u8>>(0)?, r.get::<_, Option<Vec<u8>>>(1)?))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (subject, wrapped) = row?;
                if let Ok(s) = Uuid::from_slice(&subject) {
                    out.push((s, stored(Some(wrapped))));
                }
            }
            Ok(out)
        })
        .await
    }

    async fn destroy(&self, subject: Uuid) -> Result<bool, StoreError> {
        self.with(move |c| {
            // Immediate: a read that later writes would otherwise be refused (not waited for)
            // while the store's writer holds the file.
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let was = read(&tx, subject)?;
            tx.execute(
                "INSERT INTO chatd_keys (subject, wrapped) VALUES (?1, NULL) \
                 ON CONFLICT (subject) DO UPDATE SET wrapped = NULL",
                [subject.as_bytes().as_slice()],
            )?;
            tx.commit()?;
            // Best effort: readers may hold the log of pages a moment longer.
            let _ = c.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()));
            Ok(matches!(was, StoredKey::Live(_)))
        })
        .await
    }
}
