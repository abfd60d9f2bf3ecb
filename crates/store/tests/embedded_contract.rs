//! The store contract suite against the embedded SQLite store, each test in its own temp dir.

use async_trait::async_trait;
use chatd_store::contract::Harness;
use chatd_store::{SqliteConfig, SqliteStore};
use std::sync::Arc;

struct Embedded {
    dir: tempfile::TempDir,
}

#[async_trait]
impl Harness for Embedded {
    type Store = SqliteStore;

    async fn start() -> Option<Self> {
        Some(Embedded {
            dir: tempfile::tempdir().expect("temp dir"),
        })
    }

    async fn open(&self) -> Arc<SqliteStore> {
        SqliteStore::open(SqliteConfig::new(self.dir.path().join("events.db"))).expect("open store")
    }

    const LIVE_TAP: bool = true;
}

chatd_store::contract_suite!(Embedded);

/// The embedded store with its configuration changed by `T`: each such store keeps the contract.
struct Configured<T>(Embedded, std::marker::PhantomData<T>);

trait Configure: Send + Sync + 'static {
    fn configure(config: &mut SqliteConfig);
}

#[async_trait]
impl<T: Configure> Harness for Configured<T> {
    type Store = SqliteStore;
    async fn start() -> Option<Self> {
        Embedded::start()
            .await
            .map(|e| Configured(e, std::marker::PhantomData))
    }
    async fn open(&self) -> Arc<SqliteStore> {
        let mut config = SqliteConfig::new(self.0.dir.path().join("events.db"));
        T::configure(&mut config);
        SqliteStore::open(config).expect("open store")
    }

    const LIVE_TAP: bool = true;
}

/// Group commit off (one transaction per append).
mod unbatched {
    use super::*;

    struct Unbatched;

    impl Configure for Unbatched {
        fn configure(config: &mut SqliteConfig) {
            config.max_batch = 1;
        }
    }

    chatd_store::contract_suite!(Configured<Unbatched>);
}

/// The writer's connection syncing each commit itself (`sync_beside` off, `synchronous=FULL`)
/// instead of the syncer beside it.
mod synced_by_the_writer {
    use super::*;

    struct SyncedByTheWriter;

    impl Configure for SyncedByTheWriter {
        fn configure(config: &mut SqliteConfig) {
            config.sync_beside = false;
        }
    }

    chatd_store::contract_suite!(Configured<SyncedByTheWriter>);
}

/// An fsync of the log that fails (here: the log's file is gone from under the store) leaves
/// the disk's state unknown: the append it covered is refused, not answered "done", every append
/// after it is refused too, and the durable head stays where the last fsync left it. A restart
/// recovers from what the file holds.
#[tokio::test]
async fn a_failed_fsync_refuses_every_append_after_it() {
    use chatd_store::{contract::event, Direction, EventStore, ExpectedVersion, StoreError};
    let h = Embedded::start().await.unwrap();
    let store = h.open().await;
    store
        .append("dialog-x", ExpectedVersion::NoStream, vec![event(0)])
        .await
        .unwrap();
    // A read connection opened now stays in the pool and can still read the log afterwards.
    let read = || store.read_stream("dialog-x", 0, Direction::Forwards, 10);
    assert_eq!(read().await.unwrap().len(), 1);
    std::fs::remove_file(h.dir.path().join("events.db-wal")).unwrap();
    for (i, expected) in [ExpectedVersion::Exact(0), ExpectedVersion::Any]
        .into_iter()
        .enumerate()
    {
        let refused = store
            .append("dialog-x", expected, vec![event(i as u64 + 1)])
            .await
            .unwrap_err();
        assert!(
            matches!(&refused, StoreError::Unavailable(m) if m.contains("restart chatd")),
            "{refused:?}"
        );
    }
    // Readers stop at the durable head: the first append, not what the refused one committed
    // (SQLite holds it, and the pooled connection would read it without the bound).
    assert_eq!(store.head().await.unwrap().map(|p| p.commit), Some(1));
    let seen = read().await.unwrap();
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(store.cached_version("dialog-x"), Some(0));
}

/// `cached_version` reflects every answered append, so a caller holding a folded state can skip
/// re-reading a stream; a stream it never saw is unknown rather than guessed.
#[tokio::test]
async fn cached_versions_follow_answered_appends() {
    use chatd_store::{contract::event, EventStore, ExpectedVersion};
    let h = Embedded::start().await.unwrap();
    let store = h.open().await;
    assert_eq!(store.cached_version("dialog-x"), None);
    store
        .append(
            "dialog-x",
            ExpectedVersion::NoStream,
            vec![event(0), event(1)],
        )
        .await
        .unwrap();
    assert_eq!(store.cached_version("dialog-x"), Some(1));
    store
        .append("dialog-x", ExpectedVersion::Exact(1), vec![event(2)])
        .await
        .unwrap();
    assert_eq!(store.cached_version("dialog-x"), Some(2));
    // A refused append changes nothing.
    assert!(store
        .append("dialog-x", ExpectedVersion::Exact(0), vec![event(3)])
        .await
        .is_err());
    assert_eq!(store.cached_version("dialog-x"), Some(2));
    store.close().await;
    // Reopened: nothing is known until appended again.
    let store = h.open().await;
    assert_eq!(store.cached_version("dialog-x"), None);
}

/// R29: a row changed behind chatd's back (a cell rewritten as TEXT, a hash cut short) is handed
/// to the auditor's scan as what could be read of it; an ordinary read fails naming the row.
#[tokio::test]
async fn rows_changed_behind_the_stores_back_are_scanned_as_unreadable() {
    use chatd_store::{contract::event, EventStore, ExpectedVersion};
    let h = Embedded::start().await.unwrap();
    let store = h.open().await;
    store
        .append(
            "dialog-x",
            ExpectedVersion::NoStream,
            (0..4).map(event).collect(),
        )
        .await
        .unwrap();
    store.close().await;
    let db = rusqlite::Connection::open(h.dir.path().join("events.db")).unwrap();
    db.execute_batch(
        "UPDATE events SET data = replace(data, 'n', 'N') WHERE version = 1;
         UPDATE events SET hash = substr(hash, 1, 31) WHERE version = 2;",
    )
    .unwrap();
    drop(db);
    let store = h.open().await;
    let rows = store.scan_all(None, 10).await.unwrap();
    assert_eq!(rows.len(), 4);
    assert!(rows[0].is_ok() && rows[3].is_ok());
    let bad = rows[1].as_ref().unwrap_err();
    assert_eq!(
        (bad.stream.as_deref(), bad.version),
        (Some("dialog-x"), Some(1))
    );
    assert_eq!(bad.reason, "column data holds TEXT where chatd writes BLOB");
    let bad = rows[2].as_ref().unwrap_err();
    assert_eq!(bad.position.to_string(), "3");
    assert_eq!(
        bad.reason,
        "column hash holds BLOB where chatd writes a BLOB of 32 bytes"
    );
    let failed = store.read_all(None, 10).await.unwrap_err().to_string();
    assert!(
        failed.contains("the row at position 2 cannot be read"),
        "{failed}"
    );
}
