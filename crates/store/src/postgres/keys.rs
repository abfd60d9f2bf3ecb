//! Data keys (R35) in `chatd_keys`, shared by every node on the database. A destroyed key is a
//! row with `wrapped = NULL`; the wrapped bytes of the old row version stay in the table's pages
//! until VACUUM reuses them (see `docs/PRIVACY.md`: they are useless without the master key).

use super::{error, PostgresStore};
use crate::keys::{KeyStore, StoredKey};
use crate::StoreError;
use async_trait::async_trait;
use uuid::Uuid;

fn stored(row: Option<Option<Vec<u8>>>) -> StoredKey {
    match row {
        None => StoredKey::Absent,
        Some(Some(k)) => StoredKey::Live(k),
        Some(None) => StoredKey::Destroyed,
    }
}

#[async_trait]
impl KeyStore for PostgresStore {
    async fn create(&self, subject: Uuid, wrapped: &[u8]) -> Result<StoredKey, StoreError> {
        let wrapped = wrapped.to_vec();
        self.read(|reader| async move {
            let result = async {
                reader
                    .client
                    .execute(
                        "INSERT INTO chatd_keys (subject, wrapped) VALUES ($1, $2) \
                         ON CONFLICT (subject) DO NOTHING",
                        &[&subject, &wrapped],
                    )
                    .await
                    .map_err(error)?;
                let row = reader
                    .client
                    .query_opt(
                        "SELECT wrapped FROM chatd_keys WHERE subject = $1",
                        &[&subject],
                    )
                    .await
                    .map_err(error)?;
                Ok(stored(row.map(|r| r.get(0))))
            }
            .await;
            (reader, result)
        })
        .await
    }

    async fn get(&self, subject: Uuid) -> Result<StoredKey, StoreError> {
        let rows = self
            .rows(
                "SELECT wrapped FROM chatd_keys WHERE subject = $1",
                vec![Box::new(subject)],
            )
            .await?;
        Ok(stored(rows.first().map(|r| r.get(0))))
    }

    async fn all(&self) -> Result<Vec<(Uuid, StoredKey)>, StoreError> {
        let rows = self
            .rows("SELECT subject, wrapped FROM chatd_keys", vec![])
            .await?;
        Ok(rows
            .iter()
            .map(|r| (r.get::<_, Uuid>(0), stored(Some(r.get(1)))))
            .collect())
    }

    async fn destroy(&self, subject: Uuid) -> Result<bool, StoreError> {
        let rows = self
            .rows(
                "WITH was AS (SELECT wrapped IS NOT NULL AS live FROM chatd_keys \
                    WHERE subject = $1 FOR UPDATE), \
                 put AS (INSERT INTO chatd_keys (subject, wrapped) VALUES ($1, NULL) \
                    ON CONFLICT (subject) DO UPDATE SET wrapped = NULL) \
                 SELECT COALESCE((SELECT live FROM was), false)",
                vec![Box::new(subject)],
            )
            .await?;
        Ok(rows.first().is_some_and(|r| r.get::<_, bool>(0)))
    }
}
