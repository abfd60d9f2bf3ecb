//! Leases and presence on PostgreSQL (R34), on the database's clock so the nodes' clocks need
//! not agree. A lease is taken in a transaction that first holds the log's head row in share
//! mode: a takeover and the appends' batches (which lock that row for update) are thereby
//! ordered, so a batch committed after a takeover checks its fences against the new holder.

use super::{error, PostgresStore};
use crate::cluster::Cluster;
use crate::StoreError;
use async_trait::async_trait;
use std::collections::HashSet;
use std::time::Duration;
use uuid::Uuid;

/// Take a free or run-out lease, or renew one's own; a new holder's fence is one more.
const ACQUIRE: &str = "INSERT INTO chatd_leases AS l (name, holder, fence, expires_at) \
    VALUES ($1, $2, 1, clock_timestamp() + $3::float8 * interval '1 millisecond') \
    ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, \
    fence = CASE WHEN l.holder = EXCLUDED.holder THEN l.fence ELSE l.fence + 1 END, \
    expires_at = EXCLUDED.expires_at \
    WHERE l.holder = EXCLUDED.holder OR l.expires_at < clock_timestamp() \
    RETURNING fence";

/// One more failure in a row, or the first of a new row when the last is older than the window;
/// rows run out a window after their last failure (cleared in passing, a few at a time).
const LOGIN_FAILED: &str = "WITH gone AS (DELETE FROM chatd_login_failures WHERE key IN \
    (SELECT key FROM chatd_login_failures \
     WHERE key <> $1 AND last_at < clock_timestamp() - $2::float8 * interval '1 millisecond' \
     LIMIT 16)) \
    INSERT INTO chatd_login_failures AS f (key, failures, last_at) \
    VALUES ($1, 1, clock_timestamp()) \
    ON CONFLICT (key) DO UPDATE SET failures = CASE \
    WHEN f.last_at < clock_timestamp() - $2::float8 * interval '1 millisecond' THEN 1 \
    ELSE f.failures + 1 END, last_at = clock_timestamp() \
    RETURNING failures";

fn millis(ttl: Duration) -> f64 {
    ttl.as_secs_f64() * 1000.0
}

#[async_trait]
impl Cluster for PostgresStore {
    async fn acquire(
        &self,
        name: &str,
        holder: &str,
        ttl: Duration,
    ) -> Result<Option<u64>, StoreError> {
        let (name, holder) = (name.to_owned(), holder.to_owned());
        self.read(|mut reader| async move {
            let result = async {
                let tx = reader.client.transaction().await.map_err(error)?;
                tx.batch_execute("SELECT 1 FROM chatd_log_head FOR SHARE")
                    .await
                    .map_err(error)?;
                let row = tx
                    .query_opt(ACQUIRE, &[&name, &holder, &millis(ttl)])
                    .await
                    .map_err(error)?;
                tx.commit().await.map_err(error)?;
                Ok(row.map(|r| r.get::<_, i64>(0) as u64))
            }
            .await;
            (reader, result)
        })
        .await
    }

    async fn release(&self, name: &str, holder: &str) -> Result<(), StoreError> {
        self.rows(
            "UPDATE chatd_leases SET expires_at = clock_timestamp() \
             WHERE name = $1 AND holder = $2",
            vec![Box::new(name.to_owned()), Box::new(holder.to_owned())],
        )
        .await
        .map(drop)
    }

    async fn heartbeat(&self, node: &str, users: &[Uuid], ttl: Duration) -> Result<(), StoreError> {
        // Also forget nodes long gone, so the table holds only the living and the recent.
        self.rows(
            "WITH gone AS (DELETE FROM chatd_presence \
             WHERE expires_at < clock_timestamp() - interval '1 hour') \
             INSERT INTO chatd_presence (node, users, expires_at) \
             VALUES ($1, $2, clock_timestamp() + $3::float8 * interval '1 millisecond') \
             ON CONFLICT (node) DO UPDATE SET users = EXCLUDED.users, \
             expires_at = EXCLUDED.expires_at",
            vec![
                Box::new(node.to_owned()),
                Box::new(users.to_vec()),
                Box::new(millis(ttl)),
            ],
        )
        .await
        .map(drop)
    }

    async fn login_failed(&self, key: &str, window: Duration) -> Result<Option<u32>, StoreError> {
        let rows = self
            .rows(
                LOGIN_FAILED,
                vec![Box::new(key.to_owned()), Box::new(millis(window))],
            )
            .await?;
        let row = rows
            .first()
            .ok_or_else(|| StoreError::Internal("a failed login was not counted".into()))?;
        Ok(Some(row.get::<_, i32>(0).max(0) as u32))
    }

    async fn login_failures(
        &self,
        key: &str,
        window: Duration,
    ) -> Result<Option<(u32, Duration)>, StoreError> {
        let rows = self
            .rows(
                "SELECT failures, \
                 EXTRACT(EPOCH FROM clock_timestamp() - last_at)::float8 * 1000.0 \
                 FROM chatd_login_failures WHERE key = $1 \
                 AND last_at >= clock_timestamp() - $2::float8 * interval '1 millisecond'",
                vec![Box::new(key.to_owned()), Box::new(millis(window))],
            )
            .await?;
        Ok(rows.first().map(|r| {
            let ago = Duration::from_secs_f64(r.get::<_, f64>(1).max(0.0) / 1000.0);
            (r.get::<_, i32>(0).max(0) as u32, ago)
        }))
    }

    async fn login_succeeded(&self, key: &str) -> Result<(), StoreError> {
        self.rows(
            "DELETE FROM chatd_login_failures WHERE key = $1",
            vec![Box::new(key.to_owned())],
        )
        .await
        .map(drop)
    }

    async fn online(&self, except: &str) -> Result<HashSet<Uuid>, StoreError> {
        let rows = self
            .rows(
                "SELECT DISTINCT unnest(users) FROM chatd_presence \
                 WHERE expires_at > clock_timestamp() AND node <> $1",
                vec![Box::new(except.to_owned())],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get::<_, Uuid>(0)).collect())
    }
}
