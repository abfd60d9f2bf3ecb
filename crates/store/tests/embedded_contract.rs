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
}

chatd_store::contract_suite!(Embedded);

/// Group commit off (one transaction per append) must keep the same contract.
mod unbatched {
    use super::*;

    struct Unbatched(Embedded);

    #[async_trait]
    impl Harness for Unbatched {
        type Store = SqliteStore;
        async fn start() -> Option<Self> {
            Embedded::start().await.map(Unbatched)
        }
        async fn open(&self) -> Arc<SqliteStore> {
            let mut config = SqliteConfig::new(self.0.dir.path().join("events.db"));
            config.max_batch = 1;
            SqliteStore::open(config).expect("open store")
        }
    }

    chatd_store::contract_suite!(Unbatched);
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
